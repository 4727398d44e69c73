"""Realistic synthetic registers for the benchmarks: N risk files like the reference's top risks.

Every risk has the reference's front-matter keys and a body of 1.5 to 3 KB with
the sections the top-N analysis shows. The output depends only on N and the seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ("Security", "Technical", "Operational", "Compliance", "Delivery", "Vendor")
LEVELS = ("Low", "Medium", "High")
STATUSES = ("Open", "Open", "Open", "Mitigated", "Triggered", "Closed")
TEAMS = ("Data Team", "Platform Team", "Security Team", "Frontend Team", "SRE", "Product", "Legal", "QA")
SUBJECTS = (
    "tenant data",
    "payment webhooks",
    "search index",
    "session tokens",
    "background jobs",
    "audit logs",
    "file uploads",
    "the billing service",
    "schema migrations",
    "third-party SDKs",
    "rate limits",
    "email delivery",
    "feature flags",
    "backups",
    "the mobile release train",
)
FAILURES = (
    "leak across tenants through {s}",
    "{s} silently drop events under load",
    "outage of {s} during peak hours",
    "{s} drift from the documented contract",
    "unbounded growth of {s}",
    "misconfigured access to {s}",
    "slow recovery of {s} after a region failure",
    "{s} fail the upcoming compliance audit",
)
WORDS = (
    "deployment",
    "queue",
    "tenant",
    "schema",
    "latency",
    "budget",
    "owner",
    "review",
    "incident",
    "rollback",
    "migration",
    "cluster",
    "dashboard",
    "alert",
    "threshold",
    "vendor",
    "contract",
    "backlog",
    "sprint",
    "release",
    "capacity",
    "throughput",
    "replica",
    "index",
    "cache",
    "token",
    "policy",
    "audit",
    "compliance",
    "escalation",
    "runbook",
    "customer",
    "regression",
    "coverage",
    "pipeline",
    "staging",
    "production",
    "partition",
    "retention",
    "encryption",
    "credential",
    "rotation",
    "quota",
)
SECTIONS = (
    "Description",
    "Current State",
    "Root Causes",
    "Mitigation Strategy",
    "Contingency Plan",
    "Early Warning Indicators",
)
BODY_MIN, BODY_MAX = 1500, 3000


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def _sentence(rng: random.Random, words: int, markup: float = 1.0) -> str:
    """Random words; ``markup`` scales how often a code span or bold word appears."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.3 * markup:
        chosen[rng.randrange(len(chosen))] = f"`{rng.choice(WORDS)}Id`"
    if rng.random() < 0.2 * markup:
        chosen[rng.randrange(len(chosen))] = f"**{rng.choice(WORDS)}**"
    return _capital(" ".join(chosen)) + "."


def _section(rng: random.Random, name: str) -> str:
    if name in ("Root Causes", "Early Warning Indicators"):
        items = [f"- {_sentence(rng, rng.randint(6, 12))}" for _ in range(rng.randint(3, 5))]
        return f"## {name}\n\n" + "\n".join(items)
    if name in ("Mitigation Strategy", "Contingency Plan"):
        items = [
            f"{n}. **Week {rng.randint(1, 12)} (#{rng.randint(1, 400)})**: {_sentence(rng, rng.randint(8, 14))}"
            for n in range(1, rng.randint(3, 5) + 1)
        ]
        return f"## {name}\n\n" + "\n".join(items)
    return f"## {name}\n\n" + " ".join(_sentence(rng, rng.randint(10, 18)) for _ in range(rng.randint(2, 4)))


def body(rng: random.Random) -> str:
    """A body of BODY_MIN to BODY_MAX bytes with the reference's sections."""
    target = rng.randint(BODY_MIN, BODY_MAX)
    sections = [_section(rng, name) for name in SECTIONS]
    text = "\n\n".join(sections)
    while len(text.encode()) < target:
        sections[0] += " " + _sentence(rng, rng.randint(10, 18))
        text = "\n\n".join(sections)
    while len(text.encode()) > target:
        cut = text.rfind(" ", 0, target)
        text = text[:cut].rstrip(" .-#*`") + "."
    return text + "\n"


def risk_id(number: int, count: int) -> str:
    return f"RSK-{number:0{max(3, len(str(count)))}d}"


def front_matter(rng: random.Random, number: int, count: int) -> dict[str, Any]:
    subject = rng.choice(SUBJECTS)
    front: dict[str, Any] = {
        "id": risk_id(number, count),
        "title": _capital(rng.choice(FAILURES).format(s=subject)),
        "category": rng.choice(CATEGORIES),
        "probability": rng.choice(LEVELS),
        "impact": rng.choice(LEVELS),
        "owner": rng.choice(TEAMS) if rng.random() < 0.8 else rng.sample(TEAMS, 2),
        "status": rng.choice(STATUSES),
        # Like the reference, front-matter values carry inline markup only now and then.
        "mitigation": f"{_sentence(rng, 8, 0.1)[:-1]} (#{rng.randint(1, 400)}); {_sentence(rng, 6, 0.1)[:-1]}",
        "contingency": f"{_sentence(rng, 7, 0.1)[:-1]}; {_sentence(rng, 5, 0.1)[:-1]}",
    }
    if rng.random() < 0.5:
        front["chart"] = [round(rng.uniform(0.05, 0.95), 2), round(rng.uniform(0.05, 0.95), 2)]
    if rng.random() < 0.9:
        front["reviewed"] = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 58))
    if rng.random() < 0.6:
        front["related"] = [f"#{rng.randint(1, 400)}" for _ in range(rng.randint(1, 3))]
    return front


TREATMENTS = ("Mitigate", "Mitigate", "Mitigate", "Transfer", "Avoid", "Accept")


def treatment(rng: random.Random, front: dict[str, Any]) -> dict[str, Any]:
    """Treatment keys for a risk: a residual level no higher than the current one, a target date after
    the benchmarks' build date (2026-03-01), an acceptance for accepted risks (docs/treatment.md)."""
    chosen = rng.choice(TREATMENTS)
    keys: dict[str, Any] = {"treatment": chosen}
    if chosen == "Accept":
        keys["acceptance"] = {
            "by": rng.choice(TEAMS),
            "date": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 58)),
            "expires": dt.date(2026, 6, 1) + dt.timedelta(days=rng.randint(0, 180)),
            "reason": _sentence(rng, 8, 0.1),
        }
    else:
        keys["residual"] = {
            "probability": LEVELS[rng.randint(0, LEVELS.index(front["probability"]))],
            "impact": LEVELS[rng.randint(0, LEVELS.index(front["impact"]))],
        }
        keys["target_date"] = dt.date(2026, 4, 1) + dt.timedelta(days=rng.randint(0, 270))
    return keys


def risk(number: int, count: int, seed: int = 1, *, treated: bool = False) -> tuple[str, str]:
    """(category, file text) of risk ``number``; ``treated``: with treatment keys too."""
    rng = random.Random(f"{seed}-{number}")
    front = front_matter(rng, number, count)
    if treated:  # from a generator of their own, so the rest of the risk is the same as without
        front.update(treatment(random.Random(f"{seed}-{number}-treatment"), front))
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + body(rng)
    return front["category"], text


def write_register(risks_dir: Path, count: int, seed: int = 1, *, treated: bool = False) -> list[Path]:
    """Write ``count`` risk files below ``risks_dir``, one subfolder per category as a large team might."""
    paths = []
    for number in range(1, count + 1):
        category, text = risk(number, count, seed, treated=treated)
        path = risks_dir / category.lower() / f"{risk_id(number, count)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("risks_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--treated", action="store_true", help="give every risk a treatment and residual level")
    args = parser.parse_args()
    paths = write_register(args.risks_dir, args.count, args.seed, treated=args.treated)
    print(f"wrote {len(paths)} risk files below {args.risks_dir}")


if __name__ == "__main__":
    main()

"""Risks proposed through a GitHub issue form (docs/recipes/propose-by-issue.md).

Two pure functions:

- :func:`issue_form` writes the form from the register's settings (levels, categories,
  declared fields), so that the form never drifts from the scales;
- :func:`read_issue` reads an issue body as GitHub writes it from that form
  (``### Label`` then the answer, ``_No response_`` for an empty one) into the values of
  a new risk file, or the reasons to refuse it.

The issue's text is untrusted: it is only ever data. Sections are found by the form's
own labels (a heading that is not one, inside an answer, stays part of the answer; a
label twice is refused), each value is checked by the rule of its key, and the file is
written by PyYAML's safe dumper (``scaffold.risk_text``), so a value cannot reach beyond
itself into other keys or the body. Raw HTML in the description is written as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .fields import Field, read_value
from .model import Model, Scale

NO_RESPONSE = "_No response_"
MAX_BODY = 65_536  # characters: a risk proposal, not a document
FORM_LABEL = "risk-proposal"

# The form's own questions: id in the form, label, key of the risk file.
TITLE = ("title", "Title")
CATEGORY = ("category", "Category")
PROBABILITY = ("probability", "Probability")
IMPACT = ("impact", "Impact")
OWNER = ("owner", "Owner")
MITIGATION = ("mitigation", "Mitigation")
CONTINGENCY = ("contingency", "Contingency")
DESCRIPTION = ("description", "Description")
BUILT_IN = (TITLE, CATEGORY, PROBABILITY, IMPACT, OWNER, MITIGATION, CONTINGENCY, DESCRIPTION)


class FormError(Exception):
    """The register's settings cannot make a form (two questions with one label)."""


def _labels(model: Model) -> list[str]:
    labels = [label for _, label in BUILT_IN] + [f.label for f in model.fields]
    seen: set[str] = set()
    for label in labels:
        if label.casefold() in seen:
            raise FormError(
                f"two questions of the issue form would be labelled '{label}': give the declared field another label"
            )
        seen.add(label.casefold())
    return labels


def _levels(scale: Scale) -> str:
    return "; ".join(
        f"**{level.name}**: {level.description}" if level.description else level.name for level in scale.levels
    )


def _field_question(declared: Field) -> dict[str, Any]:
    hint = {
        "text": "Text (Markdown allowed).",
        "date": "A date, YYYY-MM-DD.",
        "number": "A number.",
        "list": "One item a line.",
        "link": "A URL, or the path of a page of the site.",
    }[declared.type]
    attributes: dict[str, Any] = {"label": declared.label, "description": hint}
    if declared.type == "date":
        attributes["placeholder"] = "YYYY-MM-DD"
    return {
        "type": "textarea" if declared.type == "list" else "input",
        "id": f"field-{declared.name}",
        "attributes": attributes,
        "validations": {"required": declared.required},
    }


def issue_form(model: Model) -> dict[str, Any]:
    """The issue form (GitHub's issue-form schema) for proposing a risk to this register."""
    _labels(model)

    def question(kind: str, ident: tuple[str, str], description: str, *, required: bool, **more: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "id": ident[0],
            "attributes": {"label": ident[1], "description": description, **more},
            "validations": {"required": required},
        }

    category: dict[str, Any]
    if model.categories:
        category = question("dropdown", CATEGORY, "The kind of risk.", required=True, options=list(model.categories))
    else:
        category = question("input", CATEGORY, "The kind of risk, such as Security or Technical.", required=True)
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": "Propose a risk for the register. A pull request adding its file is opened for review; "
                "the register's owners decide its scores and status there."
            },
        },
        question("input", TITLE, "One line that names the risk.", required=True),
        category,
        question(
            "dropdown",
            PROBABILITY,
            "How likely it is: " + _levels(model.probability),
            required=True,
            options=model.probability.names,
        ),
        question(
            "dropdown",
            IMPACT,
            "How bad it would be: " + _levels(model.impact),
            required=True,
            options=model.impact.names,
        ),
        question("input", OWNER, "Who owns the risk (a team or a person).", required=True),
        question("textarea", DESCRIPTION, "What could happen, and why.", required=False),
        question("input", MITIGATION, "What is done, or planned, to make it less likely or less bad.", required=False),
        question("input", CONTINGENCY, "What to do if it happens.", required=False),
        *(_field_question(declared) for declared in model.fields),
    ]
    return {
        "name": "Propose a risk",
        "description": "Add a risk to the risk register (a pull request is opened for review).",
        "title": "Risk: ",
        "labels": [FORM_LABEL],
        "body": body,
    }


def issue_form_yaml(model: Model) -> str:
    """The form as YAML for ``.github/ISSUE_TEMPLATE/propose-risk.yml``."""
    header = "# Written by `risk-register issue-form` from mkdocs.yml: run it again after changing the scales.\n"
    return header + yaml.safe_dump(issue_form(model), sort_keys=False, allow_unicode=True, width=10**6)


# --- reading an issue -------------------------------------------------------------------------


@dataclass
class Proposal:
    """A new risk file's values read from an issue, or the problems that refuse it."""

    fields: dict[str, str] = field(default_factory=dict)
    """title, category, probability, impact, owner (as ``new`` takes them)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """mitigation, contingency, declared fields."""
    description: str = ""
    problems: list[str] = field(default_factory=list)


_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$")


def _sections(body: str, labels: list[str], problems: list[str]) -> dict[str, str]:
    """Answers by label (casefolded): the text between one of the form's ``### Label`` lines and the next."""
    known = {label.casefold() for label in labels}
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match and match.group(1).casefold() in known:
            label = match.group(1).casefold()
            if label in answers:
                problems.append(f"the section '{match.group(1)}' appears twice; edit the issue so that it is once")
            current = answers.setdefault(label, [])
            current.clear()
            continue
        if current is not None:
            current.append(line)
    return {label: _answer("\n".join(lines)) for label, lines in answers.items()}


def _answer(text: str) -> str:
    text = text.strip()
    return "" if text == NO_RESPONSE else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _level(scale: Scale, value: str, problems: list[str]) -> str:
    level = scale.find(value)
    if level is None:
        problems.append(f"{scale.name} must be one of {', '.join(scale.names)}")
        return value
    return level.name


def read_issue(body: str, model: Model) -> Proposal:
    """The proposal in an issue body written from :func:`issue_form`'s form."""
    proposal = Proposal()
    problems = proposal.problems
    if len(body) > MAX_BODY:
        problems.append(f"the issue is longer than {MAX_BODY} characters")
        return proposal
    # Control characters other than tab and line breaks have no place in a risk file.
    body = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", body.replace("\r\n", "\n").replace("\r", "\n"))
    answers = _sections(body, _labels(model), problems)

    def answer(label: str) -> str:
        return answers.get(label.casefold(), "")

    for key, label in (TITLE, CATEGORY, PROBABILITY, IMPACT, OWNER):
        value = _one_line(answer(label))
        if not value:
            problems.append(f"'{label}' is required")
            continue
        if key in ("probability", "impact"):
            value = _level(model.probability if key == "probability" else model.impact, value, problems)
        proposal.fields[key] = value
    for key, label in (MITIGATION, CONTINGENCY):
        value = _one_line(answer(label))
        if value:
            proposal.extra[key] = value
    # The description is the page's Markdown: raw HTML is written as text, never passed through,
    # and a link that would run a script is refused (Python-Markdown does not filter link schemes).
    description = answer(DESCRIPTION[1])
    if _SCRIPT_LINK.search("".join(description.split())):
        problems.append("the description holds a javascript:, vbscript: or data: link")
    proposal.description = description.replace("<", "&lt;")
    for declared in model.fields:
        text = answer(declared.label)
        if not text:
            if declared.required:
                problems.append(f"'{declared.label}' is required")
            continue
        value = _field_value(declared, text)
        if value is None:
            problems.append(f"'{declared.label}' is not {_EXPECTED[declared.type]}")
            continue
        proposal.extra[declared.name] = value
    return proposal


_EXPECTED = {
    "text": "text",
    "date": "a date YYYY-MM-DD",
    "number": "a number",
    "list": "a list",
    "link": "a URL (http, https, mailto) or a path to a page",
}
_SCRIPT_LINK = re.compile(r"(?i)(javascript|vbscript|data):")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_BULLET = re.compile(r"^\s*(?:[-*+]\s+)?")


def _field_value(declared: Field, text: str) -> Any:
    """A declared field's answer as the value to write, checked by the field's own rule; None if bad."""
    value: Any
    if declared.type == "list":
        items = [_BULLET.sub("", line, count=1).strip() for line in text.split("\n")]
        value = [item for item in items if item]
    elif declared.type == "number":
        plain = text.strip().replace(",", "").replace("_", "")
        if not _NUMBER.fullmatch(plain):
            return None
        try:
            value = float(plain) if any(ch in plain for ch in ".eE") else int(plain)
        except ValueError:  # an int of more digits than Python converts
            return None
    else:
        value = _one_line(text)
    # The same rule the build applies to the file's value (a list item's text, a date, a link).
    checked = read_value(declared, value, None)
    return None if checked is None else value

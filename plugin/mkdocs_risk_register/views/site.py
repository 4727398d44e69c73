"""Where the generated pages live, and how they link to one another."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# File systems refuse names over 255 bytes: a longer id (id_pattern may allow one) is cut short.
_MAX_NAME = 80


@lru_cache(maxsize=65536)  # every view links to every risk: thousands of ids, many times
def page_name(risk_id: str) -> str:
    """The file name (without .md) of a risk's page: the id itself when it is a safe name."""
    if (
        len(risk_id) <= _MAX_NAME
        and _SAFE_NAME.fullmatch(risk_id)
        and risk_id.lower() not in ("index", "top", "monitoring", "risks")
    ):
        return risk_id
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", risk_id)[:_MAX_NAME].strip("-.") or "risk"
    return f"{safe}-{hashlib.sha1(risk_id.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class SiteLayout:
    """Paths of the generated pages below ``prefix``, and relative links between them."""

    prefix: str = "risk-register"
    use_directory_urls: bool = True

    def src(self, name: str) -> str:
        """Source path in the site of a generated page or file (``name`` like ``index.md``)."""
        return f"{self.prefix}/{name}" if self.prefix else name

    def risk_src(self, risk_id: str) -> str:
        return self.src(f"{page_name(risk_id)}.md")

    def _url(self, name: str) -> str:
        """URL of a page named ``name`` (no extension) relative to the prefix folder."""
        if name == "index":
            return "./" if self.use_directory_urls else "index.html"
        if not _SAFE_NAME.fullmatch(name):  # page names are nearly always safe: quote only the others
            name = quote(name)
        return f"{name}/" if self.use_directory_urls else f"{name}.html"

    def href(self, from_page: str, to_page: str) -> str:
        """Relative link between two pages of the prefix folder, named without extension."""
        target = self._url(to_page)
        if self.use_directory_urls and from_page != "index":
            return "../" if target == "./" else f"../{target}"
        return target

    def risk_href(self, from_page: str, risk_id: str) -> str:
        return self.href(from_page, page_name(risk_id))

    def file_href(self, from_page: str, filename: str) -> str:
        """Link to a non-page file (risks.json) in the prefix folder."""
        up = "../" if self.use_directory_urls and from_page != "index" else ""
        return up + quote(filename)

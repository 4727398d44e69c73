"""Placing the generated pages in a navigation that MkDocs built from the files."""

from __future__ import annotations

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .words import Words, english


def _find_section(items: list, pages: set[str]) -> Section | None:  # type: ignore[type-arg]
    for item in items:
        if isinstance(item, Section):
            if any(isinstance(child, Page) and child.file.src_uri in pages for child in item.children):
                return item
            found = _find_section(item.children, pages)
            if found is not None:
                return found
    return None


def _pages_in_order(items: list) -> list[Page]:  # type: ignore[type-arg]
    pages: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_pages_in_order(item.children))
    return pages


def _relink(nav: Navigation) -> None:
    """Previous/next links and ``nav.pages`` in the order the navigation now shows."""
    pages = _pages_in_order(nav.items)
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None
    nav.pages = pages


def arrange(nav: Navigation, main_pages: list[str], risk_pages: list[str], words: Words | None = None) -> None:
    """Title the generated section (``nav.section``: "Risk Register") and order it: register, top, monitoring,
    risks (``nav.risks``).

    Risk pages left out of the nav (a large register) never reach the section at all.
    The previous/next links follow the new order.
    """
    words = words or english()
    generated = set(main_pages) | set(risk_pages)
    section = _find_section(nav.items, generated)
    if section is None:
        return
    section.title = words("nav.section")
    by_src = {child.file.src_uri: child for child in section.children if isinstance(child, Page)}
    others = [child for child in section.children if not (isinstance(child, Page) and child.file.src_uri in generated)]
    children: list[Page | Section] = [by_src[src] for src in main_pages if src in by_src]
    risks = [by_src[src] for src in risk_pages if src in by_src]
    if risks:
        subsection = Section(words("nav.risks"), list(risks))
        subsection.parent = section
        for page in risks:
            page.parent = subsection
        children.append(subsection)
    section.children = children + others
    _relink(nav)

"""Large generated HTML blocks held back from MkDocs' HTML parsers.

The register table, the review calendar and the risk matrix are raw HTML that
Markdown passes through unchanged. MkDocs still parses every raw HTML block
twice with a pure-Python HTML parser (once for anchors, once for Markdown's
raw HTML stash), and the search plugin parses the page a third time: for a
register of 1,000 risks that is most of a rebuild under ``mkdocs serve``. So
the plugin hands MkDocs a small placeholder for each such block and puts the
block into the page's HTML after the search plugin has indexed it (a late
``on_page_context``), before the theme writes the page. The output is the same
page; what changes is that the blocks' text is not in the search index (each
risk is found on its own page) and that MkDocs learns the blocks' ``id``
attributes from the plugin rather than from its parser.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

MIN_SIZE = 2000
"""Smaller blocks cost MkDocs little; they stay in the Markdown."""
PLACEHOLDER = '<div data-risk-register-block="{}"></div>'
_CLOSERS = ("</table>", "</figure>", "</details>")
# What the views write into a rendered page, by how it opens: the register's tables and the risk matrix.
_RENDERED = {
    "<table data-risk-register-table": "</table>",
    "<table data-risk-register-schedule": "</table>",
    '<figure class="risk-matrix-figure"': "</figure>",
}
# The generated HTML writes every attribute after one space: a literal start keeps the search fast.
_ID = re.compile(r' id="([^"]*)"')


@dataclass
class Deferred:
    markdown: str
    """The page with a placeholder for each block held back."""
    blocks: list[str] = field(default_factory=list)
    anchors: bool = True
    """Whether the blocks hold ids worth telling MkDocs about (a risk page's chart holds none)."""

    def anchor_ids(self) -> set[str]:
        """The ``id`` attributes inside the held-back blocks, as MkDocs' own parser would find them."""
        return {html.unescape(found) for block in self.blocks for found in _ID.findall(block)}

    def hold_html(self, html: str) -> str:
        """``html`` (a rendered page) with each large view table or chart cut out for a placeholder.

        The views build tables in the page's element tree (so MkDocs sees their links); this keeps
        what the search plugin parses after that as small as before.
        """
        parts, position = [], 0
        while True:
            found = [(html.find(opener, position), opener) for opener in _RENDERED]
            found = [(start, opener) for start, opener in found if start >= 0]
            if not found:
                break
            start, opener = min(found)
            closer = _RENDERED[opener]
            end = html.find(closer, start)
            if end < 0:
                break
            end += len(closer)
            if end - start < MIN_SIZE:
                parts.append(html[position:end])
            else:
                parts += [html[position:start], PLACEHOLDER.format(len(self.blocks))]
                self.blocks.append(html[start:end])
            position = end
        parts.append(html[position:])
        return "".join(parts)

    def hold_markdown(
        self,
        markdown: str,
        openers: tuple[str, ...] = ("<table", "<figure", "<details"),
        min_size: int = MIN_SIZE,
        *,
        together: bool = False,
    ) -> str:
        """``markdown`` with its large generated blocks held back here, numbered after those held already.

        A block is a section between blank lines that starts with one of ``openers``
        and ends with a closing table, figure or details tag. The generated pages
        keep their HTML free of blank lines, so Markdown would pass such a section
        through as raw HTML, unchanged. ``together`` holds blocks that follow one
        another as one, with the blank line Markdown puts between them: each
        placeholder is a raw HTML block that MkDocs parses.
        """
        sections = markdown.split("\n\n")
        held = False
        follows = False  # the section before was held and ends where its block does
        kept: list[str] = []
        for section in sections:
            block = section.rstrip("\n")  # the page's last section keeps the final line break
            if len(block) >= min_size and block.startswith(openers) and block.endswith(_CLOSERS):
                if together and follows:
                    self.blocks[-1] += "\n\n" + block
                    kept[-1] += section[len(block) :]
                else:
                    kept.append(PLACEHOLDER.format(len(self.blocks)) + section[len(block) :])
                    self.blocks.append(block)
                held = True
                follows = len(block) == len(section)
            else:
                kept.append(section)
                follows = False
        return "\n\n".join(kept) if held else markdown

    def fill(self, page: str) -> tuple[str, int]:
        """The page (its HTML) with every block in place, and how many placeholders were not found."""
        missing = 0
        for number, block in enumerate(self.blocks):
            marker = PLACEHOLDER.format(number)
            # One scan and one copy of a page of tens of KB, thousands of pages a build.
            start = page.find(marker)
            if start < 0:
                missing += 1
            else:
                page = f"{page[:start]}{block}{page[start + len(marker) :]}"
        return page, missing


def defer(markdown: str) -> Deferred:
    """Hold back every large block of ``markdown`` that is a generated HTML table, figure or details."""
    deferred = Deferred(markdown)
    deferred.markdown = deferred.hold_markdown(markdown)
    return deferred

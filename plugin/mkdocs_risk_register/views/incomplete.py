"""The note that every generated page and chart carries while files are left out of the register.

A file with an error is not a risk: the top page, the chart and the calendar are computed
without it. The register page lists why; every other view says that it is incomplete and
links there, so that a typo cannot quietly take the top risk off a page.
"""

from __future__ import annotations

from ..register import Register
from ..words import Words
from .site import SiteLayout
from .text import escape, html_words

PROBLEMS_ID = "risk-register-problems"
"""The id of the register page's list of problems."""


def incomplete_sentence(register: Register, layout: SiteLayout, from_page: str, words: Words) -> str:
    """One sentence of HTML saying how many files were left out, with a link to the problems; ""
    when none was. ``from_page`` is the page it appears on, named as in :meth:`SiteLayout.href`."""
    count = len(register.left_out)
    if not count:
        return ""
    page = "" if from_page == "index" else layout.href(from_page, "index")
    link = f'<a href="{escape(page)}#{PROBLEMS_ID}">{escape(words("note.incomplete_link"))}</a>'
    return html_words(words, "note.incomplete", count, link=link)


def incomplete_note(register: Register, layout: SiteLayout, from_page: str, words: Words) -> str:
    """The sentence as a warning block at the top of a page; "" when no file was left out."""
    sentence = incomplete_sentence(register, layout, from_page, words)
    if not sentence:
        return ""
    return f'<div class="admonition warning" data-risk-register-incomplete>\n<p>{sentence}</p>\n</div>'

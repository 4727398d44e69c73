"""The Python-Markdown extension ``risk_register``: the register's views in any page.

In a page::

    /// risk-table
        filter: {category: Security, status: [Open, Triggered]}
        columns: [ID, Risk, Score, Owner, Status]
        sort: -Score
        limit: 10
    ///

    The gateway is covered by <risk:RSK-001> until the audit.

Blocks (``pymdownx.blocks``): ``risk-table``, ``risk-matrix``, ``risk-top``,
``risk-schedule`` and ``risk-card | ID``; ``<risk:ID>`` in running text is a
reference to one risk (its id and title, linked to its page, with its band).
Each view is rendered by :func:`mkdocs_risk_register.views.blocks.render_view`,
the same code that builds the plugin's own pages.

Hosts:

- Under MkDocs or ProperDocs the plugin adds this extension by itself, with its
  own settings, and hands it the register it loaded once for the build
  (:class:`Host`).
- Listed under ``markdown_extensions`` (Zensical, or any Python-Markdown site),
  its options are the plugin's settings; ``risks_dir`` is relative to the
  current folder. It loads the register once per process and again only when a
  risk file changed (checked at most once a second, by size and modification
  time).

Bad input in a view (an unknown option, filter key, column or name, a card for
an unknown id, options that are not YAML) gives one ``bad-view`` diagnostic
line with the page's path and line, logged at ERROR (``--strict`` fails), and a
visible note in place of the view. A risk field never reaches the page as
HTML: it is inline Markdown turned into elements, with raw HTML as text.
"""

from __future__ import annotations

import html
import os
import re
import textwrap
import time
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString
from mkdocs.plugins import get_plugin_logger
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from .config import RiskRegisterConfig, issue_url_pattern, model_settings
from .defaults import MAX_FILE_SIZE
from .diagnostics import ConfigError, Diagnostic, brief
from .loader import discover
from .model import model_from_settings
from .naming import suggestion
from .register import Register, load_register
from .views.blocks import (
    BODY_TAG,
    RAW_TAG,
    VIEW_KINDS,
    PageContext,
    RiskChart,
    render_view,
)
from .views.inline import append_inline, append_text
from .views.isolate import self_contained
from .views.options import ViewError, parse_options
from .views.site import SiteLayout
from .views.site_files import ChartFormat, GeneratedSite, RenderOptions, generate_site
from .views.text import flat
from .words import LabelsError, Words, check_labels, english, needs_isolation, select_words

log = get_plugin_logger("risk-register")

RULE = "bad-view"
# pymdownx.blocks' opening line (its RE_START), to find a view's line in the page.
_OPENER = re.compile(r"[ ]{0,3}(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
REFERENCE = r"<risk:([^<>\s]+)>"


@dataclass
class Site:
    """What views need besides a page: the register and how the site lays out its pages."""

    register: Register
    layout: SiteLayout
    issue_url: str | None = None
    chart_format: str = "both"
    risk_chart: RiskChart | None = None
    words: Words = field(default_factory=english)

    def risk_at(self, src_uri: str) -> str | None:
        """The id of the risk whose page is ``src_uri``, if it is one."""
        pages = self.__dict__.get("_pages")
        if pages is None:
            pages = {self.layout.risk_src(risk.id): risk.id for risk in self.register.risks}
            self.__dict__["_pages"] = pages
        return pages.get(src_uri)

    @classmethod
    def of(cls, generated: GeneratedSite) -> Site:
        """The views' side of the plugin's generated site: one register, one shared chart layout."""
        options = generated.options
        return cls(
            generated.register,
            generated.layout,
            options.issue_url,
            options.chart_format,
            generated.risk_chart,
            options.words,
        )


@dataclass(frozen=True)
class PageRef:
    """The page being converted, as the host knows it."""

    src_uri: str
    """Its path below docs_dir (where its links start from)."""
    path: str
    """Its path for diagnostics (from the folder of mkdocs.yml)."""
    line_offset: int = 0
    """Lines before the Markdown that Python-Markdown sees (the front matter the host took off)."""


@dataclass
class Host:
    """The plugin's side of the hand-off: the register it loaded, and the page being rendered."""

    site: Callable[[], Site | None]
    page: Callable[[], PageRef | None]
    report: Callable[[Diagnostic], None]


# --- the register when no plugin hands it over ------------------------------------------------------


@dataclass
class _Loaded:
    site: Site
    signature: tuple[tuple[str, int, int], ...]
    checked: float


_LOADED: dict[str, _Loaded] = {}
_RECHECK_SECONDS = 1.0


def _signature(risks_dir: Path, base_dir: Path) -> tuple[tuple[str, int, int], ...]:
    sources, _ = discover(risks_dir, base_dir)
    found = []
    for source in sources:
        try:
            stat = os.stat(source.abs_path)
        except OSError:
            continue
        found.append((source.abs_path, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def standalone_site(settings: Mapping[str, Any]) -> Site:
    """The register of ``settings`` (the plugin's), loaded once per process and again when a file changed."""
    base_dir = Path.cwd()
    risks_dir = (base_dir / str(settings.get("risks_dir", "risks"))).resolve()
    key = repr(sorted((k, repr(v)) for k, v in settings.items()))
    loaded = _LOADED.get(key)
    now = time.monotonic()
    if loaded is not None and now - loaded.checked < _RECHECK_SECONDS:
        return loaded.site
    if not risks_dir.is_dir():
        raise ConfigError(
            "risks_dir", f"folder '{settings.get('risks_dir', 'risks')}' does not exist (looked for {risks_dir})"
        )
    signature = _signature(risks_dir, base_dir)
    if loaded is not None and loaded.signature == signature:
        loaded.checked = now
        return loaded.site
    model = model_from_settings(model_settings(dict(settings)))
    register = load_register(
        risks_dir, model, base_dir=base_dir, max_file_size=int(settings.get("max_file_size", MAX_FILE_SIZE))
    )
    for problem in register.problems:
        (log.error if problem.severity == "error" else log.warning)(problem.format())
    layout = SiteLayout(
        str(settings.get("prefix", "risk-register")).strip("/"), bool(settings.get("use_directory_urls", True))
    )
    chart_format = cast(ChartFormat, settings.get("chart_format", "both"))
    options = RenderOptions(
        issue_url_pattern(settings.get("issue_url"), settings.get("repo_url")),
        chart_format,
        words=_words(settings),
    )
    site = Site.of(generate_site(register, layout, options))  # the charts' shared layout, among others
    _LOADED[key] = _Loaded(site, signature, now)
    return site


def _words(settings: Mapping[str, Any]) -> Words:
    """The words of the extension's ``language`` (English by default) with its ``labels``; said once a load."""
    language = settings.get("language")
    if language is not None and not isinstance(language, str):
        raise ConfigError("language", f"expected a language such as 'de', got {brief(language)}")
    try:
        labels, unknown = check_labels(settings.get("labels"))
    except LabelsError as error:
        raise ConfigError("labels", str(error)) from None
    for message in unknown:
        log.warning(f"risk-register: labels: {message}")
    selection = select_words(language, labels)
    if selection.note:
        log.info(selection.note)
    return selection.words


# --- per page state -----------------------------------------------------------------------------------


@dataclass
class _Page:
    """One conversion's state: the source lines (for line numbers) and the views met so far."""

    extension: RiskRegisterExtension
    md: Markdown
    lines: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    def site(self) -> Site:
        return self.extension.site()

    def words(self) -> Words:
        """The site's words; English when the register cannot be loaded (its problem is reported)."""
        try:
            return self.site().words
        except ConfigError:
            return english()

    def where(self) -> PageRef | None:
        """The page being converted: from the plugin, or from the host's own page context (Zensical's)."""
        found = self.extension.page()
        if found is not None:
            return found
        try:
            context = self.md.preprocessors["rendering_context"]
        except KeyError:  # a Registry: no .get()
            context = None
        path = getattr(getattr(context, "page", None), "path", None)
        return PageRef(path, path) if isinstance(path, str) and path.endswith(".md") else None

    def context(self) -> PageContext:
        site = self.site()
        where = self.where()
        return PageContext(
            where.src_uri if where else site.layout.src("index.md"), site.layout, site.issue_url, site.words
        )

    def line_of(self, kind: str) -> int:
        """The line of the n-th ``kind`` block of the page (fenced code aside), 1 for the page when unknown."""
        self.seen[kind] = self.seen.get(kind, 0) + 1
        wanted, count, fence = self.seen[kind], 0, None
        for number, line in enumerate(self.lines, start=1):
            found = _FENCE.match(line)
            if found and (fence is None or found.group(1).startswith(fence)):
                fence = None if fence else found.group(1)[0] * 3
                continue
            opener = None if fence else _OPENER.match(line)
            if opener and opener.group(2).lower() == kind:
                count += 1
                if count == wanted:
                    return number + self._offset()
        return 1

    def _offset(self) -> int:
        where = self.where()
        return where.line_offset if where else 0

    def line_of_text(self, text: str) -> int:
        for number, line in enumerate(self.lines, start=1):
            if text in line:
                return number + self._offset()
        return 1

    def problem(self, line: int, message: str) -> None:
        where = self.where()
        path = where.path if where else "<page>"
        self.extension.report(Diagnostic(path, line, "error", message, RULE))


def _note(message: str, page: _Page) -> etree.Element:
    """In place of a view that cannot be shown: its title in the site's language, the diagnostic as logged."""
    note = etree.Element(
        "div", {"class": "admonition failure risk-register-bad-view", "data-risk-register-bad-view": ""}
    )
    title = etree.SubElement(note, "p", {"class": "admonition-title"})
    title.text = AtomicString(page.words()("view.error"))
    text = etree.SubElement(note, "p")
    text.text = AtomicString(f"{message} [{RULE}]")
    return note


# --- blocks -------------------------------------------------------------------------------------------


class _ViewBlock(Block):
    """One view; options are checked by this package (pymdownx would drop a block with unknown ones)."""

    NAME = ""
    ARGUMENT = None

    def on_init(self) -> None:
        self.page: _Page = self.config["page"]  # the page it is on: registered with each Markdown's blocks

    def _validate(self, parent: etree.Element, arg: Any, **options: Any) -> bool:
        self.argument = arg
        self.raw_options = dict(options)
        self.options: dict[str, Any] = {"attrs": {}}
        return True

    def on_markdown(self) -> str:
        return "raw"  # what is written inside a view is not Markdown of the page

    def on_create(self, parent: etree.Element) -> etree.Element:
        self.line = self.page.line_of(self.NAME)
        return etree.SubElement(parent, "div", {"class": f"risk-register-view {self.NAME}"})

    def on_end(self, block: etree.Element) -> None:
        content = (block.text or "").strip()
        block.text = None
        page = self.page
        try:
            site = page.site()
            if content:
                raise ViewError(f"{self.NAME} takes options on indented lines, not content: {brief(content)}")
            context = page.context()
            options = parse_options(
                self.NAME, self.argument, self.raw_options, site.register, own_risk=site.risk_at(context.src_uri)
            )
            attrs = self.raw_options.get("attrs")
            if isinstance(attrs, Mapping):
                for key, value in attrs.items():
                    block.set(str(key), " ".join(value) if isinstance(value, list) else str(value))
            view = render_view(
                self.NAME,
                site.register,
                options,
                context,
                chart_format=site.chart_format,
                risk_chart=site.risk_chart,
            )
            block.append(view)
        except ViewError as error:
            page.problem(self.line, str(error))
            block.append(_note(str(error), page))
        except ConfigError as error:
            page.problem(self.line, error.format())
            block.append(_note(error.format(), page))
        _store_raw(block, page.md)
        _store_plain(block, page.md)


# One class per view, made once: making classes (ABCs) for every page costs more than the small views.
_VIEW_BLOCKS = tuple(
    type(f"_{kind.replace('-', '_').title()}Block", (_ViewBlock,), {"NAME": kind}) for kind in VIEW_KINDS
)


def _store_raw(block: etree.Element, md: Markdown) -> None:
    """Ready HTML (a chart) goes into Python-Markdown's raw HTML stash, as a raw HTML block would."""
    for parent in list(block.iter()):
        if parent.find(RAW_TAG) is None:  # a search in C: most elements hold no ready HTML
            continue
        for index, child in enumerate(list(parent)):
            if child.tag == RAW_TAG:
                placeholder = etree.Element("p")
                # As Python-Markdown's own first step does for a page: its placeholders' markers go.
                html = (child.text or "").replace(STX, "").replace(ETX, "")
                placeholder.text = md.htmlStash.store(html)
                placeholder.tail = child.tail
                parent[index] = placeholder


# What the page's own tree passes must see: links and images (MkDocs rewrites and checks them),
# headings (the table of contents), ids (anchors MkDocs checks links against) and what a view hands
# over for later (ready HTML, bodies).
_TREE_TAGS = frozenset({"a", "img", "h1", "h2", "h3", "h4", "h5", "h6", RAW_TAG, BODY_TAG})
_SMALLEST_STORED = 4  # elements: below this a stash entry costs about what it saves


def _store_plain(block: etree.Element, md: Markdown) -> None:
    """A view's parts that no tree pass of the page changes go into the raw HTML stash, serialized.

    Such a part holds only the view's own elements with plain text (a table row of values,
    a chart's text list without links). Every tree pass of the page (inline patterns,
    attribute lists, the table of contents, prettifying) would walk each of its elements
    for nothing; on a large register that is most of a view's cost. Prettified and
    serialized here, it reaches the page's HTML exactly as the passes would have left it.
    """
    try:
        prettify: Any = md.treeprocessors["prettify"]
    except KeyError:  # a Registry: no .get()
        prettify = None

    def plain_size(element: etree.Element, *, root: bool = False) -> int:
        """How many elements ``element`` holds, itself included, if all are plain; else 0, its plain parts stored."""
        sizes = [plain_size(child) for child in element]
        if not root and element.tag not in _TREE_TAGS and "id" not in element.attrib and all(sizes):
            return 1 + sum(sizes)
        for index, (child, size) in enumerate(zip(list(element), sizes, strict=True)):
            # Only a block: Python-Markdown would wrap stored inline HTML in a paragraph.
            if size >= _SMALLEST_STORED and md.is_block_level(child.tag):
                element[index] = _stashed(child, md, prettify)
        return 0

    plain_size(block, root=True)
    keep_text_literal(block, md)


def _stashed(element: etree.Element, md: Markdown, prettify: Any) -> etree.Element:
    tail = element.tail
    if prettify is not None:
        prettify._prettifyETree(element)  # the newlines the page's own pass would add
    element.tail = None  # it stays in the page, after the placeholder
    placeholder = etree.Element("p")
    placeholder.text = md.htmlStash.store(md.serializer(element))
    placeholder.tail = tail
    return placeholder


def keep_text_literal(fragment: etree.Element, md: Markdown) -> None:
    """Text in ``fragment`` that the page's ``attr_list`` would read as attributes goes in as ready HTML.

    A risk's owner ``QA {: onclick=alert(1) }`` in a table cell would otherwise become
    ``<td onclick="alert(1)">QA</td>``: the extension reads ``{...}`` at the end of a cell's
    or heading's text, or at the start of the text after an inline element.
    """
    for element in fragment.iter():
        if element.tag in (RAW_TAG, BODY_TAG):
            continue
        if element is not fragment and element.tail and "{" in element.tail:
            element.tail = md.htmlStash.store(html.escape(element.tail, quote=False))
        if element.text and "{" in element.text:
            element.text = AtomicString(md.htmlStash.store(html.escape(element.text, quote=False)))


class _Unparsed(BlockProcessor):
    """A view pymdownx.blocks refused (its options are not YAML): a note and a diagnostic, not lost text."""

    def __init__(self, parser: Any, page: _Page) -> None:
        super().__init__(parser)
        self.page = page

    def test(self, parent: etree.Element, block: str) -> bool:
        opener = _OPENER.match(block.split("\n", 1)[0])
        return bool(opener and opener.group(2).lower() in VIEW_KINDS)

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        lines = blocks.pop(0).split("\n")
        opener = _OPENER.match(lines[0])
        assert opener is not None
        kind, marker = opener.group(2).lower(), opener.group(1)
        try:
            yaml.safe_load(textwrap.dedent("\n".join(line for line in lines[1:] if line.strip() != marker)))
            reason = "its opening line could not be read"
        except yaml.YAMLError as error:
            reason = "its options are not valid YAML: " + _yaml_problem(error)
        message = f"{kind}: {reason}"
        self.page.problem(self.page.line_of(kind), message)
        parent.append(_note(message, self.page))
        # The rest of the view, up to its closing line, goes with it.
        closed = any(line.strip() == marker for line in lines[1:])
        while not closed and blocks:
            closed = any(line.strip() == marker for line in blocks.pop(0).split("\n"))
        return True


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's complaint in one short phrase, with where in the options it is."""
    problem = getattr(error, "problem", None)
    mark = getattr(error, "problem_mark", None)
    if not problem:
        return " ".join(str(error).split())
    where = f" (options line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"


# --- bodies, after the blocks ---------------------------------------------------------------------------


class _Bodies(Treeprocessor):
    """A risk's body, parsed by this page's own Markdown, its headings shifted under the view's heading.

    Headings are found as Python-Markdown reads them (in the element tree), and all of
    them move by the same number of levels, as mkdocstrings shifts a docstring's.
    """

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        markers = [(parent, child) for parent in root.iter() for child in parent if child.tag == BODY_TAG]
        if markers:
            parents = {child: parent for parent in root.iter() for child in parent}
            for parent, marker in markers:
                self._expand(parent, marker, parents)

    def _expand(
        self, parent: etree.Element, marker: etree.Element, parents: Mapping[etree.Element, etree.Element]
    ) -> None:
        """The body in place of ``marker``; a card's body right after the card's view, beside it.

        A body nested in the view's elements reads the same, but the search plugin's parser pays for
        every level around every tag and word (a third more for two levels).
        """
        md = self.md
        body = marker.text or ""
        # Several bodies on one page (the top risks): none may leave open what swallows the next.
        lines = (self_contained(body) if marker.get("data-among-others") is not None else body).split("\n")
        for preprocessor in md.preprocessors:
            if isinstance(preprocessor, _Lines):
                continue  # it keeps the page's lines (diagnostics count them), not a body's
            # MkDocs' own raw HTML preprocessor records the page's anchors: keep the page's, add the body's.
            anchors = getattr(preprocessor, "present_anchor_ids", None)
            lines = preprocessor.run(lines)
            if isinstance(anchors, set):
                preprocessor.present_anchor_ids = anchors | preprocessor.present_anchor_ids
        holder = etree.Element("div")
        md.parser.parseChunk(holder, "\n".join(lines))
        shift_headings(holder, int(marker.get("data-level", "2")))
        relocate = self.page.context().relocate
        if relocate is not None:
            for element in holder.iter():
                for key in ("href", "src"):
                    value = element.get(key)
                    if value is not None and element.tag in ("a", "img"):
                        element.set(key, relocate(value))
        position = list(parent).index(marker)
        parent.remove(marker)
        if marker.get("data-among-others") is None:  # a card's body, the last of its view
            view = parent
            while view in parents and "risk-register-view" not in (view.get("class") or ""):
                view = parents[view]
            if view in parents:
                parent = parents[view]
                position = list(parent).index(view) + 1
        for offset, child in enumerate(list(holder)):
            parent.insert(position + offset, child)


_HEADING = re.compile(r"h[1-6]")


def shift_headings(root: etree.Element, min_level: int) -> None:
    """Move every heading below ``root`` down so that the highest is at ``min_level`` (h6 at most)."""
    headings = [element for element in root.iter() if isinstance(element.tag, str) and _HEADING.fullmatch(element.tag)]
    if not headings:
        return
    shift = min_level - min(int(element.tag[1]) for element in headings)
    if shift <= 0:
        return
    for element in headings:
        element.tag = f"h{min(6, int(element.tag[1]) + shift)}"


# --- references in running text -------------------------------------------------------------------------


class _Reference(InlineProcessor):
    """``<risk:ID>``: the risk's id and title, linked to its page, with its band."""

    def __init__(self, page: _Page) -> None:
        super().__init__(REFERENCE)
        self.page = page

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        risk_id = m.group(1)
        page = self.page
        try:
            site = page.site()
            register = site.register
            found = register.by_id.get(risk_id) or {r.casefold(): v for r, v in register.by_id.items()}.get(
                risk_id.casefold()
            )
        except ConfigError as error:
            page.problem(page.line_of_text(m.group(0)), error.format())
            return _bad_reference(m.group(0)), m.start(0), m.end(0)
        if found is None:
            page.problem(
                page.line_of_text(m.group(0)),
                f"reference {m.group(0)}: no risk has the id '{risk_id}'; {suggestion(risk_id, list(register.by_id))}",
            )
            return _bad_reference(m.group(0)), m.start(0), m.end(0)
        context = page.context()
        span = etree.Element("span", {"class": "risk-register-ref", "data-band": flat(found.band.name)})
        link = etree.SubElement(span, "a", {"href": context.risk_link(found.id)})
        append_text(link, f"{found.id}{context.words('text.colon')}")
        # A right-to-left title (or one with a bidi override) is isolated from the band and the sentence around it.
        holder = etree.SubElement(link, "bdi") if needs_isolation(found.title) else link
        append_inline(holder, found.title, None)  # plain: links inside a link make no sense
        tooltip = site.words("reference.score", score=found.score)
        band = etree.SubElement(span, "span", {"class": "risk-register-band", "title": tooltip})
        band.text = AtomicString(found.band.name)
        keep_text_literal(span, page.md)
        return span, m.start(0), m.end(0)


def _bad_reference(text: str) -> etree.Element:
    element = etree.Element("span", {"class": "risk-register-bad-view"})
    element.text = AtomicString(f"{text} [{RULE}]")
    return element


# --- the extension ---------------------------------------------------------------------------------------


class _Lines(Preprocessor):
    """Keeps the page's lines as written, before any other preprocessor, for diagnostics' line numbers."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        self.page.lines = list(lines)
        self.page.seen = {}
        return lines


# The plugin's settings (every one the plugin takes), and two of MkDocs' that the views use.
SETTINGS = (*(key for key, _ in RiskRegisterConfig._schema), "repo_url", "use_directory_urls")


class _Unset:
    """No value given (Python-Markdown reads a None or bool default as a boolean option)."""

    def __repr__(self) -> str:
        return "unset"


_UNSET = _Unset()


class RiskRegisterExtension(BlocksExtension):
    """The extension; its options are the plugin's settings (see docs/configuration.md)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {name: [_UNSET, f"the plugin's '{name}' setting"] for name in SETTINGS}
        self.host: Host | None = kwargs.pop("host", None)
        super().__init__(**kwargs)

    def settings(self) -> dict[str, Any]:
        return {key: value for key, value in self.getConfigs().items() if value is not _UNSET and value is not None}

    def site(self) -> Site:
        if self.host is not None:
            site = self.host.site()
            if site is None:
                raise ConfigError("risk_register", "the register is not loaded yet")
            return site
        return standalone_site(self.settings())

    def page(self) -> PageRef | None:
        return self.host.page() if self.host is not None else None

    def report(self, problem: Diagnostic) -> None:
        if self.host is not None:
            self.host.report(problem)
        else:
            log.error(problem.format())

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        page = _Page(self, md)
        md.preprocessors.register(_Lines(md, page), "risk_register_lines", 200)
        for block in _VIEW_BLOCKS:
            block_mgr.register(block, {"page": page})
        md.parser.blockprocessors.register(_Unparsed(md.parser, page), "risk_register_unparsed", 89.98)
        md.treeprocessors.register(_Bodies(md, page), "risk_register_bodies", 100)
        # Before raw HTML (90) and autolinks (120), after code spans (190) and escapes (180).
        md.inlinePatterns.register(_Reference(page), "risk_register_reference", 125)


def convert(
    text: str,
    site: Site,
    src_uri: str,
    *,
    extensions: Sequence[str | Extension] = (),
    extension_configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[str, list[Diagnostic]]:
    """A page (``src_uri``, below docs_dir) of Markdown as HTML, with the register's views; and their problems.

    For tests and tools: MkDocs, ProperDocs and Zensical convert pages themselves.
    """
    problems: list[Diagnostic] = []
    page = PageRef(src_uri, src_uri)
    extension = RiskRegisterExtension(host=Host(lambda: site, lambda: page, problems.append))
    md = Markdown(extensions=[*extensions, extension], extension_configs=dict(extension_configs or {}))
    return md.convert(text), problems


_VIEW_BLOCK = re.compile(r"^/// (risk-[a-z]+)(?: \| [^\n]*)?\n(?:    [^\n]*\n)*///$", re.MULTILINE)


def expand_views(text: str, site: Site, src_uri: str) -> str:
    """``text`` (a page) with each view block replaced by its HTML, for hosts that run no extension.

    The HTML is one raw block (it opens with a ``div``), which Python-Markdown passes through whole.
    """

    def expand(match: re.Match[str]) -> str:
        html, _ = convert(match.group(0), site, src_uri, extensions=["tables", "fenced_code", "toc"])
        return html

    return _VIEW_BLOCK.sub(expand, text)


def makeExtension(**kwargs: Any) -> RiskRegisterExtension:
    return RiskRegisterExtension(**kwargs)


__all__ = [
    "Host",
    "PageRef",
    "RiskRegisterExtension",
    "Site",
    "convert",
    "expand_views",
    "makeExtension",
    "shift_headings",
]

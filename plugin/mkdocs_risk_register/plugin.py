"""MkDocs events only: the work happens in the core modules beside this one."""

from __future__ import annotations

import os
import posixpath
import re
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .config import RiskRegisterConfig, issue_url_pattern, labels_setting, model_settings
from .deferred import Deferred, defer
from .diagnostics import ConfigError, Diagnostic
from .gitlog import HistoryReader
from .history import History, Unavailable, reviewed_line_on_disk, with_history
from .loader import is_risk_path
from .markdown import Host, PageRef, RiskRegisterExtension, Site
from .model import Model, model_from_settings
from .nav import arrange
from .register import FileCache, build_date_from_env, load_register
from .views.history_pages import commit_url_pattern
from .views.site import SiteLayout
from .views.site_files import ChartFormat, GeneratedSite, RenderOptions, generate_site
from .words import Words, english, select_words

log = get_plugin_logger("risk-register")  # the name users write in mkdocs.yml, as in config errors

# Shipped with the package and added to every site: the table's sort and filter, the chart's styles.
ASSETS = ("risk-register.css", "risk-register.js")


# A view block or a reference to a risk, as the Markdown extension reads them.
_VIEW_SYNTAX = re.compile(r"^ {0,3}/{3,} *risk-|<risk:", re.MULTILINE)


def _newest_mtime(folder: Path) -> float:
    """The latest modification time of the folder's files and subfolders (a removed file changes its folder's)."""
    newest = 0.0
    for path, _, names in os.walk(folder):
        newest = max(newest, os.path.getmtime(path), *(os.path.getmtime(os.path.join(path, n)) for n in names))
    return newest


def _is_this_extension(entry: object) -> bool:
    """Whether a ``markdown_extensions`` entry is this package's extension (the plugin adds its own)."""
    if isinstance(entry, RiskRegisterExtension):
        return True
    return entry in ("risk_register", "mkdocs_risk_register.markdown")


def asset_src(prefix: str, name: str) -> str:
    return SiteLayout(prefix.strip("/")).src(f"assets/{name}")


def risks_dir_in_docs(risks_dir: Path, docs_dir: Path) -> str | None:
    """The path of ``risks_dir`` below ``docs_dir`` as MkDocs writes a file's ``src_uri`` ("" for
    docs_dir itself), or None when it lies outside (links resolved, as MkDocs follows them)."""
    inside, folder = os.path.realpath(docs_dir), os.path.realpath(risks_dir)
    try:
        if os.path.commonpath([inside, folder]) != inside:
            return None
    except ValueError:  # on two drives (Windows)
        return None
    relative = Path(os.path.relpath(folder, inside)).as_posix()
    return "" if relative == "." else relative


class RiskRegisterPlugin(BasePlugin[RiskRegisterConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.model: Model | None = None
        self.risks_dir = Path()
        self.base_dir = Path()
        self.build_date: date | None = None
        self.site: GeneratedSite | None = None
        self.cache: FileCache | None = None
        # Large generated HTML blocks by page, held back from MkDocs' HTML parsers (see deferred.py).
        self.deferred: dict[str, Deferred] = {}
        # Risk pages rendered ahead of MkDocs reading them: source path -> Markdown.
        self.risk_sources: dict[str, str] = {}
        self.render_ahead = True
        self.dirty = False
        self.history_reader = HistoryReader()
        # The page MkDocs is rendering: its source path and the lines of its front matter (for bad-view lines).
        self.page: PageRef | None = None
        self.view_site: Site | None = None
        self.reading: Future[History | Unavailable] | None = None
        self.words: Words = english()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one plugin instance across `mkdocs serve` rebuilds,
        # so the cache lets a rebuild parse only the risk files that changed.
        self.cache = FileCache() if command == "serve" else None
        # A --dirty build reads only the pages of changed files: render those on demand.
        self.render_ahead = not dirty
        self.dirty = dirty
        # Kept under serve: a rebuild reads only what new commits brought.
        self.history_reader = HistoryReader(keep=command == "serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.base_dir = Path(config.config_file_path or ".").resolve().parent
        self.risks_dir = self.base_dir / self.config.risks_dir
        try:
            self.model = model_from_settings(model_settings(self.config))
            # Read once a build; a malformed SOURCE_DATE_EPOCH stops here, with one line.
            self.build_date = build_date_from_env()
            if not self.risks_dir.is_dir():
                raise ConfigError(
                    "risks_dir", f"folder '{self.config.risks_dir}' does not exist (looked for {self.risks_dir})"
                )
        except ConfigError as error:
            raise PluginError(error.format()) from None
        # The register's words, once a build: the plugin's language setting, else the theme's.
        theme = config.theme
        language = self.config.language or theme.get("language") or theme.get("locale")
        selection = select_words(str(language) if language else None, labels_setting(self.config))
        if selection.note:
            log.info(selection.note)
        self.words = selection.words
        # The views in any page, by the extension a Zensical site lists itself: one register for both.
        config.markdown_extensions[:] = [name for name in config.markdown_extensions if not _is_this_extension(name)]
        config.markdown_extensions.append(
            RiskRegisterExtension(host=Host(lambda: self.view_site, lambda: self.page, self._report))
        )
        for name in ASSETS:
            src = asset_src(self.config.prefix, name)
            extra = config.extra_css if name.endswith(".css") else config.extra_javascript
            if src not in [str(item) for item in extra]:
                extra.append(src)
        # The history is read while MkDocs gathers the files: git works on the other core meanwhile.
        self.reading = None
        if self.config.history is not False:
            assert self.model is not None
            reader = ThreadPoolExecutor(1, thread_name_prefix="risk-history")
            self.reading = reader.submit(
                self.history_reader.read, self.risks_dir, self.model, max_file_size=self.config.max_file_size
            )
            reader.shutdown(wait=False)  # the read goes on; the thread ends with it
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.model is not None
        register = load_register(
            self.risks_dir,
            self.model,
            base_dir=self.base_dir,
            build_date=self.build_date,
            max_file_size=self.config.max_file_size,
            cache=self.cache,
        )
        if self.cache is not None:
            log.debug(f"{self.cache.checked} of {len(self.cache.results)} risk files read again")
        history = self._read_history()
        if isinstance(history, History):
            register = with_history(register, history, reviewed_line_on_disk(self.base_dir))
        for problem in register.problems:
            # Both levels fail `mkdocs build --strict`; neither stops a build without it.
            (log.error if problem.severity == "error" else log.warning)(problem.format())
        layout = SiteLayout(self.config.prefix.strip("/"), config.use_directory_urls)
        options = RenderOptions(
            issue_url=issue_url_pattern(self.config.issue_url, config.repo_url),
            chart_format=cast(ChartFormat, self.config.chart_format),  # a config Choice of these names
            commit_url=commit_url_pattern(config.repo_url),
            words=self.words,
        )
        self.site = generate_site(register, layout, options, history)
        self.view_site = Site.of(self.site)

        self._exclude_risk_files(files, config)
        self.deferred = {}
        top = layout.src("top.md")
        for src_path, content in self.site.pages.items():
            given = content
            if src_path.endswith(".md") and src_path != top:  # all generated HTML; the top page holds risk bodies
                held = defer(content)
                if held.blocks:
                    self.deferred[src_path] = held
                    given = held.markdown
            self._add(files, File.generated(config, src_path, content=given))
        for name in ASSETS:
            asset = resources.files("mkdocs_risk_register").joinpath("assets", name).read_text(encoding="utf-8")
            self._add(files, File.generated(config, asset_src(self.config.prefix, name), content=asset))
        # All risk pages in one loop: thousands of pages render about twice as fast together as
        # one at a time between MkDocs' conversions of other pages.
        self.risk_sources = {}
        if self.render_ahead:
            for src_path in self.site.risk_pages:
                self.risk_sources[src_path] = self._render_risk_page(src_path)
        in_nav = config.nav is None and len(self.site.risk_pages) <= self.config.nav_risk_pages
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        # Paths as strings, one relative path for all: thousands of Path objects cost more than the pages.
        base_dir = str(self.base_dir)
        base_from_docs = Path(os.path.relpath(base_dir, config.docs_dir)).as_posix()
        existing = files.src_uris
        for src_path, risk in self.site.risk_pages.items():
            # Backed by the risk file itself, so `mkdocs serve --dirty` rebuilds only what changed.
            file = File.generated(
                config, src_path, abs_src_path=os.path.join(base_dir, risk.source), inclusion=inclusion
            )
            # The edit link opens the risk file: its path from docs_dir.
            file.edit_uri = posixpath.normpath(f"{base_from_docs}/{risk.source}")
            if src_path in existing:
                self._add(files, file)  # replaces a hand-written page, with a warning
            else:
                files.append(file)
        if self.dirty:
            self._rebuild_pages_with_views(files)
        return files

    def _rebuild_pages_with_views(self, files: Files) -> None:
        """Under --dirty, MkDocs rebuilds a page only when its own file changed: a page of the docs that
        shows views of the register is rebuilt too when a risk file is newer than the page's output."""
        newest = _newest_mtime(self.risks_dir)
        for file in files.documentation_pages():
            if file.generated_by is not None or file.abs_src_path is None or not os.path.isfile(file.abs_dest_path):
                continue
            if os.path.getmtime(file.abs_dest_path) >= newest:
                continue
            text = file.content_string
            if _VIEW_SYNTAX.search(text):
                file.content_string = text  # content-backed: MkDocs takes the page as modified

    def _read_history(self) -> History | Unavailable | None:
        """The register's history from git, or why there is none (said in one line of the log); None when off."""
        if self.reading is None:
            return None
        history, self.reading = self.reading.result(), None
        if isinstance(history, Unavailable):
            # An info line under `auto`: a shallow CI checkout must keep passing --strict.
            say = log.warning if self.config.history is True else log.info
            say(f"history not read: {history.reason}")
            return history
        for unreadable in history.unreadable:
            log.info(unreadable.format(self._shown(unreadable.path)))
        return history

    def _shown(self, path_in_risks_dir: str) -> str:
        return Path(os.path.relpath(self.risks_dir / path_in_risks_dir, self.base_dir)).as_posix()

    def _exclude_risk_files(self, files: Files, config: MkDocsConfig) -> None:
        """A risks_dir inside docs_dir: its risk files are the register's sources, published as the
        register's pages; as pages of their own they would appear twice, with a second nav section.
        They are excluded as `exclude_docs` would (so a link to one says that it is excluded)."""
        below = risks_dir_in_docs(self.risks_dir, Path(config.docs_dir))
        if below is None:
            return
        prefix = f"{below}/" if below else ""
        for file in files.documentation_pages(inclusion=InclusionLevel.all):
            if file.src_uri.startswith(prefix) and is_risk_path(file.src_uri[len(prefix) :]):
                file.inclusion = InclusionLevel.EXCLUDED

    def _add(self, files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None and existing.inclusion.is_excluded():
            files.remove(existing)  # a risk file's own copy (risks_dir inside docs_dir), left out anyway
        elif existing is not None:
            log.warning(
                f"{file.src_uri}: a file in docs_dir has the path of a generated page; "
                "the generated one replaces it (change the plugin's 'prefix' to keep both)"
            )
            files.remove(existing)
        files.append(file)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.site is not None and config.nav is None:
            arrange(nav, list(self.site.pages), list(self.site.risk_pages), self.words)
        return nav

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.site is None or page.file.src_uri not in self.site.risk_pages:
            return None
        src_path = page.file.src_uri
        rendered = self.risk_sources.pop(src_path, None)
        return self._render_risk_page(src_path) if rendered is None else rendered

    def _render_risk_page(self, src_path: str) -> str:
        """A risk page's Markdown; the History section's chart and table are held back from Markdown
        and search as one block (a thousand risk pages' raw HTML costs MkDocs' parsers seconds, and
        even a placeholder costs a thousand pages a tenth of a second)."""
        assert self.site is not None
        held = Deferred("", anchors=False)
        history = held.hold_markdown(self.site.history_section(src_path), min_size=0, together=True)
        markdown = self.site.render_risk_page(src_path, history_section=history)
        if held.blocks:
            held.markdown = markdown
            self.deferred[src_path] = held
        return markdown

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Where the page's views are, for their diagnostics: the page, and the lines its front matter took.
        offset = 0
        if page.meta:
            try:
                source = page.file.content_string
            except (OSError, UnicodeDecodeError, TypeError):
                source = ""
            if source.endswith(markdown):
                offset = source[: len(source) - len(markdown)].count("\n")
        # Named from the folder of mkdocs.yml, as the risk files' problems are.
        path = Path(os.path.relpath(os.path.join(config.docs_dir, page.file.src_path), self.base_dir)).as_posix()
        self.page = PageRef(page.file.src_uri, path, offset)
        return markdown

    def _report(self, problem: Diagnostic) -> None:
        log.error(problem.format())

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.site is None:
            return html
        src_path = page.file.src_uri
        if src_path in self.site.risk_pages:
            title = page.title
            if title is not None and "&" in title:
                # A risk page's title is the author's text, escaped. Material prints a title without meta
                # through `striptags`, which turns "&lt;" back into "<"; as meta it prints it as it is.
                page.meta["title"] = title
        elif src_path not in self.site.pages:
            return html
        held = self.deferred.get(src_path)
        if held is not None and held.anchors and page.present_anchor_ids is not None:
            page.present_anchor_ids |= held.anchor_ids()  # for MkDocs' check of links to #anchors
        # The views' large tables and charts: kept from the search plugin, as the raw blocks above.
        if held is None:
            held = Deferred("", anchors=False)
        html = held.hold_html(html)
        if held.blocks:
            self.deferred[src_path] = held
        return html

    # After the search plugin (priority 0) has indexed the page: the blocks stay out of the index,
    # and the theme gets the page's whole content.
    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        held = self.deferred.pop(page.file.src_uri, None)
        if held is None or page.content is None:
            return context
        page.content, missing = held.fill(page.content)
        if missing:
            log.warning(
                f"{page.file.src_uri}: {missing} generated block(s) could not be put back into the page; "
                "another plugin changed the page's placeholders"
            )
        return context

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.risks_dir))
        return server

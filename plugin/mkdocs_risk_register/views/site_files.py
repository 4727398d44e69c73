"""Every file the register adds to a site, as source paths and contents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..register import Register
from ..risk import Risk
from .export import register_to_csv, register_to_json
from .mermaid import mermaid_block, quadrant_chart
from .pages import monitoring_page, register_page, risk_page, top_page
from .site import SiteLayout


@dataclass(frozen=True)
class RenderOptions:
    issue_url: str | None = None


@dataclass(frozen=True)
class GeneratedSite:
    register: Register
    layout: SiteLayout
    options: RenderOptions
    pages: dict[str, str]
    """Register-wide pages and data files: source path -> content."""
    risk_pages: dict[str, Risk]
    """One page per risk: source path -> risk, rendered on demand by :meth:`render_risk_page`."""

    def render_risk_page(self, src_path: str) -> str:
        return risk_page(self.risk_pages[src_path], self.register, self.layout, issue_url=self.options.issue_url)

    def all_files(self) -> Iterator[tuple[str, str]]:
        """Every generated file with its content (risk pages rendered too)."""
        yield from self.pages.items()
        for src_path in self.risk_pages:
            yield src_path, self.render_risk_page(src_path)


def generate_site(register: Register, layout: SiteLayout, options: RenderOptions | None = None) -> GeneratedSite:
    chart = mermaid_block(quadrant_chart(list(register.risks), register.model))
    pages = {layout.src("index.md"): register_page(register, layout, chart)}
    if register.model.top:
        pages[layout.src("top.md")] = top_page(register)
    pages[layout.src("monitoring.md")] = monitoring_page(register, layout)
    pages[layout.src("risks.json")] = register_to_json(register)
    pages[layout.src("risks.csv")] = register_to_csv(register)
    risk_pages = {layout.risk_src(risk.id): risk for risk in register.risks}
    return GeneratedSite(register, layout, options or RenderOptions(), pages, risk_pages)

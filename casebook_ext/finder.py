"""The finder: every case, filterable by facets in the browser, and a plain listing everywhere else.

The page always carries the full listing, each case with its facet values as ``data-``
attributes; a small dependency-free script (``casebook-finder.js``, shipped with the package)
adds the controls, so the page works offline, with no server, and still lists every case with
JavaScript off. LaTeX and text builders write the portable case table that fills the node.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from casebook_ext.config import settings_of
from casebook_ext.countries import country_name
from casebook_ext.directives import CasebookDirective
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.freshness import is_due
from casebook_ext.model import CaseEntry
from casebook_ext.query import Query

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: The facets, in the order the controls show them: data attribute -> taxonomy.
FACETS = {
    "pillar": "pillar",
    "level": "level",
    "country": "country",
    "theme": "theme",
    "instrument": "instrument",
    "status": "status",
}
SCRIPT = "casebook-finder.js"


class casebook_finder(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Every case: facet controls and results in HTML; its children (a case table) elsewhere."""


class CaseFinderDirective(CasebookDirective):
    """``case-finder``: the casebook's faceted finder (one per site, on its cases page)."""

    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        domain.note_listing(self.env.docname, Query())
        domain.note_guide(self.env.docname, "finder")
        node = casebook_finder()
        self.set_source_info(node)
        return [node]


def _labels(domain: CasebookDomain, entries: list[CaseEntry]) -> dict[str, dict[str, str]]:
    """slug -> label of every facet value the cases use (vocabulary order; countries by name)."""
    out: dict[str, dict[str, str]] = {}
    for facet, taxonomy in FACETS.items():
        used = {v for e in entries for v in e.case.values(taxonomy)}
        if taxonomy == "country":
            out[facet] = {code: country_name(code) for code in sorted(used, key=country_name)}
        else:
            out[facet] = {slug: term.label for slug, term in domain.vocabularies[taxonomy].items() if slug in used}
    return out


def visit_html(self: HTML5Translator, node: casebook_finder) -> None:
    env = self.builder.env
    domain = get_domain(env)
    settings = settings_of(env.config)
    entries = sorted(domain.index.by_id.values(), key=lambda e: e.case.title.casefold())
    here = self.builder.current_docname
    labels = _labels(domain, entries)
    names = {facet: settings.taxonomy_label(taxonomy) for facet, taxonomy in FACETS.items()}
    config = {"labels": labels, "names": names, "total": len(entries)}
    static = self.builder.get_relative_uri(here, env.config.root_doc).rpartition("/")[0]
    static = f"{static}/_static" if static else "_static"
    out = [
        '<div class="casebook-finder" data-casebook-finder>',
        '<form class="casebook-finder-controls" role="search" aria-label="Filter the cases" hidden></form>',
        '<noscript><p class="casebook-finder-nojs">The filters need JavaScript, which is off in this '
        "browser: every case is listed below, by title.</p></noscript>",
        f'<p class="casebook-finder-count" role="status" aria-live="polite">{len(entries)} cases</p>',
        '<ol class="casebook-finder-results">',
    ]
    for entry in entries:
        case = entry.case
        uri = html.escape(self.builder.get_relative_uri(here, entry.docname) + "#" + entry.anchor, quote=True)
        countries = ", ".join(country_name(c) for c in case.countries)
        place = "" if case.place == countries else case.place
        meta = " \u00b7 ".join(m for m in (place, countries, str(case.years or "")) if m)
        attrs = {
            "id": case.id,
            "title": case.title,
            "start": str(case.years.start) if case.years else "",
            "end": str(case.years.end) if case.years and case.years.end else "",
            "reviewed": case.last_reviewed.isoformat() if case.last_reviewed else "",
            "due": "yes" if is_due(env.config, case) else "no",
            "text": f"{case.title} {case.summary} {case.place} {countries} {' '.join(case.organisations)}",
        }
        attrs.update({facet: " ".join(case.values(taxonomy)) for facet, taxonomy in FACETS.items()})
        data = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
        tags = [
            domain.term_label("level", case.level) if case.level else "",
            domain.term_label("status", case.status) if case.status else "",
        ]
        tags += [domain.term_label("pillar", p) for p in case.pillars]
        out.append(f'<li class="casebook-finder-case" {data}>')
        link = f'<a class="reference internal" href="{uri}">{html.escape(case.title)}</a>'
        out.append(f'<p class="casebook-finder-title">{link}</p>')
        if meta:
            out.append(f'<p class="casebook-finder-meta">{html.escape(meta)}</p>')
        if case.summary:
            out.append(f'<p class="casebook-summary">{html.escape(case.summary)}</p>')
        shown = " \u00b7 ".join(t for t in tags if t)
        due = ' <span class="casebook-due">Due for review</span>' if attrs["due"] == "yes" else ""
        out.append(f'<p class="casebook-finder-tags">{html.escape(shown)}{due}</p>')
        out.append("</li>")
    out.append("</ol>")
    payload = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    out.append(f'<script type="application/json" class="casebook-finder-config">{payload}</script>')
    out.append(f'<script src="{html.escape(static)}/{SCRIPT}" defer></script>')
    out.append("</div>\n")
    self.body.append("\n".join(out))
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Element) -> None:
    """Elsewhere the node's children, a portable case table, are written as they are."""


def setup_finder(app: Sphinx) -> None:
    app.add_directive("case-finder", CaseFinderDirective)
    app.add_node(
        casebook_finder,
        html=(visit_html, None),
        **{name: (_pass, _pass) for name in ("latex", "text", "man", "texinfo")},  # type: ignore[arg-type]
    )

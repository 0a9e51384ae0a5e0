"""One page per taxonomy term (``browse/pillar/routes.html``): the cases filed under it, grouped for reading.

The pages are generated HTML (``html-collect-pages``), not documents: they stay out of the
search index and the PDF, and each is written only when what it shows has changed, so an edit
to one case rewrites the pages of the terms it had and has, and no others. What a page shows is
summarised as a digest while reading (``env-get-updated``), stored in the domain, and compared
with the last build's.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from casebook_ext.collection import collector_paused
from casebook_ext.config import settings_of
from casebook_ext.countries import country_name
from casebook_ext.dependencies import unchanged
from casebook_ext.domain import TERM_PAGE_BUILDERS, CasebookDomain, get_domain
from casebook_ext.model import CaseEntry, term_anchor
from casebook_ext.schema import TAXONOMIES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def pagename(folder: str, taxonomy: str, slug: str) -> str:
    return f"{folder}/{taxonomy}/{slug}"


def enabled(builder: Builder) -> bool:
    return builder.name in TERM_PAGE_BUILDERS and bool(builder.config.casebook_term_pages)


def pages(domain: CasebookDomain) -> dict[str, tuple[str, str]]:
    """Every term page of the build: pagename -> (taxonomy, slug), for the terms some case uses."""
    folder = domain.env.config.casebook_term_pages
    return {
        pagename(folder, taxonomy, slug): (taxonomy, slug)
        for taxonomy in TAXONOMIES
        for slug in sorted(domain.index.by_term.get(taxonomy, {}))
    }


def _grouping(taxonomy: str) -> str:
    """What a term page groups its cases by: level of government, or country on a level's own page."""
    return "country" if taxonomy == "level" else "level"


def _shown(domain: CasebookDomain, taxonomy: str, slug: str) -> object:
    """Everything a term page shows, for its digest."""
    entries = domain.index.by_term[taxonomy][slug]
    label = domain.term(taxonomy, slug)[0]
    return (
        taxonomy,
        slug,
        label,
        domain.index.hosts.get(taxonomy),
        [
            (
                e.docname,
                e.anchor,
                e.case.title,
                e.case.summary,
                e.case.place,
                e.case.countries,
                e.case.level,
                e.case.years,
            )
            for e in entries
        ],
    )


def note_changes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: find the term pages whose content changed, to write only those."""
    domain = get_domain(env)
    if not enabled(app.builder) or unchanged(env):
        domain.term_pages_due = set()
        domain.term_pages_gone = set()
        return []
    stored: dict[str, str] = env.domaindata["casebook"].setdefault("term_pages", {})
    current = {}
    for name, (taxonomy, slug) in pages(domain).items():
        shown = repr((_shown(domain, taxonomy, slug), app.builder.name))
        current[name] = hashlib.sha256(shown.encode("utf-8")).hexdigest()
    domain.term_pages_due = {name for name, digest in current.items() if stored.get(name) != digest}
    domain.term_pages_gone = set(stored) - set(current)
    stored.clear()
    stored.update(current)
    return []


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the term pages that changed or are missing from the output folder."""
    builder = app.builder
    if not enabled(builder):
        return
    outfile = builder.get_outfilename  # type: ignore[attr-defined]  # every HTML builder has it
    domain = get_domain(app.env)
    for name in domain.term_pages_gone:
        Path(outfile(name)).unlink(missing_ok=True)
    due = domain.term_pages_due
    for name, (taxonomy, slug) in sorted(pages(domain).items()):
        if name in due or not Path(outfile(name)).exists():
            with collector_paused():  # a pillar's page lists thousands of cases: build it in one go
                context = page_context(app, domain, name, taxonomy, slug)
            yield name, context, "page.html"


def _case_item(builder: Builder, name: str, entry: CaseEntry) -> nodes.list_item:
    case = entry.case
    uri = builder.get_relative_uri(name, entry.docname) + "#" + entry.anchor
    head = nodes.paragraph()
    head += nodes.strong("", "", nodes.reference(case.title, case.title, refuri=uri, internal=True))
    countries = ", ".join(country_name(c) for c in case.countries)
    meta = [m for m in ("" if case.place == countries else case.place, countries, str(case.years or "")) if m]
    if meta:
        head += nodes.Text(" \u2014 " + " \u00b7 ".join(meta))
    item = nodes.list_item("", head)
    if case.summary:
        item += nodes.paragraph(case.summary, case.summary, classes=["casebook-summary"])
    return item


def page_context(app: Sphinx, domain: CasebookDomain, name: str, taxonomy: str, slug: str) -> dict[str, Any]:
    """The template context of one term page: its title, its body as HTML and its on-page contents."""
    builder = app.builder
    settings = settings_of(app.config)
    entries = sorted(domain.index.by_term[taxonomy][slug], key=lambda e: e.case.title.casefold())
    label, description = domain.term(taxonomy, slug)
    kind = settings.taxonomy_label(taxonomy)
    page = nodes.section(ids=[f"casebook-term-{taxonomy}-{slug}"], classes=["casebook-term-page"])
    page += nodes.title(label, label)
    page += nodes.paragraph(kind, kind, classes=["casebook-term-kind"])
    if description:
        page += nodes.paragraph(description, description, classes=["casebook-term-description"])
    summary = nodes.paragraph(classes=["casebook-term-count"])
    summary += nodes.Text(f"{len(entries)} case{'s' if len(entries) != 1 else ''} \u00b7 ")
    host = domain.index.hosts.get(taxonomy)
    if host:
        back = builder.get_relative_uri(name, host) + "#" + term_anchor(taxonomy, slug)
        text = f"Every {_in_a_sentence(kind)}"
        summary += nodes.reference(text, text, refuri=back, internal=True)
    page += summary

    grouping = _grouping(taxonomy)
    groups: dict[str, list[CaseEntry]] = {}
    for entry in entries:
        values = entry.case.values(grouping) or ("",)
        for value in values[:1]:
            groups.setdefault(value, []).append(entry)
    order = [s for s, _, _ in domain.terms(grouping)] if grouping == "level" else sorted(groups, key=country_name)
    toc: list[tuple[str, str]] = []
    for value in [*order, ""]:
        members = groups.get(value)
        if not members:
            continue
        heading = (
            domain.term_label(grouping, value) if value else f"{settings.taxonomy_label(grouping)} not stated"
        ) + f" ({len(members)})"
        anchor = f"{grouping}-{value or 'none'}".lower()
        section = nodes.section(ids=[anchor])
        section += nodes.title(heading, heading)
        items = nodes.bullet_list(classes=["casebook-list"])
        for entry in members:
            items += _case_item(builder, name, entry)
        section += items
        page += section
        toc.append((anchor, heading))
    body = builder.render_partial(page)["fragment"]  # type: ignore[attr-defined]
    toc_html = '<ul>\n<li><a class="reference internal" href="#">' + _escape(label) + "</a><ul>\n"
    toc_html += "".join(f'<li><a class="reference internal" href="#{a}">{_escape(h)}</a></li>\n' for a, h in toc)
    toc_html += "</ul>\n</li>\n</ul>\n"
    return {
        "title": _escape(f"{label} \u2014 {kind}"),
        "body": body,
        "toc": toc_html,
        "display_toc": len(toc) > 1,
        "meta": {},
        "metatags": "",
        "parents": [],
        "prev": None,
        "next": None,
        "rellinks": [],
        "sourcename": "",
        "page_source_suffix": "",
    }


def _in_a_sentence(label: str) -> str:
    """A taxonomy's label inside a sentence: "Level of government" -> "level of government", "ROAR pillar" kept."""
    first, _, rest = label.partition(" ")
    return " ".join(w for w in (first if first.isupper() else first.lower(), rest) if w)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)

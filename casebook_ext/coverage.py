"""Where the evidence base is thin: ROAR pillars crossed with levels of government and with world regions.

Regions are the UN M49 regions (the Americas split into Latin America and the Caribbean, and
Northern America), read from CLDR's territory containment shipped in ``data/m49.json`` and
named by Babel; nothing is typed in by hand. Each cell counts the cases and, in HTML, links to
the finder showing exactly them; empty cells stay visible.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from babel import Locale
from docutils import nodes
from docutils.parsers.rst import directives

from casebook_ext.config import settings_of
from casebook_ext.directives import CasebookDirective
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.model import Case
from casebook_ext.nodes import register_placeholder
from casebook_ext.xrefs import term_xref

DATA = Path(__file__).parent / "data" / "m49.json"
#: The columns of the regional view, as M49 codes.
REGION_COLUMNS = ("002", "419", "021", "142", "150", "009")
AXES = ("level", "region")
#: How a page with a coverage table is noted in the domain (``coverage-level``, ``coverage-region``).
GUIDE = "coverage"


def shown(cases: list[Case]) -> list[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """What coverage tables show of the cases (for the page's digest): pillars, level and countries."""
    return sorted((c.id, c.pillars, c.level, c.countries) for c in cases)


@cache
def _m49() -> dict[str, list[str]]:
    return dict(json.loads(DATA.read_text(encoding="utf-8"))["countries"])


@cache
def region_name(code: str) -> str:
    return str(Locale("en").territories.get(code, code))


def regions_of(case: Case) -> set[str]:
    """The M49 columns a case's countries fall in (a case in two regions counts in both)."""
    table = _m49()
    return {region for country in case.countries for region in table.get(country, ()) if region in REGION_COLUMNS}


class casebook_coverage(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a coverage table (attribute ``axis``: ``level`` or ``region``)."""


class CoverageDirective(CasebookDirective):
    """``casebook-coverage level`` or ``casebook-coverage region``: pillars by level or by world region."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        axis = self.arguments[0].strip()
        if axis not in AXES:
            self.warn("bad_filter", f"casebook-coverage: {axis!r} is not one of {', '.join(AXES)}")
            return []
        domain = get_domain(self.env)
        domain.note_guide(self.env.docname, f"{GUIDE}-{axis}")
        node = casebook_coverage(axis=axis, caption=self.options.get("caption", ""))
        self.set_source_info(node)
        return [node]


def setup_coverage(app: Any) -> None:
    app.add_directive("casebook-coverage", CoverageDirective)
    register_placeholder(app, casebook_coverage)


def columns(domain: CasebookDomain, axis: str) -> list[tuple[str, str]]:
    if axis == "level":
        return [(slug, term.label) for slug, term in domain.vocabularies["level"].items()]
    return [(code, region_name(code)) for code in REGION_COLUMNS]


def cell_cases(cases: list[Case], pillar: str, axis: str, column: str) -> list[Case]:
    if axis == "level":
        return [c for c in cases if pillar in c.pillars and c.level == column]
    return [c for c in cases if pillar in c.pillars and column in regions_of(c)]


def _query(pillar: str, axis: str, column: str, cases: list[Case]) -> str:
    """The finder's address for a cell: the pillar, and the level or the countries of the region."""
    if axis == "level":
        return f"pillar={pillar}&level={column}"
    countries = sorted({country for case in cases for country in case.countries if column in regions_of(case)})
    return f"pillar={pillar}&country={','.join(countries)}"


def coverage_table(domain: CasebookDomain, docname: str, axis: str) -> nodes.table:
    """Pillars as rows, levels or regions as columns; each cell the number of cases."""
    cases = domain.cases()
    heads = columns(domain, axis)
    pillars = list(domain.vocabularies["pillar"].items())
    settings = settings_of(domain.env.config)
    table = nodes.table(classes=["casebook-coverage", f"casebook-coverage-{axis}"])
    group = nodes.tgroup(cols=len(heads) + 2)
    table += group
    for width in (3, *([1] * len(heads)), 1):
        group += nodes.colspec(colwidth=width)
    head = nodes.row()
    corner = settings.taxonomy_label("pillar")
    head += nodes.entry("", nodes.paragraph(corner, corner))
    for _, label in heads:
        head += nodes.entry("", nodes.paragraph(label, label))
    head += nodes.entry("", nodes.paragraph("All", "All"))
    group += nodes.thead("", head)
    body = nodes.tbody()
    for slug, term in pillars:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", "", term_xref(docname, "pillar", slug, term.label)))
        for column, _ in heads:
            chosen = cell_cases(cases, slug, axis, column)
            para = nodes.paragraph(classes=["casebook-coverage-empty"] if not chosen else [])
            if chosen:
                para += term_xref(docname, "finder", _query(slug, axis, column, chosen), str(len(chosen)))
            else:
                para += nodes.Text("0")
            row += nodes.entry("", para)
        total = [c for c in cases if slug in c.pillars]
        row += nodes.entry("", nodes.paragraph(str(len(total)), str(len(total))))
        body += row
    group += body
    return table

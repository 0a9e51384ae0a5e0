"""The facts panel of a case: what a reader scans first, built from portable nodes.

A :class:`~casebook_ext.nodes.casebook_facts` node holding a summary and a field list. HTML
shows it as a labelled box (``casebook.css``), LaTeX as a facts table (:mod:`casebook_ext.latex`),
text as an indented block. Terms are links to their listings; every value is a text node, so
writers escape it. Parts that depend on other cases or on the bibliography (related cases,
questions, sources) are placeholders filled when the page is written.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import cast

from docutils import nodes

from casebook_ext.countries import country_name
from casebook_ext.dates import reader_date
from casebook_ext.model import Case
from casebook_ext.nodes import casebook_facts, casebook_related, casebook_resources, casebook_review_flag
from casebook_ext.vocabulary import Vocabularies
from casebook_ext.xrefs import joined, term_xref

#: Shown after a value that is the casebook's own classification rather than a source's statement.
EDITORIAL_NOTE = "casebook classification"


def field(name: str, body: nodes.Element | str, key: str) -> nodes.field:
    """One labelled row of the panel; ``key`` names it for styling (``casebook-field-<key>``)."""
    if isinstance(body, str):
        body = nodes.paragraph(body, body)
    return nodes.field("", nodes.field_name(name, name), nodes.field_body("", body), classes=[f"casebook-field-{key}"])


def facts_panel(
    case: Case,
    docname: str,
    vocab: Vocabularies,
    editorial_fields: Collection[str] = ("pillars",),
    pillar_label: str = "ROAR pillars",
) -> casebook_facts:
    """The panel: the summary, then one row per filled-in fact, most useful first."""
    panel = casebook_facts(case_id=case.id)
    if case.summary:
        panel += nodes.paragraph(case.summary, case.summary, classes=["casebook-summary"])
    rows = nodes.field_list(classes=["casebook-fields"])
    editorial = {*editorial_fields, *case.editorial}

    def label_of(taxonomy: str, value: str) -> str:
        if taxonomy == "country":
            return country_name(value)
        return value if taxonomy == "organisation" else vocab.label(taxonomy, value)

    def terms(taxonomy: str, values: Sequence[str], sep: str = ", ") -> nodes.paragraph:
        return joined([term_xref(docname, taxonomy, v, label_of(taxonomy, v)) for v in values], sep)

    def add(name: str, body: nodes.Element | str, key: str) -> None:
        row = field(name, body, key)
        if key in editorial:
            para = cast(nodes.Element, cast(nodes.Element, row[1])[0])
            para += nodes.Text(" ")
            para += nodes.inline(f"({EDITORIAL_NOTE})", f"({EDITORIAL_NOTE})", classes=["casebook-editorial"])
        rows.append(row)

    country_names = [country_name(c) for c in case.countries]
    if case.place and case.place not in country_names:
        add("Place", case.place, "place")
    if case.countries:
        add("Country" if len(case.countries) == 1 else "Countries", terms("country", case.countries), "country")
    if case.level:
        add("Level of government", terms("level", [case.level]), "level")
    if case.years:
        add("Years", str(case.years), "years")
    if case.status:
        add("Status", terms("status", [case.status]), "status")
    if case.organisations:
        add("Organisations", terms("organisation", case.organisations, "; "), "organisations")
    if case.pillars:
        add(pillar_label, terms("pillar", case.pillars), "pillars")
    if case.instruments:
        add("Instruments", terms("instrument", case.instruments), "instruments")
    if case.themes:
        add("Themes", terms("theme", case.themes), "themes")
    rows += casebook_related(case_id=case.id)
    if case.resources:
        rows += casebook_resources(keys=case.resources, case_id=case.id)
    if case.last_reviewed:
        reviewed = nodes.paragraph("", reader_date(case.last_reviewed))
        reviewed += casebook_review_flag(case_id=case.id)
        add("Last reviewed", reviewed, "last-reviewed")
    panel += rows
    return panel

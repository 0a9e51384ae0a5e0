"""The facts panel of a case, built from portable docutils nodes.

A ``topic`` holding a field list renders as a boxed panel in HTML (styled by
``casebook.css``), a shadow box in LaTeX and an indented block in text, with no
builder-specific code. Terms are links to their listings; every value is a text node,
so writers escape it.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes
from sphinx import addnodes

from casebook_ext.domain import country_name
from casebook_ext.nodes import casebook_completeness, casebook_related, casebook_resources
from casebook_ext.schema import Case
from casebook_ext.vocabulary import Vocabularies


def term_xref(
    docname: str, reftype: str, target: str, label: str, optional: bool = True, explicit: bool = True
) -> addnodes.pending_xref:
    """A link to a case or a term's listing; ``optional`` links fall back to plain text.

    With ``explicit=False`` the link shows the target's own title once resolved.
    """
    xref = addnodes.pending_xref(
        "",
        nodes.inline(label, label, classes=["casebook-term"]),
        refdomain="casebook",
        reftype=reftype,
        reftarget=target,
        refdoc=docname,
        refexplicit=explicit,
        refwarn=False,
    )
    xref["casebook_optional"] = optional
    return xref


def doc_link(docname: str, target: str) -> addnodes.pending_xref:
    """A link to another page by docname, showing that page's title once resolved."""
    return addnodes.pending_xref(
        "",
        nodes.inline(target, target),
        refdomain="std",
        reftype="doc",
        reftarget=f"/{target}",
        refdoc=docname,
        refexplicit=False,
        refwarn=True,
    )


def append_joined(para: nodes.Element, items: Sequence[nodes.Node], sep: str = ", ") -> nodes.Element:
    """Append ``items`` to ``para`` with ``sep`` between them."""
    for i, item in enumerate(items):
        if i:
            para += nodes.Text(sep)
        para += item
    return para


def _joined(items: Sequence[nodes.Node], sep: str = ", ") -> nodes.paragraph:
    return append_joined(nodes.paragraph(), items, sep)  # type: ignore[return-value]


def _field(name: str, body: nodes.Element | str, key: str) -> nodes.field:
    if isinstance(body, str):
        body = nodes.paragraph(body, body)
    return nodes.field("", nodes.field_name(name, name), nodes.field_body("", body), classes=[f"casebook-field-{key}"])


EDITORIAL_NOTE = "the casebook's classification"


def facts_panel(
    case: Case, docname: str, vocab: Vocabularies, editorial_fields: Sequence[str] = ("pillars",)
) -> nodes.topic:
    """The panel: title, summary, then one field per filled-in fact, in schema order."""
    panel = nodes.topic(classes=["casebook-facts"])
    panel += nodes.title(case.title, case.title)
    if case.summary:
        panel += nodes.paragraph(case.summary, case.summary, classes=["casebook-summary"])
    fields = nodes.field_list(classes=["casebook-fields"])

    def terms(taxonomy: str, values: Sequence[str]) -> nodes.paragraph:
        return _joined([term_xref(docname, taxonomy, v, vocab.label(taxonomy, v)) for v in values])

    if case.place:
        fields += _field("Place", case.place, "place")
    if case.countries:
        fields += _field(
            "Country", _joined([term_xref(docname, "country", c, country_name(c)) for c in case.countries]), "country"
        )
    if case.level:
        fields += _field("Level of government", terms("level", [case.level]), "level")
    if case.organisations:
        fields += _field(
            "Organisations",
            _joined([term_xref(docname, "organisation", o, o) for o in case.organisations], "; "),
            "organisations",
        )
    if case.years:
        fields += _field("Years", str(case.years), "years")
    if case.status:
        fields += _field("Status", terms("status", [case.status]), "status")
    if case.pillars:
        fields += _field("ROAR pillars", terms("pillar", case.pillars), "pillars")
    if case.instruments:
        fields += _field("Instruments", terms("instrument", case.instruments), "instruments")
    if case.themes:
        fields += _field("Themes", terms("theme", case.themes), "themes")
    fields += casebook_related(case_id=case.id)
    if case.resources:
        fields += _field("Resources", casebook_resources(keys=case.resources), "resources")
    if case.last_reviewed:
        fields += _field("Last reviewed", case.last_reviewed.isoformat(), "last-reviewed")
    fields += _field("Case id", nodes.paragraph("", "", nodes.literal(case.id, case.id)), "id")
    fields += casebook_completeness(case_id=case.id)
    editorial = {*editorial_fields, *case.editorial}
    for item in fields.findall(nodes.field):
        key = next((c[len("casebook-field-") :] for c in item["classes"] if c.startswith("casebook-field-")), "")
        if key in editorial:
            body = item[1]
            para = body[0] if body.children and isinstance(body[0], nodes.paragraph) else body
            para += nodes.Text(" ")
            para += nodes.emphasis(f"({EDITORIAL_NOTE})", f"({EDITORIAL_NOTE})", classes=["casebook-editorial"])
    panel += fields
    return panel

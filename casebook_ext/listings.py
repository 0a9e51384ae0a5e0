"""Render selected cases as portable docutils nodes: a list, a table, a term index, related cases."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from casebook_ext.completeness import score
from casebook_ext.config import settings_of
from casebook_ext.countries import country_name
from casebook_ext.domain import CasebookDomain
from casebook_ext.freshness import is_due
from casebook_ext.model import CaseEntry, term_anchor
from casebook_ext.xrefs import append_joined, joined, term_xref


def case_link(docname: str, entry: CaseEntry) -> nodes.Node:
    return term_xref(docname, "case", entry.case.id, entry.case.title, optional=False)


def _empty() -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.emphasis("No cases yet.", "No cases yet."), classes=["casebook-empty"])


DUE = "Due for review"


def due_flag() -> list[nodes.Node]:
    """The flag a case due for review carries in its panel and in listings."""
    return [nodes.Text(" "), nodes.inline(DUE, DUE, classes=["casebook-due"])]


def case_list(domain: CasebookDomain, docname: str, entries: Sequence[CaseEntry]) -> nodes.Element:
    if not entries:
        return _empty()
    items = nodes.bullet_list(classes=["casebook-list"])
    for entry in entries:
        case = entry.case
        head = nodes.paragraph()
        head += nodes.strong("", "", case_link(docname, entry))
        countries = ", ".join(country_name(c) for c in case.countries)
        place = "" if case.place == countries else case.place
        meta = [place, countries, str(case.years) if case.years else ""]
        meta_text = " \u00b7 ".join(m for m in meta if m)
        if meta_text:
            head += nodes.Text(f" \u2014 {meta_text}")
        if is_due(domain.env.config, case):
            head.extend(due_flag())
        item = nodes.list_item("", head)
        if case.summary:
            item += nodes.paragraph(case.summary, case.summary, classes=["casebook-summary"])
        items += item
    return items


def _cell(domain: CasebookDomain, docname: str, entry: CaseEntry, column: str) -> nodes.Element:
    case = entry.case
    if column == "title":
        return nodes.paragraph("", "", case_link(docname, entry))
    if column in ("place", "summary"):
        text = getattr(case, column)
    elif column == "country":
        text = ", ".join(country_name(c) for c in case.countries)
    elif column in ("level", "status"):
        value = getattr(case, column)
        text = domain.vocabularies.label(column, value) if value else ""
    elif column == "years":
        text = str(case.years) if case.years else ""
    elif column == "last-reviewed":
        text = case.last_reviewed.isoformat() if case.last_reviewed else ""
    elif column == "organisations":
        text = "; ".join(case.organisations)
    elif column == "completeness":
        text = completeness_text(domain, entry)
    else:  # pillars, instruments, themes
        taxonomy = column[:-1]
        text = ", ".join(domain.vocabularies.label(taxonomy, v) for v in case.values(taxonomy))
    return nodes.paragraph(text, text)


#: The columns of the printed listing that stands for the finder outside HTML.
DEFAULT_FINDER_COLUMNS = ("title", "place", "level", "status", "pillars")

COLUMN_TITLES = {"pillars": "ROAR pillars", "last-reviewed": "Last reviewed", "level": "Level"}


def case_table(
    domain: CasebookDomain, docname: str, entries: Sequence[CaseEntry], columns: Sequence[str]
) -> nodes.Element:
    if not entries:
        return _empty()
    table = nodes.table(classes=["casebook-table"])
    group = nodes.tgroup(cols=len(columns))
    table += group
    for column in columns:
        group += nodes.colspec(colwidth=3 if column in ("title", "summary") else 2)
    head = nodes.thead()
    row = nodes.row()
    for column in columns:
        title = COLUMN_TITLES.get(column, column.capitalize())
        row += nodes.entry("", nodes.paragraph(title, title))
    head += row
    group += head
    body = nodes.tbody()
    for entry in entries:
        row = nodes.row()
        for column in columns:
            row += nodes.entry("", _cell(domain, docname, entry, column))
        body += row
    group += body
    return table


def _count(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def term_index(
    domain: CasebookDomain, docname: str, taxonomy: str, compact: bool = False, with_cases: bool = False
) -> list[nodes.Node]:
    """A taxonomy's terms, each linking to its cases with their number; terms no case uses come apart."""
    members = domain.index.by_term.get(taxonomy, {})
    used: list[tuple[str, str, str, list[CaseEntry]]] = []
    unused: list[tuple[str, str]] = []
    for slug, label, description in domain.terms(taxonomy):
        entries = members.get(slug, [])
        if entries:
            used.append((slug, label, description, entries))
        else:
            unused.append((slug, label))
    label_of = settings_of(domain.env.config).taxonomy_label(taxonomy).lower()
    if compact:
        chips = [
            term_xref(docname, taxonomy, _value(taxonomy, slug, label), f"{label} ({len(entries)})")
            for slug, label, _, entries in used
        ]
        return [joined(chips, " \u00b7 ")] if chips else []
    out: list[nodes.Node] = []
    if used:
        items = nodes.bullet_list(classes=["casebook-terms"])
        for slug, label, description, entries in used:
            para = nodes.paragraph()
            para += nodes.target("", "", ids=[term_anchor(taxonomy, slug)])
            para += nodes.strong("", "", term_xref(docname, taxonomy, _value(taxonomy, slug, label), label))
            para += nodes.Text(f" ({_count(len(entries))})")
            if description:
                para += nodes.Text(f": {description}")
            item = nodes.list_item("", para)
            if with_cases:
                item += case_list(domain, docname, sorted(entries, key=lambda e: e.case.title.casefold()))
            items += item
        out.append(items)
    else:
        text = f"No {label_of} is used by a case yet."
        out.append(nodes.paragraph(text, text, classes=["casebook-empty"]))
    if unused:
        para = nodes.paragraph("", "No case yet: ", classes=["casebook-terms-unused"])
        targets = [
            nodes.inline("", "", nodes.target("", "", ids=[term_anchor(taxonomy, s)]), nodes.Text(lab))
            for s, lab in unused
        ]
        append_joined(para, targets)
        para += nodes.Text(".")
        out.append(para)
    return out


def _value(taxonomy: str, slug: str, label: str) -> str:
    """The value a role takes for a term: the code for a country, the name for an organisation."""
    if taxonomy == "country":
        return slug.upper() if slug != "multiple" else slug
    return label if taxonomy == "organisation" else slug


def related_field(domain: CasebookDomain, docname: str, case_id: str) -> nodes.field | None:
    """ "Related cases": relations the case declares, then those declared towards it, each saying the relation.

    A plain relation shows no label; "inspired by", "part of" and "follows" (and their inverses
    seen from the other case) start the line.
    """
    entry = domain.index.by_id.get(case_id)
    if entry is None:
        return None
    relations = domain.vocabularies["relation"]
    rows: list[tuple[str, str]] = []  # (label, other case id)
    for relation in entry.case.related:
        if relation.target == case_id:
            continue
        term = relations.get(relation.kind)
        rows.append(("" if relation.kind == "related" else (term.label if term else relation.kind), relation.target))
    for source, kind in domain.index.incoming.get(case_id, []):
        if source.case.id == case_id or any(other == source.case.id for _, other in rows):
            continue
        term = relations.get(kind)
        rows.append(("" if kind == "related" else (term.inverse if term else kind), source.case.id))
    if not rows:
        return None
    items = nodes.bullet_list(classes=["casebook-related"])
    for label, other in rows:
        other_entry = domain.index.by_id.get(other)
        title = other_entry.case.title if other_entry else other
        para = nodes.paragraph()
        if label:
            text = f"{label[0].upper()}{label[1:]}: "
            para += nodes.inline(text, text, classes=["casebook-relation"])
        para += term_xref(docname, "case", other, title)
        items += nodes.list_item("", para)
    name = "Related cases"
    return nodes.field(
        "", nodes.field_name(name, name), nodes.field_body("", items), classes=["casebook-field-related"]
    )


def completeness_text(domain: CasebookDomain, entry: CaseEntry) -> str:
    """ "85% (missing fields: years; sections: Governance)", for contributors' tables."""
    result = score(entry.case, entry.sections, settings_of(domain.env.config).completeness_rule())
    missing = []
    if result.missing_fields:
        missing.append("fields: " + ", ".join(result.missing_fields))
    if result.missing_sections:
        missing.append("sections: " + ", ".join(result.missing_sections))
    return f"{result.percent}%" + (f" (missing {'; '.join(missing)})" if missing else "")

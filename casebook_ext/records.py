"""Cases as open data: one record per case, the ``cases.json`` envelope and the ``cases.csv`` rows.

Plain Python (no Sphinx): the build fills :class:`Source` and :class:`Casebook` from its
environment, and everything that publishes a case as data (the exports, the finder, the
citations) reads these records, so they cannot disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casebook_ext.model import Case

#: The version of the ``cases.json`` format; bump it when a field changes meaning or goes.
FORMAT_VERSION = 1
#: How ``cases.csv`` joins the values of a multi-valued field.
CSV_JOIN = "; "


@dataclass(frozen=True)
class Source:
    """A case's source as published: its BibTeX key, short label, formatted reference and link."""

    key: str
    label: str
    citation: str
    link: str


@dataclass(frozen=True)
class RelatedCase:
    """A related case: ``direction`` is ``to`` when this case declares the relation, ``from`` when the other does."""

    id: str
    relation: str
    direction: str


@dataclass(frozen=True)
class Casebook:
    """What a citation and the data envelope say about the casebook itself."""

    title: str
    authors: str
    edition: str
    built: dt.date
    base_url: str
    licence: str
    schema: str


@dataclass(frozen=True)
class CaseRecord:
    """One case as data: its fields as typed values, where it is published, and whether it is due for review."""

    case: Case
    url: str
    related: tuple[RelatedCase, ...]
    sources: tuple[Source, ...]
    review_due: bool

    def as_json(self) -> dict[str, Any]:
        case = self.case
        return {
            "id": case.id,
            "title": case.title,
            "summary": case.summary,
            "place": case.place or None,
            "country": list(case.countries),
            "level": case.level or None,
            "organisations": list(case.organisations),
            "years": {"start": case.years.start, "end": case.years.end} if case.years else None,
            "status": case.status or None,
            "pillars": list(case.pillars),
            "instruments": list(case.instruments),
            "themes": list(case.themes),
            "related": [{"id": r.id, "relation": r.relation, "direction": r.direction} for r in self.related],
            "resources": [
                {"key": s.key, "label": s.label, "citation": s.citation, "link": s.link or None} for s in self.sources
            ],
            "last-reviewed": case.last_reviewed.isoformat() if case.last_reviewed else None,
            "editorial": list(case.editorial),
            "url": self.url,
            "review-due": self.review_due,
        }


def envelope(casebook: Casebook, records: Sequence[CaseRecord]) -> dict[str, Any]:
    """``cases.json``: the casebook, the format version, the schema, and every case."""
    return {
        "$schema": casebook.schema,
        "format": FORMAT_VERSION,
        "casebook": {
            "title": casebook.title,
            "authors": casebook.authors,
            "edition": casebook.edition,
            "built": casebook.built.isoformat(),
            "url": casebook.base_url or None,
            "licence": casebook.licence,
        },
        "cases": [record.as_json() for record in records],
    }


#: The columns of ``cases.csv``, in order.
CSV_COLUMNS = (
    "id",
    "title",
    "summary",
    "place",
    "country",
    "level",
    "organisations",
    "years-start",
    "years-end",
    "status",
    "pillars",
    "instruments",
    "themes",
    "related",
    "resources",
    "last-reviewed",
    "editorial",
    "url",
    "review-due",
)


def csv_row(record: CaseRecord) -> dict[str, str]:
    """One row: lists joined with ``"; "``, related cases as ``id (relation)``, empty cells for no value."""
    data = record.as_json()
    years = data["years"] or {}
    row = {
        "years-start": str(years.get("start") or ""),
        "years-end": str(years.get("end") or ""),
        "related": CSV_JOIN.join(f"{r['id']} ({r['relation']})" for r in data["related"] if r["direction"] == "to"),
        "resources": CSV_JOIN.join(r["key"] for r in data["resources"]),
        "review-due": "yes" if record.review_due else "no",
    }
    for column in CSV_COLUMNS:
        if column in row:
            continue
        value = data[column]
        row[column] = CSV_JOIN.join(value) if isinstance(value, list) else "" if value is None else str(value)
    return row


def to_csv(records: Sequence[CaseRecord]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(csv_row(record))
    return out.getvalue()

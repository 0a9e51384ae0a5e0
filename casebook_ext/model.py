"""What a casebook is made of: cases, open questions and wanted cases, as plain frozen data.

No Sphinx and no docutils here, so the build, the command line and the exports share one
model, and the domain can pickle it safely between builds and processes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: The ``country`` value of a case that spans many countries.
MULTIPLE_COUNTRIES = "multiple"


@dataclass(frozen=True)
class YearRange:
    start: int
    end: int | None = None

    def __str__(self) -> str:
        if self.end is None:
            return f"from {self.start}"
        return str(self.start) if self.end == self.start else f"{self.start}\u2013{self.end}"


@dataclass(frozen=True)
class Relation:
    target: str
    kind: str = "related"


@dataclass(frozen=True)
class Case:
    """One validated case, as the domain stores and every listing reads it."""

    id: str
    title: str
    summary: str = ""
    place: str = ""
    countries: tuple[str, ...] = ()
    level: str = ""
    organisations: tuple[str, ...] = ()
    years: YearRange | None = None
    status: str = ""
    pillars: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    related: tuple[Relation, ...] = ()
    resources: tuple[str, ...] = ()
    last_reviewed: dt.date | None = None
    editorial: tuple[str, ...] = ()

    def values(self, taxonomy: str) -> tuple[str, ...]:
        """The case's values for a taxonomy name (``pillar``, ``country``...)."""
        return {
            "pillar": self.pillars,
            "instrument": self.instruments,
            "theme": self.themes,
            "country": self.countries,
            "organisation": self.organisations,
            "status": (self.status,) if self.status else (),
            "level": (self.level,) if self.level else (),
        }[taxonomy]


@dataclass(frozen=True)
class CaseEntry:
    """A case and where it was declared: its page, line, anchor and each field's line."""

    case: Case
    docname: str
    lineno: int
    anchor: str
    field_lines: tuple[tuple[str, int], ...] = ()
    #: Titles of the page's second-level sections, for the completeness indicator.
    sections: tuple[str, ...] = ()
    #: The file the case is written in, when it is not the page's own file (an included file).
    source: str = ""

    def line_of(self, name: str) -> int:
        return dict(self.field_lines).get(name, self.lineno)


@dataclass(frozen=True)
class QuestionEntry:
    """An open question, where it was raised, its themes and the cases that speak to it."""

    id: str
    text: str
    themes: tuple[str, ...]
    cases: tuple[str, ...]
    docname: str
    lineno: int

    @property
    def anchor(self) -> str:
        return question_anchor(self.id)


@dataclass(frozen=True)
class WantedEntry:
    """An initiative the sources name but do not yet describe well enough for a case."""

    id: str
    title: str
    place: str
    country: str
    text: str
    docname: str
    lineno: int

    @property
    def anchor(self) -> str:
        return wanted_anchor(self.id)


# --- anchors: the stable ids that links, the inventory and other sites point to -------------


CASE_ANCHOR_PREFIX = "casebook-case-"


def case_anchor(case_id: str) -> str:
    return f"{CASE_ANCHOR_PREFIX}{case_id}"


def term_anchor(taxonomy: str, slug: str) -> str:
    return f"casebook-{taxonomy}-{slug}"


def question_anchor(question_id: str) -> str:
    return f"casebook-question-{question_id}"


def wanted_anchor(wanted_id: str) -> str:
    return f"casebook-wanted-{wanted_id}"


def resource_anchor(key: str) -> str:
    return "casebook-resource-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")

"""The case schema: fields, their types and validation, in plain Python (no Sphinx).

This module is the single source of truth: the directive, the JSON Schema export and
the generated reference page all read :data:`FIELDS`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pycountry

from casebook_ext.model import MULTIPLE_COUNTRIES, Case, Relation, YearRange
from casebook_ext.problems import Problem
from casebook_ext.vocabulary import SLUG_RE, Vocabularies

MIN_YEAR, MAX_YEAR = 1900, 2100


class Kind(enum.Enum):
    """How a field's text is parsed."""

    TEXT = "text"
    TERM = "term"  # one term of a vocabulary
    TERMS = "terms"  # comma-separated terms of a vocabulary
    COUNTRIES = "countries"  # comma-separated ISO 3166-1 alpha-2 codes, or "multiple"
    NAMES = "names"  # semicolon-separated free text
    YEARS = "years"  # "2019", "2019-2023" or "2019-"
    DATE = "date"  # YYYY-MM-DD
    RELATIONS = "relations"  # comma-separated "case-id" or "case-id (relation)"
    KEYS = "keys"  # comma-separated BibTeX keys
    FIELD_NAMES = "field-names"  # comma-separated names of this schema's classifying fields


@dataclass(frozen=True)
class FieldSpec:
    """One field of a case: its option name, type and meaning."""

    name: str
    kind: Kind
    required: bool
    description: str
    example: str
    vocabulary: str | None = None


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        Kind.TEXT,
        True,
        "The case's name as readers will see it in links and listings.",
        "Mission-led procurement in Camden",
    ),
    FieldSpec(
        "summary",
        Kind.TEXT,
        True,
        "What the case is, in plain words (at most 280 characters by default).",
        "Camden explores how its purchasing can serve its missions.",
    ),
    FieldSpec(
        "place",
        Kind.TEXT,
        False,
        "Where the case happens: a city, region or country, in words.",
        "London Borough of Camden",
    ),
    FieldSpec(
        "country",
        Kind.COUNTRIES,
        False,
        "ISO 3166-1 alpha-2 codes, comma-separated, or ``multiple``; left out when the sources do not place the case.",
        "GB",
    ),
    FieldSpec(
        "level",
        Kind.TERM,
        False,
        "The level of government that leads the work, when the sources say.",
        "local",
        "level",
    ),
    FieldSpec(
        "organisations",
        Kind.NAMES,
        False,
        "Organisations involved, separated by semicolons (names may contain commas).",
        "London Borough of Camden; UCL Institute for Innovation and Public Purpose",
    ),
    FieldSpec(
        "years",
        Kind.YEARS,
        False,
        "When the work ran: one year (``2020``), a span (``2019-2023``) or an open start (``2019-``, ongoing).",
        "2021-2023",
    ),
    FieldSpec(
        "status", Kind.TERM, True, "The stage the work has reached, as far as the sources say.", "exploring", "status"
    ),
    FieldSpec(
        "pillars",
        Kind.TERMS,
        True,
        "One or more ROAR pillars the case speaks to, comma-separated.",
        "routes, risks-rewards",
        "pillar",
    ),
    FieldSpec(
        "instruments",
        Kind.TERMS,
        False,
        "Policy instruments used, comma-separated.",
        "public-procurement",
        "instrument",
    ),
    FieldSpec(
        "themes", Kind.TERMS, False, "Grand challenges addressed, comma-separated.", "inequality-and-inclusion", "theme"
    ),
    FieldSpec(
        "related",
        Kind.RELATIONS,
        False,
        "Other cases, comma-separated, each optionally with a relation in brackets.",
        "valencia-public-mission-community (related)",
        "relation",
    ),
    FieldSpec(
        "resources",
        Kind.KEYS,
        True,
        "BibTeX keys of the sources the case draws on, comma-separated.",
        "iipp2023moinroundup",
    ),
    FieldSpec("last-reviewed", Kind.DATE, True, "When the case was last checked against its sources.", "2026-11-29"),
    FieldSpec(
        "editorial",
        Kind.FIELD_NAMES,
        False,
        "Fields whose values are the casebook's own classification rather than a source's statement, "
        "comma-separated; the facts panel marks them (``casebook_editorial_fields`` are always marked).",
        "status, themes",
    ),
)
FIELDS_BY_NAME: Mapping[str, FieldSpec] = {f.name: f for f in FIELDS}
#: Fields whose value may be the casebook's own judgement rather than a source's statement.
EDITORIAL_FIELDS = ("place", "country", "level", "organisations", "years", "status", "pillars", "instruments", "themes")


#: Taxonomies readers browse by: name -> the field that holds its values.
TAXONOMIES: Mapping[str, str] = {
    "pillar": "pillars",
    "theme": "themes",
    "instrument": "instruments",
    "country": "country",
    "level": "level",
    "status": "status",
    "organisation": "organisations",
}


def suggest(value: str, choices: list[str]) -> str:
    """A "did you mean" tail for a message, or nothing when no choice is close."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _split(text: str, sep: str) -> list[str]:
    return [item.strip() for item in text.split(sep)]


@dataclass
class _Parser:
    vocab: Vocabularies
    summary_max_length: int
    problems: list[Problem] = field(default_factory=list)

    def warn(self, subtype: str, message: str, name: str | None) -> None:
        self.problems.append(Problem(subtype, message, name))

    def items(self, spec: FieldSpec, text: str, sep: str = ",") -> list[str]:
        items = _split(text, sep)
        kept = [item for item in items if item]
        if len(kept) != len(items):
            self.warn("bad_value", f"{spec.name}: empty item in {text!r} (items are separated by {sep!r})", spec.name)
        seen: list[str] = []
        for item in kept:
            if item not in seen:
                seen.append(item)
        return seen

    def term(self, spec: FieldSpec, value: str) -> str | None:
        assert spec.vocabulary is not None
        terms = self.vocab[spec.vocabulary]
        if value in terms:
            return value
        lowered = value.lower().replace(" ", "-").replace("_", "-")
        self.warn(
            "unknown_term",
            f"{spec.name}: {value!r} is not a known {spec.vocabulary}"
            f"{suggest(lowered, list(terms))} (known: {', '.join(terms)})",
            spec.name,
        )
        return None

    def country(self, spec: FieldSpec, value: str) -> str | None:
        code = value.upper()
        if pycountry.countries.get(alpha_2=code) is not None:
            return code
        hint = ""
        try:
            # "UK" is the common slip: ISO 3166-1 reserves it, and the code is GB.
            found = pycountry.countries.lookup("GB" if code == "UK" else value)
            hint = f"; did you mean {found.alpha_2!r} ({found.name})?"
        except LookupError:
            names = {c.name: c.alpha_2 for c in pycountry.countries}
            close = difflib.get_close_matches(value, list(names), n=1, cutoff=0.6)
            if close:
                hint = f"; did you mean {names[close[0]]!r} ({close[0]})?"
        self.warn("bad_country", f"{spec.name}: {value!r} is not an ISO 3166-1 alpha-2 country code{hint}", spec.name)
        return None

    def years(self, spec: FieldSpec, text: str) -> YearRange | None:
        match = re.fullmatch(r"(\d{4})(?:\s*[-\u2013]\s*(\d{4})?)?", text)
        if not match:
            self.warn("bad_years", f"{spec.name}: {text!r} is not a year or a year range such as 2019-2023", spec.name)
            return None
        start = int(match.group(1))
        # "2019" is that year; "2019-" is from 2019 on; "2019-2023" a span.
        end = int(match.group(2)) if match.group(2) else (None if "-" in text or "\u2013" in text else start)
        if not MIN_YEAR <= start <= MAX_YEAR or (end is not None and not MIN_YEAR <= end <= MAX_YEAR):
            self.warn("bad_years", f"{spec.name}: {text!r} is outside {MIN_YEAR}-{MAX_YEAR}", spec.name)
            return None
        if end is not None and end < start:
            self.warn("bad_years", f"{spec.name}: {text!r} ends before it starts", spec.name)
            return None
        return YearRange(start, end)

    def date(self, spec: FieldSpec, text: str) -> dt.date | None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self.warn("bad_date", f"{spec.name}: {text!r} is not a date written YYYY-MM-DD", spec.name)
        return None

    def relation(self, spec: FieldSpec, item: str) -> Relation | None:
        match = re.fullmatch(r"([^\s()]+)\s*(?:\(\s*([^()]*?)\s*\))?", item)
        if not match:
            self.warn("bad_value", f"{spec.name}: {item!r} is not 'case-id' or 'case-id (relation)'", spec.name)
            return None
        target, kind = match.group(1), match.group(2) or "related"
        if not SLUG_RE.match(target):
            self.warn(
                "bad_id", f"{spec.name}: {target!r} is not a case id (a slug such as 'camden-procurement')", spec.name
            )
            return None
        relations = self.vocab["relation"]
        if kind not in relations:
            self.warn(
                "unknown_term",
                f"{spec.name}: {kind!r} is not a known relation"
                f"{suggest(kind, list(relations))} (known: {', '.join(relations)})",
                spec.name,
            )
            kind = "related"
        return Relation(target, kind)


def parse_case(
    case_id: str,
    raw: Mapping[str, str | None],
    vocab: Vocabularies,
    summary_max_length: int = 280,
) -> tuple[Case | None, list[Problem]]:
    """Validate a case's raw fields; return the case (``None`` if its id is unusable) and problems.

    Invalid values are left out of the typed case and each one is reported, so nothing is
    dropped silently; a case with a usable id is always returned so that links to it work.
    """
    parser = _Parser(vocab, summary_max_length)
    if not SLUG_RE.match(case_id):
        parser.warn(
            "bad_id",
            f"case id {case_id!r} is not a slug (lower-case letters, digits and hyphens, "
            f"e.g. {re.sub(r'[^a-z0-9]+', '-', case_id.lower()).strip('-')!r})",
            None,
        )
        return None, parser.problems

    for name in raw:
        if name not in FIELDS_BY_NAME:
            parser.warn(
                "unknown_field",
                f"unknown field {name!r}{suggest(name, list(FIELDS_BY_NAME))} (its value is ignored)",
                name,
            )

    values: dict[str, object] = {}
    for spec in FIELDS:
        text = (raw.get(spec.name) or "").strip()
        if not text:
            if spec.required:
                parser.warn(
                    "missing_field",
                    f"case {case_id!r} is missing required field {spec.name!r}",
                    spec.name if spec.name in raw else None,
                )
            continue
        values[spec.name] = _parse_value(parser, spec, text)

    summary = str(values.get("summary", ""))
    if len(summary) > summary_max_length:
        parser.warn(
            "summary_too_long",
            f"summary: {len(summary)} characters, more than the {summary_max_length} allowed",
            "summary",
        )

    def items(name: str) -> tuple[Any, ...]:
        return tuple(cast("list[Any]", values.get(name, [])))

    case = Case(
        id=case_id,
        title=str(values.get("title") or case_id),
        summary=summary,
        place=str(values.get("place", "")),
        countries=items("country"),
        level=str(values.get("level") or ""),
        organisations=items("organisations"),
        years=cast("YearRange | None", values.get("years")),
        status=str(values.get("status") or ""),
        pillars=items("pillars"),
        instruments=items("instruments"),
        themes=items("themes"),
        related=items("related"),
        resources=items("resources"),
        last_reviewed=cast("dt.date | None", values.get("last-reviewed")),
        editorial=items("editorial"),
    )
    return case, parser.problems


def _parse_value(parser: _Parser, spec: FieldSpec, text: str) -> object:
    if spec.kind is Kind.TEXT:
        return " ".join(text.split())
    if spec.kind is Kind.TERM:
        return parser.term(spec, text)
    if spec.kind is Kind.TERMS:
        return [t for t in (parser.term(spec, item) for item in parser.items(spec, text)) if t]
    if spec.kind is Kind.COUNTRIES:
        items = parser.items(spec, text)
        if [i.lower() for i in items] == [MULTIPLE_COUNTRIES]:
            return [MULTIPLE_COUNTRIES]
        return [c for c in (parser.country(spec, item) for item in items) if c]
    if spec.kind is Kind.NAMES:
        return [" ".join(item.split()) for item in parser.items(spec, text, ";")]
    if spec.kind is Kind.YEARS:
        return parser.years(spec, text)
    if spec.kind is Kind.DATE:
        return parser.date(spec, text)
    if spec.kind is Kind.RELATIONS:
        return [r for r in (parser.relation(spec, item) for item in parser.items(spec, text)) if r]
    if spec.kind is Kind.KEYS:
        keys = parser.items(spec, text)
        for key in keys:
            if re.search(r"[\s{}\"'#%]", key):
                parser.warn("bad_value", f"{spec.name}: {key!r} is not a BibTeX key", spec.name)
        return [k for k in keys if not re.search(r"[\s{}\"'#%]", k)]
    if spec.kind is Kind.FIELD_NAMES:
        names = parser.items(spec, text)
        for name in names:
            if name not in EDITORIAL_FIELDS:
                parser.warn(
                    "bad_value",
                    f"{spec.name}: {name!r} is not a field that classifies a case"
                    f"{suggest(name, list(EDITORIAL_FIELDS))} (known: {', '.join(EDITORIAL_FIELDS)})",
                    spec.name,
                )
        return [n for n in names if n in EDITORIAL_FIELDS]
    raise AssertionError(spec.kind)

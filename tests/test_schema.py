"""The schema, without Sphinx: each rule a contributor can break gives its own problem."""

from __future__ import annotations

import datetime as dt

import pytest

from casebook_ext.json_schema import cases_json_schema
from casebook_ext.model import YearRange
from casebook_ext.problems import SUBTYPES
from casebook_ext.query import Query
from casebook_ext.schema import FIELDS, parse_case
from casebook_ext.vocabulary import Vocabularies

VOCAB = Vocabularies.build()
GOOD = {
    "title": "A case",
    "summary": "Short.",
    "country": "GB",
    "level": "local",
    "status": "exploring",
    "pillars": "routes",
    "resources": "key1",
    "last-reviewed": "2026-11-29",
}


def problems(**changes: str | None) -> list[tuple[str, str, str | None]]:
    raw = {**GOOD, **changes}
    raw = {k: v for k, v in raw.items() if v is not None}
    _, found = parse_case("a-case", raw, VOCAB)
    return [(p.subtype, p.message, p.field) for p in found]


def test_a_complete_case_parses_into_typed_fields() -> None:
    case, found = parse_case(
        "a-case",
        {
            **GOOD,
            "years": "2019-2023",
            "related": "other (inspired-by), third",
            "organisations": "Dept of Trade, Industry and Competition; Council",
            "country": "gb, ES",
        },
        VOCAB,
    )
    assert found == []
    assert case is not None
    assert case.years == YearRange(2019, 2023)

    assert case.countries == ("GB", "ES")
    assert case.organisations == ("Dept of Trade, Industry and Competition", "Council")
    assert [(r.target, r.kind) for r in case.related] == [("other", "inspired-by"), ("third", "related")]
    assert case.last_reviewed == dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "years", "shown"),
    [
        ("2020", YearRange(2020, 2020), "2020"),
        ("2019-", YearRange(2019, None), "from 2019"),
        ("2019-2023", YearRange(2019, 2023), "2019\u20132023"),
    ],
)
def test_years_are_one_year_an_open_start_or_a_span(text: str, years: YearRange, shown: str) -> None:
    case, _ = parse_case("x", {"title": "X", "years": text}, Vocabularies.build())
    assert case is not None and case.years == years and str(case.years) == shown


@pytest.mark.parametrize(
    ("changes", "subtype", "needle"),
    [
        ({"title": None}, "missing_field", "'title'"),
        ({"colour": "blue"}, "unknown_field", "colour"),
        ({"pilars": "routes"}, "unknown_field", "did you mean 'pillars'"),
        ({"pillars": "asessment"}, "unknown_term", "did you mean 'assessment'"),
        ({"status": "implemented"}, "unknown_term", "did you mean 'implementing'"),
        ({"country": "UK"}, "bad_country", "not an ISO 3166-1"),
        ({"country": "Spain"}, "bad_country", "did you mean 'ES'"),
        ({"last-reviewed": "29/11/2026"}, "bad_date", "YYYY-MM-DD"),
        ({"last-reviewed": "2026-02-30"}, "bad_date", "2026-02-30"),
        ({"years": "2023-2019"}, "bad_years", "ends before it starts"),
        ({"years": "since 2019"}, "bad_years", "not a year"),
        ({"summary": "x" * 281}, "summary_too_long", "281 characters"),
        ({"related": "Not A Slug"}, "bad_value", "Not A Slug"),
        ({"related": "other (inspired)"}, "unknown_term", "did you mean 'inspired-by'"),
        ({"pillars": "routes,,assessment"}, "bad_value", "empty item"),
    ],
)
def test_each_mistake_has_its_own_subtype_and_a_helpful_message(changes, subtype, needle) -> None:
    found = problems(**changes)
    assert [s for s, _, _ in found] == [subtype], found
    assert needle in found[0][1]


def test_a_bad_id_is_reported_with_a_slug_suggestion() -> None:
    case, found = parse_case("My Case", GOOD, VOCAB)
    assert case is None
    assert [(p.subtype, "'my-case'" in p.message) for p in found] == [("bad_id", True)]


def test_invalid_values_are_left_out_but_the_case_is_kept() -> None:
    case, found = parse_case("a-case", {**GOOD, "pillars": "routes, nonsense"}, VOCAB)
    assert case is not None and case.pillars == ("routes",)
    assert len(found) == 1


def test_site_terms_extend_a_vocabulary() -> None:
    vocab = Vocabularies.build({"instrument": {"tax-credit": "Tax credits"}})
    case, found = parse_case("a-case", {**GOOD, "instruments": "tax-credit, grants"}, vocab)
    assert found == [] and case is not None and case.instruments == ("tax-credit", "grants")
    assert problems(instruments="tax-credit")[0][0] == "unknown_term"


def test_every_documented_subtype_is_one_the_code_can_emit() -> None:
    from pathlib import Path

    import casebook_ext

    package = Path(casebook_ext.__file__).parent
    code = "".join(p.read_text(encoding="utf8") for p in package.rglob("*.py") if p.name != "problems.py")
    never = [subtype for subtype in SUBTYPES if f'"{subtype}"' not in code]
    assert never == [], f"documented on the reference page but never emitted: {never}"


def test_json_schema_follows_the_fields_and_vocabularies() -> None:
    schema = cases_json_schema(Vocabularies.build({"theme": {"water": "Water"}}))["$defs"]["case"]
    # Every field a case can have, plus what the build adds: where it is published and if it is due for review.
    assert set(schema["properties"]) == {"id", *(f.name for f in FIELDS), "url", "review-due"}
    assert set(schema["required"]) == set(schema["properties"])
    assert schema["properties"]["pillars"]["items"]["enum"] == [
        "routes",
        "organisations",
        "assessment",
        "risks-rewards",
    ]
    assert "water" in schema["properties"]["themes"]["items"]["enum"]
    assert schema["properties"]["summary"]["maxLength"] == 280


def test_queries_filter_on_all_fields_and_sort_missing_values_last() -> None:
    def case(case_id: str, years: str | None, country: str, pillars: str):
        raw = {**GOOD, "title": case_id.upper(), "country": country, "pillars": pillars}
        if years:
            raw["years"] = years
        return parse_case(case_id, raw, VOCAB)[0]

    cases = [
        case("a", "2019-2020", "GB", "assessment"),
        case("b", "2021-2022", "GB", "routes, assessment"),
        case("c", None, "GB", "assessment"),
        case("d", "2022", "ES", "assessment"),
    ]
    query = Query((("pillar", ("assessment",)), ("country", ("GB",))), sort="-year")
    assert [c.id for c in query.run(cases)] == ["b", "a", "c"]
    assert [c.id for c in Query(sort="year").run(cases)] == ["a", "b", "d", "c"]
    assert [c.id for c in Query(year=2022).run(cases)] == ["b", "d"]  # "a" ended in 2020


def test_bibtex_text_reads_as_a_reader_sees_it() -> None:
    from pybtex.database import parse_string

    from casebook_ext.citestyle import labels
    from casebook_ext.resources import latex_to_text

    assert latex_to_text(r"Alcald{\'\i}a Mayor de Bogot{\'a}") == "Alcaldía Mayor de Bogotá"
    assert latex_to_text(r"Project ``DECODE'' for \$90 and R\&D") == "Project “DECODE” for $90 and R&D"
    data = parse_string(
        r"""@misc{a, author = {{Alcald{\'\i}a Mayor de Bogot{\'a}}}, title = {A}, year = {2023}}
            @misc{b, author = {{UCL Institute}}, shortauthor = {IIPP}, title = {B}, year = {2023}}
            @misc{c, author = {{UCL Institute}}, shortauthor = {IIPP}, title = {C}, year = {2023}}""",
        "bibtex",
    )
    assert labels(data) == {"a": "Alcaldía Mayor de Bogotá 2023", "b": "IIPP 2023a", "c": "IIPP 2023b"}

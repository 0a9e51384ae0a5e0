"""The landing page's counts are the casebook's: computed here from what the build published and stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casebook_ext.model import MULTIPLE_COUNTRIES

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from .harness import OpenPage


def expected_counts(cases: list[dict[str, Any]], env: BuildEnvironment) -> dict[str, int]:
    """Cases and countries from ``cases.json``; sources and questions from the build's environment."""
    countries = {code for case in cases for code in case["country"] if code != MULTIPLE_COUNTRIES}
    bibliography = env.domaindata["cite"]["bibdata"].data.entries
    questions = {q.id for entries in env.domaindata["casebook"]["questions"].values() for q in entries}
    return {"cases": len(cases), "countries": len(countries), "sources": len(bibliography), "questions": len(questions)}


def test_the_landing_page_counts_what_the_casebook_holds(
    open_page: OpenPage, cases: list[dict[str, Any]], build_env: BuildEnvironment
) -> None:
    visit = open_page("index.html")
    expected = expected_counts(cases, build_env)
    assert all(expected.values()), expected
    shown = {key: visit.page.locator(f".casebook-count-{key}").inner_text() for key in expected}
    assert shown == {key: str(number) for key, number in expected.items()}
    visit.assert_clean()


def test_the_references_page_lists_every_source_the_landing_page_counts(
    open_page: OpenPage, build_env: BuildEnvironment
) -> None:
    visit = open_page("references.html")
    entries = visit.page.locator(".citation-list > .citation")
    assert entries.count() == len(build_env.domaindata["cite"]["bibdata"].data.entries)
    visit.assert_clean()

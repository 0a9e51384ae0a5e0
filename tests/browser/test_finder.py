"""The Cases finder as a reader uses it: facets, counts, the search box, the address, back, and no JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .finder_model import (
    choose,
    expected_status,
    matching,
    narrowing_pair,
    shown,
    shown_counts,
    status,
    summary_words,
    value_counts,
    wait_for_status,
)

if TYPE_CHECKING:
    from .harness import OpenPage

FINDER = "cases/index.html"
Cases = list[dict[str, Any]]


@pytest.mark.parametrize(("first", "second"), [("level", "instrument"), ("pillar", "country")])
def test_two_facets_show_exactly_the_cases_with_both(
    open_page: OpenPage, cases: Cases, first: str, second: str
) -> None:
    visit = open_page(FINDER)
    page = visit.page
    a, b = narrowing_pair(cases, first, second)
    assert status(page) == expected_status(len(cases), len(cases))
    assert shown_counts(page) == value_counts(cases, {})

    choose(page, first, a)
    wait_for_status(page, expected_status(len(matching(cases, {first: [a]})), len(cases)))
    choose(page, second, b)
    chosen = {first: [a], second: [b]}
    expected = matching(cases, chosen)
    wait_for_status(page, expected_status(len(expected), len(cases)))

    assert shown(page) == expected
    assert shown_counts(page) == value_counts(cases, chosen)
    live = page.locator(".casebook-finder-count")
    assert (live.get_attribute("role"), live.get_attribute("aria-live")) == ("status", "polite")
    visit.assert_clean()


def test_the_address_keeps_the_choice_reloading_restores_it_and_back_undoes_it(
    open_page: OpenPage, cases: Cases
) -> None:
    visit = open_page(FINDER)
    page = visit.page
    level, instrument = narrowing_pair(cases, "level", "instrument")
    choose(page, "level", level)
    only_level = matching(cases, {"level": [level]})
    wait_for_status(page, expected_status(len(only_level), len(cases)))
    choose(page, "instrument", instrument)
    both = matching(cases, {"level": [level], "instrument": [instrument]})
    wait_for_status(page, expected_status(len(both), len(cases)))
    assert parse_qs(urlsplit(page.url).query) == {"level": [level], "instrument": [instrument]}

    page.reload()
    wait_for_status(page, expected_status(len(both), len(cases)))
    assert shown(page) == both
    assert page.locator(f"#casebook-level-{level}").is_checked()
    assert page.locator(f"#casebook-instrument-{instrument}").is_checked()

    page.go_back()
    wait_for_status(page, expected_status(len(only_level), len(cases)))
    assert shown(page) == only_level
    assert parse_qs(urlsplit(page.url).query) == {"level": [level]}
    assert page.locator(f"#casebook-level-{level}").is_checked()
    assert not page.locator(f"#casebook-instrument-{instrument}").is_checked()
    visit.assert_clean()


def test_a_shared_address_opens_the_finder_with_that_choice(open_page: OpenPage, cases: Cases) -> None:
    pillar, country = narrowing_pair(cases, "pillar", "country")
    visit = open_page(f"{FINDER}?pillar={pillar}&country={country}")
    expected = matching(cases, {"pillar": [pillar], "country": [country]})
    wait_for_status(visit.page, expected_status(len(expected), len(cases)))
    assert shown(visit.page) == expected
    visit.assert_clean()


def test_the_search_box_finds_cases_by_the_words_of_their_summaries(open_page: OpenPage, cases: Cases) -> None:
    visit = open_page(FINDER)
    page = visit.page
    words = summary_words(cases)
    word = words[0]
    expected = {case["id"] for case in cases if word in case["summary"].lower()}
    assert 1 < len(expected) < len(cases)
    page.get_by_label("Search titles, summaries, places and organisations").press_sequentially(word)
    wait_for_status(page, expected_status(len(expected), len(cases)))
    assert shown(page) == expected
    assert parse_qs(urlsplit(page.url).query) == {"q": [word]}

    # A second word narrows: every word must be in the case.
    second = next(w for w in words[1:] if 0 < len(matching(cases, {}, f"{word} {w}")) < len(expected))
    page.get_by_label("Search titles, summaries, places and organisations").press_sequentially(f" {second}")
    both = matching(cases, {}, f"{word} {second}")
    wait_for_status(page, expected_status(len(both), len(cases)))
    assert shown(page) == both
    visit.assert_clean()


def test_without_javascript_the_finder_lists_every_case(open_page: OpenPage, base_url: str, cases: Cases) -> None:
    visit = open_page(FINDER, javascript=False)
    page = visit.page
    items = page.locator("li.casebook-finder-case")
    assert items.count() == len(cases)
    assert all(item.is_visible() for item in items.all())
    links = page.eval_on_selector_all(".casebook-finder-title a", "links => links.map(a => a.href.split('#')[0])")
    assert sorted(links) == sorted(base_url + case["url"].split("#")[0] for case in cases)
    assert not page.locator(".casebook-finder-controls").is_visible()
    assert status(page) == expected_status(len(cases), len(cases))
    visit.assert_clean()

"""Searching the site for a case's title finds that case first, and once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .harness import OpenPage


def results(page: Page) -> list[str]:
    """The pages the search lists, in order, as addresses without their fragments."""
    # Sphinx writes the summary once the last result is on the page.
    page.wait_for_selector("#search-results .search-summary:not(:empty)")
    hrefs = page.eval_on_selector_all("#search-results ul.search > li > a", "links => links.map(a => a.href)")
    return [str(href).split("#")[0] for href in hrefs]


def test_a_case_s_title_finds_that_case_first_and_once(
    open_page: OpenPage, base_url: str, cases: list[dict[str, Any]]
) -> None:
    wrong = {}
    for case in cases:
        visit = open_page("search.html?" + urlencode({"q": case["title"]}))
        found = results(visit.page)
        page = base_url + case["url"].split("#")[0]
        places = [i + 1 for i, href in enumerate(found) if href == page]
        if places != [1]:
            wrong[case["title"]] = f"listed at {places} of {len(found)}"
        visit.assert_clean()
    assert wrong == {}

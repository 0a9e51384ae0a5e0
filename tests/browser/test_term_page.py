"""A term's page lists the cases filed under it, and leads back to every term of its kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .harness import OpenPage

TERM_PAGE = "browse/pillar/routes.html"


def test_a_term_page_lists_its_cases_and_leads_back_to_its_kind(
    open_page: OpenPage, cases: list[dict[str, Any]]
) -> None:
    visit = open_page(TERM_PAGE)
    page = visit.page
    filed = {case["title"] for case in cases if "routes" in case["pillars"]}
    listed = page.locator("section.casebook-term-page li > p strong a").all_inner_texts()
    assert sorted(listed) == sorted(filed)
    assert page.locator(".casebook-term-count").inner_text().startswith(f"{len(filed)} cases")

    # Named as the casebook names the kind: "ROAR pillar", not "roar pillar".
    page.get_by_role("link", name="Every ROAR pillar", exact=True).click()
    page.wait_for_url("**/browse/index.html#casebook-pillar-routes")
    # The browser scrolled to the term's entry: the reader sees it.
    entry = page.locator("li:has(#casebook-pillar-routes)")
    assert "Routes" in entry.inner_text()
    assert entry.evaluate("li => { const r = li.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    visit.assert_clean()

"""What the finder should show, computed from ``cases.json`` alone, and how a reader works its controls.

Shared by the finder's tests on the real casebook and on a synthetic one of 1,000 cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import product
from typing import TYPE_CHECKING, Any

from casebook_ext.countries import country_name

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Finder facet -> field of a case in cases.json.
FIELDS = {
    "pillar": "pillars",
    "level": "level",
    "country": "country",
    "theme": "themes",
    "instrument": "instruments",
    "status": "status",
}
Chosen = Mapping[str, Iterable[str]]


def values(case: Mapping[str, Any], facet: str) -> list[str]:
    value = case[FIELDS[facet]]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def passes(case: Mapping[str, Any], chosen: Chosen, words: str = "", *, except_facet: str = "") -> bool:
    """Any chosen value within a facet, every facet, and every word somewhere in the case's text."""
    for facet, wanted in chosen.items():
        wanted = set(wanted)
        if facet != except_facet and wanted and not wanted & set(values(case, facet)):
            return False
    text = searchable(case)
    return all(word in text for word in words.lower().split())


def searchable(case: Mapping[str, Any]) -> str:
    """The words the finder's search box looks in: title, summary, place, countries, organisations."""
    countries = ", ".join(country_name(code) for code in case["country"])
    return " ".join([case["title"], case["summary"], case["place"], countries, *case["organisations"]]).lower()


def matching(cases: Iterable[Mapping[str, Any]], chosen: Chosen, words: str = "") -> set[str]:
    return {case["id"] for case in cases if passes(case, chosen, words)}


def value_counts(cases: list[dict[str, Any]], chosen: Chosen, words: str = "") -> dict[str, int]:
    """``facet-value`` -> the cases choosing that value would add up to, the facet's own choice aside."""
    out: dict[str, int] = {}
    for facet in FIELDS:
        for value in sorted({v for case in cases for v in values(case, facet)}):
            out[f"{facet}-{value}"] = sum(
                value in values(case, facet) and passes(case, chosen, words, except_facet=facet) for case in cases
            )
    return out


def narrowing_pair(cases: list[dict[str, Any]], first: str, second: str) -> tuple[str, str]:
    """Two values, one of each facet, whose cases overlap and where each narrows the other's."""
    firsts = sorted({v for case in cases for v in values(case, first)})
    seconds = sorted({v for case in cases for v in values(case, second)})
    best: tuple[int, str, str] | None = None
    for a, b in product(firsts, seconds):
        both = len(matching(cases, {first: [a], second: [b]}))
        alone = min(len(matching(cases, {first: [a]})), len(matching(cases, {second: [b]})))
        if 0 < both < alone and (best is None or both > best[0]):
            best = (both, a, b)
    assert best is not None, f"no two values of {first} and {second} narrow each other"
    return best[1], best[2]


def summary_words(cases: list[dict[str, Any]]) -> list[str]:
    """Words that appear in some summaries and nowhere else the search box looks, most useful first."""
    others = " ".join(searchable({**case, "summary": ""}) for case in cases)
    words = {w for case in cases for w in re.findall(r"[a-z]{6,}", case["summary"].lower())}
    useful = []
    for word in sorted(words):
        found = sum(word in case["summary"].lower() for case in cases)
        if word not in others and 1 < found < len(cases) // 2:
            useful.append((-found, word))
    return [word for _, word in sorted(useful)]


# --- the reader's side ------------------------------------------------------------------------------


def choose(page: Page, facet: str, value: str) -> None:
    """Tick a facet value as a reader does: open its panel if it is folded, click the value's label."""
    box = page.locator(f"#casebook-{facet}-{value}")
    panel = page.locator("details.casebook-facet-panel", has=box)
    if not panel.evaluate("details => details.open"):
        panel.locator("summary").click()
    page.locator(f"label[for='casebook-{facet}-{value}']").click()


def shown(page: Page) -> set[str]:
    return set(
        page.eval_on_selector_all("li.casebook-finder-case:not([hidden])", "items => items.map(i => i.dataset.id)")
    )


def status(page: Page) -> str:
    return page.locator(".casebook-finder-count").inner_text().strip()


def expected_status(found: int, total: int) -> str:
    return f"{total} cases" if found == total else f"{found} of {total} cases"


def wait_for_status(page: Page, text: str) -> None:
    page.wait_for_function("text => document.querySelector('.casebook-finder-count').textContent === text", arg=text)


def shown_counts(page: Page) -> dict[str, int]:
    """``facet-value`` -> the count shown beside each checkbox."""
    pairs = page.eval_on_selector_all(
        ".casebook-facet-value",
        "rows => rows.map(r => [r.querySelector('input').id, r.querySelector('.casebook-facet-count').textContent])",
    )
    return {str(box).removeprefix("casebook-"): int(str(count).strip("()")) for box, count in pairs}

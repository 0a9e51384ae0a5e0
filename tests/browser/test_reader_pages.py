"""The pages a reader lands on, at a desktop and a phone width: they load cleanly, fit and pass axe-core."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from . import harness
from .harness import BLOCKING, CASE_PAGE, DESKTOP, PHONE, READER_PAGES, SMALL_PHONE, PageReport

VIEWS = [
    pytest.param(path, width, id=f"{name}-{width}")
    for name, path in READER_PAGES.items()
    for width in ((DESKTOP, PHONE, SMALL_PHONE) if path == CASE_PAGE else (DESKTOP, PHONE))
]

Report = Callable[[str, int], PageReport]


@pytest.mark.parametrize(("path", "width"), VIEWS)
def test_the_page_loads_without_errors_and_asks_only_its_own_server(page_report: Report, path: str, width: int) -> None:
    report = page_report(path, width)
    assert report.console_errors == [], report.console_errors
    assert report.failed == [], report.failed
    assert report.hosts == {harness.HOST}, f"requests to other hosts: {sorted(report.hosts - {harness.HOST})}"


@pytest.mark.parametrize(("path", "width"), VIEWS)
def test_nothing_on_the_page_is_wider_than_the_screen(page_report: Report, path: str, width: int) -> None:
    report = page_report(path, width)
    assert report.width == width
    assert report.scroll_width <= width, f"the page scrolls sideways: {report.scroll_width}px wide"
    assert report.outside == [], "\n".join(report.outside)


@pytest.mark.parametrize("width", [DESKTOP, PHONE, SMALL_PHONE])
def test_the_facts_panel_fits_the_screen(page_report: Report, width: int) -> None:
    facts = page_report(CASE_PAGE, width).facts_panel
    assert facts is not None, "no .casebook-facts on the case page"
    assert facts["left"] >= 0 and facts["right"] <= width, facts
    assert facts["width"] >= 0.6 * min(width, 700), f"the facts panel is squeezed: {facts}"


@pytest.mark.parametrize(("path", "width"), VIEWS)
def test_axe_core_finds_no_critical_or_serious_violation(page_report: Report, path: str, width: int) -> None:
    blocking = [v for v in page_report(path, width).violations if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(f"{v['impact']} {v['id']} ({v['help']}): {v['targets']}" for v in blocking)


@pytest.mark.parametrize("path", [CASE_PAGE, "index.html", "browse/pillar/routes.html"])
def test_the_page_names_an_icon_its_server_has(page_report: Report, path: str) -> None:
    # Headless Chromium does not fetch icons itself; a reader's browser does, and without a
    # <link rel=icon> it asks for /favicon.ico, which the casebook does not have.
    icons = page_report(path, DESKTOP).icons
    assert icons, "no <link rel=icon>"
    for icon in icons:
        assert urlsplit(icon).hostname == harness.HOST, icon
        with urllib.request.urlopen(icon) as answer:  # the test server, on 127.0.0.1
            assert answer.status == 200
            assert answer.headers.get_content_type().startswith("image/"), answer.headers.get_content_type()

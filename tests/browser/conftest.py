"""Browser tests: the real casebook, built once, served on 127.0.0.1 and read in Debian's Chromium.

Every page a test opens records its console errors, its failed requests and the host of every
request, so each test can assert what a reader would notice. When Chromium or axe-core is
missing the tests skip, saying what to install, except under CI (``CI`` set), where they fail.

The fixtures live as long as this package's tests, not the session: Playwright's synchronous API
keeps an event loop running while it is started, and the suite's later tests call ``asyncio.run``.
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import harness
from .harness import AXE_NOTES, BLOCKING, DESKTOP, HEIGHTS, OpenPage, PageReport, Visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright
    from sphinx.environment import BuildEnvironment


@pytest.fixture(scope="package", autouse=True)
def browser_tools() -> None:
    """Skip (or, under CI, fail) when Chromium, axe-core or Playwright is missing, saying which."""
    lacking = harness.missing()
    if lacking and os.environ.get("CI"):
        pytest.fail(f"CI must install the browser tests' tools ({harness.INSTALL}); missing: {'; '.join(lacking)}")
    if lacking:
        pytest.skip(f"browser tests need {'; '.join(lacking)}; install with {harness.INSTALL}")


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The casebook in ``docs/``, built once as HTML, strictly (``-n -W --keep-going``)."""
    out = tmp_path_factory.mktemp("casebook-html")
    result = harness.build_html(harness.DOCS, out)
    assert result.returncode == 0 and not result.stderr.strip(), result.stdout[-3000:] + result.stderr[-3000:]
    return out


@pytest.fixture(scope="package")
def base_url(site: Path) -> Iterator[str]:
    with harness.serve(site) as url:
        yield url


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = harness.launch(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def cases(site: Path) -> list[dict[str, Any]]:
    """Every case as the build published it in ``cases.json``."""
    data: dict[str, Any] = json.loads((site / "cases.json").read_text(encoding="utf-8"))
    return list(data["cases"])


@pytest.fixture(scope="package")
def build_env(site: Path) -> BuildEnvironment:
    """The build's environment, as Sphinx pickled it next to the HTML."""
    with (site / ".doctrees" / "environment.pickle").open("rb") as stream:
        env: BuildEnvironment = pickle.load(stream)
    return env


def open_visit(
    browser: Browser,
    url: str,
    width: int = DESKTOP,
    *,
    javascript: bool = True,
    permissions: tuple[str, ...] = (),
) -> tuple[BrowserContext, Visit]:
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHTS.get(width, 900)},
        java_script_enabled=javascript,
        permissions=list(permissions),
    )
    visit = Visit(context.new_page())
    visit.record()
    visit.page.goto(url, wait_until="load")
    return context, visit


@pytest.fixture
def open_page(browser: Browser, base_url: str) -> Iterator[OpenPage]:
    """``open_page("cases/index.html", width=390, javascript=False)``: a page of the casebook (or any
    address on the test servers) in a fresh context, closed after the test."""
    contexts: list[BrowserContext] = []

    def open_(path: str, width: int = DESKTOP, **options: Any) -> Visit:
        url = path if "://" in path else base_url + path
        context, visit = open_visit(browser, url, width, **options)
        contexts.append(context)
        return visit

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="package")
def page_report(browser: Browser, base_url: str) -> Callable[[str, int], PageReport]:
    """The report of a page at a width, measured once and shared by the tests that read it."""
    cache: dict[tuple[str, int], PageReport] = {}
    axe = harness.AXE.read_text(encoding="utf-8")

    def report(path: str, width: int) -> PageReport:
        if (path, width) in cache:
            return cache[(path, width)]
        context, visit = open_visit(browser, base_url + path, width)
        page = visit.page
        try:
            page.wait_for_load_state("networkidle")
            box = page.evaluate(harness.OVERFLOW_JS)
            facts = page.evaluate(
                "() => { const e = document.querySelector('.casebook-facts'); if (!e) return null;"
                " const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width}; }"
            )
            icons = page.eval_on_selector_all("link[rel~='icon']", "links => links.map(l => l.href)")
            page.add_script_tag(content=axe)
            violations = page.evaluate(harness.AXE_JS)
            sizes = 0
            for resp in visit.responses:
                measured = resp.request.sizes()
                sizes += measured["responseBodySize"] + measured["responseHeadersSize"]
        finally:
            context.close()
        cache[(path, width)] = PageReport(
            visit.console_errors,
            visit.failed,
            visit.hosts,
            box["width"],
            box["scrollWidth"],
            box["outside"],
            facts,
            violations,
            sizes,
            icons,
        )
        for violation in violations:
            if violation["impact"] not in BLOCKING and (path, width, violation) not in AXE_NOTES:
                AXE_NOTES.append((path, width, violation))
        return cache[(path, width)]

    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """axe-core's moderate and minor findings, which fail no test, listed so they are not lost."""
    if not AXE_NOTES:
        return
    terminalreporter.section("axe-core: moderate and minor violations (not failing)")
    for path, width, v in AXE_NOTES:
        where = ", ".join(v["targets"][:3])
        terminalreporter.write_line(f"{path} @ {width}px: {v['impact']} {v['id']} x{v['nodes']} ({where})")

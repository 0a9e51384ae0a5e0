"""The finder in a real browser: what a reader downloads, and how long a filter takes, at N cases.

For the casebook in ``docs/`` and for synthetic casebooks of N cases (``scale.py``'s generator and
conf, plus one page holding the finder), it prints the sizes of ``cases.json``, of the finder's page
and script, the bytes a browser transfers to show a case page, and the time from clicking a facet's
checkbox to the finder's count updating (the median and the slowest of a series of clicks), in
Debian's Chromium, headless::

    python benchmarks/finder.py [--sizes 1000] [--clicks 12] [--workdir benchmarks/_work/finder] [--reuse]

Needs what the browser tests need (``bash tests/browser/install.sh``). Times are printed, never
asserted: they depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import scale

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from browser import harness  # tests/browser/harness.py, found through sys.path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Response

#: The synthetic casebook's conf, as ``scale.py`` writes it for the project with the extension.
CONF = 'extensions = ["myst_parser", "casebook_ext"]\n' + scale.CONF_COMMON
FINDER_PAGE = "finder"
REAL_CASE_PAGE = "cases/camden-mission-led-procurement.html"

#: In the page: the time of the pointer going down on a control, and of the count's text changing.
INSTRUMENT = """
() => {
  window.casebookTiming = {start: null, updated: null};
  const count = document.querySelector(".casebook-finder-count");
  new MutationObserver(() => {
    if (window.casebookTiming.updated === null) window.casebookTiming.updated = performance.now();
  }).observe(count, {childList: true, characterData: true, subtree: true});
  document.addEventListener("pointerdown", () => {
    window.casebookTiming = {start: performance.now(), updated: null};
  }, true);
}
"""


def write_synthetic(n: int, root: Path) -> list[scale.CaseSource]:
    """A casebook of ``n`` generated cases in ``root``: scale.py's pages and conf, and a finder page."""
    sources = scale.generate(n)
    pages = scale.ext_pages(sources)
    pages["index"] = pages["index"].replace("listings\n", f"listings\n{FINDER_PAGE}\n")
    pages[FINDER_PAGE] = "# Find a case\n\n:::{case-finder}\n:::\n"
    scale.write_project(root, pages, CONF)
    return sources


def build_synthetic(n: int, root: Path) -> Path:
    """Write and build the casebook of ``n`` cases (``_build/html`` under ``root``); return the HTML folder."""
    write_synthetic(n, root)
    scale.build(root, jobs=1, clean=True)
    return root / "_build" / "html"


@dataclass
class Figures:
    """What one casebook measured."""

    name: str
    cases: int = 0
    cases_json: int = 0
    finder_page: int = 0
    finder_script: int = 0
    finder_transferred: int = 0
    case_page_transferred: int = 0
    case_page_requests: int = 0
    clicks_ms: list[float] = field(default_factory=list)


def transferred(browser: Browser, url: str) -> tuple[int, int]:
    """Bytes (bodies and headers) and requests a fresh browser context needs to show ``url``."""
    context = browser.new_context(viewport={"width": harness.DESKTOP, "height": 900})
    page = context.new_page()
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return total, len(responses)


def click_times(browser: Browser, url: str, clicks: int) -> list[float]:
    """Milliseconds from pointer-down on a facet value's label to the count's text changing, per click."""
    context = browser.new_context(viewport={"width": harness.DESKTOP, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate(INSTRUMENT)
    labels = page.locator(
        "details.casebook-facet-panel[open] .casebook-facet-value:not(.casebook-facet-empty) label"
    ).all()
    times = []
    for i in range(clicks):
        labels[i % len(labels)].click()
        page.wait_for_function("() => window.casebookTiming.updated !== null")
        timing = page.evaluate("() => window.casebookTiming")
        times.append(float(timing["updated"]) - float(timing["start"]))
    context.close()
    return times


def measure(browser: Browser, name: str, html: Path, finder: str, case_page: str, clicks: int) -> Figures:
    figures = Figures(name)
    figures.cases_json = (html / "cases.json").stat().st_size
    figures.cases = (html / finder).read_text(encoding="utf-8").count('<li class="casebook-finder-case"')
    figures.finder_page = (html / finder).stat().st_size
    figures.finder_script = (html / "_static" / "casebook-finder.js").stat().st_size
    with harness.serve(html) as base:
        figures.finder_transferred, _ = transferred(browser, base + finder)
        figures.case_page_transferred, figures.case_page_requests = transferred(browser, base + case_page)
        figures.clicks_ms = click_times(browser, base + finder, clicks)
    return figures


def report(results: Sequence[Figures]) -> None:
    rows: list[tuple[str, Callable[[Figures], str]]] = [
        ("cases", lambda f: str(f.cases)),
        ("cases.json (bytes)", lambda f: f"{f.cases_json:,}"),
        ("finder page HTML (bytes)", lambda f: f"{f.finder_page:,}"),
        ("casebook-finder.js (bytes)", lambda f: f"{f.finder_script:,}"),
        ("finder page, transferred (bytes)", lambda f: f"{f.finder_transferred:,}"),
        ("a case page, transferred (bytes)", lambda f: f"{f.case_page_transferred:,}"),
        ("a case page, requests", lambda f: str(f.case_page_requests)),
        ("filter: click -> count, median (ms)", lambda f: f"{statistics.median(f.clicks_ms):.1f}"),
        ("filter: click -> count, slowest (ms)", lambda f: f"{max(f.clicks_ms):.1f}"),
        ("clicks", lambda f: str(len(f.clicks_ms))),
    ]
    table = [["", *(f.name for f in results)]] + [[label, *(show(f) for f in results)] for label, show in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for label, *cells in table:
        print("  ".join([label.ljust(widths[0]), *(c.rjust(w) for c, w in zip(cells, widths[1:], strict=True))]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000], help="synthetic casebooks to measure")
    parser.add_argument("--clicks", type=int, default=12, help="facet clicks timed per casebook")
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "_work" / "finder")
    parser.add_argument("--reuse", action="store_true", help="measure the HTML already built in the workdir")
    args = parser.parse_args(argv)
    lacking = harness.missing()
    if lacking:
        print(f"missing: {'; '.join(lacking)}; install with {harness.INSTALL}", file=sys.stderr)
        return 2
    workdir = args.workdir.resolve()
    builds: list[tuple[str, Path, str, str]] = []
    real = workdir / "real"
    if not (args.reuse and (real / "cases.json").is_file()):
        print("building docs/ ...", file=sys.stderr, flush=True)
        result = harness.build_html(harness.DOCS, real)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
    builds.append(("docs/", real, "cases/index.html", REAL_CASE_PAGE))
    for n in args.sizes:
        root = workdir / f"n{n}"
        html = root / "_build" / "html"
        if not (args.reuse and (html / "cases.json").is_file()):
            print(f"building N = {n} ...", file=sys.stderr, flush=True)
            build_synthetic(n, root)
        builds.append((f"N = {n}", html, f"{FINDER_PAGE}.html", f"{scale.make_case(1, n).docname}.html"))

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch(playwright)
        results = [measure(browser, *build, args.clicks) for build in builds]
        version = browser.version
        browser.close()
    print(f"Chromium {version}, headless, {harness.DESKTOP}px wide; pages served on {harness.HOST}")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

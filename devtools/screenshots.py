"""Full-page screenshots of the pages a reader lands on, at a desktop and a phone width, to look at.

    python devtools/screenshots.py [--reuse] [--out docs/_build/screenshots] [--widths 1280 390]

Builds the casebook strictly into ``docs/_build/html`` (as ``nox -s docs`` does; ``--reuse`` takes
the HTML already there), serves it on 127.0.0.1 and saves ``NAME-WIDTH.png`` for every page the
browser tests check, in Debian's Chromium (``bash tests/browser/install.sh``). The finder is also
shown with two facets chosen and without JavaScript, the case page at 320 px too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from browser import harness  # tests/browser/harness.py, found through sys.path

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HTML = harness.DOCS / "_build" / "html"
OUT = harness.DOCS / "_build" / "screenshots"
#: Beyond the reader's pages at every width: (name, path, width, JavaScript on).
EXTRA = (
    ("case", harness.CASE_PAGE, harness.SMALL_PHONE, True),
    ("finder-filtered", "cases/index.html?pillar=routes&level=local", harness.PHONE, True),
    ("finder-no-javascript", "cases/index.html", harness.PHONE, False),
)


def shoot(browser: Browser, url: str, width: int, path: Path, javascript: bool = True) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": harness.HEIGHTS.get(width, 900)}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    if "search.html" in url:
        page.wait_for_selector("#search-results .search-summary:not(:empty)")
    page.screenshot(path=str(path), full_page=True)
    context.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reuse", action="store_true", help="use the HTML already in docs/_build/html")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--widths", type=int, nargs="+", default=[harness.DESKTOP, harness.PHONE])
    args = parser.parse_args(argv)
    lacking = harness.missing()
    if lacking:
        print(f"missing: {'; '.join(lacking)}; install with {harness.INSTALL}", file=sys.stderr)
        return 2
    if not (args.reuse and (HTML / "index.html").is_file()):
        print(f"building {HTML} ...", file=sys.stderr, flush=True)
        result = harness.build_html(harness.DOCS, HTML)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    shots = [(name, path, width, True) for name, path in harness.READER_PAGES.items() for width in args.widths]
    shots += EXTRA

    from playwright.sync_api import sync_playwright

    with harness.serve(HTML) as base, sync_playwright() as playwright:
        browser = harness.launch(playwright)
        for name, path, width, javascript in shots:
            target = args.out / f"{name}-{width}.png"
            shoot(browser, base + path, width, target, javascript)
            print(target)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

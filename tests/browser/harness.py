"""What the browser tests, the screenshots and the finder benchmark share: build, serve, launch, measure.

Chromium is Debian's (``apt-get install chromium``), never a browser Playwright downloads;
axe-core comes from npm (``npm ci --prefix tests/browser``), never from a CDN. Both are
found here, and :func:`missing` says what is not, so the tests can skip or fail with the reason.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Response

HERE = Path(__file__).parent
REPO = HERE.parent.parent
DOCS = REPO / "docs"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
#: Debian's Chromium; ``CASEBOOK_CHROMIUM`` points elsewhere (another distribution's path).
CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
#: Headless, sandbox off (CI runs as root), and no background connections: the machine has no network.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOST = "127.0.0.1"
CASE_PAGE = "cases/camden-mission-led-procurement.html"
#: The pages a reader lands on (and the contributors' page with the most code blocks), by name.
READER_PAGES = {
    "landing": "index.html",
    "case": CASE_PAGE,
    "browse": "browse/index.html",
    "term": "browse/pillar/routes.html",
    "resource-guide": "resources/by-kind.html",
    "finder": "cases/index.html",
    "coverage": "coverage.html",
    "search": "search.html?q=procurement",
    "references": "references.html",
    "data": "data.html",
    "contributing": "contributing.html",
}
INSTALL = "bash tests/browser/install.sh (apt-get install chromium; npm ci --prefix tests/browser)"


def missing() -> list[str]:
    """What the browser tests need and this machine lacks."""
    out = []
    if importlib.util.find_spec("playwright") is None:
        out.append("the playwright package (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        out.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE.is_file():
        out.append(f"axe-core at {AXE.relative_to(REPO)} (npm ci --prefix tests/browser)")
    return out


def build_html(src: Path, out: Path, *, strict: bool = True, jobs: int = 1) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -b html`` of ``src`` into ``out`` (doctrees in ``out/.doctrees``), strictly by default."""
    flags = ["-n", "-W", "--keep-going"] if strict else []
    parallel = ["-j", str(jobs)] if jobs > 1 else []
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *flags, *parallel, str(src), str(out)]
    # cwd=src: ``python -m`` puts the working directory first on sys.path, ahead of PYTHONPATH.
    return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=src)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test output."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port, one thread per request); yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)


#: Every rendered element whose box leaves the viewport sideways. Left out: the theme's closed
#: off-canvas drawers (fixed, entirely outside the viewport), the inside of regions a reader
#: scrolls on purpose (code blocks, table wrappers, the sidebar's own scroller; the regions
#: themselves are measured), and visually hidden text for screen readers.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const offCanvas = (el) => {
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).position === "fixed") {
        const r = a.getBoundingClientRect();
        if (r.right <= 0 || r.left >= width) return true;
      }
    }
    return false;
  };
  const scrolledInside = (el) =>
    !!(el.parentElement && el.parentElement.closest("pre, .table-wrapper, .sidebar-scroll, .toc-scroll"));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left >= -0.5 && r.right <= width + 0.5) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    if (offCanvas(el) || scrolledInside(el) || el.closest(".visually-hidden, .casebook-visually-hidden")) continue;
    out.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
  }
  return {width: width, scrollWidth: document.documentElement.scrollWidth, outside: out};
}
"""

#: axe-core over the whole page: every violation with its impact and up to five of its elements.
AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact || "unknown", help: v.help,
    nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}
"""


DESKTOP, PHONE, SMALL_PHONE = 1280, 390, 320
HEIGHTS = {DESKTOP: 900, PHONE: 844, SMALL_PHONE: 640}
#: Impacts that fail a test; the others are reported at the end of the run.
BLOCKING = ("critical", "serious")
#: (page, width, violation) of every axe-core finding that did not fail a test.
AXE_NOTES: list[tuple[str, int, dict[str, Any]]] = []


@dataclass
class Visit:
    """One page in its own browser context, and what it did while loading and since."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    responses: list[Response] = field(default_factory=list)

    def record(self) -> None:
        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

        def request(req: Request) -> None:
            parts = urlsplit(req.url)
            if parts.scheme not in ("data", "blob", "about"):
                self.hosts.add(parts.hostname or parts.scheme)

        def response(resp: Response) -> None:
            self.responses.append(resp)
            if resp.status >= 400:
                self.failed.append(f"{resp.url}: HTTP {resp.status}")

        def failed(req: Request) -> None:
            # A reload or a step back cancels what the old page still had in flight (its favicon, say):
            # Chromium reports those as ERR_ABORTED. A file that is missing answers 404, caught above.
            if req.failure != "net::ERR_ABORTED":
                self.failed.append(f"{req.url}: {req.failure}")

        self.page.on("console", console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        self.page.on("request", request)
        self.page.on("response", response)
        self.page.on("requestfailed", failed)

    def assert_clean(self) -> None:
        """What a reader would notice, or a developer in the console: errors, failures, other hosts."""
        assert self.console_errors == [], self.console_errors
        assert self.failed == [], self.failed
        assert self.hosts <= {HOST}, f"requests to other hosts: {sorted(self.hosts - {HOST})}"


@dataclass(frozen=True)
class PageReport:
    """One page at one width, fully loaded: what went wrong, what overflows, what axe-core finds."""

    console_errors: list[str]
    failed: list[str]
    hosts: set[str]
    width: int
    scroll_width: int
    outside: list[str]
    facts_panel: dict[str, float] | None
    violations: list[dict[str, Any]]
    bytes_transferred: int
    icons: list[str]


#: ``open_page(path, width=DESKTOP, javascript=True, permissions=())``: the tests' page fixture.
OpenPage = Callable[..., Visit]

"""Shared fixtures: small Sphinx projects under ``tests/roots`` built in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent.resolve() / "roots"


#: Every test builds "on" 1 December 2026, so that whether a case is due for review does not depend on
#: the day the suite runs (the build reads the date from SOURCE_DATE_EPOCH, as reproducible builds do).
BUILD_DAY = "1796083200"


@pytest.fixture(autouse=True)
def build_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


class Project:
    """A copy of a test root that can be edited and rebuilt, like a contributor's checkout."""

    def __init__(self, root: str, path: Path, make_app: Callable[..., SphinxTestApp]) -> None:
        self.path = path
        shutil.copytree(ROOTS / f"test-{root}", path)
        self._make_app = make_app

    def build(self, builder: str = "html", out: str = "_build", **kwargs: object) -> Build:
        app = self._make_app(builder, srcdir=self.path, builddir=self.path / out, **kwargs)
        before = _mtimes(Path(app.outdir))
        app.build()
        after = _mtimes(Path(app.outdir))
        written = [name for name, mtime in after.items() if before.get(name) != mtime]
        return Build(app, written, [name for name in before if name not in after])

    def write(self, relpath: str, text: str) -> None:
        (self.path / relpath).write_text(text, encoding="utf-8")

    def read(self, relpath: str) -> str:
        return (self.path / relpath).read_text(encoding="utf-8")


def _mtimes(outdir: Path) -> dict[str, int]:
    """Output pages by docname with their modification times (parallel writers fire no events here)."""
    return {str(p.relative_to(outdir).with_suffix("").as_posix()): p.stat().st_mtime_ns for p in outdir.rglob("*.html")}


class Build:
    def __init__(self, app: SphinxTestApp, written: list[str], removed: list[str] = ()) -> None:  # type: ignore[assignment]
        self.app = app
        self.docs = set(app.env.found_docs)
        self.written = {name for name in written if name in self.docs}
        #: The generated term pages (``browse/<taxonomy>/<term>``) this build wrote.
        self.terms_written = {name for name in written if name.count("/") == 2 and name.startswith("browse/")}
        #: Term pages this build deleted (no case is filed under the term any more).
        self.terms_removed = {name for name in removed if name.count("/") == 2 and name.startswith("browse/")}
        self.warnings = app.warning.getvalue()

    def page(self, docname: str) -> str:
        return (Path(self.app.outdir) / f"{docname}.html").read_text(encoding="utf-8")

    def pages(self) -> dict[str, str]:
        """Every page's main content, byte for byte.

        The theme's previous/next links are left out: Sphinx itself does not update them on
        an incremental build (a long-standing Sphinx limitation, not the casebook's).
        """
        pages = {doc: _main(self.page(doc)) for doc in sorted(self.docs)}
        for path in sorted((Path(self.app.outdir) / "browse").glob("*/*.html")):
            pages[path.relative_to(self.app.outdir).with_suffix("").as_posix()] = _main(path.read_text("utf-8"))
        return pages


def _main(html: str) -> str:
    start = html.index('role="main">')
    return html[start : html.index('<div class="sphinxsidebar"', start)]


@pytest.fixture
def project(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> Callable[[str], Project]:
    def make(root: str, name: str = "src") -> Project:
        return Project(root, tmp_path / name, make_app)

    return make

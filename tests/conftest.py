"""Shared fixtures: small Sphinx projects under ``tests/roots`` built in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent.resolve() / "roots"


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
        written: list[str] = []
        app.connect("html-page-context", lambda _app, name, *rest: written.append(name))
        app.build()
        return Build(app, written)

    def write(self, relpath: str, text: str) -> None:
        (self.path / relpath).write_text(text, encoding="utf-8")

    def read(self, relpath: str) -> str:
        return (self.path / relpath).read_text(encoding="utf-8")


class Build:
    def __init__(self, app: SphinxTestApp, written: list[str]) -> None:
        self.app = app
        self.docs = set(app.env.found_docs)
        self.written = {name for name in written if name in self.docs}
        self.warnings = app.warning.getvalue()

    def page(self, docname: str) -> str:
        return (Path(self.app.outdir) / f"{docname}.html").read_text(encoding="utf-8")

    def pages(self) -> dict[str, str]:
        """Every page's HTML, minus nothing: builds that should agree must agree byte for byte."""
        return {doc: self.page(doc) for doc in sorted(self.docs)}


@pytest.fixture
def project(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> Callable[[str], Project]:
    def make(root: str, name: str = "src") -> Project:
        return Project(root, tmp_path / name, make_app)

    return make

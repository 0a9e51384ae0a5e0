"""Sessions for building the casebook and checking the extension: ``nox -s docs``, ``nox -s tests``."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["docs", "tests", "lint"]
nox.options.error_on_missing_interpreters = True
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
HTML = ROOT / "docs" / "_build" / "html"


@nox.session
def docs(session: nox.Session) -> None:
    """Build the casebook as HTML, strictly: any warning fails the build."""
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", str(HTML), *session.posargs)
    session.log(f"The casebook is at {HTML / 'index.html'}")


@nox.session
@nox.parametrize("sphinx", ["9", "8.2"])
def tests(session: nox.Session, sphinx: str) -> None:
    """Run the test suite (including a strict build of docs/) on the newest and the oldest supported Sphinx."""
    session.install("-e", ".[test]", f"sphinx~={sphinx}.0" if sphinx == "8.2" else f"sphinx>={sphinx},<10")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Static checks: ruff for style and mistakes, mypy (strict) for types."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "casebook_ext", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "casebook_ext", "tests", "noxfile.py")
    session.run("mypy")

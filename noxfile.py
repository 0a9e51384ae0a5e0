"""Sessions for building the casebook and checking the extension: ``nox -s docs``, ``nox -s tests``."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["docs", "tests", "lint"]
nox.options.error_on_missing_interpreters = True
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
HTML = ROOT / "docs" / "_build" / "html"
LINKCHECK = ROOT / "docs" / "_build" / "linkcheck"


@nox.session
def docs(session: nox.Session) -> None:
    """Build the casebook as HTML, strictly: any warning fails the build."""
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", str(HTML), *session.posargs)
    session.log(f"The casebook is at {HTML / 'index.html'}")


LATEX_TOOLS = ("xelatex", "latexmk", "xindy")
LATEX_PACKAGES = "texlive-xetex latexmk texlive-fonts-recommended fonts-freefont-otf xindy"
PDF = ROOT / "docs" / "_build" / "latex" / "mission-casebook.pdf"


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the casebook as a PDF book (LaTeX, xelatex), strictly, and render its preview pages (devtools/)."""
    import shutil

    missing = [tool for tool in LATEX_TOOLS if shutil.which(tool) is None]
    if missing:
        session.error(
            f"The PDF needs LaTeX, and {', '.join(missing)} is not installed. "
            f"On Debian or Ubuntu: sudo apt-get install {LATEX_PACKAGES}"
        )
    session.install("-e", ".[docs]")
    session.run(
        "sphinx-build", "-M", "latexpdf", "docs", "docs/_build", "-n", "-W", "--keep-going", "-q", *session.posargs
    )
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        session.run("python", str(ROOT / "devtools" / "pdfpreview.py"), str(PDF), external=True)
    session.log(f"The PDF is at {PDF}")


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


@nox.session
def new(session: nox.Session) -> None:
    """Start a case from the template: ``nox -s new -- ID --title "Title readers will see"``."""
    session.install("-e", ".")
    session.run("casebook", "new", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Check every case (or the files given after ``--``) with the build's rules, in about a second."""
    session.install("-e", ".")
    session.run("casebook", "check", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on every save and reload the browser (http://127.0.0.1:8000)."""
    session.install("-e", ".[docs,serve]")
    session.run(
        "sphinx-autobuild",
        "docs",
        str(HTML),
        "--watch",
        "bib",
        "--watch",
        "casebook_ext",
        *session.posargs,
    )


@nox.session(python=False)
def pr(session: nox.Session) -> None:
    """Run what CI runs on a pull request: the case check, the tests on both Sphinx versions, lint, a strict build."""
    for name in ("check", "tests(sphinx='9')", "tests(sphinx='8.2')", "lint", "docs"):
        session.notify(name, posargs=[])


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link of the casebook: pages, BibTeX URLs and DOIs (``-- --changed-since REV``).

    ``-- --changed-only`` checks only what a pull request touches: ``--changed-since origin/BASE``,
    BASE being ``$GITHUB_BASE_REF`` (the pull request's target branch) or ``main``.
    Reports go to docs/_build/linkcheck/ (report.json, report.md); keep its cache.json between CI runs.
    Exit status: 0 no link failed, 1 a link failed, 2 the check could not run, 130 interrupted.
    """
    import os

    session.install("-e", ".")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    extra = ["--summary", summary] if summary else []
    args = list(session.posargs)
    if "--changed-only" in args:
        args.remove("--changed-only")
        args += ["--changed-since", f"origin/{os.environ.get('GITHUB_BASE_REF') or 'main'}"]
    session.run("python", "-m", "casebook_ext.linkcheck", "docs", "-o", str(LINKCHECK), *extra, *args)

"""Sessions for building the casebook and checking the extension: ``nox -s docs``, ``nox -s tests``.

Each session installs into its own environment under ``.nox/`` the first time, and again only when
``pyproject.toml`` changes: a re-run starts at once (a second ``nox -s check`` took 0.4 s here, against
2.8 s when every run reinstalled the package). nox makes the environments with uv when uv is installed
(``pipx inject nox uv``), and with virtualenv and pip otherwise; uv made the first run of
``nox -s check`` in a fresh clone 3.6 times faster here (2.3 s against 8.3 s), and of ``nox -s docs``
1.5 times (11.8 s against 17.7 s).
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import nox

nox.options.sessions = ["docs", "tests", "lint"]
nox.options.error_on_missing_interpreters = True
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "uv|virtualenv"

ROOT = Path(__file__).parent
HTML = ROOT / "docs" / "_build" / "html"
LINKCHECK = ROOT / "docs" / "_build" / "linkcheck"
PDF = ROOT / "docs" / "_build" / "latex" / "mission-casebook.pdf"
APT_PACKAGES = ROOT / ".ci" / "apt-packages.txt"
#: What a pull request's checks run, in this order (`nox -s pr`); the link check is left out.
PR_SESSIONS = ("check", "tests(sphinx='9')", "tests(sphinx='8.2')", "lint", "docs")
NEWEST_SPHINX = "9"


def install(session: nox.Session, *args: str) -> None:
    """Install into the session's environment once; again only when ``pyproject.toml`` or ``args`` change.

    The project is installed editable, so a change to its code needs no reinstall.
    """
    stamp = Path(session.virtualenv.location) / ".casebook-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + "\0".join(args).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        session.log("Reusing the installed packages: pyproject.toml is unchanged since they were installed")
        return
    session.log(f"Installing {' '.join(args)}: the first run of a session downloads and installs its packages")
    session.install(*args, silent=False)
    stamp.write_text(wanted, encoding="utf-8")


def apt_rows(group: str) -> list[tuple[str, str]]:
    """The Debian/Ubuntu packages of one group of ``.ci/apt-packages.txt``, each with the command it provides."""
    rows = [line.split() for line in APT_PACKAGES.read_text(encoding="utf-8").splitlines()]
    return [(row[0], row[1]) for row in rows if len(row) >= 3 and not row[0].startswith("#") and row[2] == group]


@nox.session
def docs(session: nox.Session) -> None:
    """Build the casebook as HTML, strictly: any warning fails the build."""
    install(session, "-e", ".[docs]")
    session.run("sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", str(HTML), *session.posargs)
    session.log(f"The casebook is at {HTML / 'index.html'}")


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the casebook as a PDF book (LaTeX, xelatex), strictly, and render its preview pages (devtools/)."""
    packages = apt_rows("pdf")
    missing = [tool for _, tool in packages if tool != "-" and shutil.which(tool) is None]
    if missing:
        session.error(
            f"The PDF needs LaTeX, and {', '.join(missing)} is not installed. On Debian or Ubuntu, "
            f"`sudo .ci/apt-install pdf` installs {' '.join(name for name, _ in packages)}"
        )
    install(session, "-e", ".[docs]")
    session.run(
        "sphinx-build", "-M", "latexpdf", "docs", "docs/_build", "-n", "-W", "--keep-going", "-q", *session.posargs
    )
    session.run("python", str(ROOT / "devtools" / "pdfpreview.py"), str(PDF))
    session.log(f"The PDF is at {PDF}")


@nox.session
@nox.parametrize("sphinx", [NEWEST_SPHINX, "8.2"])
def tests(session: nox.Session, sphinx: str) -> None:
    """Run the test suite (including a strict build of docs/) on the newest and the oldest supported Sphinx.

    The clean-clone tests (marked ``clean_clone``: the CI workflows and CONTRIBUTING run in a fresh clone)
    make their own environments with the newest Sphinx, so only the newest Sphinx's session runs them.
    """
    install(session, "-e", ".[test]", f"sphinx~={sphinx}.0" if sphinx == "8.2" else f"sphinx>={sphinx},<10")
    marks: list[str] = []
    if sphinx != NEWEST_SPHINX:
        session.log(f"Leaving out the clean-clone tests: tests(sphinx='{NEWEST_SPHINX}') runs them")
        marks = ["-m", "not clean_clone"]
    session.run("python", "-m", "pytest", *marks, *session.posargs)


@nox.session
def workflows(session: nox.Session) -> None:
    """Run every job of the pull-request workflow here, in a clean clone, the test job too (about 10 minutes).

    ``nox -s tests`` runs every job but the test job itself, which runs the whole suite again.
    """
    install(session, "-e", ".[test]")
    session.run(
        "python", "-m", "pytest", "tests/test_workflows.py", *session.posargs, env={"CASEBOOK_PROVE_EVERY_JOB": "1"}
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Static checks: ruff for style and mistakes, mypy (strict) for types."""
    install(session, "-e", ".[lint]")
    session.run("ruff", "check", "casebook_ext", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "casebook_ext", "tests", "noxfile.py")
    session.run("mypy")


@nox.session
def new(session: nox.Session) -> None:
    """Start a case from the template: ``nox -s new -- ID --title "Title readers will see" --group GROUP``."""
    install(session, "-e", ".")
    steps = {"CASEBOOK_CHECK_COMMAND": "nox -s check --", "CASEBOOK_PREVIEW_COMMAND": "nox -s serve"}
    session.run("casebook", "new", *session.posargs, env=steps)


@nox.session
def check(session: nox.Session) -> None:
    """Check every case (or the files given after ``--``) with the build's rules, in about a second."""
    install(session, "-e", ".")
    session.run("casebook", "check", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on every save and reload the browser (http://127.0.0.1:8000)."""
    install(session, "-e", ".[docs,serve]")
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
    """Run what CI runs on a pull request, one session after the other (check, tests on both Sphinx, lint, docs).

    It stops at the first session that fails, and succeeds only once all of them have.
    """
    session.log(f"Running {', '.join(PR_SESSIONS)} (the link check is left out: CI checks the links you add)")
    nox_command = (sys.executable, "-m", "nox", "--noxfile", str(ROOT / "noxfile.py"), "--stop-on-first-error")
    session.run(*nox_command, "--sessions", *PR_SESSIONS, external=True)


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link of the casebook: pages, BibTeX URLs and DOIs.

    Arguments after ``--`` go to ``python -m casebook_ext.linkcheck``: ``--changed-since REV`` checks only
    the links whose page or BibTeX entry changed since git REV (a pull request's: ``origin/main``), and
    ``--summary FILE`` appends the Markdown report to FILE (CI's ``$GITHUB_STEP_SUMMARY``).
    Reports go to docs/_build/linkcheck/ (report.json, report.md); keep its cache.json between CI runs.
    Exit status: 0 no link failed, 1 a link failed, 2 the check could not run, 130 interrupted.
    """
    install(session, "-e", ".")
    session.run("python", "-m", "casebook_ext.linkcheck", "docs", "-o", str(LINKCHECK), *session.posargs)

"""A second project adopts the extension as ``docs/adopting.md`` shows: its examples, built as they are.

The page includes ``docs/examples/adopt-*`` with ``literalinclude``, so what a reader copies is what
these tests build: in MyST and in reStructuredText, without sphinxcontrib-bibtex (one warning, the
resources shown as their keys) and with it (formatted references, no warning).
"""

from __future__ import annotations

import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from workflow_runner import clone_working_tree

REPO = Path(__file__).parent.parent
EXAMPLES = REPO / "docs" / "examples"
EXAMPLE_IDS = ["adopt-myst", "adopt-rst"]
CASE = "town-mission-plan"


def copy_of(example: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES / example, tmp_path / example))


def case_file(src: Path) -> Path:
    (path,) = (src / "cases").glob(f"{CASE}.*")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def bibtex_settings(src: Path) -> dict[str, Any]:
    """The settings ``bibtex.py`` shows, as a reader adds them to conf.py."""
    return {k: v for k, v in runpy.run_path(str(src / "bibtex.py")).items() if not k.startswith("__")}


def build(make_app: Callable[..., SphinxTestApp], src: Path, **overrides: Any) -> tuple[SphinxTestApp, str]:
    app = make_app("html", srcdir=src, builddir=src / "_build", confoverrides=overrides, freshenv=True)
    app.build()
    return app, strip_colors(app.warning.getvalue())


def page(app: SphinxTestApp, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("example", EXAMPLE_IDS)
def test_the_minimum_conf_py_builds_and_says_once_that_resources_are_plain_keys(
    example: str, make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    src = copy_of(example, tmp_path)
    app, warnings = build(make_app, src, nitpicky=True)
    path = case_file(src)
    assert warnings.splitlines() == [
        f"{path}:{line_of(path, ':resources:')}: WARNING: cases name resources but sphinxcontrib-bibtex is not loaded, "
        "so they are shown as plain keys: add 'sphinxcontrib.bibtex' to extensions and list your .bib files in "
        "bibtex_bibfiles [casebook.no_bibliography]"
    ]
    html = page(app, f"cases/{CASE}")
    assert f'id="casebook-case-{CASE}"' in html and "casebook-facts" in html
    sources = text_of(html.split("casebook-field-sources", 1)[1].split("</dd>", 1)[0])
    assert "town2026plan" in sources
    index = page(app, "index")
    assert f'href="cases/{CASE}.html#casebook-case-{CASE}"' in index  # the role's link and the listing


@pytest.mark.parametrize("example", EXAMPLE_IDS)
def test_with_sphinxcontrib_bibtex_resources_are_formatted_references_with_their_links(
    example: str, make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    src = copy_of(example, tmp_path)
    app, warnings = build(make_app, src, nitpicky=True, **bibtex_settings(src))
    assert warnings == ""
    html = page(app, f"cases/{CASE}")
    panel = html.split("casebook-field-sources", 1)[1].split("</dd>", 1)[0]
    assert "Town Council 2026" in text_of(panel) and 'href="#casebook-source-town2026plan"' in panel
    foot = html.split('id="casebook-sources"', 1)[1]  # the page's sources, listed at its foot
    assert "The town's mission plan" in text_of(foot) and 'href="https://example.org/mission-plan"' in foot


@pytest.mark.parametrize("example", EXAMPLE_IDS)
def test_sphinxcontrib_bibtex_without_bib_files_is_one_clear_warning(
    example: str, make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    src = copy_of(example, tmp_path)
    settings = bibtex_settings(src)
    app, warnings = build(make_app, src, extensions=settings["extensions"])
    assert "Traceback" not in warnings and app.statuscode == 0
    (bad,) = [line for line in warnings.splitlines() if "[casebook.bad_config]" in line]
    assert "bibtex_bibfiles" in bad
    assert (Path(app.outdir) / "cases" / f"{CASE}.html").is_file()


def test_a_myst_project_without_colon_fence_is_told_why_its_case_shows_as_text(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    src = copy_of("adopt-myst", tmp_path)
    _, warnings = build(make_app, src, myst_enable_extensions=[])
    path = case_file(src)
    where = f"{path}:{line_of(path, ':::{case}')}: WARNING: ':::{{case}}' is shown as text"
    assert any(line.startswith(where) and line.endswith("[casebook.no_colon_fence]") for line in warnings.splitlines())


def shown_warnings() -> list[str]:
    """The warnings ``docs/adopting.md`` shows, in order (``…`` stands for the project's folder)."""
    text = (REPO / "docs" / "adopting.md").read_text(encoding="utf-8")
    return [line for block in re.findall(r"```text\n(.*?)```", text, re.DOTALL) for line in block.splitlines()]


def test_the_adoption_page_shows_the_warnings_the_builds_give(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    src = copy_of("adopt-myst", tmp_path)
    _, plain = build(make_app, src)
    _, no_bib_files = build(make_app, src, extensions=bibtex_settings(src)["extensions"])
    no_bibliography, bad_config = shown_warnings()
    assert no_bibliography.replace("…", str(src)) in plain.splitlines()
    assert bad_config in no_bib_files.splitlines()


def test_the_adoption_page_includes_the_examples_the_tests_build() -> None:
    text = (REPO / "docs" / "adopting.md").read_text(encoding="utf-8")
    included = set(re.findall(r"^:::\{literalinclude\} (\S+)$", text, re.MULTILINE))
    for example in EXAMPLE_IDS:
        for name in ("conf.py", "bibtex.py", case_file(EXAMPLES / example).relative_to(EXAMPLES / example).as_posix()):
            assert f"examples/{example}/{name}" in included, (example, name)


@pytest.mark.clean_clone
def test_the_documented_install_line_gives_a_project_a_working_extension(tmp_path: Path) -> None:
    """``python3 -m pip install ./mission-casebook`` in a new virtual environment, then the example built with it."""
    clone_working_tree(tmp_path / "mission-casebook")
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{tmp_path / 'venv' / 'bin'}:{env['PATH']}"
    page = (REPO / "docs" / "adopting.md").read_text(encoding="utf-8")
    (install,) = [line for line in page.splitlines() if line.startswith("python3 -m pip install ./")]
    done = subprocess.run(shlex.split(install), cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"^Successfully installed .*\bmission-casebook-0\.2\.0\b", done.stdout, re.MULTILINE)

    project = copy_of("adopt-myst", tmp_path / "project")
    built = subprocess.run(
        ["sphinx-build", "-b", "html", ".", "_build/html"], cwd=project, env=env, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    assert [line for line in strip_colors(built.stderr).splitlines() if "WARNING" in line] == [
        shown_warnings()[0].replace("…", str(project))
    ]
    assert (project / "_build" / "html" / "cases" / f"{CASE}.html").is_file()

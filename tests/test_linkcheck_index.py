"""The command's quick path: an unchanged casebook is checked from the links index, without Sphinx."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Project
from test_linkcheck_build import casebook
from test_linkcheck_http import FakeWeb, serve

from casebook_ext.linkcheck.__main__ import main

QUICK = "nothing changed since the last run"


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def run(copy: Project, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, dict]:
    status = main([str(copy.path), "-o", str(out), *extra])
    printed = capsys.readouterr()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return status, printed.out + printed.err, report


def test_an_unchanged_casebook_is_checked_without_sphinx_with_the_same_results(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = casebook(project, web)
    out = tmp_path / "out"
    status, printed, first = run(copy, out, capsys)
    assert status == 1 and QUICK not in printed
    web.reset()
    status, printed, second = run(copy, out, capsys)
    assert status == 1 and QUICK in printed and "Running Sphinx" not in printed
    # The same links, places and outcomes; only the broken ones were fetched again.
    assert [(r["target"], r["outcome"], r["places"]) for r in second["results"]] == [
        (r["target"], r["outcome"], r["places"]) for r in first["results"]
    ]
    assert second["summary"]["requests"] == 3 and web.requests == 3
    assert f"{copy.path}/refs.bib:19: WARNING: broken link {web.url('/status/410')}: 410 Gone" in printed


@pytest.mark.parametrize("change", ["page", "bib", "setting", "new file"])
def test_any_change_sends_the_command_back_to_sphinx(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    copy = casebook(project, web)
    out = tmp_path / "out"
    run(copy, out, capsys)
    extra: list[str] = []
    if change == "page":
        copy.write("page.md", copy.read("page.md") + f"\n[New]({web.url('/ok?new')})\n")
    elif change == "bib":
        copy.write("refs.bib", copy.read("refs.bib").replace("/status/403", "/ok?unblocked"))
    elif change == "setting":
        extra = ["-D", "casebook_linkcheck_fail_on=broken,unverifiable"]
    else:
        (copy.path / "extra.md").write_text("# Extra\n\n[Extra](http://127.0.0.1:1/extra)\n", encoding="utf-8")
    _, printed, report = run(copy, out, capsys, *extra)
    assert QUICK not in printed
    targets = {r["target"] for r in report["results"]}
    if change == "page":
        assert web.url("/ok?new") in targets
    elif change == "bib":
        assert web.url("/ok?unblocked") in targets and web.url("/status/403") not in targets
    elif change == "setting":
        assert report["fail_on"] == ["broken", "unverifiable"]
    else:
        assert "http://127.0.0.1:1/extra" in targets
    # And once collected again, the next run is quick again.
    _, printed, _ = run(copy, out, capsys, *extra)
    assert QUICK in printed


def test_the_quick_path_honours_changed_since_and_full(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_linkcheck_changes import git

    copy = casebook(project, web)
    (copy.path / ".gitignore").write_text("_build/\n", encoding="utf-8")
    git(copy.path, "init", "-q", "-b", "main")
    git(copy.path, "add", "-A")
    git(copy.path, "commit", "-q", "-m", "base")
    out = tmp_path / "out"  # outside the repository, so the reports are not changes
    run(copy, out, capsys)
    status, printed, report = run(copy, out, capsys, "--changed-since", "HEAD")
    assert QUICK in printed and status == 0
    assert report["summary"]["targets"] == 0 and report["summary"]["unchanged"] == 10
    _, printed, _ = run(copy, out, capsys, "--full")
    assert QUICK not in printed

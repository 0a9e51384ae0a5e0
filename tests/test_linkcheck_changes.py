"""``changed_since``: a pull request's run checks only the links whose page or BibTeX entry changed."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Project
from test_linkcheck_build import by_target, casebook, check
from test_linkcheck_http import FakeWeb, serve

from casebook_ext.linkcheck.changes import ChangesError, changes


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(project: Callable[[str], Project], web: FakeWeb) -> Project:
    """The test casebook as a git repository with one commit, the pull request's base."""
    copy = casebook(project, web)
    (copy.path / ".gitignore").write_text("_build/\n", encoding="utf-8")
    git(copy.path, "init", "-q", "-b", "main")
    git(copy.path, "add", "-A")
    git(copy.path, "commit", "-q", "-m", "base")
    return copy


def test_only_links_in_changed_pages_and_entries_are_checked(repo: Project, web: FakeWeb) -> None:
    # The pull request: a new link in case two's text, one entry's URL changed, another only re-indented.
    repo.write("two.md", repo.read("two.md") + f"\nSee [the new page]({web.url('/status/404?new')}).\n")
    bib = repo.read("refs.bib")
    bib = bib.replace(web.url("/status/410"), web.url("/ok?replaced"))
    bib = bib.replace("  title = {A site that turns robots away},", "    title   = {A site that turns robots away},")
    repo.write("refs.bib", bib)
    build, report = check(repo, casebook_linkcheck_changed_since="HEAD")
    checked = set(by_target(report))
    assert checked == {
        web.url("/status/404?new"),  # new in two.md
        web.url("/ok?replaced"),  # the changed entry `gone`
        web.url("/ok"),  # cited by case two, whose file changed
        web.url("/status/403"),  # cited by case two
        "doi:10.9999/missing",  # cited by case two
    }
    assert report["changed_since"] == "HEAD" and report["summary"]["unchanged"] == 6
    assert "/redirect/301/ok" not in web.hits and "/status/410" not in web.hits
    assert build.app.statuscode == 1  # the new link is broken


def test_a_new_bib_entry_is_checked_and_an_unchanged_tree_checks_nothing(repo: Project, web: FakeWeb) -> None:
    _, report = check(repo, casebook_linkcheck_changed_since="HEAD")
    assert report["summary"]["targets"] == 0 and report["summary"]["unchanged"] == 10 and web.requests == 0
    entry = f"\n@misc{{fresh,\n  title = {{A new entry}},\n  url = {{{web.url('/status/410?fresh')}}},\n}}\n"
    repo.write("refs.bib", repo.read("refs.bib") + entry)
    build, report = check(repo, casebook_linkcheck_changed_since="HEAD")
    assert set(by_target(report)) == {web.url("/status/410?fresh")}
    assert build.app.statuscode == 1


def test_untracked_files_count_as_changed(repo: Project) -> None:
    (repo.path / "new.md").write_text("# New\n", encoding="utf-8")
    found = changes(repo.path, "HEAD", [repo.path / "refs.bib"])
    assert "new.md" in found.files and found.bib_keys == frozenset()


def test_an_unknown_revision_is_an_error_not_an_empty_run(
    repo: Project, web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sphinx.util.console import strip_colors

    from casebook_ext.linkcheck.__main__ import main

    with pytest.raises(ChangesError, match="not a revision"):
        changes(repo.path, "no-such-branch", [])
    # The builder: one typed warning, exit status 2, nothing checked.
    build = repo.build("casebook-linkcheck", confoverrides={"casebook_linkcheck_changed_since": "no-such"})
    text = strip_colors(build.warnings)
    assert "WARNING: changed_since: 'no-such' is not a revision of the repository" in text
    assert "[casebook.linkcheck_config]" in text and "Traceback" not in text
    assert build.app.statuscode == 2 and web.requests == 0
    # The command: one line, exit status 2, before Sphinx even starts.
    capsys.readouterr()
    assert main([str(repo.path), "-o", str(tmp_path / "out"), "--changed-since", "no-such-branch"]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.splitlines() == [
        f"casebook-linkcheck: error: changed_since: 'no-such-branch' is not a revision of the repository at {repo.path}"
    ]


def test_the_command_takes_changed_since(repo: Project, web: FakeWeb, tmp_path: Path) -> None:
    from casebook_ext.linkcheck.__main__ import main

    repo.write("page.md", repo.read("page.md").replace(web.url("/status/404"), web.url("/ok?fixed")))
    assert main([str(repo.path), "-o", str(tmp_path / "out"), "--changed-since", "HEAD"]) == 0
    assert web.hits["/ok?fixed"] == 1 and "/status/410" not in web.hits

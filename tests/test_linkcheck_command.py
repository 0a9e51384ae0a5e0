"""``python -m casebook_ext.linkcheck``: documented exit statuses, one line (never a traceback) when it cannot run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Project
from test_linkcheck_build import casebook
from test_linkcheck_http import FakeWeb, serve

from casebook_ext.linkcheck import cache
from casebook_ext.linkcheck.__main__ import main

REPO = Path(__file__).parent.parent.resolve()


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(argv))
    printed = capsys.readouterr()
    return status, printed.out, printed.err


@pytest.mark.parametrize(
    ("define", "words"),
    [
        ("casebook_linkcheck_workers=many", "'many' is not a whole number"),
        ("casebook_linkcheck_timeout=soon", "'soon' is not a duration"),
        ("casebook_linkcheck_anchors=maybe", "'maybe' is not 0 or 1"),
        ("casebook_linkcheck_timeout", "write it as NAME=VALUE"),
    ],
)
def test_a_bad_setting_on_the_command_line_is_one_line_and_status_2(
    project: Callable[[str], Project],
    web: FakeWeb,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    define: str,
    words: str,
) -> None:
    copy = casebook(project, web)
    status, out, err = run(capsys, str(copy.path), "-o", str(tmp_path / "out"), "-D", define)
    assert status == 2 and out == "" and web.requests == 0
    assert len(err.splitlines()) == 1 and err.startswith("casebook-linkcheck: error: ") and words in err


def test_a_bad_setting_in_conf_py_stops_the_command_with_status_2(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = casebook(project, web)
    copy.write("conf.py", copy.read("conf.py") + "casebook_linkcheck_ignore = None\n")
    status, out, err = run(capsys, str(copy.path), "-o", str(tmp_path / "out"))
    assert status == 2 and web.requests == 0 and "Traceback" not in out + err
    # Sphinx's own type warning, then the checker's, at the line to fix (coloured where Sphinx colours: CI=true).
    from sphinx.util.console import strip_colors

    line = copy.read("conf.py").splitlines().index("casebook_linkcheck_ignore = None") + 1
    assert strip_colors(err).splitlines()[-1] == (
        f"{copy.path}/conf.py:{line}: WARNING: casebook_linkcheck_ignore: None is not a list of regular expressions "
        "[casebook.linkcheck_config]"
    )


def test_no_conf_py_is_one_line_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, str(tmp_path))
    assert (
        status == 2
        and err == f"casebook-linkcheck: error: {tmp_path} is not a Sphinx source folder (it has no conf.py)\n"
    )


def test_an_output_folder_that_cannot_be_written_is_status_2_not_1(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = casebook(project, web)
    out = tmp_path / "out"
    assert run(capsys, str(copy.path), "-o", str(out))[0] == 1  # a broken link
    # The quick path (nothing changed) cannot replace its report: a folder stands in its way.
    (out / "report.json").unlink()
    (out / "report.json").mkdir()
    status, _, err = run(capsys, str(copy.path), "-o", str(out))
    assert status == 2 and "Traceback" not in err
    assert err.splitlines()[-1].startswith(f"casebook-linkcheck: error: the reports could not be written to {out}")
    # Through Sphinx: an output "folder" that is a file.
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    status, out_text, err = run(capsys, str(copy.path), "-o", str(blocker))
    assert status == 2 and "Traceback" not in out_text + err
    assert len(err.splitlines()) == 1 and err.startswith("casebook-linkcheck: error: ")


def test_a_copied_output_folder_uses_its_own_cache(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = casebook(project, web)
    original, duplicate = tmp_path / "original", tmp_path / "duplicate"
    run(capsys, str(copy.path), "-o", str(original))
    shutil.copytree(original, duplicate)
    before = (original / "cache.json").read_bytes(), (original / "cache.json").stat().st_mtime_ns
    status, out, _ = run(capsys, str(copy.path), "-o", str(duplicate))
    assert status == 1 and "nothing changed since the last run" in out  # the quick path, in the copy
    assert ((original / "cache.json").read_bytes(), (original / "cache.json").stat().st_mtime_ns) == before
    assert (duplicate / "cache.json").stat().st_mtime_ns != before[1]
    report = json.loads((duplicate / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["from_cache"] == 6


def _with_held_link(copy: Project, web: FakeWeb) -> None:
    copy.write("page.md", copy.read("page.md") + f"\n[A slow page]({web.url('/hold')}).\n")


def test_ctrl_c_in_the_quick_path_is_one_line_status_130_and_keeps_what_was_checked(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = casebook(project, web)
    _with_held_link(copy, web)
    out = tmp_path / "out"
    web.release.set()
    run(capsys, str(copy.path), "-o", str(out))
    (out / "cache.json").unlink()  # every link is asked again, through the quick path
    web.release.clear()
    web.on_hold = lambda: os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the slow page is asked for
    status, out_text, err = run(capsys, str(copy.path), "-o", str(out), "-D", "casebook_linkcheck_workers=1")
    assert status == 130 and "Traceback" not in out_text + err
    (line,) = err.splitlines()
    assert line.startswith("casebook-linkcheck: interrupted: ") and line.endswith("saved in the cache (exit 130)")
    assert cache.load(out / "cache.json").notes == ()  # a whole, valid cache


def test_ctrl_c_through_sphinx_is_one_line_and_status_130(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path
) -> None:
    copy = casebook(project, web)
    _with_held_link(copy, web)
    command = [sys.executable, "-m", "casebook_ext.linkcheck", str(copy.path), "-o", str(tmp_path / "out")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        web.on_hold = lambda: proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in out + err and "Task was destroyed" not in err
    assert err.splitlines()[-1].startswith("casebook-linkcheck: interrupted: ")
    assert cache.load(tmp_path / "out" / "cache.json").notes == ()


def test_the_quick_path_warns_about_a_corrupt_cache_at_the_file(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = casebook(project, web)
    out = tmp_path / "out"
    run(capsys, str(copy.path), "-o", str(out))
    (out / "cache.json").write_text('{"version": 1,\n "entries": [', encoding="utf-8")
    status, printed, err = run(capsys, str(copy.path), "-o", str(out))
    assert status == 1 and "nothing changed since the last run" in printed
    assert (
        f"{out / 'cache.json'}:2: WARNING: unreadable cache (JSONDecodeError at line 2): "
        "set aside as cache.json.corrupt, starting afresh [casebook.linkcheck_cache]"
    ) in err.splitlines()
    assert (out / "cache.json.corrupt").is_file()

"""The persistent cache: fresh results cost no request, redirects stay redirects, broken links are rechecked."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Project
from sphinx.util.console import strip_colors
from test_linkcheck_build import by_target, casebook, check
from test_linkcheck_http import FakeWeb, serve, url_target

from casebook_ext.linkcheck import cache, pipeline
from casebook_ext.linkcheck.model import Hop, Options, Outcome, Result
from casebook_ext.linkcheck.settings import Settings

BROKEN = {"/status/404", "/status/410", "/api/handles/10.9999/missing"}
CACHE = Path("_build") / "casebook-linkcheck" / "cache.json"


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def test_a_second_run_fetches_only_what_is_broken(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    check(copy)
    web.reset()
    build, report = check(copy)
    # Fresh working links, redirects, DOIs and the unverifiable 403 cost nothing; broken links are asked again.
    assert set(web.hits) == BROKEN and all(n == 1 for n in web.hits.values()), web.hits
    summary = report["summary"]
    assert summary["requests"] == 3 and summary["from_cache"] == 6
    assert summary["from_cache_by_outcome"] == {
        "working": 3,
        "redirected": 2,
        "broken": 0,
        "unverifiable": 1,
        "ignored": 0,
    }
    results = by_target(report)
    moved = results[web.url("/redirect/301/ok")]
    assert (moved["outcome"], moved["from_cache"], moved["final_url"]) == ("redirected", True, web.url("/ok"))
    assert moved["fixes"][0]["new"] == web.url("/ok")  # remembered as a redirect, with its fix
    assert results[web.url("/ok")]["from_cache"] is True
    assert results[web.url("/status/403")]["from_cache"] is True
    assert results[web.url("/status/410")]["from_cache"] is False
    assert build.app.statuscode == 1
    # Every report says which results are remembered.
    markdown = (Path(build.app.outdir) / "report.md").read_text(encoding="utf-8")
    assert "6 results from the cache (1 unverifiable, 2 redirected, 3 working)" in markdown
    assert "403 Forbidden (the site turns automated checks away; check it in a browser) *(from the cache" in markdown
    console = strip_colors(build.app.status.getvalue())
    assert "6 from the cache: 3 working, 2 redirected, 1 unverifiable" in console
    assert f"{web.url('/status/403')}: 403 Forbidden" in console and "[from the cache, checked" in console


def test_unverifiable_results_are_trusted_for_a_shorter_time(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    check(copy)
    path = copy.path / CACHE
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["checked_at"] -= 7 * 3600  # seven hours ago: past the 6 h for unverifiable, within the 7 days
    path.write_text(json.dumps(data), encoding="utf-8")
    web.reset()
    _, report = check(copy)
    assert set(web.hits) == BROKEN | {"/status/403"}
    assert report["summary"]["from_cache_by_outcome"]["unverifiable"] == 0
    web.reset()
    check(copy, casebook_linkcheck_cache_unverifiable_max_age="0")  # 0: always asked again
    assert set(web.hits) == BROKEN | {"/status/403"}


def test_results_older_than_the_maximum_age_are_fetched_again(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    check(copy)
    path = copy.path / CACHE
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["checked_at"] -= 8 * 86400  # a week and a day ago; the default maximum age is seven days
    path.write_text(json.dumps(data), encoding="utf-8")
    web.reset()
    _, report = check(copy)
    assert report["summary"]["from_cache"] == 0 and web.hits["/redirect/301/ok"] == 1


def test_a_corrupt_cache_is_set_aside_with_a_warning(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    path = copy.path / CACHE
    path.parent.mkdir(parents=True)
    broken = '{"version": 1,\n "entries": {"x": '
    path.write_text(broken, encoding="utf-8")
    build, report = check(copy)
    text = strip_colors(build.warnings)
    assert f"{path}:2: WARNING: unreadable cache (JSONDecodeError at line 2): set aside as cache.json.corrupt" in text
    assert "[casebook.linkcheck_cache]" in text and ".json.rst" not in text  # a real location
    assert report["notes"] and report["summary"]["targets"] == 10
    assert path.with_name("cache.json.corrupt").read_text(encoding="utf-8") == broken  # kept, for a look
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1  # and a good one in its place


def test_a_read_only_cache_is_used_but_never_replaced(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    check(copy)
    path = copy.path / CACHE
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        web.reset()
        build, report = check(copy)
        text = strip_colors(build.warnings)
        assert "cache.json: the cache is read-only: it is used, but this run's results are not saved" in text
        assert "[casebook.linkcheck_cache]" in text and ".json.rst" not in text
        assert report["summary"]["from_cache"] == 6  # still read
        assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444
    finally:
        path.chmod(0o644)


def _result(outcome: Outcome, at: float) -> Result:
    return Result(outcome, "r", 200, checked_at=at)


def test_fresh_and_merged_follow_the_rules() -> None:
    now = 1_000_000.0
    entries = {
        "ok": _result(Outcome.WORKING, now - 10),
        "old": _result(Outcome.WORKING, now - 100),
        "moved": Result(Outcome.REDIRECTED, "r", 200, "b", (Hop("a", 301, "b"),), "b", 1, now - 10),
        "shy": _result(Outcome.UNVERIFIABLE, now - 10),
        "shy-old": _result(Outcome.UNVERIFIABLE, now - 30),
    }
    assert cache.fresh(entries, "ok", now, 50, 20) is not None
    assert cache.fresh(entries, "old", now, 50, 20) is None
    assert cache.fresh(entries, "moved", now, 50, 20) == entries["moved"]
    assert cache.fresh(entries, "shy", now, 50, 20) is not None
    assert cache.fresh(entries, "shy-old", now, 50, 20) is None
    assert cache.fresh(entries, "shy", now, 50, 0) is None  # 0: unverifiable results are never trusted
    new = {
        "ok": _result(Outcome.BROKEN, now),
        "fresh": _result(Outcome.WORKING, now),
        "late": Result(Outcome.UNVERIFIABLE, "not checked: the run's time limit ran out"),  # never fetched
    }
    after = cache.merged(entries, new, now, 50, 20)
    assert set(after) == {"moved", "fresh", "shy"}  # the broken link leaves, stale entries are dropped


def test_the_cache_round_trips_redirects(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    moved = Result(Outcome.REDIRECTED, "permanent redirect", 200, "https://b/", (Hop("https://a/", 308, "https://b/"),))
    cache.save(path, {"https://a/": moved})
    loaded = cache.load(path)
    assert loaded.notes == () and loaded.entries["https://a/"] == Result(**{**moved.__dict__, "from_cache": True})


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_an_interrupted_write_leaves_the_old_cache_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "cache.json"
    cache.save(path, {"https://a/": _result(Outcome.WORKING, 1.0)})
    before = path.read_bytes()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # as if the run were stopped half-way through the write

    monkeypatch.setattr(os, failing, interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.save(path, {"https://b/": _result(Outcome.WORKING, 2.0)})
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]  # no half-written temporary file left
    assert set(cache.load(path).entries) == {"https://a/"}


def test_ctrl_c_saves_the_links_checked_before_it(web: FakeWeb, tmp_path: Path) -> None:
    """Ctrl-C (a real SIGINT, sent when the third link is asked for) keeps the first two in the cache."""
    path = tmp_path / "cache.json"
    cache.save(path, {"https://old.example/": _result(Outcome.WORKING, 10**10)})  # remembered from before
    targets = [url_target(web.url("/ok?1")), url_target(web.url("/ok?2")), url_target(web.url("/hold"))]
    web.on_hold = lambda: os.kill(os.getpid(), signal.SIGINT)
    settings = Settings(Options(workers=1, per_host=1, timeout=15.0), frozenset({Outcome.BROKEN}), path, 3600, "")
    with pytest.raises(pipeline.RunInterrupted) as stopped:
        pipeline.execute(targets, settings, tmp_path, [], note=lambda note: None)
    assert (stopped.value.checked, stopped.value.total, stopped.value.saved) == (2, 3, True)
    saved = cache.load(path).entries
    assert set(saved) == {"https://old.example/", web.url("/ok?1"), web.url("/ok?2")}
    assert saved[web.url("/ok?1")].outcome is Outcome.WORKING

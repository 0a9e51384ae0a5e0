"""The persistent cache: fresh results cost no request, redirects stay redirects, failures are rechecked."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Project
from test_linkcheck_build import by_target, casebook, check
from test_linkcheck_http import FakeWeb, serve

from casebook_ext.linkcheck import cache
from casebook_ext.linkcheck.model import Hop, Outcome, Result

FAILING = {"/status/404", "/status/410", "/status/403", "/api/handles/10.9999/missing"}


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def test_a_second_run_fetches_only_what_failed(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    check(copy)
    first = dict(web.hits)
    web.reset()
    build, report = check(copy)
    # Fresh working links, redirects and DOIs cost nothing; every failure is asked again.
    assert set(web.hits) == FAILING and all(n == 1 for n in web.hits.values()), (first, web.hits)
    assert report["summary"]["requests"] == 4 and report["summary"]["from_cache"] == 4
    results = by_target(report)
    moved = results[web.url("/redirect/301/ok")]
    assert (moved["outcome"], moved["from_cache"], moved["final_url"]) == ("redirected", True, web.url("/ok"))
    assert moved["fixes"][0]["new"] == web.url("/ok")  # remembered as a redirect, with its fix
    assert results[web.url("/ok")]["from_cache"] is True
    assert results[web.url("/status/410")]["from_cache"] is False
    assert build.app.statuscode == 1


def test_results_older_than_the_maximum_age_are_fetched_again(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    check(copy)
    path = Path(copy.path / "_build" / "casebook-linkcheck" / "cache.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["checked_at"] -= 8 * 86400  # a week and a day ago; the default maximum age is seven days
    path.write_text(json.dumps(data), encoding="utf-8")
    web.reset()
    _, report = check(copy)
    assert report["summary"]["from_cache"] == 0 and web.hits["/redirect/301/ok"] == 1


def test_a_corrupt_cache_is_set_aside_with_a_warning(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    path = copy.path / "_build" / "casebook-linkcheck" / "cache.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "entries": {"x": ', encoding="utf-8")
    build, report = check(copy)
    assert "unreadable cache" in build.warnings and "[casebook.linkcheck_cache]" in build.warnings
    assert report["notes"] and report["summary"]["targets"] == 9
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1  # replaced by a good one


def _result(outcome: Outcome, at: float) -> Result:
    return Result(outcome, "r", 200, checked_at=at)


def test_fresh_and_merged_follow_the_rules() -> None:
    now = 1_000_000.0
    entries = {
        "ok": _result(Outcome.WORKING, now - 10),
        "old": _result(Outcome.WORKING, now - 100),
        "moved": Result(Outcome.REDIRECTED, "r", 200, "b", (Hop("a", 301, "b"),), "b", 1, now - 10),
    }
    assert cache.fresh(entries, "ok", now, 50) is not None
    assert cache.fresh(entries, "old", now, 50) is None
    assert cache.fresh(entries, "moved", now, 50) == entries["moved"]
    new = {"ok": _result(Outcome.BROKEN, now), "fresh": _result(Outcome.WORKING, now)}
    after = cache.merged(entries, new, now, 50)
    assert set(after) == {"moved", "fresh"}  # the failure leaves, the stale entry is dropped


def test_the_cache_round_trips_redirects(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    moved = Result(Outcome.REDIRECTED, "permanent redirect", 200, "https://b/", (Hop("https://a/", 308, "https://b/"),))
    cache.save(path, {"https://a/": moved})
    loaded, note = cache.load(path)
    assert note == "" and loaded["https://a/"] == Result(**{**moved.__dict__, "from_cache": True})


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
    assert set(cache.load(path)[0]) == {"https://a/"}

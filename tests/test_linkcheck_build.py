"""The ``casebook-linkcheck`` builder over a small casebook: places, reports, warnings, exit status."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Build, Project
from sphinx.util.console import strip_colors
from test_linkcheck_http import FakeWeb, serve

from casebook_ext.linkcheck.report import schema

DOCS_PAGE = Path(__file__).parent.parent / "docs" / "linkcheck.md"


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def casebook(project: Callable[[str], Project], server: FakeWeb, root: str = "linkcheck") -> Project:
    """A copy of the test root whose links point at the local server."""
    copy = project(root)
    for path in copy.path.rglob("*"):
        if path.suffix in (".md", ".bib", ".py"):
            path.write_text(path.read_text(encoding="utf-8").replace("http://SERVER", server.base), encoding="utf-8")
    return copy


def check(copy: Project, **settings: object) -> tuple[Build, dict[str, Any]]:
    build = copy.build("casebook-linkcheck", confoverrides=settings)
    report = json.loads((Path(build.app.outdir) / "report.json").read_text(encoding="utf-8"))
    return build, report


def by_target(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["target"]: r for r in report["results"]}


def places(result: dict[str, Any]) -> list[tuple[str, int, str, str | None]]:
    return [(p["file"], p["line"], p["kind"], p["case"] or p["key"]) for p in result["places"]]


def test_a_url_is_mapped_to_its_entry_and_every_case_and_page_that_cites_it(
    project: Callable[[str], Project], web: FakeWeb
) -> None:
    _, report = check(casebook(project, web))
    shared = by_target(report)[web.url("/ok")]
    assert shared["keys"] == ["shared"]
    assert places(shared) == [
        ("refs.bib", 5, "bibtex", "shared"),  # the entry's url field
        ("one.md", 10, "case", "one"),  # case one's resources line
        ("two.md", 10, "case", "two"),  # case two's resources line
        ("page.md", 3, "citation", "shared"),  # the page's cite role
    ]
    # A link with a #fragment is its own link (its anchor is checked), sharing the page's request.
    section = by_target(report)[web.url("/ok#history")]
    assert places(section) == [("one.md", 14, "link", None)] and section["anchor"] == "history"
    assert section["places"][0]["written"] == web.url("/ok#history") and section["outcome"] == "working"
    # One request for the page's five places; the two others end two redirect chains.
    assert web.hits["/ok"] == 3


def test_each_outcome_is_reported_with_what_to_do(project: Callable[[str], Project], web: FakeWeb) -> None:
    _, report = check(casebook(project, web))
    results = by_target(report)
    outcome = {target: r["outcome"] for target, r in results.items()}
    assert outcome == {
        web.url("/ok"): "working",
        web.url("/ok#history"): "working",
        web.url("/redirect/301/ok"): "redirected",
        web.url("/redirect/302/ok"): "redirected",
        web.url("/status/404"): "broken",
        web.url("/status/410"): "broken",
        web.url("/status/403"): "unverifiable",
        "doi:10.1234/example.2020": "working",
        "doi:10.9999/missing": "broken",
        "mailto:someone@example.org": "ignored",
    }
    assert report["summary"] | {"seconds": 0} == {
        "targets": 10,
        "places": 21,
        "working": 3,
        "redirected": 2,
        "broken": 3,
        "unverifiable": 1,
        "ignored": 1,
        "requests": 10,
        "from_cache": 0,
        "from_cache_by_outcome": dict.fromkeys(["working", "redirected", "broken", "unverifiable", "ignored"], 0),
        "unchanged": 0,
        "seconds": 0,
    }
    moved = results[web.url("/redirect/301/ok")]
    assert moved["final_url"] == moved["permanent_url"] == web.url("/ok")
    assert moved["fixes"] == [
        {
            "file": "refs.bib",
            "line": 12,
            "old": web.url("/redirect/301/ok"),
            "new": web.url("/ok"),
            "key": "moved",
            "field": "url",
            "bibtex": f"url = {{{web.url('/ok')}}},",
        }
    ]
    assert results[web.url("/redirect/302/ok")]["fixes"] == []  # temporary: keep the link
    gone = results[web.url("/status/410")]
    assert gone["archive_suggestion"] == "https://web.archive.org/web/" + web.url("/status/410")
    # A DOI is one check whether written as a doi field, a doi.org url or a link; shown as written.
    article = results["doi:10.1234/example.2020"]
    assert article["doi"] == "10.1234/example.2020"
    assert [(p["file"], p["kind"], p["written"]) for p in article["places"]] == [
        ("refs.bib", "bibtex", "10.1234/example.2020"),
        ("refs.bib", "bibtex", "https://doi.org/10.1234/example.2020"),
        ("one.md", "case", "art2020"),
        ("page.md", "link", "https://doi.org/10.1234/EXAMPLE.2020"),
    ]
    assert web.hits["/api/handles/10.1234/example.2020"] == 1
    missing = results["doi:10.9999/missing"]
    assert missing["archive_suggestion"] is None and "responseCode 100" in missing["reason"]


def test_the_json_report_validates_against_its_documented_schema(
    project: Callable[[str], Project], web: FakeWeb
) -> None:
    import jsonschema

    build, report = check(casebook(project, web))
    published = schema()
    jsonschema.Draft202012Validator.check_schema(published)
    jsonschema.validate(report, published, format_checker=jsonschema.FormatChecker())
    assert json.loads((Path(build.app.outdir) / "report.schema.json").read_text(encoding="utf-8")) == published
    # The docs page shows this very file (through its directive), so the documented schema is the one tested.
    assert "```{casebook-linkcheck-schema}" in DOCS_PAGE.read_text(encoding="utf-8")


def test_the_markdown_report_lists_what_to_fix_first(project: Callable[[str], Project], web: FakeWeb) -> None:
    build, _ = check(casebook(project, web))
    text = (Path(build.app.outdir) / "report.md").read_text(encoding="utf-8")
    assert text.startswith("## Link check: 3 broken · 1 unverifiable · 2 redirected · 3 working · 1 ignored\n")
    assert "Result: **failed**" in text
    sections = re.findall(r"^### (\w+) \((\d+)\)$", text, re.MULTILINE)
    assert sections == [("Broken", "3"), ("Unverifiable", "1"), ("Redirected", "2")]
    row = next(line for line in text.splitlines() if "/status/410" in line and line.startswith("| <"))
    assert "`refs.bib:19` (`gone` url field)<br>`two.md:10` (case `two` resources, `gone`)" in row
    assert "Suggestion, not checked: an archived copy may exist at <https://web.archive.org/web/" in row
    assert f"`refs.bib:12`: `url = {{{web.url('/ok')}}},`" in text
    assert "DOI `10.9999/missing`" in text


def test_a_broken_link_warns_at_every_place_and_fails_the_run(project: Callable[[str], Project], web: FakeWeb) -> None:
    build, _ = check(casebook(project, web))
    assert build.app.statuscode == 1
    warnings = {
        (m.group(1), m.group(2))
        for m in re.finditer(r"/([^/\s]+): WARNING: broken link (\S+):", strip_colors(build.warnings))
    }
    assert warnings == {
        ("refs.bib:19", web.url("/status/410")),
        ("two.md:10", web.url("/status/410")),
        ("page.md:5", web.url("/status/404")),
        ("refs.bib:36", "10.9999/missing"),
        ("two.md:10", "10.9999/missing"),
    }
    assert "[casebook.link_broken]" in build.warnings


def test_only_broken_fails_by_default_and_fail_on_widens_it(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    ignore = [r"/status/(404|410)$", r"^10\.9999/"]
    build, report = check(copy, casebook_linkcheck_ignore=ignore)
    assert (build.app.statuscode, report["failed"], report["summary"]["unverifiable"]) == (0, False, 1)
    assert "WARNING" not in build.warnings
    build, report = check(copy, casebook_linkcheck_ignore=ignore, casebook_linkcheck_fail_on=["broken", "unverifiable"])
    assert (build.app.statuscode, report["failed"], report["fail_on"]) == (1, True, ["broken", "unverifiable"])
    assert "[casebook.link_failed]" in build.warnings


def test_bad_settings_stop_the_run_with_every_problem_named(project: Callable[[str], Project], web: FakeWeb) -> None:
    copy = casebook(project, web)
    copy.write("conf.py", copy.read("conf.py") + 'casebook_linkcheck_ignore = "linkedin"\n')
    build = copy.build(
        "casebook-linkcheck",
        confoverrides={"casebook_linkcheck_timeout": "soon", "casebook_linkcheck_fail_on": ["borked"]},
    )
    # One typed warning per problem, at conf.py's line when the setting is written there; no traceback.
    text = strip_colors(build.warnings)
    assert "WARNING: casebook_linkcheck_timeout: 'soon' is not a duration" in text
    assert "WARNING: casebook_linkcheck_fail_on: 'borked' is not an outcome" in text
    line = copy.read("conf.py").splitlines().index('casebook_linkcheck_ignore = "linkedin"') + 1
    assert re.search(rf"conf\.py:{line}: WARNING: casebook_linkcheck_ignore: 'linkedin' is not a list", text)
    assert text.count("[casebook.linkcheck_config]") == 3 and "Traceback" not in text
    assert build.app.statuscode == 2 and web.requests == 0
    assert not (Path(build.app.outdir) / "report.json").exists()


def test_missing_anchors_are_broken_at_their_place_unless_anchors_are_off(
    project: Callable[[str], Project], web: FakeWeb
) -> None:
    copy = casebook(project, web)
    copy.write("page.md", copy.read("page.md") + f"\nA [lost section]({web.url('/ok#lost')}).\n")
    build, report = check(copy)
    lost = by_target(report)[web.url("/ok#lost")]
    assert (lost["outcome"], lost["anchor"], places(lost)) == ("broken", "lost", [("page.md", 9, "link", None)])
    assert "no anchor #lost" in lost["reason"] and web.hits["/ok"] == 3  # still one request for the page
    assert f"page.md:9: WARNING: broken link {web.url('/ok#lost')}: the page has no anchor #lost" in strip_colors(
        build.warnings
    )
    _, report = check(copy, casebook_linkcheck_anchors=False, casebook_linkcheck_cache="none")
    page = by_target(report)[web.url("/ok")]
    assert web.url("/ok#lost") not in by_target(report) and page["outcome"] == "working" and len(page["places"]) == 6
    _, report = check(copy, casebook_linkcheck_anchors_ignore=["^lost$"], casebook_linkcheck_cache="none")
    assert web.url("/ok#lost") not in by_target(report) and web.url("/ok#history") in by_target(report)


def test_the_command_runs_the_builder_and_appends_a_ci_summary(
    project: Callable[[str], Project], web: FakeWeb, tmp_path: Path
) -> None:
    from casebook_ext.linkcheck.__main__ import main

    copy = casebook(project, web)
    summary = tmp_path / "summary.md"
    status = main([str(copy.path), "-o", str(tmp_path / "out"), "--summary", str(summary), "-D", "language=en"])
    assert status == 1
    assert (tmp_path / "out" / "report.json").is_file()
    assert summary.read_text(encoding="utf-8").startswith("## Link check: 3 broken")

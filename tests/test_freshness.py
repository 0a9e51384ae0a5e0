"""Freshness and stable addresses: cases due for review are flagged; renamed cases keep their address."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project

from casebook_ext.dates import add_months, parse_age, review_due


@pytest.fixture
def basic(project: Callable[[str], Project]) -> Project:
    return project("basic")


def test_ages_read_as_months_and_reviews_fall_due_after_them() -> None:
    import datetime as dt

    assert parse_age("18 months") == 18 and parse_age("2 years") == 24 and parse_age("18m") == 18
    assert parse_age("soon") is None
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert review_due(dt.date(2024, 1, 1), 18, dt.date(2025, 7, 2)) is True
    assert review_due(dt.date(2024, 1, 1), 18, dt.date(2025, 7, 1)) is False
    assert review_due(dt.date(2000, 1, 1), 0, dt.date(2030, 1, 1)) is False  # "0 months": never


def test_a_case_reviewed_long_ago_is_flagged_on_its_page_in_listings_and_in_the_data(
    basic: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1814400000")  # 2027-07-01: beta (2026-01-15) is 17 months old
    build = basic.build(confoverrides={"casebook_stale_after": "1 year"})
    assert "Due for review" in build.page("cases/beta")
    assert "Due for review" not in build.page("cases/alpha")  # reviewed 2026-11-29
    listings = build.page("listings")
    assert listings.count("Due for review") >= 1
    data = json.loads((Path(build.app.outdir) / "cases.json").read_text(encoding="utf8"))
    due = {case["id"]: case["review-due"] for case in data["cases"]}
    assert due == {"alpha": False, "beta": True, "gamma": True}


def test_a_bad_freshness_setting_is_one_typed_warning_and_the_default_holds(basic: Project) -> None:
    build = basic.build(confoverrides={"casebook_stale_after": "soon"})
    assert "casebook_stale_after: 'soon' is not an age" in build.warnings and "[casebook.bad_config]" in build.warnings
    assert "Traceback" not in build.warnings and build.app.config.casebook_stale_after == "18 months"


def test_a_renamed_case_leaves_a_redirect_at_its_old_address(basic: Project) -> None:
    basic.build()
    text = basic.read("cases/gamma.md").replace("{case} gamma", "{case} gamma-agency")
    (basic.path / "cases/gamma.md").unlink()
    basic.write("cases/gamma-agency.md", text)
    basic.write("index.rst", basic.read("index.rst").replace("cases/gamma\n", "cases/gamma-agency\n"))
    build = basic.build(confoverrides={"casebook_redirects": {"gamma": "gamma-agency"}})
    old = (Path(build.app.outdir) / "cases/gamma.html").read_text(encoding="utf8")
    assert '<meta http-equiv="refresh" content="0; url=gamma-agency.html">' in old
    assert "Gamma national agency" in old


def test_a_case_on_a_page_named_otherwise_warns_with_its_subtype_and_line(basic: Project) -> None:
    (basic.path / "cases/gamma.md").rename(basic.path / "cases/agency.md")
    basic.write("index.rst", basic.read("index.rst").replace("cases/gamma\n", "cases/agency\n"))
    warnings = basic.build().warnings
    assert "cases/agency.md:3: WARNING: case 'gamma' is on the page 'cases/agency'" in warnings
    assert "[casebook.page_name]" in warnings


def test_casebook_check_warns_about_a_case_due_for_review_at_its_last_reviewed_line(
    basic: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from casebook_ext import cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1814400000")  # 2027-07-01
    basic.write("conf.py", basic.read("conf.py") + 'casebook_stale_after = "1 year"\n')
    status = cli.main(["check", str(basic.path / "cases" / "beta.rst"), "--conf", str(basic.path / "conf.py")])
    out = capsys.readouterr().out
    line = basic.read("cases/beta.rst").splitlines().index("   :last-reviewed: 2026-01-15") + 1
    assert status == 1
    assert f"beta.rst:{line}: WARNING: last-reviewed: case 'beta' was last checked" in out
    assert "[casebook.review_due]" in out

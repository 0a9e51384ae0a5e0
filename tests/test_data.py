"""Open data: cases.json with its schema, cases.csv, and each case's citation in four formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from conftest import Project
from pybtex.database import parse_string


@pytest.fixture
def basic(project: Callable[[str], Project]) -> Project:
    return project("basic")


def test_cases_json_holds_every_case_and_validates_against_its_schema(basic: Project) -> None:
    out = Path(basic.build().app.outdir)
    data = json.loads((out / "cases.json").read_text(encoding="utf8"))
    schema = json.loads((out / data["$schema"]).read_text(encoding="utf8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    cases = {case["id"]: case for case in data["cases"]}
    assert set(cases) == {"alpha", "beta", "gamma"}
    alpha = cases["alpha"]
    assert alpha["years"] == {"start": 2021, "end": 2023}
    assert alpha["organisations"] == ["Alpha Authority", "Dept of Trade, Industry and Competition"]
    assert alpha["url"] == "cases/alpha.html"
    assert {"id": "beta", "relation": "inspired-by", "direction": "to"} in alpha["related"]
    beta = cases["beta"]
    assert {"id": "alpha", "relation": "inspired-by", "direction": "from"} in beta["related"]
    source = alpha["resources"][0]
    assert source["key"] == "report2023" and source["label"] == "Example Institute 2023"
    assert "An example round-up report" in source["citation"] and source["link"] == "https://example.org/report"
    assert data["casebook"]["edition"] == "1.0" and data["format"] == 1


def test_cases_csv_reads_back_to_the_same_values(basic: Project) -> None:
    out = Path(basic.build().app.outdir)
    data = {c["id"]: c for c in json.loads((out / "cases.json").read_text(encoding="utf8"))["cases"]}
    rows = list(csv.DictReader(io.StringIO((out / "cases.csv").read_text(encoding="utf8"))))
    assert {row["id"] for row in rows} == set(data)
    for row in rows:
        case = data[row["id"]]
        assert row["title"] == case["title"]
        assert (row["country"].split("; ") if row["country"] else []) == case["country"]
        assert (row["organisations"].split("; ") if row["organisations"] else []) == case["organisations"]
        assert (row["pillars"].split("; ") if row["pillars"] else []) == case["pillars"]
        years = case["years"] or {}
        assert row["years-start"] == str(years.get("start") or "")
        assert row["years-end"] == str(years.get("end") or "")


def test_every_case_can_be_cited_in_bibtex_ris_and_csl_json(basic: Project) -> None:
    build = basic.build()
    out = Path(build.app.outdir)
    bib = parse_string((out / "_casebook/cite/alpha.bib").read_text(encoding="utf8"), "bibtex")
    entry = bib.entries["casebook-alpha"]
    assert entry.fields["title"] == "{Alpha <b>city</b> mission}"
    # A local build does not know where the casebook is published: its citations name no address.
    assert entry.fields["year"] == "2026" and "url" not in entry.fields
    ris = (out / "_casebook/cite/alpha.ris").read_text(encoding="utf8").splitlines()
    assert ris[0] == "TY  - CHAP" and ris[-1] == "ER  - "
    assert any(line.startswith("TI  - Alpha <b>city</b> mission") for line in ris)
    csl = json.loads((out / "_casebook/cite/alpha.json").read_text(encoding="utf8"))
    assert csl[0]["title"] == "Alpha <b>city</b> mission" and csl[0]["issued"]["date-parts"] == [[2026, 11, 29]]
    page = build.page("cases/alpha")
    cite = page.split('id="casebook-cite-alpha"')[1].split("</div>")[0]
    assert "Alpha &lt;b&gt;city&lt;/b&gt; mission" in cite and "<b>city</b>" not in cite
    assert 'href="../_casebook/cite/alpha.bib"' in cite
    assert "cases/alpha.html" not in cite.split("</p>")[0] and "UR  - " not in "\n".join(ris)


def test_a_published_casebook_s_citations_give_each_case_s_full_address(basic: Project) -> None:
    build = basic.build(confoverrides={"html_baseurl": "https://casebook.example.org/"})
    out = Path(build.app.outdir)
    address = "https://casebook.example.org/cases/alpha.html"
    entry = parse_string((out / "_casebook/cite/alpha.bib").read_text(encoding="utf8"), "bibtex").entries
    assert entry["casebook-alpha"].fields["url"] == address
    assert f"UR  - {address}" in (out / "_casebook/cite/alpha.ris").read_text(encoding="utf8")
    assert json.loads((out / "_casebook/cite/alpha.json").read_text(encoding="utf8"))[0]["URL"] == address
    cite = build.page("cases/alpha").split('id="casebook-cite-alpha"')[1].split("</div>")[0]
    assert address in cite


def _cite_files(out: Path) -> dict[str, tuple[int, str]]:
    folder = out / "_casebook/cite"
    return {p.name: (p.stat().st_mtime_ns, p.read_text(encoding="utf8")) for p in sorted(folder.iterdir())}


def test_editing_one_case_rewrites_that_case_s_citation_files_only_and_as_a_clean_build_would(
    basic: Project, project: Callable[[str], Project]
) -> None:
    out = Path(basic.build().app.outdir)
    before = _cite_files(out)
    basic.write("cases/gamma.md", basic.read("cases/gamma.md").replace("Gamma national agency", "Gamma agency"))
    basic.build()
    after = _cite_files(out)
    changed = {name for name in after if after[name][0] != before[name][0]}
    assert changed == {"gamma.bib", "gamma.ris", "gamma.json"}
    assert "Gamma agency" in after["gamma.bib"][1] and "Gamma national agency" not in after["gamma.bib"][1]

    fresh = project("basic", name="fresh")
    fresh.write("cases/gamma.md", basic.read("cases/gamma.md"))
    clean = _cite_files(Path(fresh.build().app.outdir))
    assert {name: text for name, (_, text) in after.items()} == {name: text for name, (_, text) in clean.items()}
    assert (out / "cases.json").read_text(encoding="utf8") == (
        Path(fresh.path / "_build/html/cases.json").read_text(encoding="utf8")
    )


def test_citation_files_deleted_from_the_output_are_written_again(basic: Project) -> None:
    out = Path(basic.build().app.outdir)
    (out / "_casebook/cite/beta.ris").unlink()
    basic.build()
    assert (out / "_casebook/cite/beta.ris").read_text(encoding="utf8").startswith("TY  - ")

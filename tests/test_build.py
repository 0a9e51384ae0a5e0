"""A small casebook built with each builder: panels, links, listings and backlinks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile


def text_of(html: str) -> str:
    """The visible words of a page, with markup gone and spacing normalised."""
    import html as html_lib

    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return html_lib.unescape(re.sub(r" ([:,.)])", r"\1", words))


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_html_build_is_clean_and_renders_the_facts_panel(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    alpha = (app.outdir / "cases/alpha.html").read_text(encoding="utf8")
    # A link to the case lands on its title; the panel is a labelled aside, not an admonition.
    assert '<span id="casebook-case-alpha"></span><h1>' in alpha
    assert '<aside aria-label="Facts of the case" class="casebook-facts">' in alpha
    assert "Alpha evaluates its missions in cycles." in alpha
    # Country codes read as names and link to their listing.
    assert 'href="../browse/country/gb.html"' in alpha
    assert "United Kingdom" in alpha
    # Organisation names may contain commas: they are split on semicolons only.
    assert "Dept of Trade, Industry and Competition</span></a>" in alpha
    assert "2021\u20132023" in alpha  # an en dash between the years
    # Sources are short author-year citations.
    sources = alpha.split("casebook-field-sources")[2].split("</dd>")[0]
    assert "Example Institute 2023" in sources
    # Contributor data is not shown to readers.
    assert "Completeness" not in alpha and "Case id" not in alpha


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_contributor_text_is_escaped(app: SphinxTestApp) -> None:
    app.build()
    for page in ("cases/beta.html", "listings.html", "index.html"):
        html = (app.outdir / page).read_text(encoding="utf8")
        assert "<b>city</b>" not in html
        assert "Alpha &lt;b&gt;city&lt;/b&gt; mission" in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_roles_link_cases_by_title_and_terms_to_their_listing(app: SphinxTestApp) -> None:
    app.build()
    index = (app.outdir / "index.html").read_text(encoding="utf8")
    assert re.search(r'href="cases/alpha.html#casebook-case-alpha"[^>]*><span[^>]*>Alpha &lt;b', index)
    # A term links to its own page, which lists its cases; the browse page still anchors every term.
    assert 'href="browse/pillar/assessment.html"' in index
    browse = (app.outdir / "browse.html").read_text(encoding="utf8")
    assert 'id="casebook-pillar-assessment"' in browse
    assert 'id="casebook-country-gb"' in browse
    term = (app.outdir / "browse/pillar/assessment.html").read_text(encoding="utf8")
    assert set(re.findall(r"cases/(\w+)\.html#casebook-case-", term)) == {"alpha", "gamma"}


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_related_cases_show_on_both_sides(app: SphinxTestApp) -> None:
    app.build()
    alpha = text_of((app.outdir / "cases/alpha.html").read_text(encoding="utf8"))
    beta = text_of((app.outdir / "cases/beta.html").read_text(encoding="utf8"))
    gamma = text_of((app.outdir / "cases/gamma.html").read_text(encoding="utf8"))
    assert "Related cases: Inspired by: Beta procurement" in alpha
    assert "Related cases: Inspiration for: Alpha <b>city</b> mission" in beta
    assert "Related cases" not in gamma


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_listings_filter_and_sort(app: SphinxTestApp) -> None:
    app.build()
    html = (app.outdir / "listings.html").read_text(encoding="utf8")
    parts = re.split(r'<section id="([a-z-]+)">', html)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    assessment_gb = re.findall(r"casebook-case-(\w+)", sections["assessment-in-gb-by-year"])
    assert assessment_gb == ["alpha", "gamma"]  # beta is in ES; alpha (2021) before gamma (no year)
    procurement = set(re.findall(r"casebook-case-(\w+)", sections["procurement"]))
    assert procurement == {"beta"}
    table = sections["all-cases"]
    assert [h for h in re.findall(r"<th[^>]*><p>([^<]+)</p>", table)] == ["Title", "Country", "Years", "Status"]
    assert table.count("<tr") == 4


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_term_index_lists_every_pillar_with_its_cases(app: SphinxTestApp) -> None:
    app.build()
    browse = text_of((app.outdir / "browse.html").read_text(encoding="utf8"))
    assert "Assessment (2 cases)" in browse
    assert "Routes (1 case)" in browse
    assert "Organisations (1 case)" in browse
    assert "Spain (1 case)" in browse and "United Kingdom (2 cases)" in browse
    # Terms no case uses are listed apart, not as empty entries.
    assert "No case yet:" in browse and "Ended" in browse.split("No case yet:")[1]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_cases_and_terms_are_in_the_inventory(app: SphinxTestApp) -> None:
    app.build()
    inv = InventoryFile.loads((app.outdir / "objects.inv").read_bytes(), uri="")
    data = inv.data if hasattr(inv, "data") else inv  # Sphinx 8.2 returns a dict, 9 an _Inventory
    cases = data["casebook:case"]
    assert set(cases) == {"alpha", "beta", "gamma"}
    assert "casebook-case-beta" in str(cases["beta"])
    assert "assessment" in data["casebook:pillar"]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_json_schema_is_published_with_the_html(app: SphinxTestApp) -> None:
    app.build()
    schema = json.loads((app.outdir / "cases.schema.json").read_text(encoding="utf8"))
    assert schema["$defs"]["case"]["properties"]["level"]["enum"][0] == "local"


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_every_casebook_part_renders_in_latex_and_text(make_app, tmp_path: Path, rootdir: Path, builder: str) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", src)
    app = make_app(builder, srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    if builder == "text":
        alpha = (out / "cases/alpha.txt").read_text(encoding="utf8")
        assert "Related cases:" in alpha and "Inspired by: Beta procurement" in alpha
        browse = (out / "browse.txt").read_text(encoding="utf8")
        assert "**Assessment** (2 cases)" in browse
        listings = (out / "listings.txt").read_text(encoding="utf8")
        assert "Beta procurement" in listings and "Spain" in listings
    else:
        tex = next(out.glob("*.tex")).read_text(encoding="utf8")
        assert r"\label{\detokenize{cases/alpha:casebook-case-alpha}}" in tex
        assert r"\hyperref[\detokenize{browse:casebook-pillar-assessment}]" in tex
        assert r"\label{\detokenize{browse:casebook-pillar-assessment}}" in tex
        assert "Inspired by: " in tex and "{Assessment}}}}} (2 cases)" in tex
        assert r"Alpha \textless{}b\textgreater{}city" in tex

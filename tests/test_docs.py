"""The casebook's own docs are the extension's largest test: they build strictly and stay honest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook_ext.config import CONFIG_FIELDS
from casebook_ext.problems import SUBTYPES
from casebook_ext.schema import FIELDS

DOCS = Path(__file__).parent.parent / "docs"
FIRST_CASES = ("camden-mission-led-procurement", "valencia-public-mission-community", "gla-mission-evaluation-cycles")


@pytest.fixture(scope="module")
def built(make_app_module, tmp_path_factory) -> Path:
    app = make_app_module(
        "html",
        srcdir=DOCS,
        builddir=tmp_path_factory.mktemp("docs"),
        confoverrides={"nitpicky": True},
        warningiserror=True,
    )
    app.build()
    assert app.warning.getvalue() == "", app.warning.getvalue()
    assert app.statuscode == 0
    return Path(app.outdir)


@pytest.fixture(scope="module")
def make_app_module(request):
    from sphinx.testing.util import SphinxTestApp

    apps: list[SphinxTestApp] = []

    def make(*args, **kwargs) -> SphinxTestApp:
        app = SphinxTestApp(*args, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.cleanup()


def test_the_first_cases_have_a_facts_panel_and_cite_the_round_up_report(built: Path) -> None:
    for case_id in FIRST_CASES:
        html = (built / "cases" / f"{case_id}.html").read_text(encoding="utf8")
        assert f'id="casebook-case-{case_id}"' in html
        assert "casebook-facts" in html
        # Every case cites the round-up report; its sources list links it to its resource guide entry.
        sources = html.split('id="casebook-sources"')[1]
        assert 'href="../resources/by-kind.html#casebook-resource-iipp2023moinroundup"' in sources, case_id


def test_the_finder_and_the_term_pages_list_every_case(built: Path) -> None:
    finder = (built / "cases" / "index.html").read_text(encoding="utf8")
    for path in sorted((DOCS / "cases").glob("*.md")):
        match = re.search(r"^:::\{case\} (\S+)\n(?:.*\n)*?:pillars: (.+)$", path.read_text(encoding="utf8"), re.M)
        if not match:
            continue
        case_id, pillars = match.group(1), [p.strip() for p in match.group(2).split(",")]
        assert f'data-id="{case_id}"' in finder, case_id
        for pillar in pillars:
            page = (built / "browse" / "pillar" / f"{pillar}.html").read_text(encoding="utf8")
            assert f"{case_id}.html#casebook-case-{case_id}" in page, (case_id, pillar)


def test_the_reference_page_is_generated_from_the_code(built: Path) -> None:
    html = (built / "reference.html").read_text(encoding="utf8")
    for spec in FIELDS:
        assert f'<span class="pre">{spec.name}</span>' in html, spec.name
    for subtype in SUBTYPES:
        assert f"casebook.{subtype}" in html, subtype
    for field in CONFIG_FIELDS:
        assert f"casebook_{field.name}" in html
    # The link checker's settings and warnings too: docs/conf.py loads casebook_ext.linkcheck.
    from casebook_ext.linkcheck import config, problems

    for spec in config.FIELDS:
        assert f"casebook_linkcheck_{spec.name}" in html, spec.name
    for subtype in problems.SUBTYPES:
        assert f"casebook.{subtype}" in html, subtype
    assert "risks-rewards" in html and "public-procurement" in html


def test_the_landing_page_reaches_every_case(built: Path) -> None:
    index = (built / "index.html").read_text(encoding="utf8")
    assert 'href="cases/index.html"' in index
    table = (built / "cases" / "index.html").read_text(encoding="utf8")
    for case_id in FIRST_CASES:
        assert f'href="{case_id}.html' in table


def _links(page: Path, built: Path) -> set[Path]:
    html = page.read_text(encoding="utf8")
    targets = set()
    for href in re.findall(r'href="([^"#:]+\.html)(?:#[^"]*)?"', html):
        targets.add((page.parent / href).resolve())
    return {t for t in targets if t.is_relative_to(built.resolve())}


def test_every_case_is_two_clicks_from_the_landing_page_and_cites_a_resource(built: Path) -> None:
    landing = built / "index.html"
    one_click = _links(landing, built)
    two_clicks = one_click | {t for page in one_click if page.exists() for t in _links(page, built)}
    cases = sorted(p.stem for p in (DOCS / "cases").glob("*.md") if ":::{case} " in p.read_text(encoding="utf8"))
    assert len(cases) >= 3
    for case_id in cases:
        page = (built / "cases" / f"{case_id}.html").resolve()
        assert page in two_clicks, case_id
        sources = page.read_text(encoding="utf8").split("casebook-field-sources")
        assert len(sources) > 2 and "<a " in sources[2].split("</dd>")[0], case_id


def test_no_page_shows_markdown_as_text(built: Path) -> None:
    """A table broken by a blank line, or markup MyST did not parse, shows its ``|`` or ``:::`` as a paragraph."""
    shown = {}
    for page in sorted(built.rglob("*.html")):
        html = page.read_text(encoding="utf8")
        paragraphs = (re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", html, re.DOTALL))
        found = [text[:80] for text in paragraphs if text.startswith(("|", ":::"))]
        if found:
            shown[page.relative_to(built).as_posix()] = found
    assert shown == {}


def test_every_published_case_address_still_leads_to_its_case(built: Path) -> None:
    """A case's address may change only with a redirect (casebook_redirects) that keeps the old one alive."""
    lines = (Path(__file__).parent / "case-urls.txt").read_text(encoding="utf8").splitlines()
    published = [line.split() for line in lines if line.strip() and not line.startswith("#")]
    assert len(published) >= 19
    for case_id, url in published:
        page = built / url
        assert page.is_file(), f"{case_id}: {url} is gone; add {case_id!r} to casebook_redirects"
        html = page.read_text(encoding="utf8")
        moved = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', html)
        if moved:
            html = (page.parent / moved.group(1)).read_text(encoding="utf8")
        assert re.search(r'id="casebook-case-[a-z0-9-]+"', html), f"{url} no longer holds a case"

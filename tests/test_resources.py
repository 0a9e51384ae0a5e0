"""The resource guide: formatted entries with links, grouped views, backlinks, warnings, freshness."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project
from sphinx.util.console import strip_colors
from sphinx.util.inventory import InventoryFile


@pytest.fixture
def res(project: Callable[[str], Project]) -> Project:
    return project("resources")


def warnings_of(text: str) -> set[tuple[str, str, str]]:
    """(file:line, subtype, key) of each casebook warning about a resource."""
    found = set()
    for line in strip_colors(text).splitlines():
        match = re.match(r".*/(\S+?): WARNING: .*?'(\w+)'.*\[casebook\.(\w+)\]$", line)
        if match and "resource" in match.group(3):
            found.add((match.group(1), match.group(3), match.group(2)))
    return found


def test_each_resource_problem_warns_once_at_the_citing_case_or_the_bib_entry(res: Project) -> None:
    build = res.build()
    assert warnings_of(build.warnings) == {
        ("two.md:10", "unknown_resource", "unknownkey"),
        ("one.md:10", "resource_missing_field", "rep2019"),
        ("one.md:10", "resource_no_link", "nolink"),
        ("refs.bib:38", "resource_uncited", "orphan"),
        ("refs.bib:52", "resource_bad_field", "typo2024"),
    }


def test_a_mistyped_kind_or_pillar_in_a_bib_entry_is_named_with_a_suggestion(res: Project) -> None:
    build = res.build()
    warnings = [w for w in strip_colors(build.warnings).splitlines() if "resource_bad_field" in w]
    assert len(warnings) == 2
    kind, pillar = warnings
    assert "refs.bib:52" in kind and "casebook_kind = {newz}" in kind and "did you mean 'news'?" in kind
    assert "casebook_pillars = {rootes}" in pillar and "did you mean 'routes'?" in pillar
    # The entry is still listed, under the kind its type gives, and filed under its known pillar.
    guide = build.page("guide")
    other = guide.split('<p class="rubric">Other sources (')[1]
    assert 'id="casebook-resource-typo2024"' in other


def test_a_case_lists_its_resources_formatted_with_their_links(res: Project) -> None:
    html = res.build().page("one")
    # The panel names each source by its short label, linking to its full entry at the foot of the page.
    panel = html.split("casebook-field-sources")[2].split("</dd>")[0]
    assert re.search(r'href="#casebook-source-art2020"[^>]*><span class="casebook-term">Doe 2020</span>', panel)
    sources = html.split('id="casebook-sources"')[1]
    assert "An article on missions" in sources
    assert 'href="https://doi.org/10.1234/example.2020"' in sources
    # A style that drops an entry missing a required field would lose its link: the casebook keeps it.
    assert "A report without its institution" in sources and 'href="https://example.org/rep2019"' in sources
    assert 'href="guide.html#casebook-resource-art2020"' in sources


def test_the_guide_groups_by_kind_with_stable_anchors_and_backlinks(res: Project) -> None:
    html = res.build().page("guide")
    headings = re.findall(r'<p class="rubric">([^<]+)</p>', html)
    assert headings == [
        "Journal articles (1)",
        "Working papers (1)",
        "Policy reports (1)",
        "News and press articles (1)",
        "Web pages (1)",
        "Other sources (3)",
    ]
    # A long guide opens with a line of links to its groups.
    jumps = html.split('class="casebook-guide-jumps"')[1].split("</p>")[0]
    assert re.findall(r'href="#(casebook-guide-kind-[\w-]+)"', jumps) == re.findall(
        r'<span class="target" id="(casebook-guide-kind-[\w-]+)"', html
    )
    assert len(re.findall("casebook-guide-kind-", jumps)) == 6
    entry = html.split('id="casebook-resource-art2020"')[1].split("</li>")[0]
    assert 'href="one.html#casebook-case-one"' in entry and 'href="page.html"' in entry
    orphan = html.split('id="casebook-resource-orphan"')[1].split("</li>")[0]
    assert "Not yet cited by any case or page." in orphan


def test_the_pillar_view_files_resources_under_the_pillars_of_citing_cases(res: Project) -> None:
    html = res.build().page("by-pillar")
    sections = dict(re.findall(r'<p class="rubric">([^<(]+) \(\d+\)</p>(.*?)</ul>', html, re.S))
    assert "A working paper" in sections["Routes"] and "A working paper" not in sections["Assessment"]
    assert "An article on missions" in sections["Assessment"]
    assert "An orphan resource" in sections["Not yet tied to a pillar"]
    assert "casebook-resource-" not in "".join(re.findall(r'id="([^"]+)"', html))  # anchors live in one view


def test_the_needs_a_link_queue_lists_only_entries_without_doi_or_url(res: Project) -> None:
    html = res.build().page("needs")
    assert "A resource nobody has found yet" in html
    for other in ("An article on missions", "A working paper", "An orphan resource"):
        assert other not in html


def test_resources_are_in_the_inventory_for_other_sites(res: Project) -> None:
    build = res.build()
    inv = InventoryFile.loads((Path(build.app.outdir) / "objects.inv").read_bytes(), uri="")
    data = inv.data if hasattr(inv, "data") else inv
    assert "guide.html#casebook-resource-wp2021" in str(data["casebook:resource"]["wp2021"])


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_the_guide_renders_in_latex_and_text(res: Project, builder: str) -> None:
    build = res.build(builder, out=f"_{builder}")
    out = Path(build.app.outdir)
    if builder == "text":
        guide = (out / "guide.txt").read_text(encoding="utf8")
        assert "Cited in:** Case one; A page" in guide
    else:
        tex = next(out.glob("*.tex")).read_text(encoding="utf8")
        assert r"\label{\detokenize{guide:casebook-resource-art2020}}" in tex
        assert r"\hyperref[\detokenize{guide:casebook-resource-art2020}]" in tex
        # The line of links to the guide's groups points at labels the PDF defines.
        assert r"\hyperref[\detokenize{guide:casebook-guide-kind-news}]" in tex
        assert r"\label{\detokenize{guide:casebook-guide-kind-news}}" in tex


def test_editing_a_bib_entry_rewrites_every_page_that_shows_it(res: Project) -> None:
    res.build()
    res.write("refs.bib", res.read("refs.bib").replace("An article on missions", "A retitled article"))
    build = res.build()
    assert {"one", "page", "guide", "by-pillar", "references"} <= build.written
    assert "two" not in build.written and "needs" not in build.written
    for page in ("one", "guide", "by-pillar"):
        assert "A retitled article" in build.page(page), page
    assert build.pages() == res.build(out="_clean", freshenv=True).pages()


def test_adding_and_removing_a_citation_updates_backlinks_and_warnings(res: Project) -> None:
    res.build()
    res.write("page.md", res.read("page.md") + "\nAlso {cite:p}`orphan`.\n")
    build = res.build()
    orphan = build.page("guide").split('id="casebook-resource-orphan"')[1].split("</li>")[0]
    assert 'href="page.html"' in orphan
    assert "orphan" not in {key for _, _, key in warnings_of(build.warnings)}
    assert build.pages() == res.build(out="_clean1", freshenv=True).pages()

    res.write("one.md", res.read("one.md").replace(":resources: art2020, rep2019, nolink", ":resources: art2020"))
    build = res.build()
    assert "Case one" not in build.page("guide").split('id="casebook-resource-nolink"')[1].split("</li>")[0]
    assert build.pages() == res.build(out="_clean2", freshenv=True).pages()


def test_a_parallel_build_of_the_guide_matches_a_serial_one(res: Project) -> None:
    parallel = res.build(out="_parallel", parallel=2)
    assert parallel.pages() == res.build(out="_serial").pages()


def test_retitling_and_refiling_a_citing_case_updates_the_guide_pages(res: Project) -> None:
    res.build()
    res.write(
        "one.md",
        res.read("one.md")
        .replace(":title: Case one", ":title: Case first")
        .replace(":pillars: assessment", ":pillars: risks-rewards"),
    )
    build = res.build()
    assert {"guide", "by-pillar"} <= build.written
    assert "Case first" in build.page("guide")  # "Cited in" names the case by its new title
    assert build.pages() == res.build(out="_clean", freshenv=True).pages()


def test_an_incremental_build_writes_the_same_files_as_a_clean_one(res: Project) -> None:
    """Byte for byte, every file but Sphinx's own build records (the stylesheet's ?v= suffix included)."""
    res.build()
    res.write("two.md", res.read("two.md").replace(":summary:", ":summary: Revised."))
    incremental = Path(res.build().app.outdir)
    clean = Path(res.build(out="_clean", freshenv=True).app.outdir)

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"
        }

    ours, theirs = files(incremental), files(clean)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []

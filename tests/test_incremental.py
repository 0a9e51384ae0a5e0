"""Incremental and parallel builds give exactly the pages a clean serial build gives."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Build, Project


def clean_pages(project: Project) -> dict[str, str]:
    """The pages a from-scratch build of the project's current sources gives."""
    return project.build(out="_clean", freshenv=True).pages()


def assert_matches_clean_build(project: Project, build: Build) -> None:
    assert build.pages() == clean_pages(project)


@pytest.fixture
def basic(project: Callable[[str], Project]) -> Project:
    return project("basic")


#: The term pages that list beta (cases/beta.rst): its pillars, country, level, status and organisation.
BETA_TERMS = {
    "browse/pillar/routes",
    "browse/pillar/risks-rewards",
    "browse/country/es",
    "browse/level/local",
    "browse/status/implementing",
    "browse/organisation/beta-council",
    "browse/instrument/public-procurement",
}


def test_a_no_op_rebuild_writes_nothing(basic: Project) -> None:
    basic.build()
    build = basic.build()
    assert build.written == set() and build.terms_written == set()


def test_reverting_an_edit_rewrites_the_same_pages_as_the_edit(basic: Project) -> None:
    basic.build()
    original = basic.read("cases/beta.rst")
    basic.write("cases/beta.rst", original.replace(":pillars: routes, risks-rewards", ":pillars: assessment"))
    edit = basic.build()
    basic.write("cases/beta.rst", original)
    revert = basic.build()
    assert revert.written == edit.written
    touched = {"browse/pillar/assessment", "browse/pillar/routes", "browse/pillar/risks-rewards"}
    assert edit.terms_written | edit.terms_removed == touched  # routes and risks-rewards lose their only case
    assert revert.terms_written | revert.terms_removed == touched
    assert_matches_clean_build(basic, revert)


def test_editing_a_case_rewrites_its_page_and_the_pages_that_show_it(basic: Project) -> None:
    basic.build()
    basic.write("cases/beta.rst", basic.read("cases/beta.rst").replace("Beta procurement", "Beta purchasing"))
    build = basic.build()
    # beta itself; alpha shows beta as related; the index links to beta; listings list it; the browse
    # page only counts cases, so it stays; the pages of beta's own terms list it by title.
    assert build.written == {"cases/beta", "cases/alpha", "index", "listings"}
    assert build.terms_written == BETA_TERMS
    assert "Beta purchasing" in build.page("cases/alpha")
    assert "Beta procurement" not in build.page("listings")
    assert_matches_clean_build(basic, build)


def test_pages_that_do_not_show_an_edited_case_are_not_rewritten(basic: Project) -> None:
    basic.build()
    basic.write("cases/gamma.md", basic.read("cases/gamma.md").replace("is a national agency", "is an agency"))
    build = basic.build()
    # gamma is in the all-cases table and on its terms' pages; no case relates to it. The index is
    # rewritten by Sphinx itself, as the page whose toctree holds gamma.
    assert build.written == {"cases/gamma", "listings", "index"}
    assert build.terms_written == {
        "browse/pillar/assessment",
        "browse/country/gb",
        "browse/level/national",
        "browse/status/exploring",
    }
    assert_matches_clean_build(basic, build)


def test_changing_a_field_moves_the_case_between_listings(basic: Project) -> None:
    basic.build()
    basic.write(
        "cases/beta.rst",
        basic.read("cases/beta.rst")
        .replace(":country: ES", ":country: GB")
        .replace(":pillars: routes, risks-rewards", ":pillars: assessment"),
    )
    build = basic.build()
    listings = build.page("listings")
    section = listings.split('id="assessment-in-gb-by-year"')[1].split("</section>")[0]
    assert "casebook-case-beta" in section
    assert "Spain" not in build.page("browse")
    assert_matches_clean_build(basic, build)


def test_deleting_a_case_leaves_no_stale_entry_or_backlink(basic: Project) -> None:
    basic.build()
    (basic.path / "cases/beta.rst").unlink()
    basic.write(
        "index.rst",
        basic.read("index.rst").replace("   cases/beta\n", "").replace(" and :casebook:case:`beta <beta>`", ""),
    )
    basic.write("cases/alpha.md", basic.read("cases/alpha.md").replace(":related: beta (inspired-by)\n", ""))
    build = basic.build()
    for page in ("listings", "browse", "cases/alpha", "cases/gamma"):
        assert "casebook-case-beta" not in build.page(page), page
    assert "Related cases" not in build.page("cases/alpha")
    assert_matches_clean_build(basic, build)


def test_removing_a_relation_removes_the_backlink(basic: Project) -> None:
    basic.build()
    assert "Alpha &lt;b&gt;city&lt;/b&gt; mission" in basic.build().page("cases/beta")
    basic.write("cases/alpha.md", basic.read("cases/alpha.md").replace(":related: beta (inspired-by)\n", ""))
    build = basic.build()
    assert "cases/beta" in build.written
    assert "Related cases" not in build.page("cases/beta")
    assert_matches_clean_build(basic, build)


def test_renaming_a_case_file_moves_every_link_to_it(basic: Project) -> None:
    basic.build()
    (basic.path / "cases/beta.rst").rename(basic.path / "cases/beta-renamed.rst")
    basic.write("index.rst", basic.read("index.rst").replace("cases/beta\n", "cases/beta-renamed\n"))
    build = basic.build()
    for page in ("cases/alpha", "listings", "index", "browse/pillar/routes"):
        assert "beta-renamed.html#casebook-case-beta" in build.page(page), page
        assert 'beta.html#casebook-case-beta"' not in build.page(page), page
    assert_matches_clean_build(basic, build)


def add_cases(project: Project, count: int) -> None:
    """Grow the project so a parallel build really splits the work."""
    toctree = []
    for i in range(count):
        related = f":related: case-{i - 1:02d} (follows)\n" if i else ""
        project.write(
            f"cases/case-{i:02d}.md",
            (
                f"# Case {i}\n\n:::{{case}} case-{i:02d}\n:title: Case number {i}\n:summary: Summary {i}.\n"
                f":country: {'GB' if i % 2 else 'FR'}\n:level: local\n:status: exploring\n"
                f":pillars: {'assessment' if i % 3 else 'routes'}\n{related}:resources: report2023\n"
                f":last-reviewed: 2026-11-29\n:::\n\nSee {{case}}`alpha`.\n"
            ),
        )
        toctree.append(f"   cases/case-{i:02d}")
    project.write("index.rst", project.read("index.rst") + "\n".join(toctree) + "\n")


def test_a_parallel_build_gives_the_same_pages_as_a_serial_build(basic: Project) -> None:
    add_cases(basic, 24)
    parallel = basic.build(out="_parallel", parallel=2)
    assert parallel.app.parallel == 2
    assert parallel.warnings == ""
    assert "Case number 23" in parallel.page("listings")
    assert "Followed by" in parallel.page("cases/case-05")
    assert parallel.pages() == clean_pages(basic)


def test_an_incremental_parallel_build_matches_a_clean_one(basic: Project) -> None:
    add_cases(basic, 12)
    basic.build(parallel=2)
    basic.write("cases/case-03.md", basic.read("cases/case-03.md").replace("Case number 3", "Case three"))
    build = basic.build(parallel=2)
    assert {"cases/case-03", "cases/case-02", "cases/case-04", "listings"} <= build.written
    assert "cases/case-08" not in build.written
    assert_matches_clean_build(basic, build)


def test_an_unchanged_rebuild_reports_an_unchanged_configuration(basic: Project) -> None:
    """Extensions that adjust settings when the builder starts (sphinx-design, Sphinx's CSS priorities) do not
    make every rebuild report a changed configuration."""
    settings = {
        "extensions": ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext", "sphinx_design"],
        "html_css_files": ["extra.css"],
    }
    basic.build(confoverrides=settings)
    basic.write("cases/gamma.md", basic.read("cases/gamma.md").replace("is a national agency", "is an agency"))
    basic.build(confoverrides=settings)  # the environment is stored again, after the builder's adjustments
    again = basic.build(confoverrides=settings)
    assert "The configuration has changed" not in again.app.status.getvalue()
    assert again.written == set()

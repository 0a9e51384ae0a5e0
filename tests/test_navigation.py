"""The shared sidebar gives every page exactly the HTML an uncached build gives it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project

from casebook_ext import navigation


def grow(project: Project, groups: int = 3, per_group: int = 5) -> None:
    """Cases in groups of sibling pages, as a real casebook has them."""
    toctree = []
    for g in range(groups):
        members = []
        for i in range(per_group):
            case_id = f"case-{g}-{i}"
            project.write(
                f"cases/{case_id}.md",
                f"# Case {g}.{i}\n\n:::{{case}} {case_id}\n:title: Case {g}.{i}\n:summary: Summary.\n"
                ":status: exploring\n:pillars: routes\n:resources: report2023\n:last-reviewed: 2026-11-29\n:::\n\n"
                "## Overview\n\nText.\n",
            )
            members.append(case_id)
        project.write(f"cases/group-{g}.md", f"# Group {g}\n\n:::{{toctree}}\n" + "\n".join(members) + "\n:::\n")
        toctree.append(f"   cases/group-{g}")
    project.write("index.rst", project.read("index.rst") + "\n".join(toctree) + "\n")


def pages(outdir: Path) -> dict[str, str]:
    return {str(p.relative_to(outdir)): p.read_text(encoding="utf8") for p in sorted(outdir.rglob("*.html"))}


@pytest.mark.parametrize("theme", ["furo", "alabaster"])
def test_a_shared_sidebar_is_byte_for_byte_the_uncached_one(project: Callable[[str], Project], theme: str) -> None:
    basic = project("basic")
    grow(basic)
    shared = basic.build(out="_shared", confoverrides={"html_theme": theme})
    # The sidebar really was shared: one rendering per group of sibling cases, each checked against furo's own.
    # (alabaster asks for the sidebar with page sections, which differ from page to page: never shared).
    groups = [group for key, group in navigation._cache.groups.items() if str(key[1]).startswith("cases/group-")]
    if theme == "furo":
        assert len(groups) >= 3 and all(group.neutral is not None and group.furo == "checked" for group in groups)
    alone = basic.build(out="_alone", confoverrides={"html_theme": theme, "casebook_share_navigation": False})
    ours, theirs = pages(Path(shared.app.outdir)), pages(Path(alone.app.outdir))
    assert ours.keys() == theirs.keys()
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == []
    page = ours["cases/case-1-2.html"]
    assert page.count("current-page") >= (1 if theme == "furo" else 0)

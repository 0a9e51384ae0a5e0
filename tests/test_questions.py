"""Open questions, wanted cases and the completeness indicator."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from conftest import Project
from sphinx.util.console import strip_colors


@pytest.fixture
def qproj(project: Callable[[str], Project]) -> Project:
    return project("questions")


def test_questions_are_gathered_by_theme_with_the_cases_that_speak_to_them(qproj: Project) -> None:
    html = qproj.build().page("questions")
    groups = dict(re.findall(r'<p class="rubric">([^<(]+) \(\d+\)</p>(.*?)</ul>', html, re.S))
    assert set(groups) == {"Housing", "Public sector capability", "Other questions"}
    assert "What skills do public organisations need" in groups["Housing"]
    assert 'href="session.html#casebook-question-q-skills"' in groups["Housing"]
    assert ">Alpha case<" in groups["Housing"] and ">Beta case<" in groups["Housing"]
    assert "Who defines the system?" in groups["Other questions"]


def test_a_case_shows_the_questions_that_name_it(qproj: Project) -> None:
    html = qproj.build().page("alpha")
    field = html.split("casebook-field-questions")[2]
    assert 'href="session.html#casebook-question-q-skills"' in field


def test_the_wanted_list_drops_entries_that_became_cases(qproj: Project) -> None:
    html = qproj.build().page("wanted")
    assert "Hamburg&#39;s digital work" in html or "Hamburg's digital work" in html
    assert "Germany" in html
    assert "Already a case" not in html


def test_question_problems_warn_at_the_question(qproj: Project) -> None:
    warnings = strip_colors(qproj.build().warnings)
    assert re.search(
        r"session.md:14: WARNING: themes: 'housin' .*did you mean 'housing'.*\[casebook.unknown_term\]", warnings
    )
    assert re.search(
        r"session.md:13: WARNING: question 'q-broken' names case 'gamma'.*\[casebook.unknown_case\]", warnings
    )


def test_completeness_counts_fields_and_standard_sections(qproj: Project) -> None:
    build = qproj.build()
    rows = {
        title: cell
        for title, cell in re.findall(
            r'<a [^>]*><span class="casebook-term">([^<]+)</span></a></p>\s*</td>\s*<td><p>([^<]+)</p>',
            build.page("needs-work"),
        )
    }
    assert rows["Alpha case"] == "100%"
    assert "Completeness" not in build.page("alpha")  # readers' pages show no contributor metrics
    beta = rows["Beta case"]
    # 7 of 14 fields (status "unknown" counts as missing) + 1 of 4 expected sections = 8 of 18.
    assert "44%" in beta and "status" in beta and "Results and evaluation" in beta and "Overview" not in beta


def test_adding_a_section_updates_completeness_and_retitling_a_case_updates_questions(qproj: Project) -> None:
    qproj.build()
    qproj.write(
        "beta.md",
        qproj.read("beta.md")
        .replace("## Overview", "## Overview\n\n## Results and evaluation\n\nNone yet.\n")
        .replace(":title: Beta case", ":title: Beta renamed"),
    )
    build = qproj.build()
    assert "50%" in build.page("needs-work").split(">Beta renamed<")[1].split("</tr>")[0]
    assert {"beta", "questions", "session", "alpha", "needs-work"} <= build.written
    assert ">Beta renamed<" in build.page("questions")
    assert build.pages() == qproj.build(out="_clean", freshenv=True).pages()


def test_writing_a_wanted_case_removes_it_from_the_wanted_list(qproj: Project) -> None:
    qproj.build()
    qproj.write("hamburg.md", qproj.read("beta.md").replace("beta", "hamburg").replace("Beta", "Hamburg"))
    qproj.write("index.md", qproj.read("index.md").replace("beta\n", "beta\nhamburg\n"))
    build = qproj.build()
    assert "Hamburg's digital work" not in build.page("wanted").replace("&#39;", "'")
    assert build.pages() == qproj.build(out="_clean", freshenv=True).pages()


def test_questions_and_wanted_cases_render_in_latex_and_text(qproj: Project) -> None:
    text = qproj.build("text", out="_text")
    from pathlib import Path

    out = Path(text.app.outdir)
    assert "Cases that speak to it: Alpha case; Beta case" in (out / "questions.txt").read_text(encoding="utf8")
    latex = qproj.build("latex", out="_latex")
    tex = next(Path(latex.app.outdir).glob("*.tex")).read_text(encoding="utf8")
    assert r"\label{\detokenize{session:casebook-question-q-skills}}" in tex
    assert "Hamburg" in tex

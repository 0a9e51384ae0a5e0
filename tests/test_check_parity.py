"""``casebook check`` and the build read the same tricky files alike: same problems, same files, same lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project
from test_cli import parse, run

from casebook_ext import cli
from casebook_ext.caseblock import CaseDirectiveSpec, myst_option_keys, near_case
from casebook_ext.problems import SUBTYPES

#: MyST's own ``include`` still reads ``env.app`` (deprecated in Sphinx 9): not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:'sphinx.environment.BuildEnvironment.app' is deprecated")

Found = tuple[str, int, str]  # (file from the project folder, line, subtype)

#: What both must report in ``tests/roots/test-check-parity``; the build says ``unknown_directive`` its own way.
WITH_COLON_FENCE: list[Found] = [
    ("cases/form-feed.md", 3, "missing_field"),  # the form feed cut the title: the other fields became body text
    ("cases/form-feed.md", 3, "missing_field"),
    ("cases/form-feed.md", 3, "missing_field"),
    ("cases/form-feed.md", 3, "missing_field"),
    ("cases/form-feed.md", 3, "missing_field"),
    ("cases/form-feed.md", 4, "bad_character"),
    ("cases/form-feed.md", 5, "case_content"),
    ("parts/included.rst", 10, "bad_years"),  # in the included file, at its own line
    ("parts/included.md", 10, "unknown_related"),
    ("cases/nul.md", 4, "bad_character"),
    ("cases/nul.md", 10, "unknown_term"),
    ("cases/only.md", 5, "case_in_only"),
    ("cases/quoted.md", 6, "unknown_term"),  # in a blockquote
    ("cases/quoted.md", 18, "unknown_term"),  # in a list item
    ("cases/quoted.md", 34, "case_content"),  # in a note
    ("cases/twice.md", 4, "duplicate_option"),
    ("cases/typos-rst.rst", 4, "unknown_directive"),
    ("cases/typos.md", 3, "unknown_directive"),
    ("cases/typos.md", 7, "unknown_directive"),
    ("cases/wrong-syntax-rst.rst", 4, "wrong_syntax"),
    ("cases/wrong-syntax.md", 3, "wrong_syntax"),
    ("cases/yaml.md", 7, "bad_country"),  # a YAML option block: each key at its own line
    ("cases/yaml.md", 10, "unknown_resource"),
    ("cases/yaml.md", 11, "bad_date"),
    ("cases/z-original.md", 3, "duplicate_id"),  # the copy sorts first, so the original is the one ignored
]
#: Without ``colon_fence`` every ``:::{case}`` is text; backtick fences are still cases.
WITHOUT_COLON_FENCE: list[Found] = [
    *((f"cases/{name}.md", 3, "no_colon_fence") for name in ("a-copy", "form-feed", "nul", "quoted", "twice")),
    ("cases/z-original.md", 3, "no_colon_fence"),
    ("parts/included.md", 3, "no_colon_fence"),
    ("cases/only.md", 4, "no_colon_fence"),  # inside the ::::{only} paragraph, at its own line
    ("cases/typos.md", 11, "no_colon_fence"),  # {Case} is the case directive: docutils ignores capitals
    ("parts/included.rst", 10, "bad_years"),
    ("cases/quoted.md", 18, "unknown_term"),
    ("cases/quoted.md", 34, "case_content"),
    ("cases/typos-rst.rst", 4, "unknown_directive"),
    ("cases/wrong-syntax-rst.rst", 4, "wrong_syntax"),
    ("cases/wrong-syntax.md", 3, "wrong_syntax"),
    ("cases/yaml.md", 7, "bad_country"),
    ("cases/yaml.md", 10, "unknown_resource"),
    ("cases/yaml.md", 11, "bad_date"),
]

_BUILD_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?:WARNING|ERROR): (?P<message>.*)$")
_UNKNOWN = re.compile(r"""Unknown directive type:? ["'](?P<name>[^"']+)["']""")


def build_findings(warnings: str, root: Path) -> tuple[list[Found], Counter[tuple[str, int, str, str]]]:
    """The build's problems with cases, and the message of each casebook warning.

    The build reports a directive one slip from ``case`` as an unknown directive (MyST's warning, or
    docutils' error): that is the finding the check names ``unknown_directive``.
    """
    from sphinx.util.console import strip_colors

    found: list[Found] = []
    messages: Counter[tuple[str, int, str, str]] = Counter()
    for line in strip_colors(warnings).replace(f"{root}/", "").splitlines():
        match = _BUILD_LINE.match(line)
        if match is None:
            continue
        where = (match["path"], int(match["line"]))
        tag = re.search(r" \[casebook\.(\w+)\]$", match["message"])
        unknown = _UNKNOWN.search(match["message"])
        if tag and tag[1] in cli.CHECKED_SUBTYPES:
            found.append((*where, tag[1]))
            messages[(*where, tag[1], match["message"][: tag.start()])] += 1
        elif unknown and near_case(unknown["name"]):
            found.append((*where, "unknown_directive"))
    return sorted(found), messages


@pytest.mark.parametrize("colon_fence", [True, False], ids=["colon_fence", "no_colon_fence"])
def test_check_and_build_report_the_same_problems_at_the_same_lines(
    colon_fence: bool, project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("check-parity")
    if not colon_fence:
        src.write("conf.py", src.read("conf.py").replace('["colon_fence"]', "[]"))
    build, build_messages = build_findings(src.build(freshenv=True).warnings, src.path)
    status, out, _ = run(capsys, "check", str(src.path))
    checked = parse(out, src.path)
    check = sorted((file, line, subtype) for file, line, _, subtype, _ in checked)
    expected = sorted(WITH_COLON_FENCE if colon_fence else WITHOUT_COLON_FENCE)
    assert build == expected
    assert Counter(check) == Counter(expected)
    assert status == 1
    # The same words too, wherever the build speaks as the casebook.
    worded = [(file, line, subtype, message) for file, line, _, subtype, message in checked]
    assert Counter(w for w in worded if w[2] not in cli.CHECK_ONLY_SUBTYPES) == build_messages


def test_the_ignored_duplicate_is_reported_when_checking_the_copy_that_wins(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = Path(__file__).parent / "roots" / "test-check-parity"
    status, out, err = run(capsys, "check", str(root / "cases" / "a-copy.md"))
    assert status == 1
    ((file, line, _, subtype, message),) = parse(out, root)
    assert (file, line, subtype) == ("cases/z-original.md", 3, "duplicate_id")
    assert "keeps the case in cases/a-copy.md, line 3" in message and "ignores this one" in message
    assert "1 case checked" in err


@pytest.mark.parametrize("checked", ["cases/includes.md", "parts/included.md"])
def test_an_included_file_is_checked_where_it_is_included(checked: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).parent / "roots" / "test-check-parity"
    status, out, _ = run(capsys, "check", str(root / checked))
    assert status == 1
    assert {(w[0], w[1], w[3]) for w in parse(out, root)} == {("parts/included.md", 10, "unknown_related")}


def test_only_the_check_names_a_directive_typo_the_build_calls_it_unknown(
    project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("check-parity")
    warnings = src.build(freshenv=True).warnings
    assert "Unknown directive type: 'cases' [myst.directive_unknown]" in warnings
    assert "casebook.unknown_directive" not in warnings
    _, out, _ = run(capsys, "check", str(src.path / "cases" / "typos.md"))
    assert "cases/typos.md:3: WARNING: unknown directive 'cases'; did you mean 'case'?" in out.replace(
        f"{cli.display(src.path)}/", ""
    )
    assert "unknown_directive" in SUBTYPES and "unknown_directive" in cli.CHECK_ONLY_SUBTYPES


@pytest.mark.parametrize(
    ("name", "near"),
    [("cases", True), ("csae", True), ("cse", True), ("casse", True), ("Case", False), ("case-list", False)],
)
def test_a_directive_one_slip_from_case_is_a_typo(name: str, near: bool) -> None:
    assert near_case(name) is near


@pytest.mark.parametrize(
    "content",
    [
        ":title: A\n:summary: B\n\nBody\n",
        ":title: A\n:title: B\n",
        "---\ntitle: A\nsummary: |\n  two\n  lines\nstatus: exploring\n---\n",
        "---\n  title: indented\n---\nBody\n",
        ':title: "quoted: with a colon"\n:resources: a, b # a comment\n',
        "\n:title: not an option after a blank line\n",
        "Body only\n",
    ],
)
def test_option_lines_come_from_the_same_block_myst_parses(content: str) -> None:
    """``myst_option_keys`` is the one use of MyST's option tokenizer: it must cut the block as MyST does."""
    from myst_parser.parsers.directives import parse_directive_text

    parsed = parse_directive_text(CaseDirectiveSpec, "an-id", content, line=1)
    keys = myst_option_keys(content)
    assert list(dict.fromkeys(name for name, _ in keys)) == list(parsed.options)
    lines = content.splitlines()
    for name, offset in keys:
        assert name in lines[offset - 1], (name, offset)


def test_a_case_inside_only_is_refused_in_every_output(project: Callable[[str], Project]) -> None:
    src = project("check-parity")
    src.write("listing.md", "# Listing\n\n```{case-list}\n```\n")
    src.write("index.md", src.read("index.md").replace("refs\n", "refs\nlisting\n"))
    build = src.build(freshenv=True)
    assert "only.md:5: WARNING: case 'only-case' is inside an 'only' directive" in build.warnings
    assert "casebook-case-only-case" not in build.page("listing")  # no listing links to a page that lacks it
    assert "casebook-case-only-case" not in build.page("cases/only")


def test_an_option_given_twice_keeps_the_last_value_and_says_so(project: Callable[[str], Project]) -> None:
    src = project("check-parity")
    build = src.build(freshenv=True)
    assert "twice.md:4: WARNING: option 'title' is given again at line 6; that last value is used" in build.warnings
    index = build.page("genindex")  # the case's title is its index entry
    assert "The second title" in index and "The first title" not in index


@pytest.mark.parametrize(
    ("conf", "words"),
    [
        ('casebook_terms = {"pillar": "routes"}', "casebook_terms['pillar'] must be a dict"),
        ("casebook_summary_max_length = 0", "casebook_summary_max_length must be a positive integer"),
        ('myst_enable_extensions = ["colon_fence", "no-such-extension"]', "invalid MyST configuration"),
        ("suppress_warnings = 3", "suppress_warnings must be a list of strings"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_status_2(
    conf: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "conf.py").write_text(f'extensions = ["myst_parser", "casebook_ext"]\n{conf}\n', encoding="utf-8")
    status, out, err = run(capsys, "check", str(tmp_path))
    assert (status, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


def test_the_check_uses_a_sites_own_vocabulary_as_the_build_does(
    project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("cli-clean")
    src.write("conf.py", src.read("conf.py") + 'casebook_terms = {"pillar": {"people": "People"}}\n')
    build = src.build(freshenv=True)
    assert "pillars: 'routes' is not a known pillar" in build.warnings
    _, out, _ = run(capsys, "check", str(src.path))
    assert "existing-case.md:9: WARNING: pillars: 'routes' is not a known pillar" in out


def test_a_page_that_includes_itself_is_read_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# Loop\n\n```{include} index.md\n```\n\n.. case:: x\n", encoding="utf-8")
    status, out, _ = run(capsys, "check", str(tmp_path))
    assert status == 1
    assert [(w[0], w[1], w[3]) for w in parse(out, tmp_path)] == [("index.md", 6, "wrong_syntax")]

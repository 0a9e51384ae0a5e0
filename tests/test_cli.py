"""``casebook``: a new case builds cleanly once filled in, and ``check`` says what the build says, at once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project

from casebook_ext import __version__, cli
from casebook_ext.casefile import read_cases
from casebook_ext.json_schema import cases_json_schema
from casebook_ext.messages import CASE_CONTENT_MESSAGE
from casebook_ext.problems import SUBTYPES
from casebook_ext.project import read_conf
from casebook_ext.schema import FIELDS
from casebook_ext.vocabulary import Vocabularies

REPO = Path(__file__).parent.parent
from casebook_ext.completeness import STANDARD_SECTIONS  # noqa: E402

WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[(?P<type>\w+)\.(?P<subtype>\w+)\]$")
SUMMARY = re.compile(r"^(\d+) cases? checked, (\d+) problems?$", re.MULTILINE)

Warning = tuple[str, int, str, str, str]  # (file, line, type.subtype, message) with paths relative to the project


def parse(output: str, root: Path) -> set[Warning]:
    """The warnings in ``output``, with the project's folder taken out of paths and messages."""
    from sphinx.util.console import strip_colors

    found: set[Warning] = set()
    text = strip_colors(output).replace(f"{root}/", "").replace(f"{cli.display(root)}/", "")
    for line in text.splitlines():
        match = WARNING.match(line)
        if match:
            found.add((match["path"], int(match["line"]), match["type"], match["subtype"], match["message"]))
    return found


def covered(warnings: set[Warning]) -> set[Warning]:
    """The build's warnings that ``casebook check`` also gives: about cases, and MyST's own about their options."""
    return {w for w in warnings if (w[2] == "casebook" and w[3] in cli.CHECKED_SUBTYPES) or w[2] == "myst"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``casebook`` in-process, as a contributor would run it, and capture what it prints."""
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def fill(path: Path, values: dict[str, str]) -> None:
    """Fill empty ``:field:`` lines of a case file, as a contributor does in an editor."""
    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        assert f"\n:{name}:\n" in text, name
        text = text.replace(f"\n:{name}:\n", f"\n:{name}: {value}\n")
    path.write_text(text, encoding="utf-8")


def required_examples(resource: str) -> dict[str, str]:
    """Every required field but the title, filled with the schema's own example."""
    values = {spec.name: spec.example for spec in FIELDS if spec.required and spec.name != "title"}
    values["resources"] = resource
    return values


# --- check says what the build says -----------------------------------------------------


@pytest.mark.parametrize("root", ["warnings", "cli"])
def test_check_gives_the_builds_warnings_at_the_same_lines(
    root: str, project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project(root)
    build = src.build(freshenv=True)
    expected = covered(parse(build.warnings, src.path))
    status, out, err = run(capsys, "check", str(src.path))
    found = parse(out, src.path)
    assert found == expected, f"\nbuild only: {expected - found}\ncheck only: {found - expected}"
    assert status == 1
    assert len(out.splitlines()) == len(found)
    assert SUMMARY.search(err) and int(SUMMARY.search(err)[2]) == len(found)  # type: ignore[index]


def test_check_covers_every_kind_of_mistake_it_claims(
    project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    kinds: set[str] = set()
    for root in ("warnings", "cli", "check-parity"):
        src = project(root, root)
        kinds |= {w[3] for w in parse(run(capsys, "check", str(src.path))[1], src.path)}
    src.write("conf.py", src.read("conf.py").replace('["colon_fence"]', "[]"))  # for no_colon_fence
    kinds |= {w[3] for w in parse(run(capsys, "check", str(src.path))[1], src.path)}
    assert kinds >= cli.CHECKED_SUBTYPES | cli.CHECK_ONLY_SUBTYPES
    assert cli.CHECKED_SUBTYPES | cli.CHECK_ONLY_SUBTYPES <= set(SUBTYPES)


def test_check_finds_what_the_warnings_test_expects(capsys: pytest.CaptureFixture[str]) -> None:
    from test_warnings import EXPECTED

    root = REPO / "tests" / "roots" / "test-warnings"
    found = parse(run(capsys, "check", str(root))[1], root)
    for file, line, subtype, words in EXPECTED:
        if subtype in cli.CHECKED_SUBTYPES:
            assert any(f.endswith(file) and ln == line and s == subtype and words in m for f, ln, _, s, m in found), (
                file,
                line,
                subtype,
            )


def test_check_of_one_file_still_knows_the_other_cases(capsys: pytest.CaptureFixture[str]) -> None:
    root = REPO / "tests" / "roots" / "test-cli"
    status, out, err = run(capsys, "check", str(root / "cases" / "good.md"))
    assert status == 1
    found = parse(out, root)
    # good-case relates to rst-good, in another file: no unknown_related. Its id is also taken in dupe.rst.
    assert {(w[0], w[3]) for w in found} == {("cases/good.md", "duplicate_id")}
    assert "1 case checked, 1 problem" in err


def test_a_myst_case_body_is_reported_at_its_own_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = 'extensions = ["myst_parser", "casebook_ext"]\nmyst_enable_extensions = ["colon_fence"]\n'
    (tmp_path / "conf.py").write_text(conf, encoding="utf-8")
    case = REPO / "tests" / "roots" / "test-cli-clean" / "cases" / "existing-case.md"
    text = case.read_text(encoding="utf-8").replace(":::\n\n## Context", "\nBody.\n:::\n\n## Context")
    (tmp_path / "case.md").write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "check", str(tmp_path))
    assert status == 1
    line = text.splitlines().index("Body.") + 1
    assert parse(out, tmp_path) == {("case.md", line, "casebook", "case_content", CASE_CONTENT_MESSAGE)}


def test_broken_rest_options_are_errors_as_in_the_build(tmp_path: Path, make_app, capsys) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["casebook_ext"]\n', encoding="utf-8")
    (tmp_path / "index.rst").write_text(
        "Index\n=====\n\n.. case:: broken\n   :title: Broken\n   not an option\n\n"
        ".. case:: twice\n   :title: A\n   :title: B\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=tmp_path, freshenv=True)
    app.build()
    status, out, _ = run(capsys, "check", str(tmp_path))
    assert status == 1
    for line, words in ((4, "invalid option block."), (8, 'invalid option data: duplicate option "title".')):
        assert f'index.rst:{line}: ERROR: Error in "case" directive:' in app.warning.getvalue()
        assert f'index.rst:{line}: ERROR: Error in "case" directive: {words} [docutils]' in out


def test_suppress_warnings_in_conf_silences_one_kind(
    project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("warnings")
    src.write("conf.py", src.read("conf.py") + 'suppress_warnings = ["casebook.unknown_term"]\n')
    kinds = {w[3] for w in parse(run(capsys, "check", str(src.path))[1], src.path)}
    assert "unknown_term" not in kinds and "bad_country" in kinds


def test_examples_in_code_comments_and_literal_blocks_are_not_cases() -> None:
    cases = REPO / "tests" / "roots" / "test-cli" / "cases"
    assert read_cases(cases / "examples.md") == []
    assert [b.case_id for b in read_cases(cases / "rst.rst")] == ["rst-good", "", "with-body"]


def test_bib_files_can_be_named_and_a_missing_one_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    root = REPO / "tests" / "roots" / "test-cli-clean"
    status, out, _ = run(capsys, "check", str(root), "--bib", str(root / "missing.bib"))
    assert status == 1
    assert "WARNING: could not open bibtex file" in out and "[bibtex.bibfile_error]" in out
    assert "resources: 'report2023' is not in the bibliography [casebook.unknown_resource]" in out
    assert run(capsys, "check", str(root), "--bib", str(root / "refs.bib"))[0] == 0


def test_conf_py_is_read_never_run(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text(
        'open("ran", "w").close()\n'
        'casebook_extra_terms = {"theme": {"oceans": "Oceans"}}\n'
        'bibtex_bibfiles = [f"{name}.bib" for name in ("a", "b")]\n',
        encoding="utf-8",
    )
    read = read_conf(conf)
    assert not (tmp_path / "ran").exists()
    assert read.values["casebook_extra_terms"] == {"theme": {"oceans": "Oceans"}}
    assert read.not_literal == ("bibtex_bibfiles",)


def test_a_bad_vocabulary_in_conf_is_reported_like_the_build_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "conf.py").write_text('casebook_extra_terms = {"colour": {"red": "Red"}}\n', encoding="utf-8")
    status, _, err = run(capsys, "check", str(tmp_path))
    assert status == 2
    assert "unknown vocabulary 'colour'" in err


def test_check_on_the_real_casebook_is_clean_and_takes_under_a_second() -> None:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "casebook_ext", "check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    assert result.stdout == "", result.stdout
    assert result.returncode == 0
    cases = int(SUMMARY.search(result.stderr)[1])  # type: ignore[index]
    assert cases >= 3 and ", 0 problems" in result.stderr
    assert elapsed < 1.0, f"casebook check took {elapsed:.2f} s"


# --- new -------------------------------------------------------------------------------


def test_a_new_case_builds_cleanly_once_its_required_fields_are_filled(
    project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("cli-clean")
    title = "An added case: with a colon #and a hash"
    status, out, _ = run(
        capsys, "new", "added-case", "--title", title, "--docs", str(src.path), "--dir", str(src.path / "cases")
    )
    assert status == 0
    path = src.path / "cases" / "added-case.md"
    assert f"Created {path}" in out and ", ".join(required_examples("")) in out

    # Unfilled, the check lists each required field at its own line.
    lines = path.read_text(encoding="utf-8").splitlines()
    status, out, _ = run(capsys, "check", str(src.path))
    missing = {(w[1], w[4]) for w in parse(out, src.path)}
    assert status == 1
    assert missing == {
        (lines.index(f":{name}:") + 1, f"case 'added-case' is missing required field {name!r}")
        for name in required_examples("")
    }

    fill(path, required_examples("report2023"))
    assert run(capsys, "check", str(src.path))[0] == 0
    build = src.build(freshenv=True, confoverrides={"nitpicky": True})
    assert build.warnings == ""
    page = build.page("cases/added-case")
    assert 'id="casebook-case-added-case"' in page
    assert "An added case: with a colon #and a hash" in page
    for section in STANDARD_SECTIONS:
        assert f'{section}<a class="headerlink"' in page, section


@pytest.mark.parametrize(
    ("group", "page"),
    [("towns", "cases/towns.md"), ("regions", "cases/regions.rst")],
    ids=["myst-group", "rst-group"],
)
def test_a_new_case_is_listed_on_its_group_page_and_the_strict_build_includes_it(
    group: str, page: str, project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("cli-groups")
    args = ["new", "added-case", "--title", "An added case", "--group", group]
    status, out, _ = run(capsys, *args, "--docs", str(src.path), "--dir", str(src.path / "cases"))
    assert status == 0, out
    assert f"Listed it last in the toctree of {src.path / page}" in out
    fill(src.path / "cases" / "added-case.md", required_examples("report2023"))
    build = src.build(freshenv=True, confoverrides={"nitpicky": True})
    assert build.warnings == ""
    listing = build.page(page.rsplit(".", 1)[0])
    assert 'href="added-case.html#casebook-case-added-case"' in listing


def test_new_without_a_group_names_the_groups_and_writes_nothing(
    project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("cli-groups")
    before = {p: p.read_bytes() for p in src.path.rglob("*") if p.is_file()}
    for extra, words in (
        ([], "choose the page that lists the new case, with --group NAME: regions (Regions); towns (Towns)"),
        (["--group", "notes"], "--group notes: no such group page; the groups are regions (Regions); towns (Towns)"),
    ):
        status, out, err = run(
            capsys,
            "new",
            "added-case",
            "--title",
            "T",
            *extra,
            "--docs",
            str(src.path),
            "--dir",
            str(src.path / "cases"),
        )
        assert (status, out) == (1, "")
        assert err == f"casebook new: error: {words}\n"
    assert {p: p.read_bytes() for p in src.path.rglob("*") if p.is_file()} == before


def test_nox_s_new_prints_next_steps_that_work_through_nox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CASEBOOK_CHECK_COMMAND", "nox -s check --")
    monkeypatch.setenv("CASEBOOK_PREVIEW_COMMAND", "nox -s serve")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "new", "a-case", "--title", "A case", "--docs", ".")
    assert status == 0
    assert "  3. Run `nox -s check -- cases/a-case.md` until it reports no problems." in out
    assert "Run `nox -s check -- cases/a-case.md` and fix what it reports, then preview with `nox -s serve`." in (
        tmp_path / "cases" / "a-case.md"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["Not A Slug", "--title", "T"], "is not a slug"),
        (["existing-case", "--title", "T", "--dir", "{src}/elsewhere"], "already declared in"),
        (["existing-case", "--title", "T"], "already exists"),
        (["fresh-case", "--title", "   "], "title is empty"),
    ],
)
def test_new_refuses_with_a_reason(
    args: list[str], words: str, project: Callable[[str], Project], capsys: pytest.CaptureFixture[str]
) -> None:
    src = project("cli-clean")
    before = sorted(p.relative_to(src.path) for p in src.path.rglob("*"))
    args = [a.replace("{src}", str(src.path)) for a in args]
    dir_args = [] if "--dir" in args else ["--dir", str(src.path / "cases")]
    status, out, err = run(capsys, "new", *args, "--docs", str(src.path), *dir_args)
    assert status == 1
    assert words in err and out == ""
    assert sorted(p.relative_to(src.path) for p in src.path.rglob("*")) == before


@pytest.mark.parametrize(
    "title", ["Plain", "A: colon", "A #hash", "'Quoted' start", '"Double" start', "Back\\slash", "[brackets]"]
)
def test_new_writes_any_title_so_that_it_reads_back_unchanged(title: str, tmp_path: Path) -> None:
    assert cli.run_new("a-case", title, tmp_path / "cases", tmp_path).path == tmp_path / "cases" / "a-case.md"
    (block,) = read_cases(tmp_path / "cases" / "a-case.md")
    assert block.case_id == "a-case" and block.options["title"] == title and not block.notices


def test_the_template_has_every_field_in_order_and_the_standard_sections() -> None:
    text = cli.TEMPLATE.read_text(encoding="utf-8")
    assert re.findall(r"^:([a-z-]+):", text, re.MULTILINE) == [spec.name for spec in FIELDS]
    assert tuple(re.findall(r"^## (.+)$", text, re.MULTILINE)) == STANDARD_SECTIONS
    completeness = pytest.importorskip("casebook_ext.completeness")
    assert tuple(completeness.STANDARD_SECTIONS) == STANDARD_SECTIONS


# --- schema and entry points -------------------------------------------------------------


def test_schema_prints_the_json_schema_with_the_projects_terms(capsys: pytest.CaptureFixture[str]) -> None:
    conf = REPO / "tests" / "roots" / "test-cli" / "conf.py"
    status, out, _ = run(capsys, "schema", "--conf", str(conf))
    vocab = Vocabularies.build({"instrument": {"tax-credit": "Tax credits"}})
    assert status == 0
    assert json.loads(out) == cases_json_schema(vocab, 120)


def test_python_m_casebook_ext_is_the_casebook_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casebook_ext", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"casebook {__version__}"

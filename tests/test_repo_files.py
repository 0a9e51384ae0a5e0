"""The repository's conventions: CI workflows, issue form, pre-commit, Read the Docs, citation, contributing guide.

Workflows and forms are validated against the schemas check-jsonschema vendors, so no network is needed.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from workflow_runner import apt_table

from casebook_ext import __version__
from casebook_ext.vocabulary import LEVELS, PILLARS

REPO = Path(__file__).parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ISSUE_FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "propose-a-case.yml"


def validate(schema: str, *files: Path) -> None:
    """Validate ``files`` with a schema vendored in check-jsonschema (offline)."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def load(path: Path) -> dict:
    # YAML 1.1 reads the key `on:` as True; workflows are read as GitHub reads them.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def run_commands(workflow: dict) -> list[str]:
    return [step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict) -> list[str]:
    return [step.get("uses", "").split("@")[0] for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("custom.github-workflows-require-timeout", WORKFLOWS),
        ("vendor.github-issue-forms", [ISSUE_FORM]),
        ("vendor.readthedocs", [REPO / ".readthedocs.yaml"]),
        ("vendor.citation-file-format", [REPO / "CITATION.cff"]),
    ],
    ids=["workflows", "workflow-timeouts", "issue-form", "readthedocs", "citation"],
)
def test_files_are_valid_against_their_schemas(schema: str, files: list[Path]) -> None:
    assert files
    validate(schema, *files)


def test_pull_requests_run_the_check_the_tests_a_strict_build_and_the_link_check() -> None:
    (workflow,) = [w for w in map(load, WORKFLOWS) if "pull_request" in w["on"]]
    commands = run_commands(workflow)
    for command in ("nox -s check", "nox -s tests", "nox -s docs", "nox -s lint"):
        assert command in commands, command
    # What the link check is given is tested with the checker's own options, in test_workflows.py.
    assert any(c.startswith("nox -s linkcheck -- --changed-since") for c in commands)


def test_a_schedule_runs_the_full_link_check_and_publishes_its_report() -> None:
    (workflow,) = [w for w in map(load, WORKFLOWS) if "schedule" in w["on"]]
    text = "\n".join(run_commands(workflow))
    assert "nox -s linkcheck" in text and "--changed-since" not in text
    assert "GITHUB_STEP_SUMMARY" in text
    assert "actions/upload-artifact" in uses(workflow)


def test_main_is_built_as_html_and_pdf_and_published_to_pages() -> None:
    (workflow,) = [w for w in map(load, WORKFLOWS) if "push" in w["on"]]
    assert workflow["on"]["push"]["branches"] == ["main"]
    commands = run_commands(workflow)
    assert "nox -s docs" in commands and "nox -s pdf" in commands
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(workflow))
    deploy = next(job for job in workflow["jobs"].values() if "deploy-pages" in str(job.get("steps")))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_issue_form_offers_the_casebooks_own_terms() -> None:
    form = yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))
    fields = {item.get("id"): item for item in form["body"]}
    assert fields["pillars"]["attributes"]["options"] == [t.label for t in PILLARS.values()]
    assert fields["level"]["attributes"]["options"] == [t.label for t in LEVELS.values()]
    assert fields["sources"]["validations"]["required"] is True


def test_the_pull_request_template_asks_for_the_check_and_the_editorial_rules() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for words in ("casebook check", "cited", "own words", "roles their source gives", "does not advocate"):
        assert words in text, words


def test_pre_commit_runs_casebook_check_on_cases_and_the_bibliography() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    assert hook["entry"] == "nox -s check"  # what CONTRIBUTING installs: nox, not the casebook command
    assert hook["pass_filenames"] is False  # the whole casebook, so links between cases resolve
    for path in ("docs/cases/a-case.md", "docs/index.md", "bib/iipp.bib", "docs/conf.py"):
        assert re.search(hook["files"], path), path
    assert not re.search(hook["files"], "casebook_ext/cli.py")


def test_read_the_docs_builds_docs_conf_with_the_docs_extra() -> None:
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert config["build"]["tools"]["python"] == "3.11"
    assert config["sphinx"]["configuration"] == "docs/conf.py"
    assert config["python"]["install"] == [{"method": "pip", "path": ".", "extra_requirements": ["docs"]}]


def test_the_citation_matches_the_package_and_invents_nothing() -> None:
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["title"] == "Mission Casebook"
    assert citation["type"] == "software"
    assert citation["authors"] == [{"name": "Mission Casebook contributors"}]
    assert citation["license"] == project["license"] == "MIT"
    assert citation["version"] == __version__
    assert not {"doi", "url", "repository-code", "date-released", "identifiers"} & set(citation)


def test_the_package_installs_the_casebook_command_and_its_template() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["casebook"] == "casebook_ext.cli:main"
    assert "templates/*" in pyproject["tool"]["setuptools"]["package-data"]["casebook_ext"]
    extras = pyproject["project"]["optional-dependencies"]
    assert any(r.startswith("check-jsonschema") for r in extras["test"])
    assert any(r.startswith("sphinx-autobuild") for r in extras["serve"])


def test_nox_has_the_contributor_sessions() -> None:
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    sessions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert {"new", "check", "serve", "pr", "docs", "tests", "lint"} <= sessions


def test_the_docs_contributing_page_repeats_contributing_md_and_generates_the_field_table() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    page = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    shared = re.findall(r"<!-- contributing:(?:start|rules) -->\n(.*?)\n<!-- contributing:", guide, re.DOTALL)
    assert len(shared) == 2
    for part in shared:
        assert part.strip() in page, "docs/contributing.md must repeat CONTRIBUTING.md's sections word for word"
    assert ":::{casebook-reference} fields\n:::" in page
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    toctree = index.rsplit(":::{toctree}", 1)[1].split(":::", 1)[0]
    assert "contributing" in toctree.split()


def test_the_contributing_guide_covers_what_a_contributor_needs() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for words in (
        "pipx install nox",
        "externally-managed-environment",
        "nox -s new -- ",
        "--group",
        "nox -s check -- ",
        "Editorial rules",
        "Every fact is cited",
        "Documented, not advocated",
        "own words",
        "Every fact comes from a listed source",
        "Official mission statements are quoted",
        "A single secondary source is attributed",
        "Conflicts are reported both ways",
        "roles the source gives",
        "The group pages",
        ":from-toctree:",
        "`editorial`",
        "casebook.review_due",
        "casebook_short_roles",
        "There is no *Sources* section to write",
        "Adding a resource",
        "nox -s docs",
        "nox -s serve",
        "What reviewers check",
    ):
        assert words in guide, words


def test_the_contributing_guide_shows_the_template_as_it_is() -> None:
    """The guide's template block has the template's sections in order, a bullet for each, and real fields."""
    from casebook_ext.completeness import STANDARD_SECTIONS
    from casebook_ext.schema import FIELDS_BY_NAME

    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = guide.split("## The case template", 1)[1].split("```markdown\n", 1)[1].split("```", 1)[0]
    assert tuple(re.findall(r"^## (.+)$", template, re.MULTILINE)) == STANDARD_SECTIONS
    assert set(re.findall(r"^:([a-z-]+):", template, re.MULTILINE)) <= set(FIELDS_BY_NAME)
    for section in STANDARD_SECTIONS:
        assert f"- **{section}**:" in guide, section


def test_the_commands_the_guides_name_are_sessions_of_the_noxfile() -> None:
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    sessions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    for name in ("README.md", "CONTRIBUTING.md", ".pre-commit-config.yaml", ".github/pull_request_template.md"):
        named = set(re.findall(r"nox -s ([\w-]+)", (REPO / name).read_text(encoding="utf-8")))
        assert named and named <= sessions, (name, named - sessions)


def test_readme_quick_start_is_two_commands_after_the_pep_668_set_up() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    setup, commands = re.findall(r"```bash\n(.*?)```", quick, re.DOTALL)
    assert [line.split("#")[0].strip() for line in commands.splitlines()] == ["nox -s docs", "nox -s tests"]
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    guide_setup = guide.split("## Before you start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    assert setup.strip() == " && ".join(guide_setup.split("\n")[:-1])  # the same set-up, on one line
    assert "pip install nox" not in readme and "pip install nox" not in guide


def test_readme_the_pdf_session_and_ci_name_the_shared_list_of_system_packages() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| `nox -s pdf`")]
    shown = re.findall(r"`([\w.+-]+)`", row.split("installs", 1)[1])
    assert shown == [name for name, _, group in apt_table() if group == "pdf"]
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ".ci/apt-install\n" in run  # every group
    for command in ("nox -s tests", "nox -s docs", "nox -s lint"):  # README's test and build commands, and lint
        assert f"\n{command}\n" in run, command
    assert "--break-system-packages" not in run
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert '.ci" / "apt-packages.txt"' in noxfile and "texlive" not in noxfile

"""The CI workflows run here, in a clean clone, before GitHub runs them (see ``workflow_runner``).

Each job of the pull-request workflow runs step by step as root in Debian 12 (the system its
container names), with GitHub's environment, the base branch as ``origin/main``, the link check
pointed at a local web server, and the commands of ``.ci/apt-packages.txt`` hidden until a step
installs them. The test job runs the whole suite again, so ``nox -s tests`` runs its steps up to
the suite and checks that everything the suite needs is installed by then; ``nox -s workflows`` runs
it to the end (``CASEBOOK_PROVE_EVERY_JOB=1``), and the publish workflow's build with it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_linkcheck_http import FakeWeb, serve
from workflow_runner import (
    INSIDE,
    REPO,
    JobRun,
    Runner,
    WorkflowError,
    apt_table,
    clone_working_tree,
    listed_commands,
    nox_calls,
    pull_request,
    pull_request_workflow,
    run_commands,
    same_system,
    this_system,
    workflows,
)

EVERY_JOB = bool(os.environ.get("CASEBOOK_PROVE_EVERY_JOB"))

pytestmark = [
    pytest.mark.skipif(bool(os.environ.get(INSIDE)), reason="already inside a job that the workflow tests run"),
]
needs_this_system = pytest.mark.skipif(
    not same_system("debian:bookworm") or shutil.which("apt-cache") is None or os.geteuid() != 0,
    reason=f"the jobs run in debian:bookworm as root; this machine is {this_system()}",
)


def noxfile_sessions() -> set[str]:
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any("nox.session" in ast.unparse(d) for d in node.decorator_list)
    }


def every_run_step() -> Iterator[tuple[str, str, str]]:
    for name, workflow in workflows().items():
        for job_id, job in workflow["jobs"].items():
            for script in run_commands(job):
                yield name, job_id, script


# --- what every workflow's steps say, read without running them ---------------------------------------


def test_every_step_is_valid_bash_and_names_sessions_scripts_and_groups_that_exist() -> None:
    sessions = noxfile_sessions()
    groups = {group for _, _, group in apt_table()}
    for name, job_id, script in every_run_step():
        where = f"{name} {job_id}: {script.splitlines()[0]}"
        syntax = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, check=False)
        assert syntax.returncode == 0, f"{where}: {syntax.stderr}"
        for call in nox_calls(script):
            assert call[1] == "-s" and call[2] in sessions, where
        for path in re.findall(r"(?<![\w/.-])(\.ci/[\w.-]+|tests/[\w./-]+\.sh)", script):
            guarded = f"[ -f {path} ]" in script
            assert guarded or (REPO / path).is_file(), f"{where}: {path} does not exist"
        for line in script.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == [".ci/apt-install"]:
                assert set(words[1:]) <= groups, f"{where}: unknown group in {words[1:]}"


def test_the_link_check_steps_give_the_checker_options_it_has() -> None:
    from casebook_ext.linkcheck.__main__ import parser

    seen = 0
    for _, _, script in every_run_step():
        for call in nox_calls(script):
            if call[2] == "linkcheck" and "--" in call:
                arguments = [re.sub(r"\$\{?\w+\}?", "VALUE", word) for word in call[call.index("--") + 1 :]]
                parser().parse_args(arguments)  # exits (fails the test) on an option the checker does not have
                seen += 1
    assert seen >= 1


def test_a_pull_request_checks_only_the_links_it_changes_against_its_base_branch() -> None:
    links = pull_request_workflow()["jobs"]["links"]
    (script,) = [s for s in run_commands(links) if "linkcheck" in s]
    (call,) = nox_calls(script)
    assert call[call.index("--changed-since") + 1] == "origin/$GITHUB_BASE_REF"
    assert call[call.index("--summary") + 1] == "$GITHUB_STEP_SUMMARY"
    checkout = next(s for s in links["steps"] if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == "0"  # else there is no origin/main to compare with


def test_system_packages_come_from_the_shared_list_only() -> None:
    """Every package a workflow installs is in .ci/apt-packages.txt (git for the checkout, before it exists)."""
    listed = {package for package, _, _ in apt_table()}
    for name, job_id, script in every_run_step():
        for command in re.split(r"&&|\|\||;|\n", script):
            words = shlex.split(command, comments=True)
            if "apt-get" in words and "install" in words:
                packages = {w for w in words[words.index("install") + 1 :] if not w.startswith("-")}
                assert packages <= listed, f"{name} {job_id}: {packages - listed} are not in .ci/apt-packages.txt"
                assert packages <= {"git", "ca-certificates"}, (
                    f"{name} {job_id}: install {packages} with .ci/apt-install"
                )


def test_pr_session_runs_the_sessions_the_pull_request_workflow_runs() -> None:
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    (value,) = [n.value for n in tree.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "PR_SESSIONS"]
    pr_sessions = ast.literal_eval(value)
    workflow = {
        call[2] for name, _, script in every_run_step() if name == "pull-request.yml" for call in nox_calls(script)
    }
    assert {session.split("(")[0] for session in pr_sessions} == workflow - {"linkcheck"}
    assert {"tests(sphinx='9')", "tests(sphinx='8.2')"} <= set(pr_sessions)


# --- the jobs, run here ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("download-caches")


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def source_repo(tmp_path: Path) -> Path:
    return clone_working_tree(tmp_path / "source")


def on_path(run: JobRun, command: str) -> bool:
    return shutil.which(command, path=run.env["PATH"]) is not None


def assert_succeeded(run: JobRun) -> None:
    assert run.succeeded, f"job {run.job} failed at {run.failed_steps()}\n{run.report()}"


@pytest.mark.clean_clone
@needs_this_system
@pytest.mark.parametrize("job", ["check", "lint", "build"])
def test_a_pull_request_job_passes_in_a_clean_clone(job: str, tmp_path: Path, caches: Path) -> None:
    run = Runner(pull_request_workflow(), source_repo(tmp_path), tmp_path / "jobs", caches).run(job)
    assert_succeeded(run)
    assert [s.name for s in run.steps if s.status != "success"] == []


@pytest.mark.clean_clone
@needs_this_system
def test_the_test_job_installs_everything_the_suite_needs(tmp_path: Path, caches: Path) -> None:
    runner = Runner(pull_request_workflow(), source_repo(tmp_path), tmp_path / "jobs", caches)
    if not EVERY_JOB:
        run = runner.run("tests", until="nox -s tests")
        assert_succeeded(run)
        missing = [command for command in listed_commands() if not on_path(run, command)]
        assert missing == [], f"the test job does not install {missing} before `nox -s tests`"
        assert on_path(run, "nox")
        return
    run = runner.run("tests")
    assert_succeeded(run)
    assert re.search(r"tests\(sphinx='9'\): success", run.steps[-1].output)
    assert re.search(r"tests\(sphinx='8\.2'\): success", run.steps[-1].output)


@pytest.mark.clean_clone
@needs_this_system
def test_the_publish_build_installs_latex_and_builds_the_pdf(tmp_path: Path, caches: Path) -> None:
    (workflow,) = [w for w in workflows().values() if "push" in w["on"]]
    runner = Runner(workflow, source_repo(tmp_path), tmp_path / "jobs", caches)
    if not EVERY_JOB:
        run = runner.run("build", until="nox -s docs")
        assert_succeeded(run)
        pdf = [command for package, command, group in apt_table() if group == "pdf" and command != "-"]
        assert pdf and all(on_path(run, command) for command in pdf), run.report()
        return
    run = runner.run("build")
    assert_succeeded(run)
    assert (run.workspace / "docs" / "_build" / "html" / "mission-casebook.pdf").is_file()


@pytest.mark.clean_clone
@needs_this_system
def test_the_link_job_checks_the_links_a_pull_request_adds_and_fails_on_a_broken_one(
    tmp_path: Path, caches: Path, web: FakeWeb
) -> None:
    source = source_repo(tmp_path)
    case = CASE.format(broken=web.url("/status/404?in-the-text"))
    bib = (source / "bib" / "other.bib").read_text(encoding="utf-8") + BIB.format(url=web.url("/ok?in-the-bib"))
    pull_request(source, {"docs/cases/fixture-links.md": case, "bib/other.bib": bib})
    line = case.splitlines().index(next(ln for ln in case.splitlines() if "in-the-text" in ln)) + 1

    run = Runner(pull_request_workflow(), source, tmp_path / "jobs", caches).run("links")

    assert run.failed_steps() == ["Check the links this pull request adds"], run.report()
    output = run.steps[-1].output
    assert f"docs/cases/fixture-links.md:{line}: WARNING: " in output and "[casebook.link_broken]" in output, output
    report = json.loads((run.workspace / "docs" / "_build" / "linkcheck" / "report.json").read_text("utf-8"))
    assert {r["target"] for r in report["results"]} == {web.url("/status/404?in-the-text"), web.url("/ok?in-the-bib")}
    assert web.url("/status/404?in-the-text") in run.summary  # the report, in the run's summary


CASE = """# Links on a local server

:::{{case}} fixture-links
:title: Links on a local server
:summary: A case whose links point at the test's own web server.
:status: exploring
:pillars: routes
:resources: fixture2026links
:last-reviewed: 2026-11-29
:::

## Overview

The fixture's page {{cite:p}}`fixture2026links` and [a page that is gone]({broken}).
"""

BIB = """
@misc{{fixture2026links,
  title = {{A page on the test's web server}},
  url = {{{url}}},
  year = {{2026}},
}}
"""


# --- the runner has teeth ----------------------------------------------------------------------------


def _without_step(workflow: dict[str, Any], job: str, words: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(workflow))
    steps = copy["jobs"][job]["steps"]
    copy["jobs"][job]["steps"] = [s for s in steps if words not in str(s.get("run", ""))]
    assert len(copy["jobs"][job]["steps"]) == len(steps) - 1
    return copy


@pytest.mark.clean_clone
@needs_this_system
def test_a_job_that_forgets_to_install_latex_does_not_find_it(tmp_path: Path, caches: Path) -> None:
    workflow = _without_step(pull_request_workflow(), "tests", ".ci/apt-install")
    run = Runner(workflow, source_repo(tmp_path), tmp_path / "jobs", caches).run("tests", until="nox -s tests")
    assert_succeeded(run)
    assert not on_path(run, "xelatex") and not on_path(run, "latexmk")
    assert on_path(run, "git")  # installed by the first step, for the checkout
    assert on_path(run, "chromium")  # tests/browser/install.sh installs the browser it needs itself


@pytest.mark.clean_clone
@needs_this_system
def test_an_apt_option_or_package_apt_does_not_know_fails_the_step(tmp_path: Path, caches: Path) -> None:
    workflow = pull_request_workflow()
    job = json.loads(json.dumps(workflow["jobs"]["check"]))
    job["steps"] = [
        {"run": "apt-get install --yes --no-install-recomends git"},
        {"if": "always()", "run": "apt-get install --yes texlive-xetexx"},
    ]
    run = Runner({**workflow, "jobs": {"check": job}}, tmp_path / "nowhere", tmp_path / "jobs", caches).run("check")
    assert [s.status for s in run.steps] == ["failure", "failure"]
    assert "--no-install-recomends" in run.steps[0].output
    assert "Unable to locate package texlive-xetexx" in run.steps[1].output


def test_a_job_on_another_system_or_with_an_unknown_expression_is_refused(tmp_path: Path) -> None:
    if not same_system("debian:bookworm"):
        pytest.skip(f"this machine is {this_system()}")
    workflow = pull_request_workflow()
    job = json.loads(json.dumps(workflow["jobs"]["check"]))
    for container, steps, words in (
        ("ubuntu:24.04", job["steps"], "runs in ubuntu:24.04"),
        ("debian:bookworm", [{"shell": "bash", "run": "echo ${{ secrets.TOKEN }}"}], "cannot evaluate"),
    ):
        changed = {**job, "container": container, "steps": steps}
        runner = Runner({**workflow, "jobs": {"check": changed}}, tmp_path / "nowhere", tmp_path / container)
        with pytest.raises(WorkflowError, match=re.escape(words)):
            runner.run("check")

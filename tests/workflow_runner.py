"""Run a GitHub Actions job of ``.github/workflows/`` here, step by step, as GitHub's runner runs it.

The job runs in a clean clone of the repository, as root, with the environment GitHub gives a
pull request's job (``CI``, ``GITHUB_BASE_REF``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_PATH``, ...) and
nothing of this process's own (no virtualenv, no ``PYTHONPATH``). Its container must be this
machine's system (Debian 12), so that what the job installs and runs here is what it installs and
runs there.

Two things are stand-ins, and strict ones:

- ``apt-get`` is a shim that installs nothing: ``update`` is a no-op and ``install`` refuses an
  option apt would refuse or a package apt cannot find here, and otherwise *makes the commands of
  the packages named appear*. Until then every command of ``.ci/apt-packages.txt`` (``xelatex``,
  ``chromium``, ``npm``, ...) is hidden from the job's ``PATH``, as on a new machine, so a job that
  forgets to install what its tests need fails here as it would on GitHub.
- ``actions/checkout`` is a ``git clone`` of the source repository (the pull request's head, with
  ``main`` as its base), as deep as ``fetch-depth`` says, owned by another user as GitHub's
  workspace is. The other actions a job uses here only store or restore files (``cache``,
  ``upload-artifact``, Pages) and are skipped; any other action is an error.

Expressions (``${{ ... }}``) are evaluated for the few names the workflows use; any other is an error,
never a silent empty string.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).parent.parent.resolve()
WORKFLOWS = REPO / ".github" / "workflows"
APT_PACKAGES = REPO / ".ci" / "apt-packages.txt"
#: The PATH of a Debian container (and of this machine's system, without anything added to it).
STOCK_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
#: Actions that only keep or restore files between runs; here they do nothing.
STORAGE_ACTIONS = frozenset(
    {
        "actions/cache",
        "actions/upload-artifact",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
)
#: GitHub's command line for ``shell: bash`` (https://docs.github.com/actions: "bash --noprofile --norc -eo pipefail").
BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail")
#: The environment variable that tells the test suite it is already inside a job run here.
INSIDE = "CASEBOOK_IN_WORKFLOW_PROOF"
#: The runner's user on GitHub owns the workspace; a container's root does not.
RUNNER_UID = 1001


class WorkflowError(Exception):
    """The workflow asks for something this runner cannot reproduce faithfully."""


def load(path: Path) -> dict[str, Any]:
    """A workflow as GitHub reads it (YAML 1.1 would read the key ``on`` as True)."""
    return dict(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))


def workflows() -> dict[str, dict[str, Any]]:
    return {path.name: load(path) for path in sorted(WORKFLOWS.glob("*.yml"))}


def pull_request_workflow() -> dict[str, Any]:
    (workflow,) = [w for w in workflows().values() if "pull_request" in w["on"]]
    return workflow


def apt_table() -> list[tuple[str, str, str]]:
    """``.ci/apt-packages.txt`` as (package, command or ``-``, group) rows."""
    rows = []
    for line in APT_PACKAGES.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 3 and not words[0].startswith("#"):
            rows.append((words[0], words[1], words[2]))
    return rows


def listed_commands() -> dict[str, str]:
    """command -> package, for the packages of the list that provide a command."""
    return {command: package for package, command, _ in apt_table() if command != "-"}


def this_system() -> str:
    """This machine's system as a container image names it (``debian:bookworm``)."""
    release = dict(
        line.split("=", 1) for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines() if "=" in line
    )
    return f"{release.get('ID', '').strip(chr(34))}:{release.get('VERSION_CODENAME', '').strip(chr(34))}"


def same_system(image: str) -> bool:
    """Whether a job's container image is this machine's system (``debian:bookworm``, ``debian:12``, ...)."""
    name, _, tag = image.partition(":")
    system, _, codename = this_system().partition(":")
    version = Path("/etc/debian_version").read_text(encoding="utf-8").split(".")[0] if system == "debian" else ""
    return name in (system, f"docker.io/library/{system}") and tag.split("-")[0] in (codename, version)


# --- the shims ---------------------------------------------------------------------------------

APT_SHIM = '''\
#!{python}
"""apt-get for a job run here: installs nothing; checks what apt would refuse; shows what it would install."""
import os, subprocess, sys
from pathlib import Path

OPTIONS = {{"-y", "--yes", "--assume-yes", "-q", "-qq", "--quiet", "--no-install-recommends", "--update"}}
args = sys.argv[1:]
words = [a for a in args if not a.startswith("-")]
bad = [a for a in args if a.startswith("-") and a not in OPTIONS]
with open(os.environ["CASEBOOK_APT_LOG"], "a", encoding="utf-8") as log:
    log.write(" ".join(args) + "\\n")
if bad:
    sys.exit(f"E: Command line option {{bad[0]!r}} is not understood (apt-get, as run by the workflow runner)")
if not words:
    sys.exit("E: Invalid operation (apt-get with no command)")
if words[0] == "update":
    print("apt-get update: the package lists as they are on this machine (the workflow runner)")
    sys.exit(0)
if words[0] != "install" or len(words) < 2:
    sys.exit(f"E: the workflow runner's apt-get knows update and install, not {{' '.join(words)!r}}")
commands = dict(line.split("\\t") for line in os.environ["CASEBOOK_APT_COMMANDS"].split("\\n") if line)
farm = Path(os.environ["CASEBOOK_APT_FARM"])
for package in words[1:]:
    policy = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True, check=False).stdout
    if "Candidate:" not in policy or "Candidate: (none)" in policy:
        sys.exit(f"E: Unable to locate package {{package}}")
    for command, owner in commands.items():
        if owner == package and not (farm / command).exists():
            (farm / command).symlink_to(os.environ["CASEBOOK_APT_REAL_" + command.replace("-", "_")])
    print(f"{{package}} is installed (the workflow runner)")
'''


def _programs(folders: Iterable[str]) -> dict[str, Path]:
    """Every program on the stock PATH, by name (the first folder that has one wins)."""
    found: dict[str, Path] = {}
    for folder in folders:
        base = Path(folder)
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if path.name not in found and os.access(path, os.X_OK) and not path.is_dir():
                found[path.name] = path
    return found


def stock_farm(farm: Path, hidden: Iterable[str]) -> None:
    """A folder of links to every program of the system's own PATH but ``hidden``: a machine without them."""
    farm.mkdir(parents=True)
    hide = set(hidden) | {"sudo", "apt-get"}
    for name, path in _programs(STOCK_PATH).items():
        if name not in hide:
            (farm / name).symlink_to(path)


# --- expressions -------------------------------------------------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, context: Mapping[str, str]) -> str:
    """``${{ name }}`` replaced from ``context``; an expression the runner does not know is an error."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in context:
            raise WorkflowError(f"the runner cannot evaluate ${{{{ {name} }}}} (known: {', '.join(sorted(context))})")
        return context[name]

    return EXPRESSION.sub(one, text)


# --- running a job -----------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    status: str  # "success", "failure", "skipped"
    output: str = ""


@dataclass
class JobRun:
    job: str
    workspace: Path
    steps: list[Step] = field(default_factory=list)
    summary: str = ""
    apt_log: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return all(step.status != "failure" for step in self.steps)

    def failed_steps(self) -> list[str]:
        return [step.name for step in self.steps if step.status == "failure"]

    def report(self) -> str:
        """Every step with its status and the end of what it printed, for an assertion's message."""
        lines = []
        for step in self.steps:
            lines.append(f"--- {step.name}: {step.status}")
            if step.status == "failure" or os.environ.get("CASEBOOK_WORKFLOW_VERBOSE"):
                lines.append(textwrap.indent(step.output[-6000:], "    "))
        return "\n".join(lines)


def step_name(step: Mapping[str, Any]) -> str:
    if "name" in step:
        return str(step["name"])
    if "uses" in step:
        return f"uses {step['uses']}"
    return f"run {str(step.get('run', '')).splitlines()[0]}"


def machine_env() -> dict[str, str]:
    """What this machine needs to reach its package registries, GitHub's network stands in for."""
    keep = {name: value for name, value in os.environ.items() if name.startswith(("PIP_", "UV_"))}
    network = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")
    certificates = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO")
    for name in (*network, *certificates):
        if name in os.environ:
            keep[name] = os.environ[name]
    keep.pop("UV_CACHE_DIR", None)
    return keep


class Runner:
    """Runs one workflow's jobs from a source repository whose HEAD is the pull request and ``main`` its base."""

    def __init__(self, workflow: Mapping[str, Any], source: Path, scratch: Path, cache: Path | None = None) -> None:
        self.workflow = workflow
        self.source = source
        self.scratch = scratch
        self.cache = cache  # pip's and uv's download caches, shared by the jobs of one test session

    def run(self, job_id: str, until: str | None = None, extra_env: Mapping[str, str] | None = None) -> JobRun:
        """Run the job's steps in order; with ``until``, stop before the first step whose command contains it."""
        job = self.workflow["jobs"][job_id]
        container = job.get("container")
        image = container.get("image", "") if isinstance(container, dict) else str(container or "")
        if not image:
            raise WorkflowError(f"job {job_id!r} runs on {job.get('runs-on')} itself; only a container job runs here")
        if not same_system(image):
            raise WorkflowError(f"job {job_id!r} runs in {image}, and this machine is {this_system()}")

        base = self.scratch / job_id
        workspace, home, temp, farm, shims = (base / n for n in ("workspace", "home", "temp", "farm", "shims"))
        for folder in (home, temp, shims):
            folder.mkdir(parents=True)
        files = {name: temp / f"_{name}" for name in ("step_summary", "env", "path", "output", "apt.log")}
        for path in files.values():
            path.touch()
        hidden = listed_commands()
        stock_farm(farm, hidden)
        self._write_apt_shim(shims)

        env: dict[str, str] = {
            **machine_env(),
            "PATH": f"{shims}:{farm}",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_BASE_REF": "main",
            "GITHUB_HEAD_REF": "contribution",
            "GITHUB_REF": "refs/pull/1/merge",
            "GITHUB_JOB": job_id,
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(files["step_summary"]),
            "GITHUB_ENV": str(files["env"]),
            "GITHUB_PATH": str(files["path"]),
            "GITHUB_OUTPUT": str(files["output"]),
            "RUNNER_TEMP": str(temp),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "CASEBOOK_APT_LOG": str(files["apt.log"]),
            "CASEBOOK_APT_FARM": str(farm),
            "CASEBOOK_APT_COMMANDS": "".join(f"{c}\t{p}\n" for c, p in hidden.items()),
            INSIDE: "1",
        }
        real = _programs(STOCK_PATH)
        env.update({"CASEBOOK_APT_REAL_" + c.replace("-", "_"): str(real[c]) for c in hidden if c in real})
        if self.cache is not None:
            env["PIP_CACHE_DIR"] = str(self.cache / "pip")
            env["UV_CACHE_DIR"] = str(self.cache / "uv")
        env.update(extra_env or {})
        context = {
            "github.base_ref": "main",
            "github.run_id": "1",
            "github.event.pull_request.number": "1",
            "runner.temp": str(temp),
        }
        env.update(self._env(self.workflow.get("env", {}), context))
        env.update(self._env(job.get("env", {}), {**context, **self._env_context(env)}))

        defaults = {**self.workflow.get("defaults", {}).get("run", {}), **job.get("defaults", {}).get("run", {})}
        timeout = float(job["timeout-minutes"]) * 60
        run = JobRun(job_id, workspace, env=env)
        failed = False
        for step in job["steps"]:
            name = step_name(step)
            if until is not None and until in str(step.get("run", "")):
                break
            condition = str(step.get("if", "")).strip()
            if condition not in ("", "always()", "success()", "failure()"):
                raise WorkflowError(f"step {name!r}: the runner cannot evaluate `if: {condition}`")
            wanted = {"": not failed, "success()": not failed, "always()": True, "failure()": failed}[condition]
            if not wanted:
                run.steps.append(Step(name, "skipped"))
                continue
            ctx = {**context, **self._env_context(env)}
            step_env = {**env, **self._env(step.get("env", {}), ctx)}
            if "uses" in step:
                ok, output = self._action(step, workspace, ctx)
            else:
                ok, output = self._shell(step, defaults, workspace, step_env, ctx, timeout)
            run.steps.append(Step(name, "success" if ok else "failure", output))
            failed = failed or not ok
            self._take_files(env, files)
        run.summary = files["step_summary"].read_text(encoding="utf-8")
        run.apt_log = files["apt.log"].read_text(encoding="utf-8").splitlines()
        return run

    # --- pieces ---

    def _write_apt_shim(self, shims: Path) -> None:
        shim = shims / "apt-get"
        shim.write_text(APT_SHIM.format(python=sys.executable), encoding="utf-8")
        shim.chmod(0o755)

    @staticmethod
    def _env_context(env: Mapping[str, str]) -> dict[str, str]:
        return {f"env.{name}": value for name, value in env.items()}

    def _env(self, values: Mapping[str, Any], context: Mapping[str, str]) -> dict[str, str]:
        return {str(k): evaluate(str(v), context) for k, v in (values or {}).items()}

    def _action(self, step: Mapping[str, Any], workspace: Path, context: Mapping[str, str]) -> tuple[bool, str]:
        action = str(step["uses"]).split("@")[0]
        options = (
            {k: evaluate(str(v), context) for k, v in (step.get("with") or {}).items()}
            if action != "actions/cache"
            else {}
        )
        if action == "actions/checkout":
            return self._checkout(workspace, options)
        if action in STORAGE_ACTIONS:
            return True, f"{action}: skipped here (it only stores or restores files)"
        raise WorkflowError(f"the runner does not know the action {action!r}")

    def _checkout(self, workspace: Path, options: Mapping[str, str]) -> tuple[bool, str]:
        """GitHub's checkout: the pull request's head, as deep as ``fetch-depth``, owned by the runner's user."""
        depth = int(options.get("fetch-depth", "1"))
        command = ["git", "clone", "--quiet"]
        if depth:
            command += ["--depth", str(depth)]
        done = subprocess.run(
            [*command, f"file://{self.source}", str(workspace)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            return False, done.stdout + done.stderr
        if depth:  # a shallow checkout fetches the pull request's ref only: no base branch
            subprocess.run(["git", "-C", str(workspace), "branch", "-r", "-D", "origin/main"], capture_output=True)
        subprocess.run(["chown", "-R", f"{RUNNER_UID}:{RUNNER_UID}", str(workspace)], check=True)
        return True, f"checked out {self.source} into {workspace} (fetch-depth {depth})"

    def _shell(
        self,
        step: Mapping[str, Any],
        defaults: Mapping[str, Any],
        workspace: Path,
        env: dict[str, str],
        context: Mapping[str, str],
        timeout: float,
    ) -> tuple[bool, str]:
        shell = str(step.get("shell", defaults.get("shell", "")))
        if shell != "bash":
            raise WorkflowError(f"step {step_name(step)!r}: only `shell: bash` runs here (it has {shell or 'none'})")
        script = evaluate(str(step["run"]), context)
        cwd = workspace / str(step.get("working-directory", defaults.get("working-directory", ".")))
        if not cwd.is_dir():
            cwd = workspace.parent  # before the checkout, as GitHub: the (empty) workspace
        script_file = Path(env["RUNNER_TEMP"]) / f"step-{len(os.listdir(env['RUNNER_TEMP']))}.sh"
        script_file.write_text(script, encoding="utf-8")
        try:
            done = subprocess.run(
                [*BASH, str(script_file)],
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=timeout,
                check=False,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired as error:
            out = error.stdout if isinstance(error.stdout, str) else (error.stdout or b"").decode()
            return False, f"{out}\nthe job's timeout-minutes ran out"
        return done.returncode == 0, done.stdout

    @staticmethod
    def _take_files(env: dict[str, str], files: Mapping[str, Path]) -> None:
        """What a step appended to ``GITHUB_PATH`` and ``GITHUB_ENV``, as the runner takes it up for the next steps."""
        for line in files["path"].read_text(encoding="utf-8").splitlines()[::-1]:
            if line.strip() and line.strip() not in env["PATH"].split(":"):
                env["PATH"] = f"{line.strip()}:{env['PATH']}"
        text = files["env"].read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(text):
            line = text[i]
            if "<<" in line:
                name, marker = line.split("<<", 1)
                end = text.index(marker, i + 1)
                env[name] = "\n".join(text[i + 1 : end])
                i = end + 1
                continue
            if "=" in line:
                name, value = line.split("=", 1)
                env[name] = value
            i += 1


# --- the source repository ---------------------------------------------------------------------


#: Commits made here carry a contributor's name, whatever this machine's git configuration says.
GIT_IDENTITY = ("-c", "user.name=Contributor", "-c", "user.email=contributor@example.org", "-c", "commit.gpgsign=false")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def clone_working_tree(destination: Path) -> Path:
    """A clone of this repository as it is on disk (uncommitted changes and new files committed on top)."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(destination)], check=True)
    diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=REPO, capture_output=True, check=True).stdout
    if diff:
        subprocess.run(["git", "apply", "--whitespace=nowarn"], cwd=destination, input=diff, check=True)
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, untracked):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    git(destination, "add", "-A")
    if git(destination, "status", "--porcelain").strip():
        git(destination, "commit", "--quiet", "-m", "The working tree, as it is on disk")
    git(destination, "branch", "--quiet", "-M", "main")
    return destination


def pull_request(source: Path, files: Mapping[str, str], message: str = "A contribution") -> None:
    """Commit ``files`` (path -> text) on a branch of their own: ``main`` stays the base."""
    git(source, "checkout", "--quiet", "-b", "contribution")
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    git(source, "add", "-A")
    git(source, "commit", "--quiet", "-m", message)


def run_commands(job: Mapping[str, Any]) -> list[str]:
    return [str(step["run"]) for step in job.get("steps", []) if "run" in step]


def nox_calls(script: str) -> list[list[str]]:
    """Every ``nox ...`` command line of a step's script, split as the shell splits it (variables left as written)."""
    calls = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "nox":
            calls.append(words)
    return calls

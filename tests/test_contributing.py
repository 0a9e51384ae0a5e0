"""CONTRIBUTING.md is a contract: every command of its code blocks runs here, as written, in a clean clone.

A new contributor's machine is played by a new home folder and the system's own PATH: pipx (from
the system, as ``sudo apt install pipx`` gives it) installs nox there, from PyPI, and every ``nox``
command then runs in a fresh clone of the repository, with that nox and nothing else of this
process's environment. What the guide shows a command printing (its ``text`` blocks) must be in
what the command prints; ``…`` in a shown line stands for any text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_cli import fill, required_examples
from workflow_runner import INSIDE, STOCK_PATH, clone_working_tree, machine_env

REPO = Path(__file__).parent.parent
GUIDE = REPO / "CONTRIBUTING.md"

pytestmark = [
    pytest.mark.clean_clone,
    pytest.mark.skipif(bool(os.environ.get(INSIDE)), reason="already inside a job that the workflow tests run"),
]


@dataclass
class Block:
    kind: str  # "bash", "text", "markdown"
    lines: list[str]


def guide_blocks() -> list[Block]:
    """The code blocks of the guide's shared part, in order, with list items' indentation removed."""
    text = GUIDE.read_text(encoding="utf-8").split("<!-- contributing:start -->", 1)[1]
    found = re.findall(r"^( *)```(\w+)\n(.*?)^\1```", text, re.DOTALL | re.MULTILINE)
    return [Block(kind, [line[len(indent) :] for line in body.splitlines()]) for indent, kind, body in found]


def steps() -> list[tuple[str, list[list[str]]]]:
    """Each command of a ``bash`` block with the ``text`` blocks that follow it (what it prints)."""
    out: list[tuple[str, list[list[str]]]] = []
    for block in guide_blocks():
        if block.kind == "bash":
            out += [(line, []) for line in block.lines if line.strip()]
        elif block.kind == "text" and out:
            out[-1][1].append(block.lines)
    return out


def shown(line: str, output: str) -> bool:
    """Whether ``output`` has a line matching ``line`` (``…`` matches any text)."""
    pattern = ".*".join(re.escape(part) for part in line.split("…"))
    return re.search(f"^(?:\\x1b\\[[0-9;]*m)*{pattern}(?:\\x1b\\[[0-9;]*m)*$", output, re.MULTILINE) is not None


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class Machine:
    """A contributor's new home on this system: the system's PATH, plus what pipx puts in ~/.local/bin."""

    def __init__(self, home: Path) -> None:
        home.mkdir()
        self.home = home
        self.env = {
            **machine_env(),
            "HOME": str(home),
            "PATH": ":".join(STOCK_PATH),
            "LANG": "C.UTF-8",
            "TERM": "dumb",
        }

    def run(self, command: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            shlex.split(command),
            cwd=cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )

    def open_a_new_terminal(self) -> None:
        """What ``pipx ensurepath`` promises a new terminal: ~/.local/bin on the PATH."""
        self.env["PATH"] = f"{self.home / '.local' / 'bin'}:{':'.join(STOCK_PATH)}"


def assert_prints(result: subprocess.CompletedProcess[str], lines: list[str], command: str) -> None:
    for line in lines:
        assert shown(line, result.stdout), f"`{command}` did not print {line!r}:\n{plain(result.stdout)[-4000:]}"


@pytest.fixture
def free_port_8000() -> Iterator[None]:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 8000)) == 0:
            pytest.fail("port 8000 is in use, and the guide's `nox -s serve` serves there: stop what uses it")
    yield


def test_a_new_contributor_can_follow_contributing_md_step_by_step(tmp_path: Path, free_port_8000: None) -> None:
    if shutil.which("pipx", path=":".join(STOCK_PATH)) is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install pipx (.ci/apt-packages.txt): the guide installs nox with it")
        pytest.skip("pipx is not installed here (sudo apt install pipx); CI installs it")
    commands = steps()
    names = [command for command, _ in commands]
    assert names == [
        "sudo apt install pipx",
        "pipx ensurepath",
        "pipx install nox",
        'nox -s new -- my-case-id --title "The title readers will see" --group cities',
        "nox -s check -- docs/cases/my-case-id.md",
        "nox -s docs",
        "nox -s serve",
    ], "CONTRIBUTING.md's commands changed: run each new one here as the guide says"
    shown_by = dict(commands)
    machine = Machine(tmp_path / "home")

    # Before you start. `sudo apt install pipx` is this system's pipx (CI installs it from .ci/apt-packages.txt).
    assert machine.run("pipx --version", tmp_path).returncode == 0
    result = machine.run("pipx ensurepath", tmp_path)
    assert result.returncode == 0, result.stdout
    machine.open_a_new_terminal()
    result = machine.run("pipx install nox", tmp_path)
    assert result.returncode == 0 and "done! ✨ 🌟 ✨" in result.stdout, result.stdout
    assert machine.run("nox --version", tmp_path).returncode == 0
    checkout = clone_working_tree(tmp_path / "mission-casebook")

    # Step 1: without --group the command names the groups and writes nothing; with it, the case is listed.
    new = names[3]
    created, no_group = shown_by[new]
    without_group = machine.run(new.replace(" --group cities", ""), checkout)
    assert without_group.returncode != 0
    assert_prints(without_group, no_group, "nox -s new without --group")
    case = checkout / "docs" / "cases" / "my-case-id.md"
    assert not case.exists()
    result = machine.run(new, checkout)
    assert result.returncode == 0, plain(result.stdout)
    assert_prints(result, created, new)
    assert "  3. Run `nox -s check -- docs/cases/my-case-id.md` until it reports no problems." in result.stdout
    assert "my-case-id" in (checkout / "docs" / "cases" / "cities.md").read_text(encoding="utf-8").split()

    # Step 5, on the new case, with a mistyped status, and once the case is ready.
    check = names[4]
    unfilled, mistyped, ready = shown_by[check]
    result = machine.run(check, checkout)
    assert result.returncode == 1
    assert_prints(result, unfilled, f"{check} (fields empty)")
    # A session's first run says what it installs, and shows pip at work; a second run installs nothing.
    assert_prints(
        result, ["nox > Installing -e .: the first run of a session downloads and installs its packages"], check
    )
    assert re.search(r"^Successfully installed .*mission-casebook", result.stdout, re.MULTILINE), result.stdout
    values = required_examples("iipp2023moinroundup") | {"last-reviewed": dt.date.today().isoformat()}
    fill(case, values | {"status": "explorng"})
    result = machine.run(check, checkout)
    assert result.returncode == 1
    assert_prints(result, [*mistyped, "nox > Session check failed."], f"{check} (status mistyped)")
    case.write_text(case.read_text(encoding="utf-8").replace(":status: explorng", ":status: exploring"), "utf-8")
    result = machine.run(check, checkout)
    assert result.returncode == 0, plain(result.stdout)
    assert_prints(result, ready, f"{check} (ready)")
    assert "Reusing the installed packages" in result.stdout and "Successfully installed" not in result.stdout
    result = machine.run("nox -s check", checkout)  # the whole casebook, the new case with it
    assert result.returncode == 0 and re.search(r"^\d+ cases checked, 0 problems$", result.stdout, re.MULTILINE)

    # Step 6: the strict build, then the live preview, which serves the new case's page.
    result = machine.run("nox -s docs", checkout)
    assert result.returncode == 0, plain(result.stdout)[-4000:]
    assert_prints(result, ["build succeeded.", *shown_by["nox -s docs"][0]], "nox -s docs")
    assert (checkout / "docs" / "_build" / "html" / "cases" / "my-case-id.html").is_file()
    serve_and_read(machine, checkout, shown_by["nox -s serve"][0])

    # Step 7: `nox -s pr` reports on the sessions it ran; with a mistake in the case, its first one fails.
    case.write_text(case.read_text(encoding="utf-8").replace(":status: exploring", ":status: explorng"), "utf-8")
    result = machine.run("nox -s pr", checkout)
    assert result.returncode != 0
    assert_prints(result, [*mistyped, "nox > Session check failed.", "nox > Session pr failed."], "nox -s pr")
    assert "Session pr was successful" not in result.stdout


def serve_and_read(machine: Machine, checkout: Path, promised: list[str]) -> None:
    """Start ``nox -s serve``, read the new case from it once it serves, check what it printed, and stop it."""
    log = checkout.parent / "serve.log"
    env = {**machine.env, "PYTHONUNBUFFERED": "1"}  # so that its output reaches the log as it is printed
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            shlex.split("nox -s serve"),
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        page = ""
        deadline = time.monotonic() + 300
        while not page:
            assert server.poll() is None, f"nox -s serve stopped:\n{plain(log.read_text('utf-8'))[-4000:]}"
            assert time.monotonic() < deadline, f"nox -s serve never served:\n{plain(log.read_text('utf-8'))[-4000:]}"
            try:
                with urllib.request.urlopen("http://127.0.0.1:8000/cases/my-case-id.html", timeout=10) as answer:
                    page = answer.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert 'id="casebook-case-my-case-id"' in page
        printed = plain(log.read_text("utf-8"))
        assert all(shown(line, printed) for line in promised), printed[-3000:]
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)

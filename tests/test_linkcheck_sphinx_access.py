"""The three Sphinx attributes the link checker reads without a public API still mean what it expects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Project

from casebook_ext.linkcheck.sphinx_access import command_line_settings, page_dependencies, set_exit_status


def test_command_line_settings_dependencies_and_exit_status(project: Callable[[str], Project]) -> None:
    basic = project("basic")
    basic.write("included.txt", "Included text.\n")
    basic.write("listings.md", basic.read("listings.md") + "\n```{literalinclude} included.txt\n```\n")
    build = basic.build(confoverrides={"casebook_linkcheck_timeout": "3s"})
    app = build.app
    assert command_line_settings(app.config) == {"casebook_linkcheck_timeout": "3s"}
    assert (Path(app.srcdir) / "included.txt").resolve() in page_dependencies(app.env)
    set_exit_status(app, 2)
    assert app.statuscode == 2

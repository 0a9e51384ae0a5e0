"""What the link checker needs from Sphinx that Sphinx gives no public API for, in one place.

Each function says which attribute it reads; if Sphinx renames one, this module is the one to
mend, and ``tests/test_linkcheck_sphinx_access.py`` says so first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


def command_line_settings(config: Config) -> dict[str, Any]:
    """Settings given with ``-D`` (``Config._overrides``): the quick path is trusted only with the same ones."""
    overrides = getattr(config, "_overrides", None)
    return dict(overrides) if isinstance(overrides, dict) else {}


def page_dependencies(env: BuildEnvironment) -> list[Path]:
    """Files the pages depend on besides their sources, as the environment records them
    (``BuildEnvironment.dependencies``: docname -> paths relative to the source folder)."""
    srcdir = Path(env.srcdir)
    return sorted({(srcdir / p).resolve() for files in env.dependencies.values() for p in files})


def set_exit_status(app: Sphinx, status: int) -> None:
    """The status ``sphinx-build`` exits with (``Sphinx.statuscode``, which it returns as its exit code)."""
    app.statuscode = status

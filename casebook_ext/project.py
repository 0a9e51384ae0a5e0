"""The Sphinx project around some source files, as ``casebook check`` sees it without running Sphinx.

conf.py's literal settings (read with ``ast``, never executed), the documents Sphinx would find,
and their docnames, which decide the build's reading order and so which of two duplicate ids wins.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Source suffixes read as documents (MyST Markdown and reStructuredText).
SUFFIXES = (".md", ".rst")

#: The conf.py settings ``casebook check`` reads, besides every ``casebook_*`` and ``myst_*`` one (as literals
#: only: conf.py is never executed).
CONF_NAMES = (
    "bibtex_bibfiles",
    "bibtex_encoding",
    "exclude_patterns",
    "extensions",
    "suppress_warnings",
)
CONF_PREFIXES = ("casebook_", "myst_")


@dataclass(frozen=True)
class Conf:
    """The literal settings of a conf.py that checks need; anything computed is left out, not run."""

    path: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    #: Settings conf.py assigns with an expression that is not a literal (their defaults are used).
    not_literal: tuple[str, ...] = ()

    @property
    def srcdir(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The suffixes the build reads: Markdown only when conf.py loads MyST (or computes its extensions)."""
        extensions = self.values.get("extensions")
        if self.path is not None and isinstance(extensions, list | tuple) and "myst_parser" not in extensions:
            return (".rst",)
        return SUFFIXES


def read_conf(path: Path) -> Conf:
    """Read literal top-level assignments from conf.py with ``ast``; conf.py is never executed."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    values: dict[str, Any] = {}
    not_literal: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not isinstance(target, ast.Name) or not (target.id in CONF_NAMES or target.id.startswith(CONF_PREFIXES)):
            continue
        try:
            values[target.id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, RecursionError):
            not_literal.append(target.id)
            values.pop(target.id, None)
    return Conf(path, values, tuple(n for n in not_literal if n not in values))


def find_conf(start: Path) -> Path | None:
    """The conf.py of the Sphinx project holding ``start``: in it or the nearest folder above."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "conf.py").is_file():
            return candidate / "conf.py"
    return None


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Sphinx's glob for ``exclude_patterns``: ``*`` stays within a folder, ``**`` crosses folders."""
    out = ""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        out += "[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char)
        i += 1
    return re.compile(out + "$")


def source_files(
    root: Path, exclude_patterns: Iterable[str] = ("_build",), suffixes: tuple[str, ...] = SUFFIXES
) -> list[Path]:
    """The documents under ``root``, as Sphinx finds them (excluded patterns and hidden folders skipped)."""
    patterns = [_pattern_regex(p) for p in (*exclude_patterns, "**/_sources", ".#*", "**/.#*")]

    def excluded(relative: str) -> bool:
        return any(p.match(relative) for p in patterns)

    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        rel = base.relative_to(root).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded(prefix + d))
        found.extend(base / name for name in sorted(files) if name.endswith(suffixes) and not excluded(prefix + name))
    return found


def docname(path: Path, root: Path) -> str:
    """The Sphinx docname of a source file: its path from the source folder, without suffix."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = path
    return relative.with_suffix("").as_posix()

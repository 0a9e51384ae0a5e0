"""``changed_since``: check only the links a pull request touches.

A link is kept when one of its places is in a file that ``git diff REV`` lists (or in a new,
untracked file), or when its BibTeX entry is new or different from the entry at REV.
Comparing entries rather than files keeps a one-entry edit to a large .bib file from
re-checking the whole bibliography.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casebook_ext.linkcheck.bibscan import scan
from casebook_ext.linkcheck.model import PlaceKind, Target

GIT_TIMEOUT = 60


class ChangesError(Exception):
    """git could not say what changed (not a repository, unknown revision)."""


@dataclass(frozen=True)
class Changes:
    files: frozenset[str]  # relative to the project root, like places
    bib_keys: frozenset[str]  # entries new or changed since the revision


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChangesError(f"git {args[0]} failed: {error}") from None
    if done.returncode != 0:
        raise ChangesError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def verify_revision(root: Path, rev: str) -> Path:
    """The top of the git repository holding ``root``; raises :class:`ChangesError` if ``rev`` is not in it."""
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
    except ChangesError:
        raise ChangesError(f"changed_since: {root} is not in a git repository, so {rev!r} means nothing") from None
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except ChangesError:
        raise ChangesError(f"changed_since: {rev!r} is not a revision of the repository at {top}") from None
    return top


def changes(root: Path, rev: str, bib_files: Sequence[Path]) -> Changes:
    """What changed in the working tree since ``rev``, as files and BibTeX keys."""
    top = verify_revision(root, rev)
    names = _git(top, "diff", "--name-only", "-z", rev, "--").split("\0")
    names += _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    changed_top = {name for name in names if name}
    files = {Path(os.path.relpath(top / name, root)).as_posix() for name in changed_top}

    keys: set[str] = set()
    for bib in bib_files:
        path = Path(bib).resolve()
        in_top = Path(os.path.relpath(path, top)).as_posix()
        if in_top not in changed_top:
            continue
        current = scan(path.read_text(encoding="utf-8-sig")) if path.is_file() else {}
        try:
            before = scan(_git(top, "show", f"{rev}:{in_top}"))
        except ChangesError:  # the file is new since the revision
            before = {}
        keys.update(k for k, entry in current.items() if k not in before or before[k].signature != entry.signature)
    return Changes(frozenset(files), frozenset(keys))


def touched(target: Target, found: Changes) -> bool:
    """Whether a pull request touched this link: a page place in a changed file, or a changed entry."""
    for place in target.places:
        if place.kind is PlaceKind.BIBTEX:
            if place.key in found.bib_keys:
                return True
        elif place.file in found.files:
            return True
    return False

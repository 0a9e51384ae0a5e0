"""The persistent cache: results trusted until they are too old; broken links never.

One JSON file that CI can keep between runs. A working link or a redirect is trusted for
``cache_max_age``, an unverifiable one (a timeout, an endless 429) for the shorter
``cache_unverifiable_max_age``, so a rerun soon after a run asks nothing it was just told;
a broken link is always asked again. A redirect is remembered with its chain, so it is
reported as a redirect (with its fix). Writes are atomic: a temporary file in the same folder
is written, flushed to disk and renamed over the old one, so an interrupted run leaves the old
cache whole. A corrupt file is set aside as ``cache.json.corrupt``; a read-only one is read
but never replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook_ext.linkcheck.model import Hop, Outcome, Result

VERSION = 1
CORRUPT_SUFFIX = ".corrupt"


def result_to_json(result: Result) -> dict[str, Any]:
    return {
        "outcome": result.outcome.value,
        "reason": result.reason,
        "status": result.status,
        "final_url": result.final_url,
        "redirects": [[h.url, h.status, h.location] for h in result.redirects],
        "permanent_url": result.permanent_url,
        "attempts": result.attempts,
        "checked_at": result.checked_at,
    }


def result_from_json(data: Mapping[str, Any]) -> Result:
    return Result(
        outcome=Outcome(data["outcome"]),
        reason=str(data["reason"]),
        status=None if data.get("status") is None else int(data["status"]),
        final_url=str(data.get("final_url", "")),
        redirects=tuple(Hop(str(u), int(s), str(loc)) for u, s, loc in data.get("redirects", [])),
        permanent_url=str(data.get("permanent_url", "")),
        attempts=int(data.get("attempts", 0)),
        checked_at=float(data["checked_at"]),
        from_cache=True,
    )


@dataclass(frozen=True)
class Note:
    """Something about the cache file a maintainer should hear (a ``casebook.linkcheck_cache`` warning)."""

    path: Path
    message: str
    line: int = 0  # where in the file, when known

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Loaded:
    entries: dict[str, Result] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    #: False for a read-only file, or a corrupt one that could not be set aside: it is not replaced.
    writable: bool = True


def read_only(path: Path) -> bool:
    """Whether a file says it must not be changed (no write bit, or no write access)."""
    try:
        return path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)
    except OSError:
        return False


def load(path: Path) -> Loaded:
    """The cached results by target key, with notes when the file is read-only, foreign or corrupt."""
    if not path.is_file():
        return Loaded()
    locked = read_only(path)
    lock_notes = (
        (Note(path, "the cache is read-only: it is used, but this run's results are not saved"),) if locked else ()
    )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            version = data.get("version") if isinstance(data, dict) else None
            note = Note(path, f"a cache of another version ({version!r}), starting afresh")
            return Loaded(notes=(note, *lock_notes), writable=not locked)
        entries = {str(key): result_from_json(value) for key, value in data["entries"].items()}
        return Loaded(entries, lock_notes, writable=not locked)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        line = getattr(error, "lineno", 0) or 0
        what = error.__class__.__name__ + (f" at line {line}" if line else "")
        if locked:
            note = Note(path, f"unreadable cache ({what}); it is read-only, so it is left as it is", line)
            return Loaded(notes=(note,), writable=False)
        aside = path.with_name(path.name + CORRUPT_SUFFIX)
        try:
            os.replace(path, aside)
        except OSError as move_error:
            note = Note(path, f"unreadable cache ({what}), and it could not be set aside ({move_error})", line)
            return Loaded(notes=(note,), writable=False)
        return Loaded(
            notes=(Note(path, f"unreadable cache ({what}): set aside as {aside.name}, starting afresh", line),)
        )


def max_age_of(result: Result, max_age: float, unverifiable_max_age: float) -> float:
    """How long a result may be trusted: working and redirected long, unverifiable briefly, others never."""
    if not result.checked_at:
        return 0.0  # never fetched: ignored, or the run ended before it
    if result.outcome in (Outcome.WORKING, Outcome.REDIRECTED):
        return max_age
    if result.outcome is Outcome.UNVERIFIABLE:
        return unverifiable_max_age
    return 0.0


def fresh(
    entries: Mapping[str, Result], key: str, now: float, max_age: float, unverifiable_max_age: float = 0.0
) -> Result | None:
    """A remembered result still young enough to trust, or ``None`` (then the link is fetched)."""
    result = entries.get(key)
    if result is None or now - result.checked_at >= max_age_of(result, max_age, unverifiable_max_age):
        return None
    return result


def merged(
    entries: Mapping[str, Result],
    results: Mapping[str, Result],
    now: float,
    max_age: float,
    unverifiable_max_age: float = 0.0,
) -> dict[str, Result]:
    """The cache after a run: this run's results in (broken ones out), stale entries dropped."""
    out = {key: r for key, r in entries.items() if now - r.checked_at < max_age_of(r, max_age, unverifiable_max_age)}
    for key, result in results.items():
        if result.from_cache or result.outcome is Outcome.IGNORED:
            continue
        if max_age_of(result, max_age, unverifiable_max_age) > 0:
            out[key] = result
        elif result.checked_at:  # broken now, or no longer cacheable: forget what was remembered
            out.pop(key, None)
    return out


def save(path: Path, entries: Mapping[str, Result]) -> None:
    """Write the cache atomically (temporary file, fsync, rename)."""
    data = {"version": VERSION, "entries": {key: result_to_json(entries[key]) for key in sorted(entries)}}
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: readers see the old file or the new, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, mode)  # mkstemp makes the file private; keep the old file's mode
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise

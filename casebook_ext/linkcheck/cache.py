"""The persistent cache: working links and redirects are remembered until they are too old; failures never.

One JSON file that CI can keep between runs. A fresh entry is reused without a request; a
redirect is remembered with its chain, so it is reported as a redirect (with its suggested
fix) and not as working. Writes are atomic: a temporary file in the same folder is written,
flushed to disk and renamed over the old one, so an interrupted run leaves the old cache whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casebook_ext.linkcheck.model import Hop, Outcome, Result

VERSION = 1


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


def load(path: Path) -> tuple[dict[str, Result], str]:
    """The cached results by target key, and a note if the file was unreadable (then it starts empty)."""
    if not path.is_file():
        return {}, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return {}, f"{path}: cache of another version, starting afresh"
        return {key: result_from_json(value) for key, value in data["entries"].items()}, ""
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return {}, f"{path}: unreadable cache ({error.__class__.__name__}), starting afresh"


def fresh(entries: Mapping[str, Result], key: str, now: float, max_age: float) -> Result | None:
    """A remembered result still young enough to trust, or ``None`` (then the link is fetched)."""
    result = entries.get(key)
    if result is None or not result.cacheable or now - result.checked_at >= max_age:
        return None
    return result


def merged(
    entries: Mapping[str, Result], results: Mapping[str, Result], now: float, max_age: float
) -> dict[str, Result]:
    """The cache after a run: new working links and redirects in, failures out, stale entries dropped."""
    out = {key: r for key, r in entries.items() if now - r.checked_at < max_age}
    for key, result in results.items():
        if result.from_cache or result.outcome is Outcome.IGNORED:
            continue
        if result.cacheable:
            out[key] = result
        else:
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

"""The links index: what the last build collected, and a fingerprint of everything it was read from.

The builder writes ``links.json`` beside the reports. When the command finds every input
unchanged (same file contents under the source folder, same .bib files and dependencies,
same settings, same extension and Sphinx versions) it checks the indexed links directly,
without starting Sphinx: a nightly run of an unchanged casebook costs its few requests, not
Sphinx's start-up. Any change at all, or any doubt, and the command runs the builder.

Paths inside the output folder (the cache, the doctrees) are stored relative to it and found
again under the folder the command is given, so a copied output folder uses its own cache and
never writes the original's.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from casebook_ext.linkcheck.cache import write_atomic
from casebook_ext.linkcheck.model import Options, Outcome, Place, PlaceKind, Target, TargetKind
from casebook_ext.linkcheck.settings import Settings

INDEX = "links.json"
VERSION = 2  # 2: paths inside the output folder are relative to it
_SKIP_DIRS = frozenset({"_build", "__pycache__", "node_modules"})
#: A per-run setting: it changes which links are checked, not what was collected.
RUN_SETTINGS = frozenset({"casebook_linkcheck_changed_since"})


def _package_digest() -> str:
    """The extension's own code, so an upgraded checker never trusts an old index."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def salt(overrides: Mapping[str, str]) -> str:
    """What besides files decides the collected links: code versions and command-line settings."""
    wanted = {k: str(v) for k, v in sorted(overrides.items()) if k not in RUN_SETTINGS}
    parts = {
        "python": sys.version,
        "casebook_ext": _package_digest(),
        **{name: _version(name) for name in ("sphinx", "docutils", "myst-parser", "sphinxcontrib-bibtex", "pybtex")},
        "overrides": wanted,
    }
    return json.dumps(parts, sort_keys=True)


def source_files(srcdir: Path, skip: Iterable[Path]) -> list[Path]:
    """Every file under the source folder except build output, hidden and cache folders."""
    skipped = {p.resolve() for p in skip}
    out: list[Path] = []
    for folder, dirnames, filenames in os.walk(srcdir):
        here = Path(folder)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS and (here / d).resolve() not in skipped
        )
        out += [here / name for name in sorted(filenames) if not name.startswith(".")]
    return out


def fingerprint(srcdir: Path, skip: Sequence[Path], extra: Sequence[Path], salted: str) -> str:
    digest = hashlib.sha256(salted.encode())
    files = [*source_files(srcdir, skip), *sorted({Path(p).resolve() for p in extra})]
    for path in files:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


# --- (de)serialising ------------------------------------------------------------------------------


def _target_json(target: Target) -> dict[str, Any]:
    return {
        "key": target.key,
        "kind": target.kind.value,
        "url": target.url,
        "doi": target.doi,
        "places": [asdict(p) | {"kind": p.kind.value} for p in target.places],
    }


def _target_from(data: Mapping[str, Any]) -> Target:
    places = tuple(Place(**(dict(p) | {"kind": PlaceKind(p["kind"])})) for p in data["places"])
    return Target(data["key"], TargetKind(data["kind"]), data["url"], data["doi"], places)


def _portable(path: Path | None, out: Path) -> dict[str, str] | None:
    """A path inside the output folder as relative to it (found again under a copy), else absolute."""
    if path is None:
        return None
    try:
        return {"in_out": path.resolve().relative_to(out.resolve()).as_posix()}
    except ValueError:
        return {"absolute": str(path.resolve())}


def _located(data: Mapping[str, str] | None, out: Path) -> Path | None:
    if data is None:
        return None
    return out / data["in_out"] if "in_out" in data else Path(data["absolute"])


def _settings_json(settings: Settings, out: Path) -> dict[str, Any]:
    return {
        "options": asdict(settings.options),
        "fail_on": sorted(o.value for o in settings.fail_on),
        "cache": _portable(settings.cache, out),
        "max_age": settings.max_age,
        "unverifiable_max_age": settings.unverifiable_max_age,
        "anchors": settings.anchors,
        "anchors_ignore": list(settings.anchors_ignore),
    }


def _settings_from(data: Mapping[str, Any], changed_since: str, out: Path) -> Settings:
    options = dict(data["options"]) | {"ignore": tuple(data["options"]["ignore"])}
    return Settings(
        options=Options(**options),
        fail_on=frozenset(Outcome(o) for o in data["fail_on"]),
        cache=_located(data["cache"], out),
        max_age=float(data["max_age"]),
        changed_since=changed_since,
        unverifiable_max_age=float(data["unverifiable_max_age"]),
        anchors=bool(data["anchors"]),
        anchors_ignore=tuple(str(p) for p in data["anchors_ignore"]),
    )


def save(
    out: Path,
    *,
    srcdir: Path,
    doctreedir: Path,
    extra: Sequence[Path],
    overrides: Mapping[str, str],
    root: Path,
    bib_files: Sequence[Path],
    settings: Settings,
    targets: Sequence[Target],
) -> None:
    srcdir = srcdir.resolve()
    data = {
        "version": VERSION,
        "fingerprint": fingerprint(srcdir, [out, doctreedir], extra, salt(overrides)),
        "srcdir": str(srcdir),
        "doctreedir": _portable(doctreedir, out),
        "extra": sorted(str(p) for p in extra),
        "root": str(root),
        "bib_files": [str(p) for p in bib_files],
        "settings": _settings_json(settings, out),
        "targets": [_target_json(t) for t in targets],
    }
    write_atomic(out / INDEX, json.dumps(data, ensure_ascii=False) + "\n")


def load_fresh(
    out: Path, srcdir: Path, overrides: Mapping[str, str], changed_since: str
) -> tuple[Path, list[Path], Settings, list[Target]] | None:
    """(root, bib files, settings, targets) when the index matches every input exactly, else ``None``."""
    try:
        data = json.loads((out / INDEX).read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data["srcdir"] != str(srcdir.resolve()):
            return None
        doctreedir = _located(data["doctreedir"], out)
        skip = [out, *([doctreedir] if doctreedir else [])]
        extra = [Path(p) for p in data["extra"]]
        if fingerprint(srcdir, skip, extra, salt(overrides)) != data["fingerprint"]:
            return None
        settings = _settings_from(data["settings"], changed_since, out)
        targets = [_target_from(t) for t in data["targets"]]
        return Path(data["root"]), [Path(p) for p in data["bib_files"]], settings, targets
    except (OSError, ValueError, KeyError, TypeError):
        return None

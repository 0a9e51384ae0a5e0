"""The run's settings: validated once, durations written with units, every problem named at once.

The declared values live in :class:`~casebook_ext.linkcheck.config.LinkcheckConfig`; this
module checks them (a bad value is a :class:`SettingsError` listing each problem with the
setting it concerns, never a traceback) and resolves the cache path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casebook_ext.linkcheck.config import PREFIX, LinkcheckConfig
from casebook_ext.linkcheck.model import USER_AGENT, Options, Outcome

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?\s*$")
NO_CACHE = frozenset({"none", "off", "false", "0"})
#: Durations that may be 0 (0 means: never trust the cache for these).
_ZERO_ALLOWED = frozenset({"cache_max_age", "cache_unverifiable_max_age"})


@dataclass(frozen=True)
class Problem:
    """One bad setting: its full name and what is wrong with it."""

    setting: str
    message: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.message}"


class SettingsError(ValueError):
    """Settings that cannot run; ``problems`` names each one."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def duration(text: object) -> float:
    """Seconds in ``10s``, ``500ms``, ``5m``, ``2h``, ``7d`` or a plain number of seconds."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a duration such as '10s', '500ms', '5m', '7d'")
    if isinstance(text, int | float):
        return float(text)
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration such as '10s', '500ms', '5m', '7d'")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


@dataclass(frozen=True)
class Settings:
    options: Options
    fail_on: frozenset[Outcome]
    cache: Path | None  # None: no cache read or written
    max_age: float  # working links and redirects
    changed_since: str
    unverifiable_max_age: float = 0.0  # unverifiable results; 0: always checked again
    anchors: bool = True
    anchors_ignore: tuple[str, ...] = ()


def _patterns(name: str, value: object, problems: list[Problem]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        problems.append(Problem(PREFIX + name, f"{value!r} is not a list of regular expressions"))
        return ()
    out: list[str] = []
    for pattern in value:
        try:
            re.compile(str(pattern))
            out.append(str(pattern))
        except re.error as error:
            problems.append(Problem(PREFIX + name, f"{pattern!r} is not a regular expression ({error})"))
    return tuple(out)


def cache_path(where: str, confdir: Path, outdir: Path) -> Path | None:
    """Where the cache lives: ``none`` for no cache, empty for the output folder, else relative to conf.py."""
    where = where.strip()
    if where.lower() in NO_CACHE:
        return None
    return Path(os.path.abspath(confdir / where)) if where else outdir / "cache.json"


def from_config(config: LinkcheckConfig, confdir: Path, outdir: Path) -> Settings:
    """The run's settings; raises :class:`SettingsError` naming every bad value at once."""
    problems: list[Problem] = []

    def seconds(name: str) -> float:
        try:
            value = duration(getattr(config, name))
        except ValueError as error:
            problems.append(Problem(PREFIX + name, str(error)))
            return 1.0
        if value <= 0 and name not in _ZERO_ALLOWED:
            problems.append(Problem(PREFIX + name, "must be longer than 0"))
        return value

    def count(name: str, least: int) -> int:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            problems.append(Problem(PREFIX + name, f"{value!r} is not a whole number of at least {least}"))
            return max(least, 1)
        return value

    def text(name: str) -> str:
        value = getattr(config, name)
        if not isinstance(value, str):
            problems.append(Problem(PREFIX + name, f"{value!r} is not a string"))
            return ""
        return value.strip()

    fail_on: set[Outcome] = set()
    if isinstance(config.fail_on, str) or not isinstance(config.fail_on, list | tuple):
        problems.append(Problem(PREFIX + "fail_on", f"{config.fail_on!r} is not a list of outcomes"))
    else:
        for value in config.fail_on:
            try:
                fail_on.add(Outcome(str(value).strip()))
            except ValueError:
                known = ", ".join(o.value for o in Outcome)
                problems.append(Problem(PREFIX + "fail_on", f"{value!r} is not an outcome ({known})"))
    ignore = _patterns("ignore", config.ignore, problems)
    anchors_ignore = _patterns("anchors_ignore", config.anchors_ignore, problems)
    if not isinstance(config.anchors, bool):
        problems.append(Problem(PREFIX + "anchors", f"{config.anchors!r} is not True or False"))
    resolver = text("doi_resolver")
    if not re.match(r"^https?://[^/\s]+", resolver):
        problems.append(Problem(PREFIX + "doi_resolver", f"{resolver!r} is not an http(s) URL"))
    options = Options(
        timeout=seconds("timeout"),
        run_timeout=seconds("run_timeout"),
        workers=count("workers", 1),
        per_host=count("workers_per_host", 1),
        retries=count("retries", 0),
        backoff=seconds("backoff"),
        retry_after_max=seconds("retry_after_max"),
        doi_resolver=resolver,
        user_agent=text("user_agent") or USER_AGENT,
        ignore=ignore,
    )
    max_age = seconds("cache_max_age")
    unverifiable_max_age = seconds("cache_unverifiable_max_age")
    where = text("cache")
    changed_since = text("changed_since")
    if problems:
        raise SettingsError(problems)
    return Settings(
        options=options,
        fail_on=frozenset(fail_on),
        cache=cache_path(where, confdir, outdir),
        max_age=max_age,
        changed_since=changed_since,
        unverifiable_max_age=unverifiable_max_age,
        anchors=bool(config.anchors),
        anchors_ignore=anchors_ignore,
    )


def check_override(name: str, value: str) -> Problem | None:
    """What is wrong with ``-D name=value`` for a link check setting (Sphinx would silently ignore it)."""
    from casebook_ext.linkcheck.config import FIELDS, types_of

    spec = next((s for s in FIELDS if PREFIX + s.name == name), None)
    if spec is None:
        return None
    kinds = types_of(spec)
    if kinds == frozenset({int}) and not value.strip().lstrip("-").isdigit():
        return Problem(name, f"{value!r} is not a whole number")
    if kinds == frozenset({bool}) and value not in ("0", "1"):
        return Problem(name, f"{value!r} is not 0 or 1")
    if str in kinds and float in kinds:
        try:
            duration(value)
        except ValueError as error:
            return Problem(name, str(error))
    return None

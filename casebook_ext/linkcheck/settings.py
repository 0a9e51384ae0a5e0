"""The checker's settings from ``conf.py``: typed, validated once, durations written with units.

Site settings are ``CasebookConfig`` fields (``casebook_linkcheck_*``, listed on the
reference page). The one per-run setting, ``casebook_linkcheck_changed_since``, is declared
here with no rebuild effect, so passing a new revision each run does not re-read every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casebook_ext.linkcheck.model import USER_AGENT, Options, Outcome

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?\s*$")
NO_CACHE = frozenset({"none", "off", "false", "0"})


def register(app: Sphinx) -> None:
    """Declare the per-run setting (the site settings come from ``CasebookConfig``)."""
    app.add_config_value(
        "casebook_linkcheck_changed_since",
        "",
        "",
        types=frozenset({str}),
        description="Check only links whose page or BibTeX entry changed since this git revision.",
    )


def duration(text: str | float, name: str) -> float:
    """Seconds in ``10s``, ``500ms``, ``5m``, ``2h``, ``7d`` or a plain number of seconds."""
    if isinstance(text, int | float):
        return float(text)
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"{name}: {text!r} is not a duration such as '10s', '500ms', '5m', '7d'")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


@dataclass(frozen=True)
class Settings:
    options: Options
    fail_on: frozenset[Outcome]
    cache: Path | None  # None: no cache read or written
    max_age: float
    changed_since: str


def from_config(config: Config, confdir: Path, outdir: Path) -> Settings:
    """The run's settings; raises ``ValueError`` listing every bad value at once."""
    problems: list[str] = []

    def seconds(name: str) -> float:
        try:
            value = duration(getattr(config, f"casebook_{name}"), f"casebook_{name}")
        except ValueError as error:
            problems.append(str(error))
            return 1.0
        if value <= 0 and name != "linkcheck_cache_max_age":
            problems.append(f"casebook_{name} must be longer than 0")
        return value

    def count(name: str, least: int) -> int:
        value = getattr(config, f"casebook_{name}")
        if not isinstance(value, int) or value < least:
            problems.append(f"casebook_{name} must be a whole number of at least {least}")
            return max(least, 1)
        return value

    fail_on: set[Outcome] = set()
    for value in config.casebook_linkcheck_fail_on:
        try:
            fail_on.add(Outcome(str(value).strip()))
        except ValueError:
            problems.append(
                f"casebook_linkcheck_fail_on: {value!r} is not an outcome ({', '.join(o.value for o in Outcome)})"
            )
    ignore: list[str] = []
    for pattern in config.casebook_linkcheck_ignore:
        try:
            re.compile(pattern)
            ignore.append(pattern)
        except re.error as error:
            problems.append(f"casebook_linkcheck_ignore: {pattern!r} is not a regular expression ({error})")
    resolver = str(config.casebook_linkcheck_doi_resolver).strip()
    if not re.match(r"^https?://[^/\s]+", resolver):
        problems.append(f"casebook_linkcheck_doi_resolver: {resolver!r} is not an http(s) URL")
    options = Options(
        timeout=seconds("linkcheck_timeout"),
        run_timeout=seconds("linkcheck_run_timeout"),
        workers=count("linkcheck_workers", 1),
        per_host=count("linkcheck_workers_per_host", 1),
        retries=count("linkcheck_retries", 0),
        backoff=seconds("linkcheck_backoff"),
        retry_after_max=seconds("linkcheck_retry_after_max"),
        doi_resolver=resolver,
        user_agent=str(config.casebook_linkcheck_user_agent).strip() or USER_AGENT,
        ignore=tuple(ignore),
    )
    max_age = seconds("linkcheck_cache_max_age")
    if problems:
        raise ValueError("; ".join(problems))
    where = str(config.casebook_linkcheck_cache).strip()
    cache = None if where.lower() in NO_CACHE else (confdir / where if where else outdir / "cache.json")
    return Settings(options, frozenset(fail_on), cache, max_age, str(config.casebook_linkcheck_changed_since).strip())

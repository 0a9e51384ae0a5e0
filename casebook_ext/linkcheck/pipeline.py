"""One run from collected targets to reports, shared by the builder and the command's quick path.

Select (``changed_since``), reuse the cache, fetch the rest, remember what can be remembered,
then write the reports. Nothing here imports Sphinx.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from casebook_ext.linkcheck import cache as cache_file
from casebook_ext.linkcheck.model import Outcome, Place, Result, Run, Target
from casebook_ext.linkcheck.settings import Settings

REPORT_JSON = "report.json"
REPORT_MD = "report.md"


class RunError(Exception):
    """The run cannot happen as asked (for example an unknown git revision)."""


def execute(
    targets: Sequence[Target],
    settings: Settings,
    root: Path,
    bib_files: Sequence[Path],
    note: Callable[[str], None],
) -> Run:
    """Check ``targets`` under ``settings``; ``note`` hears about cache trouble."""
    from casebook_ext.linkcheck.changes import ChangesError, changes, touched
    from casebook_ext.linkcheck.check import check_all, prejudge

    started = time.monotonic()
    selected = list(targets)
    unchanged = 0
    if settings.changed_since:
        try:
            found = changes(root, settings.changed_since, bib_files)
        except ChangesError as error:
            raise RunError(str(error)) from None
        selected = [t for t in targets if touched(t, found)]
        unchanged = len(targets) - len(selected)
    notes: list[str] = []
    entries: dict[str, Result] = {}
    if settings.cache is not None:
        entries, problem = cache_file.load(settings.cache)
        if problem:
            notes.append(problem)
            note(problem)
    ignore = [re.compile(p) for p in settings.options.ignore]
    results: dict[str, Result] = {}
    to_fetch: list[Target] = []
    now = time.time()
    for target in selected:
        known = prejudge(target, ignore) or cache_file.fresh(entries, target.key, now, settings.max_age)
        if known is None:
            to_fetch.append(target)
        else:
            results[target.key] = known
    fetched, requests = check_all(to_fetch, settings.options)
    results.update(fetched)
    if settings.cache is not None:
        try:
            cache_file.save(settings.cache, cache_file.merged(entries, results, time.time(), settings.max_age))
        except OSError as error:
            problem = f"{settings.cache}: the cache could not be written ({error})"
            notes.append(problem)
            note(problem)
    return Run(
        targets=tuple(selected),
        results=results,
        fail_on=settings.fail_on,
        requests=requests,
        elapsed=time.monotonic() - started,
        changed_since=settings.changed_since,
        unchanged=unchanged,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        notes=tuple(notes),
    )


def write_reports(run: Run, out: Path) -> None:
    """``report.json``, ``report.md`` and the schema beside them, each written atomically."""
    from casebook_ext.linkcheck import report

    cache_file.write_atomic(out / REPORT_JSON, report.dumps(run))
    cache_file.write_atomic(out / REPORT_MD, report.to_markdown(run))
    cache_file.write_atomic(out / report.SCHEMA_FILE, json.dumps(report.schema(), indent=2) + "\n")


def failures(run: Run) -> Iterator[tuple[Place, str, str]]:
    """(place, warning subtype, message) for every place of each link whose outcome fails the run."""
    for target in run.targets:
        result = run.results[target.key]
        if result.outcome not in run.fail_on:
            continue
        shown = target.doi or target.url
        subtype = "link_broken" if result.outcome is Outcome.BROKEN else "link_failed"
        for place in target.places:
            yield place, subtype, f"{result.outcome.value} link {shown}: {result.reason}"

"""One run from collected targets to reports, shared by the builder and the command's quick path.

Split links by the ``#anchor`` they name, select (``changed_since``), reuse the cache, fetch
the rest, remember what can be remembered (also when Ctrl-C stops the run half-way), then
write the reports. Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from casebook_ext.linkcheck import cache as cache_file
from casebook_ext.linkcheck.model import Outcome, Place, PlaceKind, Result, Run, Target, TargetKind
from casebook_ext.linkcheck.settings import Settings

REPORT_JSON = "report.json"
REPORT_MD = "report.md"

Notify = Callable[[cache_file.Note], None]


class RunError(Exception):
    """The run cannot happen as asked (for example an unknown git revision)."""


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the check; the links checked before it are saved in the cache."""

    def __init__(self, checked: int, total: int, saved: bool) -> None:
        where = "saved in the cache" if saved else "not saved (no cache)"
        super().__init__(f"interrupted: {checked} of {total} links were checked, {where}")
        self.checked, self.total, self.saved = checked, total, saved


def fragment(written: str) -> str:
    """The ``#fragment`` of a link as written, without ``#`` (empty if none)."""
    return written.strip().split("#", 1)[1] if "#" in written else ""


def split_anchors(targets: Sequence[Target], check: bool, ignore: Sequence[re.Pattern[str]]) -> list[Target]:
    """One target per page and ``#anchor`` checked; places citing an entry follow its URL's anchor."""
    if not check:
        return list(targets)
    out: list[Target] = []
    for target in targets:
        if target.kind is not TargetKind.URL:
            out.append(target)
            continue

        def anchor_of(written: str) -> str:
            found = fragment(written)
            return "" if not found or any(p.search(found) for p in ignore) else found

        by_key = {p.key: anchor_of(p.written) for p in target.places if p.kind is PlaceKind.BIBTEX}
        groups: dict[str, list[Place]] = {}
        for place in target.places:
            written = place.kind in (PlaceKind.BIBTEX, PlaceKind.LINK)
            anchor = anchor_of(place.written) if written else by_key.get(place.key, "")
            groups.setdefault(anchor, []).append(place)
        if set(groups) == {""}:
            out.append(target)
            continue
        for anchor, places in sorted(groups.items()):
            key = f"{target.key}#{anchor}" if anchor else target.key
            out.append(dataclasses.replace(target, key=key, places=tuple(places), anchor=anchor))
    return out


def execute(
    targets: Sequence[Target],
    settings: Settings,
    root: Path,
    bib_files: Sequence[Path],
    note: Notify,
) -> Run:
    """Check ``targets`` under ``settings``; ``note`` hears about cache trouble.

    Raises :class:`RunError` when the run cannot happen and :class:`RunInterrupted` on Ctrl-C,
    after saving what was checked.
    """
    from casebook_ext.linkcheck.changes import ChangesError, changes, touched
    from casebook_ext.linkcheck.check import Interrupted, check_all, prejudge

    started = time.monotonic()
    selected = split_anchors(targets, settings.anchors, [re.compile(p) for p in settings.anchors_ignore])
    unchanged = 0
    if settings.changed_since:
        try:
            found = changes(root, settings.changed_since, bib_files)
        except ChangesError as error:
            raise RunError(str(error)) from None
        everything = len(selected)
        selected = [t for t in selected if touched(t, found)]
        unchanged = everything - len(selected)
    notes: list[str] = []

    def tell(problem: cache_file.Note) -> None:
        notes.append(str(problem))
        note(problem)

    loaded = cache_file.Loaded()
    if settings.cache is not None:
        loaded = cache_file.load(settings.cache)
        for problem in loaded.notes:
            tell(problem)
    ignore = [re.compile(p) for p in settings.options.ignore]
    results: dict[str, Result] = {}
    to_fetch: list[Target] = []
    now = time.time()
    for target in selected:
        known = prejudge(target, ignore) or cache_file.fresh(
            loaded.entries, target.key, now, settings.max_age, settings.unverifiable_max_age
        )
        if known is None:
            to_fetch.append(target)
        else:
            results[target.key] = known

    def remember(checked: dict[str, Result]) -> bool:
        if settings.cache is None or not loaded.writable:
            return False
        entries = cache_file.merged(
            loaded.entries, checked, time.time(), settings.max_age, settings.unverifiable_max_age
        )
        try:
            cache_file.save(settings.cache, entries)
        except OSError as error:
            tell(cache_file.Note(settings.cache, f"the cache could not be written ({error})"))
            return False
        return True

    try:
        fetched, requests = check_all(to_fetch, settings.options)
    except Interrupted as stop:
        saved = remember(stop.results)
        raise RunInterrupted(len(stop.results), len(to_fetch), saved) from None
    results.update(fetched)
    remember(results)
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
    """``report.json``, ``report.md`` and the schema beside them, each written atomically.

    Raises ``OSError`` when the output folder cannot be written.
    """
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
        subtype = "link_broken" if result.outcome is Outcome.BROKEN else "link_failed"
        for place in target.places:
            yield place, subtype, f"{result.outcome.value} link {target.shown}: {result.reason}"

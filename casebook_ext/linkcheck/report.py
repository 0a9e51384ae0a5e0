"""The run's reports: JSON (a stable, documented schema), Markdown (a CI summary or issue body), console.

All three list each link once with every place using it, so a maintainer sees at a glance
which BibTeX entry, case and page line to edit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from importlib import resources
from typing import Any

from casebook_ext.linkcheck.model import OUTCOME_ORDER, Outcome, Place, PlaceKind, Result, Run, Target, TargetKind
from casebook_ext.linkcheck.urls import archive_url

SCHEMA_VERSION = 1
SCHEMA_FILE = "report.schema.json"


def schema() -> dict[str, Any]:
    """The published JSON Schema of :func:`to_json` (also shown in the docs)."""
    text = resources.files("casebook_ext.linkcheck").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def _iso(seconds: float) -> str | None:
    if not seconds:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def ordered(run: Run) -> Iterator[tuple[Target, Result]]:
    """Targets by outcome (broken first), then by link."""
    rank = {outcome: i for i, outcome in enumerate(OUTCOME_ORDER)}
    pairs = [(t, run.results[t.key]) for t in run.targets]
    yield from sorted(pairs, key=lambda pair: (rank[pair[1].outcome], pair[0].key))


def fixes(target: Target, result: Result) -> list[dict[str, Any]]:
    """Edits that replace a permanently redirected link with where it settled, at each written place."""
    if result.outcome is not Outcome.REDIRECTED or not result.permanent_url or target.kind is TargetKind.DOI:
        return []
    out = []
    for place in target.places:
        if place.kind not in (PlaceKind.BIBTEX, PlaceKind.LINK):
            continue
        fragment = "#" + place.written.split("#", 1)[1] if "#" in place.written else ""
        new = result.permanent_url + fragment
        fix: dict[str, Any] = {"file": place.file, "line": place.line, "old": place.written, "new": new}
        if place.kind is PlaceKind.BIBTEX:
            fix |= {"key": place.key, "field": place.field, "bibtex": f"{place.field} = {{{new}}},"}
        out.append(fix)
    return out


def _place_json(place: Place) -> dict[str, Any]:
    return {
        "file": place.file,
        "line": place.line,
        "kind": place.kind.value,
        "written": place.written,
        "key": place.key or None,
        "field": place.field or None,
        "docname": place.docname or None,
        "case": place.case or None,
    }


def result_json(target: Target, result: Result) -> dict[str, Any]:
    broken_url = result.outcome is Outcome.BROKEN and target.kind is TargetKind.URL
    return {
        "target": target.key,
        "kind": target.kind.value,
        "url": target.url,
        "doi": target.doi or None,
        "outcome": result.outcome.value,
        "reason": result.reason,
        "status": result.status,
        "final_url": result.final_url or None,
        "redirects": [{"url": h.url, "status": h.status, "location": h.location} for h in result.redirects],
        "permanent_url": result.permanent_url or None,
        "fixes": fixes(target, result),
        "archive_suggestion": archive_url(target.url) if broken_url else None,
        "anchor": target.anchor or None,
        "keys": list(target.keys),
        "places": [_place_json(p) for p in target.places],
        "from_cache": result.from_cache,
        "checked_at": _iso(result.checked_at),
        "attempts": result.attempts,
    }


def to_json(run: Run) -> dict[str, Any]:
    counts = run.counts()
    return {
        "version": SCHEMA_VERSION,
        "generated": run.generated,
        "changed_since": run.changed_since or None,
        "fail_on": sorted(o.value for o in run.fail_on),
        "failed": run.failed,
        "summary": {
            "targets": len(run.targets),
            "places": sum(len(t.places) for t in run.targets),
            **{outcome.value: counts[outcome] for outcome in Outcome},
            "requests": run.requests,
            "from_cache": sum(1 for t in run.targets if run.results[t.key].from_cache),
            "from_cache_by_outcome": {o.value: n for o, n in run.from_cache().items()},
            "unchanged": run.unchanged,
            "seconds": round(run.elapsed, 3),
        },
        "notes": list(run.notes),
        "results": [result_json(t, r) for t, r in ordered(run)],
    }


def dumps(run: Run) -> str:
    return json.dumps(to_json(run), indent=2, ensure_ascii=False) + "\n"


# --- Markdown --------------------------------------------------------------------------------
# Everything below comes from pages, .bib files and servers: it is escaped, so a URL, a DOI or a
# server's reason can never become HTML, a link or a table cell of its own in the report.

_SAFE_URL = re.compile(r"^https?://[^\s<>`|\[\]\\\"']+$")
_TEXT_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`", "|": "\\|", "[": "\\[", "]": "\\]"}
)


def md_text(text: str) -> str:
    """Plain text for Markdown: no HTML, no code spans, no links, no table cells of its own."""
    return " ".join(text.split()).translate(_TEXT_ESCAPES)


def md_code(text: str, table: bool = True) -> str:
    """``text`` as a code span (a fence longer than any backtick run inside it), or as escaped text.

    A code span cannot hold an escape, so text with ``<``, ``>`` or ``&`` is written as
    :func:`md_text` instead: nothing that looks like HTML ever reaches the report.
    """
    text = " ".join(text.split())
    if any(ch in text for ch in "<>&"):
        return md_text(text)
    if table:
        text = text.replace("|", "\\|")  # GFM splits cells on | even inside code spans
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_link(url: str, table: bool = True) -> str:
    """A URL as an autolink when it is plainly one, else as code (never raw HTML)."""
    if _SAFE_URL.match(url):
        return f"<{url}>"
    return md_code(url, table)


def _md_shown(target: Target, table: bool = True) -> str:
    """A URL as a link; a DOI as written (with its resolver link beside it)."""
    if target.kind is TargetKind.DOI:
        return f"DOI {md_code(target.doi, table)} ({md_link(target.url, table)})"
    return md_link(target.shown, table)


def describe_place(place: Place, table: bool = True) -> str:
    """``file:line`` and what is there, e.g. ``docs/cases/one.md:10`` (case ``one``, resources)."""
    where = f"{place.file}:{place.line}" if place.line else place.file

    def code(text: str) -> str:
        return md_code(text, table)

    what = {
        PlaceKind.BIBTEX: f"{code(place.key)} {place.field} field",
        PlaceKind.CASE: f"case {code(place.case)} resources, {code(place.key)}",
        PlaceKind.CITATION: f"cites {code(place.key)}",
        PlaceKind.RESOURCE_ROLE: f"resource role, {code(place.key)}",
        PlaceKind.LINK: "link in the text",
    }[place.kind]
    return f"{code(where)} ({what})"


def _places_md(target: Target) -> str:
    return "<br>".join(describe_place(p) for p in target.places)


def _why(result: Result) -> str:
    text = md_text(result.reason)
    if result.from_cache:
        text += f" *(from the cache: checked {_iso(result.checked_at) or 'earlier'})*"
    return text


def _fix_md(edit: dict[str, Any]) -> str:
    where = f"{edit['file']}:{edit['line']}"
    return f"{md_code(where)}: {md_code(edit.get('bibtex') or edit['new'])}"


def _cache_summary(run: Run) -> str:
    cached = {o: n for o, n in run.from_cache().items() if n}
    total = sum(cached.values())
    if not total:
        return "0 results from the cache"
    parts = ", ".join(f"{cached[o]} {o.value}" for o in OUTCOME_ORDER if o in cached)
    return f"{total} results from the cache ({parts})"


def to_markdown(run: Run) -> str:
    counts = run.counts()
    headline = " · ".join(f"{counts[o]} {o.value}" for o in OUTCOME_ORDER)
    verdict = "**failed**" if run.failed else "passed"
    lines = [f"## Link check: {headline}", ""]
    scope = (
        f" changed since {md_code(run.changed_since, False)} ({run.unchanged} unchanged links not checked)"
        if run.changed_since
        else ""
    )
    fail_on = ", ".join(sorted(o.value for o in run.fail_on)) or "nothing"
    lines.append(
        f"{len(run.targets)} links{scope}, used in {sum(len(t.places) for t in run.targets)} places; "
        f"{run.requests} requests, {_cache_summary(run)}, {run.elapsed:.1f} s. "
        f"Fails on: {fail_on}. Result: {verdict}."
    )
    for note in run.notes:
        lines += ["", f"> {md_text(note)}"]
    groups = {o: [(t, r) for t, r in ordered(run) if r.outcome is o] for o in Outcome}
    if groups[Outcome.BROKEN]:
        lines += ["", f"### Broken ({len(groups[Outcome.BROKEN])})", ""]
        lines += ["| Link | Why | Used in | Suggestion |", "| --- | --- | --- | --- |"]
        for target, result in groups[Outcome.BROKEN]:
            hint = (
                f"Suggestion, not checked: an archived copy may exist at {md_link(archive_url(target.url))}"
                if target.kind is TargetKind.URL
                else "Check the DOI against the publisher's page"
            )
            lines.append(f"| {_md_shown(target)} | {_why(result)} | {_places_md(target)} | {hint} |")
    if groups[Outcome.UNVERIFIABLE]:
        lines += ["", f"### Unverifiable ({len(groups[Outcome.UNVERIFIABLE])})", ""]
        lines += ["Nothing proves these dead; a person should open them in a browser.", ""]
        lines += ["| Link | Why | Used in |", "| --- | --- | --- |"]
        for target, result in groups[Outcome.UNVERIFIABLE]:
            lines.append(f"| {_md_shown(target)} | {_why(result)} | {_places_md(target)} |")
    if groups[Outcome.REDIRECTED]:
        lines += ["", f"### Redirected ({len(groups[Outcome.REDIRECTED])})", ""]
        lines += ["| Link | Now at | Used in | Suggested fix |", "| --- | --- | --- | --- |"]
        for target, result in groups[Outcome.REDIRECTED]:
            edits = fixes(target, result)
            if edits:
                fix = "<br>".join(_fix_md(e) for e in edits)
            else:
                fix = "none: the redirect is temporary, keep the link"
            if result.from_cache:
                fix += f" *(from the cache: checked {_iso(result.checked_at) or 'earlier'})*"
            lines.append(f"| {_md_shown(target)} | {md_link(result.final_url)} | {_places_md(target)} | {fix} |")
    for outcome in (Outcome.WORKING, Outcome.IGNORED):
        if groups[outcome]:
            lines += ["", f"<details><summary>{outcome.value.capitalize()} ({len(groups[outcome])})</summary>", ""]
            for target, result in groups[outcome]:
                lines.append(f"- {_md_shown(target, table=False)}: {_why(result)}")
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


# --- console -----------------------------------------------------------------------------------


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def console_lines(run: Run, now: float | None = None) -> list[str]:
    """A short summary: the counts, then each link that needs attention with its places."""
    counts = run.counts()
    cached = {o: n for o, n in run.from_cache().items() if n}
    detail = ": " + ", ".join(f"{n} {o.value}" for o, n in cached.items()) if cached else ""
    out = [
        f"{len(run.targets)} links in {sum(len(t.places) for t in run.targets)} places: "
        + ", ".join(f"{counts[o]} {o.value}" for o in OUTCOME_ORDER)
        + f" ({run.requests} requests, {sum(cached.values())} from the cache{detail}, {run.elapsed:.1f} s)"
    ]
    if run.changed_since:
        out.append(f"only links changed since {run.changed_since}; {run.unchanged} unchanged links not checked")
    moment = time.time() if now is None else now
    for target, result in ordered(run):
        if result.outcome not in (Outcome.BROKEN, Outcome.UNVERIFIABLE, Outcome.REDIRECTED):
            continue
        extra = f" -> {result.final_url}" if result.outcome is Outcome.REDIRECTED else ""
        remembered = f" [from the cache, checked {_age(moment - result.checked_at)} ago]" if result.from_cache else ""
        out.append(f"  {result.outcome.value:<12} {target.shown}{extra}: {result.reason}{remembered}")
        out += [f"      {describe_place(p, table=False).replace('`', '')}" for p in target.places]
    return out

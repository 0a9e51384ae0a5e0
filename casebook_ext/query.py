"""Which cases a listing shows and in what order: plain Python shared by every listing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casebook_ext.model import Case
from casebook_ext.schema import TAXONOMIES
from casebook_ext.vocabulary import slugify

#: Field aliases a listing may filter on, mapped to the taxonomy they mean.
FILTER_ALIASES: Mapping[str, str] = {
    **{name: name for name in TAXONOMIES},
    **{plural: name for name, plural in TAXONOMIES.items()},
}
SORT_KEYS = ("title", "id", "year", "country", "status", "level", "last-reviewed", "completeness", "given", "toctree")
TABLE_COLUMNS = (
    "title",
    "place",
    "country",
    "level",
    "years",
    "status",
    "pillars",
    "instruments",
    "themes",
    "organisations",
    "last-reviewed",
    "summary",
    "completeness",
)
DEFAULT_COLUMNS = ("title", "place", "country", "level", "status", "pillars")


@dataclass(frozen=True)
class Query:
    """A listing's filters (taxonomy -> accepted values; all must match) and its order."""

    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    year: int | None = None
    sort: str = "title"
    #: Only these cases, in this order (when ``sort`` is ``given``).
    ids: tuple[str, ...] = ()
    #: At most this many cases (0: all).
    limit: int = 0
    #: Only the cases of the pages this page's toctrees include (resolved by the domain).
    from_toctree_of: str = ""
    #: Only the cases due for review on the build date (resolved by the domain).
    review_due: bool = False

    def matches(self, case: Case) -> bool:
        if self.ids and case.id not in self.ids:
            return False
        for taxonomy, wanted in self.filters:
            have = case.values(taxonomy)
            if taxonomy == "organisation":
                if not {slugify(v) for v in have} & {slugify(w) for w in wanted}:
                    return False
            elif not set(have) & set(wanted):
                return False
        if self.year is not None:
            span = case.years
            if span is None or span.start > self.year or (span.end is not None and span.end < self.year):
                return False
        return True

    def run(self, cases: Iterable[Case]) -> list[Case]:
        ordered = self._order([c for c in cases if self.matches(c)])
        return ordered[: self.limit] if self.limit else ordered

    def _order(self, chosen: list[Case]) -> list[Case]:
        if self.sort == "toctree":
            return chosen  # the domain has put them in toctree order
        if self.sort == "given":
            position = {case_id: i for i, case_id in enumerate(self.ids)}
            return sorted(chosen, key=lambda c: position.get(c.id, len(position)))
        descending = self.sort.startswith("-")
        key = self.sort.lstrip("-")
        chosen.sort(key=lambda c: c.title.casefold())
        present = [c for c in chosen if _sort_value(c, key) is not None]
        missing = [c for c in chosen if _sort_value(c, key) is None]
        present.sort(key=lambda c: _sort_value(c, key), reverse=descending)  # type: ignore[arg-type,return-value]
        return present + missing  # cases without the sort value come last in either direction


def _sort_value(case: Case, key: str) -> str | int | None:
    value: str | int | None
    if key == "title":
        value = case.title.casefold()
    elif key == "id":
        value = case.id
    elif key == "year":
        value = case.years.start if case.years else None
    elif key == "country":
        value = ",".join(case.countries) or None
    elif key == "status":
        value = case.status or None
    elif key == "level":
        value = case.level or None
    else:
        value = case.last_reviewed.isoformat() if case.last_reviewed else None
    return value

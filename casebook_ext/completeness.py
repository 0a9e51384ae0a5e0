"""How complete a case is: which fields and standard narrative sections it has.

Shown on every case so readers see how much the casebook knows, and contributors see
which cases need work; computed, never typed in, so it cannot go stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook_ext.schema import FIELDS, Case

#: The narrative sections of a case page, in order; a case is complete when it has the expected ones.
STANDARD_SECTIONS = (
    "Overview",
    "Mission and goals",
    "What was done",
    "Governance",
    "Results and evaluation",
    "Challenges and lessons",
    "Through the ROAR lens",
    "At the 2023 gathering",
    "Open questions",
)
EXPECTED_SECTIONS = ("Overview", "What was done", "Results and evaluation", "Through the ROAR lens")

_VALUES = {
    "title": lambda c: c.title != c.id,
    "summary": lambda c: c.summary,
    "place": lambda c: c.place,
    "country": lambda c: c.countries,
    "level": lambda c: c.level,
    "organisations": lambda c: c.organisations,
    "years": lambda c: c.years,
    "status": lambda c: c.status and c.status != "unknown",
    "pillars": lambda c: c.pillars,
    "instruments": lambda c: c.instruments,
    "themes": lambda c: c.themes,
    "related": lambda c: c.related,
    "resources": lambda c: c.resources,
    "last-reviewed": lambda c: c.last_reviewed,
}
_SCORED = tuple(spec for spec in FIELDS if spec.name in _VALUES)


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing_fields: tuple[str, ...]
    missing_sections: tuple[str, ...]


def score(case: Case, sections: tuple[str, ...]) -> Completeness:
    """Share of fields filled (a status of ``unknown`` counts as missing) and standard sections present."""
    missing_fields = tuple(spec.name for spec in _SCORED if not _VALUES[spec.name](case))
    present = {title.strip().casefold() for title in sections}
    missing_sections = tuple(s for s in EXPECTED_SECTIONS if s.casefold() not in present)
    total = len(_SCORED) + len(EXPECTED_SECTIONS)
    have = total - len(missing_fields) - len(missing_sections)
    return Completeness(round(100 * have / total), missing_fields, missing_sections)

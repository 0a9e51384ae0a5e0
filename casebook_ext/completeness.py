"""How complete a case is: which fields and expected narrative sections it has.

Shown to contributors so they see which cases need work; computed, never typed in, so it
cannot go stale. Which sections count is a site setting (``casebook_expected_sections``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casebook_ext.model import Case

#: The narrative sections of a case page, in order (the case template follows them).
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
#: The sections a complete case has, by default.
EXPECTED_SECTIONS = ("Overview", "What was done", "Results and evaluation", "Through the ROAR lens")

#: field -> whether a case fills it (a status of ``unknown`` counts as missing).
FILLED: dict[str, Callable[[Case], object]] = {
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


@dataclass(frozen=True)
class Rule:
    """What a complete case has: these fields filled and these sections present."""

    fields: tuple[str, ...] = tuple(FILLED)
    sections: tuple[str, ...] = EXPECTED_SECTIONS


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing_fields: tuple[str, ...]
    missing_sections: tuple[str, ...]


def score(case: Case, sections: tuple[str, ...], rule: Rule = Rule()) -> Completeness:
    """Share of the rule's fields filled and of its sections present."""
    missing_fields = tuple(name for name in rule.fields if not FILLED[name](case))
    present = {title.strip().casefold() for title in sections}
    missing_sections = tuple(s for s in rule.sections if s.casefold() not in present)
    total = len(rule.fields) + len(rule.sections)
    have = total - len(missing_fields) - len(missing_sections)
    return Completeness(round(100 * have / total) if total else 100, missing_fields, missing_sections)

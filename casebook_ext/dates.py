"""Dates as readers write them, and the age at which a case is due for review."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = "January February March April May June July August September October November December".split()


def reader_date(day: dt.date) -> str:
    """``1 December 2026``: the same in every locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


_AGE = re.compile(r"^\s*(\d+)\s*(months?|years?|m|y)\s*$")


def parse_age(text: str) -> int | None:
    """Months in ``18 months``, ``2 years``, ``18m`` or ``2y``; ``None`` if it is not such an age."""
    match = _AGE.match(text)
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    return count * 12 if unit.startswith("y") else count


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month where it does not exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


def review_due(last_reviewed: dt.date | None, stale_after_months: int, today: dt.date) -> bool:
    """Whether a case reviewed on ``last_reviewed`` is due for review on ``today`` (never, if the age is 0)."""
    if last_reviewed is None or stale_after_months <= 0:
        return False
    return add_months(last_reviewed, stale_after_months) < today

"""Countries by ISO 3166-1 code: their names (pycountry), so every page names a country the same way."""

from __future__ import annotations

from functools import cache

import pycountry

from casebook_ext.model import MULTIPLE_COUNTRIES


@cache
def country_name(code: str) -> str:
    """Readable name of an ISO 3166-1 alpha-2 code (``multiple`` reads as such)."""
    if code.lower() == MULTIPLE_COUNTRIES:
        return "Multiple countries"
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    # pycountry's common name where it has one ("Bolivia" rather than "Bolivia, Plurinational State of").
    return str(getattr(country, "common_name", None) or country.name)


def is_country_code(code: str) -> bool:
    return code.lower() == MULTIPLE_COUNTRIES or pycountry.countries.get(alpha_2=code.upper()) is not None

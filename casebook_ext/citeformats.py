"""Cite this case: the same citation as a sentence, BibTeX, RIS and CSL-JSON, from a case's record.

Plain Python: everything comes from :class:`~casebook_ext.records.CaseRecord` and
:class:`~casebook_ext.records.Casebook`, the data ``cases.json`` publishes. A case is cited
as an entry of the casebook, in its edition, dated by its last review, at its stable URL.
"""

from __future__ import annotations

import json
import re

from casebook_ext.dates import reader_date
from casebook_ext.records import Casebook, CaseRecord

_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _reviewed(record: CaseRecord, casebook: Casebook) -> tuple[int, int, int]:
    day = record.case.last_reviewed or casebook.built
    return day.year, day.month, day.day


def _date_words(record: CaseRecord, casebook: Casebook) -> str:
    return reader_date(record.case.last_reviewed or casebook.built)


def _address(record: CaseRecord) -> str:
    """The case's address, if the site knows where it is published (``html_baseurl``).

    A relative address means nothing once a citation is pasted elsewhere, so a citation from a
    local build names no address rather than a wrong one.
    """
    return record.url if "://" in record.url else ""


def citation_key(record: CaseRecord) -> str:
    return f"casebook-{record.case.id}"


def text(record: CaseRecord, casebook: Casebook) -> str:
    """``Mission Casebook contributors (2026). "Title". In Mission Casebook, edition 0.2. Last reviewed ... URL``."""
    year = _reviewed(record, casebook)[0]
    return (
        f"{casebook.authors} ({year}). \u201c{record.case.title}\u201d. In {casebook.title}, edition "
        f"{casebook.edition}. Last reviewed {_date_words(record, casebook)}. {_address(record)}"
    ).rstrip()


def _bibtex_escape(value: str) -> str:
    """Text that BibTeX reads back as written: braces, ``%``, ``&``, ``#``, ``_``, ``$``... escaped."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m.group(0), "\\" + m.group(0)), value)


def bibtex(record: CaseRecord, casebook: Casebook) -> str:
    year, month, day = _reviewed(record, casebook)
    fields = [
        ("author", "{" + _bibtex_escape(casebook.authors) + "}"),
        ("title", "{" + _bibtex_escape(record.case.title) + "}"),
        ("booktitle", _bibtex_escape(casebook.title)),
        ("edition", _bibtex_escape(casebook.edition)),
        ("year", str(year)),
        ("date", f"{year:04d}-{month:02d}-{day:02d}"),
        ("url", _address(record)),
        ("note", f"Last reviewed {year:04d}-{month:02d}-{day:02d}"),
    ]
    body = ",\n".join(f"  {name:<9} = {{{value}}}" for name, value in fields if value)
    return f"@inbook{{{citation_key(record)},\n{body}\n}}\n"


def ris(record: CaseRecord, casebook: Casebook) -> str:
    """RIS: ``TY`` first and ``ER`` last, as every reference manager expects."""
    year, month, day = _reviewed(record, casebook)
    lines = [
        ("TY", "CHAP"),
        ("AU", casebook.authors),
        ("TI", record.case.title),
        ("T2", casebook.title),
        ("ET", casebook.edition),
        ("PY", str(year)),
        ("DA", f"{year:04d}/{month:02d}/{day:02d}"),
        ("UR", _address(record)),
        ("N1", f"Last reviewed {year:04d}-{month:02d}-{day:02d}"),
        ("ID", citation_key(record)),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines if value or tag == "ER")


def csl(record: CaseRecord, casebook: Casebook) -> dict[str, object]:
    """One CSL-JSON item (an entry in a book: the casebook, in its edition)."""
    year, month, day = _reviewed(record, casebook)
    item: dict[str, object] = {
        "id": citation_key(record),
        "type": "chapter",
        "title": record.case.title,
        "author": [{"literal": casebook.authors}],
        "container-title": casebook.title,
        "edition": casebook.edition,
        "issued": {"date-parts": [[year, month, day]]},
        "URL": _address(record),
        "note": f"Last reviewed {year:04d}-{month:02d}-{day:02d}",
    }
    return {name: value for name, value in item.items() if value}


def csl_json(record: CaseRecord, casebook: Casebook) -> str:
    return json.dumps([csl(record, casebook)], indent=2, ensure_ascii=False) + "\n"


#: Download formats: suffix -> (label, MIME type, writer).
FORMATS = {
    "bib": ("BibTeX", "application/x-bibtex", bibtex),
    "ris": ("RIS", "application/x-research-info-systems", ris),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json", csl_json),
}

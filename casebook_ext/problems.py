"""What can be wrong with a case, named once so that build, docs and tools agree.

Each kind is a warning subtype: ``suppress_warnings = ["casebook.unknown_term"]`` silences
exactly one kind, and the reference page lists them all from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

WARNING_TYPE = "casebook"

#: subtype -> what it means (shown on the generated reference page).
SUBTYPES: dict[str, str] = {
    "missing_field": "A required field of a case is absent or empty.",
    "unknown_field": "A case has a field the schema does not define (often a typo).",
    "unknown_term": "A value is not in its field's vocabulary; the message suggests the closest term.",
    "bad_country": "A country is not an ISO 3166-1 alpha-2 code (or ``multiple``).",
    "bad_date": "A date is not written as YYYY-MM-DD or does not exist.",
    "bad_years": "A year range is malformed, or ends before it starts.",
    "bad_id": "A case id or related-case id is not a slug (lower-case letters, digits, hyphens).",
    "bad_value": "A value is malformed for its field (for example an empty item in a list).",
    "summary_too_long": "A summary is longer than ``casebook_summary_max_length`` characters.",
    "duplicate_id": "Two cases (or two questions, or two wanted cases) share one id; links would be ambiguous.",
    "unknown_related": "A related case names an id that no case declares.",
    "self_related": "A case names itself among its related cases; the relation is ignored.",
    "no_bibliography": "Cases name resources but sphinxcontrib-bibtex is not loaded: they are shown as plain keys.",
    "unknown_case": "A question names a case id that no case declares.",
    "case_content": "A case directive has body text; it is kept, but narrative belongs after the panel.",
    "duplicate_option": "A MyST case gives one option twice; the last value is used, and the warning is at the "
    "ignored one.",
    "case_in_only": "A case is inside an ``only`` directive; it is not registered, because listings in every "
    "output would link to it.",
    "wrong_syntax": "A case is written in the other markup's syntax (``.. case::`` in Markdown, ``:::{case}`` in "
    "reStructuredText); the build shows it as text and registers no case.",
    "no_colon_fence": "A ``:::{case}`` fence in a project whose ``myst_enable_extensions`` lacks ``colon_fence``; "
    "the build shows it as text and registers no case.",
    "bad_character": "A case holds a NUL, or a character Python reads as a line break (form feed, U+2028...): "
    "the build changes it or cuts a field there.",
    "unknown_directive": "``casebook check`` only: a directive name one slip from ``case`` (``cases``, ``csae``); "
    "the build reports an unknown directive and shows nothing.",
    "bad_filter": "A listing directive filters or sorts on an unknown field or value.",
    "unknown_resource": "A case's resources name a BibTeX key that no .bib file defines.",
    "resource_missing_field": "A resource lacks a field its BibTeX style requires; a bibliography would drop its link.",
    "resource_no_link": 'A resource has neither a DOI nor a URL: list these to build the "needs a link" queue.',
    "resource_bad_field": "A resource's ``casebook_kind``, ``casebook_pillars`` or ``casebook_status`` holds a value "
    "the casebook does not know; the value is ignored.",
    "resource_uncited": "A resource is cited by no case and no page.",
    "review_due": "``casebook check``: a case's last review is older than ``casebook_stale_after`` (the build flags "
    "it on the page instead of warning, so that a build does not fail with time alone).",
    "bad_config": "A ``casebook_*`` setting in conf.py has the wrong type or value (its default is used), or "
    "sphinxcontrib-bibtex is loaded with no ``bibtex_bibfiles``.",
    "page_name": "A page's first case has another id than the page's file name, so its address is not its id.",
    "bad_redirect": "A ``casebook_redirects`` entry points to no case, or would hide a case or page that exists.",
    "unsafe_url": "A URL's scheme is not ``http``, ``https``, ``mailto`` or ``doi``: it is shown as text, not a link.",
    # link_* and linkcheck_* belong to the casebook_ext.linkcheck extension (its problems.py).
}


@dataclass(frozen=True)
class Problem:
    """One finding about a case, with the field it concerns (for its line number)."""

    subtype: str
    message: str
    field: str | None = None

    def __post_init__(self) -> None:
        if self.subtype not in SUBTYPES:
            raise ValueError(f"undocumented warning subtype {self.subtype!r}")

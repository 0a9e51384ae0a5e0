"""The link checker's warning subtypes, named once so that code, docs and reference agree.

They keep the casebook's warning type, so ``suppress_warnings = ["casebook.link_broken"]``
works as before the checker became an extension of its own.
"""

from __future__ import annotations

WARNING_TYPE = "casebook"

#: subtype -> what it means (shown on the generated reference page when the extension is loaded).
SUBTYPES: dict[str, str] = {
    "link_broken": "Link check (``-b casebook-linkcheck``): a link is broken (404/410, a host name that does not "
    "exist, refused, a missing ``#anchor``, unknown DOI); one warning at each place using it.",
    "link_failed": "Link check: a link's outcome is in ``casebook_linkcheck_fail_on`` (other than broken).",
    "linkcheck_cache": "Link check: the cache file could not be read or written, is read-only, or was corrupt "
    "(then set aside as ``cache.json.corrupt``); the run goes on.",
    "linkcheck_output": "Link check: the reports could not be written to the output folder (exit 2).",
    "linkcheck_config": "Link check: a ``casebook_linkcheck_*`` setting is invalid, or ``changed_since`` names no "
    "git revision; the check does not run (exit 2).",
}

"""Resources: the BibTeX entries cases draw on, classified the way a practitioner browses them.

Plain Python over pybtex data (no Sphinx), so a command-line check can reuse it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pybtex.richtext import Text

from casebook_ext.urls import safe_link
from casebook_ext.vocabulary import DEFAULT_VOCABULARIES

if TYPE_CHECKING:
    from pybtex.database import BibliographyData, Entry

#: kind -> heading, in the order the guide shows them.
KINDS: Mapping[str, str] = {
    "journal-article": "Journal articles",
    "working-paper": "Working papers",
    "policy-report": "Policy reports",
    "official-document": "Laws, plans and official documents",
    "news": "News and press articles",
    "blog-post": "Blog posts and commentary",
    "web-page": "Web pages",
    "other": "Other sources",
}
#: BibTeX fields the casebook reads beyond the standard ones.
KIND_FIELD = "casebook_kind"
PILLARS_FIELD = "casebook_pillars"
STATUS_FIELD = "casebook_status"


@dataclass(frozen=True)
class Resource:
    """One bibliography entry as the guide and the checks see it."""

    key: str
    kind: str
    title: str
    url: str
    doi: str
    unverified: bool
    pillars: tuple[str, ...]
    #: Everything the entry says, so a page showing it is rewritten when the .bib changes.
    fingerprint: str
    #: Values of the casebook's own fields that it does not know (field, value): they are ignored.
    unknown: tuple[tuple[str, str], ...] = ()

    @property
    def link(self) -> str:
        """Where a reader can find it: the DOI resolver if there is a DOI, else its URL (if its scheme is safe)."""
        return f"https://doi.org/{self.doi}" if self.doi else safe_link(self.url)

    @property
    def unsafe_url(self) -> bool:
        """A URL that is not published as a link, because its scheme is not an allowed one."""
        return bool(self.url) and not safe_link(self.url)


def kind_of(entry: Entry) -> str:
    """Classify an entry: an explicit ``casebook_kind`` field wins, else its type and series say."""
    explicit = str(entry.fields.get(KIND_FIELD, "")).strip()
    if explicit in KINDS:
        return explicit
    series = f"{entry.fields.get('type', '')} {entry.fields.get('howpublished', '')}".lower()
    if entry.type == "article":
        return "journal-article"
    if "working paper" in series:
        return "working-paper"
    if entry.type in ("techreport", "report") or "report" in series:
        return "policy-report"
    if entry.type in ("online", "www") or "web page" in series or "project page" in series:
        return "web-page"
    return "other"


def latex_to_text(text: str) -> str:
    """BibTeX's LaTeX as a reader sees it: ``Bogot{\\'a}`` is ``Bogotá``, braces and escapes gone."""
    try:
        plain = str(Text.from_latex(text).render_as("text"))
    except Exception:
        plain = re.sub(r"[{}\\]", "", text)
    return " ".join(plain.replace("\\$", "$").split())


def plain_title(entry: Entry) -> str:
    """The title as text, for link texts, labels and tooltips."""
    return latex_to_text(entry.fields.get("title", ""))


def _fingerprint(entry: Entry) -> str:
    persons = {role: [str(p) for p in people] for role, people in entry.persons.items()}
    return repr((entry.type, sorted((k.lower(), v) for k, v in entry.fields.items()), sorted(persons.items())))


def load(
    data: BibliographyData, pillars: Collection[str] = tuple(DEFAULT_VOCABULARIES["pillar"])
) -> dict[str, Resource]:
    """Every entry of the bibliography as a :class:`Resource`, by key (``pillars``: the known pillar slugs)."""
    out: dict[str, Resource] = {}
    for key, entry in data.entries.items():
        declared = [p.strip() for p in entry.fields.get(PILLARS_FIELD, "").split(",") if p.strip()]
        kind = str(entry.fields.get(KIND_FIELD, "")).strip()
        status = str(entry.fields.get(STATUS_FIELD, "")).strip()
        unknown = [(PILLARS_FIELD, p) for p in declared if p not in pillars]
        if kind and kind not in KINDS:
            unknown.insert(0, (KIND_FIELD, kind))
        if status and status.lower() != "unverified":
            unknown.append((STATUS_FIELD, status))
        out[key] = Resource(
            key=key,
            kind=kind_of(entry),
            title=plain_title(entry),
            url=entry.fields.get("url", "").strip(),
            doi=entry.fields.get("doi", "").strip(),
            unverified=entry.fields.get(STATUS_FIELD, "").strip().lower() == "unverified",
            pillars=tuple(p for p in declared if p in pillars),
            fingerprint=_fingerprint(entry),
            unknown=tuple(unknown),
        )
    return out


def entry_line(bibfile: Path, key: str) -> int | None:
    """The line of ``@type{key,`` in a .bib file, so warnings about an entry point at it."""
    try:
        text = bibfile.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)
    return text.count("\n", 0, match.start()) + 1 if match else None

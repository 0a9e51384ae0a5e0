"""Which pages to rewrite after an incremental read, and checks that need every case.

A page's late-filled parts (listings, term indexes, related cases, links to cases) are
summarised as a digest of exactly the data they show. After reading, a page whose digest
changed is rewritten, and no other: editing one case rewrites the listings showing it,
not every page. Digests live in the domain's per-document data, so they survive
pickling, purge with their page, and are computed in the main process only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from casebook_ext import bibliography, coverage, resource_checks
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.freshness import build_date, is_due
from casebook_ext.guide import Citers, citers
from casebook_ext.messages import duplicate_id_message, unknown_related_message
from casebook_ext.model import CaseEntry, QuestionEntry, WantedEntry
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.schema import suggest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


class _BuildState:
    """What every page's digest reads, computed once per build rather than once per page."""

    def __init__(self, domain: CasebookDomain) -> None:
        env = domain.env
        self.resources = bibliography.resources(env)
        self.labels = bibliography.labels(env)
        self.citations = bibliography.page_citations(env)
        self.bibliography_pages = bibliography.bibliography_pages(env)
        self.questions: list[QuestionEntry] = domain.all_questions()
        self.wanted: list[WantedEntry] = domain.all_wanted()
        self.questions_by_case: dict[str, list[QuestionEntry]] = {}
        self.due = sorted(e.case.id for e in domain.index.by_id.values() if is_due(env.config, e.case))
        for question in self.questions:
            for case_id in question.cases:
                self.questions_by_case.setdefault(case_id, []).append(question)
        self._citers: dict[str, Citers] | None = None
        self._domain = domain

    @property
    def citers(self) -> dict[str, Citers]:
        if self._citers is None:
            self._citers = citers(self._domain.env, self._domain)
        return self._citers


def page_digest(domain: CasebookDomain, docname: str, state: _BuildState | None = None) -> str:
    """A hash of all casebook data the page's late-filled parts render."""
    state = state or _BuildState(domain)
    data = domain.store
    index = domain.index
    parts: list[object] = [sorted(index.hosts.items())]
    for listing in data["listings"].get(docname, ()):
        parts.append([(e.docname, e.case, e.sections) for e in domain.select(listing)])
    for note in data["indexes"].get(docname, ()):
        parts.append(note)
        members = index.by_term.get(note.taxonomy, {})
        for slug, label, _ in domain.terms(note.taxonomy):
            entries = members.get(slug, [])
            parts.append((slug, label, len(entries)))
            if note.with_cases:
                parts.append([(e.docname, e.case) for e in entries])
    for entry in data["cases"].get(docname, ()):
        targets = {r.target for r in entry.case.related}
        targets.update(source.case.id for source, _ in index.incoming.get(entry.case.id, ()))
        parts.append(sorted(targets))
        for target in sorted(targets):
            other = index.by_id.get(target)
            parts.append((other.docname, other.case.title, other.case.related) if other else None)
    for reftype, target in sorted(data["refs"].get(docname, ())):
        parts.append((reftype, target, domain.resolve_target(reftype, target)))
    if any(kind.startswith(f"{coverage.GUIDE}-") for kind in data["guides"].get(docname, ())):
        parts.append(coverage.shown(domain.cases()))
    if data["listings"].get(docname) or docname in data["cases"]:
        parts.append(state.due)  # a case becomes due for review with time alone
    parts.append(_bibliography_state(domain, docname, state))
    parts.append(_questions_state(domain, docname, state))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _questions_state(domain: CasebookDomain, docname: str, state: _BuildState) -> object:
    """What the page shows of questions and wanted cases."""
    index = domain.index
    guides = set(domain.store["guides"].get(docname, ()))
    shown: list[object] = []
    if "questions" in guides:
        shown.append(state.questions)
        shown.append(
            sorted((i, index.by_id[i].case.title) for q in state.questions for i in q.cases if i in index.by_id)
        )
    if "wanted" in guides:
        shown.append(state.wanted)
        shown.append(sorted(index.by_id))
    for entry in domain.store["cases"].get(docname, ()):
        shown.append(state.questions_by_case.get(entry.case.id, []))
    for wanted in domain.store["wanted"].get(docname, ()):  # a wanted box links its case once it is written
        case = index.by_id.get(wanted.id)
        shown.append((wanted.id, case.docname if case else None, case.case.title if case else None))
    return shown


def _bibliography_state(domain: CasebookDomain, docname: str, state: _BuildState) -> object:
    """What the page shows of the bibliography: its resources' entries and who cites them."""
    known = state.resources
    shown: set[str] = set(state.citations.get(docname, ()))
    for entry in domain.store["cases"].get(docname, ()):
        shown.update(entry.case.resources)
    out: list[object] = []
    guides = set(domain.store["guides"].get(docname, ())) & {"kind", "pillar", "needs-link"}
    is_bibliography = docname in state.bibliography_pages
    if guides or is_bibliography:
        # A guide or a bibliography shows many entries and who cites them.
        everything = bool(guides - {"needs-link"}) or is_bibliography
        listed = set(known) if everything else {k for k, r in known.items() if not r.link}
        shown.update(listed)
        # Who cites each entry; a guide also shows their titles and files entries by their pillars.
        out.append(
            sorted(
                (k, [(c.case.id, c.case.title, c.case.pillars) if guides else c.case.id for c in v.cases], v.pages)
                for k, v in state.citers.items()
                if k in listed
            )
        )
        out.append(domain.index.hosts.get("resource"))
    out.append(
        [(key, known[key].fingerprint if key in known else None, state.labels.get(key)) for key in sorted(shown)]
    )
    return out


def unchanged(env: BuildEnvironment) -> bool:
    """Whether this build can show nothing new: no page read or removed, same bibliography, same day.

    Worked out once per build, so that a no-op rebuild skips every digest (they are linear in the
    number of cases) and costs what Sphinx's own no-op costs.
    """
    domain = get_domain(env)
    if domain.unchanged is None:
        inputs = hashlib.sha256(
            repr(
                (
                    sorted((k, r.fingerprint) for k, r in bibliography.resources(env).items()),
                    sorted(bibliography.labels(env).items()),
                    sorted(bibliography.page_citations(env).items()),
                    build_date(),
                )
            ).encode("utf-8")
        ).hexdigest()
        stored = env.domaindata["casebook"]
        domain.unchanged = domain.touched == 0 and stored.get("inputs") == inputs
        stored["inputs"] = inputs
    return domain.unchanged


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> Iterator[str]:
    """``env-get-updated``: pages whose casebook content changed although they were not re-read."""
    domain = get_domain(env)
    if unchanged(env):
        return
    data = domain.store
    state = _BuildState(domain)
    pages = set(data["listings"]) | set(data["indexes"]) | set(data["cases"]) | set(data["refs"])
    pages |= set(data["guides"]) | set(state.citations) | state.bibliography_pages
    for docname in sorted(pages):
        digest = page_digest(domain, docname, state)
        if data["digests"].get(docname) != digest:
            data["digests"][docname] = digest
            yield docname


def _where(env: BuildEnvironment, entry: CaseEntry, line: int) -> str | tuple[str, int]:
    """A warning's location in the file the case is written in (an included file's own, not its page's)."""
    if entry.source:
        return f"{Path(env.srcdir, entry.source)}:{line}"
    return entry.docname, line


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: problems only visible with every case read (ids, related cases)."""
    domain = get_domain(env)
    index = domain.index
    resource_checks.check(env, domain)
    for entry, first in index.duplicates:
        first_file = first.source or env.doc2path(first.docname, base=False).as_posix()
        logger.warning(
            "%s",
            duplicate_id_message(entry.case.id, first_file, first.lineno),
            type=WARNING_TYPE,
            subtype="duplicate_id",
            location=_where(env, entry, entry.lineno),
        )
    duplicates: list[tuple[QuestionEntry | WantedEntry, QuestionEntry | WantedEntry]] = [
        *index.duplicate_questions,
        *index.duplicate_wanted,
    ]
    for item, earlier in duplicates:
        logger.warning(
            "duplicate id %r (first declared in %s, line %s)",
            item.id,
            env.doc2path(earlier.docname),
            earlier.lineno,
            type=WARNING_TYPE,
            subtype="duplicate_id",
            location=(item.docname, item.lineno),
        )
    for question in index.questions.values():
        for case_id in question.cases:
            if case_id not in index.by_id:
                logger.warning(
                    "question %r names case %r, which does not exist%s",
                    question.id,
                    case_id,
                    suggest(case_id, list(index.by_id)),
                    type=WARNING_TYPE,
                    subtype="unknown_case",
                    location=(question.docname, question.lineno),
                )
    cited = [entry for entry in index.by_id.values() if entry.case.resources]
    if cited and not bibliography.available(env):
        logger.warning(
            "cases name resources but sphinxcontrib-bibtex is not loaded, so they are shown as plain keys: add "
            "'sphinxcontrib.bibtex' to extensions and list your .bib files in bibtex_bibfiles",
            type=WARNING_TYPE,
            subtype="no_bibliography",
            location=_where(env, cited[0], cited[0].line_of("resources")),
        )
    for entry in index.by_id.values():
        for relation in entry.case.related:
            if relation.target == entry.case.id:
                logger.warning(
                    "related: case %r is related to itself; the relation is ignored",
                    relation.target,
                    type=WARNING_TYPE,
                    subtype="self_related",
                    location=_where(env, entry, entry.line_of("related")),
                )
                continue
            if relation.target not in index.by_id:
                logger.warning(
                    "%s",
                    unknown_related_message(relation.target, index.by_id),
                    type=WARNING_TYPE,
                    subtype="unknown_related",
                    location=_where(env, entry, entry.line_of("related")),
                )

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
from typing import TYPE_CHECKING

from sphinx.util import logging

from casebook_ext.bibliography import bibliography_pages, page_citations, resources
from casebook_ext.casefile import duplicate_id_message, unknown_related_message
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.guide import check as check_resources
from casebook_ext.guide import citers
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.query import Query

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def page_digest(domain: CasebookDomain, docname: str) -> str:
    """A hash of all casebook data the page's late-filled parts render."""
    data = domain.data
    index = domain.index
    parts: list[object] = [sorted(index.hosts.items())]
    for listing in data["listings"].get(docname, ()):
        parts.append([(e.docname, e.case, e.sections) for e in domain.select(listing.query)])
    for taxonomy in data["indexes"].get(docname, ()):
        parts.append(taxonomy)
        parts.append([(e.docname, e.case) for e in domain.select(Query()) if e.case.values(taxonomy)])
    for entry in data["cases"].get(docname, ()):
        targets = {r.target for r in entry.case.related}
        targets.update(source.case.id for source, _ in index.incoming.get(entry.case.id, ()))
        parts.append(sorted(targets))
        for target in sorted(targets):
            other = index.by_id.get(target)
            parts.append((other.docname, other.case.title, other.case.related) if other else None)
    for reftype, target in sorted(data["refs"].get(docname, ())):
        parts.append((reftype, target, domain._resolve(reftype, target)))
    parts.append(_bibliography_state(domain, docname))
    parts.append(_questions_state(domain, docname))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _questions_state(domain: CasebookDomain, docname: str) -> object:
    """What the page shows of questions and wanted cases."""
    from casebook_ext.questions import all_questions, all_wanted

    index = domain.index
    guides = set(domain.data["guides"].get(docname, ()))
    state: list[object] = []
    if "questions" in guides:
        state.append(all_questions(domain))
        state.append(
            sorted((i, index.by_id[i].case.title) for q in all_questions(domain) for i in q.cases if i in index.by_id)
        )
    if "wanted" in guides:
        state.append(all_wanted(domain))
        state.append(sorted(index.by_id))
    for entry in domain.data["cases"].get(docname, ()):
        state.append([q for q in all_questions(domain) if entry.case.id in q.cases])
    for reftype, target in sorted(domain.data["refs"].get(docname, ())):
        if reftype in ("question", "wanted"):
            state.append(domain._resolve(reftype, target))
    return state


def _bibliography_state(domain: CasebookDomain, docname: str) -> object:
    """What the page shows of the bibliography: its resources' entries and who cites them."""
    env = domain.env
    known = resources(env)
    shown: set[str] = set(page_citations(env).get(docname, ()))
    for entry in domain.data["cases"].get(docname, ()):
        shown.update(entry.case.resources)
    state: list[object] = []
    guides = set(domain.data["guides"].get(docname, ())) & {"kind", "pillar", "needs-link"}
    if guides or docname in bibliography_pages(env):
        # A guide or a bibliography shows many entries and who cites them.
        everything = bool(guides - {"needs-link"}) or docname in bibliography_pages(env)
        listed = set(known) if everything else {k for k, r in known.items() if not r.link}
        who = citers(env, domain)
        shown.update(listed)
        state.append(sorted((k, [c.case.id for c in v.cases], v.pages) for k, v in who.items() if k in listed))
        state.append(domain.index.hosts.get("resource"))
    state.append([(key, known[key].fingerprint if key in known else None) for key in sorted(shown)])
    return state


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> Iterator[str]:
    """``env-get-updated``: pages whose casebook content changed although they were not re-read."""
    domain = get_domain(env)
    data = domain.data
    pages = set(data["listings"]) | set(data["indexes"]) | set(data["cases"]) | set(data["refs"])
    pages |= set(data["guides"]) | set(page_citations(env)) | bibliography_pages(env)
    for docname in sorted(pages):
        digest = page_digest(domain, docname)
        if data["digests"].get(docname) != digest:
            data["digests"][docname] = digest
            yield docname


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: problems only visible with every case read (ids, related cases)."""
    domain = get_domain(env)
    index = domain.index
    check_resources(env, domain)
    for entry, first in index.duplicates:
        logger.warning(
            "%s",
            duplicate_id_message(entry.case.id, env.doc2path(first.docname, base=False), first.lineno),
            type=WARNING_TYPE,
            subtype="duplicate_id",
            location=(entry.docname, entry.lineno),
        )
    for item, first in index.duplicate_entries:
        logger.warning(
            "duplicate id %r (first declared in %s, line %s)",
            item.id,
            env.doc2path(first.docname),
            first.lineno,
            type=WARNING_TYPE,
            subtype="duplicate_id",
            location=(item.docname, item.lineno),
        )
    for question in index.questions.values():
        for case_id in question.cases:
            if case_id not in index.by_id:
                from casebook_ext.schema import suggest

                logger.warning(
                    "question %r names case %r, which does not exist%s",
                    question.id,
                    case_id,
                    suggest(case_id, list(index.by_id)),
                    type=WARNING_TYPE,
                    subtype="unknown_case",
                    location=(question.docname, question.lineno),
                )
    for entry in index.by_id.values():
        for relation in entry.case.related:
            if relation.target not in index.by_id:
                from casebook_ext.schema import suggest

                logger.warning(
                    "%s",
                    unknown_related_message(relation.target, index.by_id),
                    type=WARNING_TYPE,
                    subtype="unknown_related",
                    location=(entry.docname, entry.line_of("related")),
                )

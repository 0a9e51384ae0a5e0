"""The resource guide: resources grouped by kind or ROAR pillar, each with the cases that cite it.

Rendered late (like every listing) from the environment, so editing a .bib file or a
citation updates every page that shows the entry; checks that need every citation
run once per build, in the main process.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from casebook_ext.bibliography import bib_data, bib_files, format_entry, page_citations, resources
from casebook_ext.panel import append_joined, doc_link, term_xref
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.resources import KINDS, Resource, entry_line

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from casebook_ext.domain import CasebookDomain, CaseEntry

logger = logging.getLogger(__name__)


def resource_anchor(key: str) -> str:
    return "casebook-resource-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


@dataclass
class Citers:
    """Who cites a resource: cases through their resources field, pages through citation roles."""

    cases: list[CaseEntry] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def citers(env: BuildEnvironment, domain: CasebookDomain) -> dict[str, Citers]:
    out: dict[str, Citers] = defaultdict(Citers)
    case_pages: dict[str, set[str]] = defaultdict(set)
    for entry in domain.index.by_id.values():
        for key in entry.case.resources:
            out[key].cases.append(entry)
            case_pages[key].add(entry.docname)
    cited_by_page = page_citations(env)
    for docname, refs in domain.data["refs"].items():
        cited_by_page[docname].update(target for reftype, target in refs if reftype == "resource")
    for docname, keys in sorted(cited_by_page.items()):
        for key in sorted(keys):
            if docname not in case_pages[key]:
                out[key].pages.append(docname)
    for item in out.values():
        item.cases.sort(key=lambda e: e.case.title.casefold())
    return out


def _entry_nodes(env: BuildEnvironment, resource: Resource) -> list[nodes.Node]:
    data = bib_data(env)
    assert data is not None
    formatted, _ = format_entry(env, data.entries[resource.key], resource)
    return formatted


def _guide_link(docname: str, key: str, text: str) -> addnodes.pending_xref:
    return term_xref(docname, "resource", key, text)


def resource_list(env: BuildEnvironment, docname: str, keys: tuple[str, ...]) -> nodes.Element:
    """A case's resources as formatted references, each linked to its guide entry."""
    known = resources(env)
    items = nodes.bullet_list(classes=["casebook-resources"])
    for key in keys:
        para = nodes.paragraph()
        resource = known.get(key)
        if resource is None:
            para += nodes.literal(key, key)
        else:
            para.extend(_entry_nodes(env, resource))
            para += nodes.Text(" ")
            para += _guide_link(docname, key, "(in the resource guide)")
        items += nodes.list_item("", para)
    return items


def _cited_in(domain: CasebookDomain, docname: str, who: Citers) -> nodes.paragraph:
    from casebook_ext.listings import case_link

    para = nodes.paragraph(classes=["casebook-cited-in"])
    if not who.cases and not who.pages:
        para += nodes.emphasis("Not yet cited by any case or page.", "Not yet cited by any case or page.")
        return para
    para += nodes.strong("Cited in:", "Cited in:")
    para += nodes.Text(" ")
    links: list[nodes.Node] = [case_link(docname, e) for e in who.cases]
    links += [doc_link(docname, page) for page in who.pages]
    append_joined(para, links, "; ")
    return para


def guide(
    env: BuildEnvironment, domain: CasebookDomain, docname: str, group_by: str, needs_link: bool
) -> list[nodes.Node]:
    """The guide's groups; the ``kind`` view carries each entry's stable anchor."""
    known = resources(env)
    who = citers(env, domain)
    chosen = sorted(
        (r for r in known.values() if not needs_link or not r.link), key=lambda r: (r.title.casefold(), r.key)
    )
    groups: dict[str, list[Resource]] = defaultdict(list)
    headings: dict[str, str]
    if group_by == "pillar":
        vocabulary = domain.vocabularies["pillar"]
        headings = {slug: term.label for slug, term in vocabulary.items()} | {"": "Not yet tied to a pillar"}
        for resource in chosen:
            pillars = set(resource.pillars)
            for case_entry in who[resource.key].cases:
                pillars.update(case_entry.case.pillars)
            for pillar in [p for p in vocabulary if p in pillars] or [""]:
                groups[pillar].append(resource)
    else:
        headings = dict(KINDS)
        for resource in chosen:
            groups[resource.kind].append(resource)

    anchored = group_by == "kind" and not needs_link
    out: list[nodes.Node] = []
    for slug, heading in headings.items():
        members = groups.get(slug, [])
        if not members:
            continue
        title = f"{heading} ({len(members)})"
        block = nodes.container(classes=["casebook-guide-group"])
        block += nodes.rubric(title, title)
        items = nodes.bullet_list(classes=["casebook-guide"])
        for resource in members:
            item = nodes.list_item()
            if anchored:
                item += nodes.target("", "", ids=[resource_anchor(resource.key)])
            para = nodes.paragraph()
            para.extend(_entry_nodes(env, resource))
            if resource.unverified:
                para += nodes.Text(" ")
                para += nodes.emphasis("Details not yet verified.", "Details not yet verified.")
            if not anchored:
                para += nodes.Text(" ")
                para += _guide_link(docname, resource.key, "(details)")
            item += para
            item += _cited_in(domain, docname, who[resource.key])
            items += item
        block += items
        out.append(block)
    if not out:
        text = "Every resource has a link." if needs_link else "No resources yet."
        out.append(nodes.paragraph(text, text, classes=["casebook-empty"]))
    return out


def check(env: BuildEnvironment, domain: CasebookDomain) -> None:
    """Warn, once per entry, about resources that would mislead or fail a reader."""
    data = bib_data(env)
    if data is None:
        return
    from casebook_ext.bibliography import format_entry as fmt

    who = citers(env, domain)
    files = bib_files(env)
    for key, resource in resources(env).items():
        cited = who.get(key)
        location = _location(env, cited, key, files)
        _, missing = fmt(env, data.entries[key], resource)
        if missing:
            logger.warning(
                "resource %r lacks the field %r that its style requires, so a bibliography would show it "
                "without its link",
                key,
                missing,
                type=WARNING_TYPE,
                subtype="resource_missing_field",
                location=location,
            )
        if not resource.link:
            logger.warning(
                "resource %r has neither a DOI nor a URL",
                key,
                type=WARNING_TYPE,
                subtype="resource_no_link",
                location=location,
            )
        if cited is None or (not cited.cases and not cited.pages):
            logger.warning(
                "resource %r is not cited by any case or page",
                key,
                type=WARNING_TYPE,
                subtype="resource_uncited",
                location=location,
            )


def _location(env: BuildEnvironment, cited: Citers | None, key: str, files: list[Path]) -> tuple[str, int] | str:
    """The first case citing the entry (its resources line), else the entry's line in its .bib file."""
    if cited is not None and cited.cases:
        first = cited.cases[0]
        return first.docname, first.line_of("resources")
    for path in files:
        line = entry_line(path, key)
        if line is not None:
            return f"{path}:{line}"
    return f"{files[0]}:" if files else "bibtex_bibfiles:"

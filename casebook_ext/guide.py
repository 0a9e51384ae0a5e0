"""The resource guide: every source once with the cases that cite it, and views by ROAR pillar or missing link.

Rendered late (like every listing) from the environment, so editing a .bib file or a
citation updates every page that shows the entry. The ``kind`` view carries each entry's
stable anchor, its full reference and who cites it; the other views list short labels that
link to it, so no reference or "cited in" list is printed twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docutils import nodes

from casebook_ext import bibliography
from casebook_ext.formatting import format_entry
from casebook_ext.model import CaseEntry, resource_anchor
from casebook_ext.resources import KINDS, Resource
from casebook_ext.xrefs import append_joined, doc_link, term_xref

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from casebook_ext.domain import CasebookDomain


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
    cited_by_page = bibliography.page_citations(env)
    for docname, refs in domain.store["refs"].items():
        cited_by_page[docname].update(target for reftype, target in refs if reftype == "resource")
    for docname, keys in sorted(cited_by_page.items()):
        for key in sorted(keys):
            if docname not in case_pages[key]:
                out[key].pages.append(docname)
    for item in out.values():
        item.cases.sort(key=lambda e: e.case.title.casefold())
    return out


def full_reference(env: BuildEnvironment, resource: Resource) -> list[nodes.Node]:
    """The entry as the site's bibliography style formats it."""
    data = bibliography.bib_data(env)
    assert data is not None
    formatted, _ = format_entry(data, env.config.bibtex_default_style, resource)
    return formatted


def source_anchor(key: str) -> str:
    """The id of a source in a case page's own list of sources."""
    return resource_anchor(key).replace("casebook-resource-", "casebook-source-", 1)


def sources_field(env: BuildEnvironment, docname: str, keys: tuple[str, ...]) -> nodes.field:
    """The panel's "Sources" row: short citations, each a link to the full entry at the foot of the page."""
    labels = bibliography.labels(env)
    items: list[nodes.Node] = []
    for key in keys:
        label = labels.get(key, key)
        inline = nodes.inline(label, label, classes=["casebook-term"])
        items.append(nodes.reference("", "", inline, internal=True, refid=source_anchor(key)))
    name = "Sources"
    body = append_joined(nodes.paragraph(), items, "; ")
    return nodes.field("", nodes.field_name(name, name), nodes.field_body("", body), classes=["casebook-field-sources"])


def page_sources(env: BuildEnvironment, domain: CasebookDomain, docname: str) -> nodes.Element:
    """A case page's sources in full: its cases' resources and every key its text cites, by label."""
    keys: set[str] = set(bibliography.page_citations(env).get(docname, ()))
    for entry in domain.store["cases"].get(docname, ()):
        keys.update(entry.case.resources)
    known = bibliography.resources(env)
    labels = bibliography.labels(env)
    items = nodes.bullet_list(classes=["casebook-source-list"])
    for key in sorted(keys, key=lambda k: ((labels.get(k) or k).casefold(), k)):
        item = nodes.list_item(ids=[source_anchor(key)])
        para = nodes.paragraph()
        resource = known.get(key)
        if resource is None:
            para += nodes.literal(key, key)
        else:
            label = labels.get(key, key)
            para += nodes.strong(label, label, classes=["casebook-label"])
            para += nodes.Text(" \u2014 ")
            para.extend(full_reference(env, resource))
            if domain.index.hosts.get("resource"):
                para += nodes.Text(" ")
                para += term_xref(docname, "resource", key, "(in the resource guide)")
        item += para
        items += item
    return items


def _cited_in(docname: str, who: Citers) -> nodes.paragraph:
    para = nodes.paragraph(classes=["casebook-cited-in"])
    if not who.cases and not who.pages:
        para += nodes.emphasis("Not yet cited by any case or page.", "Not yet cited by any case or page.")
        return para
    para += nodes.strong("Cited in:", "Cited in:")
    para += nodes.Text(" ")
    links: list[nodes.Node] = [term_xref(docname, "case", e.case.id, e.case.title, optional=False) for e in who.cases]
    links += [doc_link(docname, page) for page in who.pages]
    append_joined(para, links, "; ")
    return para


def _label(env: BuildEnvironment, key: str) -> str:
    return bibliography.labels(env).get(key, key)


def _entry(env: BuildEnvironment, docname: str, resource: Resource, who: Citers) -> nodes.list_item:
    """A full entry of the ``kind`` view: anchor, label, reference, and who cites it."""
    item = nodes.list_item()
    item += nodes.target("", "", ids=[resource_anchor(resource.key)])
    para = nodes.paragraph()
    label = _label(env, resource.key)
    para += nodes.strong(label, label, classes=["casebook-label"])
    para += nodes.Text(" \u2014 ")
    para.extend(full_reference(env, resource))
    if resource.unverified:
        para += nodes.Text(" ")
        note = "Listed in the round-up report; details not yet verified."
        para += nodes.emphasis(note, note)
    item += para
    item += _cited_in(docname, who)
    return item


def _pointer(env: BuildEnvironment, docname: str, resource: Resource) -> nodes.list_item:
    """A short line of the other views: label and title, linking to the full entry."""
    para = nodes.paragraph()
    label = _label(env, resource.key)
    para += term_xref(docname, "resource", resource.key, label)
    para += nodes.Text(f" \u2014 {resource.title}")
    return nodes.list_item("", para)


def guide(
    env: BuildEnvironment, domain: CasebookDomain, docname: str, group_by: str, needs_link: bool
) -> list[nodes.Node]:
    """The guide's groups, each a section with its count."""
    known = bibliography.resources(env)
    who = citers(env, domain)
    chosen = sorted(
        (r for r in known.values() if not needs_link or not r.link),
        key=lambda r: (str(_label(env, r.key)).casefold(), r.key),
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

    full = group_by == "kind" and not needs_link
    out: list[nodes.Node] = []
    jumps = nodes.paragraph(classes=["casebook-guide-jumps"])
    for slug, heading in headings.items():
        members = groups.get(slug, [])
        if not members:
            continue
        title = f"{heading} ({len(members)})"
        anchor = f"casebook-guide-{group_by}-{slug or 'none'}"
        if len(jumps):
            jumps += nodes.Text(" \u00b7 ")
        jumps += nodes.reference(title, title, refid=anchor, internal=True)
        block = nodes.container(classes=["casebook-guide-group"])
        block += nodes.target("", "", ids=[anchor])
        block += nodes.rubric(title, title)
        items = nodes.bullet_list(classes=["casebook-guide"])
        for resource in members:
            items += _entry(env, docname, resource, who[resource.key]) if full else _pointer(env, docname, resource)
        block += items
        out.append(block)
    if len(out) > 1:  # a long page: the reader can jump to a group rather than scroll through them
        out.insert(0, jumps)
    if not out:
        text = "Every resource has a link." if needs_link else "No resources yet."
        out.append(nodes.paragraph(text, text, classes=["casebook-empty"]))
    return out

"""What only a whole read page tells the domain: its section titles, its links and its toctree children.

Collected at ``doctree-read`` from the page's own doctree, so it is stored per document like
everything else and never depends on what another process happened to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from casebook_ext.citeblock import casebook_citation
from casebook_ext.domain import get_domain
from casebook_ext.nodes import casebook_facts, casebook_sources

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def section_titles(doctree: nodes.document) -> tuple[str, ...]:
    """Titles of the second-level sections (the ``##`` headings under the page title)."""
    return tuple(
        section[0].astext()
        for top in doctree.children
        if isinstance(top, nodes.section)
        for section in top.children
        if isinstance(section, nodes.section) and section.children and not set(section["ids"]) & ADDED_SECTIONS
    )


def anchor_cases_on_titles(doctree: nodes.document) -> None:
    """Move each page's first case anchor onto its title section, so a link to the case shows its title.

    docutils has already moved the directive's target id onto the panel that follows it.
    """
    for panel in doctree.findall(casebook_facts):
        section = panel.parent
        anchors = [i for i in panel["ids"] if i.startswith("casebook-case-")]
        if not isinstance(section, nodes.section) or not anchors:
            continue
        if any(i.startswith("casebook-case-") for i in section["ids"]):
            continue  # a second case in the same section keeps its anchor on its panel
        panel["ids"].remove(anchors[0])
        section["ids"].append(anchors[0])
        doctree.ids[anchors[0]] = section


SOURCES_TITLE = "Sources"
CITE_TITLE = "Cite this case"
#: The ids of the sections the casebook adds to a case page (not the contributor's own sections).
ADDED_SECTIONS = frozenset({"casebook-sources", "casebook-cite"})
#: ``doctree-read`` priority that runs before Sphinx collects the page's table of contents (500).
BEFORE_CONTENTS = 400


def add_case_sections(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` (before the page's contents are collected): end a case page with its sources.

    The list is filled when the page is written: it holds every source the page uses, so a
    contributor never writes a "Sources" section by hand and none is left out.
    """
    docname = app.env.docname
    cases = get_domain(app.env).store["cases"].get(docname)
    if not cases:
        return
    top = next((child for child in doctree.children if isinstance(child, nodes.section)), None)
    if top is None:
        return
    cite = nodes.section(ids=["casebook-cite"], names=["casebook-cite"], classes=["casebook-cite-section"])
    cite += nodes.title(CITE_TITLE, CITE_TITLE)
    for entry in cases:
        cite += casebook_citation(case_id=entry.case.id)
    top += cite
    section = nodes.section(ids=["casebook-sources"], names=["casebook-sources"], classes=["casebook-sources"])
    section += nodes.title(SOURCES_TITLE, SOURCES_TITLE)
    section += casebook_sources(docname=docname)
    top += section


def collect_page(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note the page's sections, its links into the domain and its toctree children."""
    env = app.env
    anchor_cases_on_titles(doctree)
    refs = {
        (str(xref["reftype"]), str(xref["reftarget"]))
        for xref in doctree.findall(addnodes.pending_xref)
        if xref.get("refdomain") == "casebook"
    }
    found = env.found_docs
    children = [d for toctree in doctree.findall(addnodes.toctree) for _, d in toctree["entries"] if d in found]
    get_domain(env).note_page(env.docname, section_titles(doctree), refs, children)

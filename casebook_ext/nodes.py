"""Placeholder nodes: written while reading, replaced late by :mod:`casebook_ext.transforms`.

Listings depend on every case, so they are kept as placeholders in the pickled doctree
and filled from the environment when a page is written; that is what keeps incremental
builds correct. Every builder runs the post-transform, so no writer ever sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


class casebook_facts(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """A case's facts panel (attribute ``case_id``): a summary and a field list, in every builder."""


def _visit_facts_html(self: HTML5Translator, node: casebook_facts) -> None:
    attributes = {"aria-label": "Facts of the case"}
    self.body.append(self.starttag(node, "aside", CLASS="casebook-facts", **attributes))  # type: ignore[arg-type]


def _depart_facts_html(self: HTML5Translator, node: casebook_facts) -> None:
    self.body.append("</aside>\n")


def _pass(self: object, node: Element) -> None:
    """Render the children as they are (LaTeX gets a facts table from :mod:`casebook_ext.latex` first)."""


class casebook_listing(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """A list or table of the cases a query selects (attributes ``kind``, ``query``, ``columns``)."""


class casebook_index(nodes.General, nodes.Element):  # noqa: N801
    """Every term of one taxonomy with the cases filed under it (attribute ``taxonomy``)."""


class casebook_related(nodes.General, nodes.Element):  # noqa: N801
    """A case's related cases in both directions (attribute ``case_id``)."""


class casebook_resources(nodes.General, nodes.Element):  # noqa: N801
    """A case's resources as formatted references (attribute ``keys``)."""


class casebook_guide(nodes.General, nodes.Element):  # noqa: N801
    """The resource guide, grouped by ``group_by``; ``needs_link`` keeps entries with no link."""


class casebook_sources(nodes.General, nodes.Element):  # noqa: N801
    """Every source a case page uses, in full (attribute ``docname``: LaTeX fills it inside the whole book)."""


class casebook_review_flag(nodes.Inline, nodes.Element):  # noqa: N801
    """ "Due for review" after a case's last review date, when it is (attribute ``case_id``)."""


class casebook_wanted_status(nodes.General, nodes.Element):  # noqa: N801
    """The heading of a wanted case: still wanted, or a link to the case written since."""


class casebook_stats(nodes.General, nodes.Element):  # noqa: N801
    """The casebook's counts (cases, countries, sources, questions), filled when the page is written."""


class casebook_question_index(nodes.General, nodes.Element):  # noqa: N801
    """Every question, grouped by theme."""


class casebook_wanted_index(nodes.General, nodes.Element):  # noqa: N801
    """Every wanted case, with a link to its case once it has been written."""


PLACEHOLDERS: tuple[type[nodes.Element], ...] = (
    casebook_listing,
    casebook_index,
    casebook_related,
    casebook_resources,
    casebook_guide,
    casebook_sources,
    casebook_stats,
    casebook_review_flag,
    casebook_wanted_status,
    casebook_question_index,
    casebook_wanted_index,
)


def _skip(self: object, node: Element) -> None:
    raise nodes.SkipNode


def register_placeholder(app: Sphinx, node_class: type[nodes.Element]) -> None:
    """A node filled late; should one ever reach a writer, it is skipped, not fatal."""
    visitors = {name: (_skip, None) for name in ("html", "latex", "text", "man", "texinfo")}
    app.add_node(node_class, **visitors)  # type: ignore[arg-type]


def register(app: Sphinx) -> None:
    """Register the placeholders and the facts panel."""
    for node_class in PLACEHOLDERS:
        register_placeholder(app, node_class)
    app.add_node(
        casebook_facts,
        html=(_visit_facts_html, _depart_facts_html),
        **{name: (_pass, _pass) for name in ("latex", "text", "man", "texinfo")},  # type: ignore[arg-type]
    )

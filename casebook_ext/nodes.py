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


class casebook_completeness(nodes.General, nodes.Element):  # noqa: N801
    """A case's completeness indicator (attribute ``case_id``)."""


def _placeholders() -> tuple[type[nodes.Element], ...]:
    from casebook_ext.questions import casebook_question_index, casebook_wanted_index

    return (
        casebook_listing,
        casebook_index,
        casebook_related,
        casebook_resources,
        casebook_guide,
        casebook_completeness,
        casebook_question_index,
        casebook_wanted_index,
    )


def _skip(self: object, node: Element) -> None:
    raise nodes.SkipNode


def register(app: Sphinx) -> None:
    """Register the placeholders; should one ever reach a writer, it is skipped, not fatal."""
    visitors = {name: (_skip, None) for name in ("html", "latex", "text", "man", "texinfo")}
    for node_class in _placeholders():
        app.add_node(node_class, **visitors)  # type: ignore[arg-type]

"""Pending cross-references the casebook creates itself: to cases, terms, resources and pages.

They are resolved by Sphinx like any written role, so links work in every builder and an
incremental build re-resolves them.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes
from sphinx import addnodes


def term_xref(
    docname: str, reftype: str, target: str, label: str, optional: bool = True, explicit: bool = True
) -> addnodes.pending_xref:
    """A link to a case or a term's listing; ``optional`` links fall back to plain text.

    With ``explicit=False`` the link shows the target's own title once resolved.
    """
    xref = addnodes.pending_xref(
        "",
        nodes.inline(label, label, classes=["casebook-term"]),
        refdomain="casebook",
        reftype=reftype,
        reftarget=target,
        refdoc=docname,
        refexplicit=explicit,
        refwarn=False,
    )
    xref["casebook_optional"] = optional
    return xref


def doc_link(docname: str, target: str) -> addnodes.pending_xref:
    """A link to another page by docname, showing that page's title once resolved."""
    return addnodes.pending_xref(
        "",
        nodes.inline(target, target),
        refdomain="std",
        reftype="doc",
        reftarget=f"/{target}",
        refdoc=docname,
        refexplicit=False,
        refwarn=True,
    )


def append_joined(para: nodes.Element, items: Sequence[nodes.Node], sep: str = ", ") -> nodes.Element:
    """Append ``items`` to ``para`` with ``sep`` between them."""
    for i, item in enumerate(items):
        if i:
            para += nodes.Text(sep)
        para += item
    return para


def joined(items: Sequence[nodes.Node], sep: str = ", ") -> nodes.paragraph:
    para = nodes.paragraph()
    append_joined(para, items, sep)
    return para

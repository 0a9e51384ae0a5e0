"""Glue to sphinxcontrib-bibtex: a case's resources become real citations.

The ``cite:p`` role of sphinxcontrib-bibtex is called exactly as if the contributor had
written it, so unknown keys, styles and the bibliography page behave as they do for
any other citation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.util.docutils import SphinxDirective


def resource_nodes(directive: SphinxDirective, keys: tuple[str, ...]) -> list[nodes.Node]:
    """Citation nodes for ``keys``; plain keys when sphinxcontrib-bibtex is not loaded."""
    if not keys:
        return []
    if "cite" not in directive.env.domains:
        return [nodes.literal(", ".join(keys), ", ".join(keys))]
    role = directive.env.domains["cite"].role("p")
    assert role is not None
    text = ",".join(keys)
    result, messages = role("cite:p", f":cite:p:`{text}`", text, directive.lineno, directive.state.inliner, {}, [])
    return [*result, *messages]

"""Keep each page's navigation bounded, so a large casebook builds in linear time.

Themes such as furo render the whole toctree into every page's sidebar: with thousands
of cases every page links to every other and both output size and build time grow with
the square of the number of cases. Collapsing the tree to the current page's branch
keeps each page's sidebar to its ancestors and siblings (group cases in sub-toctrees).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: Run before themes' own ``html-page-context`` handlers (default priority 500) read the toctree.
PRIORITY = 400


def collapse_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``: make every ``toctree()`` call in templates collapse other branches."""
    if not app.config.casebook_collapse_navigation:
        return
    toctree: Callable[..., str] | None = context.get("toctree")
    if toctree is None:
        return

    def collapsed(**kwargs: Any) -> str:
        kwargs["collapse"] = True
        return toctree(**kwargs)

    context["toctree"] = collapsed

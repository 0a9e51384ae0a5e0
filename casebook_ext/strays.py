"""Cases the markup showed as text: ``.. case::`` in a Markdown page, ``:::{case}`` without ``colon_fence``.

Neither parser says a word about these: the text is a plain paragraph to them. Read at
``doctree-read`` from the page's paragraphs, with the same rule ``casebook check`` applies to
the tokens it reads (:func:`casebook_ext.caseblock.stray_case`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from casebook_ext.caseblock import Markup, stray_case
from casebook_ext.problems import WARNING_TYPE

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def _markup(app: Sphinx, source: str, fallback: Markup) -> Markup:
    """The markup a file is read as: by its suffix's parser, else as the page holding it."""
    suffixes = app.config.source_suffix
    kind = suffixes.get(Path(source).suffix) if isinstance(suffixes, dict) else None
    if kind is None:
        return fallback
    return "myst" if kind == "markdown" else "rst"


def warn_stray_cases(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: warn at each paragraph that is a case directive its markup did not read."""
    page = str(app.env.doc2path(app.env.docname))
    page_markup = _markup(app, page, "rst")
    for paragraph in doctree.findall(nodes.paragraph):
        source = paragraph.source or page
        found = stray_case(paragraph.astext(), _markup(app, source, page_markup))
        if found is not None:
            offset, subtype, message = found
            location = f"{source}:{paragraph.line + offset}" if paragraph.line else (app.env.docname, None)
            logger.warning("%s", message, type=WARNING_TYPE, subtype=subtype, location=location)

"""Link checking that keeps a bibliography alive: the ``casebook_ext.linkcheck`` extension.

Add ``"casebook_ext.linkcheck"`` to ``extensions``; then run ``sphinx-build -b casebook-linkcheck
docs OUT`` or ``python -m casebook_ext.linkcheck``.

``collect`` gathers links and their places from the environment, ``check`` fetches them
politely (through ``fetch``, on httpx), ``anchors`` finds ``#fragments`` in pages, ``cache``
remembers results, ``changes`` narrows a run to what a pull request touched, and ``report``
writes JSON, Markdown and the console summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casebook_ext import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The core's event for extra rows on its generated reference page (``casebook_ext.reference``).
REFERENCE_EVENT = "casebook-reference-rows"


def _reference_rows(app: Sphinx, part: str) -> list[tuple[str, ...]]:
    from casebook_ext.linkcheck.config import reference_rows

    return reference_rows(part)


def setup(app: Sphinx) -> dict[str, Any]:
    from casebook_ext.linkcheck import config
    from casebook_ext.linkcheck.builder import LinkcheckBuilder
    from casebook_ext.linkcheck.directive import LinkcheckSchemaDirective

    app.setup_extension("casebook_ext")  # links are mapped to the casebook's cases
    config.register(app)
    app.add_builder(LinkcheckBuilder)
    app.add_directive("casebook-linkcheck-schema", LinkcheckSchemaDirective)
    app.connect(REFERENCE_EVENT, _reference_rows)  # its settings and warning subtypes on the reference page
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

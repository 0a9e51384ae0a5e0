"""Roles that link to a case (``case``) or to a taxonomy term's listing (``pillar``, ``country``...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.roles import XRefRole

if TYPE_CHECKING:
    from docutils.nodes import Element, Node, system_message
    from sphinx.environment import BuildEnvironment


class CasebookRole(XRefRole):
    """An xref into the casebook domain that also works without the ``casebook:`` prefix.

    Each use is noted per page, so a page that names a case is rewritten when that
    case's title or location changes.
    """

    def run(self) -> tuple[list[Node], list[system_message]]:
        if ":" not in self.name:
            self.name = f"casebook:{self.name}"
        return super().run()

    def result_nodes(
        self, document: object, env: BuildEnvironment, node: Element, is_ref: bool
    ) -> tuple[list[Node], list[system_message]]:
        from casebook_ext.domain import get_domain

        get_domain(env).note_ref(env.docname, node["reftype"], node["reftarget"])
        return [node], []

"""The casebook's roles without their ``casebook:`` prefix (``case``, ``pillar``...), for sites that opt in.

The domain's own roles are ``casebook:case``, ``casebook:pillar`` and so on. Short names are
registered only when ``casebook_short_roles`` is true, so that they never clash with another
extension's ``status`` or ``level`` role unless a site asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.roles import XRefRole

from casebook_ext.domain import CasebookDomain

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.config import Config


class ShortRole(XRefRole):
    """A ``casebook:`` cross-reference role under its short name."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        if ":" not in self.name:
            self.name = f"casebook:{self.name}"
        return super().run()


def register_short_roles(app: Sphinx, config: Config) -> None:
    """``config-inited``: add the short names when the site asks for them."""
    if not config.casebook_short_roles:
        return
    for name in CasebookDomain.roles:
        app.add_role(name, ShortRole(innernodeclass=nodes.inline), override=True)

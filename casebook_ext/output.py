"""The casebook's own static files (stylesheet, script, icons), published as a static path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC = Path(__file__).parent / "static"


def add_static_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: publish ``static/`` (no CDN: the site works offline) as a static path.

    Added here, before the environment compares configurations, so the value Sphinx stores
    is the value the next build starts with: an unchanged rebuild sees an unchanged setting.
    """
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))

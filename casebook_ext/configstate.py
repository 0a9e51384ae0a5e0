"""An unchanged rebuild sees an unchanged configuration.

Sphinx stores the configuration with the environment when it has read the pages, and compares it
with the next build's ``conf.py`` to decide what changed. Extensions and themes adjust some values
once the builder starts (sphinx-design adds its static folder to ``html_static_path``, Sphinx adds
priorities to ``html_css_files``, the theme fills in ``pygments_dark_style``), so every rebuild of an
unchanged site reported "The configuration has changed". The values are stored as ``conf.py`` and
the extensions' own setup gave them, and given back to the builder before it writes.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: Run after every extension's ``config-inited`` handler (Sphinx's own run at 800).
LATE = 990

_initial: dict[str, Any] = {}
_adjusted: dict[str, Any] = {}


def _values(config: Config) -> dict[str, Any]:
    return {item.name: item.value for item in config}


def remember(app: Sphinx, config: Config) -> None:
    """``config-inited``: the configuration as it is before the builder adjusts it."""
    _initial.clear()
    _adjusted.clear()
    for name, value in _values(config).items():
        try:
            _initial[name] = copy.deepcopy(value)
        except Exception:
            continue


def store_as_read(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` (the environment is stored next): put back the values the builder adjusted."""
    for name, value in _values(env.config).items():
        if name in _initial and value != _initial[name]:
            _adjusted[name] = value
            setattr(env.config, name, copy.deepcopy(_initial[name]))


def give_back(app: Sphinx, builder: Builder) -> None:
    """``write-started``: the builder writes with the values it adjusted."""
    for name, value in _adjusted.items():
        setattr(builder.config, name, value)
    _adjusted.clear()

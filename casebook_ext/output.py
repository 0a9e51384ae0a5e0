"""Files the casebook adds to an HTML build: its stylesheet and the case JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from casebook_ext.config import settings_of
from casebook_ext.json_schema import case_json_schema

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC = Path(__file__).parent / "static"
SCHEMA_NAME = "casebook-case.schema.json"


def add_static_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: publish ``static/`` (no CDN: the site works offline) as a static path.

    Added here, before the environment compares configurations, so the value Sphinx stores
    is the value the next build starts with: an unchanged rebuild sees an unchanged setting.
    """
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def write_schema(app: Sphinx, exception: Exception | None) -> None:
    """Publish the case JSON Schema beside the HTML."""
    if exception is not None or app.builder.format != "html":
        return
    settings = settings_of(app.config)
    schema = case_json_schema(settings.vocabularies(), settings.summary_max_length)
    (Path(app.outdir) / SCHEMA_NAME).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")

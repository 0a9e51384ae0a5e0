"""Files the casebook adds to an HTML build: its stylesheet and the case JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
SCHEMA_NAME = "casebook-case.schema.json"


def write_assets(app: Sphinx, exception: Exception | None) -> None:
    """Copy the stylesheet (no CDN: the guide works offline) and publish the case JSON Schema.

    Copied after the build rather than added to ``html_static_path``: changing a config
    value at run time makes Sphinx see a changed configuration on every later build.
    """
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util.fileutil import copy_asset_file

    copy_asset_file(STATIC / "casebook.css", Path(app.outdir) / "_static")
    from casebook_ext.config import from_sphinx
    from casebook_ext.json_schema import case_json_schema

    settings = from_sphinx(app.config)
    schema = case_json_schema(settings.vocabularies(), settings.summary_max_length)
    (Path(app.outdir) / SCHEMA_NAME).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")

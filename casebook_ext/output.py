"""Files the casebook adds to an HTML build: its stylesheet and the case JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
SCHEMA_NAME = "casebook-case.schema.json"


def add_static_files(app: Sphinx) -> None:
    """Ship the panel and listing styles with HTML builds (no CDN: the guide works offline)."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("casebook.css")


def write_schema(app: Sphinx, exception: Exception | None) -> None:
    """Publish the case JSON Schema beside the HTML, from the schema in force for this site."""
    if exception is not None or app.builder.format != "html":
        return
    from casebook_ext.config import from_sphinx
    from casebook_ext.json_schema import case_json_schema

    settings = from_sphinx(app.config)
    schema = case_json_schema(settings.vocabularies(), settings.summary_max_length)
    (Path(app.outdir) / SCHEMA_NAME).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")

"""Each HTML page loads what it uses, and the search index names things as they are written.

sphinx-design adds its stylesheet and script to every page; a page with no sphinx-design
component drops them. Sphinx HTML-escapes object names in ``searchindex.js`` and its search
script escapes them again, so titles with ``&`` or an apostrophe showed entities in search
results: the names are stored unescaped and escaped once, when shown.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SPHINX_DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")
_INDEX = re.compile(r"^Search\.setIndex\((?P<json>.*)\)\s*$", re.S)


def _uses_sphinx_design(doctree: nodes.document | None) -> bool:
    if doctree is None:
        return False
    for node in doctree.findall(nodes.Element):
        classes: list[str] = node.get("classes", [])
        if any(c.startswith("sd-") for c in classes):
            return True
    return False


def prune_unused_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``: no sphinx-design files on a page without a sphinx-design component."""
    if _uses_sphinx_design(doctree):
        return
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            files[:] = [f for f in files if not str(getattr(f, "filename", f)).endswith(SPHINX_DESIGN_ASSETS)]


def unescape_search_names(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: store object names in the search index as written (the search page escapes them)."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    match = _INDEX.match(text)
    if match is None:
        return
    index = json.loads(match.group("json"))
    objects = index.get("objects", {})
    fixed = {
        html.unescape(prefix): [[*entry[:4], html.unescape(entry[4])] for entry in entries]
        for prefix, entries in objects.items()
    }
    if fixed == objects:
        return
    index["objects"] = fixed
    path.write_text("Search.setIndex(" + json.dumps(index, separators=(",", ":"), ensure_ascii=False) + ")", "utf-8")

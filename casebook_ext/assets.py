"""Each HTML page loads what it uses, and the search index names things as they are written.

sphinx-design adds its stylesheet and script to every page; a page with no sphinx-design
component drops them. Sphinx HTML-escapes object names in ``searchindex.js`` and its search
script escapes them again, so titles with ``&`` or an apostrophe showed entities in search
results: the names are stored unescaped and escaped once, when shown. A case's own index entry
points at its page rather than its title's anchor, so that search lists the case once: Sphinx
merges a page's title match and index entry only when their anchors are the same.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from casebook_ext.collection import collector_paused
from casebook_ext.model import CASE_ANCHOR_PREFIX

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


#: Pages written in this build (the search index holds fresh index entries for these only).
_written: set[str] = set()
#: Beside the HTML: each page's index entries as the search index last held them.
ENTRIES_FILE = "_casebook/search-index-entries.json"


def note_written(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a page this build writes (and so feeds to the search index)."""
    _written.add(docname)


def reset_written(app: Sphinx) -> None:
    """``builder-inited``."""
    _written.clear()


def _keep_index_entries(index: dict[str, Any], outdir: Path) -> None:
    """Keep the index entries of pages this build did not write.

    Sphinx feeds a page's index entries to the search index while writing it, after the
    environment has been stored, so an incremental build's index holds only the entries of the
    pages it wrote. The entries are kept beside the HTML and merged back, so searching finds an
    organisation or a place after any build, as after a clean one.
    """
    docnames: list[str] = index["docnames"]
    fresh: dict[str, list[list[Any]]] = {}
    for term, hits in index.get("indexentries", {}).items():
        for doc, anchor, main in hits:
            at_page_top = isinstance(anchor, str) and anchor.startswith(CASE_ANCHOR_PREFIX)
            fresh.setdefault(docnames[doc], []).append([term, "" if at_page_top else anchor, main])
    path = outdir / ENTRIES_FILE
    try:
        kept: dict[str, list[list[Any]]] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    merged = {d: fresh.get(d, []) if d in _written or d not in kept else kept[d] for d in docnames}
    entries: dict[str, list[list[Any]]] = {}
    for position, docname in sorted(enumerate(docnames), key=lambda item: item[1]):
        for term, anchor, main in merged[docname]:
            entries.setdefault(term, []).append([position, anchor, main])
    index["indexentries"] = entries
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, sort_keys=True), encoding="utf-8")


def tidy_search_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: object names as written (the search page escapes them), and no index entry lost."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    match = _INDEX.match(path.read_text(encoding="utf-8"))
    if match is None:
        return
    with collector_paused():
        index = json.loads(match.group("json"))
        index["objects"] = {
            html.unescape(prefix): [[*entry[:4], html.unescape(entry[4])] for entry in entries]
            for prefix, entries in index.get("objects", {}).items()
        }
        _keep_index_entries(index, Path(app.outdir))
        # Written as Sphinx writes it, so a clean and an incremental build give the same file.
        text = "Search.setIndex(" + json.dumps(index, separators=(",", ":"), sort_keys=True) + ")"
    path.write_text(text, "utf-8")

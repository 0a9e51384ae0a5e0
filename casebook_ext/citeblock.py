"""The "Cite this case" block at the foot of every case page, in HTML, LaTeX and text.

The node holds only the case id; each writer asks :mod:`casebook_ext.exports` for the case's
record when it writes the page, so the citation uses the URL that builder publishes and the
same data as ``cases.json``. HTML gets the citation, a copy button, the BibTeX, RIS and
CSL-JSON texts and links to download them; print and text get the citation itself.
"""

from __future__ import annotations

import dataclasses
import html
from typing import TYPE_CHECKING, Any

from docutils import nodes

from casebook_ext import citeformats
from casebook_ext.domain import get_domain
from casebook_ext.exports import CITE_FOLDER, base_url, casebook_meta, record

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

TITLE = "Cite this case"


class casebook_citation(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """How to cite a case (attribute ``case_id``); written by each builder from the case's record."""


def _citation(translator: Any, node: casebook_citation) -> tuple[Any, Any] | None:
    env = translator.builder.env
    entry = get_domain(env).index.by_id.get(node["case_id"])
    if entry is None:
        return None
    return record(env, translator.builder, entry), casebook_meta(env)


def visit_html(self: HTML5Translator, node: casebook_citation) -> None:
    found = _citation(self, node)
    if found is None:
        raise nodes.SkipNode
    item, meta = found
    case_id = html.escape(item.case.id)
    root = self.builder.get_relative_uri(self.builder.current_docname, self.builder.config.root_doc)
    root = root.rsplit("/", 1)[0] + "/" if "/" in root else ""
    text = html.escape(citeformats.text(item, meta))
    out = [
        f'<div class="casebook-cite" id="casebook-cite-{case_id}">',
        f'<p class="casebook-cite-text" id="casebook-cite-text-{case_id}">{text}</p>',
        '<p class="casebook-cite-actions">',
        f'<button type="button" class="casebook-copy" data-copy="casebook-cite-text-{case_id}" hidden>'
        "Copy the citation</button> ",
        "<span>Download:</span> ",
    ]
    links = []
    for suffix, (label, mime, _) in citeformats.FORMATS.items():
        href = html.escape(f"{root}{CITE_FOLDER}/{item.case.id}.{suffix}")
        links.append(f'<a href="{href}" download type="{html.escape(mime)}">{html.escape(label)}</a>')
    out.append(" \u00b7 ".join(links) + "</p>")
    for suffix, (label, _, writer) in citeformats.FORMATS.items():
        block = html.escape(writer(item, meta))
        block_id = f"casebook-cite-{case_id}-{suffix}"
        out.append(
            f'<details class="casebook-cite-format"><summary>{html.escape(label)}</summary>'
            f'<pre id="{block_id}" tabindex="0">{block}</pre>'
            f'<button type="button" class="casebook-copy" data-copy="{block_id}" hidden>Copy</button></details>'
        )
    out.append("</div>\n")
    self.body.append("\n".join(out))
    raise nodes.SkipNode


def print_url(translator: LaTeXTranslator, docname: str) -> str:
    """The case's web address for print: the published page when the site has a base URL, else none."""
    root = base_url(translator.builder.env)
    if not root:
        return ""
    suffix = translator.config.html_file_suffix or ".html"
    return f"{root}{docname}{suffix}"


def visit_latex(self: LaTeXTranslator, node: casebook_citation) -> None:
    """The citation alone, set off; its BibTeX, RIS and CSL-JSON forms are the web's."""
    found = _citation(self, node)
    if found is None:
        raise nodes.SkipNode
    item, meta = found
    entry = get_domain(self.builder.env).index.by_id[node["case_id"]]
    on_title = entry.docname.rsplit("/", 1)[-1] == entry.case.id
    url = print_url(self, entry.docname)
    if url and not on_title:
        url += f"#{entry.anchor}"
    text = citeformats.text(dataclasses.replace(item, url=""), meta).rstrip()
    link = f" \\sphinxurl{{{self.encode_uri(url)}}}" if url else ""
    self.body.append("\n\\begin{casebookcitation}\n" + self.encode(text) + link + "\n\\end{casebookcitation}\n")
    raise nodes.SkipNode


def visit_text(self: TextTranslator, node: casebook_citation) -> None:
    found = _citation(self, node)
    if found is None:
        raise nodes.SkipNode
    item, meta = found
    self.new_state(0)
    self.add_text(citeformats.text(item, meta))
    self.end_state()
    raise nodes.SkipNode


def visit_other(self: Any, node: casebook_citation) -> None:
    raise nodes.SkipNode


def setup_citation(app: Sphinx) -> None:
    app.add_node(
        casebook_citation,
        html=(visit_html, None),
        latex=(visit_latex, None),
        text=(visit_text, None),
        man=(visit_other, None),
        texinfo=(visit_other, None),
    )

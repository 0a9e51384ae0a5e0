"""Shape the casebook for print: each case on a new page, its facts as a real table, index entries.

HTML keeps the boxed field list; in a book, a two-column table reads better and a case
that starts mid-page is hard to find. Only the LaTeX builder runs these transforms.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Table column widths (field name, value), in the proportions Sphinx gives LaTeX.
COLUMN_WIDTHS = (3, 9)
#: How index entries write a ``;`` that is part of a title (see ``directives.index_entries``).
INDEX_SEMICOLON = "\u037e"


def facts_table(panel: nodes.topic) -> list[nodes.Node]:
    """The panel's summary as a paragraph, then its fields as a two-column table."""
    out: list[nodes.Node] = []
    fields: nodes.field_list | None = None
    for child in panel.children:
        if isinstance(child, nodes.title):
            continue
        if isinstance(child, nodes.field_list):
            fields = child
        else:
            out.append(child)
    if fields is None:
        return out
    table = nodes.table(classes=["casebook-facts-table", "colwidths-given"])
    group = nodes.tgroup(cols=2)
    table += group
    for width in COLUMN_WIDTHS:
        group += nodes.colspec(colwidth=width)
    body = nodes.tbody()
    for field in fields.findall(nodes.field):
        name = field[0].astext()
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", "", nodes.strong(name, name)))
        row += nodes.entry("", *field[1].children)
        body += row
    group += body
    out.append(table)
    return out


class PrintCases(SphinxPostTransform):
    """In LaTeX: start each case page on a new page and typeset its facts panel as a table."""

    default_priority = 6  # after the listings are filled (5), before references resolve (10)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for panel in list(self.document.findall(nodes.topic)):
            if "casebook-facts" not in panel["classes"]:
                continue
            section = panel.parent
            while section is not None and not isinstance(section, nodes.section):
                section = section.parent
            if section is not None and section.parent is not None:
                section.parent.insert(section.parent.index(section), nodes.raw("", "\\clearpage\n", format="latex"))
            panel.replace_self(facts_table(panel))


class UnlinkPagesNotInTheBook(SphinxPostTransform):
    """In LaTeX: a link to a page the book leaves out (an ``only:: html`` toctree) becomes plain text.

    Sphinx resolves references before it drops ``only`` content, so without this the book would
    carry links to labels that no longer exist.
    """

    default_priority = 60  # after Sphinx's OnlyNodeTransform (50)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        kept = {self.env.docname, *(sof["docname"] for sof in self.document.findall(addnodes.start_of_file))}
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if uri.startswith("%") and uri[1:].split("#", 1)[0] not in kept:
                ref.replace_self(nodes.inline(ref.astext(), "", *ref.children))


def _index_part(text: str, engine: str) -> str:
    """One level of a makeindex/xindy entry, escaped as Sphinx's LaTeX writer escapes it."""
    from sphinx.util.texescape import escape

    value = escape(text, engine)
    value = value.replace(r"\{", r"\sphinxleftcurlybrace{}").replace(r"\}", r"\sphinxrightcurlybrace{}")
    value = value.replace('"', '""').replace("@", '"@').replace("!", '"!').replace("|", r"\textbar{}")
    return f"{value}@\\spxentry{{{value}}}"


class IndexSemicolons(SphinxPostTransform):
    """In LaTeX: write the index entries of titles holding ``;`` with a plain ``;``, which makeindex keeps.

    Sphinx's LaTeX writer would split the entry there as the HTML index does, and pdfLaTeX has no
    glyph for U+037E; the entry is written as the writer writes one, the ``;`` left in.
    """

    default_priority = 6
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        engine = self.config.latex_engine
        for node in list(self.document.findall(addnodes.index)):
            kept, raw = [], []
            for entry in node["entries"]:
                kind, value, _, main, _ = entry
                if kind != "single" or INDEX_SEMICOLON not in value:
                    kept.append(entry)
                    continue
                levels = [part.strip().replace(INDEX_SEMICOLON, ";") for part in value.split(";", 1)]
                raw.append(
                    f"\\index{{{'!'.join(_index_part(p, engine) for p in levels)}{'|spxpagem' if main else ''}}}"
                )
            if raw:
                node["entries"] = kept
                node.parent.insert(node.parent.index(node) + 1, nodes.raw("", "".join(raw), format="latex"))

"""What a landing page shows of the whole casebook: its counts, its downloads and how to cite it.

``casebook-stats`` counts cases, countries, sources and open questions from the domain (so the
numbers cannot drift from the content); ``casebook-downloads`` links the PDF edition and the
data files; ``casebook-citation`` cites the casebook as :file:`CITATION.cff` does.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.fileutil import copy_asset_file

from casebook_ext import bibliography
from casebook_ext.config import settings_of
from casebook_ext.directives import CasebookDirective
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.exports import casebook_meta
from casebook_ext.freshness import build_date
from casebook_ext.json_schema import SCHEMA_NAME
from casebook_ext.model import MULTIPLE_COUNTRIES
from casebook_ext.nodes import casebook_stats
from casebook_ext.xrefs import doc_link

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: The name the PDF edition is published under, beside the HTML.
PDF_NAME = "mission-casebook.pdf"


class casebook_downloads(nodes.General, nodes.Element):  # noqa: N801
    """Links to the PDF edition and the data files (HTML); a sentence naming them elsewhere."""


class casebook_book_citation(nodes.General, nodes.Element):  # noqa: N801
    """How to cite the casebook itself."""


class _Placeholder(CasebookDirective):
    node_class: type[nodes.Element]
    kind = ""

    def run(self) -> list[nodes.Node]:
        if self.kind:
            get_domain(self.env).note_guide(self.env.docname, self.kind)
        node = self.node_class()
        self.set_source_info(node)
        return [node]


class StatsDirective(_Placeholder):
    node_class = casebook_stats
    kind = "stats"


class DownloadsDirective(_Placeholder):
    node_class = casebook_downloads


class BookCitationDirective(_Placeholder):
    node_class = casebook_book_citation


def counts(env: Any, domain: CasebookDomain) -> dict[str, int]:
    cases = domain.cases()
    countries = {c for case in cases for c in case.countries if c != MULTIPLE_COUNTRIES}
    return {
        "cases": len(cases),
        "countries": len(countries),
        "sources": len(bibliography.resources(env)),
        "questions": len(domain.index.questions),
    }


def _host(domain: CasebookDomain, kind: str) -> str | None:
    """The first page (in docname order) holding a listing of ``kind``."""
    guides = domain.store["guides"]
    return next((d for d in sorted(guides) if kind in guides[d]), None)


def stats(env: Any, domain: CasebookDomain, docname: str) -> nodes.Element:
    """``19 cases · 11 countries · 216 sources · 24 open questions``, each word a link where a page lists them."""
    numbers = counts(env, domain)
    targets = {
        "cases": _host(domain, "finder"),
        "countries": domain.index.hosts.get("country"),
        "sources": domain.index.hosts.get("resource"),
        "questions": _host(domain, "questions"),
    }
    words = {"cases": "case", "countries": "country", "sources": "source", "questions": "open question"}
    para = nodes.paragraph(classes=["casebook-stats"])
    for i, (key, number) in enumerate(numbers.items()):
        if i:
            para += nodes.Text(" \u00b7 ")
        word = words[key] if number == 1 else ("countries" if key == "countries" else words[key] + "s")
        para += nodes.strong(str(number), str(number), classes=["casebook-count", f"casebook-count-{key}"])
        para += nodes.Text(" ")
        # The number stays outside the link: Sphinx resolves a page link by rewriting its content as
        # plain text, which dropped the number's element (and its class and styling) from the page.
        target = targets[key]
        if target:
            link = doc_link(docname, target)
            link["refexplicit"] = True
            link.children = [nodes.inline(word, word)]
            para += link
        else:
            para += nodes.Text(word)
    return para


def _root_prefix(translator: Any) -> str:
    uri = translator.builder.get_relative_uri(translator.builder.current_docname, translator.builder.config.root_doc)
    return uri.rpartition("/")[0] + "/" if "/" in uri else ""


def pdf_source(app_config: Any, confdir: Path) -> Path | None:
    name = settings_of(app_config).pdf_file
    if not name:
        return None
    path = (confdir / name).resolve()
    return path if path.is_file() else None


def visit_downloads_html(self: HTML5Translator, node: casebook_downloads) -> None:
    root = _root_prefix(self)
    env = self.builder.env
    items = []
    if pdf_source(env.config, Path(self.builder.confdir)) is not None:
        items.append(
            f'<li><a href="{html.escape(root + PDF_NAME)}">The PDF edition</a>: the whole casebook as a book, '
            "with contents, page references and an index.</li>"
        )
    items.append(
        f'<li><a href="{html.escape(root)}cases.json">cases.json</a> and '
        f'<a href="{html.escape(root)}cases.csv">cases.csv</a>: every case as open data, described by '
        f'<a href="{html.escape(root + SCHEMA_NAME)}">its JSON Schema</a>.</li>'
    )
    self.body.append('<ul class="casebook-downloads">\n' + "\n".join(items) + "\n</ul>\n")
    raise nodes.SkipNode


def visit_downloads_other(self: Any, node: casebook_downloads) -> None:
    raise nodes.SkipNode


def book_citation_text(env: Any) -> str:
    meta = casebook_meta(env)
    url = f" {meta.base_url}" if meta.base_url else ""
    return f"{meta.authors} ({build_date().year}). {meta.title}. Edition {meta.edition}.{url}"


def book_bibtex(env: Any) -> str:
    meta = casebook_meta(env)
    lines = [
        f"  author  = {{{{{meta.authors}}}}},",
        f"  title   = {{{meta.title}}},",
        f"  edition = {{{meta.edition}}},",
        f"  year    = {{{build_date().year}}},",
    ]
    if meta.base_url:
        lines.append(f"  url     = {{{meta.base_url}}},")
    return "@book{mission-casebook,\n" + "\n".join(lines) + "\n}\n"


def visit_book_citation_html(self: HTML5Translator, node: casebook_book_citation) -> None:
    env = self.builder.env
    text = html.escape(book_citation_text(env))
    bib = html.escape(book_bibtex(env))
    self.body.append(
        '<div class="casebook-cite">'
        f'<p class="casebook-cite-text" id="casebook-cite-book">{text}</p>'
        '<p class="casebook-cite-actions"><button type="button" class="casebook-copy" '
        'data-copy="casebook-cite-book" hidden>Copy the citation</button></p>'
        '<details class="casebook-cite-format"><summary>BibTeX</summary>'
        f'<pre id="casebook-cite-book-bib" tabindex="0">{bib}</pre>'
        '<button type="button" class="casebook-copy" data-copy="casebook-cite-book-bib" hidden>Copy</button></details>'
        "</div>\n"
    )
    raise nodes.SkipNode


def visit_book_citation_latex(self: Any, node: casebook_book_citation) -> None:
    self.body.append("\n" + self.encode(book_citation_text(self.builder.env)) + "\n\n")
    raise nodes.SkipNode


def visit_book_citation_text(self: Any, node: casebook_book_citation) -> None:
    self.new_state(0)
    self.add_text(book_citation_text(self.builder.env))
    self.end_state()
    raise nodes.SkipNode


def publish_pdf(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: copy the PDF edition beside the HTML when the site has one."""
    if exception is not None or app.builder.format != "html":
        return
    source = pdf_source(app.config, Path(app.confdir))
    if source is not None:
        copy_asset_file(source, Path(app.outdir) / PDF_NAME)


def setup_landing(app: Sphinx) -> None:
    app.add_directive("casebook-stats", StatsDirective)
    app.add_directive("casebook-downloads", DownloadsDirective)
    app.add_directive("casebook-citation", BookCitationDirective)
    app.add_node(
        casebook_downloads,
        html=(visit_downloads_html, None),
        **{n: (visit_downloads_other, None) for n in ("latex", "text", "man", "texinfo")},  # type: ignore[arg-type]
    )
    app.add_node(
        casebook_book_citation,
        html=(visit_book_citation_html, None),
        latex=(visit_book_citation_latex, None),
        text=(visit_book_citation_text, None),
        man=(visit_downloads_other, None),
        texinfo=(visit_downloads_other, None),
    )
    app.connect("build-finished", publish_pdf)

"""Shape the casebook for print: the book's pages, each case on its own page, facts in a box, references.

HTML keeps its own layout; these post-transforms and visitors run for the LaTeX builder only,
on the one large doctree the builder assembles from the book's toctree. The styles they name
(``casebookfacts``; ``sphinxclasscasebook-question`` for a container of that class ...) are in
``texinputs/casebook.sty``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.index_entries import split_index_msg
from sphinx.util.texescape import escape

from casebook_ext.domain import get_domain
from casebook_ext.nodes import casebook_facts

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.tags import Tags
    from sphinx.writers.latex import LaTeXTranslator


def raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


# ------------------------------------------------------------------------------ which pages are in the book


#: The pages of each book being written (root docname -> docnames), worked out when writing starts.
_books: dict[str, set[str]] = {}


def note_books(app: Sphinx, builder: Builder) -> None:
    """``write-started``: which pages each book holds, with the builder's own tags for ``only``."""
    _books.clear()
    if builder.name == "latex":
        for entry in app.config.latex_documents:
            _books[entry[0]] = book_docnames(app.env, entry[0], builder.tags)


def book_docnames(env: BuildEnvironment, indexfile: str, tags: Tags) -> set[str]:
    """The pages a book rooted at ``indexfile`` holds: its toctrees and theirs, leaving out ``only`` ones.

    Sphinx's LaTeX builder gathers every toctree of the root page, even one inside an
    ``only:: html`` block; the book is what the root's toctrees give for this builder's tags.
    """
    children = get_domain(env).store["children"]
    tree = env.get_doctree(indexfile)
    todo: list[str] = []
    for toctree in tree.findall(addnodes.toctree):
        parent = toctree.parent
        hidden = False
        while parent is not None:
            if isinstance(parent, addnodes.only) and not tags.eval_condition(parent["expr"]):
                hidden = True
            parent = parent.parent
        if not hidden:
            todo.extend(docname for _, docname in toctree["entries"] if docname)
    found = {indexfile}
    while todo:
        docname = todo.pop()
        if docname not in found:
            found.add(docname)
            todo.extend(children.get(docname, ()))
    return found


def _is_book(document: nodes.document) -> bool:
    """The builder's assembled book (one doctree of all its pages), not a single page."""
    return any(True for _ in document.findall(addnodes.start_of_file))


class LeaveOutPagesNotInTheBook(SphinxPostTransform):
    """In LaTeX: drop the pages that only an ``only:: html`` toctree of the root page brings in."""

    default_priority = 1  # first: nothing else needs to work on pages that are dropped
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        if not _is_book(self.document):
            return
        kept = _books.get(self.env.docname)  # appendices are added whole, not through a toctree
        if kept is None:
            return
        for start in list(self.document.findall(addnodes.start_of_file)):
            if start["docname"] not in kept and start.parent is not None:
                start.parent.remove(start)


class UnlinkPagesNotInTheBook(SphinxPostTransform):
    """In LaTeX: a link to a page the book leaves out (an ``only:: html`` toctree) becomes plain text.

    Sphinx resolves references before it drops ``only`` content, so without this the book would
    carry links to labels that no longer exist.
    """

    default_priority = 60  # after Sphinx's OnlyNodeTransform (50)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        kept = {self.env.docname, *(sof["docname"] for sof in self.document.findall(addnodes.start_of_file))}
        kept.update(self.config.latex_appendices)
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if uri.startswith("%") and uri[1:].split("#", 1)[0] not in kept:
                ref.replace_self(nodes.inline(ref.astext(), "", *ref.children))


# ------------------------------------------------------------------------------ a case in print


def _fact_body(body: nodes.Element) -> list[nodes.Node]:
    """A field's value for the facts list: paragraphs as they are, bullet lists as tight lists."""
    out: list[nodes.Node] = []
    for child in body.children:
        if isinstance(child, nodes.bullet_list):
            out.append(raw("\\begin{casebookfactitems}\n"))
            for item in child.children:
                out.append(raw("\\item "))
                out.extend(item.children)
            out.append(raw("\\end{casebookfactitems}\n"))
        else:
            out.append(child)
    return out


def facts_list(fields: nodes.field_list) -> list[nodes.Node]:
    """The panel's rows as a two-column list that breaks across pages (a table could not)."""
    out: list[nodes.Node] = [raw("\\begin{casebookfactlist}\n")]
    for field in fields.findall(nodes.field):
        out.append(raw(f"\\casebookfact{{{escape(field[0].astext())}}}\n"))
        body = field[1]
        out.extend(_fact_body(body) if isinstance(body, nodes.Element) else [body])
    out.append(raw("\\end{casebookfactlist}\n"))
    return out


def _section_of(node: nodes.Node) -> nodes.section | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


class PrintCases(SphinxPostTransform):
    """In LaTeX: start each case on a new right-hand page; its facts in a box; its sources as a list."""

    default_priority = 6  # after the listings are filled (5), before references resolve (10)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        opened: set[int] = set()
        for panel in list(self.document.findall(casebook_facts)):
            section = _section_of(panel)
            if section is not None and section.parent is not None and id(section) not in opened:
                opened.add(id(section))
                section.parent.insert(section.parent.index(section), raw("\\cleardoublepage\n"))
                for target in list(section.findall(nodes.target)):
                    if target.get("refid") in section["ids"] and target.parent is not None:
                        target.parent.remove(target)  # the section carries the case's label already
            for child in list(panel.children):
                if isinstance(child, nodes.field_list):
                    child.replace_self(facts_list(child))
                elif isinstance(child, nodes.paragraph) and "casebook-summary" in child["classes"]:
                    child.replace_self(nodes.container("", child.deepcopy(), classes=["casebook-summary"]))
        for sources in list(self.document.findall(nodes.bullet_list)):
            if "casebook-source-list" in sources["classes"]:
                for item in sources.children:
                    if not isinstance(item, nodes.Element):
                        continue
                    ids, item["ids"] = item["ids"], []
                    if ids and item.children:
                        first = item[0]
                        if isinstance(first, nodes.Element):
                            first.insert(0, nodes.target("", "", ids=ids))
                sources.replace_self(nodes.container("", sources.deepcopy(), classes=["casebook-references"]))


def visit_facts(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("\n\\begin{casebookfacts}\n")


def depart_facts(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("\n\\end{casebookfacts}\n")


# ------------------------------------------------------------------------------ tables


def _spec(columns: list[tuple[int, bool]]) -> str:
    """A column spec of set widths (``\\X`` gives a share of the line), text ragged, numbers centred."""
    total = sum(width for width, _ in columns)
    out = []
    for width, number in columns:
        cell = "\\centering\\arraybackslash" if number else "\\casebookcell"
        out.append(f">{{{cell}}}\\X{{{width}}}{{{total}}}")
    return "".join(out)


#: Shares of the line for the columns of a case table, by their heading (others get 3).
CASE_COLUMN_SHARES = {"Title": 8, "Summary": 10, "ROAR pillars": 5, "Organisations": 6, "Place": 4, "Country": 4}


def _heads(table: nodes.table) -> list[str]:
    head = next(iter(table.findall(nodes.thead)), None)
    row = next(iter(head.findall(nodes.row)), None) if head is not None else None
    return [entry.astext().strip() for entry in row.children] if row is not None else []


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def coverage_columns(table: nodes.table) -> list[tuple[int, bool]]:
    """Each column as wide as its longest word needs (no "Supra-national"), numbers centred."""
    heads = _heads(table)
    first = max(
        [
            _longest_word(heads[0]) if heads else 0,
            *(_longest_word(row[0].astext()) for row in table.findall(nodes.row) if len(row)),
        ]
    )
    return [(max(first, 10), False), *((max(_longest_word(h), 4), True) for h in heads[1:])]


class PrintTables(SphinxPostTransform):
    """In LaTeX: the casebook's tables get set column widths; the case tables may run over pages."""

    default_priority = 7
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            classes = table["classes"]
            if table.parent is None:
                continue
            if "casebook-table" in classes:
                columns = [(CASE_COLUMN_SHARES.get(head, 3), False) for head in _heads(table)]
                table["classes"] = [*classes, "longtable"]
                table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=_spec(columns)))
            elif "casebook-coverage" in classes:
                spec = addnodes.tabular_col_spec(spec=_spec(coverage_columns(table)))
                table.replace_self(nodes.container("", spec, table.deepcopy(), classes=["casebook-compact"]))


# ------------------------------------------------------------------------------ page references

#: Anchors whose links keep a page number in print: cases, questions and wanted cases (and pages,
#: sections and any anchor that is not the casebook's own). Terms, resources and a page's own
#: sources do not: they are lists of short labels, where a number after each would only clutter.
PAGED_ANCHORS = ("casebook-case-", "casebook-question-", "casebook-wanted-")


class casebook_unpaged_reference(nodes.reference):  # noqa: N801 (docutils naming)
    """An internal link written without the page number that ``latex_show_pagerefs`` adds."""


def keeps_page_number(ref: nodes.reference) -> bool:
    uri = str(ref.get("refuri", ""))
    if ref.get("refid"):
        return False  # a link within the page (a case's "Sources" row to its own list)
    if not uri.startswith("%") or "#" not in uri:
        return True
    anchor = uri.split("#", 1)[1]
    return not anchor.startswith("casebook-") or anchor.startswith(PAGED_ANCHORS)


class PrintPageReferences(SphinxPostTransform):
    """In LaTeX: page numbers only where a reader turns to them (see :data:`PAGED_ANCHORS`)."""

    default_priority = 20  # after references are resolved (10)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for ref in list(self.document.findall(nodes.reference)):
            if isinstance(ref, casebook_unpaged_reference) or keeps_page_number(ref):
                continue
            if ref.astext() == GUIDE_LINK_TEXT:
                ref.replace_self(guide_pointer(ref))
                continue
            unpaged = casebook_unpaged_reference(ref.rawsource, "", *ref.children, **ref.attributes)
            ref.replace_self(unpaged)


#: The words a case's list of sources links to the resource guide with (:func:`casebook_ext.guide.page_sources`).
GUIDE_LINK_TEXT = "(in the resource guide)"


def guide_pointer(ref: nodes.reference) -> nodes.Node:
    """``(resource guide, page 128)``: one page number, linked, instead of the words and a number."""
    uri = str(ref.get("refuri", ""))
    label = uri[1:].replace("#", ":")
    target = "\\detokenize{" + label + "}"
    return raw(f"(\\hyperref[{target}]{{resource guide, page~\\pageref*{{{target}}}}})")


def visit_unpaged_reference(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.visit_reference(node)
    if self.context and self.context[-1].startswith("}}} ("):
        self.context[-1] = "}}}"


def depart_unpaged_reference(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.depart_reference(node)


# ------------------------------------------------------------------------------ the bibliography


class casebook_bibliography_here(nodes.General, nodes.Element):  # noqa: N801
    """Where the book's bibliography goes: the page that holds the ``bibliography`` directive."""


class MarkTheBibliography(SphinxPostTransform):
    """In LaTeX: note where the first citation is, before Sphinx gathers every citation at the end."""

    default_priority = 749  # just before Sphinx's BibliographyTransform (750)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        first = next(iter(self.document.findall(nodes.citation)), None)
        if first is not None and first.parent is not None:
            first.parent.insert(first.parent.index(first), casebook_bibliography_here())


def sort_key(label: str) -> str:
    """Alphabetical order of labels, accents and case aside (``Bárcena`` with ``Barcelona``)."""
    text = unicodedata.normalize("NFKD", label)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


class PlaceTheBibliography(SphinxPostTransform):
    """In LaTeX: the bibliography in the References chapter, alphabetical by the labels the text cites."""

    default_priority = 751  # just after Sphinx's BibliographyTransform (750)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        here = next(iter(self.document.findall(casebook_bibliography_here)), None)
        bibliography = next(iter(self.document.findall(thebibliography)), None)
        if here is None:
            return
        if bibliography is None or bibliography.parent is None:
            here.replace_self([])
            return
        bibliography.parent.remove(bibliography)
        bibliography.children.sort(key=lambda c: sort_key(c[0].astext()) if isinstance(c, nodes.Element) else "")
        here.replace_self(bibliography)


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


# ------------------------------------------------------------------------------ the index

#: What a ``;`` in the first level of an index entry is written as, so that Sphinx does not split the entry
#: there (U+037E, canonically equivalent to ``;``); the index is written with a plain ``;`` again.
INDEX_SEMICOLON = "\u037e"
#: Leading articles the index sorts without: "The New Hanse" under N.
ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.IGNORECASE)
#: An entry's qualifier in parentheses, which Sphinx sets apart (as ``sphinx.writers.latex`` does).
EXTRA_RE = re.compile(r"^(.*\S)\s+\(([^()]*)\)\s*$")


def index_sort_key(text: str) -> str:
    return ARTICLE_RE.sub("", text, count=1)


def _styled(text: str) -> str:
    """As Sphinx writes an entry: ``Routes (ROAR pillar)`` as the entry and its qualifier."""
    match = EXTRA_RE.match(text)
    return match.expand(r"\\spxentry{\1}\\spxextra{\2}") if match else f"\\spxentry{{{text}}}"


def visit_index(self: LaTeXTranslator, node: nodes.Element) -> None:
    """Sphinx's index entries, each sorted without its leading article; the shown text is unchanged."""

    def esc(value: str) -> str:
        value = self.encode(value)
        value = value.replace(r"\{", r"\sphinxleftcurlybrace{}").replace(r"\}", r"\sphinxrightcurlybrace{}")
        return value.replace('"', '""').replace("@", '"@').replace("!", '"!').replace("|", r"\textbar{}")

    others = []
    out = []
    for entry in node["entries"]:
        kind, string, _target, main, _key = entry
        if kind != "single":
            others.append(entry)
            continue
        page = "|spxpagem" if main else ""
        levels = [level.replace(INDEX_SEMICOLON, ";") for level in split_index_msg(kind, string)]
        keyed = [f"{esc(index_sort_key(level))}@{_styled(esc(level))}" for level in levels]
        out.append(f"\\index{{{'!'.join(keyed)}{page}}}")
    if not node.get("inline", True):
        self.body.append("\n")
    self.body.append("".join(out))
    if others:
        rest = node.deepcopy()
        rest["entries"] = others
        rest["inline"] = True
        try:
            type(self).visit_index(self, rest)
        except nodes.SkipNode:
            pass
    if not node.get("inline", True):
        self.body.append(r"\ignorespaces ")
    raise nodes.SkipNode


def setup_latex(app: Sphinx) -> None:
    """Register the print transforms and the LaTeX visitors of the casebook's print nodes."""
    app.connect("write-started", note_books)
    app.add_post_transform(LeaveOutPagesNotInTheBook)
    app.add_post_transform(PrintCases)
    app.add_post_transform(PrintTables)
    app.add_post_transform(PrintPageReferences)
    app.add_post_transform(UnlinkPagesNotInTheBook)
    app.add_post_transform(MarkTheBibliography)
    app.add_post_transform(PlaceTheBibliography)
    app.add_node(casebook_unpaged_reference, latex=(visit_unpaged_reference, depart_unpaged_reference))
    app.add_node(casebook_bibliography_here, latex=(_skip, None))
    app.add_node(casebook_facts, override=True, latex=(visit_facts, depart_facts))
    app.add_node(addnodes.index, override=True, latex=(visit_index, None))

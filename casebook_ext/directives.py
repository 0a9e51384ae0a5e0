"""Directives: ``case`` declares a case; ``case-list``, ``case-table`` and ``case-index`` list them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from casebook_ext import bibliography
from casebook_ext.caseblock import AnyOptions, CaseDirectiveSpec, CaseSource, review
from casebook_ext.config import settings_of
from casebook_ext.countries import country_name, is_country_code
from casebook_ext.domain import CasebookDomain, IndexNote, get_domain
from casebook_ext.latex import INDEX_SEMICOLON
from casebook_ext.model import Case, CaseEntry, case_anchor
from casebook_ext.nodes import casebook_guide, casebook_index, casebook_listing
from casebook_ext.panel import facts_panel
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.query import DEFAULT_COLUMNS, FILTER_ALIASES, SORT_KEYS, TABLE_COLUMNS, Query
from casebook_ext.schema import TAXONOMIES, suggest
from casebook_ext.vocabulary import Vocabularies

logger = logging.getLogger(__name__)


#: The option spec that lets every name through (moved to :mod:`casebook_ext.caseblock`, shared with the check).
_AnyOptions = AnyOptions


class CasebookDirective(SphinxDirective):
    """A directive whose problems are typed warnings at the exact line of the option concerned."""

    def warn(self, subtype: str, message: str, line: int | None = None) -> None:
        logger.warning(message, type=WARNING_TYPE, subtype=subtype, location=(self.env.docname, line or self.lineno))

    def body_line(self) -> int:
        """The source line where the directive's body starts (same in reST and MyST)."""
        first = self.content[0].strip() if self.content else ""
        lines = self.block_text.splitlines()
        for offset, text in enumerate(lines[1:], start=1):
            if first and text.strip() == first and not text.strip().startswith(":"):
                return self.lineno + offset
        return self.lineno

    def option_line(self, name: str) -> int:
        """The source line of ``:name:`` inside this directive, for precise warnings."""
        marker = f":{name}:"
        for offset, text in enumerate(self.block_text.splitlines()):
            if text.strip().startswith(marker):
                return self.lineno + offset
        return self.lineno


class CaseDirective(CaseDirectiveSpec, CasebookDirective):
    """Declare one case: a slug id as argument and typed fields as options.

    Its signature and every check of its text are :mod:`casebook_ext.caseblock`'s, which
    ``casebook check`` runs too; this class only adds what a build does with the case.
    """

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        src = self.case_source()
        data = bibliography.bib_data(self.env)
        keys = data.entries if data is not None else None
        case, problems = review(src, domain.vocabularies, self.config.casebook_summary_max_length, keys)
        for problem in problems:
            # The file the case is written in, which is not the page's own for an included file.
            location = f"{src.source}:{problem.line}"
            logger.warning("%s", problem.message, type=WARNING_TYPE, subtype=problem.subtype, location=location)
        if case is None:
            return []

        anchor = case_anchor(case.id)
        own = str(self.env.doc2path(self.env.docname))
        included = "" if os.path.abspath(src.source) == os.path.abspath(own) else self._relative(src.source)
        domain.note_case(CaseEntry(case, self.env.docname, src.lineno, anchor, src.field_lines(), source=included))
        target = nodes.target("", "", ids=[anchor])
        self.state.document.note_explicit_target(target)

        settings = settings_of(self.config)
        pillar = settings.taxonomy_label("pillar")
        index = addnodes.index(entries=index_entries(case, anchor, domain.vocabularies, pillar))
        panel = facts_panel(
            case,
            self.env.docname,
            domain.vocabularies,
            settings.editorial_fields,
            pillar + "s",
        )
        if self.content:
            panel += self.parse_content_to_nodes()
        return [index, target, panel]

    def case_source(self) -> CaseSource:
        """This directive as :func:`~casebook_ext.caseblock.review` reads it, at its own file and line."""
        source, line = self.get_source_info()
        myst = type(self.state).__module__.startswith("myst_parser")
        if not self.content:
            body_offset = None
        elif myst:
            body_offset = self.content_offset + 1  # MyST's offset counts from the line after the opening one
        else:
            body_offset = self.content_offset + 1 - self.lineno  # docutils' offsets are absolute, 0-based
        node: nodes.Node | None = self.state_machine.node
        in_only = False
        while node is not None and not in_only:
            in_only, node = isinstance(node, addnodes.only), node.parent
        return CaseSource(
            # docutils names an included reST file relative to the working folder: made absolute here.
            source=os.path.abspath(source) if source else str(self.env.doc2path(self.env.docname)),
            lineno=line or self.lineno,
            markup="myst" if myst else "rst",
            case_id=self.arguments[0].strip() if self.arguments else "",
            options={name: value or "" for name, value in self.options.items()},
            block_text=self.block_text,
            body_offset=body_offset,
            in_only=in_only,
        )

    def _relative(self, source: str) -> str:
        return Path(os.path.relpath(source, self.env.srcdir)).as_posix()


#: The index groups a case under each of its terms, named with what they are: "Routes (ROAR pillar)".
INDEX_TAXONOMIES = (("pillar", "ROAR pillar"), ("theme", "theme"), ("instrument", "instrument"))


def index_entries(
    case: Case, anchor: str, vocab: Vocabularies | None = None, pillar_label: str = "ROAR pillar"
) -> list[tuple[str, str, str, str, str | None]]:
    """General-index entries: the case, and the case under each organisation, place, pillar, theme, instrument.

    A heading that is the case's own title gets no entry under itself (it adds nothing).

    Titles stay intact. Sphinx splits an entry at its first ``;`` (entry; sub-entry) and has no
    escape for it, so a ``;`` in a first-level text is written as U+037E, which Unicode defines as
    canonically equivalent to ``;`` (it looks the same and normalises to ``;``); a sub-entry keeps
    its own ``;`` since only the first one splits. ``!`` needs nothing: only the ``index``
    directive's text gives it a meaning, and the LaTeX writer escapes it for makeindex and xindy.
    """

    def first_level(text: str) -> str:
        return text.replace(";", INDEX_SEMICOLON)

    title = case.title
    entries: list[tuple[str, str, str, str, str | None]] = [("single", first_level(title), anchor, "main", None)]
    headings = [*case.organisations, case.place, *(country_name(c) for c in case.countries if c != "multiple")]
    if vocab is not None:
        for taxonomy, what in INDEX_TAXONOMIES:
            what = pillar_label if taxonomy == "pillar" else what
            headings += [f"{vocab.label(taxonomy, value)} ({what})" for value in case.values(taxonomy)]
    for heading in dict.fromkeys(h for h in headings if h):
        if heading.casefold() != title.casefold():
            entries.append(("single", f"{first_level(heading)}; {title}", anchor, "", None))
    return entries


def _query_from_options(directive: CasebookDirective, options: dict[str, str | None]) -> Query:
    """A listing's query from its options; each bad option warns and is left out."""
    domain = get_domain(directive.env)
    filters: list[tuple[str, tuple[str, ...]]] = []
    year: int | None = None
    sort = "title"
    ids: tuple[str, ...] = ()
    limit = 0
    from_toctree = ""
    review_due = False
    for name, value in options.items():
        text = (value or "").strip()
        line = directive.option_line(name)
        if name == "ids":
            ids = tuple(i.strip() for i in text.split(",") if i.strip())
            if not ids:
                directive.warn("bad_filter", "ids: no case id given", line)
            continue
        if name == "limit":
            if text.isdigit() and int(text) > 0:
                limit = int(text)
            else:
                directive.warn("bad_filter", f"limit: {text!r} is not a positive whole number", line)
            continue
        if name == "from-toctree":
            from_toctree = directive.env.docname
            continue
        if name == "review-due":
            review_due = True
            continue
        if name == "sort":
            if text.lstrip("-") in SORT_KEYS:
                sort = text
            else:
                directive.warn(
                    "bad_filter",
                    f"sort: {text!r} is not a sort key{suggest(text, list(SORT_KEYS))} "
                    f"(known: {', '.join(SORT_KEYS)}; prefix '-' to reverse)",
                    line,
                )
            continue
        if name == "year":
            if text.isdigit() and len(text) == 4:
                year = int(text)
            else:
                directive.warn("bad_filter", f"year: {text!r} is not a four-digit year", line)
            continue
        if name == "columns":
            continue
        taxonomy = FILTER_ALIASES.get(name)
        if taxonomy is None:
            known = [*FILTER_ALIASES, *LISTING_OPTIONS]
            directive.warn("bad_filter", f"unknown listing option {name!r}{suggest(name, known)}", line)
            continue
        sep = ";" if taxonomy == "organisation" else ","
        values = [v.strip() for v in text.split(sep) if v.strip()]
        kept = [v for v in values if _valid_filter_value(directive, domain, taxonomy, name, v, line)]
        if not values:
            directive.warn("bad_filter", f"{name}: no value given", line)
        elif kept:
            filters.append((taxonomy, tuple(kept)))
        else:
            filters.append((taxonomy, ("\0none",)))  # every value was wrong: show nothing, not everything
    if ids and "sort" not in options:
        sort = "given"
    if from_toctree and "sort" not in options:
        sort = "toctree"
    return Query(tuple(filters), year, sort, ids, limit, from_toctree, review_due)


#: Listing options besides the taxonomy filters.
LISTING_OPTIONS = ("year", "sort", "columns", "ids", "limit", "from-toctree", "review-due")


def _valid_filter_value(
    directive: CasebookDirective, domain: CasebookDomain, taxonomy: str, name: str, value: str, line: int
) -> bool:
    if taxonomy == "organisation":
        return True
    if taxonomy == "country":
        if is_country_code(value):
            return True
        directive.warn("bad_filter", f"{name}: {value!r} is not an ISO 3166-1 alpha-2 code", line)
        return False
    vocabulary = domain.vocabularies[taxonomy]
    if value in vocabulary:
        return True
    directive.warn("bad_filter", f"{name}: {value!r} is not a known {taxonomy}{suggest(value, list(vocabulary))}", line)
    return False


class CaseListDirective(CasebookDirective):
    """A bulleted list of the cases matching the options (filters, ``sort``, ``year``)."""

    kind = "list"
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        options = {k: v for k, v in self.options.items()}
        query = _query_from_options(self, options)
        columns: tuple[str, ...] = DEFAULT_COLUMNS
        if self.kind == "table" and options.get("columns"):
            wanted = [c.strip() for c in str(options["columns"]).split(",") if c.strip()]
            for column in wanted:
                if column not in TABLE_COLUMNS:
                    self.warn(
                        "bad_filter",
                        f"columns: {column!r} is not a column"
                        f"{suggest(column, list(TABLE_COLUMNS))} (known: {', '.join(TABLE_COLUMNS)})",
                        self.option_line("columns"),
                    )
            columns = tuple(c for c in wanted if c in TABLE_COLUMNS) or DEFAULT_COLUMNS
        get_domain(self.env).note_listing(self.env.docname, query)
        node = casebook_listing(kind=self.kind, query=query, columns=columns)
        self.set_source_info(node)
        return [node]


class CaseTableDirective(CaseListDirective):
    """A table of the matching cases; ``columns`` picks and orders the columns."""

    kind = "table"


class CaseIndexDirective(CasebookDirective):
    """Every term of a taxonomy with its number of cases; the full form anchors each term for its role.

    ``:compact:`` gives one line of the terms that have cases (a landing page's ways in);
    ``:cases:`` lists each term's cases under it (for a small casebook, or a printed one).
    """

    required_arguments = 0
    optional_arguments = 1
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"compact": directives.flag, "cases": directives.flag}

    def run(self) -> list[nodes.Node]:
        taxonomy = self.arguments[0].strip() if self.arguments else ""
        if taxonomy not in TAXONOMIES:
            self.warn(
                "bad_filter",
                f"case-index needs a taxonomy: {taxonomy!r} is not one"
                f"{suggest(taxonomy, list(TAXONOMIES))} (known: {', '.join(TAXONOMIES)})",
            )
            return []
        compact = "compact" in self.options
        note = IndexNote(taxonomy, host=not compact, with_cases="cases" in self.options)
        get_domain(self.env).note_index(self.env.docname, note)
        node = casebook_index(taxonomy=taxonomy, compact=compact, cases="cases" in self.options)
        self.set_source_info(node)
        return [node]


class ResourceGuideDirective(CasebookDirective):
    """All resources grouped by ``kind`` (the anchored, citable view) or by ROAR ``pillar``."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "group-by": directives.unchanged,
        "needs-link": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        group_by = (self.options.get("group-by") or "kind").strip()
        if group_by not in ("kind", "pillar"):
            self.warn(
                "bad_filter",
                f"group-by: {group_by!r} is not 'kind' or 'pillar'",
                self.option_line("group-by"),
            )
            group_by = "kind"
        needs_link = "needs-link" in self.options
        get_domain(self.env).note_guide(self.env.docname, group_by if not needs_link else "needs-link")
        node = casebook_guide(group_by=group_by, needs_link=needs_link)
        self.set_source_info(node)
        return [node]

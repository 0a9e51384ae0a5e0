"""Directives: ``case`` declares a case; ``case-list``, ``case-table`` and ``case-index`` list them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from casebook_ext import bibliography, messages
from casebook_ext.config import settings_of
from casebook_ext.countries import country_name, is_country_code
from casebook_ext.domain import CasebookDomain, IndexNote, get_domain
from casebook_ext.model import Case, CaseEntry, case_anchor
from casebook_ext.nodes import casebook_guide, casebook_index, casebook_listing
from casebook_ext.panel import facts_panel
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.query import DEFAULT_COLUMNS, FILTER_ALIASES, SORT_KEYS, TABLE_COLUMNS, Query
from casebook_ext.schema import FIELDS_BY_NAME, TAXONOMIES, parse_case, suggest
from casebook_ext.vocabulary import Vocabularies

logger = logging.getLogger(__name__)


class _AnyOptions(dict[str, Callable[[str], Any]]):
    """An option spec that accepts every name, so unknown fields get our own warning.

    docutils and MyST both look options up with ``spec[name]``; rejecting them there
    would give a generic error with no subtype and drop the value without a suggestion.
    """

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True  # MyST only looks for an options block when the spec is truthy


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


class CaseDirective(CasebookDirective):
    """Declare one case: a slug id as argument and typed fields as options."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = _AnyOptions(
        {name: directives.unchanged for name in FIELDS_BY_NAME}
    )

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        config = self.config
        case_id = self.arguments[0].strip() if self.arguments else ""
        if not case_id:
            self.warn("missing_field", messages.missing_id_message())
            return []
        raw = {name: value for name, value in self.options.items()}
        case, problems = parse_case(case_id, raw, domain.vocabularies, config.casebook_summary_max_length)
        for problem in problems:
            line = self.option_line(problem.field) if problem.field else self.lineno
            self.warn(problem.subtype, problem.message, line)
        if case is None:
            return []

        anchor = case_anchor(case.id)
        field_lines = tuple((name, self.option_line(name)) for name in raw)
        domain.note_case(CaseEntry(case, self.env.docname, self.lineno, anchor, field_lines))
        target = nodes.target("", "", ids=[anchor])
        self.state.document.note_explicit_target(target)

        self._check_resources(case.resources)
        settings = settings_of(config)
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
            self.warn("case_content", messages.CASE_CONTENT_MESSAGE, self.body_line())
            panel += self.parse_content_to_nodes()
        return [index, target, panel]

    def _check_resources(self, keys: tuple[str, ...]) -> None:
        data = bibliography.bib_data(self.env)
        if data is None:
            return
        for key in keys:
            if key not in data.entries:
                self.warn(
                    "unknown_resource",
                    messages.unknown_resource_message(key, data.entries),
                    self.option_line("resources"),
                )


#: The index groups a case under each of its terms, named with what they are: "Routes (ROAR pillar)".
INDEX_TAXONOMIES = (("pillar", "ROAR pillar"), ("theme", "theme"), ("instrument", "instrument"))


def index_entries(
    case: Case, anchor: str, vocab: Vocabularies | None = None, pillar_label: str = "ROAR pillar"
) -> list[tuple[str, str, str, str, str | None]]:
    """General-index entries: the case, and the case under each organisation, place, pillar, theme, instrument.

    A heading that is the case's own title gets no entry under itself (it adds nothing).
    """

    def clean(text: str) -> str:
        return text.replace(";", ",").replace("!", "")  # ";" and "!" would split index levels

    title = clean(case.title)
    entries: list[tuple[str, str, str, str, str | None]] = [("single", title, anchor, "main", None)]
    headings = [*case.organisations, case.place, *(country_name(c) for c in case.countries if c != "multiple")]
    if vocab is not None:
        for taxonomy, what in INDEX_TAXONOMIES:
            what = pillar_label if taxonomy == "pillar" else what
            headings += [f"{vocab.label(taxonomy, value)} ({what})" for value in case.values(taxonomy)]
    for heading in dict.fromkeys(h for h in headings if h):
        if clean(heading).casefold() != title.casefold():
            entries.append(("single", f"{clean(heading)}; {title}", anchor, "", None))
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
    return Query(tuple(filters), year, sort, ids, limit, from_toctree)


#: Listing options besides the taxonomy filters.
LISTING_OPTIONS = ("year", "sort", "columns", "ids", "limit", "from-toctree")


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

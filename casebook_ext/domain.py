"""The ``casebook`` domain: every case, question, wanted case and taxonomy term of a build.

All data is kept per document (``clear_doc`` / ``merge_domaindata``) so that incremental
and parallel builds see exactly what a clean build sees; cross-document views (ids,
backlinks, terms) are derived from it on demand and cached until the data changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from casebook_ext import bibliography
from casebook_ext.completeness import score
from casebook_ext.config import settings_of
from casebook_ext.countries import country_name
from casebook_ext.freshness import is_due
from casebook_ext.model import Case, CaseEntry, QuestionEntry, WantedEntry, resource_anchor, term_anchor
from casebook_ext.query import Query
from casebook_ext.schema import TAXONOMIES
from casebook_ext.vocabulary import Vocabularies, slugify

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import RoleFunction

#: Builders that write a page per taxonomy term (:mod:`casebook_ext.browse`).
TERM_PAGE_BUILDERS = frozenset({"html", "dirhtml"})
#: Roles that link to one kind of entry, besides one role per taxonomy.
ENTRY_ROLES = ("case", "resource", "question", "wanted")


class CasebookData(TypedDict):
    """The domain's stored data: everything is keyed by the docname it came from."""

    cases: dict[str, list[CaseEntry]]
    listings: dict[str, list[Query]]  # the case-list / case-table queries on the page
    indexes: dict[str, list[IndexNote]]  # the term indexes the page holds
    refs: dict[str, set[tuple[str, str]]]  # (reftype, target) of the page's links into the domain
    guides: dict[str, list[str]]  # resource guides, question and wanted indexes on the page
    questions: dict[str, list[QuestionEntry]]
    wanted: dict[str, list[WantedEntry]]
    children: dict[str, list[str]]  # the docnames the page's toctrees include, in order
    digests: dict[str, str]  # what the page's late-filled parts showed when last written


PER_DOC_KEYS = tuple(CasebookData.__annotations__)


@dataclass(frozen=True)
class IndexNote:
    """A term index on a page: its taxonomy, whether it anchors the terms (``host``), whether it lists cases."""

    taxonomy: str
    host: bool = True
    with_cases: bool = False


@dataclass
class Index:
    """Views derived from the per-document data; rebuilt whenever that data changes."""

    by_id: dict[str, CaseEntry] = field(default_factory=dict)
    duplicates: list[tuple[CaseEntry, CaseEntry]] = field(default_factory=list)
    incoming: dict[str, list[tuple[CaseEntry, str]]] = field(default_factory=lambda: defaultdict(list))
    used_terms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: taxonomy -> term slug -> the cases filed under it, in the order of :meth:`CasebookDomain.entries`.
    by_term: dict[str, dict[str, list[CaseEntry]]] = field(default_factory=lambda: defaultdict(dict))
    hosts: dict[str, str] = field(default_factory=dict)
    questions: dict[str, QuestionEntry] = field(default_factory=dict)
    wanted: dict[str, WantedEntry] = field(default_factory=dict)
    duplicate_questions: list[tuple[QuestionEntry, QuestionEntry]] = field(default_factory=list)
    duplicate_wanted: list[tuple[WantedEntry, WantedEntry]] = field(default_factory=list)
    order: dict[str, int] | None = None  # reading order of pages, filled on first use
    terms: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # by taxonomy, filled on first use


#: What readers call each kind of entry, in search results.
READER_TYPE_NAMES = {"case": "Case", "resource": "Source", "question": "Open question", "wanted case": "Wanted case"}


class CasebookDomain(Domain):
    """Cases, questions, wanted cases, resources and taxonomy terms, and the roles that link to them."""

    name = "casebook"
    label = "Casebook"
    object_types = {
        "case": ObjType("case", "case"),
        "resource": ObjType("resource", "resource"),
        "question": ObjType("question", "question"),
        "wanted": ObjType("wanted case", "wanted"),
        **{tax: ObjType(tax, tax) for tax in TAXONOMIES},
    }
    initial_data: ClassVar[dict[str, Any]] = {key: {} for key in PER_DOC_KEYS}
    data_version = 3
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {
        name: XRefRole(innernodeclass=nodes.inline) for name in (*ENTRY_ROLES, *TAXONOMIES)
    }
    _cache: Index | None = None
    _vocabularies: Vocabularies | None = None
    #: Term pages to write in this build, and those no case needs any more (set while reading).
    term_pages_due: set[str] = set()
    term_pages_gone: set[str] = set()
    #: Whether the data files (cases.json ...) must be written in this build (set while reading).
    data_due: bool = True
    #: The cases whose citation files must be written in this build; ``None``: every case's.
    cite_due: set[str] | None = None
    #: Pages purged or merged in this build: none means no page was added, changed or removed.
    touched: int = 0
    #: Whether this build changes nothing the casebook shows (worked out once, when reading ends).
    unchanged: bool | None = None

    @property
    def store(self) -> CasebookData:
        return cast(CasebookData, self.data)

    # --- recording, while reading -------------------------------------------------

    def note_case(self, entry: CaseEntry) -> None:
        self.store["cases"].setdefault(entry.docname, []).append(entry)
        self._cache = None

    def note_listing(self, docname: str, listing: Query) -> None:
        self.store["listings"].setdefault(docname, []).append(listing)

    def note_index(self, docname: str, note: IndexNote) -> None:
        """A term index on the page; the ``host`` of a taxonomy carries the anchors its role links to."""
        self.store["indexes"].setdefault(docname, []).append(note)
        self._cache = None

    def note_question(self, entry: QuestionEntry) -> None:
        self.store["questions"].setdefault(entry.docname, []).append(entry)
        self._cache = None

    def note_wanted(self, entry: WantedEntry) -> None:
        self.store["wanted"].setdefault(entry.docname, []).append(entry)
        self._cache = None

    def note_guide(self, docname: str, kind: str) -> None:
        self.store["guides"].setdefault(docname, []).append(kind)
        self._cache = None

    def note_page(
        self, docname: str, sections: tuple[str, ...], refs: set[tuple[str, str]], children: list[str]
    ) -> None:
        """What only the whole read page tells: its section titles, its links, its toctree children."""
        store = self.store
        if docname in store["cases"]:
            store["cases"][docname] = [replace(e, sections=sections) for e in store["cases"][docname]]
        if refs:
            store["refs"][docname] = refs
        if children:
            store["children"][docname] = children
        self._cache = None

    def clear_doc(self, docname: str) -> None:
        self.touched += 1
        for key in PER_DOC_KEYS:
            self.data[key].pop(docname, None)
        self._cache = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self.touched += 1
        for key in PER_DOC_KEYS:
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        self._cache = None

    # --- derived views ----------------------------------------------------------------

    def entries(self) -> Iterator[CaseEntry]:
        """Every case, in a stable order (by page, then position on the page)."""
        cases = self.store["cases"]
        for docname in sorted(cases):
            yield from cases[docname]

    @property
    def index(self) -> Index:
        if self._cache is None:
            self._cache = self._build_index()
        return self._cache

    def _build_index(self) -> Index:
        store = self.store
        index = Index()
        for entry in self.entries():
            first = index.by_id.get(entry.case.id)
            if first is not None:
                index.duplicates.append((entry, first))
                continue
            index.by_id[entry.case.id] = entry
            for taxonomy in TAXONOMIES:
                for value in entry.case.values(taxonomy):
                    slug = self.term_slug(taxonomy, value)
                    index.used_terms[taxonomy].add(slug)
                    index.by_term[taxonomy].setdefault(slug, []).append(entry)
        for entry in index.by_id.values():
            for relation in entry.case.related:
                if relation.target != entry.case.id:
                    index.incoming[relation.target].append((entry, relation.kind))
        for docname in sorted(store["indexes"], reverse=True):
            for note in store["indexes"][docname]:
                if note.host:
                    index.hosts[note.taxonomy] = docname
        for docname in sorted(store["questions"]):
            for question in store["questions"][docname]:
                if question.id in index.questions:
                    index.duplicate_questions.append((question, index.questions[question.id]))
                else:
                    index.questions[question.id] = question
        for docname in sorted(store["wanted"]):
            for wanted in store["wanted"][docname]:
                if wanted.id in index.wanted:
                    index.duplicate_wanted.append((wanted, index.wanted[wanted.id]))
                else:
                    index.wanted[wanted.id] = wanted
        for docname in sorted(store["guides"], reverse=True):
            if "kind" in store["guides"][docname]:
                index.hosts["resource"] = docname
        return index

    def reading_order(self) -> dict[str, int]:
        """Each page's position when the book is read through its toctrees from the root (cached per read)."""
        index = self.index
        if index.order is None:
            children = self.store["children"]
            order: dict[str, int] = {}
            stack = [self.env.config.root_doc]
            while stack:
                docname = stack.pop()
                if docname in order:
                    continue
                order[docname] = len(order)
                stack.extend(reversed(children.get(docname, [])))
            index.order = order
        return index.order

    def in_reading_order(self, pages: Iterable[str]) -> list[str]:
        order = self.reading_order()
        return sorted(pages, key=lambda d: (order.get(d, len(order)), d))

    def all_questions(self) -> list[QuestionEntry]:
        """Every question in reading order: pages as the toctree orders them, then as written."""
        questions = self.store["questions"]
        return [q for docname in self.in_reading_order(questions) for q in questions[docname]]

    def all_wanted(self) -> list[WantedEntry]:
        wanted = self.store["wanted"]
        return [w for docname in self.in_reading_order(wanted) for w in wanted[docname]]

    def cases(self) -> list[Case]:
        return [entry.case for entry in self.index.by_id.values()]

    def select(self, query: Query) -> list[CaseEntry]:
        by_id = self.index.by_id
        cases = self.cases()
        if query.from_toctree_of:
            pages = {page: i for i, page in enumerate(self.store["children"].get(query.from_toctree_of, ()))}
            cases = [case for case in cases if by_id[case.id].docname in pages]
            if query.sort == "toctree":  # the order the page's toctree gives
                cases.sort(key=lambda case: pages[by_id[case.id].docname])
        if query.review_due:
            cases = [case for case in cases if is_due(self.env.config, case)]
        entries = [by_id[case.id] for case in query.run(cases)]
        if query.sort.lstrip("-") == "completeness":  # needs the page's sections, which a Case does not hold
            rule = settings_of(self.env.config).completeness_rule()
            entries.sort(key=lambda e: score(e.case, e.sections, rule).percent, reverse=query.sort.startswith("-"))
        return entries

    @property
    def vocabularies(self) -> Vocabularies:
        if self._vocabularies is None:
            self._vocabularies = settings_of(self.env.config).vocabularies()
        return self._vocabularies

    @staticmethod
    def term_slug(taxonomy: str, value: str) -> str:
        if taxonomy == "organisation":
            return slugify(value)
        if taxonomy == "country":
            return value.lower()
        return value

    def terms(self, taxonomy: str) -> list[tuple[str, str, str]]:
        """(slug, label, description) of a taxonomy's terms: its vocabulary, or the terms cases use."""
        index = self.index
        if taxonomy not in index.terms:
            if taxonomy in ("country", "organisation"):
                labels: dict[str, str] = {}
                for entries in index.by_term.get(taxonomy, {}).values():
                    for value in entries[0].case.values(taxonomy):
                        labels.setdefault(self.term_slug(taxonomy, value), self.term_label(taxonomy, value))
                rows = [(slug, label, "") for slug, label in labels.items() if slug in index.by_term[taxonomy]]
                index.terms[taxonomy] = sorted(rows, key=lambda row: row[1].casefold())
            else:
                vocabulary = self.vocabularies[taxonomy]
                index.terms[taxonomy] = [(t.slug, t.label, t.description) for t in vocabulary.values()]
        return index.terms[taxonomy]

    def term(self, taxonomy: str, slug: str) -> tuple[str, str]:
        """(label, description) of one term."""
        return next(((label, text) for s, label, text in self.terms(taxonomy) if s == slug), (slug, ""))

    def term_label(self, taxonomy: str, value: str) -> str:
        if taxonomy == "country":
            return country_name(value)
        if taxonomy == "organisation":
            return value
        return self.vocabularies.label(taxonomy, value)

    def term_exists(self, taxonomy: str, slug: str) -> bool:
        if taxonomy in ("country", "organisation"):
            return slug in self.index.used_terms[taxonomy]
        return slug in self.vocabularies[taxonomy]

    # --- cross-references -----------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        if typ == "finder":  # a selection of the finder: its page, with the selection as the query string
            host = next((d for d in sorted(self.store["guides"]) if "finder" in self.store["guides"][d]), None)
            if host is None or builder.format != "html":
                return contnode if node.get("casebook_optional") else None  # type: ignore[return-value]
            uri = builder.get_relative_uri(fromdocname, host) + "?" + target
            return nodes.reference("", "", contnode, internal=True, refuri=uri)
        found = self.resolve_target(typ, target)
        if found is None:
            return contnode if node.get("casebook_optional") else None  # type: ignore[return-value]
        docname, anchor, title = found
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        if typ in TAXONOMIES and builder.name in TERM_PAGE_BUILDERS and env.config.casebook_term_pages:
            slug = self.term_slug(typ, target)
            if slug in self.index.by_term.get(typ, {}):  # the term's own page lists its cases
                page = f"{env.config.casebook_term_pages}/{typ}/{slug}"
                uri = builder.get_relative_uri(fromdocname, page)
                return nodes.reference("", "", contnode, internal=True, refuri=uri, reftitle=title)
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        if target in self.index.by_id:
            ref = self.resolve_xref(env, fromdocname, builder, "case", target, node, contnode)
            return [("casebook:case", ref)] if ref is not None else []
        return []

    def resolve_target(self, typ: str, target: str) -> tuple[str, str, str] | None:
        """(docname, anchor, display title) of a case, entry or term, if it exists."""
        index = self.index
        if typ == "case":
            entry = index.by_id.get(target)
            return (entry.docname, entry.anchor, entry.case.title) if entry else None
        if typ == "resource":
            host = index.hosts.get("resource")
            resource = bibliography.resources(self.env).get(target)
            return (host, resource_anchor(target), resource.title) if host and resource else None
        if typ == "question":
            question = index.questions.get(target)
            return (question.docname, question.anchor, question.text) if question else None
        if typ == "wanted":
            wanted = index.wanted.get(target)
            return (wanted.docname, wanted.anchor, wanted.title) if wanted else None
        if typ not in TAXONOMIES:
            return None
        slug = self.term_slug(typ, target)
        host = index.hosts.get(typ)
        if host is None or not self.term_exists(typ, slug):
            return None
        return host, term_anchor(typ, slug), self.term_label(typ, target)

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        """What a search result calls the object ("Source", "ROAR pillar"), not "Casebook resource"."""
        taxonomy = next((t for t in TAXONOMIES if self.object_types.get(t) is type), None)
        if taxonomy is not None:
            return settings_of(self.env.config).taxonomy_label(taxonomy)
        return READER_TYPE_NAMES.get(type.lname, type.lname.capitalize())

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        index = self.index
        for entry in index.by_id.values():
            # -1: in the inventory but not in search results, where the case's own page is its one result.
            yield entry.case.id, entry.case.title, "case", entry.docname, entry.anchor, -1
        for question in index.questions.values():
            yield question.id, question.text, "question", question.docname, question.anchor, 1
        for wanted in index.wanted.values():
            yield wanted.id, wanted.title, "wanted", wanted.docname, wanted.anchor, 1
        resource_host = index.hosts.get("resource")
        if resource_host is not None:
            for key, resource in sorted(bibliography.resources(self.env).items()):
                yield key, resource.title, "resource", resource_host, resource_anchor(key), 1
        for taxonomy, host in sorted(index.hosts.items()):
            if taxonomy == "resource":
                continue
            for slug, label, _ in self.terms(taxonomy):
                yield slug, label, taxonomy, host, term_anchor(taxonomy, slug), 2


def get_domain(env: BuildEnvironment) -> CasebookDomain:
    return cast(CasebookDomain, env.get_domain("casebook"))

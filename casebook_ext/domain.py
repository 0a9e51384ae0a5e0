"""The ``casebook`` domain: every case and taxonomy term of a build, and links to them.

All data is kept per document (``clear_doc`` / ``merge_domaindata``) so that incremental
and parallel builds see exactly what a clean build sees; cross-document views (ids,
backlinks, terms) are derived from it on demand and never stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.util.nodes import make_refnode

from casebook_ext.query import Query
from casebook_ext.roles import CasebookRole
from casebook_ext.schema import MULTIPLE_COUNTRIES, TAXONOMIES, Case
from casebook_ext.vocabulary import Vocabularies, slugify

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.roles import XRefRole
    from sphinx.util.typing import RoleFunction

TAXONOMY_LABELS = {
    "pillar": "ROAR pillar",
    "theme": "Theme",
    "instrument": "Instrument",
    "country": "Country",
    "level": "Level of government",
    "status": "Status",
    "organisation": "Organisation",
}


@dataclass(frozen=True)
class CaseEntry:
    """A case and where it was declared: its page, line, anchor and each field's line."""

    case: Case
    docname: str
    lineno: int
    anchor: str
    field_lines: tuple[tuple[str, int], ...] = ()
    #: Titles of the page's second-level sections, for the completeness indicator.
    sections: tuple[str, ...] = ()

    def line_of(self, name: str) -> int:
        return dict(self.field_lines).get(name, self.lineno)


@dataclass
class _Index:
    """Views derived from the per-document data; rebuilt whenever that data changes."""

    by_id: dict[str, CaseEntry] = field(default_factory=dict)
    duplicates: list[tuple[CaseEntry, CaseEntry]] = field(default_factory=list)
    incoming: dict[str, list[tuple[CaseEntry, str]]] = field(default_factory=lambda: defaultdict(list))
    used_terms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    hosts: dict[str, str] = field(default_factory=dict)
    questions: dict[str, Any] = field(default_factory=dict)  # id -> QuestionEntry
    wanted: dict[str, Any] = field(default_factory=dict)  # id -> WantedEntry
    duplicate_entries: list[tuple[Any, Any]] = field(default_factory=list)  # (later, first) questions/wanted
    order: dict[str, int] | None = None  # reading order of pages, filled on first use


def term_anchor(taxonomy: str, slug: str) -> str:
    return f"casebook-{taxonomy}-{slug}"


def case_anchor(case_id: str) -> str:
    return f"casebook-case-{case_id}"


class CasebookDomain(Domain):
    """Cases, taxonomy terms, and the roles that link to them."""

    name = "casebook"
    label = "Casebook"
    object_types = {
        "case": ObjType("case", "case"),
        "resource": ObjType("resource", "resource"),
        "question": ObjType("question", "question"),
        "wanted": ObjType("wanted case", "wanted"),
        **{tax: ObjType(label.lower(), tax) for tax, label in TAXONOMY_LABELS.items()},
    }
    initial_data: ClassVar[dict[str, dict[str, Any]]] = {
        "cases": {},  # docname -> list[CaseEntry]
        "listings": {},  # docname -> list[Query] (of each case-list/case-table on the page)
        "indexes": {},  # docname -> list[str] (taxonomies whose term index the page holds)
        "refs": {},  # docname -> set[tuple[str, str]] ((reftype, target) of roles used)
        "guides": {},  # docname -> list[str] (resource guides, question and wanted indexes on the page)
        "questions": {},  # docname -> list[QuestionEntry]
        "wanted": {},  # docname -> list[WantedEntry]
        "digests": {},  # docname -> str (what the page's late-filled parts showed when last written)
    }
    data_version = 1
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {
        name: CasebookRole(innernodeclass=nodes.inline) for name in ("case", *TAXONOMY_LABELS)
    }
    _cache: _Index | None = None
    _vocabularies: Vocabularies | None = None

    # --- recording, while reading -------------------------------------------------

    def note_case(self, entry: CaseEntry) -> None:
        self.data["cases"].setdefault(entry.docname, []).append(entry)
        self._cache = None

    def note_listing(self, docname: str, listing: Query) -> None:
        self.data["listings"].setdefault(docname, []).append(listing)

    def note_index(self, docname: str, taxonomy: str) -> None:
        self.data["indexes"].setdefault(docname, []).append(taxonomy)
        self._cache = None

    def note_entry(self, key: str, entry: Any) -> None:
        """Record a question or wanted case (``key`` names which) on its page."""
        self.data[key].setdefault(entry.docname, []).append(entry)
        self._cache = None

    def note_guide(self, docname: str, group_by: str) -> None:
        self.data["guides"].setdefault(docname, []).append(group_by)
        self._cache = None

    def note_sections(self, docname: str, titles: tuple[str, ...]) -> None:
        from dataclasses import replace

        if docname in self.data["cases"]:
            self.data["cases"][docname] = [replace(e, sections=titles) for e in self.data["cases"][docname]]
            self._cache = None

    def note_ref(self, docname: str, reftype: str, target: str) -> None:
        self.data["refs"].setdefault(docname, set()).add((reftype, target))

    def clear_doc(self, docname: str) -> None:
        for key in self.initial_data:
            self.data[key].pop(docname, None)
        self._cache = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in self.initial_data:
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        self._cache = None

    # --- derived views ----------------------------------------------------------------

    def entries(self) -> Iterator[CaseEntry]:
        """Every case, in a stable order (by page, then position on the page)."""
        for docname in sorted(self.data["cases"]):
            yield from self.data["cases"][docname]

    @property
    def index(self) -> _Index:
        if self._cache is None:
            index = _Index()
            for entry in self.entries():
                first = index.by_id.get(entry.case.id)
                if first is not None:
                    index.duplicates.append((entry, first))
                    continue
                index.by_id[entry.case.id] = entry
                for taxonomy in TAXONOMIES:
                    index.used_terms[taxonomy].update(self.term_slug(taxonomy, v) for v in entry.case.values(taxonomy))
            for entry in index.by_id.values():
                for relation in entry.case.related:
                    index.incoming[relation.target].append((entry, relation.kind))
            for docname in sorted(self.data["indexes"], reverse=True):
                for taxonomy in self.data["indexes"][docname]:
                    index.hosts[taxonomy] = docname
            for key in ("questions", "wanted"):
                seen: dict[str, Any] = getattr(index, key)
                for docname in sorted(self.data[key]):
                    for item in self.data[key][docname]:
                        if item.id in seen:
                            index.duplicate_entries.append((item, seen[item.id]))
                        else:
                            seen[item.id] = item
            for docname in sorted(self.data["guides"], reverse=True):
                if "kind" in self.data["guides"][docname]:
                    index.hosts["resource"] = docname
            self._cache = index
        return self._cache

    def reading_order(self) -> dict[str, int]:
        """Each page's position when the book is read through its toctrees from the root (cached per read)."""
        index = self.index
        if index.order is None:
            index.order = self._walk_toctree()
        return index.order

    def _walk_toctree(self) -> dict[str, int]:
        includes = self.env.toctree_includes
        order: dict[str, int] = {}
        stack = [self.env.config.root_doc]
        while stack:
            docname = stack.pop()
            if docname in order:
                continue
            order[docname] = len(order)
            stack.extend(reversed(includes.get(docname, [])))
        return order

    def cases(self) -> list[Case]:
        return [entry.case for entry in self.index.by_id.values()]

    def select(self, query: Query) -> list[CaseEntry]:
        by_id = self.index.by_id
        entries = [by_id[case.id] for case in query.run(self.cases())]
        if query.sort.lstrip("-") == "completeness":  # needs the page's sections, which a Case does not hold
            from casebook_ext.completeness import score

            entries.sort(key=lambda e: score(e.case, e.sections).percent, reverse=query.sort.startswith("-"))
        return entries

    @property
    def vocabularies(self) -> Vocabularies:
        if self._vocabularies is None:
            from casebook_ext.config import from_sphinx

            self._vocabularies = from_sphinx(self.env.config).vocabularies()
        return self._vocabularies

    @staticmethod
    def term_slug(taxonomy: str, value: str) -> str:
        if taxonomy == "organisation":
            return slugify(value)
        if taxonomy == "country":
            return value.lower()
        return value

    def terms(self, taxonomy: str) -> list[tuple[str, str, str]]:
        """(slug, label, description) of a taxonomy's terms: its vocabulary, then terms cases use."""
        if taxonomy in ("country", "organisation"):
            labels: dict[str, str] = {}
            for case in self.cases():
                for value in case.values(taxonomy):
                    labels.setdefault(self.term_slug(taxonomy, value), self.term_label(taxonomy, value))
            return sorted(((slug, label, "") for slug, label in labels.items()), key=lambda row: row[1].casefold())
        vocabulary = self.vocabularies[taxonomy]
        return [(t.slug, t.label, t.description) for t in vocabulary.values()]

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
        found = self._resolve(typ, target)
        if found is None:
            return contnode if node.get("casebook_optional") else None  # type: ignore[return-value]
        docname, anchor, title = found
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
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

    def _resolve(self, typ: str, target: str) -> tuple[str, str, str] | None:
        """(docname, anchor, display title) of a case or term, if it exists."""
        if typ == "case":
            entry = self.index.by_id.get(target)
            return (entry.docname, entry.anchor, entry.case.title) if entry else None
        if typ == "resource":
            return self._resolve_resource(target)
        if typ in ("question", "wanted"):
            item = (self.index.questions if typ == "question" else self.index.wanted).get(target)
            return (item.docname, item.anchor, item.text if typ == "question" else item.title) if item else None
        if typ not in TAXONOMY_LABELS:
            return None
        slug = self.term_slug(typ, target)
        host = self.index.hosts.get(typ)
        if host is None or not self.term_exists(typ, slug):
            return None
        return host, term_anchor(typ, slug), self.term_label(typ, target)

    def _resolve_resource(self, key: str) -> tuple[str, str, str] | None:
        from casebook_ext.bibliography import resources
        from casebook_ext.guide import resource_anchor

        host = self.index.hosts.get("resource")
        resource = resources(self.env).get(key)
        if host is None or resource is None:
            return None
        return host, resource_anchor(key), resource.title

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for entry in self.index.by_id.values():
            yield entry.case.id, entry.case.title, "case", entry.docname, entry.anchor, 1
        for question in self.index.questions.values():
            yield question.id, question.text, "question", question.docname, question.anchor, 1
        for wanted in self.index.wanted.values():
            yield wanted.id, wanted.title, "wanted", wanted.docname, wanted.anchor, 1
        resource_host = self.index.hosts.get("resource")
        if resource_host is not None:
            from casebook_ext.bibliography import resources
            from casebook_ext.guide import resource_anchor

            for key, resource in sorted(resources(self.env).items()):
                yield key, resource.title, "resource", resource_host, resource_anchor(key), 1
        for taxonomy, host in sorted(self.index.hosts.items()):
            if taxonomy == "resource":
                continue
            for slug, label, _ in self.terms(taxonomy):
                yield slug, label, taxonomy, host, term_anchor(taxonomy, slug), 2


def country_name(code: str) -> str:
    """Readable name of an ISO 3166-1 alpha-2 code (``multiple`` reads as such)."""
    import pycountry

    if code.lower() == MULTIPLE_COUNTRIES:
        return "Multiple countries"
    country = pycountry.countries.get(alpha_2=code.upper())
    return str(country.name) if country is not None else code


def get_domain(env: BuildEnvironment) -> CasebookDomain:
    return cast(CasebookDomain, env.get_domain("casebook"))


def collect_sections(app: object, doctree: nodes.document) -> None:
    """``doctree-read``: note a case page's second-level section titles (known only once it is read)."""
    env = doctree.settings.env
    titles = tuple(
        section[0].astext()
        for top in doctree.findall(nodes.section)
        if isinstance(top.parent, nodes.document)
        for section in top.children
        if isinstance(section, nodes.section) and section.children
    )
    get_domain(env).note_sections(env.docname, titles)

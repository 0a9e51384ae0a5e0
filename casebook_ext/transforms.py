"""Fill the placeholders late, from the environment, for every builder."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from casebook_ext.collection import collector_paused
from casebook_ext.coverage import casebook_coverage, coverage_table
from casebook_ext.domain import get_domain
from casebook_ext.finder import casebook_finder
from casebook_ext.freshness import is_due
from casebook_ext.guide import guide, page_sources, sources_field
from casebook_ext.landing import stats
from casebook_ext.listings import DEFAULT_FINDER_COLUMNS, case_list, case_table, due_flag, related_field, term_index
from casebook_ext.nodes import (
    casebook_guide,
    casebook_index,
    casebook_listing,
    casebook_question_index,
    casebook_related,
    casebook_resources,
    casebook_review_flag,
    casebook_sources,
    casebook_stats,
    casebook_wanted_index,
    casebook_wanted_status,
)
from casebook_ext.questions import question_field, question_index, wanted_index, wanted_status

#: The nodes the directives leave for this transform to fill.
PLACEHOLDERS: tuple[type[nodes.Element], ...] = (
    casebook_listing,
    casebook_index,
    casebook_resources,
    casebook_guide,
    casebook_related,
    casebook_sources,
    casebook_coverage,
    casebook_review_flag,
    casebook_stats,
    casebook_question_index,
    casebook_wanted_status,
    casebook_wanted_index,
)


def _is_placeholder(node: nodes.Node) -> bool:
    return type(node) in PLACEHOLDERS


class FillListings(SphinxPostTransform):
    """Replace listing, index and related-case placeholders with portable nodes.

    Runs before reference resolution (priority 10) so the links it creates are resolved
    like any other, and reads only the environment, so parallel writing is safe.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        # A listing of every case is thousands of new nodes, which would set off collection after
        # collection of the growing page if the collector were left running.
        with collector_paused():
            self._fill()

    def _fill(self) -> None:
        env = self.env
        domain = get_domain(env)
        docname = env.docname
        # One walk finds every placeholder, rather than a walk per kind of a page that may be long.
        # The directives alone make placeholders, so none of the nodes filled in below holds one.
        found: dict[type[nodes.Node], list[Any]] = {kind: [] for kind in PLACEHOLDERS}
        for node in self.document.findall(_is_placeholder):
            found[type(node)].append(node)
        for node in found[casebook_listing]:
            entries = domain.select(node["query"])
            if node["kind"] == "table":
                node.replace_self(case_table(domain, docname, entries, node["columns"]))
            else:
                node.replace_self(case_list(domain, docname, entries))
        for index in found[casebook_index]:
            index.replace_self(
                term_index(domain, docname, index["taxonomy"], index.get("compact", False), index.get("cases", False))
            )
        for resources in found[casebook_resources]:
            resources.replace_self(sources_field(env, docname, resources["keys"]))
        for guide_node in found[casebook_guide]:
            guide_node.replace_self(guide(env, domain, docname, guide_node["group_by"], guide_node["needs_link"]))
        for related in found[casebook_related]:
            fields = [
                related_field(domain, docname, related["case_id"]),
                question_field(domain, docname, related["case_id"]),
            ]
            related.replace_self([f for f in fields if f is not None])
        for sources in found[casebook_sources]:
            sources.replace_self(page_sources(env, domain, sources["docname"]))
        for table in found[casebook_coverage]:
            table.replace_self(coverage_table(domain, docname, table["axis"]))
        for flag in found[casebook_review_flag]:
            entry = domain.index.by_id.get(flag["case_id"])
            flag.replace_self(due_flag() if entry is not None and is_due(env.config, entry.case) else [])
        for counts in found[casebook_stats]:
            counts.replace_self(stats(env, domain, docname))
        for questions in found[casebook_question_index]:
            questions.replace_self(question_index(domain, docname))
        for status in found[casebook_wanted_status]:
            status.replace_self(wanted_status(domain, docname, status["wanted_id"], status["title"]))
        for wanted in found[casebook_wanted_index]:
            wanted.replace_self(wanted_index(domain, docname))


class FillFinderTable(SphinxPostTransform):
    """Give the finder its portable table of every case, for the writers that print it.

    The HTML writer lists the cases itself (``finder.visit_html``), so HTML pages never build
    the table: at 3,000 cases it is a page of tens of thousands of nodes, references to resolve
    and words to index, on every rebuild that touches a case.
    """

    default_priority = 5
    formats = ("latex", "text", "man", "texinfo")

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        for finder in self.document.findall(casebook_finder):
            every = sorted(domain.index.by_id.values(), key=lambda e: e.case.title.casefold())
            with collector_paused():
                finder[:] = [case_table(domain, self.env.docname, every, DEFAULT_FINDER_COLUMNS)]

"""Open questions and wanted cases: entries that sessions and cases point to and that are listed together.

A ``question`` is declared where it was raised and names the cases that speak to it;
``question-index`` gathers every question by theme. A ``case-wanted`` records an
initiative the sources name but do not describe well enough for a case;
``cases-wanted`` lists those that have not yet become cases. Both listings are
filled late from the domain, like every other listing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from casebook_ext.countries import country_name
from casebook_ext.directives import CasebookDirective
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.model import QuestionEntry, WantedEntry
from casebook_ext.nodes import casebook_question_index, casebook_wanted_index, casebook_wanted_status
from casebook_ext.schema import suggest
from casebook_ext.vocabulary import SLUG_RE
from casebook_ext.xrefs import append_joined, doc_link, term_xref


def _slug_argument(directive: CasebookDirective, what: str) -> str | None:
    slug = directive.arguments[0].strip() if directive.arguments else ""
    if not SLUG_RE.match(slug):
        directive.warn("bad_id", f"{what} id {slug!r} is not a slug (lower-case letters, digits and hyphens)")
        return None
    return slug


def plain_text(body: list[nodes.Node]) -> str:
    """The body's words without citation keys, for listings that show it out of context."""
    parts = []
    for node in body:
        copy = node.deepcopy()
        for xref in list(copy.findall(addnodes.pending_xref)):
            if xref.get("refdomain") in ("cite", "footcite"):
                xref.parent.remove(xref)
        parts.append(copy.astext())
    text = " ".join(" ".join(parts).split())
    return re.sub(r"\s+([.,;:)])", r"\1", re.sub(r"\(\s*\)", "", text)).strip()


def _list_option(directive: CasebookDirective, name: str) -> tuple[str, ...]:
    text = directive.options.get(name) or ""
    return tuple(item.strip() for item in text.split(",") if item.strip())


class QuestionDirective(CasebookDirective):
    """Declare an open question; its body is the question, its options its themes and cases."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "themes": directives.unchanged,
        "cases": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        question_id = _slug_argument(self, "question")
        body = self.parse_content_to_nodes()
        if not self.content:
            self.warn("missing_field", "question has no text: write the question as the directive's body")
        if question_id is None:
            return body
        domain = get_domain(self.env)
        themes = []
        vocabulary = domain.vocabularies["theme"]
        for theme in _list_option(self, "themes"):
            if theme in vocabulary:
                themes.append(theme)
            else:
                self.warn(
                    "unknown_term",
                    f"themes: {theme!r} is not a known theme{suggest(theme, list(vocabulary))}",
                    self.option_line("themes"),
                )
        cases = _list_option(self, "cases")
        text = plain_text(body)
        entry = QuestionEntry(question_id, text, tuple(themes), cases, self.env.docname, self.lineno)
        domain.note_question(entry)

        box = nodes.container(classes=["casebook-question"])
        box += nodes.target("", "", ids=[entry.anchor])  # a target, so LaTeX gets a label too
        label = nodes.paragraph(classes=["casebook-question-label"])
        label += nodes.strong("Open question", "Open question")
        box += label
        box.extend(body)
        if themes:
            para = nodes.paragraph("", "Themes: ", classes=["casebook-question-themes"])
            box += append_joined(para, [term_xref(self.env.docname, "theme", t, vocabulary[t].label) for t in themes])
        if cases:
            box += cases_line(self.env.docname, cases)
        return [box]


def cases_line(docname: str, case_ids: tuple[str, ...]) -> nodes.Element:
    para = nodes.paragraph("", "Cases that speak to it: ", classes=["casebook-question-cases"])
    return append_joined(para, [term_xref(docname, "case", c, c, explicit=False) for c in case_ids], "; ")


class _ListingPlaceholder(CasebookDirective):
    """A listing filled late: the page is noted so it is rewritten when what it lists changes."""

    kind: ClassVar[str]
    node_class: ClassVar[type[nodes.Element]]

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).note_guide(self.env.docname, self.kind)
        node = self.node_class()
        self.set_source_info(node)
        return [node]


class QuestionIndexDirective(_ListingPlaceholder):
    """Every question of the casebook, grouped by theme."""

    kind = "questions"
    node_class = casebook_question_index


class CaseWantedDirective(CasebookDirective):
    """Record a case the casebook would like to have; its body says what the sources give."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "title": directives.unchanged,
        "place": directives.unchanged,
        "country": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        wanted_id = _slug_argument(self, "wanted case")
        body = self.parse_content_to_nodes()
        title = (self.options.get("title") or "").strip()
        if not title:
            self.warn("missing_field", "case-wanted needs a :title:")
            title = wanted_id or "Untitled"
        if wanted_id is None:
            return body
        text = plain_text(body)
        entry = WantedEntry(
            wanted_id,
            title,
            (self.options.get("place") or "").strip(),
            (self.options.get("country") or "").strip().upper(),
            text,
            self.env.docname,
            self.lineno,
        )
        get_domain(self.env).note_wanted(entry)
        box = nodes.container(classes=["casebook-wanted"])
        box += nodes.target("", "", ids=[entry.anchor])
        box += casebook_wanted_status(wanted_id=wanted_id, title=title)
        box.extend(body)
        return [box]


class CasesWantedDirective(_ListingPlaceholder):
    """Every wanted case declared anywhere that has not yet become a case."""

    kind = "wanted"
    node_class = casebook_wanted_index


def question_index(domain: CasebookDomain, docname: str) -> list[nodes.Node]:
    questions = domain.all_questions()
    headings = {slug: term.label for slug, term in domain.vocabularies["theme"].items()}
    headings[""] = "Other questions"
    out: list[nodes.Node] = []
    for theme, heading in headings.items():
        members = [q for q in questions if theme in q.themes or (not theme and not q.themes)]
        if not members:
            continue
        block = nodes.container(classes=["casebook-question-group"])
        title = f"{heading} ({len(members)})"
        block += nodes.rubric(title, title)
        items = nodes.bullet_list(classes=["casebook-questions"])
        for question in members:
            para = nodes.paragraph()
            para += term_xref(docname, "question", question.id, question.text, optional=False)
            para += nodes.Text(" Raised in: ")
            para += doc_link(docname, question.docname)
            para += nodes.Text(".")
            item = nodes.list_item("", para)
            if question.cases:
                item += cases_line(docname, question.cases)
            items += item
        block += items
        out.append(block)
    if not out:
        out.append(nodes.paragraph("No questions yet.", "No questions yet.", classes=["casebook-empty"]))
    return out


def wanted_index(domain: CasebookDomain, docname: str) -> list[nodes.Node]:
    """Wanted cases still to write, then those that have become cases, each linking to its case."""
    existing = domain.index.by_id
    everything = sorted(domain.all_wanted(), key=lambda w: w.title.casefold())
    wanted = [w for w in everything if w.id not in existing]
    written = [w for w in everything if w.id in existing]
    out: list[nodes.Node] = []
    if wanted:
        items = nodes.bullet_list(classes=["casebook-wanted-list"])
        for entry in wanted:
            head = nodes.paragraph()
            head += nodes.strong("", "", term_xref(docname, "wanted", entry.id, entry.title, optional=False))
            where = ", ".join(x for x in (entry.place, country_name(entry.country) if entry.country else "") if x)
            if where:
                head += nodes.Text(f" \u2014 {where}")
            item = nodes.list_item("", head)
            if entry.text:
                item += nodes.paragraph(entry.text, entry.text)
            mention = nodes.paragraph()
            mention += nodes.Text("Mentioned in: ")
            mention += doc_link(docname, entry.docname)
            item += mention
            items += item
        out.append(items)
    else:
        out.append(nodes.paragraph("No cases wanted.", "No cases wanted.", classes=["casebook-empty"]))
    if written:
        text = "Wanted cases that have since been written:"
        out.append(nodes.paragraph(text, text, classes=["casebook-wanted-written"]))
        done = nodes.bullet_list(classes=["casebook-wanted-written"])
        for entry in written:
            para = nodes.paragraph()
            para += term_xref(docname, "case", entry.id, existing[entry.id].case.title, optional=False)
            done += nodes.list_item("", para)
        out.append(done)
    return out


def wanted_status(domain: CasebookDomain, docname: str, wanted_id: str, title: str) -> nodes.paragraph:
    """ "Case wanted: title", or, once a case with that id exists, a link to it."""
    head = nodes.paragraph(classes=["casebook-wanted-status"])
    entry = domain.index.by_id.get(wanted_id)
    if entry is None:
        head += nodes.strong("Case wanted:", "Case wanted:")
        head += nodes.Text(f" {title}")
    else:
        head += nodes.strong("Now a case:", "Now a case:")
        head += nodes.Text(" ")
        head += term_xref(docname, "case", wanted_id, entry.case.title, optional=False)
    return head


def question_field(domain: CasebookDomain, docname: str, case_id: str) -> nodes.field | None:
    """The "Open questions" field of a case: questions that name it."""
    questions = [q for q in domain.all_questions() if case_id in q.cases]
    if not questions:
        return None
    items = nodes.bullet_list(classes=["casebook-related"])
    for question in questions:
        items += nodes.list_item(
            "", nodes.paragraph("", "", term_xref(docname, "question", question.id, question.text))
        )
    name = "Open questions"
    return nodes.field(
        "", nodes.field_name(name, name), nodes.field_body("", items), classes=["casebook-field-questions"]
    )

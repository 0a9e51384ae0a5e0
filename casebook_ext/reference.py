"""``casebook-reference``: the extension documents itself from its own tables, so docs cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from casebook_ext.config import CONFIG_FIELDS
from casebook_ext.domain import get_domain
from casebook_ext.problems import SUBTYPES, WARNING_TYPE
from casebook_ext.schema import FIELDS

logger = logging.getLogger(__name__)
PARTS = ("fields", "vocabularies", "config", "warnings")
#: Extensions built on the casebook add rows to the ``config`` and ``warnings`` parts through this
#: event (``casebook_ext.linkcheck`` adds its settings and subtypes, when it is loaded): a handler
#: takes ``(app, part)`` and returns rows of strings, (setting, default, meaning) or (warning, when).
ROWS_EVENT = "casebook-reference-rows"


def _extra_rows(directive: SphinxDirective, part: str) -> list[tuple[str, ...]]:
    return [row for rows in directive.env.events.emit(ROWS_EVENT, part) for row in rows]


def _inline(directive: SphinxDirective, text: str) -> list[nodes.Node]:
    """Render our own docstrings' ``literal`` markup (trusted text, never contributor input)."""
    out: list[nodes.Node] = []
    for i, chunk in enumerate(text.split("``")):
        if chunk:
            out.append(nodes.literal(chunk, chunk) if i % 2 else nodes.Text(chunk))
    return out


def _table(headers: Sequence[str], rows: Sequence[Sequence[list[nodes.Node]]]) -> nodes.table:
    table = nodes.table(classes=["casebook-reference"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head_row = nodes.row()
    for header in headers:
        head_row += nodes.entry("", nodes.paragraph(header, header))
    group += nodes.thead("", head_row)
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", nodes.paragraph("", "", *cell))
        body += row
    group += body
    return table


def _lit(text: str) -> list[nodes.Node]:
    return [nodes.literal(text, text)]


def _txt(text: str) -> list[nodes.Node]:
    return [nodes.Text(text)]


class CasebookReferenceDirective(SphinxDirective):
    """One part of the reference: ``fields``, ``vocabularies``, ``config`` or ``warnings``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0]
        if part == "fields":
            rows = [
                [
                    _lit(f.name),
                    _txt(f.kind.value + (f" ({f.vocabulary})" if f.vocabulary else "")),
                    _txt("yes" if f.required else "no"),
                    _inline(self, f.description),
                    _lit(f.example),
                ]
                for f in FIELDS
            ]
            return [_table(("Field", "Type", "Required", "Meaning", "Example"), rows)]
        if part == "vocabularies":
            out: list[nodes.Node] = []
            for name, terms in get_domain(self.env).vocabularies.terms.items():
                out.append(nodes.rubric(name, f"Vocabulary: {name}", ids=[f"casebook-vocabulary-{name}"]))
                out.append(
                    _table(
                        ("Term", "Label", "Meaning"),
                        [[_lit(t.slug), _txt(t.label), _txt(t.description)] for t in terms.values()],
                    )
                )
            return out
        if part == "config":
            rows = []
            for f in CONFIG_FIELDS:
                default = f.default_factory() if callable(f.default_factory) else f.default
                rows.append([_lit(f"casebook_{f.name}"), _lit(repr(default)), _inline(self, f.metadata["doc"])])
            rows += [[_lit(name), _lit(default), _inline(self, doc)] for name, default, doc in _extra_rows(self, part)]
            return [_table(("Setting", "Default", "Meaning"), rows)]
        if part == "warnings":
            rows = [[_lit(f"{WARNING_TYPE}.{name}"), _inline(self, text)] for name, text in SUBTYPES.items()]
            rows += [[_lit(name), _inline(self, text)] for name, text in _extra_rows(self, part)]
            return [_table(("Warning", "When"), rows)]
        logger.warning(
            "casebook-reference: unknown part %r (known: %s)",
            part,
            ", ".join(PARTS),
            type=WARNING_TYPE,
            subtype="bad_value",
            location=(self.env.docname, self.lineno),
        )
        return []

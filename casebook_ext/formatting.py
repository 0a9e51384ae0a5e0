"""Bibliography entries formatted by the site's pybtex style, once per build.

A page showing a resource reuses the entry formatted the first time (a deep copy of the
nodes), so a guide that lists every resource under several headings costs one formatting
per entry, not one per mention.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from docutils import nodes
from pybtex.plugin import find_plugin
from pybtex.richtext import Text
from pybtex.style.template import FieldIsMissing

from casebook_ext.resources import Resource
from casebook_ext.urls import safe_link

if TYPE_CHECKING:
    from pybtex.database import BibliographyData


@cache
def _style(name: str) -> Any:
    return find_plugin("pybtex.style.formatting", name)()


@cache
def _backend() -> Any:
    return find_plugin("pybtex.backends", "docutils")()


_formatted: dict[tuple[int, str, str], tuple[list[nodes.Node], str | None]] = {}
_formatted_for: BibliographyData | None = None


def format_entry(data: BibliographyData, style: str, resource: Resource) -> tuple[list[nodes.Node], str | None]:
    """The entry formatted by ``style``, and the required field it lacks, if any.

    A style drops the whole entry, link included, when a required field is missing; the
    casebook then shows the title and link itself rather than lose them.
    """
    global _formatted_for
    if _formatted_for is not data:
        _formatted.clear()
        _formatted_for = data
    cache_key = (id(data), style, resource.key)
    if cache_key not in _formatted:
        _formatted[cache_key] = _format(data, style, resource)
    formatted, missing = _formatted[cache_key]
    return [node.deepcopy() for node in formatted], missing


def _format(data: BibliographyData, style: str, resource: Resource) -> tuple[list[nodes.Node], str | None]:
    entry = data.entries[resource.key]
    try:
        formatted = _style(style).format_entry(label="", entry=entry)
        rendered = list(formatted.text.render(_backend()))
        return [_defuse(node) for node in rendered], None
    except FieldIsMissing as missing:
        title = Text.from_latex(entry.fields.get("title", resource.key)).render(_backend())
        out: list[nodes.Node] = [*title, nodes.Text(".")]
        link = safe_link(resource.link)
        if link:
            out += [nodes.Text(" "), nodes.reference(link, link, refuri=link)]
        return out, str(missing.field_name)


def _defuse(node: nodes.Node) -> nodes.Node:
    """Links whose scheme is not allowed (``javascript:``, ``data:``...) become plain text."""
    if isinstance(node, nodes.Element):
        for ref in list(node.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if uri and not safe_link(uri):
                ref.replace_self(nodes.Text(ref.astext()))
        if isinstance(node, nodes.reference) and node.get("refuri") and not safe_link(node["refuri"]):
            return nodes.Text(node.astext())
    return node

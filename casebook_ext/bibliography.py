"""Glue to sphinxcontrib-bibtex and pybtex: its parsed .bib data, its citations, its style.

sphinxcontrib-bibtex parses the .bib files once per build and records every citation
role; the casebook reads both through the ``cite`` domain rather than parsing again,
and formats entries with the same pybtex style, so nothing is formatted by hand.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from casebook_ext.resources import Resource, load

if TYPE_CHECKING:
    from pybtex.database import BibliographyData, Entry
    from sphinx.environment import BuildEnvironment


def _cite_domain(env: BuildEnvironment) -> Any | None:
    return env.domains["cite"] if "cite" in env.domains else None


def bib_data(env: BuildEnvironment) -> BibliographyData | None:
    """The parsed bibliography, or ``None`` when sphinxcontrib-bibtex is not loaded."""
    domain = _cite_domain(env)
    return domain.bibdata.data if domain is not None else None


def bib_files(env: BuildEnvironment) -> list[Path]:
    domain = _cite_domain(env)
    return list(domain.bibdata.bibfiles) if domain is not None else []


def resources(env: BuildEnvironment) -> dict[str, Resource]:
    data = bib_data(env)
    return _load_cached(data) if data is not None else {}


_last: tuple[BibliographyData, dict[str, Resource]] | None = None


def _load_cached(data: BibliographyData) -> dict[str, Resource]:
    """Classify the bibliography once per parse, not once per page (sphinxcontrib-bibtex reparses on change)."""
    global _last
    if _last is None or _last[0] is not data:
        _last = (data, load(data))
    return _last[1]


def page_citations(env: BuildEnvironment) -> dict[str, set[str]]:
    """Keys each page cites inline (``cite`` roles), by docname."""
    domain = _cite_domain(env)
    cited: dict[str, set[str]] = defaultdict(set)
    if domain is not None:
        for ref in domain.citation_refs:
            cited[ref.docname].update(target.key for target in ref.targets)
    return cited


def bibliography_pages(env: BuildEnvironment) -> set[str]:
    """Pages holding a ``bibliography`` directive (their content depends on every citation)."""
    domain = _cite_domain(env)
    return {key.docname for key in domain.bibliographies} if domain is not None else set()


@cache
def _style(name: str) -> Any:
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.style.formatting", name)()


@cache
def _backend() -> Any:
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.backends", "docutils")()


def format_entry(env: BuildEnvironment, entry: Entry, resource: Resource) -> tuple[list[nodes.Node], str | None]:
    """The entry formatted by the site's pybtex style, and the required field it lacks, if any.

    A style drops the whole entry, link included, when a required field is missing; the
    casebook then shows the title and link itself rather than lose them.
    """
    from pybtex.richtext import Text
    from pybtex.style.template import FieldIsMissing

    try:
        formatted = _style(env.config.bibtex_default_style).format_entry(label="", entry=entry)
        return list(formatted.text.render(_backend())), None
    except FieldIsMissing as missing:
        title = Text.from_latex(entry.fields.get("title", resource.key)).render(_backend())
        out: list[nodes.Node] = [*title, nodes.Text(".")]
        if resource.link:
            out += [nodes.Text(" "), nodes.reference(resource.link, resource.link, refuri=resource.link)]
        return out, str(missing.field_name)

"""The one door to sphinxcontrib-bibtex: its parsed .bib data, its citations and its bibliographies.

sphinxcontrib-bibtex parses the .bib files once per build and records every citation role in
its ``cite`` domain; the casebook reads them from there rather than parsing again. Every
access to that domain is in this module, so a change on its side is mended in one place. The
extension works without sphinxcontrib-bibtex: then there is no bibliography, and a case's
resources are shown as plain keys (see :func:`available`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook_ext import citestyle
from casebook_ext.config import settings_of
from casebook_ext.resources import Resource, load

if TYPE_CHECKING:
    from pybtex.database import BibliographyData
    from sphinx.environment import BuildEnvironment


def _cite_domain(env: BuildEnvironment) -> Any | None:
    """sphinxcontrib-bibtex's ``BibtexDomain``, whose public properties ``bibdata``, ``citation_refs``
    and ``bibliographies`` are read below (the package ships no type hints, hence ``Any``)."""
    return env.domains["cite"] if "cite" in env.domains else None


def available(env: BuildEnvironment) -> bool:
    """Whether the site loads sphinxcontrib-bibtex (and so has a bibliography to check keys against)."""
    return _cite_domain(env) is not None


def bib_data(env: BuildEnvironment) -> BibliographyData | None:
    """The parsed bibliography, or ``None`` when sphinxcontrib-bibtex is not loaded."""
    domain = _cite_domain(env)
    return domain.bibdata.data if domain is not None else None


def bib_files(env: BuildEnvironment) -> list[Path]:
    domain = _cite_domain(env)
    return [Path(p) for p in domain.bibdata.bibfiles] if domain is not None else []


_last: tuple[BibliographyData, dict[str, Resource]] | None = None


def resources(env: BuildEnvironment) -> dict[str, Resource]:
    """Every entry as a :class:`Resource`, classified once per parse (not once per page)."""
    global _last
    data = bib_data(env)
    if data is None:
        return {}
    if _last is None or _last[0] is not data:
        _last = (data, load(data, tuple(settings_of(env.config).vocabularies()["pillar"])))
    return _last[1]


_labels: tuple[BibliographyData, dict[str, str]] | None = None


def labels(env: BuildEnvironment) -> dict[str, str]:
    """Every entry's short citation label (``IIPP 2023a``), computed once per parse."""
    global _labels
    data = bib_data(env)
    if data is None:
        return {}
    if _labels is None or _labels[0] is not data:
        _labels = (data, citestyle.labels(data))
    return _labels[1]


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

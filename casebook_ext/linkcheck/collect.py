"""Gather every external link of a build and every place that uses it, from the environment.

Bibliography links come from the BibTeX data itself (``url`` and ``doi`` fields), not from
rendered HTML: an entry its style would print without its URL is still checked. Each is
mapped to the entry's own line and to every case (its ``resources`` line), ``cite`` role and
``resource`` role naming the key. Narrative links come from the pages' doctrees as read
(before bibliographies are rendered, so entries are not counted twice).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from casebook_ext.linkcheck.bibscan import BibEntry, scan
from casebook_ext.linkcheck.model import Place, PlaceKind, Target, TargetKind
from casebook_ext.linkcheck.urls import bare_doi, doi_of_url, normalise_doi, scheme_of, without_fragment

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinxcontrib.bibtex.roles import CitationRef


def citation_refs(env: BuildEnvironment) -> list[CitationRef]:
    """Every ``cite`` role of the build, as sphinxcontrib-bibtex recorded it.

    The one place the checker reads sphinxcontrib-bibtex's data: its domain's ``citation_refs``
    property and the ``CitationRef`` tuples it holds (typed, from its ``py.typed`` package), as
    its API documentation describes them; it has no function that returns them. Empty when the
    extension is not loaded.
    """
    if "cite" not in env.domains:
        return []
    from sphinxcontrib.bibtex.domain import BibtexDomain

    domain = env.get_domain("cite")
    return list(domain.citation_refs) if isinstance(domain, BibtexDomain) else []


def project_root(env: BuildEnvironment) -> Path:
    """The folder holding the sources and the .bib files: report paths are relative to it."""
    from casebook_ext.bibliography import bib_files

    folders = [str(Path(env.srcdir).resolve())] + [str(Path(p).resolve().parent) for p in bib_files(env)]
    return Path(os.path.commonpath(folders))


def _relative(path: Path | str, root: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), root)).as_posix()


def target_key(written: str) -> tuple[str, TargetKind]:
    """What a link is checked as: a DOI (``doi:`` + normalised) or a URL without its fragment."""
    doi = doi_of_url(written)
    if doi is not None:
        return "doi:" + normalise_doi(doi), TargetKind.DOI
    return without_fragment(written), TargetKind.URL


def _line_of(node: nodes.Node) -> int:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return int(current.line)
        current = current.parent
    return 0


@dataclass
class _Pages:
    """What the pages' doctrees say: links in the text, ``resource`` roles, and cite roles' lines."""

    links: list[Place] = field(default_factory=list)
    citing: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    cite_lines: dict[str, int] = field(default_factory=dict)  # citation_ref_id -> line


def _refine(lines: list[str], start: int, needle: str) -> int:
    """The line at or after ``start`` (a paragraph's first line) that holds ``needle``, else ``start``.

    Docutils gives inline nodes only their paragraph's line; the text says which line it is.
    """
    if start <= 0:
        return start
    for number in range(start, min(start + 200, len(lines) + 1)):
        if needle in lines[number - 1]:
            return number
    return start


def read_pages(env: BuildEnvironment, root: Path) -> _Pages:
    pages = _Pages()
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        file = _relative(path, root)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError:
            lines = []
        doctree = env.get_doctree(docname)
        for xref in doctree.findall(addnodes.pending_xref):
            if xref.get("refdomain") == "casebook" and xref.get("reftype") == "resource":
                key = str(xref["reftarget"])
                line = _refine(lines, _line_of(xref), key)
                place = Place(file, line, PlaceKind.RESOURCE_ROLE, key, key=key, docname=docname)
                pages.citing[key].append(place)
            elif xref.get("refdomain") == "cite" and xref.get("ids"):
                pages.cite_lines[str(xref["ids"][0])] = _refine(lines, _line_of(xref), str(xref["reftarget"]))
        uris: list[tuple[str, nodes.Element]] = [
            (str(ref["refuri"]), ref) for ref in doctree.findall(nodes.reference) if ref.get("refuri")
        ]
        uris += [(str(img["uri"]), img) for img in doctree.findall(nodes.image) if "://" in str(img.get("uri", ""))]
        for uri, node in uris:
            if node.get("internal") or not scheme_of(uri) or uri.startswith("#"):
                continue
            line = _refine(lines, _line_of(node), uri)
            pages.links.append(Place(file, line, PlaceKind.LINK, uri, docname=docname))
    return pages


def bib_places(env: BuildEnvironment, root: Path, pages: _Pages) -> list[Place]:
    """The ``url``/``doi`` field places of every entry; the places citing each key go into ``pages.citing``."""
    from casebook_ext.bibliography import bib_files, resources
    from casebook_ext.domain import get_domain

    entries: dict[str, tuple[Path, BibEntry]] = {}
    for path in bib_files(env):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError:
            continue
        for key, entry in scan(text).items():
            entries.setdefault(key, (Path(path), entry))

    fields: list[Place] = []
    for key, resource in sorted(resources(env).items()):
        where = entries.get(key)
        file = _relative(where[0], root) if where else ""
        for name, value in (("doi", resource.doi), ("url", resource.url)):
            if value:
                line = where[1].field_line(name) if where else 0
                fields.append(Place(file, line, PlaceKind.BIBTEX, value, key=key, field=name))

    citing = pages.citing
    for case_entry in get_domain(env).entries():
        file = _relative(env.doc2path(case_entry.docname), root)
        line = case_entry.line_of("resources")
        for key in case_entry.case.resources:
            citing[key].append(
                Place(file, line, PlaceKind.CASE, key, key=key, docname=case_entry.docname, case=case_entry.case.id)
            )
    for ref in citation_refs(env):
        file = _relative(env.doc2path(ref.docname), root)
        line = ref.line or pages.cite_lines.get(ref.citation_ref_id, 0)
        for cited in ref.targets:
            citing[cited.key].append(
                Place(file, line, PlaceKind.CITATION, cited.key, key=cited.key, docname=ref.docname)
            )
    return fields


_KIND_ORDER = {kind: i for i, kind in enumerate(PlaceKind)}


def _place_order(place: Place) -> tuple[int, str, int, str]:
    """The BibTeX entry first, then cases, citations, resource roles and links, each by file and line."""
    return _KIND_ORDER[place.kind], place.file, place.line, place.written


def targets(places: Iterable[Place], citing: dict[str, list[Place]]) -> list[Target]:
    """Group places by what is checked; each BibTeX field place brings the places citing its key."""
    grouped: dict[str, set[Place]] = defaultdict(set)
    kinds: dict[str, TargetKind] = {}
    for place in places:
        key, kind = (
            ("doi:" + normalise_doi(place.written), TargetKind.DOI)
            if place.field == "doi"
            else target_key(place.written)
        )
        kinds[key] = kind
        grouped[key].add(place)
        if place.kind is PlaceKind.BIBTEX:
            grouped[key].update(citing.get(place.key, ()))
    out: list[Target] = []
    for key in sorted(grouped):
        ordered = tuple(sorted(grouped[key], key=_place_order))
        written = [p.written for p in ordered if p.kind is PlaceKind.BIBTEX or p.kind is PlaceKind.LINK]
        if kinds[key] is TargetKind.DOI:
            doi_fields = [p.written for p in ordered if p.field == "doi"]
            doi = (doi_fields or [doi_of_url(w) or w for w in written])[0].strip()
            out.append(Target(key, TargetKind.DOI, "https://doi.org/" + bare_doi(doi), doi=doi, places=ordered))
        else:
            out.append(Target(key, TargetKind.URL, key, places=ordered))
    return out


def collect(env: BuildEnvironment) -> tuple[Path, list[Target]]:
    """The project root and every target of the build with all its places."""
    root = project_root(env)
    pages = read_pages(env, root)
    fields = bib_places(env, root, pages)
    return root, targets([*fields, *pages.links], pages.citing)

"""Checks on the bibliography that need every citation: run once per build, in the main process."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from casebook_ext import bibliography
from casebook_ext.formatting import format_entry
from casebook_ext.guide import Citers, citers
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.resources import KIND_FIELD, KINDS, STATUS_FIELD, entry_line
from casebook_ext.schema import suggest
from casebook_ext.urls import SAFE_SCHEMES, scheme_of

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from casebook_ext.domain import CasebookDomain

logger = logging.getLogger(__name__)


def check(env: BuildEnvironment, domain: CasebookDomain) -> None:
    """Warn, once per entry, about resources that would mislead or fail a reader."""
    data = bibliography.bib_data(env)
    if data is None:
        return
    who = citers(env, domain)
    files = bibliography.bib_files(env)
    pillars = tuple(domain.vocabularies["pillar"])
    for key, resource in bibliography.resources(env).items():
        cited = who.get(key)
        location = _location(cited, key, files)
        if resource.unsafe_url:
            logger.warning(
                "resource %r: the URL %r is shown as text, not a link: its scheme %r is not one of %s",
                key,
                resource.url,
                scheme_of(resource.url),
                ", ".join((*SAFE_SCHEMES, "doi")),
                type=WARNING_TYPE,
                subtype="unsafe_url",
                location=_entry_location(key, files),
            )
        for field, value in resource.unknown:
            known = {KIND_FIELD: KINDS, STATUS_FIELD: ("unverified",)}.get(field, pillars)
            logger.warning(
                "resource %r: %s = {%s} is not a value the casebook knows (known: %s), so it is ignored%s",
                key,
                field,
                value,
                ", ".join(known),
                suggest(value, list(known)),
                type=WARNING_TYPE,
                subtype="resource_bad_field",
                location=_entry_location(key, files),
            )
        _, missing = format_entry(data, env.config.bibtex_default_style, resource)
        if missing:
            logger.warning(
                "resource %r lacks the field %r that its style requires, so a bibliography would show it "
                "without its link",
                key,
                missing,
                type=WARNING_TYPE,
                subtype="resource_missing_field",
                location=location,
            )
        if not resource.link and not resource.unsafe_url:
            logger.warning(
                "resource %r has neither a DOI nor a URL",
                key,
                type=WARNING_TYPE,
                subtype="resource_no_link",
                location=location,
            )
        if cited is None or (not cited.cases and not cited.pages):
            logger.warning(
                "resource %r is not cited by any case or page",
                key,
                type=WARNING_TYPE,
                subtype="resource_uncited",
                location=location,
            )


def _entry_location(key: str, files: list[Path]) -> str:
    """``file.bib:line`` of the entry, for warnings about the entry itself."""
    for path in files:
        line = entry_line(path, key)
        if line is not None:
            return f"{path}:{line}"
    return f"{files[0]}:" if files else "bibtex_bibfiles:"


def _location(cited: Citers | None, key: str, files: list[Path]) -> tuple[str, int] | str:
    """The first case citing the entry (its resources line), else the entry's line in its .bib file."""
    if cited is not None and cited.cases:
        first = cited.cases[0]
        return first.docname, first.line_of("resources")
    return _entry_location(key, files)

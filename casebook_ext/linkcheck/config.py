"""The ``casebook_linkcheck_*`` settings, declared once as a typed dataclass.

Each field becomes ``casebook_linkcheck_<name>`` with its type, default and description, the
same way the casebook's own ``CasebookConfig`` does. None of them changes what a page says, so
none re-reads the pages when it changes (Sphinx's ``rebuild`` is empty). :mod:`settings` turns
them into the run's validated, unit-converted settings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PREFIX = "casebook_linkcheck_"
#: Written with a unit (``"10s"``) or as a plain number of seconds.
DURATION = frozenset({str, int, float})


def _doc(text: str, types: frozenset[type] | None = None) -> dict[str, object]:
    return {"doc": text, "types": types}


@dataclass(frozen=True)
class LinkcheckConfig:
    """Settings a site puts in ``conf.py``; each field becomes ``casebook_linkcheck_<name>``."""

    timeout: str = field(
        default="10s",
        metadata=_doc("The longest wait for one request (connecting, TLS, headers), e.g. ``10s``.", DURATION),
    )
    run_timeout: str = field(
        default="10m",
        metadata=_doc("The longest whole run; links not checked by then are *unverifiable*.", DURATION),
    )
    workers: int = field(default=16, metadata=_doc("Requests in flight at once."))
    workers_per_host: int = field(default=4, metadata=_doc("Requests in flight at once to one host (name and port)."))
    retries: int = field(
        default=2,
        metadata=_doc("Further attempts after a 429, a 5xx, a dropped connection or a DNS or connection failure."),
    )
    backoff: str = field(
        default="1s",
        metadata=_doc("The first pause before a retry when no ``Retry-After`` is given; it doubles.", DURATION),
    )
    retry_after_max: str = field(
        default="60s",
        metadata=_doc("The longest ``Retry-After`` honoured; a longer one makes the link *unverifiable*.", DURATION),
    )
    cache: str = field(
        default="",
        metadata=_doc(
            "The cache file, relative to ``conf.py`` (empty: ``cache.json`` in the output folder; ``none``: no cache)."
        ),
    )
    cache_max_age: str = field(
        default="7d",
        metadata=_doc("How long a working link or a redirect is trusted without a request.", DURATION),
    )
    cache_unverifiable_max_age: str = field(
        default="6h",
        metadata=_doc(
            "How long an *unverifiable* result (a timeout, an endless 429) is trusted without a request; "
            "``0`` checks them on every run.",
            DURATION,
        ),
    )
    ignore: list[str] = field(
        default_factory=list,
        metadata=_doc(
            "Regular expressions; a URL or DOI matching one is reported as *ignored*.", frozenset({list, tuple})
        ),
    )
    anchors: bool = field(
        default=True,
        metadata=_doc("Check that a link's ``#fragment`` is an ``id`` or ``name`` in the HTML page it points to."),
    )
    anchors_ignore: list[str] = field(
        default_factory=lambda: ["^!", "^/", "^:~:"],
        metadata=_doc(
            "Regular expressions; a ``#fragment`` matching one is not checked (by default ``#!`` and ``#/`` "
            "routes of script-driven pages, and ``#:~:`` text fragments).",
            frozenset({list, tuple}),
        ),
    )
    doi_resolver: str = field(
        default="https://doi.org",
        metadata=_doc("The DOI resolver whose handle API (``/api/handles/<doi>``) says if a DOI exists."),
    )
    fail_on: list[str] = field(
        default_factory=lambda: ["broken"],
        metadata=_doc(
            "The outcomes that fail the run (``broken``, ``unverifiable``, ``redirected``).", frozenset({list, tuple})
        ),
    )
    user_agent: str = field(default="", metadata=_doc("The ``User-Agent`` sent (empty: the checker's own)."))
    changed_since: str = field(
        default="",
        metadata=_doc(
            "Check only links whose page or BibTeX entry changed since this git revision (one run's setting)."
        ),
    )


FIELDS = dataclasses.fields(LinkcheckConfig)


def default(spec: dataclasses.Field[object]) -> object:
    return spec.default_factory() if spec.default_factory is not dataclasses.MISSING else spec.default


def types_of(spec: dataclasses.Field[object]) -> frozenset[type]:
    declared = spec.metadata["types"]
    return declared if declared is not None else frozenset({type(default(spec))})


def register(app: Sphinx) -> None:
    """Declare every setting with its type; none re-reads the pages when it changes."""
    for spec in FIELDS:
        app.add_config_value(
            PREFIX + spec.name, default(spec), "", types=types_of(spec), description=spec.metadata["doc"]
        )


def from_sphinx(config: Config) -> LinkcheckConfig:
    """The settings of a build as written (:func:`settings.from_config` validates them)."""
    return LinkcheckConfig(**{spec.name: getattr(config, PREFIX + spec.name) for spec in FIELDS})


def reference_rows(part: str) -> list[tuple[str, ...]]:
    """Rows for the casebook's generated reference page: settings, or warning subtypes."""
    from casebook_ext.linkcheck.problems import SUBTYPES, WARNING_TYPE

    if part == "config":
        return [(PREFIX + s.name, repr(default(s)), "Link check: " + s.metadata["doc"]) for s in FIELDS]
    if part == "warnings":
        return [(f"{WARNING_TYPE}.{name}", text) for name, text in SUBTYPES.items()]
    return []

"""The checker's vocabulary: where a link is used, what is checked, and what came back.

Plain frozen dataclasses with no Sphinx import, shared by collecting, checking, caching
and reporting, so each of those can be tested (and reused by the command) on its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from casebook_ext import __version__

USER_AGENT = f"Mozilla/5.0 (compatible; casebook-linkcheck/{__version__})"


class Outcome(enum.StrEnum):
    """What a reader would meet; only the outcomes in ``fail_on`` fail a run."""

    WORKING = "working"
    REDIRECTED = "redirected"
    BROKEN = "broken"
    UNVERIFIABLE = "unverifiable"
    IGNORED = "ignored"


#: Report order: what needs fixing first.
OUTCOME_ORDER = (Outcome.BROKEN, Outcome.UNVERIFIABLE, Outcome.REDIRECTED, Outcome.WORKING, Outcome.IGNORED)


class PlaceKind(enum.StrEnum):
    """How a place uses a link."""

    BIBTEX = "bibtex"  # the ``url`` or ``doi`` field of a BibTeX entry
    CASE = "case"  # a case's ``resources`` field names the entry
    CITATION = "citation"  # a ``cite`` role on a page
    RESOURCE_ROLE = "resource-role"  # a ``resource`` role on a page
    LINK = "link"  # a hyperlink written in a page's text


@dataclass(frozen=True, order=True)
class Place:
    """One use of a link: the file and line a maintainer would edit."""

    file: str  # relative to the project root (the folder holding the sources and the .bib files)
    line: int
    kind: PlaceKind
    written: str  # the URL or DOI exactly as written in the .bib file or page
    key: str = ""  # the BibTeX key, for every kind but ``link``
    field: str = ""  # ``url`` or ``doi`` (BibTeX places)
    docname: str = ""  # the page, for every kind but ``bibtex``
    case: str = ""  # the case id (``case`` places)


class TargetKind(enum.StrEnum):
    URL = "url"
    DOI = "doi"


@dataclass(frozen=True)
class Target:
    """One thing to check, however many places use it: a URL (with the ``#anchor`` checked, if any) or a DOI."""

    key: str  # the URL without its fragment (plus ``#anchor`` when one is checked), or ``doi:`` + the DOI
    kind: TargetKind
    url: str  # what is fetched (never with a fragment) or, for a DOI, its ``https://doi.org/`` link
    doi: str = ""  # the DOI as first written (DOI targets)
    places: tuple[Place, ...] = ()
    anchor: str = ""  # the ``#fragment`` checked in the page, as written (without ``#``)

    @property
    def shown(self) -> str:
        """The link as a reader sees it: the URL with its checked anchor, or the DOI as written."""
        if self.kind is TargetKind.DOI:
            return self.doi
        return f"{self.url}#{self.anchor}" if self.anchor else self.url

    @property
    def keys(self) -> tuple[str, ...]:
        """The BibTeX keys behind this link, in order."""
        return tuple(sorted({p.key for p in self.places if p.key}))


@dataclass(frozen=True)
class Hop:
    """One redirect: the URL asked for, the status answered, and where it sent us."""

    url: str
    status: int
    location: str


@dataclass(frozen=True)
class Result:
    """The outcome for one target, as fetched now or remembered from the cache."""

    outcome: Outcome
    reason: str
    status: int | None = None
    final_url: str = ""
    redirects: tuple[Hop, ...] = ()
    #: The last URL reached through permanent redirects only: a safe replacement for the link.
    permanent_url: str = ""
    attempts: int = 0
    checked_at: float = 0.0  # when it was fetched; 0 when it never was (ignored, or not reached)
    from_cache: bool = False


@dataclass(frozen=True)
class Run:
    """Everything one run produced, ready for the reports."""

    targets: tuple[Target, ...]
    results: dict[str, Result]
    fail_on: frozenset[Outcome]
    requests: int = 0
    elapsed: float = 0.0
    changed_since: str = ""
    #: Targets left out because none of their places changed since ``changed_since``.
    unchanged: int = 0
    generated: str = ""
    notes: tuple[str, ...] = field(default=())

    def from_cache(self) -> dict[Outcome, int]:
        """How many results of each outcome were remembered rather than fetched."""
        out = dict.fromkeys(Outcome, 0)
        for target in self.targets:
            result = self.results[target.key]
            if result.from_cache:
                out[result.outcome] += 1
        return out

    def counts(self) -> dict[Outcome, int]:
        out = dict.fromkeys(Outcome, 0)
        for target in self.targets:
            out[self.results[target.key].outcome] += 1
        return out

    @property
    def failed(self) -> bool:
        return any(self.results[t.key].outcome in self.fail_on for t in self.targets)


@dataclass(frozen=True)
class Options:
    """How hard and how long to try; every limit is a bound, so a run always ends."""

    timeout: float = 10.0  # one request: DNS, connect, TLS, headers and the part of the body read
    run_timeout: float = 600.0  # the whole run; links not done by then are unverifiable
    workers: int = 16  # requests in flight overall
    per_host: int = 4  # requests in flight to one host (host and port)
    retries: int = 2  # further attempts after a 429, a 5xx, a dropped connection or a DNS or connection failure
    backoff: float = 1.0  # first wait when no Retry-After is given; doubles each time
    retry_after_max: float = 60.0  # the longest Retry-After honoured; longer means unverifiable
    max_redirects: int = 10
    doi_resolver: str = "https://doi.org"
    user_agent: str = USER_AGENT
    ignore: tuple[str, ...] = ()  # regular expressions matched against the URL or DOI as written

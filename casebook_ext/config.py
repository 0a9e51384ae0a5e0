"""The ``casebook_*`` configuration values, declared once as a typed dataclass."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casebook_ext.vocabulary import DEFAULT_VOCABULARIES, SLUG_RE, Vocabularies

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class CasebookConfig:
    """Settings a site puts in ``conf.py``; each field becomes ``casebook_<name>``."""

    extra_terms: dict[str, dict[str, str]] = field(
        default_factory=dict,
        metadata={
            "doc": "Terms added to a vocabulary: ``{vocabulary: {slug: label}}``; vocabularies are "
            + ", ".join(f"``{n}``" for n in DEFAULT_VOCABULARIES)
            + "."
        },
    )
    collapse_navigation: bool = field(
        default=True,
        metadata={
            "doc": "Collapse the sidebar's toctree to the current branch on every HTML "
            "page, so page size and build time stay linear in the number of cases."
        },
    )
    editorial_fields: list[str] = field(
        default_factory=lambda: ["pillars"],
        metadata={
            "doc": "Fields that are always the casebook's own classification (marked as such on every case), "
            "besides those a case lists in ``editorial``."
        },
    )
    summary_max_length: int = field(
        default=280, metadata={"doc": "The longest summary, in characters, before ``summary_too_long``."}
    )
    linkcheck_timeout: str = field(
        default="10s",
        metadata={"doc": "Link check: the longest wait for one request (connecting, TLS, headers), e.g. ``10s``."},
    )
    linkcheck_run_timeout: str = field(
        default="10m",
        metadata={"doc": "Link check: the longest whole run; links not checked by then are *unverifiable*."},
    )
    linkcheck_workers: int = field(default=16, metadata={"doc": "Link check: requests in flight at once."})
    linkcheck_workers_per_host: int = field(
        default=4, metadata={"doc": "Link check: requests in flight at once to one host (name and port)."}
    )
    linkcheck_retries: int = field(
        default=2,
        metadata={"doc": "Link check: further attempts after a 429, a 5xx or a dropped connection."},
    )
    linkcheck_backoff: str = field(
        default="1s",
        metadata={"doc": "Link check: the first pause before a retry when no ``Retry-After`` is given; it doubles."},
    )
    linkcheck_retry_after_max: str = field(
        default="60s",
        metadata={
            "doc": "Link check: the longest ``Retry-After`` honoured; a longer one makes the link *unverifiable*."
        },
    )
    linkcheck_cache: str = field(
        default="",
        metadata={
            "doc": "Link check: the cache file, relative to ``conf.py`` (empty: ``cache.json`` in the output "
            "folder; ``none``: no cache)."
        },
    )
    linkcheck_cache_max_age: str = field(
        default="7d",
        metadata={"doc": "Link check: how long a working link or a redirect is trusted without a request."},
    )
    linkcheck_ignore: list[str] = field(
        default_factory=list,
        metadata={"doc": "Link check: regular expressions; a URL or DOI matching one is reported as *ignored*."},
    )
    linkcheck_doi_resolver: str = field(
        default="https://doi.org",
        metadata={
            "doc": "Link check: the DOI resolver whose handle API (``/api/handles/<doi>``) says if a DOI exists."
        },
    )
    linkcheck_fail_on: list[str] = field(
        default_factory=lambda: ["broken"],
        metadata={"doc": "Link check: the outcomes that fail the run (``broken``, ``unverifiable``, ``redirected``)."},
    )
    linkcheck_user_agent: str = field(
        default="", metadata={"doc": "Link check: the ``User-Agent`` sent (empty: the checker's own)."}
    )

    def vocabularies(self) -> Vocabularies:
        return Vocabularies.build(self.extra_terms)


CONFIG_FIELDS = dataclasses.fields(CasebookConfig)


def register(app: Sphinx) -> None:
    """Declare every config value with its type; a change re-reads all documents."""
    for f in CONFIG_FIELDS:
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        kind = dict if isinstance(default, dict) else type(default)
        app.add_config_value(
            f"casebook_{f.name}", default, "env", types=frozenset({kind}), description=f.metadata["doc"]
        )


def problems(config: Config) -> list[str]:
    """What is wrong with a site's casebook settings, as messages."""
    found: list[str] = []
    extra = config.casebook_extra_terms
    for name, terms in extra.items():
        if name not in DEFAULT_VOCABULARIES:
            found.append(
                f"casebook_extra_terms: unknown vocabulary {name!r} (known: {', '.join(DEFAULT_VOCABULARIES)})"
            )
            continue
        if not isinstance(terms, dict):
            found.append(f"casebook_extra_terms[{name!r}] must be a dict of slug -> label")
            continue
        for slug, label in terms.items():
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                found.append(f"casebook_extra_terms[{name!r}]: {slug!r} is not a slug")
            if not isinstance(label, str) or not label.strip():
                found.append(f"casebook_extra_terms[{name!r}][{slug!r}] needs a non-empty label")
    if not isinstance(config.casebook_summary_max_length, int) or config.casebook_summary_max_length < 1:
        found.append("casebook_summary_max_length must be a positive integer")
    return found


def from_sphinx(config: Config) -> CasebookConfig:
    """The typed settings of a build (call after :func:`problems` found nothing)."""
    return CasebookConfig(**{f.name: getattr(config, f"casebook_{f.name}") for f in CONFIG_FIELDS})


def check(app: Sphinx, config: Config) -> None:
    """Stop the build early with every settings problem listed, not a traceback later."""
    from sphinx.errors import ConfigError

    found = problems(config)
    if found:
        raise ConfigError("invalid casebook configuration in conf.py: " + "; ".join(found))

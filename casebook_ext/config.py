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
    # The casebook_linkcheck_* settings belong to the casebook_ext.linkcheck extension (its config.py).

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

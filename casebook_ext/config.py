"""The ``casebook_*`` configuration values, declared once as a typed dataclass."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from casebook_ext.completeness import EXPECTED_SECTIONS, FILLED, Rule
from casebook_ext.dates import parse_age
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.schema import EDITORIAL_FIELDS
from casebook_ext.vocabulary import DEFAULT_VOCABULARIES, SLUG_RE, TAXONOMY_LABELS, Vocabularies

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


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
    terms: dict[str, dict[str, str]] = field(
        default_factory=dict,
        metadata={
            "doc": "Vocabularies replaced by a site's own: ``{vocabulary: {slug: label}}`` (for example other "
            "``pillar`` terms than the ROAR framework's, for a casebook of another field)."
        },
    )
    taxonomy_labels: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "doc": "Names readers see for taxonomies, replacing the defaults: ``{taxonomy: label}``, "
            "e.g. ``{'pillar': 'Framework pillar'}``."
        },
    )
    short_roles: bool = field(
        default=False,
        metadata={
            "doc": "Also register the roles without the ``casebook:`` prefix (``case``, ``pillar``, "
            "``country`` ...), for sites where no other extension uses those names."
        },
    )
    expected_sections: list[str] = field(
        default_factory=lambda: list(EXPECTED_SECTIONS),
        metadata={"doc": "Section titles a complete case has, for the completeness indicator contributors see."},
    )
    completeness_fields: list[str] = field(
        default_factory=lambda: list(FILLED),
        metadata={"doc": "Fields a complete case fills, for the completeness indicator contributors see."},
    )
    term_pages: str = field(
        default="browse",
        metadata={
            "doc": "The folder of the HTML pages, one per taxonomy term, that list each term's cases "
            "(``browse/pillar/routes.html``); empty for none (terms then link to their index entry)."
        },
    )
    redirects: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "doc": "Old case ids and the ids that replaced them, ``{'old-id': 'new-id'}``: the old address "
            "keeps working and sends readers to the renamed case."
        },
    )
    stale_after: str = field(
        default="18 months",
        metadata={
            "doc": "How old a case's last review may be before it is due for review, e.g. ``18 months`` or "
            "``2 years`` (``0 months``: never). A case due for review is flagged on its page, in the finder "
            "and in ``cases.json``; ``casebook check`` warns (``casebook.review_due``)."
        },
    )
    licence: str = field(
        default="",
        metadata={"doc": "The licence of the casebook's content, as citations, the data and the PDF state it."},
    )
    pdf_file: str = field(
        default="",
        metadata={
            "doc": "The PDF edition, relative to ``conf.py``: when the file exists, the HTML build publishes it "
            "beside the pages and links it from the landing page and the data page."
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
    share_navigation: bool = field(
        default=True,
        metadata={
            "doc": "Render the collapsed sidebar once for each group of sibling pages and mark the current page "
            "in a copy, instead of once per page (the same HTML, built faster)."
        },
    )
    summary_max_length: int = field(
        default=280, metadata={"doc": "The longest summary, in characters, before ``summary_too_long``."}
    )
    # The casebook_linkcheck_* settings belong to the casebook_ext.linkcheck extension (its config.py).

    def vocabularies(self) -> Vocabularies:
        return Vocabularies.build(self.extra_terms, self.terms)

    def completeness_rule(self) -> Rule:
        return Rule(tuple(self.completeness_fields), tuple(self.expected_sections))

    def taxonomy_label(self, taxonomy: str) -> str:
        return self.taxonomy_labels.get(taxonomy) or TAXONOMY_LABELS[taxonomy]


CONFIG_FIELDS = dataclasses.fields(CasebookConfig)


def register(app: Sphinx) -> None:
    """Declare every config value with its type; a change re-reads all documents."""
    for f in CONFIG_FIELDS:
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        kind = dict if isinstance(default, dict) else type(default)
        app.add_config_value(
            f"casebook_{f.name}", default, "env", types=frozenset({kind}), description=f.metadata["doc"]
        )


def _type_problem(name: str, value: object, default: object) -> str | None:
    """A value whose type differs from its default's (a list where a dict is expected...)."""
    expected = dict if isinstance(default, dict) else type(default)
    if expected is int and isinstance(value, bool):
        return f"{name} must be an integer, not {value!r}"
    if not isinstance(value, expected):
        return f"{name} must be a {expected.__name__}, not {type(value).__name__} {value!r}"
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        return f"{name} must be a list of strings"
    return None


def _term_problems(name: str, mapping: dict[Any, Any]) -> list[str]:
    found: list[str] = []
    for vocabulary, terms in mapping.items():
        if vocabulary not in DEFAULT_VOCABULARIES:
            found.append(f"{name}: unknown vocabulary {vocabulary!r} (known: {', '.join(DEFAULT_VOCABULARIES)})")
            continue
        if not isinstance(terms, dict):
            found.append(f"{name}[{vocabulary!r}] must be a dict of slug -> label, not {type(terms).__name__}")
            continue
        for slug, label in terms.items():
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                found.append(f"{name}[{vocabulary!r}]: {slug!r} is not a slug")
            if not isinstance(label, str) or not label.strip():
                found.append(f"{name}[{vocabulary!r}][{slug!r}] needs a non-empty label")
    return found


def problems(config: Config) -> list[str]:
    """What is wrong with a site's casebook settings, as messages (never an exception)."""
    found: list[str] = []
    for f in CONFIG_FIELDS:
        name = f"casebook_{f.name}"
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        problem = _type_problem(name, getattr(config, name), default)
        if problem:
            found.append(problem)
    if found:
        return found
    found += _term_problems("casebook_extra_terms", config.casebook_extra_terms)
    found += _term_problems("casebook_terms", config.casebook_terms)
    for old, new in config.casebook_redirects.items():
        if not (isinstance(old, str) and SLUG_RE.match(old) and isinstance(new, str) and SLUG_RE.match(new)):
            found.append(f"casebook_redirects: {old!r} -> {new!r}: both must be case ids (slugs)")
    for taxonomy, label in config.casebook_taxonomy_labels.items():
        if taxonomy not in TAXONOMY_LABELS:
            found.append(
                f"casebook_taxonomy_labels: unknown taxonomy {taxonomy!r} (known: {', '.join(TAXONOMY_LABELS)})"
            )
        elif not isinstance(label, str) or not label.strip():
            found.append(f"casebook_taxonomy_labels[{taxonomy!r}] needs a non-empty label")
    for name in config.casebook_editorial_fields:
        if name not in EDITORIAL_FIELDS:
            found.append(f"casebook_editorial_fields: {name!r} is not a field (known: {', '.join(EDITORIAL_FIELDS)})")
    for name in config.casebook_completeness_fields:
        if name not in FILLED:
            found.append(f"casebook_completeness_fields: {name!r} is not a field (known: {', '.join(FILLED)})")
    if parse_age(config.casebook_stale_after) is None:
        found.append(
            f"casebook_stale_after: {config.casebook_stale_after!r} is not an age such as '18 months' or '2 years'"
        )
    if config.casebook_summary_max_length < 1:
        found.append("casebook_summary_max_length must be a positive integer")
    return found


def from_sphinx(config: Config) -> CasebookConfig:
    """The typed settings of a build (call after :func:`problems` found nothing)."""
    return CasebookConfig(**{f.name: getattr(config, f"casebook_{f.name}") for f in CONFIG_FIELDS})


_settings: tuple[Config, CasebookConfig] | None = None


def settings_of(config: Config) -> CasebookConfig:
    """The typed settings of the current build, made once per configuration object."""
    global _settings
    if _settings is None or _settings[0] is not config:
        _settings = (config, from_sphinx(config))
    return _settings[1]


def _conf_line(app: Sphinx, name: str) -> str | None:
    """``conf.py:LINE`` where ``name`` is set, for a warning the contributor can jump to (``None``: not there)."""
    path = Path(app.confdir) / "conf.py"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(rf"^\s*{re.escape(name)}\s*[:=]", text, re.M)
    return f"{path}:{text.count(chr(10), 0, match.start()) + 1}" if match else None


def check(app: Sphinx, config: Config) -> None:
    """``config-inited``: each settings problem is one typed warning at its line, and the setting falls back
    to its default, so the build goes on (and fails under ``-W``) instead of stopping with a traceback."""
    for message in problems(config):
        name = message.split(":", 1)[0].split("[", 1)[0].split(" ", 1)[0]
        logger.warning(
            "%s; the default is used", message, type=WARNING_TYPE, subtype="bad_config", location=_conf_line(app, name)
        )
        field = FIELDS_BY_SETTING.get(name)
        if field is not None:
            setattr(config, name, _default(field))
    if "sphinxcontrib.bibtex" in config.extensions and not getattr(config, "bibtex_bibfiles", None):
        # sphinxcontrib-bibtex would stop with a traceback; say what to write, and go on with no entries.
        logger.warning(
            "sphinxcontrib.bibtex is in extensions but bibtex_bibfiles is empty: list your .bib files, "
            "e.g. bibtex_bibfiles = ['refs.bib'] (or leave sphinxcontrib.bibtex out to show resources as plain keys)",
            type=WARNING_TYPE,
            subtype="bad_config",
            location=_conf_line(app, "bibtex_bibfiles"),
        )
        config.bibtex_bibfiles = [os.path.relpath(EMPTY_BIB, app.srcdir)]


def _default(f: dataclasses.Field[Any]) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


FIELDS_BY_SETTING = {f"casebook_{f.name}": f for f in CONFIG_FIELDS}
#: An empty bibliography, for a site that loads sphinxcontrib-bibtex but lists no .bib file.
EMPTY_BIB = Path(__file__).parent / "data" / "empty.bib"

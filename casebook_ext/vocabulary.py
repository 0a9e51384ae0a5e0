"""Controlled vocabularies: the default terms a casebook classifies cases by.

A site extends them through ``casebook_extra_terms`` in ``conf.py``; the defaults here
are the shared language of mission-oriented policy so that casebooks stay comparable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Term:
    """One value of a controlled vocabulary."""

    slug: str
    label: str
    description: str = ""
    #: For relations only: how the relation reads from the other case's side.
    inverse: str = ""


def _terms(*rows: tuple[str, str, str] | tuple[str, str, str, str]) -> dict[str, Term]:
    return {row[0]: Term(*row) for row in rows}


PILLARS = _terms(
    ("routes", "Routes", "Setting a direction for change that stimulates bottom-up experimentation towards a goal."),
    (
        "organisations",
        "Organisations",
        "Building explorative public organisations that embrace uncertainty and learn by doing.",
    ),
    ("assessment", "Assessment", "Evaluating market shaping dynamically, beyond static cost-benefit analysis."),
    (
        "risks-rewards",
        "Risks and rewards",
        "Forming new relationships between value creators that share both risks and rewards.",
    ),
)

LEVELS = _terms(
    ("local", "Local", "A municipality, borough or city government."),
    ("metropolitan", "Metropolitan", "A city-region or metropolitan authority."),
    ("regional", "Regional", "A region, province or state within a country."),
    ("national", "National", "A national government or one of its agencies."),
    ("supranational", "Supranational", "A body above nations, such as the European Union or a UN agency."),
    ("multilevel", "Multilevel", "Several levels of government acting together."),
)

STATUSES = _terms(
    ("exploring", "Exploring", "Early, exploratory work on whether and how to act."),
    ("designing", "Designing", "The mission or instrument is being designed."),
    ("piloting", "Piloting", "The approach is being tested on a small scale before a wider roll-out."),
    ("implementing", "Implementing", "The work is under way."),
    ("evaluating", "Evaluating", "The work is being evaluated or reviewed."),
    ("scaled", "Scaled", "The approach has been extended or adopted elsewhere."),
    ("ended", "Ended", "The work has finished."),
    ("contested", "Contested", "The work is disputed, paused or reversed."),
    ("unknown", "Not stated", "The sources do not say which stage the work has reached."),
)

INSTRUMENTS = _terms(
    ("public-procurement", "Public procurement", "Buying with a purpose: procurement used to shape markets."),
    (
        "challenge-prizes",
        "Challenge prizes and competitions",
        "Prizes and competitions that pull solutions towards a goal.",
    ),
    ("grants", "Grants and subsidies", "Direct public funding of projects and organisations."),
    ("public-investment", "Public investment and finance", "Loans, equity, funds and other patient public finance."),
    ("conditionalities", "Conditionalities", "Conditions attached to public support so that rewards are shared."),
    ("regulation", "Regulation and standards", "Rules and standards that set direction for markets."),
    (
        "public-private-partnership",
        "Public-private partnership",
        "Co-shaping partnerships between public and private actors.",
    ),
    ("public-enterprise", "Public enterprise", "Services run by publicly owned organisations."),
    ("mission-governance", "Mission governance", "Teams, boards and communities set up to steer a mission."),
    ("portfolio-approach", "Portfolio approach", "Managing a portfolio of interventions rather than single projects."),
    (
        "monitoring-evaluation-learning",
        "Monitoring, evaluation and learning",
        "Ways to monitor, evaluate and learn from missions.",
    ),
    ("citizen-participation", "Citizen participation", "Involving citizens in setting and delivering missions."),
    (
        "digital-public-infrastructure",
        "Digital public infrastructure",
        "Shared digital systems such as identity, payments and data exchange.",
    ),
    ("data-governance", "Data governance", "Rules and institutions for the use and ownership of data."),
    ("capability-building", "Capability building", "Skills, roles and capabilities inside the public sector."),
)

THEMES = _terms(
    ("climate-and-environment", "Climate and environment", "Climate change, net zero and the natural environment."),
    ("health-and-care", "Health and care", "Health, preventative care and wellbeing."),
    ("ageing-society", "Ageing society", "Demographic change and ageing populations."),
    ("food-systems", "Food systems", "Healthy and sustainable food."),
    ("mobility-and-transport", "Mobility and transport", "How people and goods move."),
    ("housing", "Housing", "Housing supply and affordability."),
    ("inequality-and-inclusion", "Inequality and inclusion", "Social and economic inequalities."),
    ("gender-equality", "Gender equality", "Equality between women and men."),
    ("public-safety", "Public safety", "Violence, crime and safety."),
    ("digital-and-data", "Digital and data", "Digital transformation, data and technology."),
    ("industrial-strategy", "Industrial strategy", "Industrial policy and green growth."),
    ("public-sector-capability", "Public sector capability", "The capacities and capabilities of the state itself."),
)

RELATIONS = _terms(
    ("related", "related to", "A connection the sources draw between two cases.", "related to"),
    ("inspired-by", "inspired by", "This case drew on the other case.", "inspiration for"),
    ("part-of", "part of", "This case is a component of the other case.", "includes"),
    ("follows", "follows", "This case continues or succeeds the other case.", "followed by"),
)

#: Taxonomies readers browse by, with the name a reader sees (``casebook_taxonomy_labels`` renames them).
TAXONOMY_LABELS: Mapping[str, str] = {
    "pillar": "ROAR pillar",
    "theme": "Theme",
    "instrument": "Instrument",
    "country": "Country",
    "level": "Level of government",
    "status": "Status",
    "organisation": "Organisation",
}

#: Every vocabulary by name, in the order the reference page documents them.
DEFAULT_VOCABULARIES: Mapping[str, Mapping[str, Term]] = {
    "pillar": PILLARS,
    "level": LEVELS,
    "status": STATUSES,
    "instrument": INSTRUMENTS,
    "theme": THEMES,
    "relation": RELATIONS,
}


@dataclass(frozen=True)
class Vocabularies:
    """The vocabularies in force for one build: the defaults plus a site's extra terms."""

    terms: Mapping[str, Mapping[str, Term]]

    def __getitem__(self, name: str) -> Mapping[str, Term]:
        return self.terms[name]

    def label(self, name: str, slug: str) -> str:
        term = self.terms[name].get(slug)
        return term.label if term else slug

    @classmethod
    def build(
        cls,
        extra: Mapping[str, Mapping[str, str]] | None = None,
        replacing: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Vocabularies:
        """The defaults, each vocabulary in ``replacing`` swapped for the site's own, plus ``extra`` terms."""
        merged = {name: dict(terms) for name, terms in DEFAULT_VOCABULARIES.items()}
        for source, replace in ((replacing or {}, True), (extra or {}, False)):
            for name, additions in source.items():
                if replace:
                    merged[name] = {}
                for slug, label in additions.items():
                    merged[name][slug] = Term(slug, label, inverse=label if name == "relation" else "")
        return cls(merged)


def slugify(text: str) -> str:
    """A stable, URL-safe slug for a free-text term such as an organisation name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "term"

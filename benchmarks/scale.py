"""Scale benchmark: the casebook extension against plain Sphinx on the same pages, at N cases.

For each N the script generates a casebook of N synthetic cases twice, both themed with furo and
both with the sidebar collapsed to the current branch:

* **ext**: the site as ``casebook_ext`` builds it: case pages with a ``case`` directive, group pages
  (``case-list :from-toctree:``), the finder (``case-finder``), a browse page (``case-index``) with the
  extension's generated page per term, coverage tables and filtered listings;
* **plain**: the same pages as static Markdown (facts, lists, term pages, tables and the general
  index's entries written out), built by Sphinx alone;
* **needs** (``--with-needs``, when sphinx-needs is installed): the cases as sphinx-needs items with
  ``needtable`` / ``needlist`` listings, a third column.

It prints, per N: clean build (wall and CPU seconds, peak memory, output bytes), an edit of one case
(pages written, seconds, ratio to plain Sphinx's), reverting it, a no-op rebuild, and the ``-j 2``
speed-up of a clean build::

    python benchmarks/scale.py [--sizes 100 1000 3000] [--repeat 1] [--with-needs] [--json FILE]

Figures belong in a closing note or a pull request, never in timed tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from casebook_ext.countries import country_name
from casebook_ext.directives import index_entries
from casebook_ext.query import Query
from casebook_ext.schema import Case, parse_case
from casebook_ext.vocabulary import INSTRUMENTS, LEVELS, PILLARS, RELATIONS, STATUSES, THEMES, Term, Vocabularies

SEED = 20261129
VOCABULARIES = Vocabularies.build()
GROUP_SIZE = 100

COUNTRIES = ("GB", "ES", "FR", "DE", "NL", "SE", "DK", "FI", "IT", "PT",
             "PL", "IE", "US", "CA", "BR", "AR", "ZA", "IN", "BD", "AU")
PLACES = ("Northbridge", "Eastmoor", "Kingsford", "Lowater", "Ashby Vale", "Redcliff", "Southport Green",
          "Marrowgate", "Elmstead", "Brightwater", "Coldharbour", "Westfold", "Ironbridge", "Stonehaven",
          "Fairhaven", "Oakridge", "Millbrook", "Harrowdale", "Greywick", "Lindenfeld", "Porto Alto",
          "Villanueva", "Saint-Aubin", "Nordvik", "Kastelholm", "Riverside", "Highmoor", "Sandford",
          "Thornbury", "Copperfield")
ORG_KINDS = ("Agency", "Council", "Ministry", "Institute", "Foundation", "Authority", "Office", "Lab",
             "Commission", "Trust")
ORG_TOPICS = ("Innovation", "Public Purpose", "Climate Action", "Health Futures", "Digital Services",
              "Urban Renewal", "Food Policy", "Mobility")
ORGANISATIONS = tuple(f"{kind} for {topic}" for kind in ORG_KINDS for topic in ORG_TOPICS)[:50]
TITLE_PREFIXES = ("Mission-led", "Challenge-driven", "Citizen-centred", "Outcome-based", "Green", "Open",
                  "Shared-value", "Experimental")
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip "
         "ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla "
         "pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim "
         "id est laborum mission public value market shaping procurement council city").split()
SECTIONS = ("Context", "What was done", "Lessons")

@dataclass(frozen=True)
class Listing:
    """One listing on ``listings.md``: its heading, directive, options and query."""

    heading: str
    kind: str
    options: tuple[tuple[str, str], ...]
    query: Query
    columns: tuple[str, ...] = ()


LISTINGS = (
    Listing("Assessment in GB by year", "list", (("pillar", "assessment"), ("country", "GB"), ("sort", "-year")),
            Query((("pillar", ("assessment",)), ("country", ("GB",))), sort="-year")),
    Listing("Public procurement", "list", (("instrument", "public-procurement"),),
            Query((("instrument", ("public-procurement",)),))),
    Listing("Being evaluated", "table", (("status", "evaluating"), ("columns", "title, country, years, status")),
            Query((("status", ("evaluating",)),)), ("title", "country", "years", "status")),
)
COLUMN_TITLES = {"title": "Title", "country": "Country", "years": "Years", "status": "Status"}


@dataclass
class CaseSource:
    """The raw fields and narrative of one generated case."""

    number: int
    fields: dict[str, str]
    sections: list[tuple[str, str]]
    case: Case = field(init=False)

    @property
    def id(self) -> str:
        return f"case-{self.number:04d}"

    @property
    def group(self) -> str:
        return f"group-{(self.number - 1) // GROUP_SIZE + 1:02d}"

    @property
    def docname(self) -> str:
        return f"cases/{self.id}"


# --- generating the data ------------------------------------------------------------------


def lorem(rng: random.Random, words: int) -> str:
    """About ``words`` words of lorem-style text in sentences."""
    out: list[str] = []
    while len(out) < words:
        sentence = rng.choices(WORDS, k=rng.randint(8, 16))
        sentence[0] = sentence[0].capitalize()
        out.extend(sentence[:-1])
        out.append(sentence[-1] + ".")
    return " ".join(out)


def pick(rng: random.Random, options: Sequence[str], low: int, high: int) -> list[str]:
    """Between ``low`` and ``high`` distinct items of ``options``, in their vocabulary order."""
    chosen = set(rng.sample(list(options), rng.randint(low, high)))
    return [o for o in options if o in chosen]


def make_case(number: int, n: int) -> CaseSource:
    """One case's fields; all but ``related`` are the same for every N (seeded per case)."""
    rng = random.Random(f"{SEED}-{number}")
    place = rng.choice(PLACES)
    instruments = pick(rng, list(INSTRUMENTS), 1, 2)
    themes = pick(rng, list(THEMES), 0, 2)
    title = f"{rng.choice(TITLE_PREFIXES)} {INSTRUMENTS[instruments[0]].label.lower()} in {place}"
    start = rng.randint(2008, 2024)
    years = rng.choice([str(start), f"{start}-", f"{start}-{min(start + rng.randint(1, 6), 2026)}"])
    reviewed = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    fields = {
        "title": title,
        "summary": lorem(rng, 28)[:270].rsplit(" ", 1)[0] + ".",
        "place": place,
        "country": ", ".join(pick(rng, COUNTRIES, 1, 2) if rng.random() < 0.15 else [rng.choice(COUNTRIES)]),
        "level": rng.choice(list(LEVELS)),
        "organisations": "; ".join(pick(rng, ORGANISATIONS, 1, 3)),
        "years": years,
        "status": rng.choice(list(STATUSES)),
        "pillars": ", ".join(pick(rng, list(PILLARS), 1, 2)),
        "instruments": ", ".join(instruments),
        "themes": ", ".join(themes),
        "resources": "report2023",
        "last-reviewed": reviewed.isoformat(),
    }
    if not themes:
        del fields["themes"]
    related_rng = random.Random(f"{SEED}-{number}-related-{n}")
    others = [k for k in related_rng.sample(range(1, n + 1), 3) if k != number][: related_rng.randint(1, 2)]
    kinds = [*RELATIONS, "", ""]  # about a third of the relations carry no kind
    fields["related"] = ", ".join(
        f"case-{k:04d}" + (f" ({kind})" if (kind := related_rng.choice(kinds)) else "") for k in others)
    sections = [(heading, lorem(rng, 150)) for heading in SECTIONS]
    return CaseSource(number, fields, sections)


def parse_all(sources: Iterable[CaseSource], vocab: Vocabularies) -> None:
    """Parse every case with the extension's own parser; generated data must be valid."""
    for source in sources:
        case, problems = parse_case(source.id, source.fields, vocab)
        if case is None or problems:
            raise SystemExit(f"generated case {source.id} is invalid: {problems}")
        source.case = case


def generate(n: int) -> list[CaseSource]:
    """The N cases of a casebook, parsed."""
    sources = [make_case(number, n) for number in range(1, n + 1)]
    parse_all(sources, Vocabularies.build())
    return sources


# --- the two sites' pages -------------------------------------------------------------------------

TAXONOMY_PAGES = ("pillar", "level", "theme", "instrument", "country", "status")
TAXONOMY_TITLES = {"pillar": "By ROAR pillar", "level": "By level of government", "theme": "By theme",
                   "instrument": "By instrument", "country": "By country", "status": "By status"}
VOCABS: Mapping[str, Mapping[str, Term]] = {"pillar": PILLARS, "theme": THEMES, "instrument": INSTRUMENTS,
                                            "level": LEVELS, "status": STATUSES}


def toctree(entries: Iterable[str], hidden: bool = False) -> str:
    """A MyST toctree directive."""
    body = "\n".join(entries)
    return f":::{{toctree}}\n{':hidden:' + chr(10) if hidden else ''}:maxdepth: 1\n\n{body}\n:::\n"


def narrative(source: CaseSource) -> str:
    """The ordinary sections after a case's facts."""
    return "".join(f"\n## {heading}\n\n{text}\n" for heading, text in source.sections)


def groups_of(sources: Sequence[CaseSource]) -> dict[str, list[CaseSource]]:
    groups: dict[str, list[CaseSource]] = {}
    for source in sources:
        groups.setdefault(source.group, []).append(source)
    return groups


def group_title(members: Sequence[CaseSource]) -> str:
    return f"Cases {members[0].number:04d}\u2013{members[-1].number:04d}"


def root_page(sources: Sequence[CaseSource]) -> str:
    groups = [f"cases/{g}" for g in groups_of(sources)]
    return "# Synthetic casebook\n\n" + toctree(["cases/index", *groups, "browse/index", "coverage", "listings"])


CONF_COMMON = """\
html_theme = "furo"
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
project = "Synthetic casebook"
suppress_warnings = ["casebook.no_bibliography"]
"""

CONF_PLAIN_NAV = '''

def _collapse(app, pagename, templatename, context, doctree):
    """Collapse the sidebar to the current branch, as casebook_ext does."""
    toctree = context.get("toctree")
    if toctree is None:
        return

    def collapsed(**kwargs):
        kwargs["collapse"] = True
        return toctree(**kwargs)

    context["toctree"] = collapsed


def setup(app):
    app.connect("html-page-context", _collapse, priority=400)
'''
CONF_EXT = 'extensions = ["myst_parser", "casebook_ext"]\n' + CONF_COMMON
CONF_PLAIN = 'extensions = ["myst_parser"]\n' + CONF_COMMON + CONF_PLAIN_NAV
CONF_NEEDS = (
    'extensions = ["myst_parser", "sphinx_needs"]\n' + CONF_COMMON + CONF_PLAIN_NAV
    + 'needs_extra_options = ["place", "country", "level", "years", "pillars", "instruments", "themes"]\n'
)


def ext_case_page(source: CaseSource) -> str:
    """A case page: heading, ``case`` directive with every field, narrative."""
    options = "".join(f":{name}: {value}\n" for name, value in source.fields.items())
    return f"# {source.fields['title']}\n\n:::{{case}} {source.id}\n{options}:::\n{narrative(source)}"


def ext_pages(sources: Sequence[CaseSource]) -> dict[str, str]:
    """Every page of the site the extension builds."""
    pages = {"index": root_page(sources), "cases/index": "# Find a case\n\n:::{case-finder}\n:::\n"}
    for group, members in groups_of(sources).items():
        listing = ":::{case-list}\n:from-toctree:\n:::\n\n"
        pages[f"cases/{group}"] = f"# {group_title(members)}\n\n{listing}" + toctree((s.id for s in members), True)
    for source in sources:
        pages[source.docname] = ext_case_page(source)
    pages["browse/index"] = "# Browse\n" + "".join(
        f"\n## {TAXONOMY_TITLES[t]}\n\n:::{{case-index}} {t}\n:::\n" for t in TAXONOMY_PAGES)
    pages["coverage"] = ("# Coverage\n\n## By level\n\n:::{casebook-coverage} level\n:::\n\n"
                         "## By region\n\n:::{casebook-coverage} region\n:::\n")
    body = ["# Listings\n"]
    for listing in LISTINGS:
        options = "".join(f":{name}: {value}\n" for name, value in listing.options)
        body.append(f"\n## {listing.heading}\n\n:::{{case-{listing.kind}}}\n{options}:::\n")
    pages["listings"] = "".join(body)
    return pages


# --- plain Sphinx: the same information as static Markdown -----------------------------------------


def doc_link(source: CaseSource) -> str:
    return f"{{doc}}`{source.case.title} </{source.docname}>`"


def term_page(taxonomy: str, slug: str) -> str:
    return f"browse/{taxonomy}/{slug.lower()}"


def term_label(taxonomy: str, value: str) -> str:
    return country_name(value) if taxonomy == "country" else VOCABS[taxonomy][value].label


def term_link(taxonomy: str, value: str) -> str:
    return f"{{doc}}`{term_label(taxonomy, value)} </{term_page(taxonomy, value)}>`"


def years_text(case: Case) -> str:
    return str(case.years) if case.years else ""


def plain_case_page(
    source: CaseSource, by_id: dict[str, CaseSource], incoming: dict[str, list[tuple[str, str]]]
) -> str:
    """A case page with its facts written out, linking terms to their static pages."""
    case = source.case
    lines = [case.summary, ""]
    lines.append(f"- **Place:** {case.place}")
    lines.append("- **Country:** " + ", ".join(term_link("country", c) for c in case.countries))
    lines.append(f"- **Level of government:** {term_link('level', case.level)}")
    lines.append("- **Organisations:** " + "; ".join(case.organisations))
    lines.append(f"- **Years:** {years_text(case)}")
    lines.append(f"- **Status:** {term_link('status', case.status)}")
    lines.append("- **ROAR pillars:** " + ", ".join(term_link("pillar", p) for p in case.pillars))
    lines.append("- **Instruments:** " + ", ".join(term_link("instrument", i) for i in case.instruments))
    if case.themes:
        lines.append("- **Themes:** " + ", ".join(term_link("theme", t) for t in case.themes))
    related = [(RELATIONS[r.kind].label, r.target) for r in case.related]
    related += [(RELATIONS[kind].inverse, other) for other, kind in incoming.get(source.id, [])]
    if related:
        lines.extend(["- **Related cases:**", ""])
        lines.extend(f"  - {label.capitalize()}: {doc_link(by_id[other])}" for label, other in related)
        lines.append("")
    lines.append(f"- **Last reviewed:** {case.last_reviewed}")
    panel = "\n".join(lines)
    index = "".join(f":::{{index}} {'!' if main else ''}{kind}: {text}\n:::\n" for kind, text, _, main, _ in
                    index_entries(case, "", VOCABULARIES))
    return f"# {case.title}\n\n{index}\n::::{{topic}} Facts\n{panel}\n::::\n{narrative(source)}"


def plain_list(entries: Sequence[CaseSource]) -> str:
    if not entries:
        return "*No cases yet.*\n"
    items = []
    for source in entries:
        case = source.case
        meta = " \u00b7 ".join(m for m in (case.place, ", ".join(country_name(c) for c in case.countries),
                                             years_text(case)) if m)
        items.append(f"- **{doc_link(source)}** \u2014 {meta}\n\n  {case.summary}\n")
    return "\n".join(items)


def plain_table(entries: Sequence[CaseSource], columns: Sequence[str]) -> str:
    if not entries:
        return "*No cases yet.*\n"
    rows = ["* " + "\n  ".join(f"- {COLUMN_TITLES[c]}" for c in columns)]
    for source in entries:
        case = source.case
        cells = {"title": doc_link(source), "country": ", ".join(country_name(c) for c in case.countries),
                 "years": years_text(case), "status": STATUSES[case.status].label}
        rows.append("* " + "\n  ".join(f"- {cells[c]}" for c in columns))
    return ":::{list-table}\n:header-rows: 1\n\n" + "\n".join(rows) + "\n:::\n"


def select(sources: Sequence[CaseSource], query: Query) -> list[CaseSource]:
    by_id = {s.id: s for s in sources}
    return [by_id[case.id] for case in query.run(s.case for s in sources)]


def by_title(sources: Iterable[CaseSource]) -> list[CaseSource]:
    return sorted(sources, key=lambda s: s.case.title.casefold())


def terms_used(sources: Sequence[CaseSource], taxonomy: str) -> dict[str, list[CaseSource]]:
    used: dict[str, list[CaseSource]] = {}
    for source in sources:
        for value in source.case.values(taxonomy):
            used.setdefault(value, []).append(source)
    return used


def plain_pages(sources: Sequence[CaseSource]) -> dict[str, str]:
    """Every page of the plain site: the same information, written out."""
    by_id = {s.id: s for s in sources}
    incoming: dict[str, list[tuple[str, str]]] = {}
    for source in sources:
        for relation in source.case.related:
            incoming.setdefault(relation.target, []).append((source.id, relation.kind))
    pages = {"index": root_page(sources), "cases/index": "# Find a case\n\n" + plain_list(by_title(sources))}
    for group, members in groups_of(sources).items():
        pages[f"cases/{group}"] = f"# {group_title(members)}\n\n{plain_list(members)}\n" + toctree(
            (s.id for s in members), True)
    for source in sources:
        pages[source.docname] = plain_case_page(source, by_id, incoming)
    browse = ["# Browse\n"]
    term_docs = []
    for taxonomy in TAXONOMY_PAGES:
        used = terms_used(sources, taxonomy)
        browse.append(f"\n## {TAXONOMY_TITLES[taxonomy]}\n")
        for value, members in sorted(used.items(), key=lambda item: term_label(taxonomy, item[0])):
            browse.append(f"- {term_link(taxonomy, value)} ({len(members)} cases)")
            term_docs.append(term_page(taxonomy, value).removeprefix("browse/"))
            levels: dict[str, list[CaseSource]] = {}
            for member in by_title(members):
                levels.setdefault(member.case.level, []).append(member)
            body = "".join(f"\n## {LEVELS[lv].label} ({len(m)})\n\n{plain_list(m)}" for lv, m in levels.items())
            pages[term_page(taxonomy, value)] = f"# {term_label(taxonomy, value)}\n\n{len(members)} cases\n{body}"
    pages["browse/index"] = "\n".join(browse) + "\n\n" + toctree(term_docs, True)
    rows = []
    for slug, pillar in PILLARS.items():
        cells = [str(sum(1 for s in sources if slug in s.case.pillars and s.case.level == lv)) for lv in LEVELS]
        rows.append("* " + "\n  ".join(f"- {c}" for c in [pillar.label, *cells]))
    head = "* " + "\n  ".join(f"- {c}" for c in ["Pillar", *(t.label for t in LEVELS.values())])
    pages["coverage"] = "# Coverage\n\n:::{list-table}\n:header-rows: 1\n\n" + "\n".join([head, *rows]) + "\n:::\n"
    body = ["# Listings\n"]
    for listing in LISTINGS:
        entries = select(sources, listing.query)
        shown = plain_table(entries, listing.columns) if listing.kind == "table" else plain_list(entries)
        body.append(f"\n## {listing.heading}\n\n{shown}")
    pages["listings"] = "".join(body)
    return pages


# --- sphinx-needs: the cases as needs, listed by needtable and needlist --------------------------


def needs_case_page(source: CaseSource) -> str:
    case = source.case
    options = {
        "id": source.id.upper().replace("-", "_"), "status": case.status,
        "tags": ";".join([*case.pillars, *case.instruments, *case.themes]),
        "place": case.place, "country": ",".join(case.countries), "level": case.level,
        "years": years_text(case), "pillars": ",".join(case.pillars), "instruments": ",".join(case.instruments),
        "themes": ",".join(case.themes),
        "links": ",".join(r.target.upper().replace("-", "_") for r in case.related),
    }
    text = "".join(f":{k}: {v}\n" for k, v in options.items() if v)
    return f"# {case.title}\n\n:::{{req}} {case.title}\n{text}\n{case.summary}\n:::\n{narrative(source)}"


def needs_pages(sources: Sequence[CaseSource]) -> dict[str, str]:
    pages = {"index": root_page(sources), "cases/index": "# Find a case\n\n:::{needtable}\n:::\n"}
    for group, members in groups_of(sources).items():
        ids = ",".join(s.id.upper().replace("-", "_") for s in members)
        listing = f':::{{needlist}}\n:filter: id in "{ids}".split(",")\n:::\n\n'
        pages[f"cases/{group}"] = f"# {group_title(members)}\n\n{listing}" + toctree((s.id for s in members), True)
    for source in sources:
        pages[source.docname] = needs_case_page(source)
    browse = ["# Browse\n"]
    for taxonomy in ("pillar", "instrument", "theme"):
        browse.append(f"\n## {TAXONOMY_TITLES[taxonomy]}\n")
        for slug in VOCABS[taxonomy]:
            browse.append(f"\n### {VOCABS[taxonomy][slug].label}\n\n:::{{needlist}}\n:tags: {slug}\n:::\n")
    pages["browse/index"] = "".join(browse)
    pages["coverage"] = "# Coverage\n\n:::{needtable}\n:columns: id, title, level, pillars\n:::\n"
    pages["listings"] = "# Listings\n\n:::{needtable}\n:status: evaluating\n:::\n"
    return pages


# --- writing, building, measuring --------------------------------------------------------------------


def write_project(root: Path, pages: dict[str, str], conf: str) -> None:
    """A fresh source folder holding ``conf.py`` and the pages."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "conf.py").write_text(conf, encoding="utf-8")
    for docname, text in pages.items():
        path = root / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Run:
    """One ``sphinx-build``: wall and CPU seconds, peak memory (MiB), and the warning lines."""

    wall: float
    cpu: float
    peak_mib: float
    warnings: tuple[str, ...]


def build(root: Path, jobs: int = 1, clean: bool = False) -> Run:
    """``sphinx-build -b html -q`` in a child process, measured by ``/usr/bin/time`` when present."""
    out = root / "_build"
    if clean and out.exists():
        shutil.rmtree(out)
    parallel = ["-j", str(jobs)] if jobs > 1 else []
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *parallel, "-d", str(out / "doctrees"),
           str(root), str(out / "html")]
    stats = root / "_time.txt"
    timed = ["/usr/bin/time", "-o", str(stats), "-f", "%U %S %M", *cmd] if Path("/usr/bin/time").exists() else cmd
    start = time.perf_counter()
    proc = subprocess.run(timed, capture_output=True, text=True, check=False, cwd=root)  # cwd: the tree's casebook_ext
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    cpu, peak = float("nan"), float("nan")
    if stats.exists():
        user, system, rss = stats.read_text(encoding="utf-8").split()[-3:]
        cpu, peak = float(user) + float(system), int(rss) / 1024
    return Run(wall, cpu, peak, tuple(line for line in proc.stderr.splitlines() if line.strip()))


def html_mtimes(root: Path) -> dict[str, int]:
    html = root / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.stat().st_mtime_ns for p in html.rglob("*.html")
            if not p.relative_to(html).as_posix().startswith(("_static/", "_sources/"))}


def written(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """Pages written (or added) between two snapshots, Sphinx's own index and search pages left out."""
    return {p for p, mtime in after.items() if before.get(p) != mtime and p not in ("genindex.html", "search.html")}


def output_bytes(root: Path) -> int:
    html = root / "_build" / "html"
    return sum(p.stat().st_size for p in html.rglob("*") if p.is_file())


def pick_edited(sources: Sequence[CaseSource]) -> CaseSource:
    """A case that other cases relate to and that a listing shows."""
    targets = {r.target for s in sources for r in s.case.related}
    for source in sources:
        if source.id in targets and any(listing.query.matches(source.case) for listing in LISTINGS):
            return source
    return sources[0]


def edit(source: CaseSource) -> CaseSource:
    """The case with a new title and summary (same id and other fields)."""
    fields = dict(source.fields)
    fields["title"] = fields["title"] + " (revised)"
    fields["summary"] = ("Revised: " + fields["summary"])[:275].rsplit(" ", 1)[0] + "."
    edited = CaseSource(source.number, fields, source.sections)
    parse_all([edited], Vocabularies.build())
    return edited


@dataclass
class Site:
    """What one site measured at one N."""

    name: str
    clean: Run | None = None
    clean_j2: Run | None = None
    edit: Run | None = None
    edit_pages: set[str] = field(default_factory=set)
    revert: Run | None = None
    revert_pages: set[str] = field(default_factory=set)
    noop: Run | None = None
    noop_pages: set[str] = field(default_factory=set)
    bytes: int = 0
    warnings: list[str] = field(default_factory=list)


def measure_site(name: str, root: Path, pages: dict[str, str], conf: str, edited_page: str, edited_text: str,
                 repeat: int, jobs2: bool) -> Site:
    site = Site(name)
    write_project(root, pages, conf)
    runs = [build(root, clean=True) for _ in range(repeat)]
    site.clean = min(runs, key=lambda r: r.wall)
    site.warnings += list(runs[-1].warnings)
    site.bytes = output_bytes(root)
    original = (root / f"{edited_page}.md").read_text(encoding="utf-8")
    for attr, text in (("edit", edited_text), ("revert", original)):
        before = html_mtimes(root)
        (root / f"{edited_page}.md").write_text(text, encoding="utf-8")
        run = build(root)
        setattr(site, attr, run)
        setattr(site, f"{attr}_pages", written(before, html_mtimes(root)))
        site.warnings += list(run.warnings)
    before = html_mtimes(root)
    site.noop = build(root)
    site.noop_pages = written(before, html_mtimes(root))
    if jobs2:
        site.clean_j2 = min((build(root, jobs=2, clean=True) for _ in range(repeat)), key=lambda r: r.wall)
    return site


def needs_installed() -> bool:
    proc = subprocess.run([sys.executable, "-c", "import sphinx_needs"], capture_output=True, check=False)
    return proc.returncode == 0


def measure(n: int, workdir: Path, repeat: int, with_needs: bool, jobs2: bool) -> dict[str, Site]:
    """Generate, build and measure every site for one N."""
    sources = generate(n)
    original = pick_edited(sources)
    edited = edit(original)
    changed = [edited if s.id == edited.id else s for s in sources]
    print(f"N = {n}: ext ...", file=sys.stderr, flush=True)
    sites = {"ext": measure_site("ext", workdir / f"n{n}" / "ext", ext_pages(sources), CONF_EXT, edited.docname,
                                 ext_case_page(edited), repeat, jobs2)}
    print(f"N = {n}: plain ...", file=sys.stderr, flush=True)
    sites["plain"] = measure_site("plain", workdir / f"n{n}" / "plain", plain_pages(sources), CONF_PLAIN,
                                  edited.docname, plain_pages(changed)[edited.docname], repeat, jobs2)
    if with_needs:
        print(f"N = {n}: sphinx-needs ...", file=sys.stderr, flush=True)
        sites["needs"] = measure_site("needs", workdir / f"n{n}" / "needs", needs_pages(sources), CONF_NEEDS,
                                      edited.docname, needs_case_page(edited), repeat, jobs2)
    return sites


# --- reporting ---------------------------------------------------------------------------------------


def figures(n: int, sites: Mapping[str, Site]) -> dict[str, object]:
    """One N's figures as JSON: ``edit_pages_written``, ``edit_s``, ``plain_edit_s``... for comparisons."""
    ext, plain = sites["ext"], sites["plain"]
    assert ext.clean and plain.clean and ext.edit and plain.edit and ext.noop and plain.noop and ext.revert

    def ratio(a: float, b: float) -> float:
        return round(a / b, 3) if b else float("nan")

    out: dict[str, object] = {
        "n": n,
        "clean_s": round(ext.clean.wall, 2), "plain_clean_s": round(plain.clean.wall, 2),
        "clean_cpu_s": round(ext.clean.cpu, 2), "plain_clean_cpu_s": round(plain.clean.cpu, 2),
        "clean_cpu_ratio": ratio(ext.clean.cpu, plain.clean.cpu),
        "edit_pages_written": len(ext.edit_pages), "plain_edit_pages_written": len(plain.edit_pages),
        "edit_s": round(ext.edit.wall, 2), "plain_edit_s": round(plain.edit.wall, 2),
        "edit_ratio": ratio(ext.edit.wall, plain.edit.wall),
        "revert_pages_written": len(ext.revert_pages), "revert_same_pages": ext.revert_pages == ext.edit_pages,
        "revert_s": round(ext.revert.wall, 2),
        "noop_s": round(ext.noop.wall, 2), "plain_noop_s": round(plain.noop.wall, 2),
        "noop_ratio": ratio(ext.noop.wall, plain.noop.wall), "noop_pages_written": len(ext.noop_pages),
        "peak_mib": round(ext.clean.peak_mib, 1), "plain_peak_mib": round(plain.clean.peak_mib, 1),
        "output_bytes": ext.bytes, "plain_output_bytes": plain.bytes,
        "j2_speedup": ratio(ext.clean.wall, ext.clean_j2.wall) if ext.clean_j2 else None,
        "plain_j2_speedup": ratio(plain.clean.wall, plain.clean_j2.wall) if plain.clean_j2 else None,
        "edit_pages": sorted(ext.edit_pages),
        "warnings": ext.warnings[:5] + plain.warnings[:5],
    }
    if "needs" in sites and sites["needs"].clean:
        needs = sites["needs"]
        assert needs.clean and needs.edit and needs.noop
        out.update({"needs_clean_cpu_s": round(needs.clean.cpu, 2), "needs_edit_s": round(needs.edit.wall, 2),
                    "needs_edit_pages_written": len(needs.edit_pages), "needs_noop_s": round(needs.noop.wall, 2)})
    return out


def print_table(rows: Sequence[dict[str, object]]) -> None:
    head = ["N", "clean CPU ext/plain (s)", "ratio", "clean wall ext/plain (s)", "edit pages ext/plain",
            "edit ext/plain (s)", "ratio", "revert pages (same?)", "no-op ext/plain (s)", "ratio",
            "-j2 speed-up ext/plain", "peak MiB ext/plain", "output MB ext/plain"]
    lines = [head]
    for r in rows:
        lines.append([
            str(r["n"]), f"{r['clean_cpu_s']} / {r['plain_clean_cpu_s']}", f"{r['clean_cpu_ratio']}x",
            f"{r['clean_s']} / {r['plain_clean_s']}", f"{r['edit_pages_written']} / {r['plain_edit_pages_written']}",
            f"{r['edit_s']} / {r['plain_edit_s']}", f"{r['edit_ratio']}x",
            f"{r['revert_pages_written']} ({'yes' if r['revert_same_pages'] else 'no'})",
            f"{r['noop_s']} / {r['plain_noop_s']}", f"{r['noop_ratio']}x",
            f"{r['j2_speedup']} / {r['plain_j2_speedup']}", f"{r['peak_mib']} / {r['plain_peak_mib']}",
            f"{int(r['output_bytes']) / 1e6:.1f} / {int(r['plain_output_bytes']) / 1e6:.1f}",  # type: ignore[call-overload]
        ])
        if "needs_clean_cpu_s" in r:
            lines[-1].append(f"needs: clean CPU {r['needs_clean_cpu_s']}, edit {r['needs_edit_s']} s "
                             f"({r['needs_edit_pages_written']} pages), no-op {r['needs_noop_s']} s")
    widths = [max(len(line[i]) for line in lines if i < len(line)) for i in range(len(head))]
    for i, line in enumerate(lines):
        print(" | ".join(cell.rjust(widths[j]) if j < len(widths) else cell for j, cell in enumerate(line)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(f"\nN = {r['n']}: the edit wrote {r['edit_pages_written']} pages: {', '.join(r['edit_pages'])}")  # type: ignore[arg-type]
        if r["warnings"]:
            print("  warnings: " + "; ".join(r["warnings"]))  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=1, help="clean builds per site; the fastest counts")
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "_work")
    parser.add_argument("--with-needs", action="store_true", help="add sphinx-needs as a third site, if installed")
    parser.add_argument("--no-j2", action="store_true", help="skip the -j 2 clean builds")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON, one object per N")
    args = parser.parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    with_needs = args.with_needs and needs_installed()
    if args.with_needs and not with_needs:
        print("sphinx-needs is not installed (pip install sphinx-needs): measuring without it", file=sys.stderr)
    rows = []
    for n in sorted(set(args.sizes)):
        rows.append(figures(n, measure(n, workdir, max(1, args.repeat), with_needs, not args.no_j2)))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"sphinx-build -b html -q, furo, collapsed sidebar; {os.cpu_count()} CPUs; "
          f"clean builds: the fastest of {max(1, args.repeat)}")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

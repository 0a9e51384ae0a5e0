"""Scale benchmark: build a synthetic casebook of N cases with and without the extension.

For each N the script generates two Sphinx projects with the same pages, both themed with
furo: one uses ``casebook_ext`` (``case``, ``case-list``, ``case-table``, ``case-index``), the
other ("baseline") has the same information written as static Markdown. It prints the clean
build overhead, what one edited case rewrites, a no-op rebuild, and one case page's size::

    python benchmarks/scale.py [--sizes 100 1000 3000] [--repeat 1] [--workdir benchmarks/_work] [-j 1] [--snapshot]

``--snapshot`` copies ``casebook_ext`` into the work dir first and runs everything with that
copy, so a long run measures one version even while the package is being edited.

Both projects collapse the sidebar to the current branch (the extension does it itself; the
baseline's ``conf.py`` does the same in a few lines), so the two produce the same navigation
and the ratio measures the extension, not furo's whole-tree sidebar.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from casebook_ext.query import Query
from casebook_ext.schema import Case, parse_case
from casebook_ext.vocabulary import INSTRUMENTS, LEVELS, PILLARS, RELATIONS, STATUSES, THEMES, Term, Vocabularies

SEED = 20261129
GROUP_SIZE = 100
SIZE_CASE = "case-0001"
NON_PAGES = {"genindex", "search", "py-modindex"}

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

#: Taxonomy -> page under browse/ that holds its term index.
BROWSE_PAGES = {"pillar": "pillars", "theme": "themes", "instrument": "instruments",
                "country": "countries", "level": "levels", "status": "statuses"}
BROWSE_TITLES = {"pillar": "By ROAR pillar", "theme": "By theme", "instrument": "By instrument",
                 "country": "By country", "level": "By level of government", "status": "By status"}


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
    def docname(self) -> str:
        return f"cases/group-{(self.number - 1) // GROUP_SIZE + 1:02d}/{self.id}"


@dataclass
class Result:
    """What one N measured."""

    n: int
    pages: int = 0
    clean_base: float = 0.0
    clean_ext: float = 0.0
    incr_base: float = 0.0
    incr_ext: float = 0.0
    noop_ext: float = 0.0
    edited: str = ""
    rewritten: set[str] = field(default_factory=set)
    expected: set[str] = field(default_factory=set)
    parents: set[str] = field(default_factory=set)
    base_rewritten: set[str] = field(default_factory=set)
    base_page_bytes: int = 0
    noop: set[str] = field(default_factory=set)
    page_bytes: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def overhead(self) -> float:
        return self.clean_ext / self.clean_base

    @property
    def rewrite_ok(self) -> bool:
        return self.rewritten == self.expected | self.parents


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


# --- page text shared by both projects ----------------------------------------------------------


def toctree(entries: Iterable[str], maxdepth: int = 1) -> str:
    """A MyST toctree directive."""
    body = "\n".join(entries)
    return f":::{{toctree}}\n:maxdepth: {maxdepth}\n\n{body}\n:::\n"


def narrative(source: CaseSource) -> str:
    """The ordinary sections after a case's facts."""
    return "".join(f"\n## {heading}\n\n{text}\n" for heading, text in source.sections)


def common_pages(sources: Sequence[CaseSource]) -> dict[str, str]:
    """Root, group and browse index pages: identical in both projects."""
    groups = sorted({s.docname.rsplit("/", 1)[0] for s in sources})
    pages = {
        "index": "# Synthetic casebook\n\n" + toctree(["cases/index", "browse/index", "listings"], 2),
        "cases/index": "# Cases\n\n" + toctree(g.split("/", 1)[1] + "/index" for g in groups),
        "browse/index": "# Browse\n\n" + toctree(BROWSE_PAGES.values()),
    }
    for group in groups:
        members = [s for s in sources if s.docname.startswith(group + "/")]
        title = f"# Cases {members[0].number:04d}\u2013{members[-1].number:04d}\n\n"
        pages[f"{group}/index"] = title + toctree(s.id for s in members)
    return pages


CONF_COMMON = """\
html_theme = "furo"
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
project = "Synthetic casebook"
"""

CONF_BASELINE_NAV = '''

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


# --- the project with the extension ---------------------------------------------------------------


def ext_case_page(source: CaseSource) -> str:
    """A case page: heading, ``case`` directive with every field, narrative."""
    options = "".join(f":{name}: {value}\n" for name, value in source.fields.items())
    return f"# {source.fields['title']}\n\n:::{{case}} {source.id}\n{options}:::\n{narrative(source)}"


def ext_pages(sources: Sequence[CaseSource]) -> dict[str, str]:
    """Every page of the project that uses the extension."""
    pages = common_pages(sources)
    for source in sources:
        pages[source.docname] = ext_case_page(source)
    for taxonomy, page in BROWSE_PAGES.items():
        pages[f"browse/{page}"] = f"# {BROWSE_TITLES[taxonomy]}\n\n:::{{case-index}} {taxonomy}\n:::\n"
    body = ["# Listings\n"]
    for listing in LISTINGS:
        options = "".join(f":{name}: {value}\n" for name, value in listing.options)
        body.append(f"\n## {listing.heading}\n\n:::{{case-{listing.kind}}}\n{options}:::\n")
    pages["listings"] = "".join(body)
    return pages


# --- the baseline: the same information as static Markdown ---------------------------------------


def doc_link(source: CaseSource) -> str:
    """A link to a case page, as the extension's listings show it."""
    return f"{{doc}}`{source.case.title} </{source.docname}>`"


def term_link(taxonomy: str, slug: str, label: str) -> str:
    """A link to a term's block on its browse page (the label the baseline page defines there)."""
    return f"{{ref}}`{label} <casebook-{taxonomy}-{slug.lower()}>`"


def years_text(case: Case) -> str:
    """A year range as the extension prints it."""
    return str(case.years) if case.years else ""


def base_related(source: CaseSource, by_id: dict[str, CaseSource],
                 incoming: dict[str, list[tuple[str, str]]]) -> list[str]:
    """The related-cases lines of a panel: declared relations, then inverse ones."""
    rows: list[tuple[str, str]] = [(RELATIONS[r.kind].label, r.target) for r in source.case.related]
    for other, kind in incoming.get(source.id, []):
        row = (RELATIONS[kind].inverse, other)
        if row not in rows:
            rows.append(row)
    return [f"  - {f'{label} '.capitalize()}{doc_link(by_id[other])}" for label, other in rows]


def base_case_page(source: CaseSource, by_id: dict[str, CaseSource],
                   incoming: dict[str, list[tuple[str, str]]]) -> str:
    """A case page with a static facts panel (a topic with a bullet list of the same facts)."""
    case = source.case

    def terms(taxonomy: str, values: Sequence[str], vocabulary: Mapping[str, Term]) -> str:
        return ", ".join(term_link(taxonomy, v, vocabulary[v].label) for v in values)

    lines = [case.summary, ""]
    lines.append(f"- **Place:** {case.place}")
    lines.append("- **Country:** " + ", ".join(term_link("country", c, country_name(c)) for c in case.countries))
    lines.append(f"- **Level of government:** {terms('level', [case.level], LEVELS)}")
    lines.append("- **Organisations:** " + "; ".join(case.organisations))
    lines.append(f"- **Years:** {years_text(case)}")
    lines.append(f"- **Status:** {terms('status', [case.status], STATUSES)}")
    lines.append(f"- **ROAR pillars:** {terms('pillar', case.pillars, PILLARS)}")
    lines.append(f"- **Instruments:** {terms('instrument', case.instruments, INSTRUMENTS)}")
    if case.themes:
        lines.append(f"- **Themes:** {terms('theme', case.themes, THEMES)}")
    related = base_related(source, by_id, incoming)
    if related:
        lines.extend(["- **Related cases:**", "", *related, ""])
    lines.append("- **Resources:** `" + ", ".join(case.resources) + "`")
    lines.append(f"- **Last reviewed:** {case.last_reviewed}")
    panel = "\n".join(lines)
    return f"# {case.title}\n\n::::{{topic}} {case.title}\n{panel}\n::::\n{narrative(source)}"


def base_list(entries: Sequence[CaseSource]) -> str:
    """A static version of ``case-list``: link, place, countries, years, summary."""
    if not entries:
        return "*No cases yet.*\n"
    items = []
    for source in entries:
        case = source.case
        meta = " \u00b7 ".join(m for m in (case.place, ", ".join(country_name(c) for c in case.countries),
                                             years_text(case)) if m)
        items.append(f"- **{doc_link(source)}** \u2014 {meta}\n\n  {case.summary}\n")
    return "\n".join(items)


def base_table(entries: Sequence[CaseSource], columns: Sequence[str]) -> str:
    """A static version of ``case-table`` as a MyST list-table."""
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
    """The cases a listing shows, in its order, chosen with the extension's own Query."""
    by_id = {s.id: s for s in sources}
    return [by_id[case.id] for case in query.run(s.case for s in sources)]


def taxonomy_terms(sources: Sequence[CaseSource], taxonomy: str) -> list[tuple[str, str, str, str]]:
    """(slug, label, description, filter value) of a taxonomy's terms, in the extension's order."""
    if taxonomy == "country":
        codes = {c for s in sources for c in s.case.countries}
        rows = [(c.lower(), country_name(c), "", c) for c in codes]
        return sorted(rows, key=lambda row: row[1].casefold())
    vocabulary = {"pillar": PILLARS, "theme": THEMES, "instrument": INSTRUMENTS,
                  "level": LEVELS, "status": STATUSES}[taxonomy]
    return [(t.slug, t.label, t.description, t.slug) for t in vocabulary.values()]


def base_term_index(sources: Sequence[CaseSource], taxonomy: str) -> str:
    """A static version of ``case-index``: per term a label, a rubric with the count, the cases."""
    blocks = []
    for slug, label, description, value in taxonomy_terms(sources, taxonomy):
        entries = select(sources, Query(((taxonomy, (value,)),)))
        text = f"(casebook-{taxonomy}-{slug})=\n:::{{rubric}} {label} ({len(entries)})\n:::\n\n"
        if description:
            text += f"{description}\n\n"
        blocks.append(text + base_list(entries))
    return "\n".join(blocks)


def base_pages(sources: Sequence[CaseSource]) -> dict[str, str]:
    """Every page of the baseline project, with the same information as the extension's."""
    pages = common_pages(sources)
    by_id = {s.id: s for s in sources}
    incoming: dict[str, list[tuple[str, str]]] = {}
    for source in sources:
        for relation in source.case.related:
            incoming.setdefault(relation.target, []).append((source.id, relation.kind))
    for source in sources:
        pages[source.docname] = base_case_page(source, by_id, incoming)
    for taxonomy, page in BROWSE_PAGES.items():
        pages[f"browse/{page}"] = f"# {BROWSE_TITLES[taxonomy]}\n\n{base_term_index(sources, taxonomy)}"
    body = ["# Listings\n"]
    for listing in LISTINGS:
        entries = select(sources, listing.query)
        shown = base_table(entries, listing.columns) if listing.kind == "table" else base_list(entries)
        body.append(f"\n## {listing.heading}\n\n{shown}")
    pages["listings"] = "".join(body)
    return pages


# --- writing, building, measuring ----------------------------------------------------------------


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


def build(root: Path, jobs: int, clean: bool) -> tuple[float, list[str]]:
    """Run ``sphinx-build -b html -q``; return wall-clock seconds and the warning lines."""
    out = root / "_build"
    if clean and out.exists():
        shutil.rmtree(out)
    parallel = ["-j", str(jobs)] if jobs > 1 else []
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *parallel, "-d", str(out / "doctrees"),
           str(root), str(out / "html")]
    start = time.perf_counter()
    # cwd=root: ``python -m`` puts the working directory first on sys.path, ahead of PYTHONPATH
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=root)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed, [line for line in proc.stderr.splitlines() if line.strip()]


def page_mtimes(root: Path) -> dict[str, int]:
    """Docname -> mtime (ns) of every page written under ``_build/html``."""
    html = root / "_build" / "html"
    found = {}
    for path in html.rglob("*.html"):
        docname = path.relative_to(html).with_suffix("").as_posix()
        if docname not in NON_PAGES and not docname.startswith(("_static/", "_sources/")):
            found[docname] = path.stat().st_mtime_ns
    return found


def changed_pages(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """Pages written (or added) between two snapshots."""
    return {doc for doc, mtime in after.items() if before.get(doc) != mtime}


def pick_edited(sources: Sequence[CaseSource]) -> CaseSource:
    """The first case that others relate to and that a listing on ``listings.md`` shows."""
    targets = {r.target for s in sources for r in s.case.related}
    for source in sources:
        if source.id in targets and any(listing.query.matches(source.case) for listing in LISTINGS):
            return source
    return sources[0]


def toctree_parents(sources: Sequence[CaseSource]) -> dict[str, str]:
    """Docname -> the page whose toctree lists it, as :func:`common_pages` builds them."""
    parents = {"cases/index": "index", "browse/index": "index", "listings": "index"}
    parents.update({f"browse/{page}": "browse/index" for page in BROWSE_PAGES.values()})
    for source in sources:
        group = source.docname.rsplit("/", 1)[0]
        parents[source.docname] = f"{group}/index"
        parents[f"{group}/index"] = "cases/index"
    return parents


def expected_rewrites(sources: Sequence[CaseSource], edited: CaseSource) -> tuple[set[str], set[str]]:
    """Pages showing the edited case (its own, browse pages, listings, related cases), and their toctree parents.

    Sphinx itself also rewrites the page whose toctree lists each page it writes
    (``env.files_to_rebuild``), with or without the extension: those are the second set.
    """
    by_id = {s.id: s for s in sources}
    shown = {edited.docname}
    shown.update(f"browse/{page}" for taxonomy, page in BROWSE_PAGES.items() if edited.case.values(taxonomy))
    if any(listing.query.matches(edited.case) for listing in LISTINGS):
        shown.add("listings")
    shown.update(by_id[r.target].docname for r in edited.case.related if r.target in by_id)
    shown.update(s.docname for s in sources if any(r.target == edited.id for r in s.case.related))
    parents = toctree_parents(sources)
    return shown, {parents[doc] for doc in shown if doc in parents} - shown


def edit(source: CaseSource) -> CaseSource:
    """The case with a new title and summary (same id and other fields)."""
    fields = dict(source.fields)
    fields["title"] = fields["title"] + " (revised)"
    fields["summary"] = ("Revised: " + fields["summary"])[:275].rsplit(" ", 1)[0] + "."
    edited = CaseSource(source.number, fields, source.sections)
    parse_all([edited], Vocabularies.build())
    return edited


def best_clean(root: Path, jobs: int, repeat: int) -> tuple[float, list[str]]:
    """The fastest of ``repeat`` clean builds, and the warnings of the last."""
    times, warnings = [], []
    for _ in range(repeat):
        elapsed, warnings = build(root, jobs, clean=True)
        times.append(elapsed)
    return min(times), warnings


def measure(n: int, workdir: Path, jobs: int, repeat: int) -> Result:
    """Generate, build and measure both projects for one N."""
    result = Result(n)
    sources = generate(n)
    ext_root, base_root = workdir / f"n{n}" / "ext", workdir / f"n{n}" / "baseline"
    pages = ext_pages(sources)
    result.pages = len(pages)
    write_project(ext_root, pages, 'extensions = ["myst_parser", "casebook_ext"]\n' + CONF_COMMON)
    write_project(base_root, base_pages(sources), 'extensions = ["myst_parser"]\n' + CONF_COMMON + CONF_BASELINE_NAV)

    result.clean_base, base_warnings = best_clean(base_root, jobs, repeat)
    result.clean_ext, ext_warnings = best_clean(ext_root, jobs, repeat)
    result.warnings = [f"baseline: {w}" for w in base_warnings] + [f"ext: {w}" for w in ext_warnings]
    page = ext_root / "_build" / "html" / f"{next(s for s in sources if s.id == SIZE_CASE).docname}.html"
    result.page_bytes = page.stat().st_size
    result.base_page_bytes = (base_root / page.relative_to(ext_root)).stat().st_size

    original = pick_edited(sources)
    edited = edit(original)
    result.edited = edited.id
    changed = [edited if s.id == edited.id else s for s in sources]
    result.expected, result.parents = expected_rewrites(changed, edited)

    before = page_mtimes(ext_root)
    (ext_root / f"{edited.docname}.md").write_text(ext_case_page(edited), encoding="utf-8")
    result.incr_ext, warnings = build(ext_root, jobs, clean=False)
    result.warnings += [f"ext incremental: {w}" for w in warnings]
    after = page_mtimes(ext_root)
    result.rewritten = changed_pages(before, after)

    result.noop_ext, warnings = build(ext_root, jobs, clean=False)
    result.warnings += [f"ext no-op: {w}" for w in warnings]
    result.noop = changed_pages(after, page_mtimes(ext_root))

    before = page_mtimes(base_root)
    (base_root / f"{edited.docname}.md").write_text(base_pages(changed)[edited.docname], encoding="utf-8")
    result.incr_base, _ = build(base_root, jobs, clean=False)
    result.base_rewritten = changed_pages(before, page_mtimes(base_root))
    return result


# --- reporting ------------------------------------------------------------------------------------

HEADER = ("N", "pages", "clean no-ext (s)", "clean ext (s)", "ext ms/page", "overhead ratio", "incr no-ext (s)",
          "incr ext (s)", "incr/clean", "pages rewritten", "expected?", "no-op ext (s)", "no-op rewrites",
          "case page bytes", "size ratio")


def row(result: Result, smallest: Result) -> list[str]:
    """One table row."""
    return [str(result.n), str(result.pages), f"{result.clean_base:.2f}", f"{result.clean_ext:.2f}",
            f"{1000 * result.clean_ext / result.pages:.1f}", f"{result.overhead:.2f}x",
            f"{result.incr_base:.2f}", f"{result.incr_ext:.2f}", f"{result.incr_ext / result.clean_ext:.3f}",
            f"{len(result.rewritten)} ({len(result.rewritten & result.expected)}+"
            f"{len(result.rewritten & result.parents)})", "OK" if result.rewrite_ok else "UNEXPECTED",
            f"{result.noop_ext:.2f}", str(len(result.noop)),
            str(result.page_bytes), f"{result.page_bytes / smallest.page_bytes:.2f}"]


def print_table(results: Sequence[Result]) -> None:
    """The results as an aligned plain-text table."""
    rows = [list(HEADER)] + [row(r, results[0]) for r in results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    for i, cells in enumerate(rows):
        print(" | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))


def names(docnames: Iterable[str], limit: int = 20) -> str:
    """Sorted docnames, comma-separated, the tail elided past ``limit``."""
    shown = sorted(docnames)
    more = f", ... ({len(shown) - limit} more)" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def print_details(results: Sequence[Result]) -> None:
    """Per N: the edited case, the rewritten pages against the expected ones, and warnings."""
    for r in results:
        print(f"\nN = {r.n}: edited {r.edited} (title and summary); the extension build rewrote {len(r.rewritten)}:")
        print(f"  showing the case ({len(r.rewritten & r.expected)}/{len(r.expected)}): "
              f"{names(r.rewritten & r.expected)}")
        print(f"  their toctree parents, which Sphinx rewrites itself ({len(r.rewritten & r.parents)}/"
              f"{len(r.parents)}): {names(r.rewritten & r.parents)}")
        if r.rewritten - r.expected - r.parents:
            print(f"  unexpected: {names(r.rewritten - r.expected - r.parents)}")
        if (r.expected | r.parents) - r.rewritten:
            print(f"  missing (expected, not rewritten): {names((r.expected | r.parents) - r.rewritten)}")
        print(f"  baseline, same edit, rewrote ({len(r.base_rewritten)}): {names(r.base_rewritten)}")
        if r.noop:
            print(f"  no-op rebuild rewrote: {names(r.noop)}")
        print(f"  {SIZE_CASE} bytes: ext {r.page_bytes}, baseline {r.base_page_bytes}")
        print(f"  warnings: {len(r.warnings)}")
        for warning in r.warnings[:10]:
            print(f"    {warning}")


def verdict(ok: bool | None) -> str:
    """PASS, FAIL or n/a (when the sizes run do not allow the check)."""
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def print_targets(results: Sequence[Result]) -> bool:
    """The issue's targets, each PASS / FAIL; True if none failed."""
    by_n = {r.n: r for r in results}
    largest, smallest = results[-1], results[0]
    at_1000 = by_n.get(1000)
    checks = [
        ("overhead at N=1000 <= 1.2x", None if at_1000 is None else at_1000.overhead <= 1.2,
         f"{at_1000.overhead:.2f}x" if at_1000 else "N=1000 not run"),
        (f"overhead not growing from 1000 to {largest.n} (+0.05 noise)",
         None if at_1000 is None or largest.n <= 1000 else largest.overhead <= at_1000.overhead + 0.05,
         f"{at_1000.overhead:.2f}x -> {largest.overhead:.2f}x" if at_1000 else "N=1000 not run"),
        ("one edited case rewrites exactly the expected pages", all(r.rewrite_ok for r in results),
         ", ".join(f"N={r.n}: {'OK' if r.rewrite_ok else 'UNEXPECTED'}" for r in results)),
        ("no-op rebuild rewrites nothing", all(not r.noop for r in results),
         ", ".join(f"N={r.n}: {len(r.noop)}" for r in results)),
        (f"case page at N={largest.n} <= 2x its size at N={smallest.n}",
         largest.page_bytes <= 2 * smallest.page_bytes, f"{largest.page_bytes / smallest.page_bytes:.2f}x"),
        ("no warnings", all(not r.warnings for r in results), f"{sum(len(r.warnings) for r in results)} warnings"),
    ]
    print("\ntargets")
    for name, ok, detail in checks:
        print(f"  {verdict(ok):4}  {name}: {detail}")
    return all(ok is not False for _, ok, _ in checks)


def ext_location(cwd: Path) -> str:
    """Where the sphinx-build subprocesses import ``casebook_ext`` from."""
    code = "import casebook_ext, pathlib; print(pathlib.Path(casebook_ext.__file__).parent)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd)
    return proc.stdout.strip()


def snapshot(workdir: Path, argv: Sequence[str]) -> None:
    """Copy the installed ``casebook_ext`` into the work dir and re-run this script on the copy."""
    import casebook_ext

    target = workdir / "_snapshot"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(Path(casebook_ext.__file__).parent, target / "casebook_ext",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")])))
    args = [a for a in argv if a != "--snapshot"]
    print(f"casebook_ext snapshot: {target / 'casebook_ext'}", file=sys.stderr, flush=True)
    sys.exit(subprocess.run([sys.executable, __file__, *args], env=env, check=False).returncode)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, measure every N, print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=1, help="clean builds per project; the fastest counts")
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "_work")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="sphinx-build -j for every build")
    parser.add_argument("--snapshot", action="store_true", help="measure a copy of casebook_ext taken at the start")
    args = parser.parse_args(argv)
    if args.snapshot:
        snapshot(args.workdir.resolve(), sys.argv[1:] if argv is None else argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    location = ext_location(workdir)
    print(f"casebook_ext used by sphinx-build: {location}", file=sys.stderr, flush=True)
    results = []
    for n in sorted(set(args.sizes)):
        print(f"N = {n} ...", file=sys.stderr, flush=True)
        results.append(measure(n, workdir, args.jobs, max(1, args.repeat)))
    print(f"sphinx-build -b html -q -j {args.jobs}; clean times are the fastest of {max(1, args.repeat)} build(s); "
          f"casebook_ext from {location}")
    print_table(results)
    print_details(results)
    return 0 if print_targets(results) else 1


if __name__ == "__main__":
    sys.exit(main())

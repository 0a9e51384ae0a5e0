"""The build's side of open data: case records from the environment, and the files published beside the HTML.

``cases.json`` (with its JSON Schema), ``cases.csv`` and one BibTeX, RIS and CSL-JSON file per
case are written at the end of every HTML build, from the same records the finder and the
"cite this case" blocks read, so the site and its data cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from casebook_ext import bibliography, citeformats
from casebook_ext.config import CONFIG_FIELDS, settings_of
from casebook_ext.dependencies import unchanged
from casebook_ext.domain import CasebookDomain, get_domain
from casebook_ext.formatting import format_entry
from casebook_ext.freshness import build_date, is_due
from casebook_ext.json_schema import SCHEMA_NAME, cases_json_schema
from casebook_ext.model import CaseEntry
from casebook_ext.records import Casebook, CaseRecord, RelatedCase, Source, envelope, to_csv

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: Where the per-case citation files go, inside the HTML output folder.
CITE_FOLDER = "_casebook/cite"
DATA_FILES = ("cases.json", "cases.csv", SCHEMA_NAME)


def base_url(env: BuildEnvironment) -> str:
    url = str(env.config.html_baseurl or "").strip()
    return url if not url or url.endswith("/") else url + "/"


def casebook_meta(env: BuildEnvironment) -> Casebook:
    config = env.config
    root = base_url(env)
    return Casebook(
        title=str(config.project),
        authors=str(config.author),
        edition=str(config.release or config.version or ""),
        built=build_date(),
        base_url=root,
        licence=settings_of(config).licence,
        schema=f"{root}{SCHEMA_NAME}" if root else SCHEMA_NAME,
    )


def page_uri(builder: Builder, docname: str) -> str:
    """A page's address from the site's root, as this builder writes it (``cases/x.html``, ``cases/x/``)."""
    return builder.get_target_uri(docname)


def case_url(env: BuildEnvironment, builder: Builder, entry: CaseEntry) -> str:
    """The case's stable address: the page its id names, from the site's base URL when it has one."""
    uri = page_uri(builder, entry.docname)
    on_title = entry.docname.rsplit("/", 1)[-1] == entry.case.id
    return base_url(env) + uri + ("" if on_title else f"#{entry.anchor}")


def sources_of(env: BuildEnvironment, entry: CaseEntry) -> tuple[Source, ...]:
    data = bibliography.bib_data(env)
    known = bibliography.resources(env)
    labels = bibliography.labels(env)
    out = []
    for key in entry.case.resources:
        resource = known.get(key)
        if data is None or resource is None:
            out.append(Source(key, key, "", ""))
            continue
        formatted, _ = format_entry(data, env.config.bibtex_default_style, resource)
        citation = " ".join("".join(node.astext() for node in formatted).split())
        out.append(Source(key, labels.get(key, key), citation, resource.link))
    return tuple(out)


def related_of(domain: CasebookDomain, entry: CaseEntry) -> tuple[RelatedCase, ...]:
    index = domain.index
    out = [RelatedCase(r.target, r.kind, "to") for r in entry.case.related if r.target in index.by_id]
    out = [r for r in out if r.id != entry.case.id]
    seen = {r.id for r in out}
    for source, kind in index.incoming.get(entry.case.id, []):
        if source.case.id not in seen:
            out.append(RelatedCase(source.case.id, kind, "from"))
            seen.add(source.case.id)
    return tuple(out)


def record(env: BuildEnvironment, builder: Builder, entry: CaseEntry) -> CaseRecord:
    """One case as data, with its URL for this builder."""
    domain = get_domain(env)
    return CaseRecord(
        case=entry.case,
        url=case_url(env, builder, entry),
        related=related_of(domain, entry),
        sources=sources_of(env, entry),
        review_due=is_due(env.config, entry.case),
    )


def _write(path: Path, text: str) -> None:
    """Write only when the content changed, so an unchanged rebuild touches no file."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def _state(app: Sphinx) -> tuple[str, dict[str, str]]:
    """Digests of what the data files hold: all of it, and each case's citation files on their own.

    Each case's files depend on the case, its page and related cases, and on what every case
    shares (the bibliography, the configuration, the build date): an edit of one case rewrites
    that case's files only, not those of every case.
    """
    env = app.env
    domain = get_domain(env)
    config = env.config
    shared = _digest(
        (
            app.builder.name,
            sorted((k, r.fingerprint) for k, r in bibliography.resources(env).items()),
            sorted(bibliography.labels(env).items()),
            (config.project, config.author, config.release, config.html_baseurl, build_date()),
            sorted((f.name, repr(getattr(config, f"casebook_{f.name}"))) for f in CONFIG_FIELDS),
        )
    )
    cases = {
        e.case.id: _digest((shared, e.docname, e.anchor, e.case, related_of(domain, e), is_due(config, e.case)))
        for e in domain.index.by_id.values()
    }
    return _digest((shared, sorted(cases.items()))), cases


def note_data_changes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: whether the data files must be written again (their digests are kept with the build)."""
    domain = get_domain(env)
    if app.builder.format != "html" or unchanged(env):
        domain.data_due = False
        domain.cite_due = set()
        return []
    digest, cases = _state(app)
    stored = env.domaindata["casebook"]
    domain.data_due = stored.get("data_digest") != digest
    before = stored.get("cite_digests", {})
    domain.cite_due = {case_id for case_id, value in cases.items() if before.get(case_id) != value}
    stored["data_digest"] = digest
    stored["cite_digests"] = cases
    return []


def write_data(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: publish the cases as data and each case's citation files beside the HTML.

    Only what changed is written (and anything missing from the output folder), so an edit of
    one case costs that case's files and the shared data files, whatever the number of cases.
    """
    builder = app.builder
    if exception is not None or builder.format != "html" or builder.name == "singlehtml":
        return
    env = app.env
    domain = get_domain(env)
    outdir = Path(builder.outdir)
    meta = casebook_meta(env)
    entries = sorted(domain.index.by_id.values(), key=lambda e: e.case.id)
    if domain.data_due or not all((outdir / name).is_file() for name in DATA_FILES):
        settings = settings_of(app.config)
        all_records = [record(env, builder, entry) for entry in entries]
        # Compact: the finder downloads it, and json writes compact output in C, indented in Python.
        data = json.dumps(envelope(meta, all_records), separators=(",", ":"), ensure_ascii=False)
        _write(outdir / "cases.json", data + "\n")
        _write(outdir / "cases.csv", to_csv(all_records))
        schema = cases_json_schema(settings.vocabularies(), settings.summary_max_length)
        _write(outdir / SCHEMA_NAME, json.dumps(schema, indent=2) + "\n")
    folder = outdir / CITE_FOLDER
    present = {path.name for path in folder.iterdir()} if folder.is_dir() else set()
    due = domain.cite_due
    wanted = set()
    for entry in entries:
        item: CaseRecord | None = None
        for suffix, (_, _, writer) in citeformats.FORMATS.items():
            name = f"{entry.case.id}.{suffix}"
            wanted.add(name)
            if due is None or entry.case.id in due or name not in present:
                item = item or record(env, builder, entry)
                _write(folder / name, writer(item, meta))
    for stale in present - wanted:
        (folder / stale).unlink()

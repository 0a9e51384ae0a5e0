"""``casebook``: start a case from the template, check cases in well under a second, print the schema.

``casebook check`` applies the build's own rules (``schema.parse_case`` and the same messages) to
case files read with :mod:`casebook_ext.casefile`, so a contributor sees at once, at the right file
and line, every warning a strict Sphinx build would give about their case.

``casebook new`` writes a case from the template and lists it on its group page (``--group``). The
next steps it prints say ``casebook check``; a project that runs the command through its own tool says
how to check and preview instead, with ``CASEBOOK_CHECK_COMMAND`` and ``CASEBOOK_PREVIEW_COMMAND``
(this repository's ``nox -s new`` sets ``nox -s check --`` and ``nox -s serve``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import string
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from casebook_ext import __version__
from casebook_ext.caseblock import CaseDirectiveSpec, review
from casebook_ext.casefile import CaseBlock, MystConfigError, Reader, declared_ids, myst_config
from casebook_ext.dates import parse_age, review_due
from casebook_ext.freshness import build_date
from casebook_ext.messages import duplicate_id_message, review_due_message, unknown_related_message
from casebook_ext.model import Case
from casebook_ext.problems import WARNING_TYPE
from casebook_ext.project import SUFFIXES, Conf, docname, find_conf, read_conf, source_files
from casebook_ext.schema import FIELDS, FieldSpec, Kind, parse_case
from casebook_ext.vocabulary import SLUG_RE, Vocabularies

if TYPE_CHECKING:
    from sphinx.config import Config

#: The warnings ``casebook check`` gives; the build's others concern listings or bibliography entries themselves.
CHECKED_SUBTYPES = frozenset(
    {
        "missing_field",
        "unknown_field",
        "unknown_term",
        "bad_country",
        "bad_date",
        "bad_years",
        "bad_id",
        "bad_value",
        "summary_too_long",
        "duplicate_id",
        "unknown_related",
        "unknown_resource",
        "case_content",
        "duplicate_option",
        "case_in_only",
        "wrong_syntax",
        "no_colon_fence",
        "bad_character",
    }
)
#: What only ``casebook check`` reports, because the build says it in its own words: a directive named one
#: slip from ``case`` is an unknown directive to the build (``myst.directive_unknown``, or docutils' error).
CHECK_ONLY_SUBTYPES = frozenset({"unknown_directive"})
DEFAULT_DOCS = Path("docs")
DEFAULT_BIB = "bib/*.bib"
TEMPLATE = Path(__file__).parent / "templates" / "case.md"


class UsageError(Exception):
    """A command that cannot do its job as called (bad path, bad conf.py, id taken); reported in one line."""


# --- findings ---------------------------------------------------------------------------


def display(path: Path) -> str:
    """A path as the contributor typed it: relative to the current folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Finding:
    """One problem, printed the way Sphinx prints a warning so editors and CI can jump to it."""

    path: Path | None
    line: int | None
    message: str
    subtype: str = ""
    type: str = WARNING_TYPE
    level: str = "WARNING"
    #: Other files the problem concerns (the page including the file, the case a duplicate id loses to):
    #: checking one of them reports it too.
    about: tuple[Path, ...] = field(default=(), compare=False)

    def render(self) -> str:
        """``path:line: WARNING: message [type.subtype]``, exactly Sphinx's format."""
        where = ""
        if self.path is not None:
            where = f"{display(self.path)}:{self.line}: " if self.line else f"{display(self.path)}: "
        tag = f" [{self.type}.{self.subtype}]" if self.subtype else f" [{self.type}]" if self.type else ""
        return f"{where}{self.level}: {self.message}{tag}"


def is_suppressed(finding: Finding, suppress: Iterable[str]) -> bool:
    """Sphinx's ``suppress_warnings`` rule, so a silenced kind stays silent here too."""
    wanted = frozenset(suppress)
    if not finding.type:
        return False
    if finding.type in wanted or f"{finding.type}.*" in wanted:
        return True
    return bool(finding.subtype) and f"{finding.type}.{finding.subtype}" in wanted


# --- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What the checks need from a project: vocabularies, limits, bibliography and exclusions."""

    vocab: Vocabularies
    summary_max_length: int = 280
    #: The .bib files to look resource keys up in; ``None`` when the project has no bibliography.
    bib_files: tuple[Path, ...] | None = None
    bib_encoding: str = "utf-8-sig"
    exclude_patterns: tuple[str, ...] = ("_build",)
    suppress: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)
    #: Reads documents as this project's build does (its MyST settings, its source folder).
    reader: Reader = field(default_factory=lambda: Reader(myst_config({})), compare=False)
    #: The suffixes of the documents the build reads.
    suffixes: tuple[str, ...] = SUFFIXES
    #: How old a case's last review may get (``casebook_stale_after``, in months; 0: never due).
    stale_after_months: int = 0


def load_conf(path: Path | None) -> Conf:
    """The literal settings of conf.py, or none; a conf.py that does not parse is a usage error."""
    if path is None:
        return Conf()
    if not path.is_file():
        raise UsageError(f"{display(path)}: no such conf.py")
    try:
        return read_conf(path)
    except SyntaxError as error:
        raise UsageError(f"{display(path)}:{error.lineno}: conf.py is not valid Python: {error.msg}") from None


def settings_for(conf: Conf, bib: Sequence[Path] | None = None) -> Settings:
    """Settings from conf.py's literals, made and checked by the extension's own typed configuration."""
    from casebook_ext.config import CONFIG_FIELDS, from_sphinx, problems

    values = conf.values
    settings: dict[str, Any] = {
        f"casebook_{f.name}": f.default_factory() if f.default_factory is not MISSING else f.default
        for f in CONFIG_FIELDS
    }
    settings.update({name: value for name, value in values.items() if name.startswith("casebook_")})
    config = cast("Config", SimpleNamespace(**settings))
    found = problems(config)
    if found:
        raise UsageError("invalid casebook configuration in conf.py: " + "; ".join(found))
    for name in ("exclude_patterns", "suppress_warnings"):
        listed = values.get(name, [])
        if not isinstance(listed, list | tuple) or not all(isinstance(item, str) for item in listed):
            raise UsageError(f"invalid configuration in conf.py: {name} must be a list of strings")
    typed = from_sphinx(config)
    try:
        myst = myst_config(values if conf.path is not None else {"myst_enable_extensions": ["colon_fence"]})
    except MystConfigError as error:
        raise UsageError(f"invalid MyST configuration in conf.py: {error}") from None
    notes = [
        f"{display(conf.path)}: {name} is computed, not a literal; `casebook check` uses its default"
        for name in conf.not_literal
        if conf.path is not None
    ]
    bib_files = _bib_files(conf, bib, notes)
    return Settings(
        vocab=typed.vocabularies(),
        summary_max_length=typed.summary_max_length,
        stale_after_months=parse_age(typed.stale_after) or 0,
        bib_files=bib_files,
        bib_encoding=str(values.get("bibtex_encoding", "utf-8-sig")),
        exclude_patterns=tuple(values.get("exclude_patterns", () if conf.path else ("_build",))),
        suppress=tuple(values.get("suppress_warnings", ())),
        notes=tuple(notes),
        reader=Reader(myst, conf.srcdir),
        suffixes=conf.suffixes,
    )


def _bib_files(conf: Conf, bib: Sequence[Path] | None, notes: list[str]) -> tuple[Path, ...] | None:
    """``--bib`` if given, else the files conf.py lists (as the build reads them), else ``bib/*.bib``."""
    if bib:
        return tuple(_absolute(p) for p in bib)
    listed = conf.values.get("bibtex_bibfiles")
    if conf.srcdir is not None and isinstance(listed, list | tuple):
        return tuple(_absolute(conf.srcdir / str(name)) for name in listed)
    if conf.path is not None and "bibtex_bibfiles" not in conf.not_literal:
        return None  # no bibliography in this project: the build does not check resource keys either
    found = tuple(_absolute(p) for p in sorted(Path.cwd().glob(DEFAULT_BIB)))
    if not found:
        notes.append(f"no .bib files found ({DEFAULT_BIB}); resource keys are not checked (use --bib)")
    return found or None


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


# --- casebook check ---------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of a check: problems in the files asked about, and how many cases they hold."""

    findings: list[Finding]
    cases: int
    notes: tuple[str, ...] = ()


def load_keys(settings: Settings) -> tuple[Mapping[str, Any] | None, list[Finding]]:
    """Every BibTeX key, parsed by pybtex as sphinxcontrib-bibtex parses them (same case rules)."""
    if settings.bib_files is None:
        return None, []
    from pybtex.database.input.bibtex import Parser
    from pybtex.exceptions import PybtexError

    parser = Parser(settings.bib_encoding)
    findings: list[Finding] = []
    for path in settings.bib_files:
        if not path.is_file():
            findings.append(
                Finding(None, None, f"could not open bibtex file {display(path)}.", "bibfile_error", "bibtex")
            )
            continue
        try:
            parser.parse_file(path)
        except PybtexError as error:
            message = f"bibliography data error in {display(path)}: {error}"
            findings.append(Finding(None, None, message, "bibfile_data_error", "bibtex"))
    return parser.data.entries, findings


def check_block(
    block: CaseBlock, settings: Settings, keys: Mapping[str, Any] | None
) -> tuple[Case | None, list[Finding]]:
    """The warnings the build's ``case`` directive gives for one block: the same review, at the same lines."""
    about = (block.document,) if block.document != block.path else ()
    out = [Finding(n.path, n.line, n.message, n.subtype, n.type, n.level, about) for n in block.notices]
    if block.failed:
        return None, out
    case, problems = review(block.src, settings.vocab, settings.summary_max_length, keys)
    out += [Finding(block.path, p.line, p.message, p.subtype, about=about) for p in problems]
    if case is not None and review_due(case.last_reviewed, settings.stale_after_months, build_date()):
        assert case.last_reviewed is not None
        message = review_due_message(case.id, case.last_reviewed, settings.stale_after_months)
        out.append(Finding(block.path, block.src.option_line("last-reviewed"), message, "review_due", about=about))
    return case, out


def _shown(path: Path, root: Path) -> str:
    """A path as the build names files in its messages: from the source folder."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return display(path)


def check_consistency(entries: Sequence[tuple[Case, CaseBlock]], root: Path) -> list[Finding]:
    """Duplicate ids and unknown related cases, decided as the build decides them (first docname wins)."""
    out: list[Finding] = []
    by_id: dict[str, tuple[Case, CaseBlock]] = {}
    for case, block in entries:
        first = by_id.get(case.id)
        if first is None:
            by_id[case.id] = (case, block)
            continue
        kept = first[1]
        message = duplicate_id_message(case.id, _shown(kept.path, root), kept.lineno)
        about = (kept.path, kept.document, block.document)
        out.append(Finding(block.path, block.lineno, message, "duplicate_id", about=about))
    for case, block in by_id.values():
        for relation in case.related:
            if relation.target not in by_id:
                message = unknown_related_message(relation.target, by_id)
                line = block.option_line("related")
                out.append(Finding(block.path, line, message, "unknown_related", about=(block.document,)))
    return out


def check_files(documents: Sequence[Path], root: Path, settings: Settings, selected: Iterable[Path]) -> Report:
    """Check every case in ``documents`` (the whole project), reporting problems in the ``selected`` files.

    A selected file that no document includes is read as a document of its own.
    """
    keys, findings = load_keys(settings)
    wanted = set(selected)
    readings = {}
    for path in sorted(set(documents) | wanted, key=lambda p: docname(p, root)):
        try:
            readings[path] = settings.reader.read(path)
        except (OSError, UnicodeDecodeError) as error:
            findings.append(Finding(path, None, f"cannot read the file: {error}", type=""))
    included = {source for path, reading in readings.items() for source in reading.sources if source != path}
    project = set(documents)
    entries: list[tuple[Case, CaseBlock]] = []
    cases = 0
    order: dict[Path, int] = {}
    for path, reading in readings.items():  # the build's order, which decides the "first" of two ids
        if path not in project and path in included:
            continue  # read where it is included, as the build reads it
        order[path] = len(order)
        findings += [Finding(n.path, n.line, n.message, n.subtype, n.type, n.level, (path,)) for n in reading.notices]
        for block in reading.blocks:
            if block.path in wanted or block.document in wanted:
                cases += 1
            case, found = check_block(block, settings, keys)
            findings += found
            if case is not None:
                entries.append((case, block))
    findings += check_consistency(entries, root)

    def concerns_selection(finding: Finding) -> bool:
        return finding.path is None or finding.path in wanted or any(p in wanted for p in finding.about)

    def position(finding: Finding) -> tuple[int, str, int]:
        if finding.path is None:
            return -1, "", 0
        page = order.get(finding.path, next((order[p] for p in finding.about if p in order), len(order)))
        return page, str(finding.path), finding.line or 0

    kept = [f for f in findings if concerns_selection(f) and not is_suppressed(f, settings.suppress)]
    kept.sort(key=position)
    return Report(kept, cases, settings.notes)


def run_check(paths: Sequence[Path], conf_path: Path | None = None, bib: Sequence[Path] | None = None) -> Report:
    """``casebook check``: the project around ``paths`` is read whole, so links between cases resolve."""
    targets = [_absolute(p) for p in paths]
    for target in targets:
        if not target.exists():
            raise UsageError(f"{display(target)}: no such file or folder")
    conf_file = _absolute(conf_path) if conf_path else find_conf(targets[0])
    settings = settings_for(load_conf(conf_file), bib)
    root = conf_file.parent if conf_file else (targets[0] if targets[0].is_dir() else targets[0].parent)
    project = source_files(root, settings.exclude_patterns, settings.suffixes) if conf_file else []
    selected: list[Path] = []
    for target in targets:
        if not target.is_dir():
            selected += [target] if target.suffix in SUFFIXES else []
        elif project and target.is_relative_to(root):
            selected += [f for f in project if f.is_relative_to(target)]  # the project's own exclusions apply
        else:
            selected += source_files(target, settings.exclude_patterns, settings.suffixes)
    return check_files(project, root, settings, selected)


def _summary(report: Report) -> str:
    cases = f"{report.cases} case{'s' if report.cases != 1 else ''}"
    problems = len(report.findings)
    return f"{cases} checked, {problems} problem{'s' if problems != 1 else ''}"


def cmd_check(args: argparse.Namespace) -> int:
    """Print each problem as Sphinx would, a summary on stderr; exit 1 when there is any problem."""
    report = run_check(args.paths or [DEFAULT_DOCS], args.conf, args.bib)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for finding in report.findings:
        print(finding.render())
    print(_summary(report), file=sys.stderr)
    return 1 if report.findings else 0


# --- casebook new -----------------------------------------------------------------------


def option_value(text: str) -> str:
    """``text`` written so MyST reads it back unchanged: plain if it can be, else double-quoted.

    Read back with MyST's public ``parse_directive_text`` and the ``case`` directive's own spec.
    """
    from myst_parser.parsers.directives import parse_directive_text

    def reads_back(written: str) -> bool:
        parsed = parse_directive_text(CaseDirectiveSpec, "a-case", f":title: {written}\n")
        return not parsed.warnings and parsed.options == {"title": text}

    if reads_back(text):
        return text
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if reads_back(quoted):
        return quoted
    raise UsageError(f"the title {text!r} cannot be written as a case field; simplify its punctuation")


def _field_note(spec: FieldSpec, vocab: Vocabularies, bib: str, today: dt.date) -> list[str]:
    """The comment lines that explain one field in a new case file, from the schema itself."""
    import textwrap

    need = "required" if spec.required else "optional"
    lines = [f"- {spec.name} ({need}): {spec.description.replace('``', '`')}"]
    if spec.vocabulary is not None:
        which = {Kind.TERMS: "One or more of", Kind.RELATIONS: "Relations (in brackets)"}.get(spec.kind, "One of")
        lines.append(f"  {which}: {', '.join(vocab[spec.vocabulary])}")
    if spec.kind is Kind.KEYS:
        lines.append(f"  Keys of entries in {bib}; add a new source there first.")
    today_note = f" (today is {today.isoformat()})" if spec.kind is Kind.DATE else ""
    lines.append(f"  Example: {spec.example}{today_note}")
    wrapped: list[str] = []
    for line in lines:
        indent = "    " if line.startswith("  ") else "  "
        wrapped += textwrap.wrap(line, 96, subsequent_indent=indent, break_on_hyphens=False)
    return [f"% {line}" for line in wrapped]


def render_case(case_id: str, title: str, settings: Settings, path: str, today: dt.date | None = None) -> str:
    """A new case file: the template with the id, title and one note per field filled in."""
    today = today or dt.date.today()
    files = settings.bib_files
    bib = ", ".join(display(f) for f in files) if files else "the project's bibliography"
    notes = [line for spec in FIELDS for line in _field_note(spec, settings.vocab, bib, today)]
    template = string.Template(TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(
        case_id=case_id,
        title=title,
        title_value=option_value(title),
        required=", ".join(spec.name for spec in FIELDS if spec.required and spec.name != "title"),
        field_notes="\n".join(notes),
        path=path,
        check=check_command(),
        preview=f", then preview with `{preview}`" if (preview := preview_command()) else "",
    )


@dataclass(frozen=True)
class Group:
    """A page that lists its cases from its own toctree (``case-list`` with ``:from-toctree:``)."""

    path: Path
    title: str
    #: The 0-based index of the line the new entry goes before, and whether a blank line must precede it.
    insert_at: int
    blank_first: bool
    #: The indentation of the toctree's entries (rST's directive content is indented).
    indent: str

    @property
    def name(self) -> str:
        return self.path.stem


_MYST_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}")
_RST_OPEN = re.compile(r"^\.\. (?P<name>[\w:-]+)::")


def _directives(lines: Sequence[str]) -> list[tuple[str, int, int, str]]:
    """Top-level directives of a page: (name, first line, line after the last, indentation of the body)."""
    found: list[tuple[str, int, int, str]] = []
    i = 0
    while i < len(lines):
        myst, rst = _MYST_OPEN.match(lines[i]), _RST_OPEN.match(lines[i])
        if myst:
            fence = myst["fence"]
            end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence), len(lines))
            found.append((myst["name"], i, end, ""))
            i = end + 1
        elif rst:
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "\t"))):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            body = [line for line in lines[i + 1 : end] if line.strip()]
            indent = re.match(r"\s*", body[0])[0] if body else "   "  # type: ignore[index]
            found.append((rst["name"], i, end, indent))
            i = end
        else:
            i += 1
    return found


def _group(path: Path) -> Group | None:
    """``path`` as a group page, or ``None`` if it lists no cases from its toctree."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    found = _directives(lines)
    lists = any(
        name == "case-list" and any(line.strip() == ":from-toctree:" for line in lines[start + 1 : end])
        for name, start, end, _ in found
    )
    toctrees = [(start, end, indent) for name, start, end, indent in found if name == "toctree"]
    if not lists or not toctrees:
        return None
    start, end, indent = toctrees[0]
    last = lines[end - 1].strip() if end - 1 > start else ""
    blank_first = end - 1 == start or last.startswith(":")  # the options end with a blank line
    heading = next((line.lstrip("# ").strip() for line in lines if line.startswith("# ")), "")
    if not heading:  # an rST title: the text line above its underline
        heading = next(
            (lines[j - 1].strip() for j in range(1, len(lines)) if re.fullmatch(r"(=+|-+|\*+)", lines[j])), ""
        )
    return Group(path, heading or path.stem, end, blank_first, indent)


def groups_in(folder: Path, settings: Settings) -> list[Group]:
    """The group pages under the cases folder: each lists its cases with ``case-list :from-toctree:``."""
    if not folder.is_dir():
        return []
    pages = (_group(path) for path in source_files(folder, settings.exclude_patterns, settings.suffixes))
    return [group for group in pages if group is not None]


def _choose_group(groups: Sequence[Group], wanted: str | None, folder: Path) -> Group | None:
    """The group page named by ``--group``; a usage error listing the groups when it is missing or unknown."""
    if not groups:
        if wanted:
            raise UsageError(
                f"--group {wanted}: {display(folder)} has no group pages (a case-list with :from-toctree:)"
            )
        return None
    listed = "; ".join(f"{g.name} ({g.title})" for g in groups)
    if wanted is None:
        raise UsageError(f"choose the page that lists the new case, with --group NAME: {listed}")
    chosen = [g for g in groups if g.name == wanted or display(_absolute(g.path)) == wanted]
    if not chosen:
        raise UsageError(f"--group {wanted}: no such group page; the groups are {listed}")
    return chosen[0]


def _entry(target: Path, group: Group, srcdir: Path) -> str:
    """The toctree entry for ``target`` on the group's page: relative to it, or absolute from the source folder."""
    relative = Path(os.path.relpath(target.with_suffix(""), group.path.parent)).as_posix()
    if not relative.startswith("../"):
        return relative
    return "/" + Path(os.path.relpath(target.with_suffix(""), srcdir)).as_posix()


def add_to_group(group: Group, entry: str) -> None:
    """Add ``entry`` as the last line of the group page's toctree."""
    text = group.path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if group.insert_at > 0 and not lines[group.insert_at - 1].endswith("\n"):
        lines[group.insert_at - 1] += "\n"
    new = ["\n"] if group.blank_first else []
    lines[group.insert_at : group.insert_at] = [*new, f"{group.indent}{entry}\n"]
    group.path.write_text("".join(lines), encoding="utf-8")


@dataclass(frozen=True)
class NewCase:
    """What ``casebook new`` wrote: the case file, and the group page now listing it (if the project has groups)."""

    path: Path
    group: Group | None = None


def check_command() -> str:
    """How the printed next steps say to check a case: ``casebook check``, or what the project's noxfile says."""
    return os.environ.get("CASEBOOK_CHECK_COMMAND") or "casebook check"


def preview_command() -> str:
    """The command that previews the casebook, if the project's noxfile names one (``CASEBOOK_PREVIEW_COMMAND``)."""
    return os.environ.get("CASEBOOK_PREVIEW_COMMAND", "")


def run_new(
    case_id: str, title: str, folder: Path | None = None, docs: Path | None = None, group: str | None = None
) -> NewCase:
    """``casebook new``: write the new case file and list it on its group page, or refuse with the reason."""
    if not SLUG_RE.match(case_id):
        _, problems = parse_case(case_id, {}, Vocabularies.build())
        raise UsageError(problems[0].message)
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty: give the case's name as readers will see it, with --title")
    docs = docs or DEFAULT_DOCS
    folder = folder or docs / "cases"
    target = folder / f"{case_id}.md"
    if target.exists():
        raise UsageError(f"{display(_absolute(target))} already exists; edit it, or choose another id")
    conf_file = find_conf(docs) if docs.is_dir() else None
    conf = load_conf(conf_file)
    settings = settings_for(conf)
    roots = {_absolute(p) for p in (docs, folder) if p.is_dir()}
    files = sorted({f for root in roots for f in source_files(root, settings.exclude_patterns, settings.suffixes)})
    taken = declared_ids(files, settings.reader).get(case_id)
    if taken is not None:
        where, line = taken
        raise UsageError(f"case id {case_id!r} is already declared in {display(where)}, line {line}; choose another id")
    chosen = _choose_group(groups_in(folder, settings), group, folder)
    text = render_case(case_id, title, settings, display(_absolute(target)))
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if chosen is not None:
        srcdir = conf_file.parent if conf_file else docs
        add_to_group(chosen, _entry(_absolute(target), chosen, _absolute(srcdir)))
    return NewCase(target, chosen)


def cmd_new(args: argparse.Namespace) -> int:
    """Write the case, list it on its group page, and tell the contributor what to do next."""
    created = run_new(args.id, args.title, args.dir, args.docs, args.group)
    shown = display(_absolute(created.path))
    required = ", ".join(spec.name for spec in FIELDS if spec.required and spec.name != "title")
    print(f"Created {shown} from the case template.")
    if created.group is not None:
        page = display(_absolute(created.group.path))
        print(
            f"Listed it last in the toctree of {page}, the page that shows it; move the line if it belongs elsewhere."
        )
    print("Next:")
    print(f"  1. Fill in its fields; these are required: {required}.")
    print("     The notes in the file explain each field and list the terms you can use.")
    print("  2. Write the sections in your own words, citing a listed source for every fact.")
    print(f"  3. Run `{check_command()} {shown}` until it reports no problems.")
    preview = preview_command()
    if preview:
        print(f"  4. Preview the casebook with `{preview}` and read your page.")
    return 0


# --- casebook schema --------------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of ``cases.json``, with the vocabularies of the project's conf.py if there is one."""
    from casebook_ext.json_schema import cases_json_schema

    conf_file = args.conf or (find_conf(DEFAULT_DOCS) if DEFAULT_DOCS.is_dir() else None)
    settings = settings_for(load_conf(conf_file))
    schema = cases_json_schema(settings.vocab, settings.summary_max_length)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


# --- entry point ------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The command line, with one sub-command per task a contributor has."""
    top = argparse.ArgumentParser(prog="casebook", description="Write and check Mission Casebook cases.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser(
        "new", help="start a new case from the template", description="Write a new case file from the case template."
    )
    new.add_argument("id", metavar="ID", help="the case id: a slug such as camden-mission-led-procurement")
    new.add_argument("--title", required=True, help="the case's name as readers will see it")
    new.add_argument("--dir", type=Path, help="folder to write ID.md into (default: docs/cases)")
    new.add_argument("--docs", type=Path, help="the casebook's source folder, searched for ids in use (default: docs)")
    new.add_argument(
        "--group",
        metavar="NAME",
        help="the group page that lists the case (a page of the cases folder with `case-list :from-toctree:`), "
        "such as cities; the id is added to its toctree",
    )
    new.set_defaults(run=cmd_new)

    check = commands.add_parser(
        "check", help="check cases without building", description="Check cases with the build's rules."
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: docs)")
    check.add_argument("--conf", type=Path, help="the project's conf.py (default: found next to or above PATH)")
    check.add_argument(
        "--bib",
        type=Path,
        action="append",
        help="a .bib file to look resource keys up in; repeat for several (default: conf.py's, else bib/*.bib)",
    )
    check.set_defaults(run=cmd_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the published cases.json")
    schema.add_argument("--conf", type=Path, help="a conf.py whose casebook_extra_terms to include")
    schema.set_defaults(run=cmd_schema)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; exit status 0 when all is well, 1 on problems or refusal, 2 on misuse."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"casebook {args.command}: error: {error}", file=sys.stderr)
        return 2 if args.command != "new" else 1
    except BrokenPipeError:
        # The reader (e.g. ``| head``) stopped early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

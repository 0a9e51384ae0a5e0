"""``python -m casebook_ext.linkcheck [SOURCE] [--changed-since REV]``: the link check as one command.

It runs the ``casebook-linkcheck`` builder with the casebook's defaults, or, when the links
index of the last run still matches every input exactly, checks the indexed links without
starting Sphinx (see :mod:`casebook_ext.linkcheck.index`).

Exit status: 0 when no link's outcome is in ``casebook_linkcheck_fail_on`` (by default: none is
broken), 1 when one is, 2 when the run could not happen (a bad setting or argument, an unknown
git revision, an output folder that cannot be written), 130 when Ctrl-C stopped it (the links
checked until then are saved in the cache). Every such problem is one line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
PROG = "casebook-linkcheck"


def parser() -> argparse.ArgumentParser:
    out = argparse.ArgumentParser(
        prog="python -m casebook_ext.linkcheck",
        description="Check every external link of a casebook: its pages' links and its BibTeX URLs and DOIs.",
        epilog="Exit status: 0 no link failed, 1 a link failed, 2 the run could not happen, 130 interrupted.",
    )
    out.add_argument("source", nargs="?", default="docs", type=Path, help="the Sphinx source folder (default: docs)")
    out.add_argument("-o", "--out", type=Path, help="where reports and the cache go (default: SOURCE/_build/linkcheck)")
    out.add_argument("--changed-since", metavar="REV", help="check only links whose place changed since git REV")
    out.add_argument("--summary", type=Path, metavar="FILE", help="also append the Markdown report to FILE")
    out.add_argument(
        "-D", dest="define", action="append", default=[], metavar="NAME=VALUE", help="override a conf.py setting"
    )
    out.add_argument("--full", action="store_true", help="always run Sphinx, even when nothing changed")
    return out


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def quick(source: Path, out: Path, overrides: dict[str, str], changed_since: str) -> int | None:
    """Check the indexed links when no input changed since they were collected; ``None`` otherwise."""
    from casebook_ext.linkcheck import index, pipeline, report
    from casebook_ext.linkcheck.cache import Note

    found = index.load_fresh(out, source, overrides, changed_since)
    if found is None:
        return None
    root, bib_files, settings, targets = found
    print(f"{PROG}: nothing changed since the last run; checking its {len(targets)} links")

    def warn(note: Note) -> None:
        where = f"{note.path}:{note.line}: " if note.line else ""
        print(f"{where}WARNING: {note.message if where else note} [casebook.linkcheck_cache]", file=sys.stderr)

    try:
        run = pipeline.execute(targets, settings, root, bib_files, note=warn)
    except pipeline.RunError as error:
        return _error(str(error))
    try:
        pipeline.write_reports(run, out)
    except OSError as error:
        return _error(f"the reports could not be written to {out}: {error.strerror or error}")
    for line in report.console_lines(run):
        print(line)
    for place, subtype, message in pipeline.failures(run):
        print(f"{root / place.file}:{place.line}: WARNING: {message} [casebook.{subtype}]", file=sys.stderr)
    return EXIT_FAILED if run.failed else EXIT_OK


def sphinx(source: Path, out: Path, overrides: dict[str, str]) -> int:
    """Run the builder in this process, so its errors become one line and its exit status ours."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError

    # Re-exported by sphinx.util.console (what sphinx-build itself uses) without an __all__.
    from sphinx.util.console import (  # type: ignore[attr-defined]
        disable_colour,
        enable_colour,
        terminal_supports_colour,
    )
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    plain = not terminal_supports_colour()
    if plain:
        disable_colour()
    try:
        with patch_docutils(source), docutils_namespace():
            app = Sphinx(
                srcdir=source,
                confdir=source,
                outdir=out,
                doctreedir=out / ".doctrees",
                buildername="casebook-linkcheck",
                confoverrides=dict(overrides),
                status=sys.stdout,
                warning=sys.stderr,
            )
            app.build()
            return int(app.statuscode)
    except SphinxError as error:
        text = " ".join(str(error).split())
        return _error(f"{error.category}: {text}")
    except OSError as error:
        return _error(f"{error.filename or out}: {error.strerror or error}")
    finally:
        if plain:
            enable_colour()


def main(argv: Sequence[str] | None = None) -> int:
    from casebook_ext.linkcheck.changes import ChangesError, verify_revision
    from casebook_ext.linkcheck.settings import check_override

    args = parser().parse_args(argv)
    source = args.source.resolve()
    if not (source / "conf.py").is_file():
        return _error(f"{args.source} is not a Sphinx source folder (it has no conf.py)")
    out = (args.out or args.source / "_build" / "linkcheck").resolve()
    overrides: dict[str, str] = {}
    for definition in args.define:
        name, equals, value = definition.partition("=")
        if not equals or not name.strip():
            return _error(f"-D {definition!r}: write it as NAME=VALUE")
        overrides[name.strip()] = value
    if args.changed_since:
        overrides["casebook_linkcheck_changed_since"] = args.changed_since
        try:
            verify_revision(source, args.changed_since)
        except ChangesError as error:
            return _error(str(error))
    for name, value in overrides.items():
        problem = check_override(name, value)
        if problem is not None:
            return _error(f"-D {problem}")
    try:
        status = None if args.full else quick(source, out, overrides, args.changed_since or "")
        if status is None:
            status = sphinx(source, out, overrides)
    except KeyboardInterrupt as stop:
        detail = str(stop) or "interrupted before any link was checked"
        print(f"{PROG}: {detail} (exit {EXIT_INTERRUPTED})", file=sys.stderr)
        return EXIT_INTERRUPTED
    return _summary(args.summary, out, status)


def _summary(summary: Path | None, out: Path, status: int) -> int:
    report = out / "report.md"
    if summary and report.is_file() and status in (EXIT_OK, EXIT_FAILED):
        try:
            with summary.open("a", encoding="utf-8") as handle:
                handle.write(report.read_text(encoding="utf-8"))
        except OSError as error:
            return _error(f"the summary could not be written to {summary}: {error.strerror or error}")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""``python -m casebook_ext.linkcheck [SOURCE] [--changed-since REV]``: the link check as one command.

It runs the ``casebook-linkcheck`` builder with the casebook's defaults, or, when the links
index of the last run still matches every input exactly, checks the indexed links without
starting Sphinx (see :mod:`casebook_ext.linkcheck.index`). Exit status: 0 when no link's
outcome is in ``casebook_linkcheck_fail_on`` (by default: none is broken), 1 when one is, 2 on
errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    out = argparse.ArgumentParser(
        prog="python -m casebook_ext.linkcheck",
        description="Check every external link of a casebook: its pages' links and its BibTeX URLs and DOIs.",
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


def quick(source: Path, out: Path, overrides: dict[str, str], changed_since: str) -> int | None:
    """Check the indexed links when no input changed since they were collected; ``None`` otherwise."""
    from casebook_ext.linkcheck import index, pipeline, report

    found = index.load_fresh(out, source, overrides, changed_since)
    if found is None:
        return None
    root, bib_files, settings, targets = found
    print(f"casebook-linkcheck: nothing changed since the last run; checking its {len(targets)} links")
    try:
        run = pipeline.execute(
            targets, settings, root, bib_files, note=lambda m: print(f"WARNING: {m}", file=sys.stderr)
        )
    except pipeline.RunError as error:
        print(f"Link check error: {error}", file=sys.stderr)
        return 2
    pipeline.write_reports(run, out)
    for line in report.console_lines(run):
        print(line)
    for place, subtype, message in pipeline.failures(run):
        print(f"{root / place.file}:{place.line}: WARNING: {message} [casebook.{subtype}]", file=sys.stderr)
    return 1 if run.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out = (args.out or args.source / "_build" / "linkcheck").resolve()
    defines = [*args.define]
    if args.changed_since:
        defines.append(f"casebook_linkcheck_changed_since={args.changed_since}")
    overrides = dict(d.split("=", 1) for d in defines if "=" in d)
    if not args.full and len(overrides) == len(defines):
        status = quick(args.source.resolve(), out, overrides, args.changed_since or "")
        if status is not None:
            return _summary(args.summary, out, status)
    from sphinx.cmd.build import build_main

    command = ["-b", "casebook-linkcheck", str(args.source), str(out)]
    for definition in defines:
        command += ["-D", definition]
    return _summary(args.summary, out, build_main(command))


def _summary(summary: Path | None, out: Path, status: int) -> int:
    report = out / "report.md"
    if summary and report.is_file():
        with summary.open("a", encoding="utf-8") as handle:
            handle.write(report.read_text(encoding="utf-8"))
    return status


if __name__ == "__main__":
    sys.exit(main())

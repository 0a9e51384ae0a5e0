"""Compare the casebook's cases at a git revision with the working tree: prose, sources and fields.

Maintainers use it to see what a content change did to each case, before and after::

    python devtools/content_report.py 141d314

For every case in either version it prints the words of prose, the distinct sources cited, the
facts-panel fields filled, the sentences that only say what the sources leave out, and how many
paragraphs are word for word the same as a paragraph of another case.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = "docs/cases"
NONE = "\u2013"  # a case missing from one side
NOT_CASES = {"index", "cities", "national", "wanted"}
FIELD = re.compile(r"^:([a-z-]+):\s*(.*)$")
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
ROLE = re.compile(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`")
#: Sentences that tell a reader what a source does not say, rather than what happened.
SILENCE = re.compile(
    r"not (yet )?documented|does not say|do not say|gives no (other )?details|not stated|"
    r"does not (give|describe|name|report)|do not (give|describe|name|report)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CaseText:
    """What one case's source file holds, counted."""

    id: str
    words: int
    sources: frozenset[str]
    fields: frozenset[str]
    silences: int
    paragraphs: tuple[str, ...]


def parse(case_id: str, text: str) -> CaseText:
    fields: set[str] = set()
    sources: set[str] = set()
    prose: list[str] = []
    in_case = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith((":::{case}", "```{case}")):
            in_case = True
            continue
        if in_case:
            if stripped.startswith((":::", "```")):
                in_case = False
            elif match := FIELD.match(stripped):
                name, value = match.groups()
                if value.strip():
                    fields.add(name)
                if name == "resources":
                    sources.update(k.strip() for k in value.split(",") if k.strip())
            continue
        if stripped.startswith(("#", ":::", "```", "(")) and not stripped.startswith("(("):
            continue
        prose.append(line)
    body = "\n".join(prose)
    for keys in CITE.findall(body):
        sources.update(k.strip() for k in keys.split(",") if k.strip())
    plain = ROLE.sub(r"\1", CITE.sub("", body))
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(plain.split()))
    paragraphs = tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", plain) if len(p.split()) >= 20)
    return CaseText(
        id=case_id,
        words=len(re.findall(r"\b[\w\u2019'-]+\b", plain)),
        sources=frozenset(sources),
        fields=frozenset(fields),
        silences=sum(1 for s in sentences if SILENCE.search(s)),
        paragraphs=paragraphs,
    )


def at_revision(revision: str) -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:{CASES}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return {
        Path(n).stem: subprocess.run(
            ["git", "show", f"{revision}:{CASES}/{n}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        for n in names
        if n.endswith(".md") and Path(n).stem not in NOT_CASES
    }


def in_tree() -> dict[str, str]:
    return {
        p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / CASES).glob("*.md")) if p.stem not in NOT_CASES
    }


def shared_paragraphs(cases: dict[str, CaseText]) -> dict[str, int]:
    """How many of each case's paragraphs appear word for word in another case."""
    seen = Counter(p for c in cases.values() for p in set(c.paragraphs))
    return {cid: sum(1 for p in set(c.paragraphs) if seen[p] > 1) for cid, c in cases.items()}


def report(before: dict[str, str], after: dict[str, str]) -> str:
    old = {cid: parse(cid, text) for cid, text in before.items()}
    new = {cid: parse(cid, text) for cid, text in after.items()}
    old_shared, new_shared = shared_paragraphs(old), shared_paragraphs(new)
    rows = [("case", "words", "sources", "fields", "silences", "shared ¶")]

    def cell(a: int | None, b: int | None) -> str:
        return f"{NONE if a is None else a} \u2192 {NONE if b is None else b}"

    for cid in sorted(old.keys() | new.keys()):
        o, n = old.get(cid), new.get(cid)
        rows.append(
            (
                cid,
                cell(o and o.words, n and n.words),
                cell(o and len(o.sources), n and len(n.sources)),
                cell(o and len(o.fields), n and len(n.fields)),
                cell(o and o.silences, n and n.silences),
                cell(old_shared.get(cid), new_shared.get(cid)),
            )
        )

    def total(cases: dict[str, CaseText], key) -> int:
        return sum(key(c) for c in cases.values())

    rows.append(
        (
            f"all ({len(old)} → {len(new)} cases)",
            cell(total(old, lambda c: c.words), total(new, lambda c: c.words)),
            cell(
                len(set().union(*(c.sources for c in old.values()))),
                len(set().union(*(c.sources for c in new.values()))),
            ),
            cell(total(old, lambda c: len(c.fields)), total(new, lambda c: len(c.fields))),
            cell(total(old, lambda c: c.silences), total(new, lambda c: c.silences)),
            cell(sum(old_shared.values()), sum(new_shared.values())),
        )
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the git revision to compare the working tree with")
    args = parser.parse_args(argv)
    print(report(at_revision(args.revision), in_tree()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

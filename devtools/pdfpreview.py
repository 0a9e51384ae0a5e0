"""Render the pages of the PDF book a reviewer looks at first to PNG: a developer's tool, not the extension's.

Usage: ``python devtools/pdfpreview.py BOOK.pdf [OUTDIR]`` (needs poppler's pdftotext and pdftoppm).
Writes ``preview-<name>.png`` for the title page, the contents, the cases table ("Find a case"),
the first page of the first case, a page of the resource guide and the first page of the index.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")


def _first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


#: What each preview shows, and how its page is recognised in the text of the book.
WANTED: dict[str, Callable[[str], bool]] = {
    "title": lambda page: True,
    "contents": lambda page: _first_line(page) == "Contents",
    "cases-table": lambda page: bool(re.search(r"Title\s+Place\s+Level\s+Status", page)),
    "first-case": lambda page: "Last reviewed" in page and "Place" in page,
    "resource-guide": lambda page: "Cited in:" in page,
    "index": lambda page: _first_line(page) == "Index",
}


def find_pages(pages: list[str]) -> dict[str, int]:
    """The first page (1-based) that each preview wants; a preview not found is left out."""
    found: dict[str, int] = {}
    for name, wanted in WANTED.items():
        number = next((n for n, page in enumerate(pages, start=1) if wanted(page)), None)
        if number is not None:
            found[name] = number
    return found


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    pdf = Path(argv[0])
    outdir = Path(argv[1]) if len(argv) == 2 else pdf.parent
    outdir.mkdir(parents=True, exist_ok=True)
    found = find_pages(page_texts(pdf))
    for name in WANTED:
        page = found.get(name)
        if page is None:
            print(f"{name}: not found in {pdf}", file=sys.stderr)
            continue
        prefix = outdir / f"preview-{name}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
            check=True,
        )
        print(f"{prefix}.png (page {page})")
    return 0 if len(found) == len(WANTED) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

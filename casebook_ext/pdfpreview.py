"""Render the PDF's title page and its first case page to PNG, so a reviewer can look at them.

Usage: ``python -m casebook_ext.pdfpreview BOOK.pdf`` (needs poppler's pdftotext and pdftoppm).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def first_case_page(pdf: Path) -> int:
    """The first page showing a case's facts table (it has a "Case id" row)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    for number, page in enumerate(text.stdout.split("\f"), start=1):
        if "Case id" in page:
            return number
    return 1


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    pdf = Path(argv[0])
    out = pdf.parent / "preview"
    for name, page in (("title", 1), ("first-case", first_case_page(pdf))):
        prefix = out.with_name(f"preview-{name}")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
            check=True,
        )
        print(f"{prefix}.png (page {page})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

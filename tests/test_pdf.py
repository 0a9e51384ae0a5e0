"""The PDF book: built through LaTeX, with every case, its facts in order, page references and links."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NEEDED = ("xelatex", "latexmk", "xindy", "pdftotext")


@pytest.fixture(scope="module", autouse=True)
def latex_installed() -> None:
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must install LaTeX and poppler-utils; missing: {', '.join(missing)}")
    if missing:
        pytest.skip(f"LaTeX tools not installed here: {', '.join(missing)} (CI installs them)")


def build_pdf(src: Path, out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(out), "-q", "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (pdf,) = (out / "latex").glob("*.pdf")
    return pdf


def pages_of(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return text.stdout.split("\f")


@pytest.fixture(scope="module")
def casebook_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pdf(ROOT / "docs", tmp_path_factory.mktemp("pdf"))


def case_titles() -> dict[str, str]:
    titles = {}
    for path in sorted((ROOT / "docs" / "cases").glob("*.md")):
        match = re.search(r"^:::\{case\} (\S+)\n(?:.*\n)*?:title: (.+)$", path.read_text(encoding="utf8"), re.M)
        if match:
            titles[match.group(1)] = match.group(2).strip()
    return titles


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("-\n", ""))


def test_every_case_is_in_the_book_on_a_page_of_its_own(casebook_pdf: Path) -> None:
    pages = pages_of(casebook_pdf)
    titles = case_titles()
    assert len(titles) >= 3
    for case_id, title in titles.items():
        # The facts table's "Last reviewed" row sits on the page where the case starts, under its title.
        starts = [p for p in pages if "Last reviewed" in p and squeeze(title)[:30] in squeeze(p)]
        assert starts, case_id


def test_a_case_s_facts_are_a_table_in_schema_order(casebook_pdf: Path) -> None:
    page = next(p for p in pages_of(casebook_pdf) if "Last reviewed" in p and "Camden, London" in p)
    labels = ["Place", "Country", "Level of government", "Status", "ROAR pillars", "Sources", "Last reviewed"]
    positions = [page.find(label) for label in labels]
    assert all(p >= 0 for p in positions), dict(zip(labels, positions, strict=True))
    assert positions == sorted(positions)
    assert re.search(r"Place\s+Camden, London", page)


def test_the_resource_guide_gives_cited_in_page_references(casebook_pdf: Path) -> None:
    text = squeeze("\f".join(pages_of(casebook_pdf)))
    assert re.search(r"Cited in: [^.]*Mission-led procurement in Camden \(page \d+\)", text)


def test_non_ascii_names_render(casebook_pdf: Path) -> None:
    text = "".join(pages_of(casebook_pdf))
    for name in ("Bogotá", "Mamediieva", "Bárcena", "Nënë"):
        assert name in text, name


def test_case_cross_references_are_internal_pdf_links(casebook_pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(casebook_pdf)
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            if obj.get("/Subtype") == "/Link" and (obj.get("/Dest") or (action and action.get("/S") == "/GoTo")):
                internal += 1
    # Every facts table links its terms, related cases and resources; the guide links back to cases.
    assert internal > 200
    assert reader.outline, "the book has a navigable outline (bookmarks)"


def test_a_small_casebook_builds_as_a_pdf_too(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "roots" / "test-basic", tmp_path / "src")
    pages = pages_of(build_pdf(tmp_path / "src", tmp_path / "out"))
    text = squeeze("".join(pages))
    assert "Alpha <b>city</b> mission" in text and "Beta procurement" in text
    assert "Inspired by: Beta procurement" in text


def test_index_titles_with_semicolons_print_intact_with_pdflatex(tmp_path: Path) -> None:
    from test_index_entries import PLACE, TITLE, semicolon_project

    text = squeeze("".join(pages_of(build_pdf(semicolon_project(tmp_path / "src"), tmp_path / "out"))))
    assert TITLE in text and PLACE in text

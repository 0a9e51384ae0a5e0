"""The PDF book as a reader gets it: built once from docs/ through LaTeX, then read back with poppler and pypdf."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NEEDED = ("xelatex", "latexmk", "xindy", "pdftotext")
#: Chapters of the contributors' side, which the book leaves out (their toctree is ``only:: html``).
DEVELOPER_CHAPTERS = ("Contributing", "Extension reference", "Checking links")


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
    return text.stdout.split("\f")[:-1]  # the text ends with a form feed


@dataclass
class Book:
    pdf: Path
    log: str
    pages: list[str]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    pdf = build_pdf(ROOT / "docs", tmp_path_factory.mktemp("pdf"))
    log = pdf.with_suffix(".log").read_text(encoding="latin-1")
    return Book(pdf, log, pages_of(pdf))


def case_titles() -> dict[str, str]:
    titles = {}
    for path in sorted((ROOT / "docs" / "cases").glob("*.md")):
        match = re.search(r"^:::\{case\} (\S+)\n(?:.*\n)*?:title: (.+)$", path.read_text(encoding="utf8"), re.M)
        if match:
            titles[match.group(1)] = match.group(2).strip()
    return titles


def squeeze(text: str) -> str:
    """Text as words: typographic quotes made plain, lines joined, hyphens at line ends undone."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "-", text)).strip()


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def contents_pages(book: Book) -> list[str]:
    """From the page headed "Contents" to the opening of the first chapter."""
    start = next(n for n, page in enumerate(book.pages) if first_line(page) == "Contents")
    end = next(n for n, page in enumerate(book.pages) if n > start and re.search(r"CHAPTER\s+1\b", page))
    return book.pages[start:end]


def test_the_book_opens_with_a_title_page_an_imprint_and_contents(book: Book) -> None:
    title, imprint = squeeze(book.pages[0]), squeeze(book.pages[1])
    assert title.startswith("Mission Casebook")
    assert re.search(r"Edition \d+\.\d+\.\d+ \d{1,2} [A-Z][a-z]+ \d{4}", title), title  # today_fmt: "1 December 2026"
    assert "Suggested citation Mission Casebook contributors (" in imprint
    assert "MIT licence" in imprint and "Edition" in imprint
    assert book.pages[2].lstrip().startswith("Contents")


def test_the_contents_list_every_case(book: Book) -> None:
    contents = squeeze(" ".join(contents_pages(book)))
    titles = case_titles()
    assert len(titles) >= 10
    missing = [title for title in titles.values() if squeeze(title) not in contents]
    assert not missing, missing
    # chapters and cases, not each case's own headings
    assert "Overview" not in contents and "Cite this case" not in contents


def test_each_case_starts_on_a_right_hand_page_headed_by_its_title(book: Book) -> None:
    for case_id, title in case_titles().items():
        heading = re.compile(r"^\s*\d+\.\d+\s+" + re.escape(squeeze(title)[:25]), re.M)
        starts = [
            n
            for n, page in enumerate(book.pages)
            if ". . ." not in page and heading.search(squeeze_lines(page))  # not the contents
        ]
        assert len(starts) == 1, (case_id, starts)
        page = book.pages[starts[0]]
        assert squeeze(first_line(page)) == squeeze(title), (case_id, first_line(page))
        number = page.rstrip().splitlines()[-1].split()[-1]
        assert number.isdigit() and int(number) % 2 == 1, (case_id, number)  # odd: a right-hand page
        assert "Last reviewed" in page  # its facts box opens the case


def squeeze_lines(page: str) -> str:
    return "\n".join(squeeze(line) for line in page.splitlines())


def test_the_developer_chapters_are_left_out(book: Book) -> None:
    from pypdf import PdfReader

    outline = " | ".join(title for title in outline_titles(PdfReader(book.pdf).outline))
    contents = squeeze(" ".join(contents_pages(book)))
    for chapter in DEVELOPER_CHAPTERS:
        assert chapter not in outline
        assert not re.search(rf"\d+ {chapter} \d+", contents)
    text = squeeze(" ".join(book.pages))
    assert "Propose a case, step by step" not in text  # a heading of Contributing
    assert "By organisation" not in outline  # the web's browse pages are left out too


def outline_titles(outline: list[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles += outline_titles(item)
        else:
            titles.append(str(item.title))  # type: ignore[attr-defined]
    return titles


def test_metadata_and_a_bookmark_for_every_case(book: Book) -> None:
    from pypdf import PdfReader

    reader = PdfReader(book.pdf)
    assert reader.metadata is not None
    assert reader.metadata.title == "Mission Casebook"
    assert reader.metadata.author == "Mission Casebook contributors"
    assert reader.metadata.subject and "mission-oriented" in reader.metadata.subject.lower()
    assert reader.metadata.get("/Keywords")
    assert reader.trailer["/Root"].get("/Lang") == "en"
    assert reader.xmp_metadata is not None  # LaTeX's PDF management writes an XMP stream
    bookmarks = {squeeze(t) for t in outline_titles(reader.outline)}
    missing = [title for title in case_titles().values() if not any(squeeze(title) in b for b in bookmarks)]
    assert not missing, missing


def overfull_boxes(log: str) -> list[float]:
    return [float(w) for w in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)", log) if float(w) > 1]


def test_latex_sets_every_line_and_resolves_every_reference(book: Book) -> None:
    assert overfull_boxes(book.log) == []
    undefined = re.findall(r"(?:Reference|Citation|Hyper reference) `[^']*' on page \d+ undefined", book.log)
    assert undefined == []
    assert "multiply defined" not in book.log
    assert "There were undefined references" not in book.log


def test_the_log_parser_sees_overfull_boxes() -> None:
    log = "Overfull \\hbox (27.46559pt too wide) in paragraph\nOverfull \\hbox (0.5pt too wide) detected\n"
    assert overfull_boxes(log) == [27.46559]


def words_by_page(pdf: Path) -> list[list[tuple[float, float]]]:
    """Each page's words as (top, bottom) positions, in points from the top of the page."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages: list[list[tuple[float, float]]] = []
    for page in re.split(r"<page ", html)[1:]:
        words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
        pages.append([(float(top), float(bottom)) for top, bottom in words])
    return pages


def test_every_page_has_body_text_or_is_a_true_blank(book: Book) -> None:
    height = 841.89  # A4, as conf.py sets it
    blanks = 0
    for number, words in enumerate(words_by_page(book.pdf), start=1):
        body = [w for w in words if w[1] > 0.075 * height and w[0] < 0.93 * height]
        if not words:
            blanks += 1
        assert body or not words, f"page {number} has a head or foot and nothing else"
    assert blanks >= 1  # chapters and cases open on right-hand pages, so some left-hand pages stay blank


def test_facts_box_in_reading_order(book: Book) -> None:
    page = next(p for p in book.pages if "Last reviewed" in p and "Camden, London" in p and "procurement" in p)
    labels = ["Place", "Country", "Level of government", "Status", "ROAR pillars", "Sources", "Last reviewed"]
    positions = [page.find(label) for label in labels]
    assert all(p >= 0 for p in positions), dict(zip(labels, positions, strict=True))
    assert positions == sorted(positions)
    assert re.search(r"Place\s+Camden, London", page)
    assert "Completeness" not in page and "%" not in page  # contributors' metrics stay on the web


def test_page_numbers_for_cases_not_for_terms_or_pointer_lists(book: Book) -> None:
    text = squeeze(" ".join(book.pages))
    assert re.search(r"Cited in: [^.]*Mission-led procurement in Camden \(page \d+\)", text)
    start = re.search(r"\d+\.\d+ Resources by ROAR pillar", text)
    end = re.search(r"\d+\.\d+ Resources by session of the 2023 gathering", text)
    assert start and end
    by_pillar = text[start.end() : end.start()]
    assert "(page" not in by_pillar
    facts = next(p for p in book.pages if "Last reviewed" in p and "Camden, London" in p)
    assert re.search(r"Country\s+United Kingdom\n", facts)  # a term, with no page number after it
    assert "(in the resource guide)" not in text and "(resource guide, page " in text


def test_cite_this_case_is_the_citation_alone(book: Book) -> None:
    text = squeeze(" ".join(book.pages))
    assert re.search(
        r'Cite this case Mission Casebook contributors \(\d{4}\)\. "Mission-led procurement in Camden"', text
    )
    assert "@inbook" not in text and "TY - " not in text and "%cases/" not in text


def test_one_references_chapter_alphabetical_with_the_text_s_labels(book: Book) -> None:
    contents = squeeze(" ".join(contents_pages(book)))
    assert re.search(r"\d+ References \d+", contents)
    assert "Bibliography" not in contents
    start = next(n for n, p in enumerate(book.pages) if re.search(r"CHAPTER\s+\d+\s+References", squeeze(p)))
    end = next(n for n, p in enumerate(book.pages) if n > start and first_line(p) != "References")
    body = []
    for page in book.pages[start:end]:
        lines = [line for line in page.splitlines() if line.strip()][:-1]  # less the foot
        body += lines[1:] if lines and lines[0].strip() == "References" else lines  # less the head
    text = "\n".join(body)
    from casebook_ext.latex import sort_key

    # each entry starts at the margin with its label; its other lines hang indented
    firsts = [
        line for line in body if line[:1].strip() and not re.match(r"CHAPTER|References$|Every source|round-up", line)
    ]
    keys = [sort_key(line[:12]) for line in firsts]
    assert len(keys) > 150
    assert keys == sorted(keys), [k for k, after in itertools.pairwise(keys) if k > after][:5]
    labels = re.findall(r"^(IIPP 20\d\d[a-z]?)\b", text, re.M)
    assert labels == sorted(labels) and len(labels) >= 5, labels
    assert "IIPP 2023a" in labels  # the label "(IIPP 2023a)" in the text finds its entry
    assert "(IIPP 2023a)" in squeeze(" ".join(book.pages))


def index_text(book: Book) -> str:
    """The index in reading order, one column after the other (pdftotext without -layout)."""
    start = next(n for n, p in enumerate(book.pages) if first_line(p) == "Index") + 1
    args = ["pdftotext", "-f", str(start), "-l", str(len(book.pages)), str(book.pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_the_index_files_cases_places_people_pillars_and_sorts_without_articles(book: Book) -> None:
    index = index_text(book)
    lines = [line.strip() for line in index.splitlines()]
    assert "Routes (ROAR pillar)" in lines  # a pillar, with its cases under it
    assert any(line.startswith("Camden, London") for line in lines)  # a place
    assert any(line.startswith("Public procurement (instrument)") for line in lines)
    assert re.search(r"^Kimber, Nick, \d+, \d+$", index, re.M)  # a person named in a role, on two pages
    assert "Mission-led procurement in Camden, " in index  # a case, with its page
    n_block = index[index.index("\nN\n") : index.index("\nO\n")]
    # leading articles aside: "A new data deal in Barcelona" and "THE NEW INSTITUTE" are filed under N
    assert "A new data deal in Barcelona, " in n_block and "THE NEW INSTITUTE" in n_block


def test_the_index_is_set_in_the_body_font(book: Book) -> None:
    from pypdf import PdfReader

    reader = PdfReader(book.pdf)
    start = next(n for n, p in enumerate(book.pages) if first_line(p) == "Index")
    fonts: set[str] = set()
    for page in reader.pages[start:]:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert fonts and not any("Mono" in f or "Courier" in f for f in fonts), fonts


def test_non_ascii_names_render(book: Book) -> None:
    text = "".join(book.pages)
    for name in ("Bogotá", "Mamediieva", "Bárcena", "Nënë"):
        assert name in text, name


def test_case_cross_references_are_internal_pdf_links(book: Book) -> None:
    from pypdf import PdfReader

    reader = PdfReader(book.pdf)
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            if obj.get("/Subtype") == "/Link" and (obj.get("/Dest") or (action and action.get("/S") == "/GoTo")):
                internal += 1
    # related cases, the cases table, "Cited in" and every citation link inside the book
    assert internal > 200


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

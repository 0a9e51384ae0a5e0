"""A case's title reaches the general index intact, in HTML and in print, whatever punctuation it holds."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

ROOTS = Path(__file__).parent / "roots"
TITLE = "Rivers; lakes! and seas"
PLACE = "Basel; Zurich"


def semicolon_project(target: Path) -> Path:
    """A small casebook whose one case has ``;`` and ``!`` in its title and a ``;`` in its place."""
    shutil.copytree(ROOTS / "test-cli-clean", target)
    case = target / "cases" / "existing-case.md"
    text = case.read_text(encoding="utf-8")
    text = text.replace(":title: An existing case", f":title: {TITLE}")
    text = text.replace(":country: GB\n", f":country: GB\n:place: {PLACE}\n:organisations: Water Board\n")
    case.write_text(text, encoding="utf-8")
    return target


def test_the_html_index_shows_titles_with_semicolons_and_exclamation_marks(tmp_path: Path, make_app) -> None:
    app = make_app("html", srcdir=semicolon_project(tmp_path / "src"), freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    index = unicodedata.normalize("NFC", (Path(app.outdir) / "genindex.html").read_text(encoding="utf-8"))
    entry = '<a href="cases/existing-case.html#casebook-case-existing-case">'
    assert f"<li>{entry}<strong>{TITLE}</strong></a>" in index or f"{entry}{TITLE}</a>" in index
    assert f"<li>\n    {PLACE}" in index  # a place heading keeps its ";" too
    assert index.count(f"{entry}{TITLE}</a>") >= 3  # and the title under each heading
    assert "Rivers, lakes" not in index and ">lakes" not in index


def test_the_latex_index_writes_titles_with_a_plain_semicolon(tmp_path: Path, make_app) -> None:
    app = make_app("latex", srcdir=semicolon_project(tmp_path / "src"), freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    (tex,) = Path(app.outdir).glob("*.tex")
    text = tex.read_text(encoding="utf-8")
    shown = r'Rivers; lakes"! and seas@\spxentry{Rivers; lakes"! and seas}'
    assert rf"\index{{{shown}|spxpagem}}" in text
    assert rf"\index{{Water Board@\spxentry{{Water Board}}!{shown}}}" in text
    assert rf"\index{{Basel; Zurich@\spxentry{{Basel; Zurich}}!{shown}}}" in text
    assert "\u037e" not in text  # pdfLaTeX has no glyph for it

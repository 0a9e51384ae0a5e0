"""The PDF edition's book matter: its style file, its imprint and its PDF metadata.

``casebook.sty`` (shipped in ``texinputs/``) styles the book; ``casebookdata.sty``, written
when the LaTeX builder starts, carries what only the build knows: the suggested citation of
the casebook (as the landing page gives it), the content licence, the published address and
the document language. Both are loaded through :meth:`~sphinx.application.Sphinx.add_latex_package`,
so a site only chooses its title page (``latex_elements["maketitle"] = r"\\casebookmaketitle"``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.fileutil import copy_asset_file
from sphinx.util.texescape import escape

from casebook_ext.config import settings_of
from casebook_ext.exports import base_url
from casebook_ext.landing import book_citation_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx

TEXINPUTS = Path(__file__).parent / "texinputs"
STYLE = "casebook"
DATA = "casebookdata"


def url_tex(url: str) -> str:
    """An address for ``\\url``, safe inside a macro definition (``%`` and ``#`` escaped)."""
    return "\\url{" + url.replace("\\", "/").replace("%", "\\%").replace("#", "\\#") + "}"


def imprint(app: Sphinx) -> str:
    """The back of the title page: edition and date, suggested citation, licence and address."""
    env = app.env
    assert env is not None
    url = base_url(env)
    citation = book_citation_text(env)
    if url:
        citation = citation.replace(f" {url}", "")  # the address is set as a link below
    items = [
        ("Edition", "\\py@release, \\@date"),
        ("Suggested citation", escape(citation) + (f" {url_tex(url)}" if url else "")),
    ]
    licence = settings_of(app.config).licence
    if licence:
        items.append(("Licence", f"The content of this casebook is released under the {escape(licence)}."))
    if url:
        items.append(("Online", f"The casebook is published, with its data, at {url_tex(url)}"))
    body = "\n".join(f"  \\casebookimprintitem{{{name}}}{{{text}}}" for name, text in items)
    return f"\\renewcommand{{\\casebookimprint}}{{%\n  {{\\large\\bfseries\\@title\\par}}\n{body}%\n}}\n"


def data_package(app: Sphinx) -> str:
    """``casebookdata.sty``: the edition's imprint and the PDF's language."""
    language = escape(str(app.config.language or "en"))
    return (
        "%% Written by the casebook extension for this build: do not edit.\n"
        "\\NeedsTeXFormat{LaTeX2e}\n"
        "\\ProvidesPackage{casebookdata}\n"
        f"\\hypersetup{{pdflang={{{language}}}}}\n"
        "\\AtBeginDocument{\\hypersetup{pdftitle={\\@title}, pdfauthor={\\@author}}}\n"
        f"{imprint(app)}"
        "\\endinput\n"
    )


def write_style_files(app: Sphinx) -> None:
    """``builder-inited``: put ``casebook.sty`` and this build's ``casebookdata.sty`` beside the ``.tex``."""
    if app.builder.format != "latex":
        return
    outdir = Path(app.builder.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    copy_asset_file(TEXINPUTS / f"{STYLE}.sty", outdir, force=True)
    target = outdir / f"{DATA}.sty"
    text = data_package(app)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def document_metadata(language: str) -> str:
    """LaTeX's PDF management (``\\DocumentMetadata``, before ``\\documentclass``): XMP metadata, PDF 1.7.

    Only where the TeX installation has it (LaTeX 2022-06 and ``pdfmanagement-testphase``). Tagging
    (``testphase=phase-II``) is left off: with TeX Live 2022 it stops on Sphinx's longtables.
    """
    return (
        "\\ifdefined\\DocumentMetadata\\IfFileExists{pdfmanagement-testphase.sty}"
        f"{{\\DocumentMetadata{{lang={language},pdfversion=1.7}}}}{{}}\\fi\n"
    )


def add_document_metadata(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: open each ``.tex`` the LaTeX builder wrote with :func:`document_metadata`."""
    if exception is not None or app.builder.format != "latex":
        return
    line = document_metadata(escape(str(app.config.language or "en")))
    for entry in app.config.latex_documents:
        tex = Path(app.builder.outdir) / entry[1]
        if not tex.is_file():
            continue
        text = tex.read_text(encoding="utf-8")
        if line in text or "\\documentclass" not in text:
            continue
        at = text.index("\\documentclass")
        tex.write_text(text[:at] + line + text[at:], encoding="utf-8")


def setup_book(app: Sphinx) -> None:
    app.add_latex_package(STYLE, after_hyperref=True)
    app.connect("builder-inited", write_style_files)
    app.connect("build-finished", add_document_metadata)

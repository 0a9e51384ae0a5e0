"""Sphinx configuration of Mission Casebook, built with its own extension."""

from __future__ import annotations

project = "Mission Casebook"
author = "Mission Casebook contributors"
copyright = "2026, Mission Casebook contributors"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "casebook_ext",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

bibtex_bibfiles = ["../bib/iipp.bib", "../bib/other.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"

html_theme = "furo"
html_title = "Mission Casebook"
html_static_path: list[str] = []

latex_engine = "xelatex"
latex_use_xindy = False
latex_documents = [("index", "mission-casebook.tex", "Mission Casebook", author, "manual")]

nitpicky = True
# Resources without a DOI or URL are listed on resources/needs-a-link.md instead of failing the build;
# `sphinx-build -D suppress_warnings= ...` prints the same queue as warnings.
suppress_warnings = ["casebook.resource_no_link"]

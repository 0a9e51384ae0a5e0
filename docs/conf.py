"""Sphinx configuration of Mission Casebook, built with its own extension."""

from __future__ import annotations

import os

from casebook_ext import __version__

project = "Mission Casebook"
author = "Mission Casebook contributors"
copyright = "2026, Mission Casebook contributors"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "casebook_ext",
    "casebook_ext.linkcheck",  # the link checker: sphinx-build -b casebook-linkcheck
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "examples"]  # examples/: projects of their own (adopting.md)

bibtex_bibfiles = [
    "../bib/iipp.bib",
    "../bib/other.bib",
    "../bib/sources-camden-valencia-durham.bib",
    "../bib/sources-bogota-barcelona-hamburg.bib",
    "../bib/sources-digital-state.bib",
    "../bib/sources-innovation-agencies.bib",
    "../bib/sources-london-sweden.bib",
]
casebook_short_roles = True  # {case}`id`, {pillar}`routes`: no other extension here uses these role names
# Short author-year labels, "(IIPP 2023a)", in the text, the facts panels, the guide and the bibliography.
bibtex_default_style = "casebook"
bibtex_reference_style = "casebook"

html_theme = "furo"
html_title = "Mission Casebook"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_logo = "_static/logo.svg"
html_css_files = ["casebook-site.css"]
html_js_files = ["casebook-site.js"]
# The published address (GitHub Pages or Read the Docs set it when they build): citations, the data and
# the case URLs use it; a local build leaves it empty and uses relative addresses.
html_baseurl = os.environ.get("CASEBOOK_BASEURL") or os.environ.get("READTHEDOCS_CANONICAL_URL", "")

casebook_licence = "MIT licence"
casebook_pdf_file = "_build/latex/mission-casebook.pdf"  # published beside the HTML once `nox -s pdf` has built it

# The PDF: a book with a title page and imprint, contents, each case on a new right-hand page, page
# references to cases, the bibliography in its References chapter, and an index. The extension's
# casebook.sty styles it; see casebook_ext/book.py and casebook_ext/latex.py.
release = version = __version__  # the edition, the same as CITATION.cff's version
today_fmt = "%-d %B %Y"  # "1 December 2026", as the cases date their reviews
latex_engine = "xelatex"
latex_use_xindy = True  # sorts non-ASCII index entries (Bogotá) correctly
latex_show_pagerefs = True  # links to cases (and pages) give their page number in print; terms do not
latex_show_urls = "no"  # external links stay clickable without doubling long URLs in the text
latex_table_style = ["booktabs", "colorrows"]
# The book is the landing page's reader toctree (toctree_only: the landing page itself is for the web);
# the toctrees inside `only:: html` (browse, data, contributors' pages) are left out of it.
latex_documents = [("index", "mission-casebook.tex", "Mission Casebook", author, "manual", True)]
latex_appendices = ["coverage"]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "releasename": "Edition",
    "fncychap": r"\usepackage[Sonny]{fncychap}",
    "geometry": r"\usepackage[a4paper,top=25mm,bottom=25mm,inner=25mm,outer=25mm,headsep=8mm]{geometry}",
    "maketitle": r"\casebookmaketitle",
    "preamble": r"""
\setcounter{tocdepth}{1}% chapters and cases (and a chapter's own sections), not each case's headings
\setcounter{secnumdepth}{1}
\renewcommand{\casebooksubtitle}{A living casebook and resource guide\\ for mission-oriented innovation policy}
\hypersetup{
  pdfsubject={Mission-oriented innovation policy: cases of cities, governments and public agencies},
  pdfkeywords={mission-oriented innovation, public policy, ROAR framework, cities, public agencies, casebook},
}
""",
}

nitpicky = True
# Resources without a DOI or URL are listed on resources/needs-a-link.md instead of failing the build;
# `sphinx-build -D suppress_warnings= ...` prints the same queue as warnings.
suppress_warnings = ["casebook.resource_no_link"]

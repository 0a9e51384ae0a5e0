extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "unsrt"
exclude_patterns = ["_build"]
casebook_short_roles = True

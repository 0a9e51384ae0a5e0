extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
casebook_short_roles = True

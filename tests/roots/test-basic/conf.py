extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext"]
bibtex_bibfiles = ["refs.bib"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
casebook_short_roles = True
release = "1.0"

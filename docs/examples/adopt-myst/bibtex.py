# Optional: with sphinxcontrib-bibtex, a case's resources are formatted references with their links,
# listed at the foot of its page. These lines replace the extensions line of conf.py.
extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext"]
bibtex_bibfiles = ["refs.bib"]

extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext", "casebook_ext.linkcheck"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "unsrt"
exclude_patterns = ["_build"]
# The tests replace http://SERVER with their local server on 127.0.0.1 and shorten every limit.
casebook_linkcheck_doi_resolver = "http://SERVER"
casebook_linkcheck_timeout = "1s"
casebook_linkcheck_backoff = "50ms"
casebook_linkcheck_retries = 1
casebook_linkcheck_retry_after_max = "2s"
casebook_short_roles = True

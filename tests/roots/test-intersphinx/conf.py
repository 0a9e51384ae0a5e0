# A second documentation site that links to cases of another casebook through intersphinx.
extensions = ["sphinx.ext.intersphinx", "casebook_ext"]
intersphinx_mapping: dict[str, tuple[str, str]] = {}  # set by the test to the built casebook's inventory
exclude_patterns = ["_build"]
casebook_short_roles = True

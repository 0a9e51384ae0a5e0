extensions = ["myst_parser", "casebook_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
casebook_short_roles = True

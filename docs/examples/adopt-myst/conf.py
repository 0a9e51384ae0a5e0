# The conf.py of a small Sphinx project that publishes its cases with the casebook extension.
project = "Town missions"

extensions = ["myst_parser", "casebook_ext"]
myst_enable_extensions = ["colon_fence"]  # a case is a ::: block: without colon_fence it shows as text
casebook_short_roles = True  # {case}`id` and {pillar}`routes`, besides {casebook:case}`id`

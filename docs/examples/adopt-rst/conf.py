# The conf.py of a small Sphinx project in reStructuredText that publishes its cases with the casebook extension.
project = "Town missions"

extensions = ["casebook_ext"]

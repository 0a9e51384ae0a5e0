"""Link checking that keeps a bibliography alive.

Run as ``sphinx-build -b casebook-linkcheck docs OUT`` or ``python -m casebook_ext.linkcheck``.

``collect`` gathers links and their places from the environment, ``check`` fetches them
politely, ``cache`` remembers working links and redirects, ``changes`` narrows a run to what
a pull request touched, and ``report`` writes JSON, Markdown and the console summary.
"""

"""``python -m casebook_ext``: the ``casebook`` command, for when the script is not on PATH."""

from __future__ import annotations

from casebook_ext.cli import main

raise SystemExit(main())

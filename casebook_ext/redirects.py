"""Stable case addresses: a case lives at the page its id names, and a renamed case leaves a redirect.

A reader's bookmark, a citation or another site's link to ``cases/old-id.html`` keeps working when
a case's id changes: ``casebook_redirects = {"old-id": "new-id"}`` writes a small page at the old
address that sends readers on to the new one.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from casebook_ext.config import settings_of
from casebook_ext.domain import get_domain
from casebook_ext.problems import WARNING_TYPE

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<meta name="robots" content="noindex">
</head>
<body>
<p>This case has moved to <a href="{target}">{title}</a>.</p>
</body>
</html>
"""


def check_page_names(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: a page's first case has the page's name, so its address is its id."""
    for docname, entries in sorted(get_domain(env).store["cases"].items()):
        first = entries[0]
        name = docname.rsplit("/", 1)[-1]
        if name != first.case.id:
            logger.warning(
                "case %r is on the page %r: name its file %r so that the case's address is its id "
                "(and add a redirect in casebook_redirects if the page was published under another name)",
                first.case.id,
                docname,
                first.case.id + Path(env.doc2path(docname)).suffix,
                type=WARNING_TYPE,
                subtype="page_name",
                location=(first.docname, first.lineno),
            )


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: a redirect page at each old case address."""
    builder = app.builder
    if exception is not None or builder.format != "html" or builder.name == "singlehtml":
        return
    domain = get_domain(app.env)
    outdir = Path(builder.outdir)
    for old, new in sorted(settings_of(app.config).redirects.items()):
        entry = domain.index.by_id.get(new)
        if entry is None:
            logger.warning(
                "casebook_redirects: %r redirects to %r, which is not a case",
                old,
                new,
                type=WARNING_TYPE,
                subtype="bad_redirect",
            )
            continue
        folder = entry.docname.rpartition("/")[0]
        old_page = f"{folder}/{old}" if folder else old
        if old_page in app.env.found_docs or old in domain.index.by_id:
            logger.warning(
                "casebook_redirects: %r is still a case or a page; a redirect would hide it",
                old,
                type=WARNING_TYPE,
                subtype="bad_redirect",
            )
            continue
        path = outdir / builder.get_target_uri(old_page)
        if path.suffix != ".html":  # dirhtml: old-id/ -> old-id/index.html
            path = path / "index.html"
        target = builder.get_relative_uri(old_page, entry.docname)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(title=html.escape(entry.case.title), target=html.escape(target)), "utf-8")

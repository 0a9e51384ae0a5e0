"""The Markdown report escapes what it did not write: URLs, DOIs and reasons never become HTML or cells."""

from __future__ import annotations

import re

from casebook_ext.linkcheck.model import Outcome, Place, PlaceKind, Result, Run, Target, TargetKind
from casebook_ext.linkcheck.report import md_code, md_link, md_text, to_markdown

HOSTILE_DOI = '10.1002/<script>alert("x")</script>|`x`'
HOSTILE_URL = "https://example.org/a|b`c<d>[e](javascript:x)"


def _run() -> Run:
    doi = Target(
        "doi:" + HOSTILE_DOI.lower(),
        TargetKind.DOI,
        "https://doi.org/" + HOSTILE_DOI,
        doi=HOSTILE_DOI,
        places=(Place("refs.bib", 3, PlaceKind.BIBTEX, HOSTILE_DOI, key="k|ey", field="doi"),),
    )
    url = Target(HOSTILE_URL, TargetKind.URL, HOSTILE_URL, places=(Place("page.md", 2, PlaceKind.LINK, HOSTILE_URL),))
    reason = "404 <b>Not</b> Found & [click](javascript:alert(1)) | `code`"
    results = {doi.key: Result(Outcome.BROKEN, reason, 404), url.key: Result(Outcome.WORKING, reason, 200)}
    return Run((doi, url), results, frozenset({Outcome.BROKEN}))


def _cells(row: str) -> list[str]:
    """A GFM table row's cells: split on pipes that are not escaped."""
    return re.split(r"(?<!\\)\|", row.strip().strip("|"))


def test_nothing_from_a_url_doi_or_reason_becomes_html_a_link_or_a_cell() -> None:
    text = to_markdown(_run())
    assert "<script" not in text and "<b>" not in text and "&lt;script&gt;" in text
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # no link a reader could click
    row = next(line for line in text.splitlines() if line.startswith("| DOI"))
    assert len(_cells(row)) == 4  # Link | Why | Used in | Suggestion, whatever the DOI holds
    assert "&lt;b&gt;Not&lt;/b&gt; Found &amp; \\[click\\](javascript:alert(1)) \\| \\`code\\`" in row
    # A URL that is not plainly a URL is shown as escaped text, not as an autolink or raw HTML.
    assert "- https://example.org/a\\|b\\`c&lt;d&gt;\\[e\\](javascript:x):" in text


def test_the_escapes_one_by_one() -> None:
    assert md_text("a<b>&c|d`e[f]g\\h\nnext") == "a&lt;b&gt;&amp;c\\|d\\`e\\[f\\]g\\\\h next"
    assert md_code("plain") == "`plain`" and md_code("a`b") == "``a`b``" and md_code("`x") == "`` `x ``"
    assert md_code("a|b") == "`a\\|b`" and md_code("a|b", table=False) == "`a|b`"
    assert md_link("https://example.org/x?y=1") == "<https://example.org/x?y=1>"
    assert md_link("https://example.org/a b") == "`https://example.org/a b`"
    assert md_link("https://example.org/<x>") == "https://example.org/&lt;x&gt;"

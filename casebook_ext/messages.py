"""The wording of problems that both the build and ``casebook check`` report, written once so they agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from casebook_ext.schema import suggest

CASE_CONTENT_MESSAGE = (
    "case body text is shown inside the facts panel; write the narrative after the directive, under ordinary headings"
)


def missing_id_message() -> str:
    """A case directive with no argument: the case cannot be registered or linked."""
    return (
        "case directive needs an id (a slug such as 'camden-procurement') as its argument; the case is not registered"
    )


def duplicate_id_message(case_id: str, first_path: object, first_line: int) -> str:
    """A second case with an id already taken; says which one the build keeps, so the contributor can choose."""
    return (
        f"duplicate case id {case_id!r}: the build keeps the case in {first_path}, line {first_line}, "
        "which comes first in document-name order, and ignores this one"
    )


def duplicate_option_message(name: str, kept_line: int) -> str:
    """A MyST option given twice: MyST keeps the last value without a word."""
    return f"option {name!r} is given again at line {kept_line}; that last value is used and this one is ignored"


def case_in_only_message(case_id: str) -> str:
    """A case inside ``only``: some outputs would lack it while listings in every output link to it."""
    return (
        f"case {case_id!r} is inside an 'only' directive, which the casebook does not support: every output must "
        "hold every case that its listings link to; the case is not registered (move it out of the 'only' block)"
    )


def bad_character_message(char: str, markup: str) -> str:
    """A character the build changes or breaks lines at, which no editor shows."""
    code = f"U+{ord(char):04X}"
    if char in "\x00\ufffd":
        return f"a NUL or replacement character ({code}) is in the case; the build shows it as '\ufffd': remove it"
    effect = "MyST breaks the line there, so the text after it is cut from its field" if markup == "myst" else ""
    return f"an invisible line-break character ({code}) is in the case{'; ' + effect if effect else ''}: remove it"


WRONG_SYNTAX_IN_MYST = (
    "'.. case::' is reStructuredText, so this Markdown file shows it as text and registers no case: "
    "write ':::{case} ID' with one ':field: value' line per field, closed by ':::'"
)
WRONG_SYNTAX_IN_RST = (
    "':::{case}' is MyST Markdown, so this reStructuredText file shows it as text and registers no case: "
    "write '.. case:: ID' with indented ':field: value' lines"
)
NO_COLON_FENCE_MESSAGE = (
    "':::{case}' is shown as text because conf.py's myst_enable_extensions does not include 'colon_fence'; "
    "add it, or write the case as a ```{case} fence"
)


def unknown_directive_message(name: str) -> str:
    """A directive name one slip from ``case``: the build reports an unknown directive and shows nothing."""
    return f"unknown directive {name!r}; did you mean 'case'? (the build shows nothing and registers no case)"


def unknown_related_message(target: str, known_ids: Iterable[str]) -> str:
    """A related case that no case declares, with the closest id as a suggestion."""
    return f"related case {target!r} does not exist{suggest(target, list(known_ids))}"


def unknown_resource_message(key: str, known_keys: Iterable[str]) -> str:
    """A resource key that no .bib file defines, with the closest key as a suggestion."""
    return f"resources: {key!r} is not in the bibliography{suggest(key, list(known_keys))}"


def review_due_message(case_id: str, reviewed: dt.date, months: int) -> str:
    """A case whose last review is older than the site allows."""
    return (
        f"last-reviewed: case {case_id!r} was last checked against its sources on {reviewed.isoformat()}, "
        f"more than {months} months ago: review it and set last-reviewed to the day you do"
    )

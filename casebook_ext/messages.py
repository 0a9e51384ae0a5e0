"""The wording of problems that both the build and ``casebook check`` report, written once so they agree."""

from __future__ import annotations

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
    """A second case with an id already taken; points at the first so the contributor can choose."""
    return f"duplicate case id {case_id!r} (first declared in {first_path}, line {first_line})"


def unknown_related_message(target: str, known_ids: Iterable[str]) -> str:
    """A related case that no case declares, with the closest id as a suggestion."""
    return f"related case {target!r} does not exist{suggest(target, list(known_ids))}"


def unknown_resource_message(key: str, known_keys: Iterable[str]) -> str:
    """A resource key that no .bib file defines, with the closest key as a suggestion."""
    return f"resources: {key!r} is not in the bibliography{suggest(key, list(known_keys))}"

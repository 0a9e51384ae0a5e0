"""One ``case`` directive as either markup hands it over, and everything that can be wrong with it.

The build's ``case`` directive and ``casebook check`` both describe each case they meet as a
:class:`CaseSource` and call :func:`review`: one implementation of option lookup, line mapping and
wording, so the two cannot disagree. Plain docutils and MyST only, no Sphinx, so the check stays fast.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Literal

from docutils.parsers.rst import Directive, directives

from casebook_ext import messages
from casebook_ext.model import Case
from casebook_ext.schema import FIELDS_BY_NAME, parse_case
from casebook_ext.vocabulary import Vocabularies

Markup = Literal["myst", "rst"]


class AnyOptions(dict[str, Callable[[str], Any]]):
    """An option spec that accepts every name, so unknown fields get our own warning.

    docutils and MyST both look options up with ``spec[name]``; rejecting them there
    would give a generic error with no subtype and drop the value without a suggestion.
    """

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True  # MyST only looks for an options block when the spec is truthy


class CaseDirectiveSpec(Directive):
    """The ``case`` directive's signature, shared by the build's directive and the check's parsers."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = AnyOptions(
        {name: directives.unchanged for name in FIELDS_BY_NAME}
    )


# --- where each option is written ------------------------------------------------------

_FIELD_MARKER = re.compile(r":(?![: ])((?:[^:\\]|\\.|:(?!([ `]|$)))*)(?<! ):( +|$)")


def myst_option_keys(content: str) -> list[tuple[str, int]]:
    """Each option key of a MyST directive's content with its line offset from the opening line, in order.

    MyST's public ``parse_directive_text`` gives the options but not the line of each key, nor keys
    given twice; its option tokenizer (``myst_parser.parsers.options``, not documented as public)
    does. This is the only place that uses it: the block is cut out as ``parse_directive_text``
    cuts it (``---`` YAML block, or leading ``:key: value`` lines), and a test holds the two equal.
    """
    from myst_parser.parsers.directives import is_option_line
    from myst_parser.parsers.options import TokenizeError, options_to_tokens

    if content.startswith("---"):
        lines = content.splitlines()[1:]
        end = next((i for i, text in enumerate(lines) if text.startswith("---")), len(lines))
        block, first = textwrap.dedent("\n".join(lines[:end])), 2
    elif content.lstrip().startswith(":"):
        option_lines: list[str] = []
        for text in content.splitlines():
            if not is_option_line(text):
                break
            option_lines.append(text.lstrip()[1:])
        block, first = "\n".join(option_lines), 1
    else:
        return []
    try:
        tokens, _ = options_to_tokens(block)
    except TokenizeError:
        return []  # MyST reports the broken block itself, and uses no option of it
    return [(key.value, first + key.start.line) for key, _ in tokens]


def rst_option_keys(block_text: str) -> list[tuple[str, int]]:
    """Each option key of a reST directive with its line offset, as docutils reads its field list.

    Options are the field list that ends the directive's first block (before the first blank line);
    docutils lower-cases their names.
    """
    lines = block_text.splitlines()
    found: list[tuple[str, int, int]] = []
    for offset, text in enumerate(lines[1:], start=1):
        if not text.strip():
            break
        match = _FIELD_MARKER.match(text.lstrip())
        if match:
            found.append((match.group(1).lower(), offset, len(text) - len(text.lstrip())))
    indent = min((i for _, _, i in found), default=0)
    return [(name, offset) for name, offset, i in found if i == indent]


# --- the case as the markup hands it over ------------------------------------------------


@dataclass(frozen=True)
class CaseSource:
    """A ``case`` directive where it is written: its file and line, argument, raw options and text."""

    source: str
    lineno: int
    markup: Markup
    case_id: str
    options: Mapping[str, str]
    #: The directive's whole text as its parser gives it to the directive (``block_text``).
    block_text: str
    #: Lines from the directive's first line to its first body line; ``None`` without a body.
    body_offset: int | None = None
    #: True when the directive sits inside an ``only`` directive.
    in_only: bool = False

    @cached_property
    def keys(self) -> tuple[tuple[str, int], ...]:
        """Every option key written, with its line, in source order (a key given twice is listed twice)."""
        if self.markup == "myst":
            rest = self.block_text.split("\n", 1)[1] if "\n" in self.block_text else ""
            content = rest[: rest.rstrip("\n").rfind("\n") + 1]  # without the closing fence
            offsets = myst_option_keys(content)
        else:
            offsets = rst_option_keys(self.block_text)
        return tuple((name, self.lineno + offset) for name, offset in offsets)

    def option_line(self, name: str) -> int:
        """The line of the ``name`` option whose value is used (MyST keeps the last of a repeated key)."""
        lines = [line for key, line in self.keys if key == name]
        return lines[-1] if lines else self.lineno

    @property
    def body_line(self) -> int | None:
        return None if self.body_offset is None else self.lineno + self.body_offset

    def field_lines(self) -> tuple[tuple[str, int], ...]:
        return tuple((name, self.option_line(name)) for name in self.options)


@dataclass(frozen=True)
class LineProblem:
    """One warning about a case, at a line of the file the case is written in."""

    line: int
    subtype: str
    message: str


#: Characters the build mangles without a word: NUL (markdown-it turns it into U+FFFD), and the
#: characters Python counts as line breaks while Markdown does not, which cut a MyST option short.
_BAD_CHARACTERS = re.compile("[\x00\ufffd\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _bad_characters(src: CaseSource) -> Iterable[LineProblem]:
    seen: set[int] = set()
    for match in _BAD_CHARACTERS.finditer(src.block_text):
        line = src.lineno + src.block_text.count("\n", 0, match.start())
        if line not in seen:
            seen.add(line)
            yield LineProblem(line, "bad_character", messages.bad_character_message(match.group(), src.markup))


def _duplicate_options(src: CaseSource) -> Iterable[LineProblem]:
    by_name: dict[str, list[int]] = {}
    for name, line in src.keys:
        by_name.setdefault(name, []).append(line)
    for name, lines in by_name.items():
        for line in lines[:-1]:
            yield LineProblem(line, "duplicate_option", messages.duplicate_option_message(name, lines[-1]))


def review(
    src: CaseSource,
    vocab: Vocabularies,
    summary_max_length: int,
    keys: Collection[str] | None = None,
) -> tuple[Case | None, list[LineProblem]]:
    """The case a directive declares (``None`` if it is not registered) and every problem, at its line.

    ``keys`` are the bibliography's keys, or ``None`` when there is no bibliography to check against.
    """
    out = [*_bad_characters(src), *_duplicate_options(src)]
    if src.in_only:
        out.append(LineProblem(src.lineno, "case_in_only", messages.case_in_only_message(src.case_id)))
        return None, out
    if not src.case_id:
        out.append(LineProblem(src.lineno, "missing_field", messages.missing_id_message()))
        return None, out
    case, problems = parse_case(src.case_id, src.options, vocab, summary_max_length)
    for problem in problems:
        line = src.option_line(problem.field) if problem.field else src.lineno
        out.append(LineProblem(line, problem.subtype, problem.message))
    if case is None:
        return None, out
    if keys is not None:
        for key in case.resources:
            if key not in keys:
                message = messages.unknown_resource_message(key, keys)
                out.append(LineProblem(src.option_line("resources"), "unknown_resource", message))
    if src.body_line is not None:
        out.append(LineProblem(src.body_line, "case_content", messages.CASE_CONTENT_MESSAGE))
    return case, out


# --- cases the markup did not read as cases --------------------------------------------

_RST_CASE = re.compile(r"\.\.[ \t]+case[ \t]?::", re.IGNORECASE)
_COLON_CASE = re.compile(r":{3,}[ \t]*\{case\}", re.IGNORECASE)


def stray_case(text: str, markup: Markup) -> tuple[int, str, str] | None:
    """(line offset, subtype, message) when a line of a paragraph is a case directive its markup showed as text."""
    for offset, line in enumerate(text.split("\n")):
        if markup == "myst" and _RST_CASE.match(line):
            return offset, "wrong_syntax", messages.WRONG_SYNTAX_IN_MYST
        if markup == "myst" and _COLON_CASE.match(line):
            return offset, "no_colon_fence", messages.NO_COLON_FENCE_MESSAGE
        if markup == "rst" and _COLON_CASE.match(line):
            return offset, "wrong_syntax", messages.WRONG_SYNTAX_IN_RST
    return None


def near_case(name: str) -> bool:
    """A directive name one slip from ``case`` (a letter added, dropped, changed or swapped): ``cases``, ``csae``.

    Names differing only in capitals are ``case`` itself: docutils looks directives up in lower case.
    """
    word = name.lower()
    if word == "case" or abs(len(word) - 4) > 1:
        return False
    if len(word) == 4:
        diff = [i for i in range(4) if word[i] != "case"[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == "case"[diff[1]]
        return len(diff) == 1 or (swapped and word[diff[1]] == "case"[diff[0]])
    shorter, longer = (word, "case") if len(word) < 4 else ("case", word)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))

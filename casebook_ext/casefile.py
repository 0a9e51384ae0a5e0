"""Case blocks read straight from source files, the way MyST and docutils read them, without Sphinx.

``casebook check`` and ``casebook new`` use this to see exactly the fields and line numbers a build
sees, in milliseconds: a ``:::{case} ID`` fence in MyST Markdown (or the same with backticks; options
as ``:field: value`` lines or a ``---`` block), or a ``.. case:: ID`` directive in reStructuredText.
The wording of checks that need every case (duplicate ids, unknown related cases and resources)
lives here too, so that the build and the command line say the same thing.
"""

from __future__ import annotations

import ast
import os
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Source suffixes read as documents (MyST Markdown and reStructuredText).
SUFFIXES = (".md", ".rst")

#: Directives whose content is literal text, never parsed: a case shown inside one is an example.
LITERAL_DIRECTIVES = frozenset(
    {
        "code",
        "code-block",
        "code-cell",
        "sourcecode",
        "literalinclude",
        "parsed-literal",
        "raw",
        "math",
        "csv-table",
        "highlight",
        "doctest",
        "testcode",
        "testoutput",
        "graphviz",
        "mermaid",
    }
)

#: The conf.py settings ``casebook check`` reads, besides every ``casebook_*`` one (as literals only:
#: conf.py is never executed).
CONF_NAMES = (
    "bibtex_bibfiles",
    "bibtex_encoding",
    "exclude_patterns",
    "suppress_warnings",
)


# --- case blocks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A warning the markup parser itself gives about a case block (MyST option syntax, docutils errors)."""

    line: int
    type: str
    subtype: str
    message: str
    level: str = "WARNING"


@dataclass(frozen=True)
class CaseBlock:
    """One ``case`` directive as a build receives it: argument, raw options and source lines."""

    path: Path
    lineno: int
    case_id: str
    options: Mapping[str, str]
    #: The directive's source lines from its first line on (the directive's ``block_text``).
    block: tuple[str, ...]
    #: The line of the first body line, if the directive has body text.
    body_line: int | None = None
    notices: tuple[Notice, ...] = ()
    #: True when the markup is broken so badly that the build does not run the directive.
    failed: bool = False

    def option_line(self, name: str) -> int:
        """The line of ``:name:``, found exactly as the ``case`` directive finds it for its warnings."""
        marker = f":{name}:"
        for offset, text in enumerate(self.block):
            if text.strip().startswith(marker):
                return self.lineno + offset
        return self.lineno


def read_cases(path: Path, text: str | None = None) -> list[CaseBlock]:
    """Every case block of a MyST or reST file, in source order."""
    if text is None:
        text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    if path.suffix == ".rst":
        return list(_rst_cases(path, lines, 0))
    return list(_markdown_cases(path, lines, 0, top=True))


# --- MyST Markdown ----------------------------------------------------------------------

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}|:{3,})(.*)$")


def _markdown_cases(path: Path, lines: list[str], offset: int, top: bool = False) -> Iterator[CaseBlock]:
    """Case fences in Markdown lines, skipping code fences, comments and front matter."""
    i = _front_matter_end(lines) if top else 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip(" ").startswith("<!--"):
            i = _html_comment_end(lines, i) + 1
            continue
        match = _FENCE.match(line)
        if match is None or (match.group(2)[0] == "`" and "`" in match.group(3)):
            i += 1
            continue
        indent, marker, info = match.groups()
        end = _fence_end(lines, i, marker)
        content = [_dedent(text, len(indent)) for text in lines[i + 1 : end]]
        lineno = offset + i + 1
        parts = info.strip().split(maxsplit=1)
        name = parts[0] if parts else ""
        arguments = parts[1] if len(parts) > 1 else ""
        if name.startswith("{") and name.endswith("}"):
            directive = name[1:-1]
            if directive == "case":
                yield _myst_case(path, lineno, marker, info, arguments, content)
            elif directive == "eval-rst":
                yield from _rst_cases(path, content, lineno)
            elif directive not in LITERAL_DIRECTIVES:
                yield from _markdown_cases(path, content, lineno)
        elif marker[0] == ":":
            yield from _markdown_cases(path, content, lineno)  # a plain ::: div holds Markdown
        i = end + 1


def _front_matter_end(lines: list[str]) -> int:
    """The first line after YAML front matter, which is data, not Markdown."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def _html_comment_end(lines: list[str], start: int) -> int:
    """The line that closes an HTML comment (commented-out text is not read)."""
    for i in range(start, len(lines)):
        if "-->" in lines[i]:
            return i
    return len(lines) - 1


def _fence_end(lines: list[str], start: int, marker: str) -> int:
    """The closing fence's index (or the end of the text), by markdown-it's rules."""
    closing = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
    for i in range(start + 1, len(lines)):
        if closing.match(lines[i]):
            return i
    return len(lines)


def _dedent(text: str, width: int) -> str:
    """Remove up to ``width`` leading spaces, as markdown-it does for a fence's content."""
    stripped = text.lstrip(" ")
    return text[min(width, len(text) - len(stripped)) :]


def _is_option_line(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith(":::")


@dataclass
class _MystOptions:
    options: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    body: str = ""
    line_count: int = 0


def _myst_case(path: Path, lineno: int, marker: str, info: str, arguments: str, lines: list[str]) -> CaseBlock:
    """A MyST case fence, split into options and body exactly as MyST splits it."""
    content = "".join(f"{text}\n" for text in lines)
    if marker[0] == ":" and content.startswith(":::"):
        content = "\n" + content  # MyST keeps a nested fence apart from the options this way
    block = tuple(f"{marker}{info}\n{content}{marker}".splitlines())
    parsed = _myst_options(content, lineno)
    body = parsed.body.splitlines()
    offset = parsed.line_count
    if body and not body[0].strip():
        body, offset = body[1:], offset + 1
    return CaseBlock(
        path=path,
        lineno=lineno,
        case_id=arguments.strip(),
        options=parsed.options,
        block=block,
        body_line=lineno + offset + 1 if body else None,
        notices=tuple(parsed.notices),
    )


def _myst_options(content: str, lineno: int) -> _MystOptions:
    """The option block of a MyST directive: ``---`` YAML or leading ``:key: value`` lines."""
    from myst_parser.parsers.options import TokenizeError, options_to_tokens

    result = _MystOptions(body=content)
    block: str | None = None
    position = lineno + 1
    if content.startswith("---"):
        position = lineno + 2
        content_lines = content.splitlines()[1:]
        for index, text in enumerate(content_lines):
            if text.startswith("---"):
                block = "\n".join(content_lines[:index])
                remainder = text.lstrip("-").removeprefix(" ")
                rest = content_lines[index + 1 :]
                result.body = "\n".join([remainder, *rest] if remainder else rest)
                result.line_count = index + 1 if remainder else index + 2
                break
        else:
            block = "\n".join(content_lines)
            result.line_count = len(content.splitlines())
            result.body = ""
        block = textwrap.dedent(block)
    elif content.lstrip().startswith(":"):
        content_lines = content.splitlines()
        option_lines: list[str] = []
        while content_lines and _is_option_line(content_lines[0]):
            option_lines.append(content_lines.pop(0).lstrip()[1:])
        block = "\n".join(option_lines)
        result.line_count = len(option_lines)
        result.body = "\n".join(content_lines)
    if block is None:
        return result
    try:
        tokens, state = options_to_tokens(block)
    except TokenizeError as error:
        message = f"'case': Invalid options format: {error.problem}"
        result.notices.append(Notice(position + error.problem_mark.line, "myst", "directive_option", message))
        return result
    for key, value in tokens:
        result.options[key.value] = value.value if value is not None else ""
    if state.has_comments:
        line = position + (state.comment_lines[0] if state.comment_lines else 0)
        message = "'case': Directive options has # comments, which may not be supported in future versions."
        result.notices.append(Notice(line, "myst", "directive_comments", message))
    return result


# --- reStructuredText -------------------------------------------------------------------

_RST_DIRECTIVE = re.compile(r"^( *)\.\. +([A-Za-z0-9][\w.+:-]*?) ?::(?: +|$)(.*)$")
_RST_EXPLICIT = re.compile(r"^( *)\.\.(?: |$)")
_FIELD_MARKER = re.compile(r":(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after an indented block that starts at ``start`` (trailing blank lines excluded)."""
    end = start + 1
    last = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        if lines[end].strip():
            last = end
        end += 1
    return last + 1


def _rst_cases(path: Path, raw_lines: list[str], offset: int) -> Iterator[CaseBlock]:
    """``.. case::`` directives, skipping comments, literal blocks and code directives."""
    lines = [text.expandtabs(8).rstrip() for text in raw_lines]
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = _RST_DIRECTIVE.match(line)
        if directive is not None:
            indent, name = len(directive.group(1)), directive.group(2)
            end = _block_end(lines, i, indent)
            if name == "case":
                yield _rst_case(path, offset + i + 1, directive.group(3), lines[i + 1 : end], lines[i:end])
                i = end
            elif name in LITERAL_DIRECTIVES:
                i = end
            else:
                i += 1  # the content of other directives is ordinary reST: look inside
            continue
        if _RST_EXPLICIT.match(line) or (line.endswith("::") and line.strip()):
            i = _block_end(lines, i, _indent(line))  # a comment, target or literal block: not read
            continue
        i += 1


def _rst_case(path: Path, lineno: int, first: str, rest: list[str], block: list[str]) -> CaseBlock:
    """A reST case directive, split into argument, options and body exactly as docutils splits it."""
    width = min((_indent(text) for text in rest if text.strip()), default=0)
    indented = [first, *(text[width:] for text in rest)]
    line_offset = 0
    if indented and not indented[0].strip():
        indented, line_offset = indented[1:], 1
    split = next((k for k, text in enumerate(indented) if not text.strip()), len(indented))
    arg_block, content = indented[:split], indented[split + 1 :]
    content_offset = line_offset + split + 1
    start = next((k for k, text in enumerate(arg_block) if _FIELD_MARKER.match(text)), len(arg_block))
    arg_block, option_block = arg_block[:start], arg_block[start:]
    while content and not content[0].strip():
        content, content_offset = content[1:], content_offset + 1
    options, error = _rst_options(option_block)
    notices: tuple[Notice, ...] = ()
    if error:
        notices = (Notice(lineno, "docutils", "", f'Error in "case" directive: {error}.', "ERROR"),)
    return CaseBlock(
        path=path,
        lineno=lineno,
        case_id="\n".join(arg_block).strip(),
        options=options,
        block=tuple(block),
        body_line=lineno + content_offset if content else None,
        notices=notices,
        failed=bool(error),
    )


def _rst_options(lines: list[str]) -> tuple[dict[str, str], str]:
    """Directive options as a docutils field list: (options, error message or "")."""
    options: dict[str, str] = {}
    k = 0
    while k < len(lines):
        match = _FIELD_MARKER.match(lines[k])
        if match is None:
            return {}, "invalid option block"
        name = match.group()[1:]
        name = name[: name.rfind(":")].lower()
        body = [lines[k][match.end() :]]
        k += 1
        while k < len(lines) and _indent(lines[k]) > 0:
            body.append(lines[k])
            k += 1
        if len(name.split()) != 1:
            return {}, "invalid option data: extension option field name may not contain multiple words"
        if name in options:
            return {}, f'invalid option data: duplicate option "{name}"'
        continuation = textwrap.dedent("\n".join(body[1:])).splitlines()
        options[name] = "\n".join(text for text in [body[0], *continuation] if text.strip())
    return options, ""


# --- the project around the cases -----------------------------------------------------


@dataclass(frozen=True)
class Conf:
    """The literal settings of a conf.py that checks need; anything computed is left out, not run."""

    path: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    #: Settings conf.py assigns with an expression that is not a literal (their defaults are used).
    not_literal: tuple[str, ...] = ()

    @property
    def srcdir(self) -> Path | None:
        return self.path.parent if self.path else None


def read_conf(path: Path) -> Conf:
    """Read literal top-level assignments from conf.py with ``ast``; conf.py is never executed."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    values: dict[str, Any] = {}
    not_literal: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not isinstance(target, ast.Name) or not (target.id in CONF_NAMES or target.id.startswith("casebook_")):
            continue
        try:
            values[target.id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, RecursionError):
            not_literal.append(target.id)
            values.pop(target.id, None)
    return Conf(path, values, tuple(n for n in not_literal if n not in values))


def find_conf(start: Path) -> Path | None:
    """The conf.py of the Sphinx project holding ``start``: in it or the nearest folder above."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "conf.py").is_file():
            return candidate / "conf.py"
    return None


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Sphinx's glob for ``exclude_patterns``: ``*`` stays within a folder, ``**`` crosses folders."""
    out = ""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        out += "[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char)
        i += 1
    return re.compile(out + "$")


def source_files(root: Path, exclude_patterns: Iterable[str] = ("_build",)) -> list[Path]:
    """The documents under ``root``, as Sphinx finds them (excluded patterns and hidden folders skipped)."""
    patterns = [_pattern_regex(p) for p in (*exclude_patterns, "**/_sources", ".#*", "**/.#*")]

    def excluded(relative: str) -> bool:
        return any(p.match(relative) for p in patterns)

    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        rel = base.relative_to(root).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded(prefix + d))
        found.extend(base / name for name in sorted(files) if name.endswith(SUFFIXES) and not excluded(prefix + name))
    return found


def docname(path: Path, root: Path) -> str:
    """The Sphinx docname of a source file: its path from the source folder, without suffix."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = path
    return relative.with_suffix("").as_posix()


def declared_ids(files: Iterable[Path]) -> dict[str, tuple[Path, int]]:
    """Every case id declared in ``files`` and where it is first declared."""
    ids: dict[str, tuple[Path, int]] = {}
    for path in files:
        for block in read_cases(path):
            if block.case_id:
                ids.setdefault(block.case_id, (path, block.lineno))
    return ids

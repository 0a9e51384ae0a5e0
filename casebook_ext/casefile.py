"""Case directives read from source files by the build's own parsers, in milliseconds and without Sphinx.

``casebook check`` and ``casebook new`` see exactly the cases, fields and lines a build sees:
MyST files go through markdown-it as MyST configures it from conf.py (so a ``:::`` fence is a
directive only with ``colon_fence``, and a case in a blockquote or a list is found), each
directive's options through MyST's own ``parse_directive_text``; reStructuredText goes through
docutils. Only the block structure is tokenised: inline markup cannot make or hide a directive.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.parsers.rst.directives.misc import Include
from docutils.parsers.rst.states import MarkupError
from sphinx.util.docutils import CustomReSTDispatcher

from casebook_ext.caseblock import AnyOptions, CaseDirectiveSpec, CaseSource, near_case, stray_case
from casebook_ext.messages import unknown_directive_message

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from myst_parser.config.main import MdParserConfig

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


class MystConfigError(ValueError):
    """conf.py's ``myst_*`` settings are ones MyST refuses."""


# --- what is read -------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A warning about a file that the markup parser gives, or that the casebook gives about markup it skipped."""

    path: Path
    line: int | None
    type: str
    subtype: str
    message: str
    level: str = "WARNING"


@dataclass(frozen=True)
class CaseBlock:
    """One ``case`` directive as the build receives it, and the page whose build reads it."""

    path: Path
    src: CaseSource
    #: The document being built: ``path`` itself, or the page that includes it.
    document: Path
    #: What the markup parser says about the directive itself (MyST option syntax, docutils errors).
    notices: tuple[Notice, ...] = ()
    #: True when the markup is broken so badly that the build does not run the directive.
    failed: bool = False

    @property
    def lineno(self) -> int:
        return self.src.lineno

    @property
    def case_id(self) -> str:
        return self.src.case_id

    @property
    def options(self) -> Mapping[str, str]:
        return self.src.options

    def option_line(self, name: str) -> int:
        return self.src.option_line(name)


@dataclass
class Reading:
    """Everything read from one document and the files it includes."""

    document: Path
    blocks: list[CaseBlock] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    #: Every file read for this document (itself and what it includes).
    sources: set[Path] = field(default_factory=set)
    #: The Markdown files being included right now, so a file that includes itself is read once.
    including: set[Path] = field(default_factory=set)


# --- MyST Markdown ------------------------------------------------------------------------

_NAMES = re.compile(r"\{([\w:.+-]{2,8})\}|\.\.[ \t]+([\w:.+-]{2,8})[ \t]?::")


def worth_reading(text: str) -> bool:
    """Whether a file can hold anything the check reports: a directive named like ``case``, or an include."""
    lowered = text.lower()
    if "case" in lowered or "include" in lowered or "eval-rst" in lowered:
        return True
    return any(near_case(a or b) for a, b in _NAMES.findall(text))


class _Container(Directive):
    """Any other directive, read as the build reads most: arguments, options, then Markdown or reST content."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = AnyOptions()


class _MystInclude(Include):
    """docutils' ``include`` with the options MyST adds to it for Markdown."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **(Include.option_spec or {}),
        "relative-images": directives.flag,
        "relative-docs": directives.path,
        "heading-offset": directives.nonnegative_int,
    }


def myst_config(values: Mapping[str, Any]) -> MdParserConfig:
    """MyST's configuration from conf.py's ``myst_*`` literals, as ``myst_parser`` makes it for the build."""
    from myst_parser.config.main import MdParserConfig

    names = {f.name for f in dataclasses.fields(MdParserConfig) if "sphinx" not in f.metadata.get("omit", [])}
    given = {key.removeprefix("myst_"): value for key, value in values.items() if key.startswith("myst_")}
    try:
        return MdParserConfig(**{name: value for name, value in given.items() if name in names})
    except (TypeError, ValueError) as error:
        raise MystConfigError(f"myst configuration invalid: {error.args[0] if error.args else error}") from None


class Reader:
    """Reads documents as one project's build reads them: its MyST settings and its source folder."""

    def __init__(self, config: MdParserConfig, srcdir: Path | None = None) -> None:
        self.config = config
        self.srcdir = srcdir
        self._parsers: dict[str, MarkdownIt] = {}
        self._rst_settings: Any = None

    def read(self, path: Path, text: str | None = None) -> Reading:
        """Every case block of a document and the files it includes, in the order the build meets them."""
        path = Path(os.path.abspath(path))
        reading = Reading(path, sources={path})
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
        if not worth_reading(text):
            return reading
        if path.suffix == ".rst":
            self._rst(reading, path, text)
        else:
            self._myst(reading, path, text, 0, self._file_config(text), ())
        return reading

    # --- MyST -------------------------------------------------------------------------

    def _file_config(self, text: str) -> MdParserConfig:
        """The page's MyST settings: conf.py's, updated by a ``myst:`` key in its front matter."""
        from myst_parser.config.main import TopmatterReadError, merge_file_level, read_topmatter

        try:
            topmatter = read_topmatter(text)
        except TopmatterReadError:
            return self.config  # the build reports it, and uses the global settings too
        if not topmatter:
            return self.config
        return merge_file_level(self.config, topmatter, lambda kind, message: None)

    def _parser(self, config: MdParserConfig) -> MarkdownIt:
        """markdown-it exactly as MyST creates it for the build, made once, tokenising only blocks."""
        key = repr(config)
        md = self._parsers.get(key)
        if md is None:
            from markdown_it.renderer import RendererHTML
            from myst_parser.parsers.mdit import create_md_parser

            md = create_md_parser(config, RendererHTML)
            # Inline rules build no directive: leaving them out halves the time and changes no block.
            md.core.ruler.enableOnly(["normalize", "block"])
            self._parsers[key] = md
        return md

    def _myst(
        self, reading: Reading, path: Path, text: str, offset: int, config: MdParserConfig, around: tuple[str, ...]
    ) -> None:
        """Walk Markdown ``text`` whose first line is line ``offset + 1`` of ``path``."""
        tokens = self._parser(config).parse(text)
        directives_on = not (config.commonmark_only or config.gfm_only)
        for index, token in enumerate(tokens):
            if token.map is None:
                continue
            line = offset + token.map[0] + 1
            if token.type == "paragraph_open" and index + 1 < len(tokens):
                found = stray_case(tokens[index + 1].content, "myst")
                if found is not None:
                    reading.notices.append(Notice(path, line + found[0], "casebook", found[1], found[2]))
            elif token.type in ("fence", "colon_fence") and directives_on:
                self._myst_fence(reading, path, token, line, config, around)

    def _myst_fence(
        self,
        reading: Reading,
        path: Path,
        token: Token,
        line: int,
        config: MdParserConfig,
        around: tuple[str, ...],
    ) -> None:
        """A fence, as MyST's renderer dispatches it: ``{eval-rst}``, a ``{directive}``, a div, or code."""
        parts = token.info.strip().split(maxsplit=1)
        name = parts[0] if parts else ""
        arguments = parts[1] if len(parts) > 1 else ""
        if token.type == "fence" and name == "{eval-rst}":
            self._rst(reading, path, "\n" * line + token.content, around)
            return
        if not (name.startswith("{") and name.endswith("}")):
            if token.type == "colon_fence":
                self._myst(reading, path, token.content, line, config, around)  # a div holds Markdown
            return
        directive = name[1:-1].lower()  # docutils looks directives up in lower case
        content = token.content
        if token.type == "colon_fence" and content.startswith(":::"):
            content = "\n" + content  # MyST keeps a nested fence apart from the options this way
        if directive == "case":
            reading.blocks.append(self._myst_case(reading, path, token, name[1:-1], arguments, content, line, around))
        elif directive == "include":
            self._myst_include(reading, path, arguments, content, line, config, around)
        elif near_case(directive):
            message = unknown_directive_message(name[1:-1])
            reading.notices.append(Notice(path, line, "casebook", "unknown_directive", message))
        elif directive not in LITERAL_DIRECTIVES:
            from myst_parser.parsers.directives import parse_directive_text

            try:
                parsed = parse_directive_text(_Container, arguments, content, line=line)
            except MarkupError:
                return
            body = "\n".join(parsed.body)
            self._myst(reading, path, body, line + parsed.body_offset, config, (*around, directive))

    def _myst_case(
        self,
        reading: Reading,
        path: Path,
        token: Token,
        name: str,
        arguments: str,
        content: str,
        line: int,
        around: tuple[str, ...],
    ) -> CaseBlock:
        """A MyST case, parsed by MyST's own ``parse_directive_text`` with the ``case`` directive's spec."""
        from myst_parser.parsers.directives import parse_directive_text

        parsed = parse_directive_text(CaseDirectiveSpec, arguments, content, line=line)
        notices = tuple(
            Notice(path, w.lineno if w.lineno is not None else line, "myst", w.type.value, f"{name!r}: {w.msg}")
            for w in parsed.warnings
        )
        text = content if not content or content.endswith("\n") else content + "\n"
        src = CaseSource(
            source=str(path),
            lineno=line,
            markup="myst",
            case_id=parsed.arguments[0].strip() if parsed.arguments else "",
            options={key: "" if value is None else str(value) for key, value in parsed.options.items()},
            block_text=f"{token.markup}{token.info}\n{text}{token.markup}\n",
            body_offset=parsed.body_offset + 1 if parsed.body else None,
            in_only="only" in around,
        )
        return CaseBlock(path, src, reading.document, notices)

    def _myst_include(
        self,
        reading: Reading,
        path: Path,
        arguments: str,
        content: str,
        line: int,
        config: MdParserConfig,
        around: tuple[str, ...],
    ) -> None:
        """An included Markdown file, cut and numbered as MyST's include cuts it."""
        from myst_parser.parsers.directives import parse_directive_text

        try:
            parsed = parse_directive_text(_MystInclude, arguments, content, line=line)
        except MarkupError:
            return
        options = parsed.options
        if not parsed.arguments or "literal" in options or "code" in options:
            return
        target = self._include_path(reading.document, "".join(s.strip() for s in parsed.arguments[0].splitlines()))
        if target is None or target in reading.including or target == reading.document:
            return
        try:
            text = target.read_text(encoding=options.get("encoding", "utf-8-sig"))
        except (OSError, UnicodeDecodeError, LookupError) as error:
            reading.notices.append(Notice(path, line, "docutils", "", f'Directive "include": {error}', "ERROR"))
            return
        reading.sources.add(target)
        start, end = options.get("start-line"), options.get("end-line")
        all_lines = text.splitlines()
        if start is not None and start < 0:
            start = max(0, len(all_lines) + start)
        text = "\n".join(all_lines[start:end])
        first = start or 0
        for option in ("start-after", "end-before"):
            marker = options.get(option)
            if not marker:
                continue
            at = text.find(marker)
            if at < 0:
                return  # the build reports the missing text
            if option == "start-after":
                first += text.count("\n", 0, at + len(marker))
                text = text[at + len(marker) :]
            else:
                text = text[:at]
        reading.including.add(target)
        try:
            self._myst(reading, target, text, first, config, around)
        finally:
            reading.including.discard(target)

    def _include_path(self, document: Path, argument: str) -> Path | None:
        """Where ``include`` finds a file, as Sphinx resolves it: ``/x`` from the source folder, else the page's."""
        if argument.startswith("<") and argument.endswith(">"):
            return None  # docutils' standard includes hold no case
        if argument.startswith("/"):
            base = self.srcdir or document.parent
            return Path(os.path.normpath(base / argument.lstrip("/")))
        return Path(os.path.normpath(document.parent / argument))

    # --- reStructuredText ---------------------------------------------------------------

    def _rst(self, reading: Reading, path: Path, text: str, around: tuple[str, ...] = ()) -> None:
        """Parse reST with docutils, the ``case`` directive replaced by one that records what it is given."""
        from docutils.parsers.rst import Parser
        from docutils.utils import new_document

        if self._rst_settings is None:
            from docutils.frontend import get_default_settings

            settings = get_default_settings(Parser)
            settings.report_level = 5
            settings.halt_level = 5
            settings.warning_stream = io.StringIO()
            settings.file_insertion_enabled = True
            settings.line_length_limit = 10_000_000
            self._rst_settings = settings
        document = new_document(str(path), self._rst_settings)
        setattr(document, _CONTEXT, (self, reading, around))  # what the check's directives record into
        errors: list[nodes.system_message] = []
        document.reporter.attach_observer(errors.append)
        try:
            with _Dispatcher():
                Parser().parse(text, document)
        except Exception as error:  # a docutils directive failing outside a build: say so, never a traceback
            text = f"casebook check could not read this reStructuredText ({type(error).__name__}: {error})"
            reading.notices.append(Notice(path, None, "docutils", "", text, "ERROR"))
            return
        for message in errors:
            words = message[0].astext() if message.children else ""
            if re.match(r'Error in "case" directive', words, re.IGNORECASE):
                # The build does not run a directive it cannot parse: docutils' error is all it says.
                where = Path(os.path.abspath(message.get("source") or path))
                line: int | None = message.get("line")
                notice = Notice(where, line, "docutils", "", " ".join(words.split("\n")), "ERROR")
                failed = CaseSource(str(where), line or 0, "rst", "", {}, "")
                reading.blocks.append(CaseBlock(where, failed, reading.document, (notice,), failed=True))
        for paragraph in document.findall(nodes.paragraph):
            found = stray_case(paragraph.astext(), "rst")
            if found is not None and paragraph.line:
                where = Path(os.path.abspath(paragraph.source or path))
                reading.notices.append(Notice(where, paragraph.line + found[0], "casebook", found[1], found[2]))


_CONTEXT = "casebook_check"


def _context(directive: Directive) -> tuple[Reader, Reading, tuple[str, ...]]:
    context: tuple[Reader, Reading, tuple[str, ...]] = getattr(directive.state.document, _CONTEXT)
    return context


def _inside_only(node: nodes.Node | None) -> bool:
    while node is not None:
        if isinstance(node, nodes.Element) and node.get("casebook_directive") == "only":
            return True
        node = node.parent
    return False


class _RstCase(CaseDirectiveSpec):
    """The ``case`` directive for the check: records the case as the build's directive would receive it."""

    def run(self) -> list[nodes.Node]:
        _, reading, around = _context(self)
        source, line = self.state_machine.get_source_and_line(self.lineno)
        path = Path(os.path.abspath(source or reading.document))
        body_offset = self.content_offset + 1 - self.lineno if self.content else None
        src = CaseSource(
            source=str(path),
            lineno=line or self.lineno,
            markup="rst",
            case_id=self.arguments[0].strip() if self.arguments else "",
            options={name: value or "" for name, value in self.options.items()},
            block_text=self.block_text,
            body_offset=body_offset,
            in_only="only" in around or _inside_only(self.state_machine.node),
        )
        reading.blocks.append(CaseBlock(path, src, reading.document))
        return []


class _RstInclude(Include):
    """docutils' ``include``, finding files as Sphinx does and noting what it reads."""

    def run(self) -> list[nodes.Node]:
        reader, reading, _ = _context(self)
        argument = self.arguments[0]
        if not (argument.startswith("<") and argument.endswith(">")):
            target = reader._include_path(reading.document, argument)
            if target is not None:
                self.arguments[0] = str(target)
                reading.sources.add(target)
        return list(super().run())


class _RstContainer(_Container):
    """Any directive docutils does not know (Sphinx's and extensions'): its content is read as reST."""

    def run(self) -> list[nodes.Node]:
        node = nodes.container(casebook_directive=self.name.lower())
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class _RstLiteral(Directive):
    """A directive whose content is literal text: nothing in it is read."""

    optional_arguments = 99
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = AnyOptions()

    def run(self) -> list[nodes.Node]:
        return []


class _RstTypo(_RstLiteral):
    """A directive named one slip from ``case``: reported, and its content left unread as the build leaves it."""

    def run(self) -> list[nodes.Node]:
        _, reading, _ = _context(self)
        source, line = self.state_machine.get_source_and_line(self.lineno)
        path = Path(os.path.abspath(source or reading.document))
        message = unknown_directive_message(self.name)
        reading.notices.append(Notice(path, line, "casebook", "unknown_directive", message))
        return []


def _any_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: object,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Every role, for the check: no role makes or hides a case, so its text is all that matters."""
    return [nodes.Text(text)], []


class _Dispatcher(CustomReSTDispatcher):
    """Sphinx's public hook on docutils' look-up of directives and roles, for the check's stand-ins.

    Only docutils' own directives run as themselves: any other (Sphinx's, an extension's) needs a
    build environment, and is read as a container of reST, as the build reads most of them.
    """

    def directive(
        self, directive_name: str, language_module: ModuleType, document: nodes.document
    ) -> tuple[type[Directive] | None, list[nodes.system_message]]:
        name = directive_name.lower()
        if name == "case":
            return _RstCase, []
        if name == "include":
            return _RstInclude, []
        if name in LITERAL_DIRECTIVES:
            return _RstLiteral, []
        found, messages = super().directive(directive_name, language_module, document)
        if found is not None and found.__module__.startswith("docutils."):
            return found, messages
        return (_RstTypo if found is None and near_case(name) else _RstContainer), []

    def role(
        self, role_name: str, language_module: ModuleType, lineno: int, reporter: Any
    ) -> tuple[Any, list[nodes.system_message]]:
        return _any_role, []


# --- for callers --------------------------------------------------------------------------


def default_reader(path: Path) -> Reader:
    """A reader for a file's own project (its conf.py above it), or MyST with ``colon_fence`` when there is none."""
    from casebook_ext.project import find_conf, read_conf

    conf_path = find_conf(path)
    if conf_path is None:
        return Reader(myst_config({"myst_enable_extensions": ["colon_fence"]}))
    return Reader(myst_config(read_conf(conf_path).values), conf_path.parent)


def read_cases(path: Path, text: str | None = None, reader: Reader | None = None) -> list[CaseBlock]:
    """Every case block of a document (and what it includes), in the order the build reads them."""
    return (reader or default_reader(path)).read(path, text).blocks


def declared_ids(files: list[Path], reader: Reader) -> dict[str, tuple[Path, int]]:
    """Every case id declared in ``files`` and where it is first declared."""
    ids: dict[str, tuple[Path, int]] = {}
    for path in files:
        for block in reader.read(path).blocks:
            if block.case_id:
                ids.setdefault(block.case_id, (block.path, block.lineno))
    return ids

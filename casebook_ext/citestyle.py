"""One short author-year label per source, the same in the text, the facts panels, the guide and the bibliography.

``(IIPP 2023a)`` reads better than ``[UCL Institute for Innovation and Public Purpose, 2023]``
repeated down a page. A source's label is its ``shortauthor`` field (biblatex's name for an
abbreviation such as ``IIPP``) or its authors' surnames (two at most, then "et al."), and its
year; sources that would share a label get ``a``, ``b``... in the bibliography's alphabetical
order. The labels are computed once, over the whole bibliography, by a pybtex label style; the
bibliography, sphinxcontrib-bibtex's citations and the casebook's own panels all read them.

Sites use it with ``bibtex_default_style = "casebook"`` and ``bibtex_reference_style = "casebook"``.
"""

from __future__ import annotations

import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import join, node

from casebook_ext.resources import latex_to_text

if TYPE_CHECKING:
    from pybtex.database import BibliographyData, Entry

STYLE_NAME = "casebook"


def _plain(text: str) -> str:
    return latex_to_text(text)


def short_author(entry: Entry) -> str:
    """``IIPP``, ``Mazzucato``, ``Mazzucato and Wainwright``, ``Kattel et al.``: who, in a label."""
    short = _plain(entry.fields.get("shortauthor", ""))
    if short:
        return short
    for role in ("author", "editor"):
        people = entry.persons.get(role, [])
        if people:
            names = [_plain(" ".join(p.prelast_names + p.last_names)) for p in people]
            if len(names) == 1:
                return names[0]
            if len(names) == 2:
                return f"{names[0]} and {names[1]}"
            return f"{names[0]} et al."
    key = _plain(entry.fields.get("key", ""))
    return key or _plain(entry.fields.get("title", "Anonymous"))


def base_label(entry: Entry) -> str:
    year = _plain(entry.fields.get("year", ""))
    return f"{short_author(entry)} {year or 'n.d.'}"


class LabelStyle(BaseLabelStyle):  # type: ignore[misc]
    """pybtex label style: author-year, with a letter where two sources would share a label."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        labels = [base_label(entry) for entry in sorted_entries]
        counts = Counter(labels)
        seen: dict[str, int] = defaultdict(int)
        for label in labels:
            if counts[label] > 1:
                yield label + string.ascii_lowercase[min(seen[label], 25)]
                seen[label] += 1
            else:
                yield label


class FormattingStyle(PlainStyle):  # type: ignore[misc]
    """pybtex formatting style: pybtex's ``plain`` (alphabetical), labelled by :class:`LabelStyle`."""

    default_label_style = LabelStyle  # the class itself: pybtex accepts it, registered or not


def labels(data: BibliographyData) -> dict[str, str]:
    """Every entry's label, computed over the whole bibliography in its alphabetical order."""
    style = FormattingStyle()
    entries = style.sort(list(data.entries.values()))
    return {entry.key: label for entry, label in zip(entries, style.format_labels(entries), strict=True)}


def label_parts(label: str) -> tuple[str, str]:
    """``("Mazzucato and Wainwright", "2024")`` from ``"Mazzucato and Wainwright 2024"``."""
    author, _, year = label.rpartition(" ")
    return author, year


@node  # type: ignore[untyped-decorator,misc]
def _label_part(children: list[Any], data: dict[str, Any], which: int) -> Text:
    """A template node for one part of the entry's label: 0 the author, 1 the year."""
    return Text(label_parts(data["formatted_entry"].label)[which])


def _reference_style() -> type[Any]:
    """sphinxcontrib-bibtex's referencing style: ``(IIPP 2023a; Mazzucato 2016)`` and ``Mazzucato (2016)``."""
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.basic_label import BasicLabelTextualReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle
    from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

    class TextualStyle(BasicLabelTextualReferenceStyle):  # type: ignore[misc]
        def inner(self, role_name: str) -> Any:
            return join[
                reference[_label_part(which=0)],
                self.text_reference_sep,
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                    pre_text, reference[_label_part(which=1)], post_text
                ],
                self.bracket.right,
            ]

    def brackets() -> Any:
        return BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class ReferenceStyle(LabelReferenceStyle):  # type: ignore[misc]
        bracket_textual: Any = field(default_factory=brackets)
        bracket_parenthetical: Any = field(default_factory=brackets)
        bracket_author: Any = field(default_factory=brackets)
        bracket_label: Any = field(default_factory=brackets)
        bracket_year: Any = field(default_factory=brackets)

        def __post_init__(self) -> None:
            super().__post_init__()  # type: ignore[no-untyped-call]
            for i, style in enumerate(self.styles):
                if type(style) is BasicLabelTextualReferenceStyle:
                    self.styles[i] = TextualStyle(
                        bracket=self.bracket_textual,
                        person=self.person,
                        text_reference_sep=self.text_reference_sep,
                        pre_text_sep=self.pre_text_sep,
                        post_text_sep=self.post_text_sep,
                    )
            self.role_style = {name: style for style in self.styles for name in style.role_names()}

    return ReferenceStyle


def register(app: Any, config: Any) -> None:
    """``config-inited``: with sphinxcontrib-bibtex, make ``casebook`` a pybtex label, formatting and referencing style.

    Only then: a site without a bibliography does not pay for importing sphinxcontrib-bibtex.
    """
    if "sphinxcontrib.bibtex" not in config.extensions:
        return
    pybtex.plugin.register_plugin("pybtex.style.labels", STYLE_NAME, LabelStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, FormattingStyle, force=True)
    try:
        from sphinxcontrib.bibtex.plugin import register_plugin
    except ImportError:  # the extension works without sphinxcontrib-bibtex
        return
    register_plugin("sphinxcontrib.bibtex.style.referencing", STYLE_NAME, _reference_style(), force=True)

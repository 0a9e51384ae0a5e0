"""Where each BibTeX entry and field sits in its file: lines for reports, texts for change detection.

pybtex gives the values but not their lines; a maintainer fixing a dead URL needs the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.MULTILINE)
_SKIP = frozenset({"comment", "string", "preamble"})


@dataclass(frozen=True)
class BibEntry:
    key: str
    line: int  # the ``@type{key,`` line
    text: str  # the entry's text up to the next entry

    def field_line(self, name: str) -> int:
        """The line of ``name = ...`` in the entry, or the entry's first line."""
        match = re.search(rf"^[ \t]*{re.escape(name)}[ \t]*=", self.text, re.MULTILINE | re.IGNORECASE)
        return self.line + self.text.count("\n", 0, match.start()) if match else self.line

    @property
    def signature(self) -> str:
        """The entry with layout ignored, so re-indenting it is not a change."""
        return " ".join(self.text.split())


def scan(text: str) -> dict[str, BibEntry]:
    """Every entry of a .bib file's text, by key (the first of duplicate keys wins, as in pybtex)."""
    out: dict[str, BibEntry] = {}
    matches = [m for m in _ENTRY.finditer(text) if m.group(1).lower() not in _SKIP]
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        key = match.group(2)
        if key not in out:
            out[key] = BibEntry(key, text.count("\n", 0, match.start()) + 1, text[match.start() : end])
    return out

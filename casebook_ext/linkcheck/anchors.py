"""Whether a page has the ``#anchors`` its links name: an element ``id``, or a ``name`` on ``<a>``.

Read with the standard library's :class:`html.parser.HTMLParser`, fed chunk by chunk, so the
check stops reading as soon as every anchor asked for is found. A fragment is matched as
written and percent-decoded (``#caf%C3%A9`` is ``id="café"``), and also as GitHub's
``user-content-`` prefix, which its pages add to headings' ids in the served HTML.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

_PREFIXES = ("", "user-content-")


def is_html(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or not kind


@dataclass(frozen=True)
class Scan:
    """What a page showed of the anchors asked for."""

    html: bool = True
    found: frozenset[str] = frozenset()
    #: False when the page was longer than the checker reads: an anchor not found may come later.
    complete: bool = True


def _forms(anchor: str) -> set[str]:
    return {prefix + form for form in (anchor, unquote(anchor)) for prefix in _PREFIXES}


class AnchorFinder(HTMLParser):
    """Feeds on bytes; :meth:`feed` says when every wanted anchor has been seen."""

    def __init__(self, wanted: Iterable[str], encoding: str = "utf-8") -> None:
        super().__init__(convert_charrefs=True)
        self._wanted = {anchor: _forms(anchor) for anchor in wanted}
        self._found: set[str] = set()
        try:
            self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        except LookupError:
            self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, data: bytes | str) -> bool:  # type: ignore[override]
        super().feed(data if isinstance(data, str) else self._decoder.decode(data))
        return self.done

    def close(self) -> None:
        super().feed(self._decoder.decode(b"", final=True))
        super().close()

    @property
    def done(self) -> bool:
        return len(self._found) == len(self._wanted)

    def result(self, complete: bool) -> Scan:
        return Scan(html=True, found=frozenset(self._found), complete=complete or self.done)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None or not (name == "id" or (name == "name" and tag == "a")):
                continue
            for anchor, forms in self._wanted.items():
                if value in forms:
                    self._found.add(anchor)

    handle_startendtag = handle_starttag

"""The search index stems each distinct word once, not once per occurrence.

Sphinx feeds every page to its search index in the main process, even with ``-j``, and calls
the language's stemmer for every word of every page; a casebook repeats its vocabulary across
thousands of pages, so most of that time went to stemming the same words again. The site's
search language is registered again (``app.add_search_language``) as a subclass that remembers
each word's stem: the index it writes is the same.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.search import SearchLanguage


def _language_class(lang: str) -> type[SearchLanguage] | None:
    from sphinx.search import languages  # the registry add_search_language fills

    found = languages.get(lang) or languages.get(lang.partition("_")[0])
    if isinstance(found, str):
        module, name = found.rsplit(".", 1)
        found = getattr(import_module(module), name)
    return found


def remember_stems(app: Sphinx, config: Config) -> None:
    """``config-inited``: register the site's search language with a memory of the stems it computed."""
    lang = str(config.html_search_language or config.language or "en")
    base = _language_class(lang)
    if base is None or getattr(base, "casebook_remembers_stems", False):
        return

    class RememberingStems(base):  # type: ignore[valid-type,misc]
        casebook_remembers_stems = True

        def __init__(self, options: dict[str, Any]) -> None:
            super().__init__(options)
            self._stems: dict[str, str] = {}

        def stem(self, word: str) -> str:
            stem = self._stems.get(word)
            if stem is None:
                stem = self._stems[word] = super().stem(word)
            return stem

    RememberingStems.lang = base.lang
    RememberingStems.__name__ = RememberingStems.__qualname__ = f"{base.__name__}RememberingStems"
    app.add_search_language(RememberingStems)

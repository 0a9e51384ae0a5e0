"""The site's search finds the same words with the casebook's remembered stems as with Sphinx's own."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.search.en import SearchEnglish


def test_the_search_index_stems_words_as_sphinx_does(project) -> None:
    build = project("basic").build()
    language = build.app.builder.indexer.lang
    assert getattr(language, "casebook_remembers_stems", False)
    words = ["procurement", "missions", "policies", "councils", "innovating", "procurement"]
    assert [language.stem(w) for w in words] == [SearchEnglish({}).stem(w) for w in words]
    text = (Path(build.app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]
    assert SearchEnglish({}).stem("procurement") in terms


def test_a_second_build_in_the_same_process_does_not_wrap_the_stemmer_twice(project) -> None:
    project("basic").build()
    language = project("basic", name="again").build().app.builder.indexer.lang
    wrappers = [cls for cls in type(language).__mro__ if "casebook_remembers_stems" in vars(cls)]
    assert len(wrappers) == 1

"""The site's search: the words Sphinx would find, and results named as a reader names them."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.search.en import SearchEnglish


def search_index(build) -> dict:
    text = (Path(build.app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_search_results_name_sources_and_terms_as_readers_do(project) -> None:
    names = {}
    for root in ("basic", "resources"):
        objnames = search_index(project(root, name=root).build())["objnames"].values()
        names.update({f"{domain}:{kind}": label for domain, kind, label in objnames})
    assert names["casebook:resource"] == "Source"
    assert names["casebook:pillar"] == "ROAR pillar"
    assert not [label for key, label in names.items() if key.startswith("casebook:") and "Casebook" in label]


def test_the_search_index_stems_words_as_sphinx_does(project) -> None:
    build = project("basic").build()
    language = build.app.builder.indexer.lang
    assert getattr(language, "casebook_remembers_stems", False)
    words = ["procurement", "missions", "policies", "councils", "innovating", "procurement"]
    assert [language.stem(w) for w in words] == [SearchEnglish({}).stem(w) for w in words]
    terms = search_index(build)["terms"]
    assert SearchEnglish({}).stem("procurement") in terms


def test_a_second_build_in_the_same_process_does_not_wrap_the_stemmer_twice(project) -> None:
    project("basic").build()
    language = project("basic", name="again").build().app.builder.indexer.lang
    wrappers = [cls for cls in type(language).__mro__ if "casebook_remembers_stems" in vars(cls)]
    assert len(wrappers) == 1

"""Mission Casebook: structured, cross-referenced policy cases for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of stored data changes, so old environments are rebuilt.
ENV_VERSION = 5


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the casebook: one flat list of what it adds to Sphinx.

    The imports are here rather than at the top of the module so that ``import casebook_ext``
    (which the ``casebook`` command does) does not load Sphinx's writers and the bibliography.
    """
    from casebook_ext import (
        assets,
        browse,
        citeblock,
        citestyle,
        collect,
        collection,
        config,
        configstate,
        coverage,
        dependencies,
        directives,
        exports,
        finder,
        landing,
        navigation,
        nodes,
        output,
        questions,
        redirects,
        reference,
        roles,
        stemming,
        strays,
    )
    from casebook_ext.book import setup_book
    from casebook_ext.domain import CasebookDomain
    from casebook_ext.latex import setup_latex
    from casebook_ext.transforms import FillFinderTable, FillListings

    config.register(app)
    app.connect("config-inited", config.check)
    app.connect("config-inited", configstate.remember, priority=configstate.LATE)
    app.connect("env-updated", configstate.store_as_read, priority=configstate.LATE)
    app.connect("write-started", configstate.give_back, priority=1)
    app.connect("config-inited", citestyle.register)
    app.connect("config-inited", stemming.remember_stems)
    app.connect("config-inited", roles.register_short_roles)
    app.connect("config-inited", output.add_static_path)
    nodes.register(app)
    citeblock.setup_citation(app)
    finder.setup_finder(app)
    coverage.setup_coverage(app)
    landing.setup_landing(app)
    app.add_domain(CasebookDomain)
    app.add_directive("case", directives.CaseDirective)
    app.add_directive("case-list", directives.CaseListDirective)
    app.add_directive("case-table", directives.CaseTableDirective)
    app.add_directive("case-index", directives.CaseIndexDirective)
    app.add_directive("resource-guide", directives.ResourceGuideDirective)
    app.add_directive("question", questions.QuestionDirective)
    app.add_directive("question-index", questions.QuestionIndexDirective)
    app.add_directive("case-wanted", questions.CaseWantedDirective)
    app.add_directive("cases-wanted", questions.CasesWantedDirective)
    app.add_directive("casebook-reference", reference.CasebookReferenceDirective)
    app.add_event(reference.ROWS_EVENT)  # other extensions' rows on the reference page (e.g. casebook_ext.linkcheck)
    app.connect("doctree-read", collect.add_case_sections, priority=collect.BEFORE_CONTENTS)
    app.connect("doctree-read", collect.collect_page)
    app.connect("doctree-read", strays.warn_stray_cases)
    app.add_post_transform(FillListings)
    app.add_post_transform(FillFinderTable)
    setup_latex(app)
    setup_book(app)
    app.connect("env-get-updated", dependencies.pages_to_rewrite)
    app.connect("env-check-consistency", dependencies.check_consistency)
    app.connect("env-check-consistency", redirects.check_page_names)
    app.connect("build-finished", redirects.write_redirects)
    app.connect("env-get-updated", browse.note_changes)
    app.connect("env-get-updated", exports.note_data_changes)
    app.connect("html-collect-pages", browse.collect_pages)
    app.add_css_file("casebook.css")
    app.add_js_file("casebook.js", loading_method="defer")
    app.connect("build-finished", exports.write_data)
    app.connect("builder-inited", navigation.reset)
    app.connect("html-page-context", navigation.collapse_toctree, priority=navigation.PRIORITY)
    app.connect("html-page-context", navigation.mark_furo_navigation, priority=navigation.AFTER_THEME)
    app.connect("html-page-context", assets.prune_unused_assets)
    app.connect("builder-inited", assets.reset_written)
    app.connect("doctree-resolved", assets.note_written)
    app.connect("build-finished", assets.tidy_search_index)
    app.connect("builder-inited", collection.freeze_after_loading, priority=collection.LAST)
    app.connect("env-updated", collection.freeze_before_writing, priority=collection.LAST)
    app.connect("build-finished", collection.thaw, priority=collection.LAST)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

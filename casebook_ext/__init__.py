"""Mission Casebook: structured, cross-referenced policy cases for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of stored data changes, so old environments are rebuilt.
ENV_VERSION = 3


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the casebook: one flat list of what it adds to Sphinx.

    The imports are here rather than at the top of the module so that ``import casebook_ext``
    (which the ``casebook`` command does) does not load Sphinx's writers and the bibliography.
    """
    from casebook_ext import (
        browse,
        citeblock,
        citestyle,
        collect,
        config,
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
        reference,
        roles,
    )
    from casebook_ext.book import setup_book
    from casebook_ext.domain import CasebookDomain
    from casebook_ext.latex import setup_latex
    from casebook_ext.transforms import FillListings

    citestyle.register()
    config.register(app)
    app.connect("config-inited", config.check)
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
    app.connect("doctree-read", collect.add_case_sections, priority=collect.BEFORE_CONTENTS)
    app.connect("doctree-read", collect.collect_page)
    app.add_post_transform(FillListings)
    setup_latex(app)
    setup_book(app)
    app.connect("env-get-updated", dependencies.pages_to_rewrite)
    app.connect("env-check-consistency", dependencies.check_consistency)
    app.connect("env-get-updated", browse.note_changes)
    app.connect("html-collect-pages", browse.collect_pages)
    app.add_css_file("casebook.css")
    app.add_js_file("casebook.js", loading_method="defer")
    app.connect("build-finished", exports.write_data)
    app.connect("html-page-context", navigation.collapse_toctree, priority=navigation.PRIORITY)
    # >>> link checker (until it becomes its own extension)
    from casebook_ext.linkcheck import settings as linkcheck_settings
    from casebook_ext.linkcheck.builder import LinkcheckBuilder
    from casebook_ext.linkcheck.directive import LinkcheckSchemaDirective

    app.add_builder(LinkcheckBuilder)
    app.add_directive("casebook-linkcheck-schema", LinkcheckSchemaDirective)
    linkcheck_settings.register(app)
    # <<< link checker
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

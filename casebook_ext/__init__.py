"""Mission Casebook: structured, cross-referenced policy cases for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of stored data changes, so old environments are rebuilt.
ENV_VERSION = 2


def setup(app: Sphinx) -> dict[str, Any]:
    from docutils import nodes as docutils_nodes

    from casebook_ext import config, dependencies, directives, navigation, nodes, output, questions, reference, roles
    from casebook_ext.domain import TAXONOMY_LABELS, CasebookDomain, collect_sections
    from casebook_ext.latex import PrintCases
    from casebook_ext.transforms import FillListings

    config.register(app)
    app.connect("config-inited", config.check)
    nodes.register(app)
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
    for name in ("case", "resource", "question", "wanted", *TAXONOMY_LABELS):
        app.add_role(name, roles.CasebookRole(innernodeclass=docutils_nodes.inline))
    app.connect("doctree-read", collect_sections)
    app.add_post_transform(FillListings)
    app.add_post_transform(PrintCases)
    app.connect("env-get-updated", dependencies.pages_to_rewrite)
    app.connect("env-check-consistency", dependencies.check_consistency)
    app.add_css_file("casebook.css")
    app.connect("build-finished", output.write_assets)
    app.connect("html-page-context", navigation.collapse_toctree, priority=navigation.PRIORITY)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

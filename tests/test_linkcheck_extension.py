"""``casebook_ext.linkcheck`` is an extension of its own: the core neither loads nor imports it."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project
from sphinx.testing.util import SphinxTestApp

import casebook_ext
from casebook_ext.linkcheck import config, problems
from casebook_ext.linkcheck.collect import citation_refs

PACKAGE = Path(casebook_ext.__file__).parent


def test_the_core_does_not_import_the_link_checker() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            assert not any(n.startswith("casebook_ext.linkcheck") for n in names), path.name


def _conf(copy: Project, extensions: str) -> None:
    text = copy.read("conf.py").splitlines()
    copy.write("conf.py", "\n".join([f"extensions = {extensions}", *text[1:]]) + "\n")


def test_without_the_extension_there_is_no_link_check(
    project: Callable[[str], Project], make_app: Callable[..., SphinxTestApp]
) -> None:
    copy = project("linkcheck")
    _conf(copy, '["myst_parser", "sphinxcontrib.bibtex", "casebook_ext"]')
    app = make_app("html", srcdir=copy.path, builddir=copy.path / "_build")
    assert "casebook_linkcheck_timeout" not in app.config
    assert "casebook-linkcheck" not in app.registry.builders


def test_the_extension_alone_brings_the_casebook_and_its_settings(
    project: Callable[[str], Project], make_app: Callable[..., SphinxTestApp]
) -> None:
    copy = project("linkcheck")
    _conf(copy, '["myst_parser", "sphinxcontrib.bibtex", "casebook_ext.linkcheck"]')
    app = make_app("casebook-linkcheck", srcdir=copy.path, builddir=copy.path / "_build")
    assert "casebook_ext" in app.extensions  # the cases it maps links to
    assert all(config.PREFIX + spec.name in app.config for spec in config.FIELDS)
    assert app.config.casebook_linkcheck_cache_unverifiable_max_age == "6h"
    extension = app.extensions["casebook_ext.linkcheck"]
    assert extension.version == casebook_ext.__version__
    assert extension.parallel_read_safe is True and extension.parallel_write_safe is True


def test_changing_a_link_check_setting_does_not_reread_the_pages(
    project: Callable[[str], Project], make_app: Callable[..., SphinxTestApp]
) -> None:
    copy = project("linkcheck")
    make_app("html", srcdir=copy.path, builddir=copy.path / "_build").build()
    app = make_app(
        "html", srcdir=copy.path, builddir=copy.path / "_build", confoverrides={"casebook_linkcheck_timeout": "3s"}
    )
    app.build()
    assert "0 added, 0 changed, 0 removed" in app.status.getvalue()


def test_the_reference_rows_are_the_extensions_tables() -> None:
    rows = config.reference_rows("config")
    assert [r[0] for r in rows] == [config.PREFIX + s.name for s in config.FIELDS]
    assert ("casebook_linkcheck_cache_unverifiable_max_age", "'6h'") == rows[9][:2]
    assert [r[0] for r in config.reference_rows("warnings")] == [f"casebook.{name}" for name in problems.SUBTYPES]
    assert config.reference_rows("fields") == []


def test_every_link_check_subtype_is_one_the_code_can_emit() -> None:
    code = "".join(
        p.read_text(encoding="utf8") for p in (PACKAGE / "linkcheck").glob("*.py") if p.name != "problems.py"
    )
    assert [name for name in problems.SUBTYPES if f'"{name}"' not in code] == []


@pytest.mark.parametrize("bibtex", [True, False])
def test_citation_refs_reads_the_cite_roles_through_sphinxcontrib_bibtex(
    project: Callable[[str], Project], make_app: Callable[..., SphinxTestApp], bibtex: bool
) -> None:
    copy = project("linkcheck")
    if not bibtex:
        _conf(copy, '["myst_parser", "casebook_ext"]')
        copy.write("page.md", "# A page\n")
        copy.write("references.md", "# References\n")
    app = make_app("html", srcdir=copy.path, builddir=copy.path / "_build")
    app.build()
    refs = citation_refs(app.env)
    if bibtex:
        assert [(r.docname, [t.key for t in r.targets]) for r in refs] == [("page", ["shared"])]
    else:
        assert refs == []

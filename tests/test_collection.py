"""The collector is kept off the objects reading left alive while pages are written, and only then."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp


def _freeze_counts_while_writing(app: SphinxTestApp) -> list[int]:
    counts: list[int] = []

    def note(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        counts.append(gc.get_freeze_count())

    app.connect("doctree-resolved", note)
    return counts


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_pages_are_written_with_what_reading_left_frozen_and_nothing_stays_frozen_after(
    app: SphinxTestApp,
) -> None:
    counts = _freeze_counts_while_writing(app)
    app.build()
    assert counts and min(counts) > 0  # the environment and the modules, out of the collector's walks
    assert gc.get_freeze_count() == 0  # handed back: whatever a build leaves behind can be collected
    assert app.warning.getvalue() == ""


def test_a_build_that_fails_while_writing_leaves_nothing_frozen(make_app, rootdir: Path, tmp_path: Path) -> None:
    target = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", target)
    app = make_app("html", srcdir=target, builddir=tmp_path / "out", freshenv=True)

    def fail(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        raise RuntimeError("a writer's failure")

    app.connect("doctree-resolved", fail)
    with pytest.raises(Exception, match="a writer's failure"):
        app.build()
    assert gc.get_freeze_count() == 0

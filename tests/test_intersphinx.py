"""Another Sphinx project links to cases through the casebook's objects.inv."""

from __future__ import annotations

import shutil
from pathlib import Path


def test_another_project_links_to_cases_through_intersphinx(make_app, rootdir: Path, tmp_path: Path) -> None:
    shutil.copytree(rootdir / "test-basic", tmp_path / "casebook")
    casebook = make_app("html", srcdir=tmp_path / "casebook")
    casebook.build()
    inventory = Path(casebook.outdir) / "objects.inv"
    casebook.cleanup()  # one Sphinx application at a time in a process

    shutil.copytree(rootdir / "test-intersphinx", tmp_path / "site")
    site = make_app(
        "html",
        srcdir=tmp_path / "site",
        confoverrides={"intersphinx_mapping": {"cb": ("https://casebook.example/", str(inventory))}, "nitpicky": True},
    )
    site.build()
    assert site.warning.getvalue() == ""
    html = (Path(site.outdir) / "index.html").read_text(encoding="utf8")
    assert 'href="https://casebook.example/cases/alpha.html#casebook-case-alpha"' in html
    assert 'href="https://casebook.example/cases/beta.html#casebook-case-beta"' in html
    # The link text is the case's title, as on the casebook itself.
    assert "Alpha &lt;b&gt;city&lt;/b&gt; mission" in html

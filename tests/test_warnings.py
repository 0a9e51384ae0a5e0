"""Every mistake a contributor can make is a filterable warning at its file and line."""

from __future__ import annotations

import re

import pytest
from sphinx.util.console import strip_colors

EXPECTED = [
    # (file, line, subtype, words in the message)
    ("bad.md", 5, "summary_too_long", "characters"),
    ("bad.md", 6, "bad_country", "did you mean 'GB'"),
    ("bad.md", 7, "unknown_term", "'city'"),
    ("bad.md", 8, "bad_years", "ends before it starts"),
    ("bad.md", 10, "unknown_term", "did you mean 'assessment'"),
    ("bad.md", 11, "unknown_field", "'colour'"),
    ("bad.md", 12, "unknown_related", "'no-such-case'"),
    ("bad.md", 14, "bad_date", "YYYY-MM-DD"),
    ("dupe.md", 3, "duplicate_id", "'bad-case'"),
    ("rst.rst", 4, "missing_field", "'summary'"),
    ("rst.rst", 4, "missing_field", "'resources'"),
    ("rst.rst", 12, "bad_id", "'not-a-slug'"),
    ("listing.md", 4, "bad_filter", "did you mean 'pillar'"),
    ("listing.md", 5, "bad_filter", "'XX'"),
    ("listing.md", 6, "bad_filter", "'newest'"),
    ("listing.md", 9, "bad_filter", "did you mean 'pillar'"),
]


def parse(warnings: str) -> list[tuple[str, int, str, str]]:
    from sphinx.util.console import strip_colors

    found = []
    for line in strip_colors(warnings).splitlines():
        match = re.match(r"(.+?):(\d+): WARNING: (.*) \[casebook\.(\w+)\]$", line)
        if match:
            found.append((match.group(1).rsplit("/", 1)[-1], int(match.group(2)), match.group(4), match.group(3)))
    return found


@pytest.mark.sphinx("html", testroot="warnings", freshenv=True, confoverrides={"nitpicky": True})
def test_each_problem_warns_at_its_line_with_its_subtype(app) -> None:
    from sphinx.util.console import strip_colors

    app.build()
    found = parse(app.warning.getvalue())
    for file, line, subtype, words in EXPECTED:
        assert any(f == file and ln == line and s == subtype and words in msg for f, ln, s, msg in found), (
            f"no {subtype} at {file}:{line} mentioning {words!r} in:\n{app.warning.getvalue()}"
        )
    assert {s for _, _, s, _ in found} >= {e[2] for e in EXPECTED}
    # An unknown case in a role is Sphinx's own missing-reference warning, at the referencing line.
    assert re.search(
        r"index.rst:11: WARNING: casebook:case reference target not found: nowhere",
        strip_colors(app.warning.getvalue()),
    )


@pytest.mark.sphinx(
    "html", testroot="warnings", freshenv=True, confoverrides={"suppress_warnings": ["casebook.unknown_term"]}
)
def test_one_kind_can_be_suppressed(app) -> None:
    app.build()
    found = parse(app.warning.getvalue())
    assert "unknown_term" not in {s for _, _, s, _ in found}
    assert "bad_country" in {s for _, _, s, _ in found}


@pytest.mark.sphinx("html", testroot="warnings", freshenv=True, warningiserror=True)
def test_a_strict_build_fails_on_a_casebook_warning(app) -> None:
    app.build()
    assert app.statuscode == 1  # what makes sphinx-build -W exit non-zero


@pytest.mark.sphinx("html", testroot="warnings", freshenv=True)
def test_a_case_with_problems_still_renders_what_is_valid(app) -> None:
    app.build()
    html = (app.outdir / "bad.html").read_text(encoding="utf8")
    assert 'id="casebook-case-bad-case"' in html
    assert "2023-2019" not in html  # the invalid range is reported, not shown as if valid


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("casebook_extra_terms", {"colour": {"red": "Red"}}, "unknown vocabulary 'colour'"),
        ("casebook_extra_terms", ["instrument"], "must be a dict, not list"),
        ("casebook_extra_terms", "instrument", "must be a dict, not str"),
        ("casebook_summary_max_length", 0, "must be a positive integer"),
    ],
)
def test_a_bad_setting_is_a_typed_warning_and_the_build_goes_on_with_the_default(
    make_app, tmp_path, rootdir, setting: str, value: object, message: str
) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-warnings", src)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf8") + f"{setting} = {value!r}\n", encoding="utf8")
    line = len(conf.read_text(encoding="utf8").splitlines())
    app = make_app("html", srcdir=src)
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    found = rf"conf\.py:{line}: WARNING: {setting}.*{re.escape(message)}.*the default is used \[casebook\.bad_config\]"
    assert re.search(found, warnings), warnings
    assert "Traceback" not in warnings
    assert (app.outdir / "bad.html").is_file()  # the build went on

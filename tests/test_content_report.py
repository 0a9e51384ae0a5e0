"""The content report counts what a maintainer reads it for: prose, sources, fields, silences."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "devtools"))

from content_report import parse, report

CASE = """# Alpha

:::{case} alpha
:title: Alpha
:summary: A city buys differently.
:years:
:resources: one, two
:::

## Overview

The council changed how it buys {cite:p}`two,three`. Its {term}`mission <x>` was set in 2020.

## Outcomes

The sources do not say what came of it.
"""


def test_a_case_is_counted_from_its_prose_fields_and_citations() -> None:
    case = parse("alpha", CASE)
    assert case.sources == {"one", "two", "three"}
    assert case.fields == {"title", "summary", "resources"}  # an empty field is not filled
    assert case.silences == 1
    assert case.words == len(
        "The council changed how it buys Its mission was set in 2020 The sources do not say what came of it".split()
    )


def test_the_report_compares_each_case_and_the_totals() -> None:
    text = report(
        {"alpha": CASE},
        {"alpha": CASE.replace("The sources do not say what came of it.", "It saved money."), "beta": CASE},
    )
    lines = text.splitlines()
    assert any(line.startswith("beta") and "\u2013 \u2192 " in line for line in lines)
    assert "1 → 0" in next(line for line in lines if line.startswith("alpha"))
    assert lines[-1].startswith("all (1 → 2 cases)")

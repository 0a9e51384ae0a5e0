"""At 1,000 cases the finder still shows exactly the right cases (benchmarks/finder.py measures its speed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import harness
from .finder_model import (
    choose,
    expected_status,
    matching,
    narrowing_pair,
    shown,
    shown_counts,
    value_counts,
    wait_for_status,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .harness import OpenPage

N = 1000
BENCHMARKS = harness.REPO / "benchmarks"


def build_synthetic(n: int, root: Path) -> Path:
    """benchmarks/finder.py's casebook of ``n`` cases: scale.py's generator and conf, and a finder page."""
    spec = importlib.util.spec_from_file_location("casebook_finder_benchmark", BENCHMARKS / "finder.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    sys.path.insert(0, str(BENCHMARKS))  # for its `import scale`
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    html: Path = module.build_synthetic(n, root)
    return html


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The synthetic casebook, served, and its cases as its cases.json publishes them."""
    html = build_synthetic(N, tmp_path_factory.mktemp(f"casebook-{N}"))
    cases = json.loads((html / "cases.json").read_text(encoding="utf-8"))["cases"]
    with harness.serve(html) as base:
        yield base, cases


def test_two_facets_at_a_thousand_cases(open_page: OpenPage, synthetic: tuple[str, list[dict[str, Any]]]) -> None:
    base, cases = synthetic
    assert len(cases) == N
    visit = open_page(base + "finder.html")
    page = visit.page
    level, instrument = narrowing_pair(cases, "level", "instrument")
    choose(page, "level", level)
    choose(page, "instrument", instrument)
    chosen = {"level": [level], "instrument": [instrument]}
    expected = matching(cases, chosen)
    wait_for_status(page, expected_status(len(expected), N))
    assert shown(page) == expected
    assert shown_counts(page) == value_counts(cases, chosen)
    # scale.py's conf names no icon, so the browser asks for /favicon.ico, which the synthetic site lacks.
    visit.console_errors = [e for e in visit.console_errors if "/favicon.ico" not in e]
    visit.failed = [f for f in visit.failed if "/favicon.ico" not in f]
    visit.assert_clean()

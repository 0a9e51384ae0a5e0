"""Every URL and DOI in ``bib/`` is recorded in the verified reference material beside the checkout.

``../shared/tools/check-sources`` is the project's rule for sources: nothing is published from
memory. The suite runs it whenever ``../shared`` sits beside the checkout, as it does in CI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHECK = REPO.parent / "shared" / "tools" / "check-sources"

needs_shared = pytest.mark.skipif(not CHECK.is_file(), reason=f"no {CHECK} beside the checkout")


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True, text=True, check=False)


@needs_shared
def test_every_url_and_doi_in_the_bibliography_is_recorded_in_the_reference_material() -> None:
    result = run_check(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every URL and DOI in bib/ is recorded" in result.stdout


@needs_shared
def test_a_source_the_reference_material_does_not_record_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "new.bib").write_text(
        "@misc{made2026up,\n  title = {Not verified},\n  url = {https://unverified.example.org/page},\n}\n",
        encoding="utf-8",
    )
    result = run_check(tmp_path)
    assert result.returncode == 1
    assert "bib/new.bib:3: url https://unverified.example.org/page is not in shared/reference/" in result.stdout

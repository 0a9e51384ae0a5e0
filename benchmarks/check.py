"""Check benchmark: how long ``casebook check`` takes on the real casebook and on N synthetic cases.

The synthetic casebook is the scale benchmark's (``benchmarks/scale.py``: same cases, pages and
conf.py), written to a temporary folder. Each check runs as a contributor runs it, a fresh
``python -m casebook_ext check`` process, so interpreter start-up and imports are counted::

    python benchmarks/check.py [--sizes 3000] [--repeat 3]

The targets are under one second for the real casebook and under five seconds for 3,000 cases;
the script prints the times and does not fail on them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from scale import CONF_COMMON, ext_pages, generate, write_project

REPO = Path(__file__).parent.parent
BIB = """@misc{report2023,
  author = {{Example Institute}},
  title = {An example round-up report},
  year = {2023},
  url = {https://example.org/report},
}
"""


def check_time(folder: Path, repeat: int) -> tuple[float, str]:
    """The fastest of ``repeat`` runs of ``casebook check`` on ``folder``, and its summary line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    best, summary = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "casebook_ext", "check", str(folder)],
            capture_output=True,
            text=True,
            check=False,
            cwd=folder.parent,
            env=env,
        )
        best = min(best, time.perf_counter() - start)
        summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
    return best, summary


def synthetic(n: int, folder: Path) -> Path:
    """The scale benchmark's casebook of ``n`` cases, with a bibliography so resource keys are checked."""
    conf = 'extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext"]\nbibtex_bibfiles = ["refs.bib"]\n'
    write_project(folder, ext_pages(generate(n)), conf + CONF_COMMON)
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000], help="numbers of synthetic cases")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is shown")
    args = parser.parse_args()
    rows = [("real casebook (docs/)", *check_time(REPO / "docs", args.repeat))]
    with tempfile.TemporaryDirectory(prefix="casebook-check-") as temp:
        for n in args.sizes:
            folder = synthetic(n, Path(temp) / f"n{n}")
            rows.append((f"N = {n} synthetic cases", *check_time(folder, args.repeat)))
    print(f"casebook check, fastest of {args.repeat} run(s), each a fresh process ({sys.executable})")
    for label, seconds, summary in rows:
        print(f"  {label:<26} {seconds:6.2f} s   {summary}")


if __name__ == "__main__":
    main()

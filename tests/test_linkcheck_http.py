"""The checker against a local web server on 127.0.0.1: every outcome, politeness and time bounds.

Nothing here touches the internet: the server below plays every kind of site (and the DOI
resolver), and DNS is a fake resolver that knows only names the tests give it.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from casebook_ext.linkcheck.check import Checker, check_all, prejudge
from casebook_ext.linkcheck.fetch import FetchError
from casebook_ext.linkcheck.model import Options, Outcome, Place, PlaceKind, Result, Target, TargetKind

KNOWN_DOIS = {"10.1234/example.2020", "10.5555/shared"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    web: ClassVar[FakeWeb]

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, status: int, body: bytes = b"ok", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        web = self.web
        path = self.path
        with web.lock:
            web.hits[path] += 1
            web.inflight += 1
            web.max_inflight = max(web.max_inflight, web.inflight)
            hits = web.hits[path]
            web.log.append((time.monotonic(), path))
        try:
            self._route(path, hits)
        finally:
            with web.lock:
                web.inflight -= 1

    def _route(self, path: str, hits: int) -> None:
        parts = path.split("?", 1)[0].strip("/").split("/")
        head = parts[0]
        if head == "ok":
            self._send(200)
        elif head == "status":
            self._send(int(parts[1]), b"status")
        elif head == "redirect":  # /redirect/301/rest/of/path -> /rest/of/path
            self._send(int(parts[1]), b"", {"Location": "/" + "/".join(parts[2:])})
        elif head == "absolute-redirect":  # an absolute Location to another port of 127.0.0.1
            self._send(301, b"", {"Location": f"http://127.0.0.1:{parts[1]}/" + "/".join(parts[2:])})
        elif head == "loop":
            self._send(302, b"", {"Location": "/loop/b" if parts[1] == "a" else "/loop/a"})
        elif head == "cookie-check":  # a loop for clients without cookies, as some publishers do
            if "seen=1" in (self.headers.get("Cookie") or ""):
                self._send(200)
            else:
                self._send(302, b"", {"Location": path, "Set-Cookie": "seen=1; Path=/"})
        elif head == "rate":
            self._rate(parts[1], hits)
        elif head == "slow":
            time.sleep(float(parts[1]))
            self._send(200)
        elif head == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif head == "api" and parts[1] == "handles":
            doi = "/".join(parts[2:]).lower()
            if doi in KNOWN_DOIS:
                self._send(200, json.dumps({"responseCode": 1, "handle": doi}).encode(), {"Content-Type": "json"})
            else:
                self._send(404, json.dumps({"responseCode": 100, "handle": doi}).encode())
        else:
            self._send(404, b"no route")

    def _rate(self, kind: str, hits: int) -> None:
        if kind == "once" and hits == 1:
            self._send(429, b"slow down", {"Retry-After": "1"})
        elif kind == "noheader" and hits == 1:
            self._send(429, b"slow down")
        elif kind == "forever":
            self._send(429, b"slow down", {"Retry-After": "1"})
        elif kind == "long":
            self._send(429, b"slow down", {"Retry-After": "3600"})
        elif kind == "unavailable" and hits == 1:
            self._send(503, b"busy", {"Retry-After": "0"})
        else:
            self._send(200)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:  # a client that hung up
        return


class FakeWeb:
    """A web of one host on 127.0.0.1 that counts every request it answers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.inflight = 0
        self.max_inflight = 0
        self.log: list[tuple[float, str]] = []
        handler = type("Handler", (_Handler,), {"web": self})
        self.server = _Server(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def requests(self) -> int:
        return sum(self.hits.values())

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.max_inflight = 0
            self.log.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve() -> Iterator[FakeWeb]:
    """A fresh server for one test (each test module declares its ``web`` fixture with this)."""
    server = FakeWeb()
    yield server
    server.close()


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    yield from serve()


def fast_options(web: FakeWeb, **changes: object) -> Options:
    """Small limits so that every bound is reached in well under a second or two."""
    base: dict[str, object] = {
        "timeout": 1.0,
        "run_timeout": 30.0,
        "workers": 8,
        "per_host": 8,
        "retries": 1,
        "backoff": 0.05,
        "retry_after_max": 2.0,
        "doi_resolver": web.base,
    }
    base.update(changes)
    return Options(**base)  # type: ignore[arg-type]


def url_target(url: str) -> Target:
    return Target(url, TargetKind.URL, url, places=(Place("page.md", 1, PlaceKind.LINK, url, docname="page"),))


def doi_target(doi: str) -> Target:
    place = Place("refs.bib", 1, PlaceKind.BIBTEX, doi, key="k", field="doi")
    return Target("doi:" + doi.lower(), TargetKind.DOI, "https://doi.org/" + doi, doi=doi, places=(place,))


def check(web: FakeWeb, path_or_url: str, **changes: object) -> Result:
    url = path_or_url if "://" in path_or_url else web.url(path_or_url)
    target = url_target(url)
    results, _ = check_all([target], fast_options(web, **changes))
    return results[target.key]


# --- outcomes ---------------------------------------------------------------------------------


def test_a_200_is_working(web: FakeWeb) -> None:
    result = check(web, "/ok")
    assert (result.outcome, result.status, result.redirects) == (Outcome.WORKING, 200, ())
    assert web.hits["/ok"] == 1


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_is_reported_with_its_final_url_and_a_safe_replacement(web: FakeWeb, status: int) -> None:
    result = check(web, f"/redirect/{status}/ok")
    assert result.outcome is Outcome.REDIRECTED
    assert result.final_url == web.url("/ok") == result.permanent_url
    assert [h.status for h in result.redirects] == [status]


def test_a_chain_is_followed_and_only_its_permanent_part_is_suggested(web: FakeWeb) -> None:
    result = check(web, "/redirect/301/redirect/308/redirect/302/ok")
    assert result.outcome is Outcome.REDIRECTED
    assert [h.status for h in result.redirects] == [301, 308, 302]
    assert result.final_url == web.url("/ok")
    # The 302 is temporary: the safe replacement is where the permanent hops lead, not the final URL.
    assert result.permanent_url == web.url("/redirect/302/ok")
    assert check(web, "/redirect/302/ok").permanent_url == ""


def test_a_redirect_loop_is_broken_but_a_cookie_check_is_passed(web: FakeWeb) -> None:
    loop = check(web, "/loop/a")
    assert (loop.outcome, loop.reason) == (Outcome.BROKEN, "redirect loop")
    assert web.requests <= 3
    cookie = check(web, "/cookie-check")
    assert cookie.outcome is Outcome.REDIRECTED and cookie.status == 200


def test_a_redirect_to_a_missing_page_is_broken(web: FakeWeb) -> None:
    result = check(web, "/redirect/301/status/404")
    assert (result.outcome, result.status, result.final_url) == (Outcome.BROKEN, 404, web.url("/status/404"))


@pytest.mark.parametrize(("status", "outcome"), [(404, Outcome.BROKEN), (410, Outcome.BROKEN)])
def test_404_and_410_are_broken(web: FakeWeb, status: int, outcome: Outcome) -> None:
    result = check(web, f"/status/{status}")
    assert (result.outcome, result.status) == (outcome, status)
    assert web.hits[f"/status/{status}"] == 1  # a definite answer is not asked twice


@pytest.mark.parametrize("status", [403, 401, 999])
def test_bot_blocking_is_unverifiable_not_broken(web: FakeWeb, status: int) -> None:
    result = check(web, f"/status/{status}")
    assert (result.outcome, result.status) == (Outcome.UNVERIFIABLE, status)
    assert "browser" in result.reason


def test_a_5xx_is_retried_then_unverifiable(web: FakeWeb) -> None:
    result = check(web, "/status/500", retries=2)
    assert (result.outcome, result.status, result.attempts) == (Outcome.UNVERIFIABLE, 500, 3)
    assert check(web, "/rate/unavailable/x").outcome is Outcome.WORKING  # a 503 that recovers


def test_429_with_retry_after_is_honoured_then_working(web: FakeWeb) -> None:
    started = time.monotonic()
    result = check(web, "/rate/once/a")
    assert (result.outcome, result.attempts) == (Outcome.WORKING, 2)
    assert time.monotonic() - started >= 0.95  # it waited the second it was asked to
    first, second = [t for t, p in web.log if p == "/rate/once/a"]
    assert second - first >= 0.95


def test_429_without_retry_after_backs_off_then_working(web: FakeWeb) -> None:
    result = check(web, "/rate/noheader/a")
    assert (result.outcome, result.attempts) == (Outcome.WORKING, 2)


def test_a_server_that_never_stops_answering_429_ends_unverifiable_within_the_bounds(web: FakeWeb) -> None:
    started = time.monotonic()
    result = check(web, "/rate/forever", retries=2)
    elapsed = time.monotonic() - started
    assert (result.outcome, result.status, result.attempts) == (Outcome.UNVERIFIABLE, 429, 3)
    assert "still after 3 attempts" in result.reason
    assert elapsed < 2 * 1.0 + 1.5  # two waits of one second, not an endless loop


def test_a_retry_after_beyond_the_cap_is_unverifiable_at_once(web: FakeWeb) -> None:
    started = time.monotonic()
    result = check(web, "/rate/long")
    assert result.outcome is Outcome.UNVERIFIABLE and "3600 s" in result.reason and "cap" in result.reason
    assert time.monotonic() - started < 1.5  # not even the 2 s cap was waited
    assert web.hits["/rate/long"] == 1


def test_a_response_slower_than_the_timeout_is_unverifiable(web: FakeWeb) -> None:
    started = time.monotonic()
    result = check(web, "/slow/3", timeout=0.5)
    assert (result.outcome, result.reason) == (Outcome.UNVERIFIABLE, "no answer within 0.5 s")
    assert time.monotonic() - started < 2.0  # the server would have taken 3 s


def test_a_dropped_connection_is_retried_then_unverifiable(web: FakeWeb) -> None:
    result = check(web, "/drop", retries=1)
    assert result.outcome is Outcome.UNVERIFIABLE and "without answering" in result.reason
    assert web.hits["/drop"] == 2


def test_a_refused_connection_is_broken(web: FakeWeb) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check(web, f"http://127.0.0.1:{port}/x")
    assert result.outcome is Outcome.BROKEN and "refused" in result.reason


@pytest.fixture
def tls_web(tmp_path: Path) -> Iterator[tuple[FakeWeb, Path]]:
    """The same web over HTTPS, with a self-signed certificate for 127.0.0.1."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    server = FakeWeb()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    yield server, cert
    server.close()


def test_https_is_checked_and_an_untrusted_certificate_is_unverifiable(tls_web: tuple[FakeWeb, Path]) -> None:
    import ssl

    web, cert = tls_web
    target = url_target(f"https://127.0.0.1:{web.port}/ok")
    results, _ = check_all([target], fast_options(web))
    assert results[target.key].outcome is Outcome.UNVERIFIABLE and "TLS" in results[target.key].reason
    trusting = ssl.create_default_context(cafile=str(cert))
    results, _ = check_all([target], fast_options(web), tls=trusting)
    assert results[target.key].outcome is Outcome.WORKING


def test_a_dns_failure_is_broken(web: FakeWeb) -> None:
    async def resolver(host: str, port: int) -> list[tuple[str, int]]:
        if host == "known.test":
            return [("127.0.0.1", web.port)]
        raise FetchError("dns", f"DNS lookup of {host} failed (Name or service not known)")

    targets = [url_target(f"http://known.test:{web.port}/ok"), url_target("http://nowhere.test/x")]
    results, requests = check_all(targets, fast_options(web), resolver=resolver)
    assert results[targets[0].key].outcome is Outcome.WORKING
    assert results[targets[1].key].outcome is Outcome.BROKEN and "DNS" in results[targets[1].key].reason
    assert requests == 2  # counted per request attempt, whatever its fate


@pytest.mark.parametrize(
    ("url", "outcome", "words"),
    [
        ("http://", Outcome.BROKEN, "no host"),
        ("https://exa mple.org/x", Outcome.BROKEN, "space"),
        ("http://[::1/x", Outcome.BROKEN, "does not parse"),
        ("http://example.org:99999/", Outcome.BROKEN, "does not parse"),
        ("http://exa..mple.org/", Outcome.BROKEN, "not a valid name"),
        ("example.org/no-scheme", Outcome.BROKEN, "no scheme"),
        ("mailto:someone@example.org", Outcome.IGNORED, "not checked"),
        ("ftp://example.org/file", Outcome.IGNORED, "not checked"),
    ],
)
def test_malformed_urls_are_broken_without_a_request(url: str, outcome: Outcome, words: str) -> None:
    result = prejudge(url_target(url), [])
    assert result is not None and result.outcome is outcome and words in result.reason


def test_ignore_patterns_apply_to_the_url_as_written() -> None:
    import re

    result = prejudge(url_target("https://www.linkedin.com/in/someone"), [re.compile(r"linkedin\.com")])
    assert result is not None and result.outcome is Outcome.IGNORED


# --- DOIs ----------------------------------------------------------------------------------------


def test_dois_are_asked_of_the_resolver_handle_api(web: FakeWeb) -> None:
    known, unknown, malformed = doi_target("10.1234/Example.2020"), doi_target("10.9999/nope"), doi_target("10.12")
    results, requests = check_all([known, unknown, malformed], fast_options(web))
    assert results[known.key].outcome is Outcome.WORKING and "responseCode 1" in results[known.key].reason
    assert results[unknown.key].outcome is Outcome.BROKEN and "responseCode 100" in results[unknown.key].reason
    assert results[malformed.key].outcome is Outcome.BROKEN  # not a DOI: judged without asking
    assert set(web.hits) == {"/api/handles/10.1234/Example.2020", "/api/handles/10.9999/nope"}
    assert requests == 2


def test_an_unreachable_resolver_makes_dois_unverifiable_not_broken(web: FakeWeb) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = doi_target("10.1234/example.2020")
    results, _ = check_all([target], fast_options(web, doi_resolver=f"http://127.0.0.1:{port}"))
    assert results[target.key].outcome is Outcome.UNVERIFIABLE


# --- politeness and bounds -------------------------------------------------------------------------


def test_requests_to_one_host_stay_within_its_limit(web: FakeWeb) -> None:
    targets = [url_target(web.url(f"/slow/0.2?{i}")) for i in range(8)]
    started = time.monotonic()
    results, _ = check_all(targets, fast_options(web, workers=8, per_host=2))
    assert all(r.outcome is Outcome.WORKING for r in results.values())
    assert web.max_inflight == 2
    assert time.monotonic() - started >= 0.75  # four rounds of two


def test_a_slow_host_does_not_stall_the_others(web: FakeWeb) -> None:
    other = FakeWeb()
    try:
        slow = [url_target(web.url(f"/slow/1?{i}")) for i in range(4)]
        fast = [url_target(other.url(f"/ok?{i}")) for i in range(20)]
        finished: dict[str, float] = {}
        started = time.monotonic()

        async def run() -> None:
            checker = Checker(fast_options(web, workers=4, per_host=2))
            checker._slots = asyncio.Semaphore(4)

            async def one(target: Target) -> None:
                await checker.check(target)
                finished[target.key] = time.monotonic() - started

            await asyncio.gather(*(one(t) for t in [*slow, *fast]))

        asyncio.run(run())
        # Every fast link is done before the first slow one, while the slow host holds its two slots.
        assert max(finished[t.key] for t in fast) < min(finished[t.key] for t in slow)
        assert max(finished[t.key] for t in slow) >= 1.9
    finally:
        other.close()


def test_a_429_pauses_the_whole_host_for_the_time_it_asked(web: FakeWeb) -> None:
    targets = [url_target(web.url("/rate/once/p")), *(url_target(web.url(f"/ok?{i}")) for i in range(6))]
    check_all(targets, fast_options(web, workers=1, per_host=1))
    first_429 = next(t for t, p in web.log if p == "/rate/once/p")
    later = [t for t, p in web.log if t > first_429]
    assert len(later) == 7  # the six others and the retry, all sent after the pause
    assert all(t - first_429 >= 0.95 for t in later)


def test_the_run_timeout_ends_the_run_and_marks_the_rest_unverifiable(web: FakeWeb) -> None:
    targets = [url_target(web.url("/ok")), *(url_target(web.url(f"/slow/5?{i}")) for i in range(3))]
    started = time.monotonic()
    results, _ = check_all(targets, fast_options(web, timeout=10.0, run_timeout=0.7))
    assert time.monotonic() - started < 2.5  # not the 5 s the slow links would take
    assert results[targets[0].key].outcome is Outcome.WORKING
    for target in targets[1:]:
        assert results[target.key].outcome is Outcome.UNVERIFIABLE
        assert "time limit" in results[target.key].reason

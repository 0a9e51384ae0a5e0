"""The checker against a local web server on 127.0.0.1: every outcome, politeness and bounds.

Nothing here touches the internet: the server below plays every kind of site (and the DOI
resolver), and DNS is the system's lookup stubbed to know only the names the tests give it.
No test measures time: waits are recorded (the checker takes a ``sleep``), and order is read
from the server's log, so a slow machine cannot fail a test.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from casebook_ext.linkcheck.check import check_all, prejudge
from casebook_ext.linkcheck.model import Options, Outcome, Place, PlaceKind, Result, Target, TargetKind

KNOWN_DOIS = {"10.1234/example.2020", "10.5555/shared"}
PAGE = (
    b"<!doctype html><html><head><title>A page</title></head><body>"
    b'<h2 id="history">History</h2><a name="old-style"></a><p id="caf\xc3\xa9">Caf\xc3\xa9</p>'
    b'<h2 id="user-content-install">Install</h2></body></html>'
)
CHUNK = b"<p>" + b"filler " * 9000 + b"</p>\n"  # about 63 KiB


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
        if not self.web.keep_alive:
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
            web.log.append(path)
            web.connections.add(self.client_address)
        try:
            self._route(path, hits)
        finally:
            with web.lock:
                web.inflight -= 1
            if web.after is not None:
                web.after(path)

    def _route(self, path: str, hits: int) -> None:
        parts = path.split("?", 1)[0].strip("/").split("/")
        head = parts[0]
        if head == "ok":
            self._send(200, PAGE, {"Content-Type": "text/html; charset=utf-8"})
        elif head == "text":
            self._send(200, b"plain text, no anchors", {"Content-Type": "text/plain"})
        elif head == "status":
            self._send(int(parts[1]), b"status")
        elif head == "redirect":  # /redirect/301/rest/of/path -> /rest/of/path
            self._send(int(parts[1]), b"", {"Location": "/" + "/".join(parts[2:])})
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
        elif head == "hold":  # answers once the test lets it (or after 10 s)
            if self.web.on_hold is not None:
                self.web.on_hold()
            released = self.web.release.wait(10)
            with self.web.lock:
                self.web.held.append(released)
            self._send(200)
        elif head == "long":  # an endless HTML page: /long/<anchor at its start>
            self._long(parts[1] if len(parts) > 1 else "")
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

    def _long(self, anchor: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        first = f'<!doctype html><h1 id="{anchor}">Top</h1>'.encode()
        try:
            for chunk in [first] + [CHUNK] * 1000:  # about 63 MiB in all
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                with self.web.lock:
                    self.web.chunks_sent += 1
            self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client read what it needed and hung up
            self.close_connection = True

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

    def __init__(self, keep_alive: bool = False) -> None:
        self.lock = threading.Lock()
        self.keep_alive = keep_alive
        self.hits: Counter[str] = Counter()
        self.inflight = 0
        self.max_inflight = 0
        self.chunks_sent = 0
        self.log: list[str] = []  # paths in the order their requests arrived
        self.connections: set[tuple[str, int]] = set()  # client (address, port) pairs: one per connection
        self.release = threading.Event()
        self.held: list[bool] = []  # for each /hold answered: released in time (True) or timed out
        self.on_hold: Callable[[], None] | None = None  # called when a /hold request arrives
        self.after: Callable[[str], None] | None = None  # called once each request is answered
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
            self.connections.clear()

    def close(self) -> None:
        self.release.set()
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


class Waits:
    """A ``sleep`` for the checker that records each wait and takes none."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        import asyncio

        self.seconds.append(seconds)
        await asyncio.sleep(0)


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


def url_target(url: str, anchor: str = "") -> Target:
    written = f"{url}#{anchor}" if anchor else url
    place = Place("page.md", 1, PlaceKind.LINK, written, docname="page")
    return Target(f"{url}#{anchor}" if anchor else url, TargetKind.URL, url, places=(place,), anchor=anchor)


def doi_target(doi: str) -> Target:
    place = Place("refs.bib", 1, PlaceKind.BIBTEX, doi, key="k", field="doi")
    return Target("doi:" + doi.lower(), TargetKind.DOI, "https://doi.org/" + doi, doi=doi, places=(place,))


def check(web: FakeWeb, path_or_url: str, waits: Waits | None = None, **changes: object) -> Result:
    url = path_or_url if "://" in path_or_url else web.url(path_or_url)
    target = url_target(url)
    results, _ = check_all([target], fast_options(web, **changes), sleep=waits)
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


def test_a_redirect_loop_is_broken_as_soon_as_it_comes_back(web: FakeWeb) -> None:
    loop = check(web, "/loop/a")
    assert (loop.outcome, loop.reason) == (Outcome.BROKEN, "redirect loop")
    assert web.log == ["/loop/a", "/loop/b"]  # b sends back to a: no third request to learn it


def test_a_cookie_check_is_passed_not_taken_for_a_loop(web: FakeWeb) -> None:
    cookie = check(web, "/cookie-check")
    assert cookie.outcome is Outcome.REDIRECTED and cookie.status == 200
    assert web.log == ["/cookie-check", "/cookie-check"]


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
    waits = Waits()
    result = check(web, "/rate/once/a", waits)
    assert (result.outcome, result.attempts) == (Outcome.WORKING, 2)
    assert len(waits.seconds) == 1 and 0.9 < waits.seconds[0] <= 1.0  # it waited the second it was asked to
    assert web.log == ["/rate/once/a", "/rate/once/a"]


def test_429_without_retry_after_backs_off_then_working(web: FakeWeb) -> None:
    waits = Waits()
    result = check(web, "/rate/noheader/a", waits, backoff=0.25)
    assert (result.outcome, result.attempts) == (Outcome.WORKING, 2)
    assert len(waits.seconds) == 1 and 0.2 < waits.seconds[0] <= 0.25  # the first back-off


def test_a_server_that_never_stops_answering_429_ends_unverifiable_within_the_bounds(web: FakeWeb) -> None:
    waits = Waits()
    result = check(web, "/rate/forever", waits, retries=2)
    assert (result.outcome, result.status, result.attempts) == (Outcome.UNVERIFIABLE, 429, 3)
    assert "still after 3 attempts" in result.reason
    assert len(waits.seconds) == 2 and all(0.9 < w <= 1.0 for w in waits.seconds)  # two waits, then it stops


def test_a_retry_after_beyond_the_cap_is_unverifiable_at_once(web: FakeWeb) -> None:
    waits = Waits()
    result = check(web, "/rate/long", waits)
    assert result.outcome is Outcome.UNVERIFIABLE and "3600 s" in result.reason and "cap" in result.reason
    assert waits.seconds == []  # not even the 2 s cap was waited
    assert web.hits["/rate/long"] == 1


def test_a_response_slower_than_the_timeout_is_unverifiable(web: FakeWeb) -> None:
    result = check(web, "/slow/3", timeout=0.5)
    # Had the deadline not held, the server's answer (after 3 s) would have made it working.
    assert (result.outcome, result.reason) == (Outcome.UNVERIFIABLE, "no answer within 0.5 s")


def test_a_dropped_connection_is_retried_then_unverifiable(web: FakeWeb) -> None:
    result = check(web, "/drop", retries=1)
    assert result.outcome is Outcome.UNVERIFIABLE and "without answering" in result.reason
    assert web.hits["/drop"] == 2


def _free_port() -> int:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_asked_again_then_broken() -> None:
    waits = Waits()
    target = url_target(f"http://127.0.0.1:{_free_port()}/x")
    results, requests = check_all([target], Options(retries=2, backoff=0.5), sleep=waits)
    result = results[target.key]
    assert result.outcome is Outcome.BROKEN and "refused" in result.reason and "3 attempts" in result.reason
    assert requests == 3 and waits.seconds == [0.5, 1.0]  # backing off, doubling


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
    results, _ = check_all([target], fast_options(web))  # the system's trust store knows no such certificate
    assert results[target.key].outcome is Outcome.UNVERIFIABLE and "TLS" in results[target.key].reason
    trusting = ssl.create_default_context(cafile=str(cert))
    results, _ = check_all([target], fast_options(web), tls=trusting)
    assert results[target.key].outcome is Outcome.WORKING


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch, web: FakeWeb) -> None:
    """The system's name lookup, knowing ``known.test`` (the local server), and two kinds of failure."""
    real = socket.getaddrinfo

    def lookup(host: object, port: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name == "known.test":
            return real("127.0.0.1", port, *args, **kwargs)  # type: ignore[arg-type]
        if name == "nowhere.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if name == "flaky.test":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)


@pytest.mark.usefixtures("dns")
def test_a_name_that_does_not_exist_is_broken_at_once_and_a_dns_hiccup_is_retried(web: FakeWeb) -> None:
    known = url_target(f"http://known.test:{web.port}/ok")
    nowhere = url_target("http://nowhere.test/x")
    flaky = url_target("http://flaky.test/x")
    results, requests = check_all([known, nowhere, flaky], fast_options(web, retries=2))
    assert results[known.key].outcome is Outcome.WORKING
    assert results[nowhere.key].outcome is Outcome.BROKEN and "does not exist" in results[nowhere.key].reason
    assert results[nowhere.key].attempts == 1  # nothing to wait for
    assert results[flaky.key].outcome is Outcome.UNVERIFIABLE and "DNS" in results[flaky.key].reason
    assert results[flaky.key].attempts == 3  # asked again twice, then unverifiable, not broken
    assert requests == 1 + 1 + 3  # counted per request attempt, whatever its fate


def test_connections_are_reused_for_links_to_one_host() -> None:
    web = FakeWeb(keep_alive=True)
    try:
        targets = [url_target(web.url(f"/ok?{i}")) for i in range(6)]
        results, _ = check_all(targets, fast_options(web, workers=1, per_host=1))
        assert all(r.outcome is Outcome.WORKING for r in results.values())
        assert web.requests == 6 and len(web.connections) == 1
    finally:
        web.close()


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


# --- anchors ---------------------------------------------------------------------------------------


def test_anchors_are_looked_up_in_the_page_with_one_request(web: FakeWeb) -> None:
    anchors = ["history", "old-style", "caf%C3%A9", "install", "nowhere"]
    targets = [url_target(web.url("/ok")), *(url_target(web.url("/ok"), a) for a in anchors)]
    results, requests = check_all(targets, fast_options(web))
    outcome = {t.anchor: results[t.key].outcome for t in targets}
    assert outcome == {
        "": Outcome.WORKING,
        "history": Outcome.WORKING,  # an id
        "old-style": Outcome.WORKING,  # a name on <a>
        "caf%C3%A9": Outcome.WORKING,  # percent-encoded, as a browser decodes it
        "install": Outcome.WORKING,  # GitHub's user-content- prefix
        "nowhere": Outcome.BROKEN,
    }
    missing = results[web.url("/ok#nowhere")]
    assert "no anchor #nowhere" in missing.reason and missing.status == 200
    assert requests == 1 and web.hits["/ok"] == 1


def test_an_anchor_after_redirects_is_looked_up_in_the_final_page(web: FakeWeb) -> None:
    found, missing = url_target(web.url("/redirect/301/ok"), "history"), url_target(web.url("/redirect/301/ok"), "x")
    results, _ = check_all([found, missing], fast_options(web))
    assert results[found.key].outcome is Outcome.REDIRECTED and results[found.key].permanent_url == web.url("/ok")
    assert results[missing.key].outcome is Outcome.BROKEN and results[missing.key].final_url == web.url("/ok")


def test_an_anchor_in_a_page_that_is_not_html_is_not_judged(web: FakeWeb) -> None:
    target = url_target(web.url("/text"), "page=3")
    results, _ = check_all([target], fast_options(web))
    assert results[target.key].outcome is Outcome.WORKING and "not an HTML page" in results[target.key].reason


def test_reading_stops_once_the_anchor_is_found_and_at_the_limit_if_it_never_is(web: FakeWeb) -> None:
    found = url_target(web.url("/long/top"), "top")
    results, _ = check_all([found], fast_options(web, timeout=20.0))
    assert results[found.key].outcome is Outcome.WORKING
    assert web.chunks_sent < 1001  # the client hung up long before the end of the page
    web.chunks_sent = 0
    missing = url_target(web.url("/long/top"), "bottom")
    results, _ = check_all([missing], fast_options(web, timeout=20.0))
    result = results[missing.key]
    assert result.outcome is Outcome.UNVERIFIABLE and "first 8 MiB" in result.reason
    assert web.chunks_sent < 1001


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
    target = doi_target("10.1234/example.2020")
    results, _ = check_all([target], fast_options(web, doi_resolver=f"http://127.0.0.1:{_free_port()}"))
    assert results[target.key].outcome is Outcome.UNVERIFIABLE


# --- politeness and bounds -------------------------------------------------------------------------


def test_requests_to_one_host_stay_within_its_limit(web: FakeWeb) -> None:
    targets = [url_target(web.url(f"/slow/0.2?{i}")) for i in range(8)]
    results, _ = check_all(targets, fast_options(web, workers=8, per_host=2))
    assert all(r.outcome is Outcome.WORKING for r in results.values())
    assert web.max_inflight == 2


def test_a_slow_host_does_not_stall_the_others(web: FakeWeb) -> None:
    other = FakeWeb()
    try:
        slow = [url_target(web.url(f"/hold?{i}")) for i in range(4)]
        fast = [url_target(other.url(f"/ok?{i}")) for i in range(20)]
        answered: list[str] = []

        def count(path: str) -> None:  # the slow host answers only once every fast link has been answered
            answered.append(path)
            if len(answered) == len(fast):
                web.release.set()

        other.after = count
        results, _ = check_all([*slow, *fast], fast_options(web, workers=4, per_host=2, timeout=15.0))
        # Had the slow host held every worker, no fast link would have been answered before the
        # slow ones gave up waiting (10 s), and the release would not have come from the fast ones.
        assert all(r.outcome is Outcome.WORKING for r in results.values())
        assert len(answered) == 20 and web.held == [True] * 4
        assert web.log.count("/hold?0") == 1 and web.max_inflight == 2  # never more than its two slots
    finally:
        other.close()


def test_a_429_pauses_the_whole_host_for_the_time_it_asked(web: FakeWeb) -> None:
    waits = Waits()
    targets = [url_target(web.url("/rate/once/p")), *(url_target(web.url(f"/ok?{i}")) for i in range(6))]
    check_all(targets, fast_options(web, workers=1, per_host=1), sleep=waits)
    assert web.log[0] == "/rate/once/p"
    # The six others and the retry each waited for the host to resume (about the second it asked).
    assert len(web.log) == 8 and len(waits.seconds) == 7
    assert all(0.5 < w <= 1.0 for w in waits.seconds)


def test_the_run_timeout_ends_the_run_and_marks_the_rest_unverifiable(web: FakeWeb) -> None:
    targets = [url_target(web.url("/ok")), *(url_target(web.url(f"/hold?{i}")) for i in range(3))]
    results, _ = check_all(targets, fast_options(web, timeout=10.0, run_timeout=0.7))
    assert results[targets[0].key].outcome is Outcome.WORKING
    for target in targets[1:]:  # held past the deadline: not checked, and not remembered as checked
        assert results[target.key].outcome is Outcome.UNVERIFIABLE
        assert "time limit" in results[target.key].reason and results[target.key].checked_at == 0


def test_a_proxy_from_the_environment_is_used(web: FakeWeb, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", web.base)  # the fake web plays the proxy: it sees the full URL
    target = url_target("http://example.invalid/page")
    results, _ = check_all([target], fast_options(web))
    assert web.log == ["http://example.invalid/page"]
    assert results[target.key].outcome is Outcome.BROKEN  # the proxy answered 404 (no such route)


def test_a_check_started_inside_a_running_event_loop_runs_on_its_own(web: FakeWeb) -> None:
    import asyncio

    async def caller() -> dict[str, Result]:  # e.g. a notebook, or a tool that drives Sphinx from asyncio
        return check_all([url_target(web.url("/ok"))], fast_options(web))[0]

    results = asyncio.run(caller())
    assert results[web.url("/ok")].outcome is Outcome.WORKING

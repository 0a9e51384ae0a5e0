"""One GET through httpx: the status and headers, and only as much of the body as the check needs.

httpx brings what a hand-written client lacked: HTTP/2 (when ``h2`` is installed), connection
reuse, proxies from the environment (``trust_env``) and TLS verified against the system's trust
store. This module turns its errors into the checker's kinds, so that a host name that does not
exist (broken) is told apart from a DNS server that did not answer (worth asking again).
"""

from __future__ import annotations

import http.cookiejar
import importlib.util
import socket
import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from casebook_ext.linkcheck.anchors import AnchorFinder, Scan, is_html

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.7"
#: A body this small is read to its end, so the connection goes back to the pool for the next link.
DRAIN_LIMIT = 64 * 1024
#: The most of a page read while looking for its ``#anchors``.
ANCHOR_LIMIT = 8 * 1024 * 1024
#: getaddrinfo errors that mean the name does not exist (a browser could not open it either).
_NO_SUCH_NAME = frozenset(e for e in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if e is not None)


class FetchError(Exception):
    """A request that got no HTTP answer; ``kind`` says why.

    ``dns`` (the name does not exist), ``dns_temporary``, ``refused``, ``connect``, ``tls``,
    ``dropped``, ``proxy``, ``malformed`` or ``protocol``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes = b""
    #: What was found of the wanted anchors (2xx HTML answers only); ``None`` when not looked for.
    scan: Scan | None = None


def client(*, workers: int, timeout: float, tls: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """One client for the whole run: connections are reused, proxies come from the environment."""
    no_cookies = httpx.Cookies()
    no_cookies.jar.set_policy(_NoCookies())  # each check keeps its own cookies (see check._Attempts)
    return httpx.AsyncClient(
        http2=importlib.util.find_spec("h2") is not None,
        verify=tls or ssl.create_default_context(),
        trust_env=True,
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=max(1, workers)),
        cookies=no_cookies,
    )


def _causes(error: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in out:
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def classify(error: httpx.HTTPError, url: str) -> FetchError | TimeoutError:
    """The checker's view of an httpx error: a kind and a sentence, or a timeout."""
    if isinstance(error, httpx.TimeoutException):
        return TimeoutError(str(error))
    host = urlsplit(url).hostname or url
    causes = _causes(error)
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            if cause.errno in _NO_SUCH_NAME:
                return FetchError("dns", f"the host name {host} does not exist (DNS: {cause.strerror})")
            return FetchError("dns_temporary", f"DNS lookup of {host} failed ({cause.strerror})")
        if isinstance(cause, ssl.SSLError):
            reason = getattr(cause, "verify_message", None) or cause.reason or str(cause)
            return FetchError("tls", f"TLS failed with {host}: {reason}")
        if isinstance(cause, ConnectionRefusedError):
            return FetchError("refused", f"connection refused by {host}:{urlsplit(url).port or ''}".rstrip(":"))
    if isinstance(error, httpx.ProxyError):
        return FetchError("proxy", f"the proxy failed: {error}")
    if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FetchError("malformed", f"malformed URL ({error})")
    if isinstance(error, httpx.ConnectError):
        return FetchError("connect", f"could not connect to {host}: {error}")
    if isinstance(error, httpx.RemoteProtocolError):
        text = str(error)
        if "without sending" in text or "disconnected" in text:
            return FetchError("dropped", "the server closed the connection without answering")
        return FetchError("protocol", f"malformed answer ({text})")
    if isinstance(error, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return FetchError("dropped", f"the connection was dropped ({error.__class__.__name__})")
    return FetchError("protocol", f"the request failed ({error.__class__.__name__}: {error})")


async def fetch(
    http: httpx.AsyncClient,
    url: str,
    *,
    headers: Mapping[str, str],
    body_limit: int = 0,
    anchors: frozenset[str] = frozenset(),
) -> Response:
    """GET ``url`` once, without following redirects; the caller sets the deadline.

    The body is read only as far as needed: ``body_limit`` bytes (the DOI resolver's JSON),
    the wanted ``anchors`` of a 2xx HTML page, or a small body read to its end to keep the
    connection; anything else is left unread and the stream closed.
    """
    try:
        request = http.build_request("GET", url, headers=dict(headers))
        response = await http.send(request, stream=True)
    except httpx.HTTPError as error:
        raise classify(error, url) from None
    try:
        body = b""
        scan = None
        if body_limit:
            body = await _read(response, body_limit)
        elif anchors and 200 <= response.status_code < 300:
            scan = await _scan(response, anchors)
        else:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) <= DRAIN_LIMIT:
                await response.aread()
        return Response(response.status_code, response.reason_phrase, response.headers, body, scan)
    except httpx.HTTPError as error:
        raise classify(error, url) from None
    finally:
        await response.aclose()


async def _read(response: httpx.Response, limit: int) -> bytes:
    body = b""
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= limit:
            break
    return body[:limit]


async def _scan(response: httpx.Response, anchors: frozenset[str]) -> Scan:
    """Read the page until every wanted anchor is found, it ends, or :data:`ANCHOR_LIMIT` is reached."""
    if not is_html(response.headers.get("Content-Type", "")):
        return Scan(html=False)
    finder = AnchorFinder(anchors, response.charset_encoding or "utf-8")
    read = 0
    async for chunk in response.aiter_bytes():
        read += len(chunk)
        if finder.feed(chunk):
            return finder.result(complete=True)
        if read >= ANCHOR_LIMIT:
            return finder.result(complete=False)
    finder.close()
    return finder.result(complete=True)


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """A cookie policy that accepts none: the client's jar stays empty, whatever servers set."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return False

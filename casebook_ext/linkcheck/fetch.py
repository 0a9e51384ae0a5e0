"""A small HTTP/1.1 client on asyncio streams: one GET, its status line and headers, and a short body.

Stdlib only. A link check needs the status, ``Location``, ``Retry-After`` and ``Set-Cookie``
headers and, for the DOI resolver, a few hundred bytes of JSON; never a page body. asyncio
gives what ``http.client`` in threads does not: one deadline covering DNS, connecting, the
TLS handshake and every read (a server that drips bytes cannot hold a request past it), and
cancellation when the run's own deadline passes.
"""

from __future__ import annotations

import asyncio
import email.parser
import http.client
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.message import Message

from casebook_ext.linkcheck.urls import request_target

#: (host, port) -> addresses to try; tests pass a fake one so nothing leaves 127.0.0.1.
Resolver = Callable[[str, int], Awaitable[list[tuple[str, int]]]]
HEAD_LIMIT = 64 * 1024
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.7"


class FetchError(Exception):
    """A request that got no HTTP answer; ``kind`` says why (``dns``, ``refused``, ``dropped``, ``tls``...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: Message
    body: bytes = b""


async def system_resolver(host: str, port: int) -> list[tuple[str, int]]:
    """The system's name lookup, without blocking the event loop."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError("dns", f"DNS lookup of {host} failed ({error.strerror})") from None
    seen: list[tuple[str, int]] = []
    for info in infos:
        address = (str(info[4][0]), int(info[4][1]))
        if address not in seen:
            seen.append(address)
    return seen


async def _connect(
    addresses: list[tuple[str, int]], host: str, tls: ssl.SSLContext | None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect to the first address that answers; all refusing means the server is not there."""
    errors: list[OSError] = []
    for address, port in addresses:
        try:
            return await asyncio.open_connection(
                address, port, ssl=tls, server_hostname=host if tls else None, limit=HEAD_LIMIT
            )
        except ssl.SSLError as error:
            raise FetchError("tls", f"TLS failed with {host}: {error.reason or error}") from None
        except OSError as error:
            errors.append(error)
    if errors and all(isinstance(e, ConnectionRefusedError) for e in errors):
        raise FetchError("refused", f"connection refused by {host}:{addresses[0][1]}")
    detail = errors[-1].strerror or str(errors[-1]) if errors else "no address"
    raise FetchError("connect", f"could not connect to {host}: {detail}")


def _request_bytes(host: str, port: int, scheme: str, path: str, headers: Mapping[str, str]) -> bytes:
    default_port = 443 if scheme == "https" else 80
    shown = f"[{host}]" if ":" in host else host
    lines = [f"GET {path} HTTP/1.1", f"Host: {shown if port == default_port else f'{shown}:{port}'}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += ["Accept-Encoding: identity", "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1", "replace")


def _parse_head(head: bytes) -> tuple[int, str, Message]:
    status_line, _, rest = head.partition(b"\r\n")
    parts = status_line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise FetchError("protocol", f"not an HTTP answer: {status_line[:60]!r}")
    headers = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(rest.decode("latin-1"))
    return int(parts[1]), parts[2].strip() if len(parts) > 2 else "", headers


async def _read_body(reader: asyncio.StreamReader, headers: Message, limit: int) -> bytes:
    """At most ``limit`` bytes of the body: enough for a resolver's JSON, never a whole page."""
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        body = b""
        while len(body) < limit:
            size_line = await reader.readline()
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        return body[:limit]
    length = headers.get("Content-Length")
    if length is not None and length.strip().isdigit():
        return await reader.readexactly(min(int(length), limit))
    body = b""
    while len(body) < limit:
        chunk = await reader.read(limit - len(body))
        if not chunk:
            break
        body += chunk
    return body


async def fetch(
    url: str,
    *,
    resolver: Resolver,
    headers: Mapping[str, str],
    tls: ssl.SSLContext,
    body_limit: int = 0,
) -> Response:
    """GET ``url`` once, without following redirects; the caller sets the deadline."""
    scheme, host, port, path = request_target(url)
    addresses = await resolver(host, port)
    reader, writer = await _connect(addresses, host, tls if scheme == "https" else None)
    answered = False
    try:
        writer.write(_request_bytes(host, port, scheme, path, headers))
        await writer.drain()
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            status, reason, message = _parse_head(head)
            answered = True
            if not 100 <= status < 200:  # skip informational answers (100 Continue, 103 Early Hints)
                break
        body = await _read_body(reader, message, body_limit) if body_limit else b""
        return Response(status, reason, message, body)
    except asyncio.IncompleteReadError as error:
        if answered or error.partial:
            raise FetchError("dropped", "the connection closed in the middle of the answer") from None
        raise FetchError("dropped", "the server closed the connection without answering") from None
    except asyncio.LimitOverrunError:
        raise FetchError("protocol", "the answer's headers are larger than 64 KiB") from None
    except ValueError as error:
        raise FetchError("protocol", f"malformed answer ({error})") from None
    except (ConnectionError, ssl.SSLError) as error:
        raise FetchError("dropped", f"the connection was dropped ({error.__class__.__name__})") from None
    finally:
        writer.transport.abort()

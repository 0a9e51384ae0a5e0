"""URLs and DOIs as written: what is checkable, what one thing two spellings are, and archive links."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

#: Hosts whose links are DOIs: checked through the DOI resolver's handle API, not the publisher.
DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/)", re.IGNORECASE)
CHECKED_SCHEMES = frozenset({"http", "https"})
_HOST_RE = re.compile(r"^[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*\.?$")


class MalformedURLError(ValueError):
    """A link no browser could open as written (no host, spaces, a bad port)."""


def bare_doi(written: str) -> str:
    """The DOI of ``doi:10.x/y``, ``https://doi.org/10.x/y`` or ``10.x/y``, as written."""
    return _DOI_PREFIX.sub("", written.strip()).strip()


def normalise_doi(written: str) -> str:
    """The DOI lower-cased, so two spellings are one check (DOIs ignore case)."""
    return bare_doi(written).lower()


def doi_of_url(url: str) -> str | None:
    """The DOI a ``https://doi.org/...`` link names, or ``None`` for any other URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in CHECKED_SCHEMES or (parts.hostname or "").lower() not in DOI_HOSTS:
        return None
    doi = unquote(parts.path.lstrip("/"))
    return doi if doi else None


def without_fragment(url: str) -> str:
    """The URL a server sees: two links differing only in their ``#anchor`` are one check."""
    return url.strip().split("#", 1)[0]


def scheme_of(url: str) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", url.strip())
    return match.group(1).lower() if match else ""


def validate(url: str) -> None:
    """Raise :class:`MalformedURLError` with the reason if an http(s) URL cannot be requested."""
    if any(ch.isspace() for ch in url):
        raise MalformedURLError("the URL contains a space or line break")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise MalformedURLError(f"the URL does not parse ({error})") from None
    host = parts.hostname or ""
    if not host:
        raise MalformedURLError("the URL has no host")
    if ":" not in host:  # IPv6 literals were checked by urlsplit
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise MalformedURLError(f"the host {host!r} is not a valid name") from None
        if not _HOST_RE.match(ascii_host):
            raise MalformedURLError(f"the host {host!r} is not a valid name")
    if port == 0:
        raise MalformedURLError("the URL's port is 0")


def host_key(url: str) -> str:
    """What politeness limits count by: host and port, as a server sees its clients."""
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    except ValueError:
        return ""


def archive_url(url: str) -> str:
    """The Wayback Machine's address for the latest copy of ``url`` (a suggestion: it may hold none)."""
    return "https://web.archive.org/web/" + url


def handle_api_url(resolver: str, doi: str) -> str:
    """The handle API address asking whether ``doi`` exists (``responseCode`` 1 yes, 100 no)."""
    base = resolver.rstrip("/")
    return f"{base}/api/handles/{quote(doi, safe='/')}"


def join(base: str, location: str) -> str:
    """Resolve a ``Location`` header against the URL that sent it."""
    joined = urljoin(base, location.strip())
    parts = urlsplit(joined)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))

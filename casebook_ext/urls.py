"""Which links the casebook publishes: only ``http``, ``https``, ``mailto`` and DOIs.

Case fields and BibTeX entries come from pull requests; a ``javascript:`` or ``data:`` URL
there must never become a live link on a reader's page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "mailto")


def safe_link(url: str) -> str:
    """``url`` if its scheme is allowed, a ``doi:`` turned into its resolver URL, else an empty string."""
    text = url.strip()
    if not text:
        return ""
    if "\x00" in text or any(ord(ch) < 32 for ch in text):
        return ""
    scheme = urlsplit(text).scheme.lower()
    if scheme == "doi":
        return "https://doi.org/" + text[4:].lstrip("/")
    if scheme in SAFE_SCHEMES and (scheme == "mailto" or urlsplit(text).netloc):
        return text
    return ""


def scheme_of(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()

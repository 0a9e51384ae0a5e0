"""Checking targets politely: bounded concurrency, per-host limits, capped waits, one deadline per run.

Every wait (``Retry-After``, back-off) happens without holding a connection slot, and a host
that answers slowly holds at most ``per_host`` of the ``workers`` slots, so one slow or
rate-limiting server never stalls the others. Each target gets an :class:`Outcome`:

* working: 2xx, or a DOI the resolver knows;
* redirected: 2xx after 3xx hops (the final URL, and the URL a permanent chain settles on);
* broken: 404 or 410, a DNS failure, a refused connection, a redirect loop, a malformed URL,
  or a DOI the resolver does not know;
* unverifiable: 401, 403, 999 and other refusals, 429 or 5xx after the retries, a ``Retry-After``
  longer than the cap, a timeout, a dropped connection: nothing proves the link dead;
* ignored: a scheme that is not fetched (``mailto:``...) or a URL matching ``ignore``.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import ssl
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus

from casebook_ext.linkcheck.fetch import ACCEPT, FetchError, Resolver, Response, fetch, system_resolver
from casebook_ext.linkcheck.model import Hop, Options, Outcome, Result, Target, TargetKind
from casebook_ext.linkcheck.urls import (
    CHECKED_SCHEMES,
    DOI_RE,
    MalformedURLError,
    bare_doi,
    handle_api_url,
    host_key,
    join,
    normalise_doi,
    scheme_of,
    validate,
)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
BROKEN_STATUSES = frozenset({404, 410})
#: Worth asking again after a pause: rate limits and server trouble.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def prejudge(target: Target, ignore: Sequence[re.Pattern[str]]) -> Result | None:
    """The outcome of a target that needs no request: ignored, or malformed as written."""
    written = target.doi if target.kind is TargetKind.DOI else target.url
    for pattern in ignore:
        if pattern.search(written) or pattern.search(target.url):
            return Result(Outcome.IGNORED, f"matches the ignore pattern {pattern.pattern!r}")
    if target.kind is TargetKind.DOI:
        if not DOI_RE.match(normalise_doi(target.doi)):
            return Result(Outcome.BROKEN, f"{target.doi!r} is not a DOI (a DOI looks like 10.1234/abc)")
        return None
    scheme = scheme_of(target.url)
    if not scheme:
        return Result(Outcome.BROKEN, "malformed URL: it has no scheme (http:// or https://)")
    if scheme not in CHECKED_SCHEMES:
        return Result(Outcome.IGNORED, f"{scheme}: links are not checked")
    try:
        validate(target.url)
    except MalformedURLError as error:
        return Result(Outcome.BROKEN, f"malformed URL: {error}")
    return None


def retry_after(response: Response, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), if any."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe(status: int, reason: str = "") -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = reason or "unknown status"
    return f"{status} {phrase}"


@dataclass
class _Host:
    """Politeness state of one host: its slots, and when it asked us to come back."""

    slots: asyncio.Semaphore
    resume_at: float = 0.0


@dataclass
class _Attempts:
    count: int = 0
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)


class _FailedCheckError(Exception):
    """Ends one target's check early with its result."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.reason)
        self.result = result


class Checker:
    """Checks targets with bounded concurrency; counts the requests it sends."""

    def __init__(self, options: Options, resolver: Resolver | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.options = options
        self.resolver = resolver or system_resolver
        self.requests = 0
        self._tls = tls or ssl.create_default_context()
        self._hosts: dict[str, _Host] = {}
        self._slots: asyncio.Semaphore | None = None
        self._headers = {"User-Agent": options.user_agent, "Accept": ACCEPT, "Accept-Language": "en;q=0.9, *;q=0.5"}

    async def run(self, targets: Iterable[Target]) -> dict[str, Result]:
        """Every target's result; those the run's deadline cut short are unverifiable."""
        self._slots = asyncio.Semaphore(max(1, self.options.workers))
        tasks = {t.key: asyncio.create_task(self.check(t)) for t in targets}
        if not tasks:
            return {}
        done, pending = await asyncio.wait(tasks.values(), timeout=self.options.run_timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        results: dict[str, Result] = {}
        for key, task in tasks.items():
            if task in done and task.exception() is None:
                results[key] = task.result()
            elif task in done:
                error = task.exception()
                results[key] = Result(Outcome.UNVERIFIABLE, f"the check failed: {error!r}", checked_at=time.time())
            else:
                results[key] = Result(
                    Outcome.UNVERIFIABLE,
                    f"not checked: the run's time limit ({self.options.run_timeout:g} s) ran out first",
                    checked_at=time.time(),
                )
        return results

    async def check(self, target: Target) -> Result:
        attempts = _Attempts()
        judged = prejudge(target, ())
        if judged is not None:
            return judged
        try:
            if target.kind is TargetKind.DOI:
                result = await self._check_doi(bare_doi(target.doi), attempts)
            else:
                result = await self._check_url(target.url, attempts)
        except _FailedCheckError as failure:
            result = failure.result
        return Result(
            result.outcome,
            result.reason,
            result.status,
            result.final_url,
            result.redirects,
            result.permanent_url,
            attempts.count,
            time.time(),
        )

    # --- one URL: follow redirects, classify the final answer ------------------------------

    async def _follow(self, url: str, attempts: _Attempts, body_limit: int = 0) -> tuple[Response, list[Hop]]:
        """The final answer after redirects, and the hops taken; loops and dead ends raise."""
        hops: list[Hop] = []
        seen = {(url, "")}
        current = url
        while True:
            response = await self._ask(current, attempts, hops, body_limit)
            location = response.headers.get("Location")
            if response.status not in REDIRECTS or not location:
                return response, hops
            following = join(current, location)
            hops.append(Hop(current, response.status, following))
            state = (following, repr(sorted(attempts.cookies.get(host_key(following), {}).items())))
            if state in seen:
                raise _FailedCheckError(self._result(Outcome.BROKEN, "redirect loop", response.status, following, hops))
            seen.add(state)
            if len(hops) > self.options.max_redirects:
                reason = f"more than {self.options.max_redirects} redirects"
                raise _FailedCheckError(self._result(Outcome.BROKEN, reason, response.status, following, hops))
            if scheme_of(following) not in CHECKED_SCHEMES:
                reason = f"redirects to a {scheme_of(following) or 'relative'}: address, which is not checked"
                raise _FailedCheckError(self._result(Outcome.UNVERIFIABLE, reason, response.status, following, hops))
            try:
                validate(following)
            except MalformedURLError as error:
                reason = f"redirects to a malformed URL ({error})"
                raise _FailedCheckError(
                    self._result(Outcome.BROKEN, reason, response.status, following, hops)
                ) from None
            current = following

    async def _check_url(self, url: str, attempts: _Attempts) -> Result:
        response, hops = await self._follow(url, attempts)
        final = hops[-1].location if hops else url
        status = response.status
        if 200 <= status < 300:
            outcome = Outcome.REDIRECTED if hops else Outcome.WORKING
            reason = describe(status, response.reason)
            if hops:
                kinds = "permanent" if all(h.status in PERMANENT for h in hops) else "temporary"
                reason = f"{kinds} redirect ({len(hops)} hop{'s' if len(hops) > 1 else ''}), then {reason}"
            return self._result(outcome, reason, status, final, hops)
        if status in BROKEN_STATUSES:
            return self._result(Outcome.BROKEN, describe(status, response.reason), status, final, hops)
        if status in RETRY_STATUSES:
            reason = f"{describe(status, response.reason)}, still after {attempts.count} attempts"
            return self._result(Outcome.UNVERIFIABLE, reason, status, final, hops)
        reason = describe(status, response.reason)
        if status in (401, 403, 999):
            reason += " (the site turns automated checks away; check it in a browser)"
        return self._result(Outcome.UNVERIFIABLE, reason, status, final, hops)

    def _result(self, outcome: Outcome, reason: str, status: int | None, final: str, hops: list[Hop]) -> Result:
        permanent = ""
        for hop in hops:
            if hop.status not in PERMANENT:
                break
            permanent = hop.location
        return Result(outcome, reason, status, final if hops else "", tuple(hops), permanent)

    # --- one DOI: ask the resolver's handle API --------------------------------------------

    async def _check_doi(self, doi: str, attempts: _Attempts) -> Result:
        api = handle_api_url(self.options.doi_resolver, doi)
        try:
            response, _ = await self._follow(api, attempts, body_limit=64 * 1024)
        except _FailedCheckError as failure:
            return Result(Outcome.UNVERIFIABLE, f"the DOI resolver did not answer: {failure.result.reason}")
        try:
            code = json.loads(response.body.decode("utf-8")).get("responseCode")
        except (ValueError, AttributeError):
            code = None
        if code in (1, 200):  # 200: the handle exists but has no values of the type asked for
            return Result(Outcome.WORKING, f"the DOI exists (handle API responseCode {code})", response.status)
        if code == 100:
            return Result(Outcome.BROKEN, "the DOI resolver does not know this DOI (responseCode 100)", response.status)
        shown = f"responseCode {code}" if code is not None else describe(response.status, response.reason)
        return Result(Outcome.UNVERIFIABLE, f"unexpected answer from the DOI resolver ({shown})", response.status)

    # --- one request, with retries and politeness --------------------------------------------

    async def _ask(self, url: str, attempts: _Attempts, hops: list[Hop], body_limit: int) -> Response:
        """One answer for ``url``, asking again after 429/5xx/dropped connections within the limits."""
        options = self.options
        tries = 0
        host = self._host(host_key(url))
        while True:
            tries += 1
            attempts.count += 1
            try:
                response = await self._send(url, host, attempts, body_limit)
            except TimeoutError:
                reason = f"no answer within {options.timeout:g} s"
                raise _FailedCheckError(self._result(Outcome.UNVERIFIABLE, reason, None, url, hops)) from None
            except FetchError as error:
                if error.kind in ("dns", "refused"):
                    raise _FailedCheckError(self._result(Outcome.BROKEN, str(error), None, url, hops)) from None
                if error.kind == "dropped" and tries <= options.retries:
                    await asyncio.sleep(options.backoff * 2 ** (tries - 1))
                    continue
                raise _FailedCheckError(self._result(Outcome.UNVERIFIABLE, str(error), None, url, hops)) from None
            if response.status not in RETRY_STATUSES or tries > options.retries:
                return response
            wait = retry_after(response)
            if wait is None:
                wait = options.backoff * 2 ** (tries - 1)
            elif wait > options.retry_after_max:
                reason = (
                    f"{describe(response.status, response.reason)}: the server asked to wait {wait:g} s, "
                    f"more than the {options.retry_after_max:g} s cap"
                )
                raise _FailedCheckError(self._result(Outcome.UNVERIFIABLE, reason, response.status, url, hops))
            if response.status == 429:  # the host asked every client request to wait, not just this one
                loop = asyncio.get_running_loop()
                host.resume_at = max(host.resume_at, loop.time() + wait)
            await asyncio.sleep(wait)

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(max(1, self.options.per_host)))
        return host

    async def _send(self, url: str, host: _Host, attempts: _Attempts, body_limit: int) -> Response:
        assert self._slots is not None
        loop = asyncio.get_running_loop()
        async with host.slots:
            delay = host.resume_at - loop.time()
            if delay > 0:  # waiting here holds a host slot (the host is paused anyway), never a worker
                await asyncio.sleep(delay)
            async with self._slots:
                self.requests += 1
                headers = dict(self._headers)
                jar = attempts.cookies.get(host_key(url))
                if jar:
                    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
                async with asyncio.timeout(self.options.timeout):
                    response = await fetch(
                        url, resolver=self.resolver, headers=headers, tls=self._tls, body_limit=body_limit
                    )
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if name.strip():
                attempts.cookies.setdefault(host_key(url), {})[name.strip()] = value.strip()
        return response


def check_all(
    targets: Sequence[Target], options: Options, resolver: Resolver | None = None, tls: ssl.SSLContext | None = None
) -> tuple[dict[str, Result], int]:
    """Check ``targets`` on a fresh event loop (in a thread if the caller already runs one)."""
    checker = Checker(options, resolver, tls)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(checker.run(targets)), checker.requests
    box: dict[str, dict[str, Result]] = {}
    thread = threading.Thread(target=lambda: box.setdefault("r", asyncio.run(checker.run(targets))))
    thread.start()
    thread.join()
    return box["r"], checker.requests

"""Checking targets politely: bounded concurrency, per-host limits, capped waits, one deadline per run.

Every wait (``Retry-After``, back-off) happens without holding a connection slot, and a host
that answers slowly holds at most ``per_host`` of the ``workers`` slots, so one slow or
rate-limiting server never stalls the others. Links to one page that differ only in their
``#anchor`` share one request. Each target gets an :class:`Outcome`:

* working: 2xx, or a DOI the resolver knows;
* redirected: 2xx after 3xx hops (the final URL, and the URL a permanent chain settles on);
* broken: 404 or 410, a host name that does not exist, a refused connection (after the
  retries), a redirect loop, a malformed URL, an ``#anchor`` the HTML page does not have, or
  a DOI the resolver does not know;
* unverifiable: 401, 403, 999 and other refusals; 429, 5xx, a dropped connection, a DNS server
  that did not answer or another connection failure still after the retries; a ``Retry-After``
  longer than the cap; a timeout; a TLS failure: nothing proves the link dead;
* ignored: a scheme that is not fetched (``mailto:``...) or a URL matching ``ignore``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import json
import re
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus

import httpx

from casebook_ext.linkcheck import fetch as http
from casebook_ext.linkcheck.fetch import ACCEPT, FetchError, Response
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
#: Failures without an answer that are worth asking again; still failing, they are unverifiable
#: (``refused`` is asked again too, but a server still refusing is broken).
TRANSIENT = frozenset({"dns_temporary", "connect", "dropped", "proxy", "refused"})
BROKEN_KINDS = frozenset({"dns", "refused", "malformed"})

Sleep = Callable[[float], Awaitable[None]]


def prejudge(target: Target, ignore: Sequence[re.Pattern[str]]) -> Result | None:
    """The outcome of a target that needs no request: ignored, or malformed as written."""
    written = target.doi if target.kind is TargetKind.DOI else target.url
    for pattern in ignore:
        if pattern.search(written) or pattern.search(target.shown):
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


def with_anchor(page: Result, anchor: str, response: Response | None) -> Result:
    """The result of ``page#anchor`` given the page's result and what its body showed."""
    if page.outcome not in (Outcome.WORKING, Outcome.REDIRECTED) or response is None:
        return page
    scan = response.scan
    if scan is None or not scan.html:
        return dataclasses.replace(page, reason=f"{page.reason}; #{anchor} not checked (not an HTML page)")
    if anchor in scan.found:
        return dataclasses.replace(page, reason=f"{page.reason}, anchor #{anchor} found")
    if not scan.complete:
        reason = f"{page.reason}, but #{anchor} is not in the first {http.ANCHOR_LIMIT // 2**20} MiB of the page"
        return dataclasses.replace(page, outcome=Outcome.UNVERIFIABLE, reason=reason)
    reason = f"the page has no anchor #{anchor} (no element with that id or name); {page.reason}"
    return dataclasses.replace(page, outcome=Outcome.BROKEN, reason=reason)


@dataclass
class _Host:
    """Politeness state of one host: its slots, and when it asked us to come back."""

    slots: asyncio.Semaphore
    resume_at: float = 0.0


def _jar_state(cookies: dict[str, str] | None) -> str:
    """The cookies a request carries, as one comparable string (a redirect loop is a repeated URL *and* jar)."""
    return repr(sorted((cookies or {}).items()))


@dataclass
class _Attempts:
    count: int = 0
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)

    def state(self, url: str) -> tuple[str, str]:
        return url, _jar_state(self.cookies.get(host_key(url)))


class _FailedCheckError(Exception):
    """Ends one target's check early with its result."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.reason)
        self.result = result


class Interrupted(Exception):  # noqa: N818 - it names what happened, like KeyboardInterrupt
    """Ctrl-C stopped the run: ``results`` holds the links checked before, ``requests`` the requests sent."""

    def __init__(self, results: dict[str, Result], requests: int) -> None:
        super().__init__(f"interrupted after {len(results)} results")
        self.results = results
        self.requests = requests


def not_checked(reason: str) -> Result:
    """A link the run did not get to: unverifiable, and never cached (``checked_at`` 0)."""
    return Result(Outcome.UNVERIFIABLE, reason)


class Checker:
    """Checks targets with bounded concurrency; counts the requests it sends.

    ``sleep`` is how it waits (``Retry-After``, back-off, a paused host): tests pass one that
    records the waits instead of taking them.
    """

    def __init__(self, options: Options, tls: ssl.SSLContext | None = None, sleep: Sleep | None = None) -> None:
        self.options = options
        self.requests = 0
        #: Every result so far, filled as each page is done (what an interrupted run keeps).
        self.results: dict[str, Result] = {}
        self._tls = tls
        self._sleep: Sleep = sleep or asyncio.sleep
        self._hosts: dict[str, _Host] = {}
        self._slots = asyncio.Semaphore(max(1, options.workers))
        self._http: httpx.AsyncClient | None = None
        self._headers = {"User-Agent": options.user_agent, "Accept": ACCEPT, "Accept-Language": "en;q=0.9, *;q=0.5"}

    async def run(self, targets: Iterable[Target]) -> dict[str, Result]:
        """Every target's result; those the run's deadline cut short are unverifiable."""
        groups: dict[str, list[Target]] = {}
        for target in targets:  # one request for the links to one page, whatever their #anchors
            groups.setdefault(target.url if target.kind is TargetKind.URL else target.key, []).append(target)
        if not groups:
            return {}
        async with http.client(workers=self.options.workers, timeout=self.options.timeout, tls=self._tls) as client:
            self._http = client
            tasks = [asyncio.create_task(self._check_group(members)) for members in groups.values()]
            try:
                _, pending = await asyncio.wait(tasks, timeout=self.options.run_timeout)
            except asyncio.CancelledError:  # Ctrl-C: stop every check, keep what is done
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
            for task in pending:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        limit = f"not checked: the run's time limit ({self.options.run_timeout:g} s) ran out first"
        return {t.key: self.results.get(t.key) or not_checked(limit) for ts in groups.values() for t in ts}

    async def _check_group(self, members: Sequence[Target]) -> None:
        first = members[0]
        attempts = _Attempts()
        judged = prejudge(first, ())
        response: Response | None = None
        try:
            if judged is not None:
                page = judged
            elif first.kind is TargetKind.DOI:
                page = await self._check_doi(bare_doi(first.doi), attempts)
            else:
                anchors = frozenset(t.anchor for t in members if t.anchor)
                page, response = await self._check_url(first.url, attempts, anchors)
        except _FailedCheckError as failure:
            page = failure.result
        except Exception as error:  # a bug must not sink the run: the link says what happened
            page = Result(Outcome.UNVERIFIABLE, f"the check failed: {error!r}")
        stamp = time.time() if judged is None else 0.0
        for target in members:
            result = with_anchor(page, target.anchor, response) if target.anchor else page
            self.results[target.key] = dataclasses.replace(result, attempts=attempts.count, checked_at=stamp)

    # --- one URL: follow redirects, classify the final answer ------------------------------

    async def _follow(
        self, url: str, attempts: _Attempts, body_limit: int = 0, anchors: frozenset[str] = frozenset()
    ) -> tuple[Response, list[Hop]]:
        """The final answer after redirects, and the hops taken; loops and dead ends raise."""
        hops: list[Hop] = []
        seen = {attempts.state(url)}
        current = url
        while True:
            response = await self._ask(current, attempts, hops, body_limit, anchors)
            location = response.headers.get("Location")
            if response.status not in REDIRECTS or not location:
                return response, hops
            following = join(current, location)
            hops.append(Hop(current, response.status, following))
            state = attempts.state(following)
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

    async def _check_url(self, url: str, attempts: _Attempts, anchors: frozenset[str]) -> tuple[Result, Response]:
        response, hops = await self._follow(url, attempts, anchors=anchors)
        final = hops[-1].location if hops else url
        status = response.status
        if 200 <= status < 300:
            outcome = Outcome.REDIRECTED if hops else Outcome.WORKING
            reason = describe(status, response.reason)
            if hops:
                kinds = "permanent" if all(h.status in PERMANENT for h in hops) else "temporary"
                reason = f"{kinds} redirect ({len(hops)} hop{'s' if len(hops) > 1 else ''}), then {reason}"
            return self._result(outcome, reason, status, final, hops), response
        if status in BROKEN_STATUSES:
            return self._result(Outcome.BROKEN, describe(status, response.reason), status, final, hops), response
        if status in RETRY_STATUSES:
            reason = f"{describe(status, response.reason)}, still after {attempts.count} attempts"
            return self._result(Outcome.UNVERIFIABLE, reason, status, final, hops), response
        reason = describe(status, response.reason)
        if status in (401, 403, 999):
            reason += " (the site turns automated checks away; check it in a browser)"
        return self._result(Outcome.UNVERIFIABLE, reason, status, final, hops), response

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

    async def _ask(
        self, url: str, attempts: _Attempts, hops: list[Hop], body_limit: int, anchors: frozenset[str]
    ) -> Response:
        """One answer for ``url``, asking again after 429/5xx and transient failures within the limits."""
        options = self.options
        tries = 0
        host = self._host(host_key(url))
        while True:
            tries += 1
            attempts.count += 1
            try:
                response = await self._send(url, host, attempts, body_limit, anchors)
            except TimeoutError:
                reason = f"no answer within {options.timeout:g} s"
                raise _FailedCheckError(self._result(Outcome.UNVERIFIABLE, reason, None, url, hops)) from None
            except FetchError as error:
                if error.kind in TRANSIENT and tries <= options.retries:
                    await self._sleep(options.backoff * 2 ** (tries - 1))
                    continue
                outcome = Outcome.BROKEN if error.kind in BROKEN_KINDS else Outcome.UNVERIFIABLE
                reason = str(error) if tries == 1 else f"{error}, still after {tries} attempts"
                raise _FailedCheckError(self._result(outcome, reason, None, url, hops)) from None
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
            if response.status == 429:  # every request to the host waits, this retry too (in _send)
                host.resume_at = max(host.resume_at, asyncio.get_running_loop().time() + wait)
            else:
                await self._sleep(wait)

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(max(1, self.options.per_host)))
        return host

    async def _send(
        self, url: str, host: _Host, attempts: _Attempts, body_limit: int, anchors: frozenset[str]
    ) -> Response:
        assert self._http is not None, "requests are sent inside Checker.run"
        loop = asyncio.get_running_loop()
        async with host.slots:
            delay = host.resume_at - loop.time()
            if delay > 0:  # waiting here holds a host slot (the host is paused anyway), never a worker
                await self._sleep(delay)
            async with self._slots:
                self.requests += 1
                headers = dict(self._headers)
                jar = attempts.cookies.get(host_key(url))
                if jar:
                    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
                async with asyncio.timeout(self.options.timeout):
                    response = await http.fetch(
                        self._http, url, headers=headers, body_limit=body_limit, anchors=anchors
                    )
        for cookie in response.headers.get_list("Set-Cookie"):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if name.strip():
                attempts.cookies.setdefault(host_key(url), {})[name.strip()] = value.strip()
        return response


def check_all(
    targets: Sequence[Target], options: Options, tls: ssl.SSLContext | None = None, sleep: Sleep | None = None
) -> tuple[dict[str, Result], int]:
    """Check ``targets`` on a fresh event loop (in a thread if the caller already runs one).

    Ctrl-C raises :class:`Interrupted` with the results finished before it.
    """
    checker = Checker(options, tls, sleep)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        try:
            return asyncio.run(checker.run(targets)), checker.requests
        except KeyboardInterrupt:
            raise Interrupted(dict(checker.results), checker.requests) from None
    return _in_thread(checker, targets)


def _in_thread(checker: Checker, targets: Sequence[Target]) -> tuple[dict[str, Result], int]:
    """Run the check on its own loop in a thread; Ctrl-C in the caller's thread cancels it."""
    box: dict[str, dict[str, Result]] = {}
    started = threading.Event()
    handle: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Task[dict[str, Result]]]] = {}

    async def main() -> dict[str, Result]:
        task = asyncio.current_task()
        assert task is not None
        handle["run"] = (asyncio.get_running_loop(), task)
        started.set()
        return await checker.run(targets)

    def work() -> None:
        try:
            box["r"] = asyncio.run(main())
        except asyncio.CancelledError:
            pass

    thread = threading.Thread(target=work, name="casebook-linkcheck")
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        if started.wait(5):
            loop, task = handle["run"]
            loop.call_soon_threadsafe(task.cancel)
        thread.join()
        raise Interrupted(dict(checker.results), checker.requests) from None
    return box["r"], checker.requests

"""The async Webex REST API client: Bearer tokens with renewal, JSON errors, Retry-After, Link paging.

Reads retry transport errors and 5xx replies twice with jittered backoff. Writes are sent once, except
after a 401 (renew the token, then once more) or a 429/423 (wait for Retry-After, bounded): in those
cases Webex did nothing. A write that fails after it was sent raises an error with `request_sent`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import httpx

from commands.backend import Problem

from ..client import DEFAULT_TIMEOUT, shared_http_client
from ..transport import ReplyTooLarge, is_timeout, may_have_reached, read_capped
from .errors import RestError, RestHTTPError, RestParseError, RestTimeout, RestTransportError
from .paging import MAX_PAGES, next_page
from .redact import redacted
from .tokens import Tokens

log = logging.getLogger("webex.rest")

API_URL = "https://webexapis.com/v1"
MAX_REPLY_BYTES = 4 * 1024 * 1024
MAX_RATE_WAIT_S = 10.0  # the most one call waits, in total, for Retry-After
DEFAULT_RETRY_AFTER_S = 2.0


@dataclass(frozen=True)
class Reply:
    status: int
    data: Any  # the parsed JSON body; None when there is none
    next_url: httpx.URL | None = None
    retry_after: float | None = None
    tracking_id: str = ""  # the reply's trackingid header, else the TrackingID we sent


class RestClient:
    """A client for the REST API at `api_url` with one token source; cheap copies share pool and tokens."""

    def __init__(
        self,
        api_url: str,
        tokens: Tokens,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float | None = None,
        read_retries: int = 2,
        backoff_s: float = 0.2,
        max_rate_wait_s: float = MAX_RATE_WAIT_S,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.api_url = httpx.URL(api_url.rstrip("/"))
        self.tokens = tokens
        self._owns_http = http is None
        self._http = http or shared_http_client()
        self._timeout = timeout
        self.read_retries = read_retries
        self.backoff_s = backoff_s
        self.max_rate_wait_s = max_rate_wait_s
        self.max_reply_bytes = max_reply_bytes

    def __repr__(self) -> str:
        return f"RestClient({str(self.api_url)!r})"

    def with_timeout(self, seconds: float) -> RestClient:
        """The same client (pool and tokens) whose calls give up after `seconds` at most."""
        current = self._timeout if self._timeout is not None else DEFAULT_TIMEOUT.read or seconds
        return RestClient(
            str(self.api_url),
            self.tokens,
            http=self._http,
            timeout=min(seconds, current),
            read_retries=self.read_retries,
            backoff_s=self.backoff_s,
            max_rate_wait_s=self.max_rate_wait_s,
            max_reply_bytes=self.max_reply_bytes,
        )

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> RestClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- calls -----------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        path: str,
        *,
        operation: str = "",
        params: dict[str, str] | None = None,
        body: Any = None,
        write: bool = False,
        content_type: str = "application/json",
    ) -> Any:
        """One API call; returns the reply's JSON (None for an empty reply). Raises a RestError."""
        url = self._url(path).copy_merge_params(params or {})
        return (await self._exchange(method, url, operation or f"{method} {path}", body, write, content_type)).data

    async def pages(
        self, path: str, *, operation: str = "", params: dict[str, str] | None = None
    ) -> AsyncIterator[Any]:
        """Every item of a list, following `Link: rel="next"` page by page."""
        operation = operation or f"GET {path}"
        url: httpx.URL | None = self._url(path).copy_merge_params(params or {})
        for _ in range(MAX_PAGES):
            if url is None:
                return
            reply = await self._exchange("GET", url, operation, None, False, "")
            found = reply.data.get("items") if isinstance(reply.data, dict) else None
            if not isinstance(found, list):
                raise RestParseError(f"{operation}: the reply has no items list", operation=operation)
            for item in found:
                yield item
            url = reply.next_url
        raise RestParseError(f"{operation}: more than {MAX_PAGES} pages", operation=operation)

    async def renew(self, stale_token: str) -> None:
        """Renew the access token with the refresh token, unless another call already did."""
        async with self.tokens.lock, self.tokens.renewing():
            if self.tokens.access_token != stale_token or not self.tokens.renewable:
                return
            operation = "POST /access_token"
            reply = await self._send(
                "POST", self._url("/access_token"), operation, self.tokens.form(), "form", authorize=False
            )
            if not 200 <= reply.status < 300:
                raise _renewal_refused(reply, operation)
            try:
                self.tokens.renewed(reply.data)
            except ValueError as error:
                raise RestParseError(f"{operation}: {error}", operation=operation) from None
            log.info("webex access token renewed")

    # -- the exchange: renewal, Retry-After, retries ---------------------------------------

    async def _exchange(
        self, method: str, url: httpx.URL, operation: str, body: Any, write: bool, content_type: str
    ) -> Reply:
        rate_budget = self.max_rate_wait_s
        renewed = False
        failures = 0
        while True:
            if self.tokens.due():
                await self.renew(self.tokens.access_token)
            token = self.tokens.access_token
            try:
                reply = await self._send(method, url, operation, body, content_type)
            except RestTransportError:
                if write or failures >= self.read_retries:
                    raise
                failures += 1
                await self._backoff(failures)
                continue
            if 200 <= reply.status < 300:
                return reply
            if reply.status == 401 and not renewed and self.tokens.renewable:
                renewed = True
                await self.renew(token)
                continue
            if reply.status in (423, 429):
                wait = reply.retry_after if reply.retry_after is not None else DEFAULT_RETRY_AFTER_S
                if wait <= rate_budget:
                    rate_budget -= wait
                    await asyncio.sleep(wait)
                    continue
            error = _http_error(reply, operation)
            if reply.status >= 500 and not write and failures < self.read_retries:
                failures += 1
                await self._backoff(failures)
                continue
            raise error

    async def _backoff(self, failures: int) -> None:
        delay = min(self.backoff_s * 2 ** (failures - 1), 2.0) * (0.5 + random.random() / 2)
        await asyncio.sleep(delay)

    # -- one HTTP request ------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        url: httpx.URL,
        operation: str,
        body: Any,
        content_type: str,
        *,
        authorize: bool = True,
    ) -> Reply:
        started = time.perf_counter()
        outcome = "error"
        tracking = f"webexbot_{uuid.uuid4()}"
        headers = {"Accept": "application/json", "TrackingID": tracking}
        if authorize:
            headers["Authorization"] = f"Bearer {self.tokens.access_token}"
        content: dict[str, Any] = {}
        if content_type == "form":
            content["data"] = body
        elif body is not None:
            content["content"] = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = content_type
            if log.isEnabledFor(logging.DEBUG):
                log.debug("webex %s request %s", operation, json.dumps(redacted(body), ensure_ascii=False))
        try:
            reply = await self._round_trip(method, url, operation, headers, content, tracking)
            outcome = str(reply.status)
            return reply
        except RestError as error:
            outcome = type(error).__name__
            raise
        finally:
            log.info("webex %s %s %.1fms", operation, outcome, (time.perf_counter() - started) * 1000)

    async def _round_trip(
        self,
        method: str,
        url: httpx.URL,
        operation: str,
        headers: dict[str, str],
        content: dict[str, Any],
        tracking: str,
    ) -> Reply:
        timeout = httpx.Timeout(self._timeout, connect=min(self._timeout, 5.0)) if self._timeout else DEFAULT_TIMEOUT
        try:
            async with self._http.stream(method, url, headers=headers, timeout=timeout, **content) as response:
                raw = await read_capped(response, self.max_reply_bytes)
                next_url = next_page(response, self.api_url) if 200 <= response.status_code < 300 else None
                status, retry_after = response.status_code, _retry_after(response.headers.get("Retry-After"))
                tracking = response.headers.get("trackingid", "") or tracking
        except (httpx.TransportError, aiohttp.ClientError) as error:
            sent = may_have_reached(error)
            if is_timeout(error):
                raise RestTimeout(f"{operation}: no reply in time", operation=operation, request_sent=sent) from None
            raise RestTransportError(
                f"{operation}: {type(error).__name__}", operation=operation, request_sent=sent
            ) from None
        except ReplyTooLarge as error:
            limit = self.max_reply_bytes
            raise RestParseError(f"{operation}: reply too large ({error}; cap {limit})", operation=operation) from None
        except ValueError as error:  # a Link header pointing at another host
            raise RestParseError(f"{operation}: {error}", operation=operation) from None
        data = _parse_json(raw, operation, strict=200 <= status < 300)
        if log.isEnabledFor(logging.DEBUG) and data is not None:
            log.debug("webex %s reply %s", operation, json.dumps(redacted(data), ensure_ascii=False))
        return Reply(status, data, next_url, retry_after, tracking[:120])

    def _url(self, path: str) -> httpx.URL:
        return httpx.URL(str(self.api_url) + path)


def _parse_json(raw: bytes, operation: str, *, strict: bool) -> Any:
    """The body's JSON. An unreadable success body is an error; an unreadable error body is ignored."""
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        if strict:
            raise RestParseError(f"{operation}: the reply is not JSON", operation=operation) from None
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _message(data: Any) -> tuple[str, str]:
    """Webex's error text (message, then each errors[].description) and trackingId, cut for a log line."""
    if not isinstance(data, dict):
        return "", ""
    parts = [data.get("message")]
    parts += [e.get("description") for e in data.get("errors") or [] if isinstance(e, dict)]
    text = " ".join(" ".join(p.split()) for p in parts if isinstance(p, str) and p.strip())
    tracking = data.get("trackingId")
    return text[:300], tracking[:120] if isinstance(tracking, str) else ""


def _http_error(reply: Reply, operation: str) -> RestHTTPError:
    message, tracking = _message(reply.data)
    return RestHTTPError(reply.status, message, operation=operation, tracking_id=tracking or reply.tracking_id)


def _renewal_refused(reply: Reply, operation: str) -> RestHTTPError:
    error = _http_error(reply, operation)
    if reply.status < 500:
        error.problem = Problem.BAD_CREDENTIALS
    return error

"""The async Webex XML API client: one shared httpx.AsyncClient, one method per operation."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from typing import TypeVar

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from lxml import etree

from . import meetings, sessions, site, teleconference, training, users
from .errors import (
    EMPTY_LIST_EXCEPTION_IDS,
    WebexError,
    WebexHTTPError,
    WebexParseError,
    WebexServiceError,
    WebexTimeout,
    WebexTransportError,
)
from .models import (
    CreatedSession,
    Meeting,
    MeetingChanges,
    MeetingSummary,
    NewMeeting,
    NewTeleconference,
    NewTraining,
    OpenSession,
    SecurityContext,
    ServiceType,
    SessionInfo,
    SessionSummary,
    SessionTicket,
    Teleconference,
    TimeZoneInfo,
    TrainingSession,
    User,
    UserSummary,
)
from .paging import DEFAULT_PAGE, MatchingRecords, list_control
from .per_loop import PerLoop
from .transport import MAX_REPLY_BYTES, ReplyTooLarge, is_timeout, may_have_reached, read_capped
from .xml import Node, XMLRefused, parse_document, redact, request_document

log = logging.getLogger("webex.client")

XML_SERVICE_PATH = "/WBXService/XMLService"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
DEFAULT_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=30)
OFF_LOOP_PARSE_BYTES = 256 * 1024  # larger replies are parsed in a worker thread, off the event loop

T = TypeVar("T")


def shared_http_client() -> httpx.AsyncClient:
    """The pool for Webex calls: httpx's API on aiohttp's connection pool, whose cost per request
    stays flat with hundreds of connections (httpcore's pool scans every connection per request);
    one pool per event loop that calls Webex."""
    return httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, transport=LoopTransport())


class LoopTransport(httpx.AsyncBaseTransport):
    """httpx-aiohttp's transport, one per event loop: its aiohttp pool belongs to the loop it was made on."""

    def __init__(self, limits: httpx.Limits = DEFAULT_LIMITS) -> None:
        ssl_context = httpx.create_ssl_context()  # made once (loading the CAs takes milliseconds), shared
        self._transports = PerLoop(lambda: AiohttpTransport(verify=ssl_context, limits=limits))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transports.here().handle_async_request(request)

    async def aclose(self) -> None:
        await self._transports.close_each(lambda transport: transport.aclose())


class WebexClient:
    """A client for one Webex site and one set of credentials.

    Read-only calls retry transport errors and 5xx replies with bounded, jittered backoff.
    Writes (create, set, delete) are sent once: a retry could schedule a meeting twice. A failed
    write's error says with `maybe_applied` whether Webex may have carried it out anyway.
    Replies are capped at `max_reply_bytes`; those over OFF_LOOP_PARSE_BYTES are parsed in a thread.
    """

    def __init__(
        self,
        site_url: str,
        security: SecurityContext,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float | None = None,
        read_retries: int = 2,
        backoff_s: float = 0.2,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.site_url = site_url.rstrip("/")
        self.security = security
        self._owns_http = http is None
        self._http = http or shared_http_client()
        self._timeout = timeout
        self.read_retries = read_retries
        self.backoff_s = backoff_s
        self.max_reply_bytes = max_reply_bytes

    def with_timeout(self, seconds: float) -> WebexClient:
        """The same client (same connection pool) whose calls give up after `seconds` at most."""
        current = self._timeout if self._timeout is not None else DEFAULT_TIMEOUT.read or seconds
        return self._sibling(self.security, min(seconds, current))

    def as_user(self, security: SecurityContext) -> WebexClient:
        """The same client acting with other credentials (for example a host's session ticket)."""
        return self._sibling(security, self._timeout)

    def _sibling(self, security: SecurityContext, timeout: float | None) -> WebexClient:
        return WebexClient(
            self.site_url,
            security,
            http=self._http,
            timeout=timeout,
            read_retries=self.read_retries,
            backoff_s=self.backoff_s,
            max_reply_bytes=self.max_reply_bytes,
        )

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> WebexClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- transport -------------------------------------------------------------------------

    async def call(self, operation: str, body: etree._Element | None, *, write: bool) -> Node:
        """Send one operation; return its bodyContent. Raises a WebexError on any failure."""
        return await self._exchange(operation, body, _content, write=write)

    async def _ask(
        self, operation: str, body: etree._Element | None, parse: Callable[[Node], T], *, write: bool = False
    ) -> T:
        """Call, then read the reply with `parse`; a reply that does not read is a WebexParseError."""
        return await self._exchange(operation, body, parse, write=write)

    async def _exchange(
        self, operation: str, body: etree._Element | None, parse: Callable[[Node], T], *, write: bool
    ) -> T:
        document = request_document(self.security.as_fields(), operation, body)
        attempts = 1 if write else 1 + self.read_retries
        for attempt in range(attempts):
            try:
                return await self._send_once(operation, document, parse)
            except (WebexTransportError, WebexHTTPError) as error:
                retryable = isinstance(error, WebexTransportError) or (
                    isinstance(error, WebexHTTPError) and error.status_code >= 500
                )
                if not retryable or attempt == attempts - 1:
                    raise
                delay = min(self.backoff_s * 2**attempt, 2.0) * (0.5 + random.random() / 2)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _send_once(self, operation: str, document: bytes, parse: Callable[[Node], T]) -> T:
        started = time.perf_counter()
        outcome = "error"
        try:
            if log.isEnabledFor(logging.DEBUG):
                log.debug("webex %s request %s", operation, redact(document))
            reply = await self._post(operation, document)
            if len(reply) > OFF_LOOP_PARSE_BYTES:
                result = await asyncio.to_thread(_decode, operation, reply, parse)
            else:
                result = _decode(operation, reply, parse)
            outcome = "SUCCESS"
            return result
        except WebexServiceError as error:
            outcome = f"FAILURE {error.exception_id}"
            raise
        except WebexError as error:
            outcome = type(error).__name__
            raise
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.info("webex %s %s %.1fms", operation, outcome, elapsed)

    async def _post(self, operation: str, document: bytes) -> bytes:
        timeout = httpx.Timeout(self._timeout, connect=min(self._timeout, 5.0)) if self._timeout else None
        extra = {"timeout": timeout} if timeout is not None else {}
        try:
            async with self._http.stream(
                "POST",
                self.site_url + XML_SERVICE_PATH,
                content=document,
                headers={"Content-Type": "text/xml; charset=utf-8"},
                **extra,  # type: ignore[arg-type]
            ) as response:
                if not 200 <= response.status_code < 300:
                    raise WebexHTTPError(response.status_code, operation=operation)
                return await read_capped(response, self.max_reply_bytes)
        except ReplyTooLarge as error:
            raise WebexParseError(f"{operation}: reply too large ({error})", operation=operation) from None
        except (httpx.TransportError, aiohttp.ClientError) as error:
            sent = may_have_reached(error)
            if is_timeout(error):
                what = "no reply in time" if sent else "no connection in time"
                raise WebexTimeout(f"{operation}: {what}", operation=operation, request_sent=sent) from None
            raise WebexTransportError(
                f"{operation}: {_cause_name(error)}", operation=operation, request_sent=sent
            ) from None

    @staticmethod
    def _unwrap(operation: str, reply: bytes) -> Node:
        try:
            root = Node(parse_document(reply))
        except XMLRefused as error:
            raise WebexParseError(f"{operation}: unusable reply ({error})", operation=operation) from None
        response = root.child("header/response")
        if root.name != "message" or response is None:
            raise WebexParseError(f"{operation}: reply is not an XML API message", operation=operation)
        result = response.text("result").upper()
        if result == "FAILURE":
            raise WebexServiceError(response.text("exceptionID"), response.text("reason"), operation=operation)
        if result != "SUCCESS":
            raise WebexParseError(f"{operation}: result {result!r}", operation=operation)
        body = root.child("body/bodyContent")
        if body is None:
            raise WebexParseError(f"{operation}: reply has no bodyContent", operation=operation)
        return body

    async def _pages(
        self,
        operation: str,
        make_body: Callable[[etree._Element], etree._Element],
        parse: Callable[[Node], list[T]],
        page_size: int,
    ) -> AsyncIterator[T]:
        start = 1
        while True:
            try:
                items, records = await self._exchange(
                    operation, make_body(list_control(start, page_size)), _page_reader(parse, start), write=False
                )
            except WebexServiceError as error:
                if error.exception_id in EMPTY_LIST_EXCEPTION_IDS:
                    return
                raise
            for item in items:
                yield item
            following = records.next_start(start, len(items))
            if following is None:
                return
            if following <= start or not items:
                raise WebexParseError(
                    f"{operation}: paging does not advance (startFrom {start}, {records})", operation=operation
                )
            start = following

    # -- users -----------------------------------------------------------------------------

    async def get_user(self, webex_id: str) -> User:
        return await self._ask(users.GET_USER, users.get_body(webex_id), users.parse_user)

    def list_users(
        self, *, email: str | None = None, webex_id: str | None = None, page_size: int = DEFAULT_PAGE
    ) -> AsyncIterator[UserSummary]:
        return self._pages(
            users.LIST_USERS,
            lambda control: users.list_body(email=email, webex_id=webex_id, list_control=control),
            users.parse_summaries,
            page_size,
        )

    async def authenticate_user(
        self, *, saml_response: str | None = None, access_token: str | None = None
    ) -> SessionTicket:
        return await self._ask(
            users.AUTHENTICATE, users.authenticate_body(saml_response, access_token), users.parse_session_ticket
        )

    async def get_login_ticket(self) -> str:
        # Every call issues a new one-time ticket, so a blind retry is harmless.
        return await self._ask(users.LOGIN_TICKET, None, users.parse_login_ticket)

    # -- meetings --------------------------------------------------------------------------

    async def create_meeting(self, meeting: NewMeeting) -> CreatedSession:
        return await self._ask(meetings.CREATE, meetings.create_body(meeting), _created_meeting, write=True)

    async def set_meeting(self, key: str, changes: MeetingChanges) -> None:
        await self.call(meetings.SET, meetings.set_body(key, changes), write=True)

    async def get_meeting(self, key: str) -> Meeting:
        return await self._ask(meetings.GET, meetings.key_body(key), meetings.parse_meeting)

    async def delete_meeting(self, key: str) -> None:
        await self.call(meetings.DELETE, meetings.key_body(key), write=True)

    def list_meetings(
        self,
        *,
        host_webex_id: str | None = None,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        zone_id: int = 21,
        page_size: int = DEFAULT_PAGE,
    ) -> AsyncIterator[MeetingSummary]:
        return self._pages(
            meetings.LIST,
            lambda control: meetings.list_body(
                host_webex_id=host_webex_id,
                start_from=start_from,
                start_to=start_to,
                zone_id=zone_id,
                list_control=control,
            ),
            meetings.parse_summaries,
            page_size,
        )

    async def get_host_url(self, key: str) -> str:
        """The URL that starts the meeting as its host. Show it to that host only; never log it."""
        return await self._ask(
            meetings.HOST_URL,
            meetings.key_body(key, "sessionKey"),
            lambda reply: meetings.parse_url(reply, "hostMeetingURL"),
        )

    async def get_join_url(
        self, key: str, *, attendee_name: str | None = None, attendee_email: str | None = None
    ) -> str:
        return await self._ask(
            meetings.JOIN_URL,
            meetings.join_url_body(key, attendee_name, attendee_email),
            lambda reply: meetings.parse_url(reply, "joinMeetingURL"),
        )

    # -- sessions of every kind ------------------------------------------------------------

    async def list_open_sessions(self, service_types: Iterable[ServiceType] = tuple(ServiceType)) -> list[OpenSession]:
        try:
            return await self._ask(sessions.LIST_OPEN, sessions.open_body(service_types), sessions.parse_open)
        except WebexServiceError as error:
            if error.exception_id in EMPTY_LIST_EXCEPTION_IDS:
                return []
            raise

    def list_sessions(
        self,
        *,
        host_webex_id: str | None = None,
        service_types: Iterable[ServiceType] = (),
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        zone_id: int = 21,
        invited: bool = False,
        page_size: int = DEFAULT_PAGE,
    ) -> AsyncIterator[SessionSummary]:
        services = tuple(service_types)
        return self._pages(
            sessions.LIST,
            lambda control: sessions.list_body(
                host_webex_id=host_webex_id,
                service_types=services,
                start_from=start_from,
                start_to=start_to,
                zone_id=zone_id,
                invited=invited,
                list_control=control,
            ),
            sessions.parse_summaries,
            page_size,
        )

    async def get_session_info(self, key: str, *, password: str | None = None) -> SessionInfo:
        return await self._ask(sessions.INFO, sessions.info_body(key, password), sessions.parse_info)

    async def delete_session(self, key: str) -> None:
        await self.call(sessions.DELETE, meetings.key_body(key, "sessionKey"), write=True)

    async def create_teleconference(self, session: NewTeleconference) -> str:
        return await self._ask(
            teleconference.CREATE,
            teleconference.create_body(session),
            lambda reply: _key_required(teleconference.parse_created_key(reply)),
            write=True,
        )

    async def get_teleconference(self, key: str) -> Teleconference:
        return await self._ask(
            teleconference.GET,
            meetings.key_body(key, "sessionKey"),
            lambda reply: teleconference.parse_session(reply, key),
        )

    async def create_training_session(self, session: NewTraining) -> str:
        return await self._ask(
            training.CREATE,
            training.create_body(session),
            lambda reply: _key_required(training.parse_created_key(reply)),
            write=True,
        )

    async def get_training_session(self, key: str) -> TrainingSession:
        return await self._ask(
            training.GET, meetings.key_body(key, "sessionKey"), lambda reply: training.parse_session(reply, key)
        )

    async def delete_training_session(self, key: str) -> None:
        await self.call(training.DELETE, meetings.key_body(key, "sessionKey"), write=True)

    # -- site ------------------------------------------------------------------------------

    async def list_time_zones(self, zone_id: int | None = None, *, at: datetime | None = None) -> list[TimeZoneInfo]:
        return await self._ask(site.LIST_TIME_ZONES, site.time_zone_body(zone_id, at), site.parse_time_zones)


def _decode(operation: str, reply: bytes, parse: Callable[[Node], T]) -> T:
    """The reply's bodyContent read with `parse` (pure CPU work: large replies run it in a thread)."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug("webex %s reply %s", operation, redact(reply))
    return _read(operation, parse, WebexClient._unwrap(operation, reply))


def _content(body: Node) -> Node:
    return body


def _page_reader(
    parse: Callable[[Node], list[T]], requested: int
) -> Callable[[Node], tuple[list[T], MatchingRecords]]:
    def read_page(body: Node) -> tuple[list[T], MatchingRecords]:
        items = parse(body)
        return items, MatchingRecords.of(body, len(items), requested)

    return read_page


def _created_meeting(body: Node) -> CreatedSession:
    created = meetings.parse_created(body)
    _key_required(created.key)
    return created


def _key_required(key: str) -> str:
    """Webex said SUCCESS to a create but named no session: it may exist, so this is not a clean failure."""
    if not key:
        raise ValueError("SUCCESS without a session key")
    return key


def _cause_name(error: Exception) -> str:
    cause = error.__cause__ if isinstance(error, httpx.TransportError) and error.__cause__ else error
    return type(cause).__name__


def _read(operation: str, parse: Callable[[Node], T], reply: Node) -> T:
    try:
        return parse(reply)
    except (ValueError, KeyError, IndexError) as error:
        raise WebexParseError(f"{operation}: unreadable reply ({error})", operation=operation) from None


async def collect(items: AsyncIterator[T]) -> list[T]:
    """All items of an async iterator as a list."""
    return [item async for item in items]

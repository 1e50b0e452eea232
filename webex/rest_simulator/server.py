"""The simulated Webex REST API over HTTP: routes, bearer auth, faults, the record of requests, a test API."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from webex.simulator.threaded import ThreadedServer

from . import join, lifecycle, listing, meetings, pages, people, tokens, webhooks
from .context import CALLER, SITE
from .errors import ApiError, error_response, tracking_id
from .faults import Fault, FaultKind, Faults
from .lookup import Target, resolve
from .schedule import current
from .state import RestState
from .views import Render

log = logging.getLogger("webex.rest_simulator")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
GARBAGE = b'{"id": "5c0ffee", "meetingNumber": "25'
REDACTED_FORM_FIELDS = ("client_secret", "refresh_token", "code")
UNRECORDED_HEADERS = ("authorization", "cookie")
STATUS = {
    FaultKind.HTTP_401: 401,
    FaultKind.HTTP_423: 423,
    FaultKind.HTTP_429: 429,
    FaultKind.HTTP_500: 500,
    FaultKind.HTTP_502: 502,
    FaultKind.HTTP_503: 503,
    FaultKind.APPLIED_500: 500,
}


@dataclass
class Received:
    """One API request as the simulator got it (no Authorization header, no client secret or refresh token)."""

    operation: str  # like "POST /meetings" or "DELETE /meetings/{id}"
    method: str
    path: str
    query: dict[str, str]
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    caller: str = ""  # the email of the token's person, once the token is accepted


class RestSimulator(ThreadedServer):
    thread_name = "Webex REST simulator"

    def __init__(
        self,
        state: RestState,
        *,
        faults: Faults | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        hang_seconds: float = 120.0,
        page_limit: int = 100,
    ) -> None:
        self.state = state
        self.faults = faults or Faults()
        self.clock = clock
        self.hang_seconds = hang_seconds
        self.page_limit = page_limit
        self.received: list[Received] = []
        self.deliveries: list[webhooks.Delivery] = []
        self._in_order: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[concurrent.futures.Future[None]] = set()

    def now(self) -> datetime:
        return self.clock()

    # -- the app ---------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024, middlewares=[self._api])
        app[SITE] = self
        app.add_routes(
            [
                web.get("/", self.index),
                web.post("/v1/access_token", tokens.access_token),
                web.get("/v1/people", people.list_people),
                web.get("/v1/people/me", people.me),
                web.get("/v1/people/{id}", people.get_person),
                web.get("/v1/meetings", listing.list_meetings),
                web.post("/v1/meetings", meetings.create_meeting),
                web.post("/v1/meetings/join", join.join_meeting),
                web.get("/v1/meetings/{id}", meetings.get_meeting),
                web.patch("/v1/meetings/{id}", meetings.patch_meeting),
                web.delete("/v1/meetings/{id}", meetings.delete_meeting),
                web.get("/v1/webhooks", webhooks.list_webhooks),
                web.post("/v1/webhooks", webhooks.create_webhook),
                web.get("/v1/webhooks/{id}", webhooks.get_webhook),
                web.delete("/v1/webhooks/{id}", webhooks.delete_webhook),
                *pages.routes(self.state.site_name),
            ]
        )
        return app

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(text=f"Webex REST API simulator for site {self.state.site_url}: {self.url}/v1\n")

    @web.middleware
    async def _api(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)
        received = await self._record(request)
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_ms / 1000)
        fault = self.faults.take(received.operation)
        if fault is not None and not fault.kind.applies_first:
            return await self._fault(request, fault, received.operation)
        response = await self._answer(request, handler, received)
        if fault is not None:
            return await self._fault(request, fault, received.operation)
        response.headers.setdefault("trackingid", tracking_id(request))
        return response

    async def _answer(self, request: web.Request, handler: Handler, received: Received) -> web.StreamResponse:
        try:
            if request.path != "/v1/access_token":
                tokens.authenticate(request)
                received.caller = request[CALLER].person.email
            return await handler(request)
        except ApiError as error:
            return error_response(request, error)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            return error_response(request, ApiError(error.status, error.reason))

    async def _record(self, request: web.Request) -> Received:
        route = request.match_info.route.resource
        template = route.canonical if route is not None else request.path
        operation = f"{request.method} {template.removeprefix('/v1')}"
        received = Received(operation, request.method, request.path, dict(request.query))
        received.headers = {k: v for k, v in request.headers.items() if k.lower() not in UNRECORDED_HEADERS}
        raw = await request.read()
        if request.content_type == "application/x-www-form-urlencoded":
            form = await request.post()
            received.form = {k: "***" if k in REDACTED_FORM_FIELDS else str(v) for k, v in form.items()}
        elif raw:
            with contextlib.suppress(ValueError):
                received.json = json.loads(raw)
        with self.state.lock:
            self.received.append(received)
        return received

    async def _fault(self, request: web.Request, fault: Fault, operation: str) -> web.StreamResponse:
        log.info("simulated fault %s on %s", fault.kind.value, operation)
        kind = fault.kind
        if kind in STATUS:
            retry = fault.retry_after if kind in (FaultKind.HTTP_423, FaultKind.HTTP_429) else None
            return error_response(request, ApiError(STATUS[kind], "Simulated failure.", retry_after=retry))
        if kind in (FaultKind.GARBAGE, FaultKind.APPLIED_GARBAGE):
            return web.Response(body=GARBAGE, content_type="application/json")
        if kind in (FaultKind.DROP, FaultKind.APPLIED_DROP) and request.transport is not None:
            request.transport.abort()
            return web.Response(status=204)
        return await self.hang()

    # -- webhooks --------------------------------------------------------------------------

    def notify(self, event: str, instance_id: str) -> None:
        """Sends the `meetings` webhooks for a start or end, from the server's own event loop."""
        with self.state.lock:
            view = Render(self.state, self.url, self.now())
            notices = webhooks.notifications(view, event, self.state.instances[instance_id])
        if not notices:
            return
        if self._loop is None or self._loop.is_closed():
            log.warning("webhooks for %s not sent: the simulator is not running", event)
            return
        future = asyncio.run_coroutine_threadsafe(self._deliver(notices, event), self._loop)
        self._tasks.add(future)
        future.add_done_callback(self._tasks.discard)

    async def _deliver(self, notices: list[webhooks.Notification], event: str) -> None:
        assert self._in_order is not None
        async with self._in_order:  # a meeting's "ended" never overtakes its "started"
            done = await webhooks.deliver(notices, event)
        with self.state.lock:
            self.deliveries.extend(done)

    # -- running ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._loop = asyncio.get_running_loop()
        self._in_order = asyncio.Lock()
        return await super().start(host, port)

    # -- test API --------------------------------------------------------------------------

    def start_meeting(self, meeting_id: str) -> str:
        """Starts a series' current occurrence (or the given occurrence) as its host would; the instance id."""
        with self.state.lock:
            target = self._target(meeting_id)
            occurrence = target.occurrence or current(self.state, target.series, self.now())
            assert occurrence is not None, f"meeting {meeting_id} has no occurrence to start"
            instance, new = lifecycle.start(self.state, target.series.id, occurrence.key, self.now())
        if new:
            self.notify("started", instance.id)
        return instance.id

    def end_meeting(self, meeting_id: str) -> None:
        """Ends the running instance named by its own id, its occurrence's or its series'."""
        with self.state.lock:
            target = self._target(meeting_id)
            instance = target.instance or lifecycle.live_instance(self.state, target.series.id)
            ended = instance is not None and lifecycle.end(self.state, instance.id, self.now())
        if ended and instance is not None:
            self.notify("ended", instance.id)

    def _target(self, meeting_id: str) -> Target:
        host = self.state.people[self._series_host(meeting_id)]
        return resolve(self.state, meeting_id, host)

    def _series_host(self, meeting_id: str) -> str:
        series_id = meeting_id.split("_", 1)[0]
        return self.state.series[series_id].host_id

    def expire_tokens(self) -> None:
        """Every access token issued so far answers 401 from now on; refresh tokens still work."""
        with self.state.lock:
            tokens.expire_access_tokens(self.state, self.now())

    @property
    def refreshes(self) -> int:
        return self.state.refreshes

    def operations(self) -> list[str]:
        return [r.operation for r in self.received]

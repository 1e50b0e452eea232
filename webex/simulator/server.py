"""The simulated Webex site over HTTP: the XML API, the URL API pages, faults, and a test API."""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from ..xml import Node, XMLRefused, operation_name, parse_document
from .faults import Fault, FaultKind, Faults
from .ops import HANDLERS, Call
from .ops.common import BAD_CREDENTIALS, INVALID
from .pages import Pages
from .replies import Failure, failure, success
from .state import SimUser, SiteState
from .threaded import ThreadedServer

log = logging.getLogger("webex.simulator")

XML_SERVICE_PATH = "/WBXService/XMLService"
GARBAGE = b"<?xml version='1.0'?><serv:message><serv:header><serv:response><serv:result>SUCC"


@dataclass(frozen=True)
class Received:
    """One XML API request as the simulator got it, for tests to inspect."""

    operation: str
    document: bytes
    caller: str

    @property
    def body(self) -> Node:
        root = Node(parse_document(self.document))
        content = root.child("body/bodyContent")
        assert content is not None
        return content


class WebexSimulator(ThreadedServer):
    thread_name = "Webex simulator"

    def __init__(
        self,
        state: SiteState,
        *,
        faults: Faults | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        hang_seconds: float = 120.0,
    ) -> None:
        self.state = state
        self.faults = faults or Faults()
        self.clock = clock
        self.hang_seconds = hang_seconds
        self.received: list[Received] = []

    # -- the app ---------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post(XML_SERVICE_PATH, self.xml_service)
        app.router.add_get("/", self.index)
        app.add_routes(Pages(self.state).routes())
        return app

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(text=f"Webex simulator for site {self.state.site_name}\n")

    async def xml_service(self, request: web.Request) -> web.Response:
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_ms / 1000)
        document = await request.read()
        try:
            root = Node(parse_document(document))
        except XMLRefused as error:
            return _xml(failure(Failure(INVALID, f"Invalid XML request: {error}")))
        content = root.child("body/bodyContent")
        xsi_type = _xsi_type(content) if content is not None else ""
        operation = operation_name(xsi_type)
        fault = self.faults.take(operation)
        if fault is not None and not fault.kind.applies_first:
            return await self._fault(fault, operation, request)
        reply = self._carry_out(root, content, xsi_type, operation, document)
        if self.faults.reply_latency_ms:
            await asyncio.sleep(self.faults.reply_latency_ms / 1000)
        if fault is not None:
            return await self._fault(fault, operation, request)
        return reply

    def _carry_out(
        self, root: Node, content: Node | None, xsi_type: str, operation: str, document: bytes
    ) -> web.Response:
        context = root.child("header/securityContext")
        claimed = context.text("webExID") if context is not None else ""
        with self.state.lock:
            self.received.append(Received(operation, document, claimed))
            try:
                caller = self._authenticate(context)
                handler = HANDLERS.get(operation)
                if handler is None or content is None:
                    raise Failure(INVALID, f"Unsupported request type {xsi_type!r}")
                reply = handler(Call(self.state, caller, content, self.clock(), self.url))
                return _xml(success(reply))
            except Failure as error:
                return _xml(failure(error))

    def _authenticate(self, context: Node | None) -> SimUser:
        if context is None:
            raise Failure(BAD_CREDENTIALS, "Incorrect user or password")
        site_name = context.text("siteName")
        site_id = context.text("siteID")
        wrong_site = (site_name and site_name.lower() != self.state.site_name.lower()) or (
            site_id and site_id != self.state.site_id
        )
        ticket = context.text("sessionTicket")
        if ticket:
            owner = self.state.session_tickets.get(ticket)
            user = self.state.find_user(owner) if owner else None
        else:
            user = self.state.find_user(context.text("webExID"))
            if user is not None and context.text("password") not in user.passwords:
                user = None
        if wrong_site or user is None or not user.active:
            raise Failure(BAD_CREDENTIALS, "Incorrect user or password")
        return user

    async def _fault(self, fault: Fault, operation: str, request: web.Request) -> web.Response:
        log.info("simulated fault %s on %s", fault.kind.value, operation)
        kind = fault.kind
        if kind in (FaultKind.HTTP_500, FaultKind.APPLY_THEN_500):
            return web.Response(status=500, text="Internal Server Error")
        if kind is FaultKind.HTTP_503:
            return web.Response(status=503, text="Service Unavailable")
        if kind in (FaultKind.GARBAGE, FaultKind.APPLY_THEN_GARBAGE):
            return _xml(GARBAGE)
        if kind is FaultKind.RAW:
            return _xml(fault.body)
        if kind in (FaultKind.APPLY_THEN_DROP, FaultKind.APPLY_THEN_RESET):
            _drop(request, reset=kind is FaultKind.APPLY_THEN_RESET)
            return web.Response(status=500)  # never delivered: the connection is gone
        if kind in (FaultKind.HANG, FaultKind.APPLY_THEN_HANG):
            return await self.hang()
        return _xml(failure(Failure(fault.exception_id, fault.reason)))

    # -- test API --------------------------------------------------------------------------

    def start_session(self, key: str) -> None:
        with self.state.lock:
            self.state.start(key)

    def end_session(self, key: str) -> None:
        with self.state.lock:
            self.state.end(key)

    def operations(self) -> list[str]:
        return [r.operation for r in self.received]


def _xsi_type(content: Node) -> str:
    for name, value in content.element.attrib.items():
        if str(name).rsplit("}", 1)[-1] == "type":
            return str(value)
    return ""


def _drop(request: web.Request, *, reset: bool) -> None:
    """Close the connection without answering: a FIN (the client sees the server disconnect), or
    with `reset` an RST (the client sees "connection reset by peer")."""
    transport = request.transport
    if transport is None:
        return
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()


def _xml(data: bytes) -> web.Response:
    return web.Response(body=data, content_type="text/xml", charset="utf-8")

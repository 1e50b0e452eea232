"""Faults the Slack stand-in can be told to produce, for tests of the bot's error handling."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from enum import StrEnum

from aiohttp import web

RESPONSE_URL = "response_url"  # the `method` that matches posts to response URLs

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The server returned an invalid or incomplete response.</p></body></html>
"""


class SlackFaultKind(StrEnum):
    ERROR = "error"  # ok:false with `error`; "ratelimited" comes as HTTP 429 with Retry-After
    HTTP_500_TEXT = "http_500_text"  # HTTP 500 with a text/plain body that is not JSON
    HTML = "html"  # HTTP 502 with an HTML page
    HANG = "hang"  # no reply for `seconds` (or until the stand-in stops), then HTTP 504


@dataclass(frozen=True)
class SlackFault:
    kind: SlackFaultKind
    method: str
    error: str = "internal_error"
    seconds: float = 5.0
    retry_after: int = 1


@dataclass
class SlackFaults:
    queue: list[SlackFault] = field(default_factory=list)

    def add(self, fault: SlackFault, count: int) -> None:
        self.queue.extend([fault] * count)

    def take(self, method: str) -> SlackFault | None:
        """The next queued fault for this method (or for response URLs with RESPONSE_URL)."""
        for fault in self.queue:
            if fault.method == method:
                self.queue.remove(fault)
                return fault
        return None


async def fault_reply(fault: SlackFault, closing: asyncio.Event, *, web_api: bool) -> web.Response:
    """What Slack answers for this fault: the Web API answers errors as JSON, response URLs as text."""
    if fault.kind is SlackFaultKind.HTTP_500_TEXT:
        return web.Response(status=500, text="Internal Server Error", content_type="text/plain")
    if fault.kind is SlackFaultKind.HTML:
        return web.Response(status=502, text=HTML_PAGE, content_type="text/html")
    if fault.kind is SlackFaultKind.HANG:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing.wait(), timeout=fault.seconds)
        return web.Response(status=504, text="Gateway Timeout", content_type="text/plain")
    limited = fault.error == "ratelimited"
    status = 429 if limited else (200 if web_api else 404 if fault.error in ("expired_url", "used_url") else 400)
    headers = {"Retry-After": str(fault.retry_after)} if limited else {}
    if web_api:
        return web.json_response({"ok": False, "error": fault.error}, status=status, headers=headers)
    return web.Response(status=status, text=fault.error, content_type="text/plain", headers=headers)

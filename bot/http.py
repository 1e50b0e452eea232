"""The bot's HTTP server: POST /slack/events (commands, interactivity, events) in HTTP mode, and
GET /healthz in both modes (in Socket Mode it is all the server serves)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from . import webex_webhooks
from .runtime import Bot
from .slack_requests import Refused, read_request

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is refused with 413


def health(bot: Bot) -> dict[str, Any]:
    """What GET /healthz answers (status 200 when "ok" is true, else 503, saying why)."""
    report: dict[str, Any] = {"ok": True, "mode": "socket" if bot.settings.socket_mode else "http"}
    problem = bot.store.problem()
    if problem:
        report.update(ok=False, database=problem)
    return report


def web_app(bot: Bot, *, slack_events: bool = True) -> web.Application:
    async def healthz(request: web.Request) -> web.Response:
        report = health(bot)
        return web.json_response(report, status=200 if report["ok"] else 503)

    app = web.Application(client_max_size=MAX_BODY)
    if slack_events:
        app.router.add_post("/slack/events", _events_handler(bot))
        if bot.settings.public_url:
            webex_webhooks.add_routes(app, bot)
        if bot.settings.oauth:
            from . import oauth_mode  # OAuth mode's imports load only when it is on

            oauth_mode.add_routes(app, bot)
    app.router.add_get("/healthz", healthz)
    return app


def _events_handler(bot: Bot) -> Any:
    verifier = SignatureVerifier(bot.settings.slack_signing_secret)

    async def events(request: web.Request) -> web.Response:
        try:
            checked = await read_request(request, verifier)
        except Refused as refused:
            log.warning("refused a request to /slack/events (%d): %s", refused.status, refused.reason)
            return web.json_response({"error": refused.reason}, status=refused.status)
        # Bolt would parse the body again, and it reads any form that contains the word "payload" as an
        # interactive payload (so "/webex schedule payload review" came out empty); the body read above is right.
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
        bolt_request.raw_body, bolt_request.body = checked.text, checked.body
        bolt_request.context = build_async_context(AsyncBoltContext(), checked.body)
        bolt_response = await bot.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return events


class HttpServer:
    """Serves the bot and runs its background work (poller, reminders) while it is up. With
    `slack_events=False` (Socket Mode) it serves only /healthz."""

    def __init__(self, bot: Bot, *, slack_events: bool = True) -> None:
        self.bot = bot
        self.slack_events = slack_events
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "0.0.0.0", port: int = 3000, *, reuse_port: bool = False) -> str:
        """`reuse_port`: listen beside the other serving processes on the port (bot/processes.py)."""
        app = web_app(self.bot, slack_events=self.slack_events)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port, reuse_port=reuse_port or None).start()
        await self.bot.start_background(webhooks=self.slack_events and bool(self.bot.settings.public_url))
        bound = self._runner.addresses[0][1]
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{bound}"
        return self.url

    async def stop(self) -> None:
        await self.bot.stop_background()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

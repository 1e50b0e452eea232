"""POST /webex/webhooks: Webex's `meetings` started and ended events (REST API, with a public URL). Each is
verified (X-Spark-Signature) before anything else; the card follows in the background."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from webex.rest import RestBackend, parse_event, verify

from .replica import exclusively
from .slack_calls import EXPECTED

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")
PATH = "/webex/webhooks"


def add_routes(app: web.Application, bot: Bot) -> None:
    async def receive(request: web.Request) -> web.Response:
        raw = await request.read()
        if not verify(raw, request.headers.get("X-Spark-Signature"), bot.settings.webhook_secret):
            log.warning("refused a webhook: missing or wrong signature")
            return web.json_response({"error": "bad signature"}, status=401)
        event = parse_event(raw)
        if event is None or event.resource != "meetings" or event.event not in ("started", "ended"):
            return web.json_response({"ok": True, "ignored": True})
        bot.runner.spawn(_follow(bot, event.event, event.meeting_id, event.meeting_number, event.series_id), "webhook")
        return web.json_response({"ok": True})

    app.router.add_post(PATH, receive)


async def register(bot: Bot) -> bool:
    """Register (or reuse) the bot's webhooks at its public URL; False when Webex refused or did not answer."""
    backend = bot.backend
    if not bot.settings.public_url or not isinstance(backend, RestBackend):
        return False
    try:
        async with exclusively(bot.store, "webex_webhooks", 30.0):  # replicas starting at once register once
            await backend.ensure_webhooks(bot.settings.public_url + PATH, bot.settings.webhook_secret)
    except Exception as error:
        log.warning("webhooks not registered, polling instead: %s", type(error).__name__)
        return False
    return True


async def _follow(bot: Bot, event: str, meeting_id: str, number: str, series_id: str) -> None:
    backend = bot.backend
    if not number and isinstance(backend, RestBackend):
        try:
            number = await backend.number_of(meeting_id, series_id) or ""
        except EXPECTED:
            number = ""
    # Webhooks are registered for the environment's connection only (bot.webex_connections.Connection.settings),
    # and say only the meeting's number: it is that meeting of every workspace the environment's site serves.
    records = bot.store.meetings_on_default_site(number) if number else []
    if not records:
        log.info("webhook %s for a meeting the bot does not know", event)
    for record in records:
        if event == "started":
            await bot.tracker.started(record.team_id, number)
        else:
            await bot.tracker.ended(record.team_id, number)

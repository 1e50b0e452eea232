"""Wiring: the Bolt AsyncApp, the Webex backend, the store, and the listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp

from commands.meeting_text import warm_up
from storage import Store
from webex.client import shared_http_client

from . import interactive, listeners, logs
from .backends import build_backend
from .directory import SlackDirectory
from .handlers import HANDLERS
from .health import WebexHealth
from .notifications import AdminNotifier
from .runtime import Bot
from .settings import Settings

__all__ = ["Bot", "build_app", "build_bot"]

log = logging.getLogger("webexbot")


def build_bot(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, directory_ttl_s: float = 600.0
) -> Bot:
    """Build everything; nothing happens at import time. Call it from async code (it opens pools)."""
    logs.install_redaction()
    slack_http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
    app = AsyncApp(
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=not settings.socket_mode,
    )
    client = app.client  # given the token (not a client), Bolt warns of nothing; point its client at our pool
    client.base_url = settings.slack_api_url
    client.session = slack_http
    webex_http = shared_http_client()
    store = Store(settings.db_path)
    notifier = AdminNotifier(client, store, settings.admin_channel)
    store.on_audit = notifier.audited
    clock = clock or (lambda: datetime.now(UTC))
    health = WebexHealth(notifier, clock=clock)
    bot = Bot(
        app=app,
        settings=settings,
        store=store,
        backend=build_backend(settings, webex_http, store, health.outcome, clock),
        directory=SlackDirectory(client, ttl_s=directory_ttl_s),
        client=client,
        clock=clock,
        webex_http=webex_http,
        slack_http=slack_http,
        notifier=notifier,
        health=health,
    )
    bot.runner.handlers.update(HANDLERS)
    listeners.register(bot)
    interactive.register(bot)
    warm_up()
    return bot


def build_app(settings: Settings, **options: Any) -> AsyncApp:
    return build_bot(settings, **options).app

"""Wiring: the Bolt AsyncApp, the Webex backend, the store, and the listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from storage import Store
from webex.client import shared_http_client

from . import interactive, listeners, logs
from .backends import meetings_backend
from .directory import SlackDirectory
from .handlers import HANDLERS
from .health import HealthByConnection
from .notifications import AdminNotifier
from .runtime import Bot
from .settings import Settings
from .slack_clients import RoutingClient, SlackClients
from .slack_http import SlackHttp
from .work_loop import WorkLoop

__all__ = ["Bot", "build_app", "build_bot"]

log = logging.getLogger("webexbot")


def build_bot(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    directory_ttl_s: float = 600.0,
    connect_check_s: float | None = None,
    process: int = 0,
    worker: str = "",
) -> Bot:
    """Build everything; nothing happens at import time. Call it from async code (it opens pools).
    `connect_check_s`: how long the Connect Webex form's answer waits for its live check (OAuth mode).
    `process`: this one's place among the serving processes of one machine (bot/processes.py). `worker`: this is
    a serving process's worker (bot/worker.py) claiming work under that name, and it runs its work inline."""
    logs.install_redaction()
    if settings.oauth:
        from . import oauth_mode  # OAuth mode's imports (cryptography, yaml) load only when it is on

        settings = oauth_mode.per_workspace(settings)
    slack_http = SlackHttp()
    work = WorkLoop(inline=bool(worker))
    store = Store(settings.db_path, process=process, identity=worker)
    app, client, clients = _slack_app(settings, store, slack_http.as_session())
    app.middleware(clients.middleware)  # the request's workspace, from Bolt's context, for everything it starts
    webex_http = shared_http_client()
    notifier = AdminNotifier(client, store, work, settings.admin_channel, clients)
    store.on_audit = notifier.audited
    clock = clock or (lambda: datetime.now(UTC))
    healths = HealthByConnection(notifier, clock=clock)
    bot = Bot(
        app=app,
        settings=settings,
        store=store,
        backend=meetings_backend(settings, webex_http, store, healths, clock),
        directory=SlackDirectory(client, ttl_s=directory_ttl_s),
        client=client,
        clock=clock,
        webex_http=webex_http,
        slack_http=slack_http,
        work=work,
        notifier=notifier,
        healths=healths,
        slack=clients,
    )
    bot.runner.handlers.update(HANDLERS)
    listeners.register(bot)  # first: Bolt tries the listeners in order, and most requests are /webex commands
    if settings.oauth:
        from . import connect_webex

        oauth_mode.register(bot)
        connect_webex.register(bot, connect_check_s)
    interactive.register(bot)
    return bot


def _slack_app(
    settings: Settings, store: Store, slack_http: aiohttp.ClientSession
) -> tuple[AsyncApp, AsyncWebClient, SlackClients]:
    """One workspace with SLACK_BOT_TOKEN, or (OAuth mode) many, each call with its workspace's token."""
    if settings.oauth:
        from . import oauth_mode

        routing = RoutingClient(base_url=settings.slack_api_url, session=slack_http)
        app, clients = oauth_mode.oauth_app(settings, store, routing)
        return app, routing, clients
    app = AsyncApp(
        name="webexbot",  # unnamed, Bolt names the app after its caller's file by walking the stack (~50 ms)
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=False,  # bot/http.py checked the signature before Bolt sees the request
        process_before_response=True,  # answer when the listener returns: no 10 ms polling tick for the ack
    )
    client = app.client  # given the token (not a client), Bolt warns of nothing; point its client at our pool
    client.base_url = settings.slack_api_url
    client.session = slack_http
    return app, client, SlackClients()


def build_app(settings: Settings, **options: Any) -> AsyncApp:
    return build_bot(settings, **options).app

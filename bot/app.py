"""Wiring: the Bolt AsyncApp, the Webex backend, the store, and the listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import httpx
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from commands.backend import MeetingsBackend
from commands.context import Context, Person
from commands.meeting_text import warm_up
from storage import Store
from webex import WebexClient
from webex.backend import XmlApiBackend
from webex.client import shared_http_client

from . import interactive, listeners, logs
from .directory import SlackDirectory
from .health import WebexHealth
from .notifications import AdminNotifier
from .settings import Settings
from .tracking import Tracker

log = logging.getLogger("webexbot")


@dataclass
class Bot:
    """The app and what its listeners share."""

    app: AsyncApp
    settings: Settings
    store: Store
    backend: MeetingsBackend
    directory: SlackDirectory
    client: AsyncWebClient
    clock: Callable[[], datetime]
    webex_http: httpx.AsyncClient
    slack_http: aiohttp.ClientSession
    notifier: AdminNotifier
    health: WebexHealth
    tracker: Tracker = field(init=False)

    def __post_init__(self) -> None:
        self.tracker = Tracker(self)

    async def start_background(self) -> None:
        self.tracker.start()

    async def stop_background(self) -> None:
        await self.tracker.stop()
        await self.notifier.drain()

    async def respond(self, response_url: str, message: dict[str, Any]) -> None:
        """Post to a response_url on the shared connection pool (Bolt's respond opens a session per call)."""
        reply = await AsyncWebhookClient(url=response_url, session=self.slack_http).send_dict(message)
        if reply.status_code != 200:
            log.info("response_url answered %s", reply.status_code)

    async def context(self, team_id: str, user_id: str, channel_id: str) -> Context:
        caller = await self.directory.person(user_id) or Person(user_id=user_id, name=user_id, email=None)
        return Context(
            team_id=team_id,
            caller=caller,
            channel_id=channel_id,
            store=self.store,
            backend=self.backend,
            directory=self.directory,
            clock=self.clock,
            default_duration=self.settings.default_duration,
            remind_minutes=self.settings.remind_minutes,
            admins=self.settings.admins,
            status=self.health,
        )

    async def aclose(self) -> None:
        await self.stop_background()
        await self.webex_http.aclose()
        await self.slack_http.close()
        self.store.close()


def build_bot(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, directory_ttl_s: float = 600.0
) -> Bot:
    """Build everything; nothing happens at import time. Call it from async code (it opens pools)."""
    logs.install_redaction()
    slack_http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, session=slack_http)
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret or None,
        client=client,
        request_verification_enabled=not settings.socket_mode,
    )
    webex_http = shared_http_client()
    security = settings.webex_security()
    webex = WebexClient(settings.webex_site_url, security, http=webex_http)
    store = Store(settings.db_path)
    notifier = AdminNotifier(client, store, settings.admin_channel)
    store.on_audit = notifier.audited
    health = WebexHealth(notifier)
    bot = Bot(
        app=app,
        settings=settings,
        store=store,
        backend=XmlApiBackend(
            webex,
            site_name=settings.webex_site_name,
            call_timeout=settings.webex_timeout_s,
            on_outcome=health.outcome,
        ),
        directory=SlackDirectory(client, ttl_s=directory_ttl_s),
        client=client,
        clock=clock or (lambda: datetime.now(UTC)),
        webex_http=webex_http,
        slack_http=slack_http,
        notifier=notifier,
        health=health,
    )
    listeners.register(bot)
    interactive.register(bot)
    warm_up()
    return bot


def build_app(settings: Settings, **options: Any) -> AsyncApp:
    return build_bot(settings, **options).app

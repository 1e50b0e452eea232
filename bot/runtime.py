"""The running bot: the Bolt app and what its listeners share. Built by bot/app.py."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import httpx
from cachetools import LRUCache
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from commands.backend import MeetingsBackend
from commands.context import Context
from commands.errors import NotConnected
from commands.meeting_text import WARM_LOCALES, warm_up
from storage import Store

from . import webex_webhooks
from .directory import SlackDirectory
from .health import HealthByConnection
from .intents import IntentRunner
from .notifications import AdminNotifier
from .reminders import Reminders
from .replica import Replica
from .settings import Settings
from .slack_calls import attempt
from .slack_clients import SlackClients
from .slack_http import SlackHttp
from .tracking import Tracker
from .webex_routing import RoutingBackend
from .work_loop import WorkLoop
from .worker_link import WorkerLink

log = logging.getLogger("webexbot")
DM_CHANNELS_KEPT = 10_000  # (workspace, person) -> the id of the bot's DM with them, which never changes
WARM_AFTER_S = 0.1  # the parser's warm-up starts a moment after the server listens: health checks do not wait


@dataclass
class Bot:
    app: AsyncApp
    settings: Settings
    store: Store
    backend: MeetingsBackend
    directory: SlackDirectory
    client: AsyncWebClient
    clock: Callable[[], datetime]
    webex_http: httpx.AsyncClient
    slack_http: SlackHttp
    work: WorkLoop  # everything after the ack runs there
    notifier: AdminNotifier
    healths: HealthByConnection  # Webex's health, one per connection
    worker: WorkerLink | None = None  # the process that does the commands' work (bot/worker.py), when there is one
    slack: SlackClients = field(default_factory=SlackClients)  # bot tokens by workspace, for background work
    dm_channels: LRUCache[tuple[str, str], str] = field(default_factory=lambda: LRUCache(DM_CHANNELS_KEPT))
    tracker: Tracker = field(init=False)
    runner: IntentRunner = field(init=False)
    reminders: Reminders = field(init=False)
    replica: Replica = field(init=False)
    _warming: asyncio.TimerHandle | asyncio.Handle | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.tracker = Tracker(self)
        self.runner = IntentRunner(self)
        self.reminders = Reminders(self)
        self.replica = Replica(self.store, self.settings, self.runner.running)

    async def start_background(self, *, webhooks: bool = False) -> None:
        """On the work loop: join the other replicas (the heartbeat), resume what an earlier run acknowledged and
        did not finish (or a replica that died left), register Webex webhooks when the bot serves them, then start
        the poll."""
        await self.work.call(self._start_background(webhooks))

    async def _start_background(self, webhooks: bool) -> None:
        self.replica.start()
        self.runner.resume()
        if webhooks:
            self.tracker.by_webhooks = await webex_webhooks.register(self)
        self.tracker.start()
        self._warming = asyncio.get_running_loop().call_later(WARM_AFTER_S, self._warm_up, WARM_LOCALES)

    def _warm_up(self, locales: tuple[str, ...]) -> None:
        """Load the parser's language data one locale per turn of the loop, so that start-up (healthy in
        milliseconds) and the requests that arrive meanwhile wait for none or one of them."""
        warm_up(locales[:1])
        if locales[1:]:
            self._warming = asyncio.get_running_loop().call_soon(self._warm_up, locales[1:])

    async def stop_background(self) -> None:
        """Stop the poll, let the work finish (drain), give up this replica's leases, send the last notices."""
        await self.work.call(self._stop_background())

    async def _stop_background(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
        await self.tracker.stop()
        await self.runner.drain()
        await self.replica.stop()
        await self.notifier.drain()

    async def respond(self, response_url: str, message: dict[str, Any]) -> bool:
        """Post to a response_url on the shared connection pool (Bolt's respond opens a session per call)."""
        client = AsyncWebhookClient(url=response_url, session=self.slack_http.as_session())
        reply = await attempt("response_url", client.send_dict(message))
        if reply is None or reply.status_code != 200:
            log.info("response_url answered %s", getattr(reply, "status_code", "nothing"))
            return False
        return True

    async def context(self, team_id: str, user_id: str, channel_id: str) -> Context:
        """The caller's context; ProfileUnavailable when Slack cannot tell who they are (never a guessed zone)."""
        caller = await self.directory.require(user_id)
        backend = self.backend_for(team_id)  # built first: its connection decides which health is the team's
        return Context(
            team_id=team_id,
            caller=caller,
            channel_id=channel_id,
            store=self.store,
            backend=backend,
            directory=self.directory,
            clock=self.clock,
            default_duration=self.settings.default_duration,
            remind_minutes=self.settings.remind_minutes,
            admins=self.settings.admins,  # none in OAuth mode (oauth_mode.per_workspace)
            status=self.healths.of(team_id),
            reconcile=partial(self.tracker.reconcile, team_id),
            about=tuple(self.tracker.describe(team_id)),
        )

    def backend_for(self, team_id: str) -> MeetingsBackend:
        """The workspace's own backend (OAuth mode); the routing one, which says NotConnected, when it has none."""
        if isinstance(self.backend, RoutingBackend):
            with contextlib.suppress(NotConnected):
                return self.backend.for_team(team_id)
        return self.backend

    async def aclose(self) -> None:
        await self.stop_background()
        await self.webex_http.aclose()
        await self.slack_http.close()
        self.work.stop()
        self.store.close()

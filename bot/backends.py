"""The one place that picks the Webex backend (WEBEX_API): the XML API with the service account, or the
REST API with a Service App's token, renewed and kept in the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from commands.backend import MeetingsBackend, Problem
from storage import Store
from webex import WebexClient
from webex.backend import XmlApiBackend
from webex.rest import RefreshCredentials, RestBackend, RestClient, TokenPair, Tokens
from webex.rest.tokens import TokenKeeper

from .health import HealthByConnection
from .replica import exclusively
from .settings import Settings
from .slack_clients import team_in_scope
from .webex_connections import Connections
from .webex_routing import RoutingBackend

if TYPE_CHECKING:
    from .secret_box import SecretBox  # cryptography loads in OAuth mode only

TOKENS = "webex_rest_tokens"
RENEWAL_LEASE_S = 15.0  # longer than one renewal takes; a replica that dies holding it lets go after this
Outcome = Callable[[Problem | None], None]


class StoreTokenKeeper:
    """The newest REST token pair, kept in the store's secrets so a restart (and every replica) uses it; the
    replicas renew it one at a time, under a lease in the store. A workspace's own connection (`team`) has its
    own pair, sealed by `box`; the environment's is the one without a team."""

    def __init__(self, store: Store, team: str = "", box: SecretBox | None = None) -> None:
        self.store = store
        self.name = f"{TOKENS}:{team}" if team else TOKENS
        self.box = box

    def load(self) -> TokenPair | None:
        raw = self.store.secret(self.name)
        if not raw:
            return None
        values = json.loads(self.box.decrypt(raw) if self.box else raw)
        return TokenPair(
            access_token=values["access_token"],
            refresh_token=values.get("refresh_token", ""),
            expires_at=_moment(values.get("expires_at")),
            refresh_expires_at=_moment(values.get("refresh_expires_at")),
        )

    def save(self, pair: TokenPair) -> None:
        values = {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "expires_at": pair.expires_at.isoformat() if pair.expires_at else None,
            "refresh_expires_at": pair.refresh_expires_at.isoformat() if pair.refresh_expires_at else None,
        }
        text = json.dumps(values)
        self.store.put_secret(self.name, self.box.encrypt(text) if self.box else text)

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Waits (a renewal's length at most) while another replica renews; Tokens then reads its result."""
        return exclusively(self.store, self.name, RENEWAL_LEASE_S)


def meetings_backend(
    settings: Settings,
    http: httpx.AsyncClient,
    store: Store,
    healths: HealthByConnection,
    clock: Callable[[], datetime],
) -> MeetingsBackend:
    """The bot's backend: the environment's connection, or (OAuth mode) each workspace's own, routed by the
    workspace in scope. Each connection's calls tell its own health."""
    if not settings.oauth:
        return build_backend(settings, http, store, healths.default.outcome, clock)
    from .secret_box import SecretBox

    box = SecretBox(settings.secret_key)

    def build(team: str, version: int, connection: Settings) -> MeetingsBackend:
        keeper = StoreTokenKeeper(store, team, box) if version else StoreTokenKeeper(store)
        on_outcome = healths.for_connection(team, version).outcome
        return build_backend(connection, http, store, on_outcome, clock, team=team, keeper=keeper)

    return RoutingBackend(Connections(settings, store, box), build, dropped=healths.forget)


def build_backend(
    settings: Settings,
    http: httpx.AsyncClient,
    store: Store,
    on_outcome: Outcome,
    clock: Callable[[], datetime],
    *,
    team: str = "",
    keeper: TokenKeeper | None = None,
) -> MeetingsBackend:
    """One connection's backend; `team`: the workspace it serves ("" for every one, with one SLACK_BOT_TOKEN)."""
    if settings.webex_api == "rest":
        return RestBackend(
            rest_client(settings, http, keeper or StoreTokenKeeper(store), clock),
            call_timeout=settings.webex_timeout_s,
            on_outcome=on_outcome,
            clock=clock,
            host_of=lambda number: _host_of(store, team, number),
            site_url=settings.webex_site_url,
        )
    webex = WebexClient(settings.webex_site_url, settings.webex_security(), http=http)
    return XmlApiBackend(
        webex, site_name=settings.webex_site_name, call_timeout=settings.webex_timeout_s, on_outcome=on_outcome
    )


def rest_client(
    settings: Settings, http: httpx.AsyncClient, keeper: TokenKeeper | None, clock: Callable[[], datetime]
) -> RestClient:
    refresh = None
    if settings.webex_client_id:
        refresh = RefreshCredentials(settings.webex_client_id, settings.webex_client_secret)
    configured = TokenPair(settings.webex_access_token, settings.webex_refresh_token)
    tokens = Tokens(configured, refresh=refresh, keeper=keeper, clock=clock)
    return RestClient(settings.webex_api_url, tokens, http=http)


def _host_of(store: Store, team: str, number: str) -> str | None:
    """`team` "" (one connection for every workspace): the meeting of the workspace in scope."""
    record = store.meeting(team or team_in_scope() or "", number)
    return record.host_webex_id if record else None


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None

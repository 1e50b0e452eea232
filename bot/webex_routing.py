"""One MeetingsBackend for many workspaces (OAuth mode): each call goes to the backend of the workspace in scope
(`team_in_scope()`), built on first use from that workspace's connection and built again when the connection's
version in the store changes (another replica may have changed it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from commands.backend import Account, MeetingsBackend, NewSession, Session, SessionDetails
from commands.errors import NotConnected

from .settings import Settings
from .slack_clients import team_in_scope
from .webex_connections import Connections

VERSION_CHECK_S = 1.0  # how long a workspace's backend is used before its connection's version is read again
Build = Callable[[str, int, Settings], MeetingsBackend]  # (team, connection version, settings) -> its backend


@dataclass
class _Built:
    version: int
    checked_at: float
    backend: MeetingsBackend


class RoutingBackend:
    def __init__(self, connections: Connections, build: Build, dropped: Callable[[str], None] | None = None) -> None:
        self.connections = connections
        self.build = build
        self.dropped = dropped  # told of each workspace whose backend is let go
        self._built: dict[str, _Built] = {}

    def current(self) -> MeetingsBackend:
        """The backend of the workspace in scope; NotConnected when it has no connection (nor a default)."""
        return self.for_team(team_in_scope() or "")

    def for_team(self, team: str) -> MeetingsBackend:
        if not team:
            raise NotConnected()
        built, now = self._built.get(team), time.monotonic()
        if built is not None and now - built.checked_at < VERSION_CHECK_S:
            return built.backend
        if built is not None and self.connections.version(team) == built.version:
            built.checked_at = now
            return built.backend
        found = self.connections.settings_for(team)
        if found is None:
            self.forget(team)
            raise NotConnected()
        version, settings = found
        self._built[team] = _Built(version, now, self.build(team, version, settings))
        return self._built[team].backend

    def forget(self, team_id: str) -> None:
        """Build the workspace's backend again on its next call (its connection changed here, or the app left)."""
        self._built.pop(team_id, None)
        if self.dropped is not None:
            self.dropped(team_id)

    @property
    def name(self) -> str:
        return self.current().name

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.current().kinds

    @property
    def ids_are_emails(self) -> bool:
        return self.current().ids_are_emails

    async def find_account(self, webex_id_or_email: str) -> Account | None:
        return await self.current().find_account(webex_id_or_email)

    async def accounts_with_email(self, email: str) -> list[Account]:
        return await self.current().accounts_with_email(email)

    async def create(self, new: NewSession) -> Session:
        return await self.current().create(new)

    async def find_created(self, new: NewSession) -> Session | None:
        return await self.current().find_created(new)

    async def session(self, key: str) -> Session:
        return await self.current().session(key)

    async def details(self, key: str) -> SessionDetails:
        return await self.current().details(key)

    def public_join_link(self, key: str, kind: str = "meeting") -> str:
        return self.current().public_join_link(key, kind)

    async def join_link(self, key: str, *, kind: str, name: str, email: str | None) -> str:
        return await self.current().join_link(key, kind=kind, name=name, email=email)

    async def host_link(self, key: str) -> str:
        return await self.current().host_link(key)

    async def upcoming(self, host_webex_id: str, start: datetime, end: datetime) -> list[Session]:
        return await self.current().upcoming(host_webex_id, start, end)

    async def live(self) -> list[Session]:
        return await self.current().live()

    async def cancel(self, key: str, kind: str) -> None:
        await self.current().cancel(key, kind)

    async def reschedule(self, key: str, start: datetime, duration_minutes: int, time_zone: str) -> None:
        await self.current().reschedule(key, start, duration_minutes, time_zone)

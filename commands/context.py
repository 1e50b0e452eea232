"""What a sub-command is given: who is asking, where, and the services it may use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from storage import Link, Store

from .backend import MeetingsBackend


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    email: str | None
    tz: str = "UTC"
    locale: str = "en-US"
    is_admin: bool = False


class SiteStatus(Protocol):
    """What the bot knows of the Webex site's health, for `/webex admin status`."""

    def describe(self) -> list[str]: ...


class Directory(Protocol):
    """Slack's people, as the commands need them (the bot implements it with users.info)."""

    async def person(self, user_id: str) -> Person | None: ...


@dataclass
class Context:
    team_id: str
    caller: Person
    channel_id: str
    store: Store
    backend: MeetingsBackend
    directory: Directory
    clock: Callable[[], datetime]
    default_duration: int = 60
    remind_minutes: int = 10
    admins: frozenset[str] = frozenset()
    status: SiteStatus | None = None
    reconcile: Callable[[], Awaitable[list[str]]] | None = None  # compare the store with Webex, say what changed
    about: tuple[str, ...] = ()  # how the bot talks to Webex, for admins
    notes: list[str] = field(default_factory=list)
    _link: Link | None = field(default=None, init=False, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.caller.is_admin or self.caller.user_id in self.admins

    @property
    def link(self) -> Link | None:
        """The caller's link; once found, the same one for the rest of the request."""
        if self._link is None:
            self._link = self.store.link_for(self.team_id, self.caller.user_id)
        return self._link

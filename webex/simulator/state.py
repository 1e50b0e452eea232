"""What the simulated Webex site knows: its users, sessions and tickets."""

from __future__ import annotations

import random
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..models import ServiceType


@dataclass
class SimUser:
    webex_id: str
    email: str
    passwords: frozenset[str] = field(repr=False)
    first_name: str = ""
    last_name: str = ""
    is_host: bool = True
    is_site_admin: bool = False
    active: bool = True
    time_zone_id: int = 4
    registered: datetime = field(default_factory=lambda: datetime(2020, 1, 6, 9, 0, tzinfo=UTC))
    # users who may schedule on this user's behalf (GetUser's scheduleFor)
    schedule_for: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.webex_id


@dataclass
class SimPerson:
    name: str
    email: str
    role: str = "ATTENDEE"


@dataclass
class SimSession:
    key: str
    service: ServiceType
    session_type: int
    topic: str
    host: str  # webExId of the (effective) host
    created_by: str
    start: datetime  # aware, UTC
    zone_id: int
    duration: int
    agenda: str = ""
    description: str = ""
    password: str = ""
    listing: str = "PUBLIC"
    invitees: list[SimPerson] = field(default_factory=list)
    presenters: list[SimPerson] = field(default_factory=list)
    full_access: list[SimPerson] = field(default_factory=list)
    limited_access: list[SimPerson] = field(default_factory=list)
    call_in: str = ""
    conf_id: str = ""
    guest_token: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    joined: list[str] = field(default_factory=list)
    repeat: dict[str, Any] = field(default_factory=dict)  # a meeting's stored `repeat` fields; empty: NO_REPEAT

    @property
    def in_progress(self) -> bool:
        return self.started_at is not None and self.ended_at is None

    def is_owned_by(self, webex_id: str) -> bool:
        return webex_id.lower() in (self.host.lower(), self.created_by.lower())

    def invites(self, email: str) -> bool:
        wanted = email.lower()
        people = self.invitees + self.presenters + self.full_access + self.limited_access
        return any(p.email.lower() == wanted for p in people)


@dataclass
class SiteState:
    site_name: str
    site_id: str = "0000"
    users: dict[str, SimUser] = field(default_factory=dict)
    sessions: dict[str, SimSession] = field(default_factory=dict)
    session_tickets: dict[str, str] = field(default_factory=dict, repr=False)
    login_tickets: dict[str, str] = field(default_factory=dict, repr=False)
    browser_logins: dict[str, str] = field(default_factory=dict, repr=False)
    seed: int = 7
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def add_user(self, user: SimUser) -> SimUser:
        self.users[user.webex_id.lower()] = user
        return user

    def find_user(self, name: str) -> SimUser | None:
        """By webExId or, as on Common Identity sites, by email."""
        wanted = name.strip().lower()
        user = self.users.get(wanted)
        if user is not None:
            return user
        return next((u for u in self.users.values() if u.email.lower() == wanted), None)

    def add_session(self, session: SimSession) -> SimSession:
        self.sessions[session.key] = session
        return session

    def new_key(self) -> str:
        while True:
            key = str(self._random.randint(100_000_000, 999_999_999))
            if key not in self.sessions:
                return key

    def new_conf_id(self) -> str:
        return str(self._random.randint(10_000_000, 99_999_999))

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(16)

    def issue_session_ticket(self, webex_id: str) -> str:
        ticket = secrets.token_urlsafe(24)
        self.session_tickets[ticket] = webex_id
        return ticket

    def issue_login_ticket(self, webex_id: str) -> str:
        ticket = secrets.token_hex(16)
        self.login_tickets[ticket] = webex_id
        return ticket

    def redeem_login_ticket(self, ticket: str, webex_id: str) -> bool:
        """One-time: a ticket works once, and only for the user it was issued to."""
        owner = self.login_tickets.pop(ticket, None)
        return owner is not None and owner.lower() == webex_id.lower()

    def start(self, key: str, at: datetime | None = None) -> SimSession:
        session = self.sessions[key]
        if not session.in_progress:
            session.started_at = at or datetime.now(UTC)
            session.ended_at = None
        return session

    def end(self, key: str, at: datetime | None = None) -> SimSession:
        session = self.sessions[key]
        if session.in_progress:
            session.ended_at = at or datetime.now(UTC)
        return session

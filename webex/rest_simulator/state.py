"""What the simulated REST site knows: people, OAuth apps and tokens, meetings, webhooks and links."""

from __future__ import annotations

import base64
import random
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

SITE_HOST = "demo.webex.com"


def spark_id(kind: str, value: uuid.UUID) -> str:
    """Ids as Webex writes them: base64url of `ciscospark://us/KIND/uuid`, unpadded."""
    raw = f"ciscospark://us/{kind}/{value}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Person:
    id: str
    email: str
    first_name: str
    last_name: str
    org_id: str
    timezone: str = "UTC"
    is_admin: bool = False  # may act for others (hostEmail) and see everyone
    created: datetime = field(default_factory=lambda: datetime(2020, 1, 6, 9, 0, tzinfo=UTC))

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


@dataclass
class App:
    """An Integration or Service App: the OAuth client that tokens are issued to."""

    client_id: str
    client_secret: str = field(repr=False)
    service_app: bool = False  # a Service App must name hostEmail when it asks for join links


@dataclass
class Grant:
    """One token pair: what an access or refresh token stands for."""

    person_id: str
    client_id: str
    expires_at: datetime


@dataclass
class Invitee:
    email: str
    display_name: str
    co_host: bool = False


@dataclass
class Series:
    """A meeting series; a meeting without recurrence is a series with one occurrence."""

    id: str
    meeting_number: str
    title: str
    start: datetime  # first occurrence, UTC
    end: datetime
    timezone: str
    host_id: str
    created_by_app: str
    password: str = field(repr=False, default="")
    agenda: str | None = None
    recurrence: str | None = None
    invitees: list[Invitee] = field(default_factory=list)
    integration_tags: list[str] = field(default_factory=list)
    scheduled_type: str = "meeting"
    send_email: bool = True
    enabled_join_before_host: bool = False
    join_before_host_minutes: int = 0
    web_token: str = ""
    cancelled: set[str] = field(default_factory=set)  # occurrence keys deleted one by one
    overrides: dict[str, dict[str, object]] = field(default_factory=dict)  # exceptional occurrences


@dataclass
class Instance:
    """A meeting that has been started: in progress until it ends."""

    id: str
    series_id: str
    occurrence_key: str
    started_at: datetime
    ended_at: datetime | None = None
    end_token: str = field(default="", repr=False)
    joined: list[str] = field(default_factory=list)

    @property
    def in_progress(self) -> bool:
        return self.ended_at is None


@dataclass
class Link:
    """A start or join link handed out by POST /meetings/join."""

    kind: str  # "start" or "join"
    series_id: str
    occurrence_key: str
    email: str
    display_name: str
    expires_at: datetime


@dataclass
class Webhook:
    id: str
    name: str
    target_url: str
    resource: str
    event: str
    filter: str
    secret: str = field(repr=False)
    owned_by: str
    created_by: str
    client_id: str
    created: datetime
    status: str = "active"


@dataclass
class RestState:
    site_url: str = SITE_HOST
    org_id: str = ""
    people: dict[str, Person] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)
    access_tokens: dict[str, Grant] = field(default_factory=dict, repr=False)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict, repr=False)
    series: dict[str, Series] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict, repr=False)
    webhooks: dict[str, Webhook] = field(default_factory=dict)
    refreshes: int = 0  # token refreshes done
    seed: int = 7
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        if not self.org_id:
            self.org_id = spark_id("ORGANIZATION", self.new_uuid())

    @property
    def site_name(self) -> str:
        return self.site_url.split(".", 1)[0]

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self._random.getrandbits(128), version=4)

    def add_person(self, email: str, first: str, last: str, **extra: object) -> Person:
        person = Person(spark_id("PEOPLE", self.new_uuid()), email, first, last, self.org_id, **extra)  # type: ignore[arg-type]
        self.people[person.id] = person
        return person

    def person_by_email(self, email: str) -> Person | None:
        wanted = email.strip().lower()
        return next((p for p in self.people.values() if p.email.lower() == wanted), None)

    def new_meeting_number(self) -> str:
        taken = {s.meeting_number for s in self.series.values()}
        while True:
            number = str(self._random.randint(2_500_000_000, 2_699_999_999))
            if number not in taken:
                return number

    def new_series_id(self) -> str:
        return self.new_uuid().hex

    def new_instance_id(self, series_id: str) -> str:
        return f"{series_id}_I_{self._random.randint(10**17, 10**18 - 1)}"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(24)

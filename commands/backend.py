"""The meetings backend the commands talk to. The Webex XML API (webex/backend.py) and the Webex REST API
(webex/rest/backend.py) implement it; commands/ never knows which one it has."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class Problem(StrEnum):
    NOT_FOUND = "not_found"
    NO_PRIVILEGE = "no_privilege"
    IN_PROGRESS = "in_progress"
    RATE_LIMITED = "rate_limited"
    BAD_CREDENTIALS = "bad_credentials"
    INVALID_INPUT = "invalid_input"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"
    UNKNOWN = "unknown"


class BackendError(Exception):
    """A backend call failed; `problem` says what kind of failure, `detail` is for the log only."""

    def __init__(self, problem: Problem, detail: str, *, maybe_applied: bool = False) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.maybe_applied = maybe_applied  # a write that may have happened although it failed


@dataclass(frozen=True)
class Account:
    webex_id: str
    email: str
    name: str
    active: bool = True
    is_host: bool = True


KINDS = ("meeting", "training", "teleconference", "event", "support")
JOINABLE_BY_LINK = ("meeting", "training", "event", "support")  # a teleconference is joined by phone
STARTABLE = ("meeting", "training")  # GethosturlMeeting serves Meeting and Training Center


@dataclass(frozen=True)
class Session:
    key: str
    topic: str
    host_webex_id: str
    start: datetime | None
    duration_minutes: int
    in_progress: bool = False
    kind: str = "meeting"  # one of KINDS
    join_url: str = ""  # a link anyone invited can join by, when the backend knows it without another call
    recurrence: str | None = None  # an RFC 5545 RRULE without DTSTART, for a series


@dataclass(frozen=True)
class SessionDetails:
    """What the site knows about a session. `password` is raw: commands decide who may see it."""

    session: Session
    agenda: str = ""
    call_in: str = ""
    listing: str = ""
    host_email: str = ""
    invitee_emails: tuple[str, ...] = ()
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class NewSession:
    topic: str
    start: datetime
    duration_minutes: int
    host_webex_id: str
    time_zone: str  # the host's IANA zone, for the site's time zone choice
    invitee_emails: tuple[tuple[str, str], ...] = ()  # (name, email)
    agenda: str | None = None
    password: str | None = None
    kind: str = "meeting"  # meeting, training or teleconference
    request_id: str = ""  # ties the session to the Slack request that asked for it (REST: integrationTags)
    recurrence: str | None = None  # an RFC 5545 RRULE without DTSTART; None for a one-off

    def as_json(self) -> dict[str, Any]:
        """JSON-ready values, for a durable intent's payload."""
        return {**asdict(self), "start": self.start.isoformat()}

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> NewSession:
        fields = {**values, "start": datetime.fromisoformat(values["start"])}
        fields["invitee_emails"] = tuple(tuple(pair) for pair in fields.get("invitee_emails", ()))
        return cls(**fields)


class MeetingsBackend(Protocol):
    """`kinds` are the session kinds `create` accepts; `name` says which Webex API this is, for admins;
    `ids_are_emails`: an account's id is its email (REST), not a webExID (XML)."""

    @property
    def name(self) -> str: ...

    @property
    def kinds(self) -> tuple[str, ...]: ...

    @property
    def ids_are_emails(self) -> bool: ...

    async def find_account(self, webex_id_or_email: str) -> Account | None: ...

    async def accounts_with_email(self, email: str) -> list[Account]: ...

    async def create(self, new: NewSession) -> Session: ...

    async def find_created(self, new: NewSession) -> Session | None:
        """After a create whose outcome is unknown: the session that request made, if Webex has it."""
        ...

    async def session(self, key: str) -> Session: ...

    async def details(self, key: str) -> SessionDetails: ...

    def public_join_link(self, key: str, kind: str = "meeting") -> str: ...

    async def join_link(self, key: str, *, kind: str, name: str, email: str | None) -> str: ...

    async def host_link(self, key: str) -> str: ...

    async def upcoming(self, host_webex_id: str, start: datetime, end: datetime) -> list[Session]: ...

    async def live(self) -> list[Session]: ...

    async def cancel(self, key: str, kind: str) -> None: ...

    async def reschedule(self, key: str, start: datetime, duration_minutes: int, time_zone: str) -> None: ...

"""Typed values the Webex client takes and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .repeat import Repeat


class ServiceType(StrEnum):
    MEETING_CENTER = "MeetingCenter"
    TRAINING_CENTER = "TrainingCenter"
    EVENT_CENTER = "EventCenter"
    SUPPORT_CENTER = "SupportCenter"

    @classmethod
    def parse(cls, text: str) -> ServiceType:
        squashed = text.replace(" ", "").lower()
        for member in cls:
            if member.value.lower() == squashed:
                return member
        raise ValueError(f"unknown service type {text!r}")


class SessionStatus(StrEnum):
    NOT_INPROGRESS = "NOT_INPROGRESS"
    INPROGRESS = "INPROGRESS"

    @classmethod
    def parse(cls, text: str) -> SessionStatus:
        return cls.INPROGRESS if text.strip().upper() == "INPROGRESS" else cls.NOT_INPROGRESS


@dataclass(frozen=True)
class SecurityContext:
    """The credentials every request carries; either a password or a session ticket."""

    webex_id: str
    password: str | None = None
    session_ticket: str | None = None
    site_name: str | None = None
    site_id: str | None = None
    partner_id: str | None = None
    email: str | None = None

    def as_fields(self) -> dict[str, str | None]:
        return {
            "siteName": self.site_name,
            "siteID": self.site_id,
            "webExID": self.webex_id,
            "password": None if self.session_ticket else self.password,
            "sessionTicket": self.session_ticket,
            "partnerID": self.partner_id,
            "email": self.email,
        }

    def __repr__(self) -> str:
        return f"SecurityContext(webex_id={self.webex_id!r}, site={self.site_name or self.site_id!r})"


@dataclass(frozen=True)
class User:
    webex_id: str
    email: str
    first_name: str = ""
    last_name: str = ""
    active: bool = True
    is_host: bool = False
    is_site_admin: bool = False
    time_zone_id: int | None = None
    schedule_for: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.webex_id


@dataclass(frozen=True)
class UserSummary:
    webex_id: str
    email: str
    first_name: str = ""
    last_name: str = ""
    active: bool = True
    registered: datetime | None = None


@dataclass(frozen=True)
class SessionTicket:
    ticket: str = field(repr=False)
    created_ms: int | None = None
    time_to_live_s: int | None = None


@dataclass(frozen=True)
class Invitee:
    """A person on a session: `role` HOST makes an alternate host (who needs a host account)."""

    name: str
    email: str
    role: str = "ATTENDEE"


@dataclass(frozen=True)
class NewMeeting:
    topic: str
    start: datetime
    duration_minutes: int
    host_webex_id: str | None = None
    invitees: tuple[Invitee, ...] = ()
    password: str | None = field(default=None, repr=False)
    agenda: str | None = None
    time_zone_id: int | None = None
    meeting_type: int | None = None
    email_invitations: bool = False
    repeat: Repeat | None = None  # a series; None for a one-off


@dataclass(frozen=True)
class MeetingChanges:
    """SetMeeting: only the fields given are sent."""

    topic: str | None = None
    start: datetime | None = None
    duration_minutes: int | None = None
    agenda: str | None = None
    time_zone_id: int | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CalendarLinks:
    host: str = ""
    attendee: str = ""


@dataclass(frozen=True)
class CreatedSession:
    key: str
    guest_token: str = ""
    calendar: CalendarLinks = CalendarLinks()


@dataclass(frozen=True)
class Meeting:
    key: str
    topic: str
    host_webex_id: str
    start: datetime
    duration_minutes: int
    time_zone_id: int
    status: SessionStatus
    agenda: str = ""
    meeting_type: int | None = None
    password: str | None = field(default=None, repr=False)
    invitees: tuple[Invitee, ...] = ()
    repeat: Repeat | None = None


@dataclass(frozen=True)
class MeetingSummary:
    key: str
    topic: str
    host_webex_id: str
    start: datetime
    duration_minutes: int
    time_zone_id: int
    status: SessionStatus
    list_status: str = ""
    meeting_type: int | None = None


@dataclass(frozen=True)
class OpenSession:
    key: str
    name: str
    host_webex_id: str
    start: datetime
    service_type: ServiceType
    time_zone_id: int
    list_status: str = ""


@dataclass(frozen=True)
class SessionSummary:
    key: str
    topic: str
    service_type: ServiceType
    session_type: int | None
    host_webex_id: str
    host_email: str
    start: datetime
    duration_minutes: int
    time_zone_id: int
    status: SessionStatus
    list_status: str = ""
    password_required: bool = False


@dataclass(frozen=True)
class SessionInfo:
    """GetSessionInfo. `password` is present only when the caller may see it."""

    key: str
    topic: str
    status: SessionStatus
    service_type: ServiceType
    session_type: int | None
    host_webex_id: str
    host_email: str
    start: datetime | None
    duration_minutes: int
    conf_id: str = ""
    list_status: str = ""
    password_required: bool = False
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class NewTeleconference:
    topic: str
    start: datetime
    duration_minutes: int
    time_zone_id: int | None = None
    password: str | None = field(default=None, repr=False)
    listing: str = "PUBLIC"
    full_access: tuple[Invitee, ...] = ()
    limited_access: tuple[Invitee, ...] = ()
    call_in_description: str | None = None
    email_invitations: bool = False


@dataclass(frozen=True)
class Teleconference:
    key: str
    topic: str
    host_webex_id: str
    start: datetime
    duration_minutes: int
    time_zone_id: int
    listing: str = ""
    session_type: int | None = None
    call_in_description: str = ""
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class NewTraining:
    topic: str
    start: datetime
    duration_minutes: int
    time_zone_id: int | None = None
    host_webex_id: str | None = None
    password: str | None = field(default=None, repr=False)
    agenda: str | None = None
    description: str | None = None
    listing: str = "PUBLIC"
    presenters: tuple[Invitee, ...] = ()
    attendees: tuple[Invitee, ...] = ()
    email_invitations: bool = False


@dataclass(frozen=True)
class TrainingSession:
    key: str
    topic: str
    host_webex_id: str
    start: datetime
    duration_minutes: int
    time_zone_id: int
    status: SessionStatus
    agenda: str = ""
    description: str = ""
    listing: str = ""
    password: str | None = field(default=None, repr=False)
    presenters: tuple[Invitee, ...] = ()
    attendees: tuple[Invitee, ...] = ()


@dataclass(frozen=True)
class TimeZoneInfo:
    id: int
    gmt_offset_minutes: int
    description: str
    fall_in_dst: bool

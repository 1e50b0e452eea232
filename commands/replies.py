"""The values sub-commands return; bot/views.py renders them as Block Kit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Notice:
    """A private message to the caller."""

    text: str


@dataclass(frozen=True)
class MeetingView:
    key: str
    topic: str
    start: datetime | None
    duration_minutes: int
    host_webex_id: str
    join_url: str
    host_user_id: str | None = None
    invitee_user_ids: tuple[str, ...] = ()
    invitee_emails: tuple[str, ...] = ()
    status: str = "scheduled"  # scheduled, live, ended, cancelled
    kind: str = "meeting"
    call_in: str = ""  # a teleconference's dial-in details, shown instead of a Join link
    recurrence: str | None = None  # a series' RFC 5545 RRULE (without DTSTART); `start` is its next meeting


@dataclass(frozen=True)
class Created:
    """A new meeting: its card goes to the channel, invitees get a direct message."""

    meeting: MeetingView
    host_url: str | None = field(default=None, repr=False)  # for a meeting starting now: its host only


@dataclass(frozen=True)
class JoinLink:
    meeting: MeetingView
    url: str = field(repr=False)


@dataclass(frozen=True)
class HostLink:
    """Logs its holder in as the host: shown to that host only, never stored or logged."""

    meeting: MeetingView
    url: str = field(repr=False)


@dataclass(frozen=True)
class MeetingList:
    title: str
    meetings: tuple[MeetingView, ...]
    empty_text: str
    caller_hosts: bool = True


@dataclass(frozen=True)
class SessionCard:
    """`/webex info`: what the site knows, less what the caller may not see."""

    meeting: MeetingView
    agenda: str = ""
    listing: str = ""
    invitees: int = 0
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ConfirmCancel:
    """For a series (`meeting.recurrence`), `occurrence` is its next meeting when Webex can cancel that one
    alone; None: only the whole series can go."""

    meeting: MeetingView
    occurrence: datetime | None = None


@dataclass(frozen=True)
class Cancelled:
    """`occurrence`: only that meeting of the series was cancelled; `meeting.start` is then the next one."""

    meeting: MeetingView
    occurrence: datetime | None = None


Answer = Notice | JoinLink | HostLink | MeetingList | SessionCard | ConfirmCancel  # a private reply, nothing more

"""Typed, frozen results of the REST calls, read from the JSON the spec describes.

Readers raise ValueError (the client turns it into RestParseError) when a field the bot relies on is
missing or of the wrong type; every other field is optional and defaults to empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Person:
    id: str
    emails: tuple[str, ...]
    display_name: str
    first_name: str = ""
    last_name: str = ""
    login_enabled: bool = True
    site_roles: tuple[str, ...] = ()  # "site.webex.com#attendee" and the like

    @property
    def may_host(self) -> bool:
        """A person whose only site roles are attendee cannot host; no roles listed means not known: yes."""
        return not self.site_roles or any(not role.endswith("#attendee") for role in self.site_roles)


@dataclass(frozen=True)
class Meeting:
    id: str
    number: str
    title: str
    start: datetime | None
    end: datetime | None
    state: str = ""
    meeting_type: str = ""
    series_id: str = ""
    timezone: str = ""
    host_email: str = ""
    host_name: str = ""
    web_link: str = ""
    agenda: str = ""
    recurrence: str | None = None
    public: bool = False
    integration_tags: tuple[str, ...] = ()
    call_in: str = ""
    host_did_join: bool = False
    password: str | None = field(default=None, repr=False)

    @property
    def duration_minutes(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return max(0, round((self.end - self.start).total_seconds() / 60))

    @property
    def in_progress(self) -> bool:
        """A series or instance says inProgress; a scheduled meeting stays `ready` once its host joined."""
        return self.state == "inProgress" or (self.state == "ready" and self.host_did_join)


@dataclass(frozen=True)
class JoinLinks:
    join_link: str = field(default="", repr=False)
    start_link: str = field(default="", repr=False)  # logs its holder in as the host: never shown to others
    expiration: datetime | None = None


@dataclass(frozen=True)
class Webhook:
    id: str
    name: str
    target_url: str
    resource: str
    event: str
    status: str = "active"
    filter: str = ""
    owned_by: str = ""
    secret: str = field(default="", repr=False)


def person(item: Any) -> Person:
    data = _object(item)
    return Person(
        id=_required(data, "id"),
        emails=tuple(e for e in _list(data, "emails") if isinstance(e, str)),
        display_name=_text(data, "displayName"),
        first_name=_text(data, "firstName"),
        last_name=_text(data, "lastName"),
        login_enabled=_text(data, "loginEnabled") != "false",
        site_roles=tuple(s for s in _list(data, "siteUrls") if isinstance(s, str)),
    )


def meeting(item: Any) -> Meeting:
    data = _object(item)
    return Meeting(
        id=_required(data, "id"),
        number=_text(data, "meetingNumber"),
        title=_text(data, "title"),
        start=_time(data, "start"),
        end=_time(data, "end"),
        state=_text(data, "state"),
        meeting_type=_text(data, "meetingType"),
        series_id=_text(data, "meetingSeriesId"),
        timezone=_text(data, "timezone"),
        host_email=_text(data, "hostEmail"),
        host_name=_text(data, "hostDisplayName"),
        web_link=_text(data, "webLink"),
        agenda=_text(data, "agenda"),
        recurrence=_text(data, "recurrence") or None,
        public=data.get("publicMeeting") is True,
        integration_tags=tuple(t for t in _list(data, "integrationTags") if isinstance(t, str)),
        call_in=_call_in(data.get("telephony")),
        host_did_join=data.get("hostDidJoin") is True,
        password=_text(data, "password") or None,
    )


def join_links(item: Any) -> JoinLinks:
    data = _object(item)
    return JoinLinks(
        join_link=_text(data, "joinLink"), start_link=_text(data, "startLink"), expiration=_time(data, "expiration")
    )


def webhook(item: Any) -> Webhook:
    data = _object(item)
    return Webhook(
        id=_required(data, "id"),
        name=_text(data, "name"),
        target_url=_text(data, "targetUrl"),
        resource=_text(data, "resource"),
        event=_text(data, "event"),
        status=_text(data, "status") or "active",
        filter=_text(data, "filter"),
        owned_by=_text(data, "ownedBy"),
        secret=_text(data, "secret"),
    )


def items(reply: Any) -> list[Any]:
    """The `items` of a list reply."""
    return _list(_object(reply), "items", required=True)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {type(value).__name__}")
    return value


def _list(data: dict[str, Any], key: str, *, required: bool = False) -> list[Any]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{key} is not text")
    return str(value).strip()


def _required(data: dict[str, Any], key: str) -> str:
    value = _text(data, key)
    if not value:
        raise ValueError(f"{key} is missing")
    return value


def _time(data: dict[str, Any], key: str) -> datetime | None:
    text = _text(data, key)
    if not text:
        return None
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"{key} has no UTC offset")
    return parsed


def _call_in(telephony: Any) -> str:
    if not isinstance(telephony, dict):
        return ""
    numbers = [n for n in telephony.get("callInNumbers") or [] if isinstance(n, dict) and n.get("callInNumber")]
    lines = [f"{n.get('label') or 'Call-in'}: {n['callInNumber']}" for n in numbers]
    code = telephony.get("accessCode")
    if code:
        lines.append(f"Access code: {code}")
    return "\n".join(str(line) for line in lines)

"""What every simulated operation shares: the call context, validation and access rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ...models import ServiceType
from ...timezones import from_webex, iana_for, to_webex, zone
from ...xml import Node
from ..replies import Failure, Reply
from ..state import SimPerson, SimSession, SimUser, SiteState

NO_PRIVILEGE = "000001"
NO_RECORD = "000015"
USER_NOT_FOUND = "030001"
BAD_CREDENTIALS = "030002"
ROLE_NOT_SUPPORTED = "040007"
MEETING_NOT_FOUND = "060001"
STARTED = "060042"
INVALID = "999999"

LIST_CEILING = 500
DEFAULT_MAXIMUM = 50


@dataclass
class Call:
    state: SiteState
    caller: SimUser
    body: Node
    now: datetime
    site_url: str  # for example http://127.0.0.1:8080

    def session(self, key_path: str = "sessionKey") -> SimSession:
        key = self.body.text(key_path) or self.body.text("meetingKey") or self.body.text("sessionKey")
        session = self.state.sessions.get(key)
        if session is None:
            raise Failure(MEETING_NOT_FOUND, "Corresponding Meeting not found")
        return session

    def own_session(self, *, admin_allowed: bool = False) -> SimSession:
        """A session the caller hosts or scheduled; 000001 for anyone else's (guide, GetMeeting)."""
        session = self.session()
        if session.is_owned_by(self.caller.webex_id):
            return session
        if admin_allowed and self.caller.is_site_admin:
            return session
        raise Failure(NO_PRIVILEGE, "Access denied, additional privileges are required")


Handler = Callable[[Call], Reply]


def require_not_started(session: SimSession) -> None:
    """Nothing in progress can be deleted; Training and Event Center sessions not even once started (guide)."""
    once_started = session.started_at is not None and session.service in (
        ServiceType.TRAINING_CENTER,
        ServiceType.EVENT_CENTER,
    )
    if session.in_progress or once_started:
        raise Failure(STARTED, "On Webex11 site, a started session cannot be deleted or changed recurrence type")


def parse_start(node: Node, default_zone: int = 4) -> tuple[datetime, int]:
    zone_text = node.text("timeZoneID")
    zone_id = int(zone_text) if zone_text.isdigit() else default_zone
    if not 0 <= zone_id <= 61:
        raise Failure(INVALID, "Invalid timeZoneID")
    raw = node.text("startDate")
    if not raw:
        raise Failure(INVALID, "startDate is required")
    try:
        return from_webex(raw, zone_id).astimezone(UTC), zone_id
    except ValueError:
        raise Failure(INVALID, "Invalid startDate, expected MM/DD/YYYY HH:MM:SS") from None


def parse_duration(node: Node, default: int = 60) -> int:
    raw = node.text("duration")
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) <= 1440:
        raise Failure(INVALID, "Invalid duration")
    return int(raw)


def required_text(node: Node, path: str, label: str) -> str:
    value = node.text(path)
    if not value:
        raise Failure(INVALID, f"{label} is required")
    return value


def wall(moment: datetime, zone_id: int) -> str:
    return to_webex(moment, zone_id)


def zone_label(zone_id: int, at: datetime) -> str:
    return zone(zone_id).describe(at)


def host_person(call: Call, person: Node, role: str) -> SimPerson:
    """An attendee, presenter or alternate host; role HOST needs an active host account (040007)."""
    email = person.text("email").lower()
    name = person.text("name") or email
    if role.upper() == "HOST":
        account = call.state.find_user(email)
        if account is None or not account.is_host or not account.active:
            raise Failure(ROLE_NOT_SUPPORTED, "The role is not supported for adding specified attendee to session")
    return SimPerson(name=name, email=email, role=role.upper() or "ATTENDEE")


def effective_host(call: Call, requested: str) -> SimUser:
    """Scheduling on behalf of another host: site admins, or users the host lists in scheduleFor."""
    if not requested or requested.lower() in (call.caller.webex_id.lower(), call.caller.email.lower()):
        if not call.caller.is_host and not call.caller.is_site_admin:
            raise Failure(NO_PRIVILEGE, "Access denied, additional privileges are required")
        return call.caller
    host = call.state.find_user(requested)
    if host is None or not host.active or not host.is_host:
        raise Failure(USER_NOT_FOUND, "Corresponding User not found")
    allowed = call.caller.is_site_admin or call.caller.webex_id.lower() in (n.lower() for n in host.schedule_for)
    if not allowed:
        raise Failure(NO_PRIVILEGE, "Access denied, additional privileges are required")
    return host


def page(call: Call, items: list[object]) -> tuple[list[object], dict[str, int]]:
    """Apply listControl (1-based startFrom, maximumNum capped at the ceiling of 500)."""
    control = call.body.child("listControl")
    start = control.int("startFrom", 1) if control is not None else 1
    maximum = control.int("maximumNum", DEFAULT_MAXIMUM) if control is not None else DEFAULT_MAXIMUM
    start = max(start, 1)
    maximum = min(max(maximum, 1), LIST_CEILING)
    if not items:
        raise Failure(NO_RECORD, "Sorry, no record found")
    chosen = items[start - 1 : start - 1 + maximum]
    if not chosen:
        raise Failure(NO_RECORD, "Sorry, no record found")
    return chosen, {"serv:total": len(items), "serv:returned": len(chosen), "serv:startFrom": start}


def scope_bounds(call: Call, default_zone: int) -> tuple[datetime | None, datetime | None, int]:
    scope = call.body.child("dateScope")
    if scope is None:
        return None, None, default_zone
    zone_text = scope.text("timeZoneID")
    zone_id = int(zone_text) if zone_text.isdigit() and int(zone_text) <= 61 else default_zone
    bounds = []
    for name in ("startDateStart", "startDateEnd"):
        raw = scope.text(name)
        try:
            bounds.append(from_webex(raw, zone_id) if raw else None)
        except ValueError:
            raise Failure(INVALID, f"Invalid {name}") from None
    return bounds[0], bounds[1], zone_id


def in_zone(moment: datetime, zone_id: int) -> datetime:
    return moment.astimezone(iana_for(zone_id))

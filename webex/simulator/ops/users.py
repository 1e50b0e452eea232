"""Simulated User service."""

from __future__ import annotations

from datetime import datetime

from ...timezones import WEBEX_DATETIME, parse_wall
from ..replies import Failure, Reply
from ..state import SimUser
from .common import INVALID, NO_PRIVILEGE, USER_NOT_FOUND, Call, page, zone_label


def get_user(call: Call) -> Reply:
    wanted = call.body.text("webExId") or call.caller.webex_id
    user = call.state.find_user(wanted)
    if user is None:
        raise Failure(USER_NOT_FOUND, "Corresponding User not found")
    if user is not call.caller and not call.caller.is_site_admin:
        raise Failure(NO_PRIVILEGE, "Access denied, additional privileges are required")
    fields = {
        "firstName": user.first_name,
        "lastName": user.last_name,
        "webExId": user.webex_id,
        "email": user.email,
        "password": "******",
        "timeZoneID": user.time_zone_id,
        "timeZone": zone_label(user.time_zone_id, call.now),
        "privilege": {"host": user.is_host, "siteAdmin": user.is_site_admin},
        "active": "ACTIVATED" if user.active else "DEACTIVATED",
        "registrationDate": user.registered.strftime(WEBEX_DATETIME),
        "scheduleFor": [{"webExID": name} for name in user.schedule_for],
    }
    return Reply("use", "getUserResponse", fields)


def list_users(call: Call) -> Reply:
    if not call.caller.is_site_admin:
        raise Failure(NO_PRIVILEGE, "Access denied, additional privileges are required")
    email = call.body.text("email").lower()
    webex_id = call.body.text("webExId").lower()
    start, end = _registration_range(call)
    found = [
        u
        for u in sorted(call.state.users.values(), key=lambda u: u.webex_id.lower())
        if (not email or u.email.lower() == email)
        and (not webex_id or u.webex_id.lower() == webex_id)
        and (start is None or u.registered.replace(tzinfo=None) >= start)
        and (end is None or u.registered.replace(tzinfo=None) <= end)
    ]
    chosen, records = page(call, list(found))
    users = [_summary(u) for u in chosen if isinstance(u, SimUser)]
    return Reply("use", "LstsummaryUserResponse", {"user": users, "matchingRecords": records})


def _registration_range(call: Call) -> tuple[datetime | None, datetime | None]:
    scope = call.body.child("dataScope")
    if scope is None:
        return None, None
    bounds = []
    for name in ("regDateStart", "regDateEnd"):
        raw = scope.text(name)
        try:
            bounds.append(parse_wall(raw) if raw else None)
        except ValueError:
            raise Failure(INVALID, f"Invalid {name}") from None
    return bounds[0], bounds[1]


def _summary(user: SimUser) -> dict[str, object]:
    return {
        "webExId": user.webex_id,
        "firstName": user.first_name or None,
        "lastName": user.last_name or None,
        "email": user.email,
        "registrationDate": user.registered.strftime(WEBEX_DATETIME),
        "active": "ACTIVATED" if user.active else "DEACTIVATED",
        "timeZoneID": user.time_zone_id,
    }


def authenticate_user(call: Call) -> Reply:
    ticket = call.state.issue_session_ticket(call.caller.webex_id)
    return Reply(
        "use",
        "authenticateUserResponse",
        {
            "sessionTicket": ticket,
            "createTime": int(call.now.timestamp() * 1000),
            "timeToLive": 5400,
        },
    )


def get_login_ticket(call: Call) -> Reply:
    ticket = call.state.issue_login_ticket(call.caller.webex_id)
    return Reply("use", "getLoginTicketResponse", {"ticket": ticket, "apiVersion": "WebEx XML API V8.0.0"})

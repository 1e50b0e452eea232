"""The API's rules for meeting fields: lengths, times, invitees, integration tags, recurrence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from .errors import ApiError, invalid
from .schedule import check_rule
from .state import Invitee
from .times import parse_time, to_minute, zone

TITLE_MAX = 128
AGENDA_MAX = 1300
SHORTEST = timedelta(minutes=10)
LONGEST = timedelta(hours=23, minutes=59)
FURTHEST = timedelta(days=3652)  # "10 years or more in the future" is refused
INVITEES_MAX = 1000
TAGS_MAX, TAG_LENGTH = 3, 64


async def json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw or b"{}")
    except ValueError as error:
        raise ApiError(400, f"Malformed JSON in the request body: {error}.") from error
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body


def text(body: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(f"'{name}' is required.")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(f"'{name}' must be a non-empty string.")
    if len(value) > limit:
        raise invalid(f"'{name}' can be a maximum of {limit} characters long; it has {len(value)}.")
    return value


def timezone_name(body: dict[str, Any], default: str) -> str:
    name = body.get("timezone") or default
    if not isinstance(name, str):
        raise invalid("'timezone' must be an IANA time zone name.")
    zone(name)
    return name


def meeting_times(
    body: dict[str, Any], now: datetime, timezone: str, old: tuple[datetime, datetime] | None = None
) -> tuple[datetime, datetime]:
    """`start` and `end` (required unless `old` gives them), rounded to the minute and checked."""
    tz = zone(timezone)
    if old is None:
        for name in ("start", "end"):
            if body.get(name) is None:
                raise invalid(f"'{name}' is required.")
    start = parse_time(body["start"], "start", tz) if body.get("start") is not None else old[0]  # type: ignore[index]
    end = parse_time(body["end"], "end", tz) if body.get("end") is not None else old[1]  # type: ignore[index]
    start, end = to_minute(start, now), to_minute(end, now)
    if start < now.replace(second=0, microsecond=0):
        raise invalid("'start' cannot be before current date and time.")
    if end <= start:
        raise invalid("'end' cannot be before 'start'.")
    if not SHORTEST <= end - start <= LONGEST:
        raise invalid(
            "Duration between 'start' and 'end' cannot be shorter than 10 minutes or longer than 23 hours 59 minutes."
        )
    if start >= now + FURTHEST:
        raise invalid("A meeting cannot start 10 years or more in the future.")
    return start, end


def invitees(body: dict[str, Any]) -> list[Invitee]:
    raw = body.get("invitees") or []
    if not isinstance(raw, list) or len(raw) > INVITEES_MAX:
        raise invalid(f"'invitees' must be a list of at most {INVITEES_MAX} people.")
    found = []
    for item in raw:
        email = item.get("email") if isinstance(item, dict) else None
        if not isinstance(email, str) or "@" not in email:
            raise invalid("Every invitee needs a valid 'email'.")
        name = item.get("displayName") or email
        if not isinstance(name, str) or len(name) > TITLE_MAX:
            raise invalid("An invitee's 'displayName' can be a maximum of 128 characters long.")
        found.append(Invitee(email, name, bool(item.get("coHost"))))
    return found


def integration_tags(body: dict[str, Any]) -> list[str]:
    raw = body.get("integrationTags") or []
    if not isinstance(raw, list) or len(raw) > TAGS_MAX:
        raise invalid(f"The maximum size of 'integrationTags' is {TAGS_MAX}.")
    if not all(isinstance(tag, str) and 0 < len(tag) <= TAG_LENGTH for tag in raw):
        raise invalid(f"Each item of 'integrationTags' can be a maximum of {TAG_LENGTH} characters long.")
    return list(raw)


def recurrence(body: dict[str, Any], start: datetime, timezone: str) -> str | None:
    rule = body.get("recurrence")
    if rule is None or rule == "":
        return None
    if not isinstance(rule, str):
        raise invalid("'recurrence' must be an RFC 2445 RRULE string.")
    check_rule(rule, start, timezone)
    return rule


def join_before_host(body: dict[str, Any]) -> tuple[bool, int]:
    enabled = bool(body.get("enabledJoinBeforeHost", False))
    minutes = body.get("joinBeforeHostMinutes", 0)
    if minutes not in (0, 5, 10, 15):
        raise invalid("'joinBeforeHostMinutes' must be 0, 5, 10 or 15 for a meeting.")
    return enabled, int(minutes)

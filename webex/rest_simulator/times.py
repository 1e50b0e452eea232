"""ISO 8601 in and out, IANA zones, and the API's rounding of meeting times to the minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import invalid


def zone(name: str) -> tzinfo:
    """An IANA zone by name; 400 for a name the database does not know."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise invalid(f"Invalid timezone '{name}'.") from error


def parse_time(value: object, field: str, default_zone: tzinfo = UTC) -> datetime:
    """Any ISO 8601 date or date-time; one without an offset is read in `default_zone`. Returned in UTC."""
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"'{field}' must be a date and time in ISO 8601 format.")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise invalid(f"'{field}' is not a valid ISO 8601 date and time: '{value}'.") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_zone)
    return parsed.astimezone(UTC)


def to_minute(moment: datetime, now: datetime) -> datetime:
    """As the API schedules: within the current minute, the next minute; otherwise seconds stripped."""
    floor = moment.replace(second=0, microsecond=0)
    if floor == now.replace(second=0, microsecond=0) and moment != floor:
        return floor + timedelta(minutes=1)
    return floor


def iso(moment: datetime, in_zone: tzinfo) -> str:
    """`2019-11-01T20:00:00+08:00`, or with `Z` in UTC, as the API writes times."""
    local = moment.astimezone(in_zone).replace(microsecond=0)
    text = local.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") and in_zone is UTC else text

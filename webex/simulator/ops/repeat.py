"""The `repeat` element of a simulated meeting (schema meet:repeat): read from CreateMeeting as the site
would store it, and shown again by GetMeeting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dateutil.rrule import DAILY, FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, YEARLY, rrule

from ...timezones import iana_for, parse_wall
from ...xml import Node
from ..replies import Failure
from .common import INVALID

REPEAT_TYPES = ("NO_REPEAT", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")
NUMBERS = (("interval", 1, 99), ("afterMeetingNumber", 1, 999), ("dayInMonth", 1, 31),
           ("weekInMonth", 1, 5), ("monthInYear", 1, 12))  # fmt: skip


def read_repeat(body: Node) -> dict[str, Any]:
    """The stored fields of the request's `repeat` (NO_REPEAT when it has none); bad values fail 999999."""
    node = body.child("repeat")
    kind = (node.text("repeatType") if node is not None else "") or "NO_REPEAT"
    if kind not in REPEAT_TYPES:
        raise Failure(INVALID, f"Invalid repeatType {kind}")
    if node is None or kind == "NO_REPEAT":
        return {"repeatType": "NO_REPEAT"}
    stored: dict[str, Any] = {"repeatType": kind}
    for name, low, high in NUMBERS:
        text = node.text(name)
        if not text:
            continue
        if not text.isdigit() or not low <= int(text) <= high:
            raise Failure(INVALID, f"Invalid {name}")
        stored[name] = int(text)
    days = [day.value for day in node.find_all("day")]
    if any(day not in WEEKDAYS for day in days):
        raise Failure(INVALID, "Invalid dayInWeek")
    if days:
        stored["dayInWeek"] = days
    if kind == "WEEKLY" and not days:
        raise Failure(INVALID, "dayInWeek is required for a weekly meeting")
    if node.text("expirationDate"):
        stored["expirationDate"] = node.text("expirationDate")
    return stored


def shown(stored: dict[str, Any]) -> dict[str, Any]:
    """GetMeeting's `repeat`, its children in the schema's order."""
    fields: dict[str, Any] = {"repeatType": stored.get("repeatType", "NO_REPEAT")}
    for name in ("interval", "afterMeetingNumber"):
        if name in stored:
            fields[name] = stored[name]
    if stored.get("dayInWeek"):
        fields["dayInWeek"] = {"day": list(stored["dayInWeek"])}
    for name in ("expirationDate", "dayInMonth", "weekInMonth", "monthInYear"):
        if name in stored:
            fields[name] = stored[name]
    return fields


FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
WEEKDAY_OF = dict(zip(("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"),
                      (MO, TU, WE, TH, FR, SA, SU), strict=True))  # fmt: skip
LAST_WEEK = 5


def starts(stored: dict[str, Any], first: datetime, zone_id: int, low: datetime, high: datetime) -> list[datetime]:
    """The starts of a stored series' meetings between `low` and `high` (UTC), in the meeting's wall time."""
    kind = stored.get("repeatType", "NO_REPEAT")
    if kind not in FREQUENCIES:
        return [first] if low <= first <= high else []
    zone = iana_for(zone_id)
    days = [WEEKDAY_OF[d] for d in stored.get("dayInWeek", ())]
    week = stored.get("weekInMonth")
    if week and days:
        days = [days[0](-1 if week == LAST_WEEK else week)]
    until = stored.get("expirationDate")
    series = rrule(
        FREQUENCIES[kind],
        dtstart=first.astimezone(zone).replace(tzinfo=None),
        interval=stored.get("interval", 1),
        byweekday=days or None,
        bymonthday=stored.get("dayInMonth") if not days else None,
        bymonth=stored.get("monthInYear"),
        count=stored.get("afterMeetingNumber"),
        until=parse_wall(until) if until else None,
    )
    local_low, local_high = (m.astimezone(zone).replace(tzinfo=None) for m in (low, high))
    return [s.replace(tzinfo=zone).astimezone(UTC) for s in series.between(local_low, local_high, inc=True)]

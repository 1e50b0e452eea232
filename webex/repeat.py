"""A repeat rule (an RFC 5545 RRULE without DTSTART) as the XML meeting service's `repeat` element, and back.

The element (schema meet:repeat) holds one repeatType (DAILY, WEEKLY, MONTHLY, YEARLY) with an interval,
the days of the week, one day of the month or one week of the month (1-4, 5 for the last), the month of a
yearly series, and its end: a number of meetings (afterMeetingNumber) or an expirationDate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lxml import etree

from .timezones import from_webex, to_webex
from .xml import Node, build, sub

DAYS = {"MO": "MONDAY", "TU": "TUESDAY", "WE": "WEDNESDAY", "TH": "THURSDAY", "FR": "FRIDAY",
        "SA": "SATURDAY", "SU": "SUNDAY"}  # fmt: skip
CODES = {name: code for code, name in DAYS.items()}
LAST_WEEK = 5  # weekInMonth for "the last week of the month"
REPEAT_TYPES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
KNOWN_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "UNTIL", "COUNT", "WKST"}


class UnsupportedRule(ValueError):
    """The rule has no `repeat` element that says the same; str(error) is the reason, for the user."""


@dataclass(frozen=True)
class Repeat:
    repeat_type: str  # one of REPEAT_TYPES
    interval: int = 1
    days: tuple[str, ...] = ()  # MONDAY ... SUNDAY
    day_in_month: int | None = None
    week_in_month: int | None = None  # 1-4, or LAST_WEEK
    month_in_year: int | None = None
    after_meeting_number: int | None = None
    expiration: datetime | None = None  # aware


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)


def from_rule(rule: str, start: datetime) -> Repeat:
    """The repeat element for `rule`, whose first meeting is at `start` (aware, in the host's zone)."""
    parts = _parts(rule)
    freq = parts.get("FREQ", "")
    if freq not in REPEAT_TYPES:
        raise UnsupportedRule("Webex repeats a meeting daily, weekly, monthly or yearly, not more often.")
    unknown = sorted(set(parts) - KNOWN_PARTS)
    if unknown:
        raise UnsupportedRule(f"Webex cannot repeat a meeting by {', '.join(unknown)}.")
    interval = int(parts.get("INTERVAL", "1"))
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "DAILY" and days:
        raise UnsupportedRule("Webex repeats a daily meeting on every day; for some days, make it weekly on them.")
    if freq == "YEARLY" and interval != 1:
        raise UnsupportedRule("Webex repeats a yearly meeting every year, not every few years.")
    if "BYMONTH" in parts and (freq != "YEARLY" or parts["BYMONTH"] != str(start.month)):
        raise UnsupportedRule("Webex repeats a yearly meeting in the month of its first meeting only.")
    if "UNTIL" in parts and "COUNT" in parts:
        raise UnsupportedRule("Say either when the series ends or how many times it happens, not both.")
    repeat = Repeat(freq, interval, **_days(freq, days, parts.get("BYMONTHDAY"), start))  # type: ignore[arg-type]
    if "COUNT" in parts:
        return _with(repeat, after_meeting_number=int(parts["COUNT"]))
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return _with(repeat, expiration=until)
    return repeat


def _days(freq: str, days: list[str], monthday: str | None, start: datetime) -> dict[str, object]:
    weekday = list(DAYS.values())[start.weekday()]
    if freq == "WEEKLY":
        return {"days": tuple(DAYS[d] for d in days if d in DAYS) or (weekday,)}
    if freq == "DAILY":
        return {}
    if len(days) > 1 or (monthday is not None and "," in monthday):
        raise UnsupportedRule("Webex takes only one day for a monthly or yearly series; make one series per day.")
    month = {"month_in_year": start.month} if freq == "YEARLY" else {}
    if not days:
        return {"day_in_month": int(monthday or start.day), **month}
    position, code = days[0][:-2], days[0][-2:]
    week = int(position or "1")
    if code not in DAYS or week not in (1, 2, 3, 4, -1):
        raise UnsupportedRule("Webex can repeat on the first to fourth or the last weekday of a month only.")
    return {"days": (DAYS[code],), "week_in_month": LAST_WEEK if week == -1 else week, **month}


def _with(repeat: Repeat, **changes: object) -> Repeat:
    return replace(repeat, **changes)  # type: ignore[arg-type]


def to_rule(repeat: Repeat) -> str | None:
    """The RRULE that says what `repeat` says; None for NO_REPEAT."""
    if repeat.repeat_type not in REPEAT_TYPES:
        return None
    parts = [f"FREQ={repeat.repeat_type}"]
    if repeat.interval > 1:
        parts.append(f"INTERVAL={repeat.interval}")
    codes = [CODES[d] for d in repeat.days if d in CODES]
    if repeat.week_in_month and codes:
        position = -1 if repeat.week_in_month == LAST_WEEK else repeat.week_in_month
        parts.append(f"BYDAY={position}{codes[0]}")
    elif codes and repeat.repeat_type == "WEEKLY":
        parts.append("BYDAY=" + ",".join(sorted(codes, key=list(DAYS).index)))
    elif repeat.day_in_month and repeat.repeat_type in ("MONTHLY", "YEARLY"):
        parts.append(f"BYMONTHDAY={repeat.day_in_month}")
    if repeat.month_in_year and repeat.repeat_type == "YEARLY":
        parts.append(f"BYMONTH={repeat.month_in_year}")
    if repeat.after_meeting_number:
        parts.append(f"COUNT={repeat.after_meeting_number}")
    elif repeat.expiration is not None:
        parts.append("UNTIL=" + repeat.expiration.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def repeat_element(repeat: Repeat, zone_id: int) -> etree._Element:
    """`repeat`, its children in the schema's order; the expiration as wall time in `zone_id`."""
    element = build(
        "repeat",
        repeatType=repeat.repeat_type,
        interval=repeat.interval,
        afterMeetingNumber=repeat.after_meeting_number,
    )
    if repeat.days:
        element.append(build("dayInWeek", day=repeat.days))
    expiration = to_webex(repeat.expiration, zone_id) if repeat.expiration else None
    for name, value in (
        ("expirationDate", expiration),
        ("dayInMonth", repeat.day_in_month),
        ("weekInMonth", repeat.week_in_month),
        ("monthInYear", repeat.month_in_year),
    ):
        sub(element, name, value)
    return element


def parse_repeat(node: Node | None, zone_id: int) -> Repeat | None:
    """The `repeat` element of a reply; None when it is missing or says NO_REPEAT."""
    if node is None or node.text("repeatType").upper() not in REPEAT_TYPES:
        return None
    expiration = node.text("expirationDate")
    return Repeat(
        repeat_type=node.text("repeatType").upper(),
        interval=node.int("interval", 1) or 1,
        days=tuple(d.value.upper() for d in node.find_all("day") if d.value.upper() in CODES),
        day_in_month=node.int("dayInMonth") or None,
        week_in_month=node.int("weekInMonth") or None,
        month_in_year=node.int("monthInYear") or None,
        after_meeting_number=node.int("afterMeetingNumber") or None,
        expiration=from_webex(expiration, zone_id) if expiration else None,
    )

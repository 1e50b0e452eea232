"""Repeat rules as RFC 5545 RRULE text (without DTSTART): their first occurrence, a description in
words for the meeting card, and whether Webex can hold them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil.rrule import rrule, rrulestr

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
             "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
POSITIONS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
# A series is accepted up to 5 years out (REST API), so at most this many occurrences.
MOST_OCCURRENCES = {"DAILY": 1826, "WEEKLY": 261, "MONTHLY": 60, "YEARLY": 5}
# The XML API's repeat element has a single weekInMonth: 1-4 or the last week.
WEEK_POSITIONS = (1, 2, 3, 4, -1)


def rule_text(
    freq: str,
    interval: int = 1,
    byday: tuple[str, ...] = (),
    bymonthday: int | None = None,
    until: datetime | None = None,
    count: int | None = None,
) -> str:
    """The RRULE for these parts; `until` is aware and is written in UTC."""
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if byday:
        parts.append("BYDAY=" + ",".join(byday))
    if bymonthday is not None:
        parts.append(f"BYMONTHDAY={bymonthday}")
    if until is not None:
        parts.append("UNTIL=" + until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    if count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def fields(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)


def first_occurrence(rule: str, wall: time, first_day: date, zone: tzinfo, now: datetime) -> datetime | None:
    """The first start of the series on or after `first_day` that is not in the past (wall time in `zone`).

    The series is counted from that first start, so "every other Thursday" said on a Thursday afternoon
    starts next Thursday.
    """
    local_now = now.astimezone(zone).replace(tzinfo=None)
    if datetime.combine(first_day, wall) < local_now:
        first_day = max(first_day, local_now.date() + timedelta(days=1))
    parts = fields(rule)
    until = parts.pop("UNTIL", None)
    series = rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=datetime.combine(first_day, wall))
    assert isinstance(series, rrule)
    if until is not None:
        end = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone)
        series = series.replace(until=end.replace(tzinfo=None))
    for naive in series.xafter(local_now - timedelta(minutes=1), count=3, inc=True):
        moment = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        if moment >= now - timedelta(minutes=1):
            return moment
    return None


def describe_rule(rule: str, start: datetime) -> str:
    """“Every Monday and Wednesday at 16:00”, in the zone of `start`."""
    parts = fields(rule)
    freq, interval = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1"))
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    text = _every(freq, interval, days, parts.get("BYMONTHDAY"), start)
    text += f" at {start:%H:%M}"
    if "UNTIL" in parts:
        end = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(start.tzinfo)
        text += f" until {end.day} {end:%b %Y}"
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    return text


def _every(freq: str, interval: int, days: list[str], monthday: str | None, start: datetime) -> str:
    every = "Every" if interval == 1 else "Every other" if interval == 2 else f"Every {interval}"
    unit = UNITS.get(freq, "") + ("s" if interval > 2 else "")
    if freq == "WEEKLY":
        if days == ["MO", "TU", "WE", "TH", "FR"] and interval == 1:
            return "Every weekday"
        names = _and([DAY_NAMES.get(d, d) for d in days] or [f"{start:%A}"])
        return f"{every} {names}" if interval <= 2 else f"{every} weeks on {names}"
    if freq == "MONTHLY":
        month = "every month" if interval == 1 else "every other month" if interval == 2 else f"every {interval} months"
        if days and days[0][-2:] in DAY_NAMES:
            position = POSITIONS.get(int(days[0][:-2] or "1"), days[0][:-2])
            return f"On the {position} {DAY_NAMES[days[0][-2:]]} of {month}"
        return f"On the {_ordinal(int(monthday or start.day))} of {month}"
    if freq == "YEARLY":
        return f"{every} {unit} on {start.day} {start:%B}"
    return f"{every} {unit}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def check_rule_for_webex(rule: str, start: datetime | None = None) -> str | None:
    """Why Webex cannot hold this rule, or None when it can (REST `recurrence` and XML `repeat` alike)."""
    parts = fields(rule)
    freq = parts.get("FREQ", "")
    if freq not in FREQUENCIES:
        return "Webex repeats a meeting daily, weekly, monthly or yearly, not more often."
    unsupported = sorted(set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "UNTIL", "COUNT", "WKST"})
    if unsupported:
        return f"Webex cannot repeat a meeting by {', '.join(unsupported)}."
    if "UNTIL" in parts and "COUNT" in parts:
        return "Say either when the series ends or how many times it happens, not both."
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq in ("MONTHLY", "YEARLY") and (len(days) > 1 or "," in parts.get("BYMONTHDAY", "")):
        return "Webex takes only one day for a monthly or yearly series; make one series per day."
    positions = [d[:-2] for d in days if d[:-2]]
    if positions and (freq != "MONTHLY" or any(int(p) not in WEEK_POSITIONS for p in positions)):
        return "Webex can repeat on the first to fourth or the last weekday of a month only."
    if int(parts.get("COUNT", "1")) > MOST_OCCURRENCES[freq]:
        return f"Webex keeps a series for at most 5 years: {MOST_OCCURRENCES[freq]} {freq.lower()} occurrences."
    if "UNTIL" in parts:
        end = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if end > (start or datetime.now(UTC)) + timedelta(days=5 * 366):
            return "Webex keeps a series for at most 5 years; pick an earlier end."
    return None

"""The meetings of a series: its RRULE expanded from its first meeting, in its host's time zone (so a
weekly meeting stays at 16:00 across a change of daylight saving time)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr


def _rule(recurrence: str, first: datetime, time_zone: str) -> rrule:
    try:
        zone = ZoneInfo(time_zone) if time_zone else first.tzinfo
    except (ZoneInfoNotFoundError, ValueError):
        zone = first.tzinfo
    series = rrulestr(recurrence, dtstart=first.astimezone(zone))
    assert isinstance(series, rrule)
    return series


def next_meeting(recurrence: str, first: datetime, time_zone: str, after: datetime) -> datetime | None:
    """The first meeting of the series that starts strictly after `after`, in the host's zone; None when the
    series has ended."""
    return _rule(recurrence, first, time_zone).after(after.astimezone(UTC), inc=False)


def meeting_at_or_after(recurrence: str, first: datetime, time_zone: str, moment: datetime) -> datetime | None:
    """The first meeting of the series that starts at `moment` or later."""
    return _rule(recurrence, first, time_zone).after(moment.astimezone(UTC), inc=True)


# The schedule form's Repeat choices: each becomes a rule on the meeting's own day.
REPEAT_CHOICES = ("none", "daily", "weekdays", "weekly", "biweekly", "monthly", "monthly_weekday")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
RULE_PREFIX = "rule:"  # a choice that carries a rule as it is (what the text parser understood)


def rule_for_choice(choice: str, start: datetime) -> str | None:
    """The RRULE for a Repeat choice whose first meeting is at `start` (in the host's zone); None: no repeat."""
    if choice.startswith(RULE_PREFIX):
        return choice.removeprefix(RULE_PREFIX) or None
    day = DAY_CODES[start.weekday()]
    week = (start.day - 1) // 7 + 1
    return {
        "daily": "FREQ=DAILY",
        "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekly": f"FREQ=WEEKLY;BYDAY={day}",
        "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
        "monthly": f"FREQ=MONTHLY;BYMONTHDAY={start.day}",
        "monthly_weekday": f"FREQ=MONTHLY;BYDAY={-1 if week == 5 else week}{day}",
    }.get(choice)

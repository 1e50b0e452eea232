"""From what was found to a start: which day and which wall time, in which zone.

Times are in the future: a bare time that has passed today means tomorrow; a weekday means its next
occurrence (today, if the time has not passed); a date without a year is the next such date; "next
week on Friday" is the Friday of the week after this one (weeks start on Monday).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .reading import Findings


def first_day(found: Findings, wall: time, zone: tzinfo, now: datetime) -> date | None:
    """The day of the start (for a series: the first day it may start on)."""
    local_now = now.astimezone(zone)
    today = local_now.date()

    def at(day: date) -> datetime:
        return aware(datetime.combine(day, wall), zone)

    if found.day is not None and found.month_unknown:
        return _day_of_month(found.day.day, wall, zone, local_now)
    if found.day is not None:
        return found.day if found.year_given else next_date(found.day.month, found.day.day, today)
    if found.day_offset is not None:
        return today + timedelta(days=found.day_offset)
    if found.weekday is not None and found.week_ahead:
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 * found.week_ahead + found.weekday)
    if found.week_ahead:
        return None
    if found.weekday is not None:
        ahead = (found.weekday - today.weekday()) % 7
        if ahead == 0 and (found.next_week or at(today) < now):
            ahead = 7
        return today + timedelta(days=ahead)
    return today if at(today) >= now else today + timedelta(days=1)


def next_date(month: int, day: int, today: date) -> date | None:
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February: the next leap year
        if candidate >= today:
            return candidate
    return None


def _day_of_month(day: int, wall: time, zone: tzinfo, local_now: datetime) -> date | None:
    year, month = local_now.year, local_now.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and aware(datetime.combine(candidate, wall), zone) >= local_now:
            return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def aware(naive: datetime, zone: tzinfo) -> datetime:
    """Attach `zone`; a wall time that does not exist (a spring-forward gap) moves past the gap."""
    local = naive.replace(tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone)

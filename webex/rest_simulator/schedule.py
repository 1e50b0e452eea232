"""A series' occurrences (RRULE expansion, cancellations, exceptions) and the states the API reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from dateutil.rrule import rrulestr

from .errors import invalid
from .state import Instance, RestState, Series
from .times import zone

SERIES_HORIZON = timedelta(days=5 * 365)  # the API accepts a series up to five years out
MAX_OCCURRENCES = 1826  # five years of a daily meeting
READY_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class Occurrence:
    key: str  # the scheduled meeting's id
    series: Series
    start: datetime
    end: datetime
    title: str
    agenda: str | None
    modified: bool


def occurrence_key(series_id: str, start: datetime) -> str:
    return f"{series_id}_{start:%Y%m%dT%H%M%SZ}"


def check_rule(rule: str, start: datetime, timezone: str) -> None:
    try:
        rrulestr(rule, dtstart=start.astimezone(zone(timezone)))
    except (ValueError, TypeError) as error:
        raise invalid(f"Invalid recurrence rule '{rule}': {error}.") from error


def occurrences(series: Series) -> list[Occurrence]:
    """Every occurrence of the series, in order, cancelled ones left out."""
    length = series.end - series.start
    if series.recurrence:
        first = series.start.astimezone(zone(series.timezone))
        rule = rrulestr(series.recurrence, dtstart=first)
        horizon = series.start + SERIES_HORIZON
        starts = [s for s in islice(rule, MAX_OCCURRENCES) if s <= horizon]
    else:
        starts = [series.start]
    found = []
    for local in starts:
        start = local.astimezone(series.start.tzinfo)
        key = occurrence_key(series.id, start)
        if key in series.cancelled:
            continue
        changes = series.overrides.get(key, {})
        found.append(
            Occurrence(
                key=key,
                series=series,
                start=changes.get("start", start),  # type: ignore[arg-type]
                end=changes.get("end", start + length),  # type: ignore[arg-type]
                title=str(changes.get("title", series.title)),
                agenda=changes.get("agenda", series.agenda),  # type: ignore[arg-type]
                modified=bool(changes),
            )
        )
    return found


def find_occurrence(state: RestState, key: str) -> Occurrence | None:
    series = state.series.get(key.split("_", 1)[0])
    if series is None:
        return None
    return next((o for o in occurrences(series) if o.key == key), None)


def instances_of(state: RestState, series_id: str) -> list[Instance]:
    return [i for i in state.instances.values() if i.series_id == series_id]


def current(state: RestState, series: Series, now: datetime) -> Occurrence | None:
    """The occurrence in progress, else the next one not over, else the last one."""
    found = occurrences(series)
    live = {i.occurrence_key for i in instances_of(state, series.id) if i.in_progress}
    for occurrence in found:
        if occurrence.key in live or occurrence.end > now:
            return occurrence
    return found[-1] if found else None


def occurrence_state(state: RestState, occurrence: Occurrence, now: datetime) -> str:
    ran = [i for i in instances_of(state, occurrence.series.id) if i.occurrence_key == occurrence.key]
    if any(i.in_progress for i in ran):
        return "ready"
    if ran:
        return "ended"
    if occurrence.end <= now:
        return "missed"
    return "ready" if occurrence.start - READY_BEFORE <= now else "scheduled"


def series_state(state: RestState, series: Series, now: datetime) -> str:
    if any(i.in_progress for i in instances_of(state, series.id)):
        return "inProgress"
    found = occurrences(series)
    return "active" if found and found[-1].end > now else "expired"

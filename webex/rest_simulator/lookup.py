"""Finding a meeting by any of its ids, and who may see or change it."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ApiError
from .schedule import Occurrence, find_occurrence
from .state import Instance, Person, RestState, Series

NOT_FOUND = "The meeting is not found."


@dataclass(frozen=True)
class Target:
    """What a meeting id names: a series, one scheduled occurrence, or a started instance."""

    series: Series
    occurrence: Occurrence | None = None
    instance: Instance | None = None


def may_see(person: Person, series: Series) -> bool:
    """The host and the invitees see a meeting."""
    wanted = person.email.lower()
    return series.host_id == person.id or any(i.email.lower() == wanted for i in series.invitees)


def visible(state: RestState, person: Person) -> list[Series]:
    return [s for s in state.series.values() if may_see(person, s)]


def resolve(state: RestState, meeting_id: str, person: Person) -> Target:
    """The meeting `person` asked for; 404 when there is none or they may not see it."""
    target = _find(state, meeting_id)
    if target is None or not may_see(person, target.series):
        raise ApiError(404, NOT_FOUND)
    return target


def resolve_for_change(state: RestState, meeting_id: str, person: Person, verb: str) -> Target:
    """As `resolve`, for a change: only the host may, and not to an instance or a live or ended meeting."""
    target = resolve(state, meeting_id, person)
    if target.series.host_id != person.id:
        raise ApiError(403, f"Only the meeting host or an admin acting for the host may {verb} this meeting.")
    if target.instance is not None:
        raise ApiError(400, f"Cannot {verb} an in-progress or ended meeting instance; use the meeting series id.")
    live = [i for i in state.instances.values() if i.series_id == target.series.id and i.in_progress]
    if target.occurrence is not None:
        ran = [i for i in state.instances.values() if i.occurrence_key == target.occurrence.key]
        if ran:
            raise ApiError(409, f"Cannot {verb} a scheduled meeting that is in progress or has ended.")
    elif live:
        raise ApiError(409, f"Cannot {verb} a meeting that is in progress.")
    return target


def _find(state: RestState, meeting_id: str) -> Target | None:
    if meeting_id in state.series:
        return Target(state.series[meeting_id])
    instance = state.instances.get(meeting_id)
    if instance is not None and instance.series_id in state.series:
        return Target(state.series[instance.series_id], instance=instance)
    occurrence = find_occurrence(state, meeting_id)
    if occurrence is not None:
        return Target(occurrence.series, occurrence=occurrence)
    return None

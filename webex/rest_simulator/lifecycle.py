"""Meetings starting and ending: an instance (meetingType=meeting) exists while one runs."""

from __future__ import annotations

import secrets
from datetime import datetime

from .state import Instance, RestState


def start(state: RestState, series_id: str, occurrence_key: str, now: datetime) -> tuple[Instance, bool]:
    """The running instance of this occurrence, started now unless it already runs; and whether it is new."""
    for instance in state.instances.values():
        if instance.occurrence_key == occurrence_key and instance.in_progress:
            return instance, False
    instance_id = state.new_instance_id(series_id)
    instance = Instance(instance_id, series_id, occurrence_key, now, end_token=secrets.token_hex(16))
    state.instances[instance.id] = instance
    return instance, True


def end(state: RestState, instance_id: str, now: datetime) -> bool:
    """Ends a running instance; False when it had already ended."""
    instance = state.instances[instance_id]
    if not instance.in_progress:
        return False
    instance.ended_at = max(now, instance.started_at)
    return True


def live_instance(state: RestState, series_id: str) -> Instance | None:
    return next((i for i in state.instances.values() if i.series_id == series_id and i.in_progress), None)

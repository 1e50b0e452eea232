"""What the REST API accepts for a meeting, checked before sending, and how times go on the wire."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commands.backend import NewSession
from commands.errors import UsageError

MAX_TITLE = 128
MAX_AGENDA = 1300
MAX_INVITEES = 1000
MIN_MINUTES = 10
MAX_MINUTES = 23 * 60 + 59
MAX_TAG = 64
LATE_GRACE = timedelta(minutes=5)  # a "now" meeting reaches Webex a moment after its start: start it now
HORIZON = timedelta(days=3652)  # the API refuses meetings 10 years or more ahead
TAG_PREFIX = "webexbot:"


def check_new(new: NewSession, now: datetime) -> datetime:
    """Refuse what the API would refuse, in plain words; return the start to send."""
    if new.kind != "meeting":
        raise UsageError(
            "Training sessions and teleconferences are not available on the Webex REST API this workspace uses. "
            "Schedule a meeting instead."
        )
    title = new.topic.strip()
    if not title:
        raise UsageError("A Webex meeting needs a title.")
    if len(title) > MAX_TITLE:
        raise UsageError(f"The title is {len(title)} characters long; Webex takes at most {MAX_TITLE}.")
    if new.agenda and len(new.agenda) > MAX_AGENDA:
        raise UsageError(f"The agenda is {len(new.agenda)} characters long; Webex takes at most {MAX_AGENDA}.")
    if len(new.invitee_emails) > MAX_INVITEES:
        raise UsageError(f"Webex takes at most {MAX_INVITEES} invitees for one meeting.")
    return check_times(new.start, new.duration_minutes, now)


def check_times(start: datetime, duration_minutes: int, now: datetime) -> datetime:
    if duration_minutes < MIN_MINUTES:
        raise UsageError(f"A Webex meeting lasts at least {MIN_MINUTES} minutes.")
    if duration_minutes > MAX_MINUTES:
        raise UsageError("A Webex meeting lasts at most 23 hours 59 minutes.")
    if start < now - LATE_GRACE:
        raise UsageError("That start time has passed. Pick a time in the future.")
    if start - now >= HORIZON:
        raise UsageError("Webex does not schedule meetings 10 years or more ahead.")
    return _minute_up(max(start, now))


def wire_times(start: datetime, duration_minutes: int, time_zone: str) -> dict[str, str]:
    """`start` and `end` with offsets, in the host's zone when it is known, and that zone's name."""
    end = start + timedelta(minutes=duration_minutes)
    try:
        zone = ZoneInfo(time_zone) if time_zone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    if zone is None:
        return {"start": start.isoformat(timespec="seconds"), "end": end.isoformat(timespec="seconds")}
    return {
        "start": start.astimezone(zone).isoformat(timespec="seconds"),
        "end": end.astimezone(zone).isoformat(timespec="seconds"),
        "timezone": time_zone,
    }


def integration_tag(request_id: str) -> str:
    """The tag that ties a meeting to the Slack request that made it (at most 64 characters)."""
    tag = TAG_PREFIX + request_id
    if len(tag) <= MAX_TAG:
        return tag
    return TAG_PREFIX + hashlib.sha256(request_id.encode()).hexdigest()[:48]


def _minute_up(moment: datetime) -> datetime:
    """Webex keeps minutes only: a start with seconds goes to the next minute, so it is not in the past."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)

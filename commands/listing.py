"""`/webex list` (the caller's meetings in the next 14 days) and `/webex live` (sessions in progress)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from .context import Context
from .errors import NotLinked
from .linking import require_link
from .meetings import record_view, view
from .replies import MeetingList, MeetingView

WINDOW = timedelta(days=14)


async def upcoming(ctx: Context) -> MeetingList:
    """The meetings the caller hosts (from Webex) and those made here that invite them, by start."""
    now = ctx.clock()
    try:
        link = await require_link(ctx)
    except NotLinked:
        if not invited(ctx, ()):
            raise
        ctx.notes.append("Link your Webex account (`/webex link <your Webex ID or email>`) to see what you host.")
        link = None
    sessions = await ctx.backend.upcoming(link.webex_id, now - timedelta(hours=12), now + WINDOW) if link else []
    current = [
        s for s in sessions if s.in_progress or not s.start or s.start + timedelta(minutes=s.duration_minutes) >= now
    ]
    hosted = [view(ctx, s) for s in current]
    meetings = sorted([*hosted, *invited(ctx, {m.key for m in hosted})], key=_start_of)
    return MeetingList(
        title="Your meetings in the next 14 days",
        meetings=tuple(meetings),
        empty_text="You have no meetings in the next 14 days. Try `/webex schedule`.",
    )


def invited(ctx: Context, skip: Collection[str]) -> list[MeetingView]:
    """Meetings made through the bot that invite the caller, not over and starting within the window."""
    now = ctx.clock()
    found = []
    for record in ctx.store.meetings_inviting(ctx.team_id, ctx.caller.user_id):
        meeting = record_view(ctx.backend, record)
        ends = meeting.start + timedelta(minutes=meeting.duration_minutes) if meeting.start else None
        if record.meeting_key in skip or (ends is not None and not now <= ends and meeting.status != "live"):
            continue
        if meeting.start is None or meeting.start <= now + WINDOW:
            found.append(meeting)
    return found


def _start_of(meeting: MeetingView) -> datetime:
    return meeting.start or datetime.max.replace(tzinfo=UTC)


async def live(ctx: Context) -> MeetingList:
    sessions = await ctx.backend.live()
    return MeetingList(
        title="In progress on Webex now",
        meetings=tuple(view(ctx, s, status="live") for s in sessions),
        empty_text="Nothing is in progress on the Webex site right now.",
        caller_hosts=False,
    )

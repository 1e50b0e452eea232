"""`/webex list` (the caller's meetings in the next 14 days) and `/webex live` (sessions in progress)."""

from __future__ import annotations

from datetime import timedelta

from .context import Context
from .linking import require_link
from .meetings import view
from .replies import MeetingList

WINDOW = timedelta(days=14)


async def upcoming(ctx: Context) -> MeetingList:
    link = await require_link(ctx)
    now = ctx.clock()
    sessions = await ctx.backend.upcoming(link.webex_id, now - timedelta(hours=12), now + WINDOW)
    current = [
        s for s in sessions if s.in_progress or not s.start or s.start + timedelta(minutes=s.duration_minutes) >= now
    ]
    return MeetingList(
        title="Your meetings in the next 14 days",
        meetings=tuple(view(ctx, s) for s in current),
        empty_text="You have no meetings in the next 14 days. Try `/webex schedule`.",
    )


async def live(ctx: Context) -> MeetingList:
    sessions = await ctx.backend.live()
    return MeetingList(
        title="In progress on Webex now",
        meetings=tuple(view(ctx, s, status="live") for s in sessions),
        empty_text="Nothing is in progress on the Webex site right now.",
        caller_hosts=False,
    )

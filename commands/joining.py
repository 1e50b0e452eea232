"""`/webex join <meeting number>`: a Join button for the caller (a teleconference's dial-in details)."""

from __future__ import annotations

from .context import Context
from .meetings import known_meeting, view_of
from .replies import JoinLink


async def join(ctx: Context, key: str) -> JoinLink:
    session, record = await known_meeting(ctx, key, recent=True)
    if session.kind == "teleconference":
        call_in = (await ctx.backend.details(key)).call_in
        return JoinLink(view_of(ctx, session, record, call_in=call_in), "")
    url = await ctx.backend.join_link(key, kind=session.kind, name=ctx.caller.name, email=ctx.caller.email)
    return JoinLink(view_of(ctx, session, record), url)

"""`/webex join <meeting number>`: a Join button for the caller (a teleconference's dial-in details)."""

from __future__ import annotations

from .context import Context
from .meetings import known_session, view
from .replies import JoinLink


async def join(ctx: Context, key: str) -> JoinLink:
    session = await known_session(ctx, key, recent=True)
    if session.kind == "teleconference":
        call_in = (await ctx.backend.details(key)).call_in
        return JoinLink(view(ctx, session, call_in=call_in), "")
    url = await ctx.backend.join_link(key, kind=session.kind, name=ctx.caller.name, email=ctx.caller.email)
    return JoinLink(view(ctx, session), url)

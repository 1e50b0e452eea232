"""`/webex join <meeting number>`: a Join button for the caller (a teleconference's dial-in details)."""

from __future__ import annotations

from .context import Context
from .meetings import known_session, view
from .replies import JoinLink, Notice


async def join(ctx: Context, key: str) -> JoinLink | Notice:
    session = await known_session(ctx, key)
    if session.kind == "teleconference":
        call_in = (await ctx.backend.details(key)).call_in
        return Notice(
            f"*{session.topic}* is a teleconference: join by phone.\n{call_in or 'Ask the host for the number.'}"
        )
    url = await ctx.backend.join_link(key, kind=session.kind, name=ctx.caller.name, email=ctx.caller.email)
    return JoinLink(view(ctx, session), url)

"""`/webex join <meeting number>`: a Join button for the caller."""

from __future__ import annotations

from .context import Context
from .meetings import view
from .replies import JoinLink


async def join(ctx: Context, key: str) -> JoinLink:
    session = await ctx.backend.session(key)
    url = await ctx.backend.join_link(key, name=ctx.caller.name, email=ctx.caller.email)
    return JoinLink(view(ctx, session), url)

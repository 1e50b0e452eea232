"""`/webex join <meeting number>`: a Join button for the caller."""

from __future__ import annotations

from .backend import Session
from .context import Context
from .meetings import view
from .replies import JoinLink


async def join(ctx: Context, key: str) -> JoinLink:
    url = await ctx.backend.join_link(key, name=ctx.caller.name, email=ctx.caller.email)
    record = ctx.store.meeting(key)
    if record is not None:
        known = Session(key, record.topic, record.host_webex_id, None, record.duration_minutes)
    else:
        known = Session(key, f"Meeting {key}", "", None, 0)
    return JoinLink(view(ctx, known), url)

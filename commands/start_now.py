"""`/webex` and `/webex now [topic]`: a meeting starting now, hosted by the caller."""

from __future__ import annotations

from datetime import timedelta

from .backend import NewSession
from .context import Context
from .linking import require_link
from .replies import Created
from .scheduling import create


async def now(ctx: Context, topic: str) -> Created:
    link = await require_link(ctx)
    start = ctx.clock().replace(second=0, microsecond=0) + timedelta(minutes=1)
    new = NewSession(
        topic=topic.strip() or f"{ctx.caller.name}'s meeting",
        start=start,
        duration_minutes=ctx.default_duration,
        host_webex_id=link.webex_id,
        time_zone=ctx.caller.tz,
    )
    return await create(ctx, new, (), start_now=True)

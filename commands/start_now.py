"""`/webex` and `/webex now [topic]`: a meeting starting now, hosted by the caller."""

from __future__ import annotations

from datetime import datetime, timedelta

from .backend import NewSession
from .context import Context
from .linking import require_link
from .replies import Created
from .scheduling import create, emails_of
from .topics import check_topic


async def now(
    ctx: Context,
    topic: str,
    invitee_ids: tuple[str, ...] = (),
    *,
    request_id: str = "",
    look_first: bool = False,
    asked_at: datetime | None = None,
) -> Created:
    """`asked_at`: when the request came (a resumed request keeps the start it was first sent with)."""
    link = await require_link(ctx)
    start = (asked_at or ctx.clock()).replace(second=0, microsecond=0) + timedelta(minutes=1)
    new = NewSession(
        topic=check_topic(topic.strip() or f"{ctx.caller.name}'s meeting"),
        start=start,
        duration_minutes=ctx.default_duration,
        host_webex_id=link.webex_id,
        time_zone=ctx.caller.tz,
        invitee_emails=tuple(await emails_of(ctx, invitee_ids)),
        request_id=request_id,
    )
    return await create(ctx, new, invitee_ids, start_now=True, look_first=look_first)

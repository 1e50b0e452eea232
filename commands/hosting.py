"""`/webex host <meeting number>` (alias `start`): a Start button for the meeting's host only."""

from __future__ import annotations

from .backend import STARTABLE
from .context import Context
from .errors import Conflict, NotAuthorized
from .linking import require_link
from .meetings import is_host, known_session, view
from .numbers import format_number
from .replies import HostLink


async def host(ctx: Context, key: str) -> HostLink:
    link = await require_link(ctx)
    session = await known_session(ctx, key)
    if not is_host(ctx, session, link.webex_id):
        ctx.store.audit(ctx.team_id, ctx.caller.user_id, "host_link_refused", key, {"webex_id": link.webex_id})
        number = format_number(key)
        raise NotAuthorized(
            f"Only the meeting's host can start meeting {number}. Use `/webex join {number}` to join it."
        )
    if session.kind not in STARTABLE:
        what = (
            "A teleconference starts when the host dials in"
            if session.kind == "teleconference"
            else (f"A Webex {session.kind} session is started from Webex itself")
        )
        raise Conflict(f"{what}; there is no Start link for it.")
    url = await ctx.backend.host_link(key)
    return HostLink(view(ctx, session), url)

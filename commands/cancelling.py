"""`/webex cancel <meeting number>`: the host, or an admin, after a confirmation."""

from __future__ import annotations

from .backend import BackendError, Problem, Session
from .context import Context
from .errors import Conflict, NotAuthorized, NotFound
from .linking import require_link
from .meetings import is_host, view
from .replies import Cancelled, ConfirmCancel


async def ask(ctx: Context, key: str) -> ConfirmCancel:
    session = await _cancellable(ctx, key)
    return ConfirmCancel(view(ctx, session))


async def confirm(ctx: Context, key: str) -> Cancelled:
    session = await _cancellable(ctx, key)
    try:
        await ctx.backend.cancel(key, session.kind)
    except BackendError as error:
        if error.problem is Problem.IN_PROGRESS:
            raise Conflict(
                f"Meeting {key} has started, so Webex won't cancel it. A started session can't be deleted."
            ) from error
        if error.problem is Problem.NOT_FOUND:
            raise NotFound(f"Meeting {key} is already gone.") from error
        raise
    ctx.store.set_status(key, "cancelled", ctx.caller.user_id, ctx.team_id)
    ctx.store.drop_reminders(key)
    return Cancelled(view(ctx, session, status="cancelled"))


async def _cancellable(ctx: Context, key: str) -> Session:
    session = await ctx.backend.session(key)
    if not ctx.is_admin:
        link = await require_link(ctx)
        if not is_host(ctx, session, link.webex_id):
            ctx.store.audit(ctx.team_id, ctx.caller.user_id, "cancel_refused", key, {"webex_id": link.webex_id})
            raise NotAuthorized(f"Only the host of meeting {key} or an admin can cancel it.")
    if session.in_progress:
        raise Conflict(f"Meeting {key} is in progress, so it can't be cancelled. End it in Webex first.")
    return session

"""`/webex cancel <meeting number>`: the host, or an admin, after a confirmation."""

from __future__ import annotations

from .backend import BackendError, Problem, Session
from .context import Context
from .errors import Conflict, NotAuthorized, NotFound
from .linking import require_link
from .meetings import is_host, session_of, view
from .numbers import format_number
from .replies import Cancelled, ConfirmCancel


async def ask(ctx: Context, key: str) -> ConfirmCancel:
    session = await _cancellable(ctx, key)
    return ConfirmCancel(view(ctx, session))


async def confirm(ctx: Context, key: str, *, look_first: bool = False) -> Cancelled:
    """Cancel in Webex, then in the store. `look_first`: an earlier try may have deleted it already."""
    record = ctx.store.meeting(key)
    if look_first and record is not None and record.status == "scheduled" and not await _exists(ctx, key):
        return _cancelled(ctx, key, session_of(record))
    session = await _cancellable(ctx, key)
    try:
        await _delete(ctx, session)
    except BackendError as error:
        if error.problem is Problem.IN_PROGRESS:
            raise Conflict(
                f"Meeting {format_number(key)} has started, so Webex won't cancel it. "
                "A started session can't be deleted."
            ) from error
        if error.problem is Problem.NOT_FOUND:
            raise NotFound(f"Meeting {format_number(key)} is already gone.") from error
        raise
    return _cancelled(ctx, key, session)


async def _delete(ctx: Context, session: Session) -> None:
    """Delete it; when Webex may have done so although the call failed, look, and send it again only if the
    session is still there."""
    try:
        await ctx.backend.cancel(session.key, session.kind)
    except BackendError as error:
        if not error.maybe_applied:
            raise
        if await _exists(ctx, session.key):
            await ctx.backend.cancel(session.key, session.kind)


async def _exists(ctx: Context, key: str) -> bool:
    try:
        await ctx.backend.session(key)
    except BackendError as error:
        if error.problem is Problem.NOT_FOUND:
            return False
        raise
    return True


def _cancelled(ctx: Context, key: str, session: Session) -> Cancelled:
    ctx.store.set_status(key, "cancelled", ctx.caller.user_id, ctx.team_id)
    ctx.store.drop_reminders(key)
    return Cancelled(view(ctx, session, status="cancelled"))


async def _cancellable(ctx: Context, key: str) -> Session:
    session = await ctx.backend.session(key)
    if not ctx.is_admin:
        link = await require_link(ctx)
        if not is_host(ctx, session, link.webex_id):
            ctx.store.audit(ctx.team_id, ctx.caller.user_id, "cancel_refused", key, {"webex_id": link.webex_id})
            raise NotAuthorized(f"Only the host of meeting {format_number(key)} or an admin can cancel it.")
    if session.in_progress:
        raise Conflict(f"Meeting {format_number(key)} is in progress, so it can't be cancelled. End it in Webex first.")
    return session

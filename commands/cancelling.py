"""`/webex cancel <meeting number>`: the host, or an admin, after a confirmation. A series asks first
whether to cancel its next meeting or the whole series; where Webex cannot delete one meeting of a series
(the XML API's DelMeeting deletes them all), only the series is offered, and the question says so."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from .backend import BackendError, Problem, Session
from .context import Context
from .errors import Conflict, NotAuthorized, NotFound
from .grammar import meeting_number
from .linking import require_link
from .meetings import is_host, session_for, session_of, view
from .numbers import format_number
from .replies import Cancelled, ConfirmCancel, MeetingView
from .series import meeting_at_or_after, next_meeting

SERIES, OCCURRENCE = "series", "occurrence"


@runtime_checkable
class CancelsOccurrences(Protocol):
    """A backend that can delete one meeting of a series (REST: DELETE /meetings/{occurrence id})."""

    async def cancel_occurrence(self, key: str, start: datetime) -> None: ...


@dataclass(frozen=True)
class Choice:
    """What a cancel button asks for: `scope` "" (a series is asked about first), SERIES or OCCURRENCE (the
    meeting of the series that starts at `occurrence`)."""

    key: str
    scope: str = ""
    occurrence: datetime | None = None

    @property
    def value(self) -> str:
        if self.scope == OCCURRENCE and self.occurrence is not None:
            return f"{OCCURRENCE}:{self.key}@{self.occurrence.astimezone(UTC).isoformat()}"
        return f"{self.scope}:{self.key}" if self.scope else self.key

    @classmethod
    def of(cls, value: str) -> Choice:
        """A button's value: a meeting number, `series:<number>` or `occurrence:<number>@<ISO start>`."""
        scope, _, rest = value.partition(":")
        if scope not in (SERIES, OCCURRENCE):
            return cls(meeting_number(value, "cancel"))
        number, _, start = rest.partition("@")
        if scope == SERIES or not start:
            return cls(meeting_number(number, "cancel"), SERIES)
        try:
            moment = datetime.fromisoformat(start)
        except ValueError:
            return cls(meeting_number(number, "cancel"))  # asked again rather than guessed
        return cls(meeting_number(number, "cancel"), OCCURRENCE, moment)


async def ask(ctx: Context, key: str) -> ConfirmCancel:
    session = await _cancellable(ctx, key)
    meeting = _view(ctx, session)
    if not meeting.recurrence:
        return ConfirmCancel(meeting)
    upcoming = _next_meeting(ctx, key, ctx.clock(), inclusive=True)
    alone = upcoming if upcoming is not None and isinstance(ctx.backend, CancelsOccurrences) else None
    return ConfirmCancel(replace(meeting, start=upcoming or meeting.start), occurrence=alone)


async def question(ctx: Context, choice: Choice) -> ConfirmCancel | None:
    """The question to ask before cancelling, when the button did not say what (a series' card button)."""
    if choice.scope:
        return None
    record = ctx.store.meeting(ctx.team_id, choice.key)
    if record is not None and not record.recurrence:
        return None
    asked = await ask(ctx, choice.key)
    return asked if asked.meeting.recurrence else None


async def confirm(ctx: Context, key: str, *, look_first: bool = False) -> Cancelled:
    """Cancel in Webex, then in the store. `look_first`: an earlier try may have deleted it already."""
    record = ctx.store.meeting(ctx.team_id, key)
    if look_first and record is not None and record.status == "cancelled":  # done before; its replies may not be
        return Cancelled(_view(ctx, session_of(record), status="cancelled"))
    if look_first and record is not None and record.status == "scheduled" and not await _exists(ctx, key):
        return _cancelled(ctx, key, session_of(record))
    session = await _cancellable(ctx, key)
    try:
        await _delete(ctx, session)
    except BackendError as error:
        raise _plain(error, key) from error
    return _cancelled(ctx, key, session)


async def confirm_occurrence(ctx: Context, key: str, start: datetime, *, look_first: bool = False) -> Cancelled:
    """Cancel the one meeting of a series that starts at `start`; the rest of the series stays. A meeting
    already gone (deleted by an earlier try of this request) counts as cancelled."""
    session = await _cancellable(ctx, key)
    if not isinstance(ctx.backend, CancelsOccurrences):
        raise Conflict("Webex can't cancel one meeting of a series here: cancel the series, or that one in Webex.")
    try:
        await ctx.backend.cancel_occurrence(key, start)
    except BackendError as error:
        if error.maybe_applied:
            await _delete_occurrence_again(ctx.backend, key, start)
        elif not (look_first and error.problem is Problem.NOT_FOUND):
            raise _plain(error, key) from error
    following = _next_meeting(ctx, key, start)
    _follow_reminders(ctx, key, following)
    ctx.store.audit(ctx.team_id, ctx.caller.user_id, "cancel_occurrence", key, {"start": start.isoformat()})
    meeting = _view(ctx, session)
    return Cancelled(replace(meeting, start=following or meeting.start), occurrence=start)


async def _delete_occurrence_again(backend: CancelsOccurrences, key: str, start: datetime) -> None:
    try:
        await backend.cancel_occurrence(key, start)
    except BackendError as error:
        if error.problem is not Problem.NOT_FOUND:  # gone: the first try went through
            raise


def _follow_reminders(ctx: Context, key: str, following: datetime | None) -> None:
    """The reminders of the cancelled meeting move to the series' next one (or go, when none is left)."""
    if following is None or not ctx.remind_minutes:
        ctx.store.drop_reminders(ctx.team_id, key)
        return
    due = following - timedelta(minutes=ctx.remind_minutes)
    ctx.store.move_reminders(ctx.team_id, key, due.astimezone(UTC).isoformat())


def _plain(error: BackendError, key: str) -> Exception:
    if error.problem is Problem.IN_PROGRESS:
        return Conflict(
            f"Meeting {format_number(key)} has started, so Webex won't cancel it. A started session can't be deleted."
        )
    if error.problem is Problem.NOT_FOUND:
        return NotFound(f"Meeting {format_number(key)} is already gone.")
    return error


def _next_meeting(ctx: Context, key: str, after: datetime, *, inclusive: bool = False) -> datetime | None:
    """The series' first meeting after `after` (or at it, `inclusive`), from the store's rule."""
    record = ctx.store.meeting(ctx.team_id, key)
    if record is None or not record.recurrence or not record.start:
        return None
    first = datetime.fromisoformat(record.start)
    find = meeting_at_or_after if inclusive else next_meeting
    return find(record.recurrence, first, record.time_zone, after)


def _view(ctx: Context, session: Session, status: str | None = None) -> MeetingView:
    """The meeting as the caller sees it, with what the store knows: its rule and its invitees."""
    meeting = view(ctx, session, status=status)
    record = ctx.store.meeting(ctx.team_id, session.key)
    if record is None:
        return replace(meeting, recurrence=session.recurrence)
    return replace(meeting, recurrence=record.recurrence or session.recurrence, invitee_user_ids=record.invitee_ids)


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
        await session_for(ctx, key)
    except BackendError as error:
        if error.problem is Problem.NOT_FOUND:
            return False
        raise
    return True


def _cancelled(ctx: Context, key: str, session: Session) -> Cancelled:
    ctx.store.set_status(ctx.team_id, key, "cancelled", ctx.caller.user_id)
    ctx.store.drop_reminders(ctx.team_id, key)
    return Cancelled(_view(ctx, session, status="cancelled"))


async def _cancellable(ctx: Context, key: str) -> Session:
    session = await session_for(ctx, key)
    if not ctx.is_admin:
        link = await require_link(ctx)
        if not is_host(ctx, session, link.webex_id):
            ctx.store.audit(ctx.team_id, ctx.caller.user_id, "cancel_refused", key, {"webex_id": link.webex_id})
            raise NotAuthorized(f"Only the host of meeting {format_number(key)} or an admin can cancel it.")
    if session.in_progress:
        raise Conflict(f"Meeting {format_number(key)} is in progress, so it can't be cancelled. End it in Webex first.")
    return session

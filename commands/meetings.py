"""Helpers the meeting sub-commands share: building the view of a meeting."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from storage import MeetingRecord

from .backend import JOINABLE_BY_LINK, BackendError, MeetingsBackend, Problem, Session
from .context import Context
from .replies import MeetingView


def view(ctx: Context, session: Session, *, status: str | None = None, call_in: str = "") -> MeetingView:
    return view_of(ctx, session, ctx.store.meeting(ctx.team_id, session.key), status=status, call_in=call_in)


def view_of(
    ctx: Context, session: Session, record: MeetingRecord | None, *, status: str | None = None, call_in: str = ""
) -> MeetingView:
    """The view of a session whose record (None: the bot did not make it) is in hand."""
    host_user = ctx.store.slack_user_for(ctx.team_id, session.host_webex_id)
    joinable = session.kind in JOINABLE_BY_LINK
    return MeetingView(
        key=session.key,
        topic=session.topic,
        start=session.start,
        duration_minutes=session.duration_minutes,
        host_webex_id=session.host_webex_id,
        join_url=_join_url(ctx.backend, session, record) if joinable else "",
        call_in=call_in,
        host_user_id=host_user or (record.host_slack_user_id if record else None),
        status=status or ("live" if session.in_progress else (record.status if record else "scheduled")),
        kind=session.kind,
    )


def _join_url(backend: MeetingsBackend, session: Session, record: MeetingRecord | None) -> str:
    """The link the backend gave when the meeting was made, or the one it builds without a call."""
    known = session.join_url or (record.join_url if record else "")
    return known or backend.public_join_link(session.key, session.kind)


def session_of(record: MeetingRecord) -> Session:
    """A session the bot made, as the store has it."""
    start = datetime.fromisoformat(record.start) if record.start else None
    return Session(
        record.meeting_key,
        record.topic,
        record.host_webex_id,
        start,
        record.duration_minutes,
        kind=record.kind,
        join_url=record.join_url,
    )


def is_host(ctx: Context, session: Session, webex_id: str) -> bool:
    return session.host_webex_id.lower() == webex_id.lower()


@runtime_checkable
class KeepsSessions(Protocol):
    """A backend that keeps what the site said of a session for a moment (the XML API's, for joining)."""

    def recent_session(self, key: str) -> Session | None: ...


async def known_session(ctx: Context, key: str) -> Session:
    """A session the bot made, from the store; any other, from the site."""
    return (await known_meeting(ctx, key))[0]


async def known_meeting(ctx: Context, key: str, *, recent: bool = False) -> tuple[Session, MeetingRecord | None]:
    """The session and the store's record of it (None: the bot did not make it, or it was cancelled). A session
    the bot made comes from the store; any other from the site (or with `recent`, as the site described it a
    moment ago, when the backend keeps that)."""
    record = ctx.store.meeting(ctx.team_id, key)
    if record is not None and record.status != "cancelled":
        return session_of(record), record
    _refuse_elsewhere(ctx, key)
    kept = ctx.backend.recent_session(key) if recent and isinstance(ctx.backend, KeepsSessions) else None
    return kept or await ctx.backend.session(key), record


async def session_for(ctx: Context, key: str) -> Session:
    """The session from the site; a meeting the bot made for another workspace is answered as Webex answers one
    that does not exist."""
    _refuse_elsewhere(ctx, key)
    return await ctx.backend.session(key)


def _refuse_elsewhere(ctx: Context, key: str) -> None:
    if ctx.store.meeting_elsewhere(ctx.team_id, key):
        raise BackendError(Problem.NOT_FOUND, f"meeting {key} belongs to another workspace")


def record_view(backend: MeetingsBackend, record: MeetingRecord, status: str | None = None) -> MeetingView:
    """A meeting the bot made, as the store has it, for messages sent without a request (reminders, tracking)."""
    joinable = record.kind in JOINABLE_BY_LINK
    return MeetingView(
        key=record.meeting_key,
        topic=record.topic,
        start=datetime.fromisoformat(record.start) if record.start else None,
        duration_minutes=record.duration_minutes,
        host_webex_id=record.host_webex_id,
        join_url=_join_url(backend, session_of(record), record) if joinable else "",
        host_user_id=record.host_slack_user_id or None,
        invitee_user_ids=record.invitee_ids,
        status=status or record.status,
        kind=record.kind,
        recurrence=record.recurrence,
    )

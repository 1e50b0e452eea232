"""Helpers the meeting sub-commands share: building the view of a meeting."""

from __future__ import annotations

from .backend import Session
from .context import Context
from .replies import MeetingView


def view(ctx: Context, session: Session, *, status: str | None = None) -> MeetingView:
    record = ctx.store.meeting(session.key)
    host_user = ctx.store.slack_user_for(ctx.team_id, session.host_webex_id)
    return MeetingView(
        key=session.key,
        topic=session.topic,
        start=session.start,
        duration_minutes=session.duration_minutes,
        host_webex_id=session.host_webex_id,
        join_url=ctx.backend.public_join_link(session.key),
        host_user_id=host_user or (record.host_slack_user_id if record else None),
        status=status or ("live" if session.in_progress else (record.status if record else "scheduled")),
        kind=session.kind,
    )


def is_host(ctx: Context, session: Session, webex_id: str) -> bool:
    return session.host_webex_id.lower() == webex_id.lower()

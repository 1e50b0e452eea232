"""`/webex schedule <topic> <when> [for <length>] [with @people]`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from storage import MeetingRecord

from .backend import BackendError, NewSession, Session
from .context import Context
from .errors import UsageError
from .linking import require_link
from .meeting_text import MeetingRequest, Refusal, parse_meeting_text
from .meetings import record_view, session_of
from .replies import Created
from .topics import check_topic
from .when.rules import check_rule_for_webex, describe_rule

KIND_WORDS = {
    "training": "training",
    "teleconference": "teleconference",
    "teleconf": "teleconference",
    "meeting": "meeting",
}


def understand(ctx: Context, text: str, now: datetime | None = None) -> tuple[str, MeetingRequest | Refusal]:
    """The session kind (an optional first word) and what the text parser made of the rest, read as of
    `now` (when the request arrived; the clock's now by default)."""
    first, _, rest = text.strip().partition(" ")
    kind = KIND_WORDS.get(first.lower(), "")
    understood = parse_meeting_text(
        rest if kind else text,
        tz=ctx.caller.tz,
        now=now or ctx.clock(),
        locale=ctx.caller.locale,
        default_duration=ctx.default_duration,
    )
    return kind or "meeting", understood


async def schedule_understood(
    ctx: Context, kind: str, understood: MeetingRequest, request_id: str = "", *, look_first: bool = False
) -> Created:
    link = await require_link(ctx)
    user_ids = tuple(i for i in understood.invitees if "@" not in i)
    people = await emails_of(ctx, user_ids)
    people.extend((email.split("@")[0], email) for email in understood.invitees if "@" in email)
    new = NewSession(
        topic=check_topic(understood.topic or f"{ctx.caller.name}'s meeting"),
        start=understood.start,
        duration_minutes=understood.duration_minutes,
        host_webex_id=link.webex_id,
        time_zone=ctx.caller.tz,
        invitee_emails=tuple(dict.fromkeys(people)),
        kind=kind,
        request_id=request_id,
        recurrence=understood.recurrence,
    )
    check_series(ctx, new)
    return await create(ctx, new, user_ids, look_first=look_first)


@runtime_checkable
class RefusesSeries(Protocol):
    """A backend that cannot hold every rule Webex's REST API can (the XML API's `repeat` element)."""

    def series_refusal(self, new: NewSession) -> str | None: ...


def series_refusal(ctx: Context, new: NewSession) -> str | None:
    """Why Webex cannot hold this series (None for a one-off, or a series it can hold)."""
    if not new.recurrence:
        return None
    reason = check_rule_for_webex(new.recurrence, new.start)
    if reason is None and isinstance(ctx.backend, RefusesSeries):
        reason = ctx.backend.series_refusal(new)
    return reason


def check_series(ctx: Context, new: NewSession) -> None:
    """Refuse, before anything is created, a series Webex cannot hold, saying why."""
    reason = series_refusal(ctx, new)
    if reason is not None and new.recurrence:
        said = describe_rule(new.recurrence, new.start)
        raise UsageError(f"I can't schedule “{said}” as a Webex series: {reason}")


async def emails_of(ctx: Context, user_ids: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, email) of each Slack user who has an email in their profile."""
    people = []
    for user_id in user_ids:
        person = await ctx.directory.person(user_id)
        if person is not None and person.email:
            people.append((person.name, person.email))
        elif person is None:
            ctx.notes.append(
                f"I couldn't read <@{user_id}>'s Slack profile, so they are not on the Webex invitation; "
                "they still get a direct message with Join."
            )
    return people


async def create_once(ctx: Context, new: NewSession, *, look_first: bool = False) -> Session:
    """Create the session without ever making two: when an earlier try may have reached Webex (`look_first`,
    or a failure after sending), look for what it made and adopt it before sending again."""
    if look_first and (found := await ctx.backend.find_created(new)) is not None:
        return found
    try:
        return await ctx.backend.create(new)
    except BackendError as error:
        if not error.maybe_applied:
            raise
        found = await ctx.backend.find_created(new)
        if found is not None:
            return found
        return await ctx.backend.create(new)  # Webex has no trace of it: sending it once more makes one


async def create(
    ctx: Context,
    new: NewSession,
    invitee_user_ids: tuple[str, ...],
    *,
    start_now: bool = False,
    look_first: bool = False,
) -> Created:
    """Create the session, record it and its reminders. A request whose meeting is already recorded (a resumed
    intent: `look_first`) gets that meeting back instead of a new one."""
    earlier = ctx.store.meeting_for_intent(ctx.team_id, new.request_id) if look_first else None
    if earlier is not None:
        return await _created(ctx, new, invitee_user_ids, session_of(earlier), start_now, earlier)
    session = await create_once(ctx, new, look_first=look_first)
    start = session.start or new.start
    record = _record(ctx, new, session, start, invitee_user_ids)
    reminded = [(ctx.caller.user_id, "host")] + [(u, "invitee") for u in invitee_user_ids]
    reminders = reminded if ctx.remind_minutes and not start_now else []
    due = (start - timedelta(minutes=ctx.remind_minutes)).astimezone(UTC).isoformat()
    ctx.store.record_meeting(record, ctx.caller.user_id, reminders, due)
    return await _created(ctx, new, invitee_user_ids, session, start_now, record)


def _record(
    ctx: Context, new: NewSession, session: Session, start: datetime, invitee_user_ids: tuple[str, ...]
) -> MeetingRecord:
    """The store's row of a session just made for the caller, starting at `start`."""
    return MeetingRecord(
        meeting_key=session.key,
        team_id=ctx.team_id,
        channel_id=ctx.channel_id,
        card_ts="",
        host_webex_id=new.host_webex_id,
        host_slack_user_id=ctx.caller.user_id,
        topic=session.topic,
        start=start.isoformat(),
        duration_minutes=session.duration_minutes,
        created_by=ctx.caller.user_id,
        status="scheduled",
        created_at=ctx.clock().isoformat(),
        kind=session.kind,
        invitees=json.dumps(list(invitee_user_ids)),
        join_url=session.join_url,
        intent_key=new.request_id,
        recurrence=session.recurrence or new.recurrence,
        time_zone=new.time_zone,
    )


async def _created(
    ctx: Context,
    new: NewSession,
    invitee_user_ids: tuple[str, ...],
    session: Session,
    start_now: bool,
    record: MeetingRecord,
) -> Created:
    call_in = (await ctx.backend.details(session.key)).call_in if session.kind == "teleconference" else ""
    meeting = replace(
        record_view(ctx.backend, record, status="live" if session.in_progress else None),
        call_in=call_in,
        host_user_id=ctx.caller.user_id,
        invitee_user_ids=invitee_user_ids,
        invitee_emails=tuple(email for _, email in new.invitee_emails),
        recurrence=session.recurrence or new.recurrence,
    )
    host_url = await ctx.backend.host_link(session.key) if start_now else None
    return Created(meeting, host_url=host_url)

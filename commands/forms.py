"""Scheduling and rescheduling from a form (the Slack modal): checking what was filled in.

Checks run before Slack gets its answer (within 3 seconds), so they touch only the store; the Webex
calls come after."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage import Link

from .backend import BackendError, NewSession, Problem, Session
from .context import Context
from .errors import CommandError, Conflict, NotAuthorized, NotFound, UsageError
from .meeting_text import MAX_MINUTES, MeetingRequest, Refusal
from .meetings import is_host, session_for, view
from .numbers import format_number
from .replies import Created, MeetingView
from .scheduling import create, emails_of, series_refusal
from .series import REPEAT_CHOICES, RULE_PREFIX, meeting_at_or_after, rule_for_choice
from .topics import check_topic


class FormErrors(CommandError):
    """Messages to show beside the form's fields, by field name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class ScheduleForm:
    topic: str = ""
    day: date | None = None
    at: time | None = None
    duration_minutes: int = 60
    invitee_ids: tuple[str, ...] = ()
    agenda: str = ""
    password: str = ""
    kind: str = "meeting"
    note: str = ""  # why the form was opened instead of scheduling at once
    repeat: str = "none"  # a Repeat choice (commands/series.py REPEAT_CHOICES) or "rule:<RRULE>"

    @classmethod
    def understood(cls, result: MeetingRequest | Refusal, default_duration: int, tz: str) -> ScheduleForm:
        """What the text parser understood, to prefill the form."""
        start = result.start.astimezone(zone(tz)) if result.start else None
        duration = result.duration_minutes if result.duration_minutes and result.duration_minutes > 0 else None
        return cls(
            topic=result.topic,
            day=start.date() if start else None,
            at=start.time().replace(second=0, microsecond=0) if start else None,
            duration_minutes=duration or default_duration,
            invitee_ids=tuple(i for i in result.invitees if "@" not in i),
            note=result.reason if isinstance(result, Refusal) else "",
            repeat=f"{RULE_PREFIX}{rule}" if (rule := getattr(result, "recurrence", None)) else "none",
        )


def checked_schedule(ctx: Context, form: ScheduleForm) -> NewSession:
    """The session to create, or FormErrors naming each field that needs another look."""
    errors: dict[str, str] = {}
    topic = ""
    link = ctx.link
    if link is None:
        errors["topic"] = "Link your Webex account first: `/webex link <your Webex ID or email>`."
    elif not form.topic.strip():
        errors["topic"] = "Give the meeting a topic."
    else:
        try:
            topic = check_topic(form.topic)
        except UsageError as error:
            errors["topic"] = str(error)
    start = _start(form.day, form.at, ctx.caller.tz, errors)
    if start is not None and start < ctx.clock() - timedelta(minutes=1):
        errors["time"] = "That time has passed. Pick a time in the future."
    if not 0 < form.duration_minutes <= MAX_MINUTES:
        errors["duration"] = "Pick a length from 1 minute to 24 hours."
    if form.repeat not in REPEAT_CHOICES and not form.repeat.startswith(RULE_PREFIX):
        errors["repeat"] = "Pick how the meeting repeats, or “Does not repeat”."
    if errors or start is None or link is None:
        raise FormErrors(errors)
    rule = rule_for_choice(form.repeat, start)
    new = NewSession(
        topic=topic,
        start=(meeting_at_or_after(rule, start, ctx.caller.tz, start) or start) if rule else start,
        duration_minutes=form.duration_minutes,
        host_webex_id=link.webex_id,
        time_zone=ctx.caller.tz,
        agenda=form.agenda.strip() or None,
        password=form.password.strip() or None,
        kind=form.kind,
        recurrence=rule,
    )
    reason = series_refusal(ctx, new)
    if reason is not None:
        raise FormErrors({"repeat": reason})
    return new


async def schedule(ctx: Context, new: NewSession, invitee_ids: tuple[str, ...], *, look_first: bool = False) -> Created:
    people = await emails_of(ctx, invitee_ids)
    return await create(ctx, replace(new, invitee_emails=tuple(people)), invitee_ids, look_first=look_first)


async def reschedulable(ctx: Context, key: str) -> Session:
    """A meeting the caller may move: its host or an admin; meetings only, not started."""
    session = await session_for(ctx, key)
    link: Link | None = ctx.link
    if not ctx.is_admin and (link is None or not is_host(ctx, session, link.webex_id)):
        raise NotAuthorized(f"Only the host of meeting {format_number(key)} or an admin can reschedule it.")
    if session.kind != "meeting":
        raise Conflict(f"Only Webex meetings can be rescheduled from Slack; change this {session.kind} in Webex.")
    if session.in_progress:
        raise Conflict(f"Meeting {format_number(key)} is in progress, so it can't be moved.")
    return session


def checked_reschedule(ctx: Context, form: ScheduleForm) -> datetime:
    errors: dict[str, str] = {}
    start = _start(form.day, form.at, ctx.caller.tz, errors)
    if start is not None and start < ctx.clock() - timedelta(minutes=1):
        errors["time"] = "That time has passed. Pick a time in the future."
    if not 0 < form.duration_minutes <= MAX_MINUTES:
        errors["duration"] = "Pick a length from 1 minute to 24 hours."
    if errors or start is None:
        raise FormErrors(errors)
    return start


async def reschedule(
    ctx: Context, key: str, start: datetime, duration_minutes: int
) -> tuple[MeetingView, datetime | None]:
    """The moved meeting, and when it was before."""
    session = await reschedulable(ctx, key)
    try:
        await _move(ctx, key, start, duration_minutes)
    except BackendError as error:
        if error.problem is Problem.NOT_FOUND:
            raise NotFound(f"Meeting {format_number(key)} is gone.") from error
        raise
    record = ctx.store.meeting(ctx.team_id, key)
    if record is not None:
        ctx.store.move_meeting(ctx.team_id, key, start.isoformat(), duration_minutes)
        if ctx.remind_minutes:
            due = (start - timedelta(minutes=ctx.remind_minutes)).astimezone(UTC).isoformat()
            ctx.store.move_reminders(ctx.team_id, key, due)
        ctx.store.audit(ctx.team_id, ctx.caller.user_id, "meeting_rescheduled", key, {"start": start.isoformat()})
    moved = replace(session, start=start, duration_minutes=duration_minutes)
    meeting = view(ctx, moved)
    invitees = record.invitee_ids if record else ()
    return replace(meeting, invitee_user_ids=invitees, topic=record.topic if record else meeting.topic), session.start


async def _move(ctx: Context, key: str, start: datetime, duration_minutes: int) -> None:
    """Setting a time is the same however often it is done: when Webex may have applied a failed call, send
    it once more."""
    try:
        await ctx.backend.reschedule(key, start, duration_minutes, ctx.caller.tz)
    except BackendError as error:
        if not error.maybe_applied:
            raise
        await ctx.backend.reschedule(key, start, duration_minutes, ctx.caller.tz)


def _start(day: date | None, at: time | None, tz: str, errors: dict[str, str]) -> datetime | None:
    if day is None:
        errors["date"] = "Pick a date."
    if at is None:
        errors["time"] = "Pick a time."
    if day is None or at is None:
        return None
    local = zone(tz)
    return datetime.combine(day, at).replace(tzinfo=local).astimezone(UTC).astimezone(local)


def zone(tz: str) -> ZoneInfo:
    """The user's zone; UTC when Slack gave none we know."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")

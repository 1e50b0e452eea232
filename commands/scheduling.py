"""`/webex schedule <topic> <when> [for <length>] [with @people]`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, timedelta

from storage import MeetingRecord

from .backend import NewSession
from .context import Context
from .errors import UsageError
from .linking import require_link
from .meeting_text import MeetingRequest, Refusal, parse_meeting_text
from .meetings import view
from .replies import Created

KIND_WORDS = {
    "training": "training",
    "teleconference": "teleconference",
    "teleconf": "teleconference",
    "meeting": "meeting",
}


def understand(ctx: Context, text: str) -> tuple[str, MeetingRequest | Refusal]:
    """The session kind (an optional first word) and what the text parser made of the rest."""
    first, _, rest = text.strip().partition(" ")
    kind = KIND_WORDS.get(first.lower(), "")
    understood = parse_meeting_text(
        rest if kind else text,
        tz=ctx.caller.tz,
        now=ctx.clock(),
        locale=ctx.caller.locale,
        default_duration=ctx.default_duration,
    )
    return kind or "meeting", understood


async def schedule(ctx: Context, text: str) -> Created:
    kind, understood = understand(ctx, text)
    if isinstance(understood, Refusal):
        await require_link(ctx)
        raise UsageError(understood.reason)
    return await schedule_understood(ctx, kind, understood)


async def schedule_understood(ctx: Context, kind: str, understood: MeetingRequest) -> Created:
    link = await require_link(ctx)
    user_ids = tuple(i for i in understood.invitees if "@" not in i)
    people = await emails_of(ctx, user_ids)
    people.extend((email.split("@")[0], email) for email in understood.invitees if "@" in email)
    new = NewSession(
        topic=understood.topic or f"{ctx.caller.name}'s meeting",
        start=understood.start,
        duration_minutes=understood.duration_minutes,
        host_webex_id=link.webex_id,
        time_zone=ctx.caller.tz,
        invitee_emails=tuple(dict.fromkeys(people)),
        kind=kind,
    )
    return await create(ctx, new, user_ids)


async def emails_of(ctx: Context, user_ids: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, email) of each Slack user who has an email in their profile."""
    people = []
    for user_id in user_ids:
        person = await ctx.directory.person(user_id)
        if person is not None and person.email:
            people.append((person.name, person.email))
    return people


async def create(
    ctx: Context, new: NewSession, invitee_user_ids: tuple[str, ...], *, start_now: bool = False
) -> Created:
    session = await ctx.backend.create(new)
    ctx.store.record_meeting(
        MeetingRecord(
            meeting_key=session.key,
            team_id=ctx.team_id,
            channel_id=ctx.channel_id,
            card_ts="",
            host_webex_id=new.host_webex_id,
            host_slack_user_id=ctx.caller.user_id,
            topic=session.topic,
            start=(session.start or new.start).isoformat(),
            duration_minutes=session.duration_minutes,
            created_by=ctx.caller.user_id,
            status="scheduled",
            created_at=ctx.clock().isoformat(),
            kind=session.kind,
            invitees=json.dumps(list(invitee_user_ids)),
        ),
        actor=ctx.caller.user_id,
    )
    start = session.start or new.start
    if ctx.remind_minutes and not start_now:
        due = (start - timedelta(minutes=ctx.remind_minutes)).astimezone(UTC).isoformat()
        recipients = [(ctx.caller.user_id, "host")] + [(u, "invitee") for u in invitee_user_ids]
        ctx.store.add_reminders(session.key, recipients, due)
    call_in = (await ctx.backend.details(session.key)).call_in if session.kind == "teleconference" else ""
    meeting = replace(
        view(ctx, session, call_in=call_in),
        host_user_id=ctx.caller.user_id,
        invitee_user_ids=invitee_user_ids,
        invitee_emails=tuple(email for _, email in new.invitee_emails),
    )
    host_url = await ctx.backend.host_link(session.key) if start_now else None
    return Created(meeting, host_url=host_url)

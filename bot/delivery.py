"""Getting replies to people: private answers, meeting cards, direct messages, card edits. A Slack failure
of any shape is logged and answered another way where there is one; it never ends the work."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from commands.context import Context
from commands.replies import Cancelled, Created, MeetingView
from storage.store import Invitation

from . import views
from .slack_calls import attempt
from .slack_clients import team_in_scope

if TYPE_CHECKING:
    from .intents import Steps
    from .runtime import Bot

log = logging.getLogger("webexbot")

Message = dict[str, Any]
Private = Callable[[Message], Awaitable[None]]  # shows a message to the person acting, and nobody else


def private_reply(
    bot: Bot, response_url: str, channel: str, user_id: str, *, replace_original: bool = False
) -> Private:
    """By the response URL while it works; when it does not (expired, refused), ephemeral or a direct message."""
    fallback = by_ephemeral(bot, channel, user_id)

    async def send(message: Message) -> None:
        sent = bool(response_url) and await bot.respond(
            response_url, {"response_type": "ephemeral", "replace_original": replace_original, **message}
        )
        if not sent:
            await fallback(message)

    return send


def by_ephemeral(bot: Bot, channel: str, user_id: str) -> Private:
    """chat.postEphemeral where there is a channel, else a direct message (from modals and the Home tab)."""

    async def send(message: Message) -> None:
        if channel:
            posted = bot.client.chat_postEphemeral(channel=channel, user=user_id, **message)
            if await attempt(f"ephemeral in {channel}", posted) is not None:
                return
        await direct_message(bot, user_id, message)

    return send


async def post_card(bot: Bot, team_id: str, channel: str, meeting: MeetingView, thread_ts: str | None = None) -> bool:
    if not channel:
        return False
    posted = await attempt(
        f"card in {channel}", bot.client.chat_postMessage(channel=channel, thread_ts=thread_ts, **views.card(meeting))
    )
    if posted is None:
        return False
    bot.store.set_card(team_id, meeting.key, posted["channel"], posted["ts"])
    return True


async def dm_channel(bot: Bot, user_id: str) -> str | None:
    """The bot's DM with the person, opened once (asked of Slack the first time only)."""
    key = (team_in_scope() or "", user_id)
    if (known := bot.dm_channels.get(key)) is not None:
        return known
    opened = await attempt(f"conversations.open for {user_id}", bot.client.conversations_open(users=user_id))
    if opened is None:
        return None
    bot.dm_channels[key] = channel = str(opened["channel"]["id"])
    return channel


async def direct_message(bot: Bot, user_id: str, message: Message) -> bool:
    channel = await dm_channel(bot, user_id)
    if channel is None:
        return False
    return (
        await attempt(f"direct message to {user_id}", bot.client.chat_postMessage(channel=channel, **message))
        is not None
    )


async def edit_card(bot: Bot, team_id: str, meeting: MeetingView) -> None:
    record = bot.store.meeting(team_id, meeting.key)
    if record is None or not record.card_ts:
        return
    await attempt(
        f"card update for {meeting.key}",
        bot.client.chat_update(channel=record.channel_id, ts=record.card_ts, **views.card(meeting)),
    )


async def created(
    bot: Bot,
    ctx: Context,
    reply: Created,
    private: Private,
    *,
    public_fallback: Private | None = None,
    thread_ts: str | None = None,
    steps: Steps | None = None,
) -> None:
    """The card where the meeting was made, a receipt to its maker, invitations to the invitees. With `steps`,
    each reply that has gone out is remembered, so a resumed run sends only what is missing."""
    meeting = reply.meeting
    card = await _card(bot, ctx, meeting, public_fallback, thread_ts, steps)
    if steps is None or not steps.done("receipt"):
        await private(views.created_receipt(reply, ctx.notes, card, tz=ctx.caller.tz))
        if steps is not None:
            steps.mark("receipt")
    invited = set(steps.value("invited") or []) if steps is not None else set()
    for user_id in meeting.invitee_user_ids:
        if user_id != ctx.caller.user_id and user_id not in invited:
            await invite(bot, ctx.team_id, meeting, user_id)
            invited.add(user_id)
            if steps is not None:
                steps.mark("invited", sorted(invited))


async def _card(
    bot: Bot,
    ctx: Context,
    meeting: MeetingView,
    public_fallback: Private | None,
    thread_ts: str | None,
    steps: Steps | None,
) -> str:
    """Where the card went: posted (the bot can edit it), unowned (by the response URL), or missing."""
    if steps is not None and steps.done("card"):
        return str(steps.value("card"))
    posted = _posted_before(bot, ctx, meeting, steps)
    if posted or await post_card(bot, ctx.team_id, ctx.channel_id, meeting, thread_ts):
        card = "posted"
    elif public_fallback is not None:
        await public_fallback(views.card(meeting))
        card = "unowned"
    else:
        card = "missing"
    if steps is not None:
        steps.mark("card", card)
    return card


def _posted_before(bot: Bot, ctx: Context, meeting: MeetingView, steps: Steps | None) -> bool:
    """An earlier run posted the card (and stopped before it could say so)."""
    if steps is not None and steps.first_run:
        return False
    record = bot.store.meeting(ctx.team_id, meeting.key)
    return record is not None and bool(record.card_ts)


async def invite(bot: Bot, team_id: str, meeting: MeetingView, user_id: str) -> bool:
    """The invitation, by direct message; where it went is kept, so that cancelling can edit it."""
    channel = await dm_channel(bot, user_id)
    if channel is None:
        return False
    posted = await attempt(
        f"invitation to {user_id}", bot.client.chat_postMessage(channel=channel, **views.invitation(meeting))
    )
    if posted is None:
        return False
    bot.store.record_invitation(Invitation(team_id, meeting.key, user_id, str(posted["channel"]), str(posted["ts"])))
    return True


async def cancelled(
    bot: Bot, team_id: str, reply: Cancelled, private: Private, *, steps: Steps | None = None
) -> None:
    """The card and the invitations say so (for a whole meeting or series), the canceller gets a receipt and
    each invitee a notice. With `steps`, what has gone out is remembered, so a resumed run does not repeat it."""
    record = bot.store.meeting(team_id, reply.meeting.key)
    if record is not None and reply.occurrence is None:
        await edit_card(bot, team_id, replace(reply.meeting, duration_minutes=record.duration_minutes))
    if steps is None or not steps.done("receipt"):
        await private(views.cancelled_receipt(reply))
        if steps is not None:
            steps.mark("receipt")
    await _tell_invitees(bot, team_id, reply, steps)


async def _tell_invitees(bot: Bot, team_id: str, reply: Cancelled, steps: Steps | None) -> None:
    meeting = reply.meeting
    invitations = {i.slack_user_id: i for i in bot.store.invitations_of(team_id, meeting.key)}
    for user_id in meeting.invitee_user_ids:
        if user_id == meeting.host_user_id:
            continue
        invitation = invitations.get(user_id)
        if reply.occurrence is None and invitation is not None and not _done(steps, f"invitation:{user_id}"):
            await attempt(
                f"invitation update for {user_id}",
                bot.client.chat_update(channel=invitation.channel_id, ts=invitation.ts, **views.invitation(meeting)),
            )
            _mark(steps, f"invitation:{user_id}")
        if not _done(steps, f"told:{user_id}"):
            await direct_message(bot, user_id, views.invitation(meeting, cancelled_on=reply.occurrence))
            _mark(steps, f"told:{user_id}")


def _done(steps: Steps | None, step: str) -> bool:
    return steps is not None and steps.done(step)


def _mark(steps: Steps | None, step: str) -> None:
    if steps is not None:
        steps.mark(step)

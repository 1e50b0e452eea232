"""Getting replies to people: private answers, meeting cards, direct messages, card edits."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from commands.context import Context
from commands.replies import Cancelled, Created, MeetingView

from . import views

if TYPE_CHECKING:
    from .app import Bot

log = logging.getLogger("webexbot")

Message = dict[str, Any]
Private = Callable[[Message], Awaitable[None]]  # shows a message to the person acting, and nobody else


def by_response_url(bot: Bot, response_url: str, *, replace_original: bool = False) -> Private:
    async def send(message: Message) -> None:
        await bot.respond(response_url, {"response_type": "ephemeral", "replace_original": replace_original, **message})

    return send


def by_ephemeral(bot: Bot, channel: str, user_id: str) -> Private:
    """chat.postEphemeral where there is a channel, else a direct message (from modals and the Home tab)."""

    async def send(message: Message) -> None:
        if channel:
            try:
                await bot.client.chat_postEphemeral(channel=channel, user=user_id, **message)
                return
            except SlackApiError as error:
                log.info("ephemeral in %s failed: %s", channel, error.response.get("error"))
        await direct_message(bot, user_id, message)

    return send


async def post_card(bot: Bot, channel: str, meeting: MeetingView, thread_ts: str | None = None) -> bool:
    if not channel:
        return False
    try:
        posted = await bot.client.chat_postMessage(channel=channel, thread_ts=thread_ts, **views.card(meeting))
    except SlackApiError as error:
        log.info("card not posted in %s: %s", channel, error.response.get("error"))
        return False
    bot.store.set_card(meeting.key, posted["channel"], posted["ts"])
    return True


async def direct_message(bot: Bot, user_id: str, message: Message) -> bool:
    try:
        opened = await bot.client.conversations_open(users=user_id)
        await bot.client.chat_postMessage(channel=opened["channel"]["id"], **message)
    except SlackApiError as error:
        log.info("direct message to %s failed: %s", user_id, error.response.get("error"))
        return False
    return True


async def edit_card(bot: Bot, meeting: MeetingView) -> None:
    record = bot.store.meeting(meeting.key)
    if record is None or not record.card_ts:
        return
    try:
        await bot.client.chat_update(channel=record.channel_id, ts=record.card_ts, **views.card(meeting))
    except SlackApiError as error:
        log.info("card for %s not updated: %s", meeting.key, error.response.get("error"))


async def created(
    bot: Bot,
    ctx: Context,
    reply: Created,
    private: Private,
    *,
    public_fallback: Private | None = None,
    thread_ts: str | None = None,
) -> None:
    """The card where the meeting was made, a receipt to its maker, invitations to the invitees."""
    meeting = reply.meeting
    card = "posted" if await post_card(bot, ctx.channel_id, meeting, thread_ts) else "missing"
    if card == "missing" and public_fallback is not None:
        await public_fallback(views.card(meeting))
        card = "unowned"
    await private(views.created_receipt(reply, ctx.notes, card))
    for user_id in meeting.invitee_user_ids:
        if user_id != ctx.caller.user_id:
            await direct_message(bot, user_id, views.invitation(meeting))


async def cancelled(bot: Bot, reply: Cancelled, private: Private) -> None:
    record = bot.store.meeting(reply.meeting.key)
    if record is not None:
        await edit_card(bot, replace(reply.meeting, duration_minutes=record.duration_minutes))
    await private(views.cancelled_receipt(reply))

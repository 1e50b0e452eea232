"""The listeners: one /webex command, the meeting buttons. Acknowledge first, then work."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError

from commands import cancelling, grammar, hosting
from commands.context import Context
from commands.errors import UsageError
from commands.replies import Cancelled, Created, MeetingView
from commands.run import run

from . import ids, views
from .errors import message_for

if TYPE_CHECKING:
    from .app import Bot

log = logging.getLogger("webexbot")


def register(bot: Bot) -> None:
    app = bot.app

    @app.command("/webex")
    async def on_webex(ack: AsyncAck, body: dict[str, Any]) -> None:
        try:
            command = grammar.parse(body.get("text", ""))
        except UsageError as error:
            await ack(response_type="ephemeral", **views.notice(str(error)))
            return
        if command.name == "help":
            await ack(response_type="ephemeral", **views.help_message())
            return
        if not bot.store.claim(f"command:{body.get('team_id')}:{body.get('trigger_id')}"):
            await ack()  # a repeated delivery of a request already being handled
            return
        await ack()
        respond = _responder(bot, body)
        log.info("command %s from %s", command.name, body.get("user_id"))
        try:
            ctx = await bot.context(body["team_id"], body["user_id"], body["channel_id"])
            reply = await run(command, ctx)
        except Exception as error:
            await _tell(respond, message_for(error))
            return
        if isinstance(reply, Created):
            await _deliver_created(bot, ctx, reply, respond)
        elif isinstance(reply, Cancelled):
            await _deliver_cancelled(bot, ctx, reply, respond)
        else:
            await respond(response_type="ephemeral", replace_original=False, **views.private(reply, ctx.notes))

    @app.action(ids.MEETING_CARD_START)
    async def on_start(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        respond = _responder(bot, body)
        try:
            ctx = await _action_context(bot, body)
            reply = await hosting.host(ctx, _action_value(body))
        except Exception as error:
            await _tell(respond, message_for(error))
            return
        await respond(response_type="ephemeral", replace_original=False, **views.host_link(reply, ctx.notes))

    @app.action(ids.MEETING_CARD_CANCEL)
    @app.action(ids.MEETING_CANCEL_CONFIRM)
    async def on_cancel(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        respond = _responder(bot, body)
        try:
            ctx = await _action_context(bot, body)
            reply = await cancelling.confirm(ctx, _action_value(body))
        except Exception as error:
            await _tell(respond, message_for(error))
            return
        ephemeral = body.get("container", {}).get("is_ephemeral", False)
        await _deliver_cancelled(bot, ctx, reply, respond, replace_original=ephemeral)

    @app.action(ids.MEETING_CANCEL_KEEP)
    async def on_keep(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await _responder(bot, body)(replace_original=True, **views.notice("Kept. Nothing was cancelled."))

    for link_button in ids.LINK_BUTTONS:

        @app.action(link_button)
        async def on_link_button(ack: AsyncAck) -> None:
            await ack()

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        message_for(error)  # logs it with a reference


Respond = Callable[..., Awaitable[None]]


def _responder(bot: Bot, body: dict[str, Any]) -> Respond:
    url = str(body.get("response_url", ""))

    async def respond(**message: Any) -> None:
        await bot.respond(url, message)

    return respond


async def _tell(respond: Respond, text: str) -> None:
    await respond(response_type="ephemeral", replace_original=False, **views.notice(text))


async def _action_context(bot: Bot, body: dict[str, Any]) -> Context:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    team = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    return await bot.context(team, body["user"]["id"], channel)


def _action_value(body: dict[str, Any]) -> str:
    return grammar.meeting_number(str(body["actions"][0].get("value", "")))


async def _deliver_created(bot: Bot, ctx: Context, reply: Created, respond: Respond) -> None:
    meeting = reply.meeting
    posted = await _post_card(bot, ctx, meeting)
    if not posted:
        await respond(response_type="in_channel", replace_original=False, **views.card(meeting))
    await respond(response_type="ephemeral", replace_original=False, **views.created_receipt(reply, ctx.notes, posted))
    for user_id in meeting.invitee_user_ids:
        if user_id != ctx.caller.user_id:
            await _direct_message(bot, user_id, views.invitation(meeting))


async def _post_card(bot: Bot, ctx: Context, meeting: MeetingView) -> bool:
    try:
        posted = await bot.client.chat_postMessage(channel=ctx.channel_id, **views.card(meeting))
    except SlackApiError as error:
        log.info("card not posted in %s: %s", ctx.channel_id, error.response.get("error"))
        return False
    bot.store.set_card(meeting.key, posted["channel"], posted["ts"])
    return True


async def _direct_message(bot: Bot, user_id: str, message: dict[str, Any]) -> None:
    try:
        opened = await bot.client.conversations_open(users=user_id)
        await bot.client.chat_postMessage(channel=opened["channel"]["id"], **message)
    except SlackApiError as error:
        log.info("direct message to %s failed: %s", user_id, error.response.get("error"))


async def _deliver_cancelled(
    bot: Bot, ctx: Context, reply: Cancelled, respond: Respond, *, replace_original: bool = False
) -> None:
    record = bot.store.meeting(reply.meeting.key)
    if record is not None and record.card_ts:
        shown = replace(reply.meeting, duration_minutes=record.duration_minutes)
        try:
            await bot.client.chat_update(channel=record.channel_id, ts=record.card_ts, **views.card(shown))
        except SlackApiError as error:
            log.info("card for %s not updated: %s", reply.meeting.key, error.response.get("error"))
    await respond(response_type="ephemeral", replace_original=replace_original, **views.cancelled_receipt(reply))

"""The listeners: one /webex command, the meeting buttons. Acknowledge first, then work."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck

from commands import cancelling, grammar, hosting
from commands.context import Context
from commands.errors import UsageError
from commands.meeting_text import MeetingRequest
from commands.replies import Cancelled, Created, Reply
from commands.run import run
from commands.scheduling import schedule_understood, understand

from . import delivery, home, ids, interactive, modals, views
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
        await _answer(bot, command, body)

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
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, **views.host_link(reply, ctx.notes))
        else:  # the Home tab, or a direct message without a response URL: a modal only the host sees
            await interactive.open_view(bot, body["trigger_id"], modals.host_link_modal(reply), _tell_by(respond))

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
        if body.get("response_url"):
            ephemeral = body.get("container", {}).get("is_ephemeral", False)
            await delivery.cancelled(
                bot, reply, delivery.by_response_url(bot, body["response_url"], replace_original=ephemeral)
            )
        else:
            await delivery.edit_card(bot, reply.meeting)
        await home.refresh(bot, ctx, views.cancelled_receipt(reply)["text"])

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


MUTATING = {"schedule", "now", "cancel", "link", "unlink"}


async def _answer(bot: Bot, command: grammar.Command, body: dict[str, Any]) -> None:
    respond = _responder(bot, body)
    log.info("command %s from %s", command.name, body.get("user_id"))
    try:
        ctx = await bot.context(body["team_id"], body["user_id"], body["channel_id"])
        reply = await _reply_or_form(bot, command, ctx, body)
    except Exception as error:
        await _tell(respond, message_for(error))
        return
    if reply is None:
        return
    private = delivery.by_response_url(bot, body["response_url"])
    if isinstance(reply, Created):
        await delivery.created(bot, ctx, reply, private, public_fallback=_in_channel(bot, body["response_url"]))
    elif isinstance(reply, Cancelled):
        await delivery.cancelled(bot, reply, private)
    else:
        await private(views.private(reply, ctx.notes))
    if command.name in MUTATING:
        await home.refresh(bot, ctx)


async def _reply_or_form(bot: Bot, command: grammar.Command, ctx: Context, body: dict[str, Any]) -> Reply | None:
    """The command's reply; or, for `schedule` with no text or text the parser could not schedule, None
    after opening the modal prefilled instead of refusing. A caller with no link who typed something is
    told how to link instead. The text is parsed once."""
    text = command.argument
    if command.name != "schedule" or (text.strip() and ctx.link is None):
        return await run(command, ctx)
    kind, understood = understand(ctx, text)
    if isinstance(understood, MeetingRequest):
        return await schedule_understood(ctx, kind, understood)
    private = delivery.by_response_url(bot, body["response_url"])
    await interactive.open_schedule(bot, ctx, body["trigger_id"], private, understood if text.strip() else None, kind)
    return None


def _responder(bot: Bot, body: dict[str, Any]) -> Respond:
    url = str(body.get("response_url", ""))
    user = str((body.get("user") or {}).get("id") or body.get("user_id", ""))

    async def respond(**message: Any) -> None:
        if url:
            await bot.respond(url, message)
        else:  # from the Home tab, which has no response URL
            await delivery.direct_message(bot, user, {k: v for k, v in message.items() if k in ("text", "blocks")})

    return respond


def _in_channel(bot: Bot, response_url: str) -> delivery.Private:
    async def send(message: dict[str, Any]) -> None:
        await bot.respond(response_url, {"response_type": "in_channel", "replace_original": False, **message})

    return send


async def _tell(respond: Respond, text: str) -> None:
    await respond(response_type="ephemeral", replace_original=False, **views.notice(text))


def _tell_by(respond: Respond) -> delivery.Private:
    async def send(message: dict[str, Any]) -> None:
        await respond(response_type="ephemeral", replace_original=False, **message)

    return send


async def _action_context(bot: Bot, body: dict[str, Any]) -> Context:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    team = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    return await bot.context(team, body["user"]["id"], channel)


def _action_value(body: dict[str, Any]) -> str:
    return grammar.meeting_number(str(body["actions"][0].get("value", "")))

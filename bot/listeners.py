"""The listeners: one /webex command, the meeting buttons. The ack path verifies, parses, claims the
request (recording its intent when it will write to Webex) and acks; the work runs after, tracked, and
whatever it fails with reaches the user as a message with a reference."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck

from commands import cancelling, grammar, hosting
from commands.errors import UsageError
from commands.run import run
from storage import StoreUnavailable

from . import delivery, home, ids, intents, interactive, modals, views
from .errors import NO_DATABASE, message_for
from .payloads import channel_of, context_of, team_of, user_of

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")

DURABLE = {"now", "schedule"}  # what writes to Webex (`cancel` only asks; its confirmation writes)
MUTATING = {"cancel", "link", "unlink"}  # what changes what the Home tab shows


def register(bot: Bot) -> None:
    app = bot.app
    app.command("/webex")(_on_webex(bot))
    if not bot.settings.oauth:  # the manifest subscribes to these for the install flow (bot/oauth_mode.py)
        app.event("app_uninstalled")(_app_removed)
        app.event("tokens_revoked")(_app_removed)
    app.action(ids.MEETING_CARD_START)(_on_start(bot))
    on_cancel = _on_cancel(bot)
    app.action(ids.MEETING_CARD_CANCEL)(on_cancel)
    app.action(ids.MEETING_CANCEL_CONFIRM)(on_cancel)
    app.action(ids.MEETING_CANCEL_KEEP)(_on_keep(bot))
    for link_button in ids.LINK_BUTTONS:
        app.action(link_button)(_just_ack)
    app.error(_on_error)


def _on_webex(bot: Bot) -> interactive.Listener:
    async def on_webex(ack: AsyncAck, body: dict[str, Any]) -> None:
        try:
            command = grammar.parse(body.get("text", ""))
        except UsageError as error:
            await ack(response_type="ephemeral", **views.notice(str(error)))
            return
        if command.name == "help":
            await ack(response_type="ephemeral", **views.help_message())
            return
        key = f"command:{body.get('team_id')}:{body.get('trigger_id')}"
        try:
            fresh = _claim(bot, command, body, key)
        except StoreUnavailable:  # nothing recorded, so nothing acknowledged as done
            await ack(response_type="ephemeral", **views.notice(NO_DATABASE))
            return
        await ack()
        if not fresh:
            return  # a repeated delivery of a request already being handled
        if command.name in DURABLE:
            bot.runner.submit(key)
        elif not bot.runner.hand_over({"command": body}):
            bot.runner.spawn(answer(bot, command, body), f"command {key}")

    return on_webex


def _on_start(bot: Bot) -> interactive.Listener:
    async def on_start(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        bot.runner.spawn(_start(bot, body), "start button")

    return on_start


def _on_cancel(bot: Bot) -> interactive.Listener:
    """The card's Cancel and the confirmation's: recorded as an intent, carried out once."""

    async def on_cancel(ack: AsyncAck, body: dict[str, Any]) -> None:
        action = (body.get("actions") or [{}])[0]
        try:
            choice = cancelling.Choice.of(str(action.get("value", "")))
        except UsageError as error:
            await ack()
            bot.runner.spawn(_tell(_responder(bot, body), str(error)), "cancel button")
            return
        key = f"action:{team_of(body)}:{user_of(body)}:{action.get('action_ts', '')}"
        try:
            fresh = _record_cancel(bot, body, key, choice)
        except StoreUnavailable:
            await ack()
            bot.runner.spawn(_tell(_responder(bot, body), NO_DATABASE), "cancel button")
            return
        await ack()
        if fresh:
            bot.runner.submit(key)

    return on_cancel


def _record_cancel(bot: Bot, body: dict[str, Any], key: str, choice: cancelling.Choice) -> bool:
    return intents.record(
        bot,
        key,
        team_of(body),
        user_of(body),
        channel_of(body),
        "cancel",
        meeting=choice.key,
        scope=choice.scope,
        occurrence=choice.occurrence.isoformat() if choice.occurrence else "",
        response_url=body.get("response_url", ""),
        ephemeral=bool((body.get("container") or {}).get("is_ephemeral", False)),
    )


def _on_keep(bot: Bot) -> interactive.Listener:
    async def on_keep(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        notice = views.notice("Kept. Nothing was cancelled.")
        bot.runner.spawn(_responder(bot, body)(replace_original=True, **notice), "keep button")

    return on_keep


async def _just_ack(ack: AsyncAck) -> None:
    """A link button: Slack opens its URL; the click only needs an ack."""
    await ack()


async def _on_error(error: Exception, body: dict[str, Any]) -> None:
    message_for(error)  # logs it with a reference


Respond = Callable[..., Coroutine[Any, Any, None]]


def _claim(bot: Bot, command: grammar.Command, body: dict[str, Any], key: str) -> bool:
    """Claim the request, recording its intent when it will write to Webex. False: a repeated delivery."""
    if command.name not in DURABLE:
        return bot.store.claim(key)
    return intents.record(
        bot,
        key,
        str(body.get("team_id", "")),
        str(body.get("user_id", "")),
        str(body.get("channel_id", "")),
        "command",
        command=command.name,
        text=command.argument,
        response_url=body.get("response_url", ""),
        trigger_id=body.get("trigger_id", ""),
    )


async def answer(bot: Bot, command: grammar.Command, body: dict[str, Any]) -> None:
    """A command that does not write to Webex: run it and reply privately; any failure becomes a message."""
    respond = _responder(bot, body)
    log.info("command %s from %s", command.name, body.get("user_id"))
    try:
        ctx = await bot.context(body["team_id"], body["user_id"], body["channel_id"])
        reply = await run(command, ctx)
        if command.name in ("list", "live", "info") and (note := bot.directory.zone_note(ctx.caller.user_id)):
            ctx.notes.append(note)
        private = delivery.private_reply(bot, body["response_url"], ctx.channel_id, ctx.caller.user_id)
        await private(views.private(reply, ctx.notes, tz=ctx.caller.tz, viewer=ctx.caller.user_id))
        if command.name in MUTATING:
            await home.refresh(bot, ctx)
    except Exception as error:
        await _tell(respond, message_for(error))


async def _start(bot: Bot, body: dict[str, Any]) -> None:
    respond = _responder(bot, body)
    try:
        ctx = await context_of(bot, body)
        reply = await hosting.host(ctx, _action_value(body))
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, **views.host_link(reply, ctx.notes))
        else:  # the Home tab, or a direct message without a response URL: a modal only the host sees
            await interactive.open_view(bot, body["trigger_id"], modals.host_link_modal(reply), _tell_by(respond))
    except Exception as error:
        await _tell(respond, message_for(error))


def _responder(bot: Bot, body: dict[str, Any]) -> Respond:
    url = str(body.get("response_url", ""))
    private = delivery.private_reply(bot, url, channel_of(body), user_of(body))

    async def respond(**message: Any) -> None:
        if url and await bot.respond(url, message):
            return
        await private({k: v for k, v in message.items() if k in ("text", "blocks")})

    return respond


async def _tell(respond: Respond, text: str) -> None:
    await respond(response_type="ephemeral", replace_original=False, **views.notice(text))


def _tell_by(respond: Respond) -> delivery.Private:
    async def send(message: dict[str, Any]) -> None:
        await respond(response_type="ephemeral", replace_original=False, **message)

    return send


def _action_value(body: dict[str, Any]) -> str:
    return grammar.meeting_number(str(body["actions"][0].get("value", "")))


async def _app_removed(ack: AsyncAck, event: dict[str, Any]) -> None:
    """With one SLACK_BOT_TOKEN, an uninstall or a revocation is for the admin to mend."""
    await ack()
    log.error(
        "Slack says %s: SLACK_BOT_TOKEN no longer works; reinstall the app and set its new bot token",
        "the app was uninstalled" if event.get("type") == "app_uninstalled" else "tokens were revoked",
    )

"""What each kind of intent does once acknowledged: the Webex work, then the replies. Each returns the
outcome the store keeps; an error it raises is told to the user by the runner."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from commands import cancelling, forms, start_now
from commands.backend import NewSession
from commands.context import Context
from commands.linking import require_link
from commands.meeting_text import MeetingRequest
from commands.replies import Created
from commands.scheduling import schedule_understood, understand
from storage import Intent

from . import delivery, home, views
from .intents import Handler, Replies
from .interactive import open_schedule
from .slack_calls import attempt

if TYPE_CHECKING:
    from .runtime import Bot


async def _context(bot: Bot, intent: Intent, channel: str | None = None) -> Context:
    ctx = await bot.context(intent.team_id, intent.user_id, intent.channel_id if channel is None else channel)
    if note := bot.directory.zone_note(ctx.caller.user_id):
        ctx.notes.append(note)
    return ctx


def _asked_at(intent: Intent) -> datetime:
    return datetime.fromisoformat(str(intent.args["received_at"]))


async def _deliver_created(
    bot: Bot, ctx: Context, replies: Replies, created: Created, *, thread_ts: str | None = None
) -> str:
    url = replies.response_url
    in_channel = _in_channel(bot, url) if url else None
    await delivery.created(
        bot, ctx, created, replies.private(), public_fallback=in_channel, thread_ts=thread_ts, steps=replies.steps
    )
    await home.refresh(bot, ctx)
    return f"created {created.meeting.key}"


def _in_channel(bot: Bot, response_url: str) -> delivery.Private:
    async def send(message: dict[str, Any]) -> None:
        await bot.respond(response_url, {"response_type": "in_channel", "replace_original": False, **message})

    return send


async def slash_command(bot: Bot, intent: Intent, replies: Replies) -> str:
    """`/webex now` and `/webex schedule`: schedule text the parser cannot schedule opens the modal instead."""
    args = intent.args
    ctx = await _context(bot, intent)
    text = str(args.get("text", ""))
    if args["command"] == "now":
        created = await start_now.now(
            ctx, text, request_id=intent.key, look_first=replies.resumed, asked_at=_asked_at(intent)
        )
        return await _deliver_created(bot, ctx, replies, created)
    if text.strip() and ctx.link is None:
        await require_link(ctx)
    kind, understood = understand(ctx, text, now=_asked_at(intent))
    if isinstance(understood, MeetingRequest):
        created = await schedule_understood(ctx, kind, understood, intent.key, look_first=replies.resumed)
        return await _deliver_created(bot, ctx, replies, created)
    if replies.resumed:  # the trigger to open a modal has expired by now
        await replies.tell(f"{understood.reason} Please try `/webex schedule` again.".strip())
        return "form not opened"
    await open_schedule(
        bot, ctx, str(args["trigger_id"]), replies.private(), understood if text.strip() else None, kind
    )
    return "form opened"


async def cancel(bot: Bot, intent: Intent, replies: Replies) -> str:
    """A cancel button or confirmation: a series not yet told apart (its card's Cancel) is asked about first."""
    args = intent.args
    ctx = await _context(bot, intent)
    occurrence = datetime.fromisoformat(str(args["occurrence"])) if args.get("occurrence") else None
    choice = cancelling.Choice(str(args["meeting"]), str(args.get("scope") or ""), occurrence)
    private = replies.private(replace_original=bool(args.get("ephemeral")))
    asked = await cancelling.question(ctx, choice)
    if asked is not None:
        if not replies.steps.done("asked"):
            await private(views.confirm_cancel(asked, ctx.notes, tz=ctx.caller.tz))
            replies.steps.mark("asked")
        return f"asked about {choice.key}"
    if choice.scope == cancelling.OCCURRENCE and choice.occurrence is not None:
        reply = await cancelling.confirm_occurrence(ctx, choice.key, choice.occurrence, look_first=replies.resumed)
    else:
        reply = await cancelling.confirm(ctx, choice.key, look_first=replies.resumed)
    await delivery.cancelled(bot, ctx.team_id, reply, private, steps=replies.steps)
    await home.refresh(bot, ctx, views.cancelled_receipt(reply)["text"])
    return f"cancelled {reply.meeting.key}" + (f" on {reply.occurrence.isoformat()}" if reply.occurrence else "")


async def schedule_form(bot: Bot, intent: Intent, replies: Replies) -> str:
    args = intent.args
    ctx = await _context(bot, intent)
    new = replace(NewSession.from_json(args["new"]), request_id=intent.key)
    created = await forms.schedule(ctx, new, tuple(args.get("invitee_ids", ())), look_first=replies.resumed)
    return await _deliver_created(bot, ctx, replies, created, thread_ts=args.get("thread_ts") or None)


async def start_now_form(bot: Bot, intent: Intent, replies: Replies) -> str:
    args = intent.args
    ctx = await _context(bot, intent)
    created = await start_now.now(
        ctx,
        str(args.get("topic") or ""),
        tuple(args.get("invitee_ids") or ()),
        request_id=intent.key,
        look_first=replies.resumed,
        asked_at=_asked_at(intent),
    )
    await delivery.created(bot, ctx, created, _to_host(bot, ctx, created), steps=replies.steps)
    await home.refresh(bot, ctx)
    return f"created {created.meeting.key}"


def _to_host(bot: Bot, ctx: Context, created: Created) -> delivery.Private:
    """Like `/webex now`: the receipt with the Start link, ephemeral in the chosen conversation. Where there is
    none (or Slack refuses), a direct message whose Start button fetches the link fresh: the link itself never
    goes into a message that stays."""

    async def send(message: dict[str, Any]) -> None:
        if ctx.channel_id:
            shown = bot.client.chat_postEphemeral(channel=ctx.channel_id, user=ctx.caller.user_id, **message)
            if await attempt(f"ephemeral in {ctx.channel_id}", shown) is not None:
                return
        await delivery.direct_message(bot, ctx.caller.user_id, views.ready_to_start(created.meeting, ctx.notes))

    return send


async def reschedule_form(bot: Bot, intent: Intent, replies: Replies) -> str:
    args = intent.args
    ctx = await _context(bot, intent, channel="")
    start = datetime.fromisoformat(str(args["start"]))
    moved, was = await forms.reschedule(ctx, str(args["meeting"]), start, int(args["duration_minutes"]))
    await delivery.edit_card(bot, ctx.team_id, moved)
    for user_id in moved.invitee_user_ids:
        if not replies.steps.done(f"moved:{user_id}"):
            await delivery.direct_message(bot, user_id, views.moved(moved, was=was))
            replies.steps.mark(f"moved:{user_id}")
    done = views.moved_receipt(moved, was, ctx.caller.tz)
    if intent.channel_id and not replies.steps.done("receipt"):  # from the Home tab, the tab itself says so
        await replies.private()(done)
        replies.steps.mark("receipt")
    await home.refresh(bot, ctx, done["text"])
    return f"moved {moved.key}"


HANDLERS: dict[str, Handler] = {
    "command": slash_command,
    "cancel": cancel,
    "schedule_form": schedule_form,
    "start_now_form": start_now_form,
    "reschedule_form": reschedule_form,
}

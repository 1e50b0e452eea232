"""Clicking instead of typing: the schedule modal, the message and global shortcuts, rescheduling,
linking from the Home tab, and the Home tab itself."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError

from commands import forms, linking, start_now
from commands.context import Context
from commands.errors import NotAuthorized
from commands.forms import FormErrors, ScheduleForm
from commands.grammar import meeting_number
from commands.meeting_text import MeetingRequest, Refusal
from commands.meetings import known_session
from commands.scheduling import understand

from . import delivery, home, ids, modals, views
from .errors import message_for

if TYPE_CHECKING:
    from .app import Bot

log = logging.getLogger("webexbot")
EXPIRED = "That took too long to open. Please try again."


async def open_view(bot: Bot, trigger_id: str, view: dict[str, Any], private: delivery.Private, why: str = "") -> bool:
    """views.open right away (a trigger lasts about 3 s); when it fails the person is told, with `why`
    the modal was opening."""
    try:
        await bot.client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        log.info("views.open failed: %s", error.response.get("error"))
        await private(views.notice(f"{why} {EXPIRED}".strip()))
        return False
    return True


async def open_schedule(
    bot: Bot,
    ctx: Context,
    trigger_id: str,
    private: delivery.Private,
    understood: MeetingRequest | Refusal | None = None,
    kind: str = "meeting",
) -> bool:
    """The schedule modal: blank, or prefilled with what the text parser understood (and why it could not
    schedule it), opened instead of refusing."""
    form = ScheduleForm(duration_minutes=ctx.default_duration)
    if understood is not None:
        form = ScheduleForm.understood(understood, ctx.default_duration, ctx.caller.tz)
    form = replace(form, kind=kind)
    view = modals.schedule_modal(form, channel=ctx.channel_id, tz=ctx.caller.tz)
    return await open_view(bot, trigger_id, view, private, why=form.note)


def register(bot: Bot) -> None:
    app = bot.app

    async def context_of(body: dict[str, Any], channel: str = "") -> Context:
        team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
        return await bot.context(team, body["user"]["id"], channel)

    @app.action(ids.SCHEDULE_OPEN)
    async def on_schedule_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        channel = (body.get("channel") or {}).get("id", "")
        ctx = await context_of(body, channel)
        await open_schedule(bot, ctx, body["trigger_id"], delivery.by_ephemeral(bot, channel, ctx.caller.user_id))

    @app.shortcut(ids.MESSAGE_SHORTCUT)
    async def on_message_shortcut(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id", "")
        ctx = await context_of(body, channel)
        private = delivery.by_ephemeral(bot, channel, ctx.caller.user_id)
        kind, understood = understand(ctx, str(message.get("text", "")))
        people = [message.get("user"), *(i for i in understood.invitees if "@" not in i)]
        invitees = tuple(dict.fromkeys(p for p in people if p and p != ctx.caller.user_id))
        form = ScheduleForm.understood(understood, ctx.default_duration, ctx.caller.tz)
        form = replace(form, topic=form.topic[:150], invitee_ids=invitees, kind=kind, note="")
        thread = str(message.get("thread_ts") or message.get("ts") or "")
        view = modals.schedule_modal(form, channel=channel, thread_ts=thread, tz=ctx.caller.tz)
        await open_view(bot, body["trigger_id"], view, private)

    @app.view(ids.SCHEDULE_SUBMIT)
    async def on_schedule_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        place = modals.metadata(view)
        chosen = modals.values(view).get("conversation") or place.get("channel", "")
        ctx = await context_of(body, str(chosen))
        form = modals.form_from(view, ctx.default_duration)
        try:
            new = forms.checked_schedule(ctx, form)
        except FormErrors as problems:
            await ack(response_action="errors", errors=problems.errors)
            return
        await ack()
        if not bot.store.claim(f"view:{view['id']}"):
            return  # the same modal submitted twice
        private = delivery.by_ephemeral(bot, ctx.channel_id, ctx.caller.user_id)
        try:
            created = await forms.schedule(ctx, new, form.invitee_ids)
        except Exception as error:
            await private(views.notice(message_for(error)))
            return
        await delivery.created(bot, ctx, created, private, thread_ts=place.get("thread_ts") or None)
        await home.refresh(bot, ctx)

    @app.shortcut(ids.START_NOW_SHORTCUT)
    async def on_start_now_shortcut(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        private = delivery.by_ephemeral(bot, "", body["user"]["id"])
        await open_view(bot, body["trigger_id"], modals.start_now_modal(), private)

    @app.view(ids.START_NOW_SUBMIT)
    async def on_start_now_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        if not bot.store.claim(f"view:{view['id']}"):
            return
        given = modals.values(view)
        ctx = await context_of(body, str(given.get("conversation") or ""))
        private = delivery.by_ephemeral(bot, ctx.channel_id, ctx.caller.user_id)
        try:
            created = await start_now.now(ctx, str(given.get("topic") or ""), tuple(given.get("invitees") or ()))
        except Exception as error:
            await private(views.notice(message_for(error)))
            return
        # the Start link goes to the host through a button that fetches it fresh, not into a message
        created = replace(created, host_url=None)
        await delivery.created(bot, ctx, created, private)
        await delivery.direct_message(bot, ctx.caller.user_id, views.reminder(created.meeting, host=True))
        await home.refresh(bot, ctx)

    @app.action(ids.MEETING_CARD_MORE)
    @app.action(ids.MEETING_RESCHEDULE)
    async def on_reschedule_open(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        action = body["actions"][0]
        raw = (action.get("selected_option") or {}).get("value") or action.get("value", "")
        channel = (body.get("channel") or {}).get("id", "")
        ctx = await context_of(body, channel)
        private = delivery.by_ephemeral(bot, channel, ctx.caller.user_id)
        try:
            key = meeting_number(str(raw).removeprefix("reschedule:"))
            record = bot.store.meeting(key)
            link = ctx.link
            if record is not None and not ctx.is_admin and (link is None or link.webex_id != record.host_webex_id):
                raise NotAuthorized(f"Only the host of meeting {key} or an admin can reschedule it.")
            session = await known_session(ctx, key)
        except Exception as error:
            await private(views.notice(message_for(error)))
            return
        start = session.start.astimezone(forms.zone(ctx.caller.tz)) if session.start else None
        form = ScheduleForm(
            day=start.date() if start else None,
            at=start.time().replace(second=0, microsecond=0) if start else None,
            duration_minutes=session.duration_minutes or ctx.default_duration,
        )
        view = modals.reschedule_modal(key, session.topic, form, ctx.caller.tz)
        await open_view(bot, body["trigger_id"], view, private)

    @app.view(ids.RESCHEDULE_SUBMIT)
    async def on_reschedule_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        ctx = await context_of(body)
        form = modals.form_from(view, ctx.default_duration)
        try:
            start = forms.checked_reschedule(ctx, form)
        except FormErrors as problems:
            await ack(response_action="errors", errors=problems.errors)
            return
        await ack()
        key = modals.metadata(view).get("key", "")
        private = delivery.by_ephemeral(bot, "", ctx.caller.user_id)
        try:
            moved = await forms.reschedule(ctx, key, start, form.duration_minutes)
        except Exception as error:
            await private(views.notice(message_for(error)))
            return
        await delivery.edit_card(bot, moved)
        for user_id in moved.invitee_user_ids:
            await delivery.direct_message(bot, user_id, views.moved(moved))
        await home.refresh(bot, ctx, f"Moved *{views.escape(moved.topic)}* to {views.when(moved.start)}.")

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        ctx = await bot.context(str(body.get("team_id", "")), event["user"], "")
        await home.opened(bot, ctx)

    @app.action(ids.HOME_LINK_OPEN)
    async def on_link_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        private = delivery.by_ephemeral(bot, "", body["user"]["id"])
        await open_view(bot, body["trigger_id"], modals.link_modal(), private)

    @app.view(ids.LINK_SUBMIT)
    async def on_link_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        account = str(modals.values(view).get("account") or "").strip()
        if not account:
            await ack(response_action="errors", errors={"account": "Type your Webex ID or email."})
            return
        await ack()
        ctx = await context_of(body)
        try:
            result = (await linking.link(ctx, account)).text
        except Exception as error:
            result = message_for(error)
        await home.refresh(bot, ctx, result)

"""Clicking instead of typing: the schedule modal, the message and global shortcuts, rescheduling,
linking from the Home tab, and the Home tab itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck

from commands import forms, linking
from commands.backend import BackendError
from commands.context import Context
from commands.errors import CommandError, NotAuthorized, NotLinked
from commands.forms import FormErrors, ScheduleForm
from commands.grammar import meeting_number
from commands.meeting_text import MeetingRequest, Refusal
from commands.scheduling import understand
from storage import StoreUnavailable

from . import delivery, home, ids, intents, modals, views
from .errors import NO_DATABASE, message_for
from .payloads import context_of, team_of, user_of
from .slack_calls import attempt
from .views import spaced

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")
LINK_CHECK_S = 1.5  # how long a Webex look-up may take before a modal must be answered (Slack allows 3 s)
EXPIRED = "That took too long to open. Please try again."


async def open_view(bot: Bot, trigger_id: str, view: dict[str, Any], private: delivery.Private, why: str = "") -> bool:
    """views.open right away (a trigger lasts about 3 s); when it fails the person is told, with `why`
    the modal was opening."""
    if await attempt("views.open", bot.client.views_open(trigger_id=trigger_id, view=view)) is None:
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
    if await _link_first(bot, ctx, trigger_id, private):
        return False
    zone = bot.directory.zone_note(ctx.caller.user_id)
    notes = [form.note, *(note.replace("`", "") for note in ctx.notes), zone]  # shown as plain text
    form = replace(form, kind=kind, note=" ".join(dict.fromkeys(filter(None, notes))))
    view = modals.schedule_modal(form, channel=ctx.channel_id, tz=ctx.caller.tz, kinds=bot.backend.kinds)
    return await open_view(bot, trigger_id, view, private, why=form.note)


async def _link_first(bot: Bot, ctx: Context, trigger_id: str, private: delivery.Private) -> bool:
    """Before a schedule form: a caller with no link (and none made by email) gets the link modal instead,
    which opens the form once they are linked. True when it did."""
    if ctx.link is not None:
        return False
    try:
        await asyncio.wait_for(linking.require_link(ctx), LINK_CHECK_S)
        return False
    except NotLinked as error:
        why = str(error) if bot.store.unlinked_because(ctx.team_id, ctx.caller.user_id) else ""
    except (TimeoutError, BackendError):  # Webex is slow: the form itself says so on submit
        return False
    problem = f"To schedule a meeting, link your Webex account first. {why}".strip()
    await open_view(bot, trigger_id, modals.link_modal(problem, then_schedule_in=ctx.channel_id), private)
    return True


def register(bot: Bot) -> None:
    app = bot.app
    app.action(ids.SCHEDULE_OPEN)(_after_ack_of(bot, _schedule_form))
    app.shortcut(ids.MESSAGE_SHORTCUT)(_after_ack_of(bot, _form_from_message))
    app.view(ids.SCHEDULE_SUBMIT)(_on_schedule_submit(bot))
    app.shortcut(ids.START_NOW_SHORTCUT)(_after_ack_of(bot, _start_now_form))
    app.view(ids.START_NOW_SUBMIT)(_on_start_now_submit(bot))
    app.action(ids.MEETING_CARD_MORE)(reschedule := _after_ack_of(bot, _reschedule_form))
    app.action(ids.MEETING_RESCHEDULE)(reschedule)
    app.view(ids.RESCHEDULE_SUBMIT)(_on_reschedule_submit(bot))
    app.event("app_home_opened")(_on_home(bot))
    app.action(ids.HOME_LINK_OPEN)(_after_ack_of(bot, _link_form))
    app.view(ids.LINK_SUBMIT)(_on_link_submit(bot))


Listener = Callable[..., Awaitable[None]]


def _after_ack_of(bot: Bot, work: Callable[[Bot, dict[str, Any]], Awaitable[None]]) -> Listener:
    """A click or shortcut that opens a form: acked at once, `work` after."""

    async def listener(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        after_ack(bot, body, lambda: work(bot, body))

    return listener


def _on_schedule_submit(bot: Bot) -> Listener:
    async def on_schedule_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        place = modals.metadata(view)
        chosen = modals.values(view).get("conversation") or place.get("channel", "")
        form = modals.form_from(view, bot.settings.default_duration)
        try:
            ctx = await context_of(bot, body, str(chosen))
            new = forms.checked_schedule(ctx, form)
        except FormErrors as problems:
            await ack(response_action="errors", errors=problems.errors)
            return
        except (CommandError, StoreUnavailable) as error:
            await ack(response_action="errors", errors={"topic": message_for(error)})
            return
        await _carry_out_submission(
            bot,
            ack,
            view,
            "topic",
            ctx.team_id,
            ctx.caller.user_id,
            ctx.channel_id,
            "schedule_form",
            new=new.as_json(),
            invitee_ids=list(form.invitee_ids),
            thread_ts=place.get("thread_ts", ""),
        )

    return on_schedule_submit


async def _start_now_form(bot: Bot, body: dict[str, Any]) -> None:
    private = delivery.by_ephemeral(bot, "", user_of(body))
    await open_view(bot, body["trigger_id"], modals.start_now_modal(), private)


def _on_start_now_submit(bot: Bot) -> Listener:
    async def on_start_now_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        given = modals.values(view)
        await _carry_out_submission(
            bot,
            ack,
            view,
            "topic",
            team_of(body),
            user_of(body),
            str(given.get("conversation") or ""),
            "start_now_form",
            topic=str(given.get("topic") or ""),
            invitee_ids=list(given.get("invitees") or ()),
        )

    return on_start_now_submit


def _on_reschedule_submit(bot: Bot) -> Listener:
    async def on_reschedule_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = modals.form_from(view, bot.settings.default_duration)
        place = modals.metadata(view)
        try:
            ctx = await context_of(bot, body, "")
            start = forms.checked_reschedule(ctx, form)
            _not_started(bot, ctx.team_id, place.get("key", ""))
        except FormErrors as problems:
            await ack(response_action="errors", errors=problems.errors)
            return
        except (CommandError, StoreUnavailable) as error:
            await ack(response_action="errors", errors={"time": message_for(error)})
            return
        await _carry_out_submission(
            bot,
            ack,
            view,
            "time",
            ctx.team_id,
            ctx.caller.user_id,
            place.get("channel", ""),
            "reschedule_form",
            meeting=place.get("key", ""),
            start=start.isoformat(),
            duration_minutes=form.duration_minutes,
        )

    return on_reschedule_submit


def _on_home(bot: Bot) -> Listener:
    async def on_home(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return

        async def work() -> None:
            ctx = await bot.context(str(body.get("team_id", "")), event["user"], "")
            await home.opened(bot, ctx)

        after_ack(bot, {"user": {"id": event.get("user", "")}}, work)

    return on_home


async def _link_form(bot: Bot, body: dict[str, Any]) -> None:
    private = delivery.by_ephemeral(bot, "", user_of(body))
    await open_view(bot, body["trigger_id"], modals.link_modal(), private)


def _on_link_submit(bot: Bot) -> Listener:
    async def on_link_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Checked before the answer, so a refusal stays beside the field; when Webex is slow, answered later."""
        account = str(modals.values(view).get("account") or "").strip()
        if not account:
            await ack(response_action="errors", errors={"account": "Type your Webex ID or email."})
            return
        try:
            ctx = await context_of(bot, body, "")
            linked = await asyncio.wait_for(linking.link(ctx, account), LINK_CHECK_S)
        except CommandError as error:
            await ack(response_action="errors", errors={"account": str(error)})
            return
        except (TimeoutError, BackendError):
            await ack()
            after_ack(bot, body, lambda: _link(bot, body, account))
            return
        await ack(response_action="update", view=_after_link(bot, ctx, linked.text, modals.metadata(view)))
        after_ack(bot, body, lambda: home.refresh(bot, ctx, linked.text))

    return on_link_submit


async def _carry_out_submission(
    bot: Bot, ack: AsyncAck, view: dict[str, Any], field: str, *intent: str, **args: Any
) -> None:
    """Record a submitted form's intent (`intent`: team, user, channel, action; `args`), close the form and
    carry it out, once however often the form is submitted. With the database out of reach nothing is
    recorded, and the form stays open saying so beside `field`."""
    key = f"view:{view['id']}"
    try:
        fresh = intents.record(bot, key, *intent, **args)
    except StoreUnavailable:
        await ack(response_action="errors", errors={field: NO_DATABASE})
        return
    await ack()
    if fresh:
        bot.runner.submit(key)


def after_ack(bot: Bot, body: dict[str, Any], work: Callable[[], Awaitable[None]]) -> None:
    """Run `work` after the ack; whatever it fails with reaches the clicker with a reference."""
    user, channel = user_of(body), str((body.get("channel") or {}).get("id", ""))

    async def guarded() -> None:
        try:
            await work()
        except Exception as error:
            await delivery.by_ephemeral(bot, channel, user)(views.notice(message_for(error)))

    bot.runner.spawn(guarded(), f"interaction from {user}")


async def _schedule_form(bot: Bot, body: dict[str, Any]) -> None:
    channel = str((body.get("channel") or {}).get("id", ""))
    ctx = await context_of(bot, body, channel)
    await open_schedule(bot, ctx, body["trigger_id"], delivery.by_ephemeral(bot, channel, ctx.caller.user_id))


async def _form_from_message(bot: Bot, body: dict[str, Any]) -> None:
    """The schedule modal prefilled from a message: its topic, first time, author and mentions."""
    message = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id", ""))
    ctx = await context_of(bot, body, channel)
    private = delivery.by_ephemeral(bot, channel, ctx.caller.user_id)
    if await _link_first(bot, ctx, body["trigger_id"], private):
        return
    kind, understood = understand(ctx, str(message.get("text", "")))
    people = [message.get("user"), *(i for i in understood.invitees if "@" not in i)]
    invitees = tuple(dict.fromkeys(p for p in people if p and p != ctx.caller.user_id))
    form = ScheduleForm.understood(understood, ctx.default_duration, ctx.caller.tz)
    form = replace(form, topic=form.topic[:150], invitee_ids=invitees, kind=kind, note="")
    thread = str(message.get("thread_ts") or message.get("ts") or "")
    view = modals.schedule_modal(form, channel=channel, thread_ts=thread, tz=ctx.caller.tz, kinds=bot.backend.kinds)
    await open_view(bot, body["trigger_id"], view, private)


async def _reschedule_form(bot: Bot, body: dict[str, Any]) -> None:
    action = body["actions"][0]
    raw = (action.get("selected_option") or {}).get("value") or action.get("value", "")
    channel = str((body.get("channel") or {}).get("id", ""))
    ctx = await context_of(bot, body, channel)
    private = delivery.by_ephemeral(bot, channel, ctx.caller.user_id)
    try:
        key = meeting_number(str(raw).removeprefix("reschedule:"))
        record = bot.store.meeting(ctx.team_id, key)
        link = ctx.link
        if record is not None and not ctx.is_admin and (link is None or link.webex_id != record.host_webex_id):
            raise NotAuthorized(f"Only the host of meeting {key} or an admin can reschedule it.")
        session = await forms.reschedulable(ctx, key)  # asks Webex: a meeting in progress is refused here
    except Exception as error:
        await private(views.notice(message_for(error)))
        return
    start = session.start.astimezone(forms.zone(ctx.caller.tz)) if session.start else None
    form = ScheduleForm(
        day=start.date() if start else None,
        at=start.time().replace(second=0, microsecond=0) if start else None,
        duration_minutes=session.duration_minutes or ctx.default_duration,
    )
    view = modals.reschedule_modal(key, session.topic, form, ctx.caller.tz, channel=channel)
    await open_view(bot, body["trigger_id"], view, private)


def _after_link(bot: Bot, ctx: Context, linked: str, then: dict[str, str]) -> dict[str, Any]:
    """What the link modal turns into: the schedule form it stood in for, or a word that it worked."""
    if then.get("then") != "schedule":
        return modals.notice_modal("Linked", linked)
    channel = str(then.get("channel") or "")
    note = f"{linked.replace('`', '')} Now schedule your meeting."  # the form shows its note as plain text
    form = ScheduleForm(duration_minutes=ctx.default_duration, note=note)
    return modals.schedule_modal(form, channel=channel, tz=ctx.caller.tz, kinds=bot.backend.kinds)


def _not_started(bot: Bot, team_id: str, key: str) -> None:
    """Refused beside the fields (not later, elsewhere) when the meeting went live while the modal was open."""
    record = bot.store.meeting(team_id, key)
    if record is not None and record.status == "live":
        raise FormErrors({"date": f"Meeting {spaced(key)} has started, so it can't be moved. Close this form."})


async def _link(bot: Bot, body: dict[str, Any], account: str) -> None:
    ctx = await context_of(bot, body, "")
    try:
        result = (await linking.link(ctx, account)).text
    except Exception as error:
        result = message_for(error)
    await home.refresh(bot, ctx, result)

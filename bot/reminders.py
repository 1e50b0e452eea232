"""Reminders, held by Slack: each is handed over with chat.scheduleMessage as soon as it is within Slack's
horizon, deleted from Slack when its meeting is cancelled and moved when it is rescheduled. Slack posts it
even while the bot is down, and exactly once. Every step follows the store (see Store's reminder states);
a hand-over that may have reached Slack is looked up in Slack's list before it is tried again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from commands.meetings import record_view
from commands.series import meeting_at_or_after, next_meeting
from storage import MeetingRecord, Reminder

from . import views
from .delivery import dm_channel
from .slack_calls import EXPECTED, attempt, describe, error_code

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")
HORIZON = timedelta(days=119)  # Slack schedules at most 120 days ahead
SOONEST = timedelta(seconds=15)  # Slack refuses a time in the past: a late reminder goes out this soon


class Reminders:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._lock = asyncio.Lock()
        self._next: asyncio.Future[None] | None = None  # the pass that has been asked for and not yet begun
        self._passes: set[asyncio.Task[None]] = set()

    async def sync(self) -> None:
        """Make Slack hold what the store says it should: retract, then hand over. Returns once a pass that
        began after the call has ended; callers that ask while a pass runs share the one after it (a burst of
        scheduled meetings costs a few passes, not one each). On the work loop, one pass at a time."""
        await self.bot.work.call(self._pass_after_now())

    async def _pass_after_now(self) -> None:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            task = asyncio.ensure_future(self._run_next(self._next))
            self._passes.add(task)
            task.add_done_callback(self._passes.discard)
        await asyncio.shield(self._next)

    async def _run_next(self, done: asyncio.Future[None]) -> None:
        async with self._lock:
            self._next = None  # from here on, a new call asks for another pass
            try:
                await self._sync()
            except Exception as error:
                done.set_exception(error)
            else:
                done.set_result(None)

    async def _sync(self) -> None:
        now = self.bot.clock()
        self._follow_series(now)
        replica = self.bot.replica
        retract, hand_over = self.bot.store.claim_reminders(
            (now + HORIZON).isoformat(), replica.identity, replica.claim_lease_s
        )  # claimed: no other replica hands these over meanwhile
        for reminder in retract:
            await self._in_workspace(reminder, self._retract)
        for reminder in hand_over:
            await self._in_workspace(reminder, partial(self._hand_over, now=now))

    async def _in_workspace(
        self, reminder: Reminder, work: Callable[[Reminder, MeetingRecord | None], Awaitable[None]]
    ) -> None:
        """Do the work with the bot token of the reminder's workspace; one no longer installed loses its work."""
        meeting = self.bot.store.meeting(reminder.team_id, reminder.meeting_key)
        await self.bot.slack.serve(meeting.team_id if meeting else "", partial(work, reminder, meeting))

    async def _retract(self, reminder: Reminder, record: MeetingRecord | None) -> None:
        channel = reminder.channel_id or ""
        held = reminder.scheduled_id or await self._held(channel, self._text(reminder, record))
        if held:
            call = self.bot.client.chat_deleteScheduledMessage(channel=channel, scheduled_message_id=held)
            try:
                await call
            except EXPECTED as error:
                if error_code(error) != "invalid_scheduled_message_id":  # gone already: posted or deleted
                    log.info("reminder %s not retracted yet: %s", reminder.id, describe(error))
                    return
        self.bot.store.forget_reminder(reminder.id)

    def _follow_series(self, now: datetime) -> None:
        """A series keeps one reminder per person, for its next meeting: once the meeting a reminder was for
        has begun (so Slack has posted it), the reminder of the following one takes its place."""
        store = self.bot.store
        for reminder in store.reminders_handed_over(now.astimezone(UTC).isoformat()):
            record = store.meeting(reminder.team_id, reminder.meeting_key)
            if record is None or not record.recurrence:
                continue
            due = datetime.fromisoformat(reminder.due_at)
            meeting = _meeting_of(record, due)
            if meeting is not None and meeting > now:
                continue
            following = next_meeting(record.recurrence, _first(record), record.time_zone, meeting) if meeting else None
            if following is None or meeting is None or record.status == "cancelled":
                store.forget_reminder(reminder.id)
                continue
            store.next_reminder(reminder, (following - (meeting - due)).astimezone(UTC).isoformat())

    async def _hand_over(self, reminder: Reminder, record: MeetingRecord | None, *, now: datetime) -> None:
        store = self.bot.store
        start = _meeting_of(record, datetime.fromisoformat(reminder.due_at)) if record else None
        post_at = max(datetime.fromisoformat(reminder.due_at), now + SOONEST)
        if record is None or not _remindable(record) or start is None or post_at >= start:
            store.forget_reminder(reminder.id)  # cancelled, started, or too late to remind
            return
        channel = reminder.channel_id or await dm_channel(self.bot, reminder.slack_user_id)
        if channel is None:
            return  # Slack did not answer: the next round tries again
        message = self._message(reminder, record)
        held = await self._held(channel, message["text"]) if reminder.sent_at else None
        if held is None:
            store.handing_over(reminder.id, channel, now.isoformat())
            scheduled = await attempt(
                f"reminder {reminder.id}",
                self.bot.client.chat_scheduleMessage(channel=channel, post_at=int(post_at.timestamp()), **message),
            )
            if scheduled is None:
                return
            held = str(scheduled["scheduled_message_id"])
        store.handed_over(reminder.id, held)

    async def _held(self, channel: str, text: str | None) -> str | None:
        """The id of this reminder if Slack already holds it (an earlier hand-over whose answer was lost)."""
        if not channel:
            return None
        listed = await attempt("scheduled messages", self.bot.client.chat_scheduledMessages_list(channel=channel))
        if listed is None:
            return None
        for held in listed.get("scheduled_messages") or []:
            if held.get("channel_id", channel) == channel and held.get("text") == text:
                return str(held["id"])
        return None

    def _text(self, reminder: Reminder, record: MeetingRecord | None) -> str | None:
        return str(self._message(reminder, record)["text"]) if record is not None else None

    def _message(self, reminder: Reminder, record: MeetingRecord) -> views.Message:
        """The reminder, of the meeting it is due before (for a series, that one of its meetings)."""
        meeting = record_view(self.bot.backend, record)
        if record.recurrence:
            start = _meeting_of(record, datetime.fromisoformat(reminder.due_at))
            meeting = replace(meeting, start=start or meeting.start, recurrence=record.recurrence, status="scheduled")
        return views.reminder(meeting, host=reminder.role == "host")


def _first(record: MeetingRecord) -> datetime:
    return datetime.fromisoformat(record.start)


def _meeting_of(record: MeetingRecord, due: datetime) -> datetime | None:
    """When the meeting a reminder due at `due` is for starts: the start, or a series' first meeting after it."""
    if not record.start:
        return None
    if not record.recurrence:
        return _first(record)
    return meeting_at_or_after(record.recurrence, _first(record), record.time_zone, due)


def _remindable(record: MeetingRecord) -> bool:
    """A one-off until it starts; a series until it is cancelled (its first meeting may have run already)."""
    return record.status != "cancelled" if record.recurrence else record.status == "scheduled"

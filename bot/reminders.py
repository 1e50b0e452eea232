"""Reminders, held by Slack: each is handed over with chat.scheduleMessage as soon as it is within Slack's
horizon, deleted from Slack when its meeting is cancelled and moved when it is rescheduled. Slack posts it
even while the bot is down, and exactly once. Every step follows the store (see Store's reminder states);
a hand-over that may have reached Slack is looked up in Slack's list before it is tried again."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from commands.meetings import record_view
from storage import Reminder

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

    async def sync(self) -> None:
        """Make Slack hold what the store says it should: retract, then hand over."""
        async with self._lock:
            now = self.bot.clock()
            replica = self.bot.replica
            retract, hand_over = self.bot.store.claim_reminders(
                (now + HORIZON).isoformat(), replica.identity, replica.claim_lease_s
            )  # claimed: no other replica hands these over meanwhile
            for reminder in retract:
                await self._retract(reminder)
            for reminder in hand_over:
                await self._hand_over(reminder, now)

    async def _retract(self, reminder: Reminder) -> None:
        channel = reminder.channel_id or ""
        held = reminder.scheduled_id or await self._held(channel, reminder)
        if held:
            call = self.bot.client.chat_deleteScheduledMessage(channel=channel, scheduled_message_id=held)
            try:
                await call
            except EXPECTED as error:
                if error_code(error) != "invalid_scheduled_message_id":  # gone already: posted or deleted
                    log.info("reminder %s not retracted yet: %s", reminder.id, describe(error))
                    return
        self.bot.store.forget_reminder(reminder.id)

    async def _hand_over(self, reminder: Reminder, now: datetime) -> None:
        store = self.bot.store
        record = store.meeting(reminder.meeting_key)
        start = datetime.fromisoformat(record.start) if record and record.start else None
        post_at = max(datetime.fromisoformat(reminder.due_at), now + SOONEST)
        if record is None or record.status != "scheduled" or start is None or post_at >= start:
            store.forget_reminder(reminder.id)  # cancelled, started, or too late to remind
            return
        channel = reminder.channel_id or await dm_channel(self.bot, reminder.slack_user_id)
        if channel is None:
            return  # Slack did not answer: the next round tries again
        message = views.reminder(record_view(self.bot.backend, record), host=reminder.role == "host")
        held = await self._held(channel, reminder, message["text"]) if reminder.sent_at else None
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

    async def _held(self, channel: str, reminder: Reminder, text: str | None = None) -> str | None:
        """The id of this reminder if Slack already holds it (an earlier hand-over whose answer was lost)."""
        if not channel:
            return None
        listed = await attempt("scheduled messages", self.bot.client.chat_scheduledMessages_list(channel=channel))
        if listed is None:
            return None
        text = text or self._text(reminder)
        for held in listed.get("scheduled_messages") or []:
            if held.get("channel_id", channel) == channel and held.get("text") == text:
                return str(held["id"])
        return None

    def _text(self, reminder: Reminder) -> str | None:
        record = self.bot.store.meeting(reminder.meeting_key)
        if record is None:
            return None
        return str(views.reminder(record_view(self.bot.backend, record), host=reminder.role == "host")["text"])

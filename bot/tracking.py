"""The background poll: meetings made through the bot going live and ending, and due reminders."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from commands.backend import BackendError
from commands.replies import MeetingView
from storage import MeetingRecord, Reminder

from . import views

if TYPE_CHECKING:
    from .app import Bot

log = logging.getLogger("webexbot")
MAX_BACKOFF = 10


class Tracker:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.backoff = 1
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="webexbot-tracker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.bot.settings.poll_seconds * self.backoff)
            try:
                await self.poll_once()
            except Exception:
                log.exception("poll failed")

    async def poll_once(self) -> None:
        """One round: reminders first (they need no Webex call), then live sessions."""
        await self.send_due_reminders()
        tracked = self.bot.store.tracked_meetings()
        if not tracked:
            self.backoff = 1
            self.bot.health.last_poll = time.time()
            return
        try:
            live = {session.key for session in await self.bot.backend.live()}
        except BackendError as error:
            self.backoff = min(self.backoff * 2, MAX_BACKOFF)
            log.info("poll: Webex failed (%s); next poll in %s", error.problem.value, self.backoff)
            return
        self.backoff = 1
        self.bot.health.last_poll = time.time()
        now = self.bot.clock().astimezone(UTC)
        for record in tracked:
            if record.status == "scheduled" and record.meeting_key in live:
                self.bot.store.mark_live(record.meeting_key, now.isoformat())
                await self._went_live(record)
            elif record.status == "live" and record.meeting_key not in live:
                self.bot.store.mark_ended(record.meeting_key, now.isoformat())
                await self._ended(record, now)

    async def _went_live(self, record: MeetingRecord) -> None:
        meeting = self._view(record, "live")
        await self._edit_card(record, meeting)
        if record.channel_id:
            try:
                await self.bot.client.chat_postMessage(
                    channel=record.channel_id, thread_ts=record.card_ts or None, **views.went_live(meeting)
                )
            except SlackApiError as error:
                log.info("live notice for %s: %s", record.meeting_key, error.response.get("error"))

    async def _ended(self, record: MeetingRecord, now: datetime) -> None:
        started = datetime.fromisoformat(record.started_at) if record.started_at else now
        minutes = max(1, round((now - started).total_seconds() / 60))
        await self._edit_card(record, replace(self._view(record, "ended"), duration_minutes=minutes))

    async def _edit_card(self, record: MeetingRecord, meeting: MeetingView) -> None:
        if not record.card_ts:
            return
        try:
            await self.bot.client.chat_update(channel=record.channel_id, ts=record.card_ts, **views.card(meeting))
        except SlackApiError as error:
            log.info("card for %s not updated: %s", record.meeting_key, error.response.get("error"))

    def _view(self, record: MeetingRecord, status: str) -> MeetingView:
        return MeetingView(
            key=record.meeting_key,
            topic=record.topic,
            start=datetime.fromisoformat(record.start) if record.start else None,
            duration_minutes=record.duration_minutes,
            host_webex_id=record.host_webex_id,
            join_url=self.bot.backend.public_join_link(record.meeting_key, record.kind),
            host_user_id=record.host_slack_user_id or None,
            invitee_user_ids=record.invitee_ids,
            status=status,
            kind=record.kind,
        )

    async def send_due_reminders(self) -> None:
        now = self.bot.clock().astimezone(UTC)
        for reminder in self.bot.store.due_reminders(now.isoformat()):
            if not self.bot.store.claim_reminder(reminder.id, now.isoformat()):
                continue  # another delivery already took it
            record = self.bot.store.meeting(reminder.meeting_key)
            if record is None or record.status not in ("scheduled", "live"):
                continue
            if record.start and datetime.fromisoformat(record.start) <= now:
                continue  # too late to remind: the meeting has started
            if not await self._remind(reminder, self._view(record, record.status)):
                self.bot.store.release_reminder(reminder.id)

    async def _remind(self, reminder: Reminder, meeting: MeetingView) -> bool:
        message = views.reminder(meeting, host=reminder.role == "host")
        try:
            opened = await self.bot.client.conversations_open(users=reminder.slack_user_id)
            await self.bot.client.chat_postMessage(channel=opened["channel"]["id"], **message)
        except SlackApiError as error:
            log.info("reminder to %s failed: %s", reminder.slack_user_id, error.response.get("error"))
            return False
        return True

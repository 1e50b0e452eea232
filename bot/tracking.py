"""The background poll: meetings made through the bot going live and ending, and due reminders."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from commands import series
from commands.backend import BackendError, Problem
from commands.errors import NotConnected
from commands.meetings import record_view
from storage import MeetingRecord

from . import delivery, views
from .slack_calls import attempt
from .views import spaced
from .webex_routing import RoutingBackend

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")
MAX_BACKOFF = 10
RECONCILE_EVERY = 5  # polls


class Tracker:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.backoff = 1
        self.rounds = 0
        self.by_webhooks = False  # set when Webex sends meetings started/ended to the bot
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
        """Poll while this replica holds the poll lease (at once when it takes the lease over)."""
        replica = self.bot.replica
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(replica.promoted.wait(), self.bot.settings.poll_seconds * self.backoff)
            replica.promoted.clear()
            if not replica.leading:
                continue
            try:
                await self.poll_once()
            except Exception:
                log.exception("poll failed")

    async def poll_once(self) -> None:
        """One round: reminders to Slack, unfinished intents, reconciliation now and then, then live sessions."""
        await self.bot.reminders.sync()
        self.bot.runner.retry_unfinished()
        self.rounds += 1
        if self.rounds % RECONCILE_EVERY == 1:
            await self.reconcile()
        tracked = self.bot.store.tracked_meetings()
        if not tracked or self.by_webhooks:
            self.backoff = 1
            self.bot.healths.polled()
            return
        by_team: dict[str, list[MeetingRecord]] = {}
        for record in tracked:
            by_team.setdefault(record.team_id, []).append(record)
        for team, records in by_team.items():  # each workspace may have its own Webex site
            await self.bot.slack.serve(team, partial(self._poll_team, team, records))

    async def _poll_team(self, team: str, tracked: list[MeetingRecord]) -> None:
        try:
            live = {session.key for session in await self.bot.backend.live()}
        except (BackendError, NotConnected) as error:
            self.backoff = min(self.backoff * 2, MAX_BACKOFF)
            log.info("poll: Webex failed (%s); next poll in %s", getattr(error, "problem", error), self.backoff)
            return
        self.backoff = 1
        self.bot.healths.of(team).last_poll = time.time()
        for record in tracked:
            if record.status == "scheduled" and record.meeting_key in live:
                await self._went_live_now(record)
            elif record.status == "live" and record.meeting_key not in live:
                await self._end(record)

    async def started(self, team_id: str, key: str) -> None:
        """A meeting the bot made has started: its card turns live, its thread hears it once."""
        record = self.bot.store.meeting(team_id, key)
        if record is not None and record.status == "scheduled":
            await self.bot.slack.serve(record.team_id, partial(self._went_live_now, record))

    async def _went_live_now(self, record: MeetingRecord) -> None:
        now = self.bot.clock().astimezone(UTC).isoformat()
        if self.bot.store.mark_live(record.team_id, record.meeting_key, now):  # else another replica did
            await self._went_live(record)

    async def ended(self, team_id: str, key: str) -> None:
        record = self.bot.store.meeting(team_id, key)
        if record is not None and record.status == "live":
            await self.bot.slack.serve(record.team_id, partial(self._end, record))

    async def _end(self, record: MeetingRecord) -> None:
        key = record.meeting_key
        now = self.bot.clock().astimezone(UTC)
        upcoming = _next_of_series(record, now)
        if upcoming is not None:
            if self.bot.store.set_status(record.team_id, key, "scheduled", "webex"):
                waiting = replace(record_view(self.bot.backend, record, "scheduled"), start=upcoming)
                await delivery.edit_card(self.bot, record.team_id, waiting)
            return
        if self.bot.store.mark_ended(record.team_id, key, now.isoformat()):
            await self._ended(record, now)

    def describe(self, team_id: str = "") -> list[str]:
        """The workspace's Webex connection and how live meetings are followed, for `/webex admin status`."""
        source = "Webex webhooks" if self.by_webhooks else f"polling Webex every {self.bot.settings.poll_seconds:g} s"
        try:
            api = self.bot.backend_for(team_id).name
        except NotConnected:
            api = "not connected (a workspace admin connects it from the Home tab)"
        lines = [f"Webex API: {api}", *self._connection(team_id), f"Live meetings followed by {source}"]
        if self.bot.store.engine.name == "postgresql":
            lines.append(f"This replica {'polls' if self.bot.replica.leading else 'does not poll'} Webex")
        return lines

    def _connection(self, team_id: str) -> list[str]:
        """Where the workspace's own connection goes, who made it and when (never a credential)."""
        routing = self.bot.backend
        if not isinstance(routing, RoutingBackend) or not team_id:
            return []
        record = routing.connections.record(team_id)
        if record is None:
            return ["Webex site: the bot's default"] if routing.connections.has_default else []
        return [f"Webex site: {record.site_url}, connected by <@{record.connected_by}> on {record.connected_at[:10]}"]

    async def reconcile(self, team_id: str | None = None) -> list[str]:
        """Compare the store's upcoming meetings (of every workspace, or of `team_id`'s) with Webex: cancelled or
        moved outside Slack, their cards and reminders follow. Returns what changed, in words, for
        `/webex admin status`."""
        changes: list[str] = []
        now = self.bot.clock()
        for record in self.bot.store.tracked_meetings():
            if record.status != "scheduled" or (record.start and datetime.fromisoformat(record.start) < now):
                continue
            if team_id is not None and record.team_id != team_id:
                continue
            try:
                await self.bot.slack.serve(record.team_id, partial(self._reconcile_one, record, changes))
            except BackendError as error:
                log.info("reconcile stopped: Webex failed (%s)", error.problem.value)
                changes.append("Webex did not answer, so the check stopped; it runs again on the next poll.")
                break
        await self.bot.reminders.sync()
        return changes

    async def _reconcile_one(self, record: MeetingRecord, changes: list[str]) -> None:
        changed = await self._reconciled(record)
        if changed:
            changes.append(changed)

    async def _reconciled(self, record: MeetingRecord) -> str:
        key = record.meeting_key
        try:
            session = await self.bot.backend.session(key)
        except BackendError as error:
            if error.problem is not Problem.NOT_FOUND:
                raise
            if not self.bot.store.set_status(record.team_id, key, "cancelled", "webex"):
                return ""  # cancelled meanwhile, through the bot
            self.bot.store.drop_reminders(record.team_id, key)
            await delivery.edit_card(self.bot, record.team_id, record_view(self.bot.backend, record, "cancelled"))
            return f"{spaced(key)} was cancelled in Webex; its card and reminders now say so."
        same_start = session.start is None or session.start == datetime.fromisoformat(record.start)
        if same_start and session.duration_minutes in (0, record.duration_minutes):
            return ""
        start = session.start or datetime.fromisoformat(record.start)
        duration = session.duration_minutes or record.duration_minutes
        self.bot.store.move_meeting(record.team_id, key, start.isoformat(), duration)
        if self.bot.settings.remind_minutes:
            due = start - timedelta(minutes=self.bot.settings.remind_minutes)
            self.bot.store.move_reminders(record.team_id, key, due.astimezone(UTC).isoformat())
        moved = self.bot.store.meeting(record.team_id, key)
        if moved is not None:
            await delivery.edit_card(self.bot, record.team_id, record_view(self.bot.backend, moved))
        return f"{spaced(key)} was moved in Webex; its card and reminders follow."

    async def _went_live(self, record: MeetingRecord) -> None:
        meeting = record_view(self.bot.backend, record, "live")
        await delivery.edit_card(self.bot, record.team_id, meeting)
        if record.channel_id:
            await attempt(
                f"live notice for {record.meeting_key}",
                self.bot.client.chat_postMessage(
                    channel=record.channel_id, thread_ts=record.card_ts or None, **views.went_live(meeting)
                ),
            )

    async def _ended(self, record: MeetingRecord, now: datetime) -> None:
        started = datetime.fromisoformat(record.started_at) if record.started_at else now
        minutes = max(1, round((now - started).total_seconds() / 60))
        ended = replace(record_view(self.bot.backend, record, "ended"), duration_minutes=minutes)
        await delivery.edit_card(self.bot, record.team_id, ended)


def _next_of_series(record: MeetingRecord, now: datetime) -> datetime | None:
    """A series waits for its next meeting after each one ends; None for a one-off or a series that is over."""
    if not record.recurrence or not record.start:
        return None
    return series.next_meeting(record.recurrence, datetime.fromisoformat(record.start), record.time_zone, now)

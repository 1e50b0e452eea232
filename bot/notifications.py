"""The admin channel: what the bot did, what it refused, and Webex problems as they start and clear."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from storage import Store

from .render import fit, mrkdwn
from .slack_calls import attempt
from .slack_clients import NotInstalled, SlackClients
from .views import TOPIC, spaced, when
from .work_loop import Work, WorkLoop, settle

T = TypeVar("T")
log = logging.getLogger("webexbot")


class AdminNotifier:
    def __init__(
        self,
        client: AsyncWebClient,
        store: Store,
        work: WorkLoop,
        default_channel: str = "",
        slack: SlackClients | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.work = work
        self.default_channel = default_channel
        self.slack = slack or SlackClients()  # each post carries its workspace's token
        self._tasks: set[Work] = set()

    def channels(self, team_id: str) -> list[str]:
        """The team's channel (set with `/webex admin channel`), else WEBEXBOT_ADMIN_CHANNEL."""
        chosen = self.store.setting(team_id, "admin_channel") or self.default_channel
        return [chosen] if chosen else []

    def places(self) -> list[tuple[str, str]]:
        """(team, channel) of every workspace's admin channel, else ('', WEBEXBOT_ADMIN_CHANNEL) (single-workspace
        mode: its one token needs no team)."""
        found = self.store.setting_places("admin_channel")
        return found or ([("", self.default_channel)] if self.default_channel else [])

    def audited(self, team_id: str, actor: str, action: str, subject: str, detail: dict[str, object]) -> None:
        """Store.on_audit: report the entries an administrator wants to see."""
        if action == "link_taken":
            self.spawn(self.tell_unlinked(team_id, actor, subject, detail))
        text = self.describe(actor, action, subject, detail, team_id)
        if text:
            for channel in self.channels(team_id):
                self.spawn(self.post(team_id, channel, text))

    def describe(self, actor: str, action: str, subject: str, detail: dict[str, object], team_id: str = "") -> str:
        """The admin-channel line for an audit entry ("" for entries admins need not hear about)."""
        who, number = f"<@{actor}>", mrkdwn(spaced(subject), 40)
        account = f"`{_text(detail.get('webex_id'), 200)}`"
        if action == "create_meeting":
            start = detail.get("start")
            moment = when(datetime.fromisoformat(str(start))) if start else "an unknown time"
            return f":calendar: {who} scheduled *{_text(detail.get('topic'), TOPIC)}* ({number}) for {moment}."
        if action == "meeting_cancelled":
            record = self.store.meeting(team_id, subject)
            topic = f"*{mrkdwn(record.topic, TOPIC)}* " if record else ""
            return f":wastebasket: {who} cancelled {topic}({number})."
        if action == "link":
            how = _text(detail.get("verified_by"), 100)
            return f":link: {who} linked <@{_text(subject, 40)}> to Webex account {account} ({how})."
        if action == "unlink":
            return f":broken_chain: {who} unlinked <@{_text(subject, 40)}> from Webex account {account}."
        if action == "link_refused":
            return f":warning: {who} tried to link Webex account {account}, whose email is not theirs."
        if action == "host_link_refused":
            return f":warning: {who} asked for the host link of meeting {number}, which they don't host."
        if action == "cancel_refused":
            return f":warning: {who} tried to cancel meeting {number}, which they don't host."
        if action == "admin_refused":
            command = " ".join(("/webex admin", _text(detail.get("command"), 200))).strip()
            return f":warning: {who} tried `{command}` without being an admin."
        return ""

    async def tell_unlinked(self, team_id: str, actor: str, user_id: str, detail: dict[str, object]) -> None:
        """A direct message to the person whose Webex account an admin linked to someone else."""
        text = (
            f":broken_chain: <@{actor}> linked Webex account `{_text(detail.get('webex_id'), 200)}` to "
            f"<@{_text(detail.get('to'), 40)}>, so it is no longer linked to you. If it is yours, ask an admin; "
            "to link another account, use `/webex link <your Webex ID or email>`."
        )
        call = partial(self.client.conversations_open, users=user_id)
        opened = await self._in(team_id, lambda: attempt(f"conversations.open for {user_id}", call()))
        if opened is not None:
            await self.post(team_id, str(opened["channel"]["id"]), text)

    async def post(self, team_id: str, channel: str, text: str) -> str | None:
        """Post `text` (mrkdwn composed from escaped pieces) in the team's workspace; the message's ts, or None
        when Slack refused."""
        call = partial(self.client.chat_postMessage, channel=channel, text=fit(text, "text"))
        reply = await self._in(team_id, lambda: attempt(f"admin channel {channel}", call()))
        return str(reply["ts"]) if reply is not None else None

    async def update(self, team_id: str, channel: str, ts: str, text: str) -> None:
        call = partial(self.client.chat_update, channel=channel, ts=ts, text=fit(text, "text"))
        await self._in(team_id, lambda: attempt(f"admin channel {channel}", call()))

    async def _in(self, team_id: str, call: Callable[[], Awaitable[T]]) -> T | None:
        """The call with the team's bot token; None when the workspace is no longer installed."""
        try:
            async with self.slack.workspace(team_id):
                return await call()
        except NotInstalled:
            log.info("admin notice for workspace %s not sent: not installed", team_id or "(none)")
            return None

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = self.work.submit(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        while self._tasks:
            await settle(self._tasks)


def _text(value: object, budget: int) -> str:
    """A value from an audit entry, which a user may have typed, escaped for the admin channel."""
    return mrkdwn(str(value or ""), budget)

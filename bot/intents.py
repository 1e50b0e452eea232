"""Durable intents: a request that will write to Webex is recorded with its claim before the ack, carried
out after it, and marked done with what the user was told. At start, what an earlier run acknowledged and
did not finish is carried out again (looking in Webex first, so nothing is made twice)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from commands.backend import BackendError
from storage import Intent

from . import views
from .delivery import Private, by_ephemeral, private_reply
from .errors import message_for
from .work_loop import Work, settle

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")
STILL_WORKING_S = 4.0
DRAIN_S = 5.0
PRUNE_AFTER = timedelta(days=1)
MAX_ATTEMPTS = 5
UNCONFIRMED = (
    "Webex didn't confirm that request, so I'm checking whether it went through. "
    "I'll finish it and tell you here; no need to ask again."
)

Handler = Callable[["Bot", Intent, "Replies"], Awaitable[str]]


def record(bot: Bot, key: str, body_team: str, user_id: str, channel_id: str, action: str, **args: Any) -> bool:
    """Claim the request and record its intent in one transaction, before the ack. False: a repeated delivery."""
    intent = Intent(
        key=key,
        team_id=body_team,
        user_id=user_id,
        channel_id=channel_id,
        action=action,
        payload=json.dumps({"received_at": bot.clock().astimezone(UTC).isoformat(), **args}),
    )
    return bot.store.record_intent(intent, owner=bot.runner.owner, lease_s=bot.replica.claim_lease_s)


class Steps:
    """Which replies of one intent have gone out, kept in the store as they go."""

    def __init__(self, bot: Bot, intent: Intent, *, first_run: bool = False) -> None:
        self.bot = bot
        self.key = intent.key
        self.first_run = first_run  # nothing of it can have gone out before
        self._done: dict[str, Any] = intent.done_steps

    def done(self, step: str) -> bool:
        return step in self._done

    def value(self, step: str) -> Any:
        return self._done.get(step)

    def mark(self, step: str, value: object = True) -> None:
        self._done[step] = value
        self.bot.store.set_intent_progress(self.key, self._done)


class Replies:
    """Where an intent's answers go: the response URL on the first run, the Web API on a resumed one
    (response URLs expire)."""

    def __init__(self, bot: Bot, intent: Intent, resumed: bool) -> None:
        self.bot = bot
        self.intent = intent
        self.resumed = resumed
        self.steps = Steps(bot, intent, first_run=not resumed)

    @property
    def response_url(self) -> str:
        return "" if self.resumed else str(self.intent.args.get("response_url") or "")

    def private(self, *, replace_original: bool = False) -> Private:
        if self.response_url:
            return private_reply(
                self.bot,
                self.response_url,
                self.intent.channel_id,
                self.intent.user_id,
                replace_original=replace_original,
            )
        return by_ephemeral(self.bot, self.intent.channel_id, self.intent.user_id)

    async def tell(self, text: str) -> None:
        await self.private()(views.notice(text))


class IntentRunner:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.handlers: dict[str, Handler] = {}
        self._tasks: set[Work] = set()
        self._running: set[str] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run work after the ack, on the work loop, tracked so shutdown waits for it; what it fails with is
        logged."""
        task = self.bot.work.submit(_logged(work, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def submit(self, key: str) -> None:
        """Carry out the intent just recorded: the worker does (`owner`), or, without one, the work loop here."""
        if not self.hand_over({"intent": key}):
            self.spawn(self.carry_out(key, resumed=False), f"intent {key}")

    def hand_over(self, work: dict[str, Any]) -> bool:
        """Send `work` to this process's worker (bot/worker.py); False when it has none running (one is started
        if it runs on demand and enough work waits here)."""
        worker = self.bot.worker
        if worker is None:
            return False
        if worker.send(work):
            return True
        worker.wanted(len(self._tasks))
        return False

    @property
    def owner(self) -> str:
        """Who will carry out the intents recorded now: the worker while it runs, else this process."""
        worker = self.bot.worker
        return worker.identity if worker is not None and worker.running else self.bot.replica.identity

    def running(self) -> list[str]:
        return sorted(self._running)

    def resume(self) -> None:
        """Carry out what an earlier run (or a replica that died) acknowledged and did not finish; forget old
        claims."""
        before = (self.bot.clock() - PRUNE_AFTER).astimezone(UTC).isoformat()
        self.bot.store.prune(before)
        for intent in self.bot.store.intents_to_take_over(self.bot.replica.identity):
            log.info("resuming %s (%s, attempt %s)", intent.action, intent.key, intent.attempts + 1)
            self.spawn(self.carry_out(intent.key, resumed=True), f"intent {intent.key}")

    async def drain(self, timeout: float | None = DRAIN_S) -> None:
        """Wait for the work; what is unfinished after `timeout` is cancelled, left unfinished in the store: the
        next start resumes it."""
        await settle(self._tasks, timeout)

    def take_back(self) -> None:
        """On the work loop: carry out what a retired worker left (bot/worker_link.py)."""
        self.spawn(self._retry_unfinished(), "what the worker left")

    async def _retry_unfinished(self) -> None:
        self.retry_unfinished()

    def retry_unfinished(self) -> None:
        """Carry out again the intents that no task here runs and no other replica holds: left pending (a write
        Webex may have applied), or left by a replica that died or lost the database mid-run."""
        for intent in self.bot.store.intents_to_take_over(self.bot.replica.identity):
            if intent.key not in self._running:
                self.spawn(self.carry_out(intent.key, resumed=True), f"intent {intent.key}")

    async def carry_out(self, key: str, *, resumed: bool) -> None:
        if key in self._running:
            return
        self._running.add(key)
        try:
            intent = self.bot.store.claim_intent(key, self.bot.replica.identity, self.bot.replica.claim_lease_s)
            if intent is not None:  # else finished already, or another replica carries it out
                # in its workspace, with its token: resumed, there is no request
                await self.bot.slack.serve(intent.team_id, partial(self._carry_out, intent, resumed))
        finally:
            self._running.discard(key)  # as soon as the store says finished, a resume may carry it out again
        await self.bot.reminders.sync()

    async def _carry_out(self, intent: Intent, resumed: bool) -> None:
        replies = Replies(self.bot, intent, resumed or intent.attempts > 1)
        slow = asyncio.get_running_loop().call_later(STILL_WORKING_S, self._still_working, replies)
        try:
            outcome, state = await self.handlers[intent.action](self.bot, intent, replies), "done"
        except BackendError as error:
            outcome, state = self._failed(intent, error)
            if outcome != intent.outcome:  # "still checking" is said once
                await replies.tell(outcome)
        except Exception as error:
            outcome, state = message_for(error), "failed"
            await replies.tell(outcome)
        finally:
            slow.cancel()
        self.bot.store.finish_intent(intent.key, state, outcome, intent)

    def _failed(self, intent: Intent, error: BackendError) -> tuple[str, str]:
        """A write Webex may have applied stays pending, to be looked for and finished on a later poll."""
        if error.maybe_applied and intent.attempts < MAX_ATTEMPTS:
            message_for(error)  # logs it
            return UNCONFIRMED, "pending"
        return message_for(error), "failed"

    def _still_working(self, replies: Replies) -> None:
        text = "Still working on it: Webex is slow to answer. I'll tell you here when it's done."
        self.spawn(replies.tell(text), f"still working {replies.intent.key}")


async def _logged(work: Coroutine[Any, Any, None], name: str) -> None:
    task = asyncio.current_task()
    if task is not None:
        task.set_name(name)
    try:
        await work
    except Exception as error:
        message_for(error)  # logs it with a reference

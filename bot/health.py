"""Webex's health as the bot sees it, told to the admin channel: one message when a problem starts, kept
current with a running count, and saying when it clears. While Webex flaps, each problem gets at most one
new message per ten minutes; in between, its message is edited instead. One WebexHealth per Webex connection
(HealthByConnection): the environment's, and in OAuth mode each workspace's own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from commands.backend import Problem

from .notifications import AdminNotifier

Places = Callable[[], list[tuple[str, str]]]  # (team, channel) of the admin channels that hear of a connection

PROBLEM_WORDS = {
    Problem.BAD_CREDENTIALS: "Webex rejected the service account (check WEBEX_USER and WEBEX_PASSWORD)",
    Problem.RATE_LIMITED: "Webex is rate limiting the bot",
    Problem.UNAVAILABLE: "the Webex site is unreachable",
    Problem.TIMEOUT: "the Webex site is not answering in time",
}
QUIET_PERIOD = timedelta(minutes=10)  # at most one new admin message per problem in this time


@dataclass
class Incident:
    problem: Problem
    started: datetime
    posted: datetime  # when its latest message was posted
    failures: int = 1
    returns: int = 0  # times it cleared and came back within the quiet period
    cleared: datetime | None = None
    edit_queued: bool = False
    posts: list[tuple[str, str, str]] = field(default_factory=list)  # (team, channel, ts) of its latest message


class WebexHealth:
    def __init__(
        self, notifier: AdminNotifier, clock: Callable[[], datetime] | None = None, places: Places | None = None
    ) -> None:
        self.notifier = notifier
        self.clock = clock or (lambda: datetime.now(UTC))
        self.places = places or notifier.places
        self.incident: Incident | None = None
        self.recent: dict[Problem, Incident] = {}  # each problem's last incident, to find a flapping one
        self.last_poll: float | None = None
        self.last_ok: float | None = None
        self._slack = asyncio.Lock()  # one Slack call sequence at a time, in the order things happened

    def outcome(self, problem: Problem | None) -> None:
        """XmlApiBackend.on_outcome: called after every Webex call."""
        if problem is None:
            self.last_ok = time.time()
            if self.incident is not None:
                incident, self.incident = self.incident, None
                incident.cleared = self.clock()
                self.notifier.spawn(self._cleared(incident))
            return
        if self.incident is not None and self.incident.problem is problem:
            self.incident.failures += 1
            self._queue_update(self.incident)
            return
        previous = self.recent.get(problem)
        if previous is not None and self.clock() - previous.posted < QUIET_PERIOD:
            previous.failures += 1
            previous.returns += 1
            previous.cleared = None
            self.incident = previous
            self._queue_update(previous)
            return
        now = self.clock()
        self.incident = self.recent[problem] = Incident(problem, started=now, posted=now)
        self.notifier.spawn(self._started(self.incident))

    def describe(self) -> list[str]:
        """For `/webex admin status`."""
        lines = []
        if self.incident is None:
            state = "reachable" if self.last_ok else "no call made yet"
            lines.append(f"Webex: {state}")
        else:
            lines.append(f"Webex: {PROBLEM_WORDS[self.incident.problem]} ({self.incident.failures} failed calls)")
        lines.append(f"Last poll: {_ago(self.last_poll)}")
        return lines

    def _queue_update(self, incident: Incident) -> None:
        """Edits are coalesced: one queued edit shows whatever the count is when it runs."""
        if not incident.edit_queued:
            incident.edit_queued = True
            self.notifier.spawn(self._update(incident))

    async def _started(self, incident: Incident) -> None:
        async with self._slack:
            incident.posts = await self._post(_text(incident))

    async def _update(self, incident: Incident) -> None:
        async with self._slack:
            incident.edit_queued = False
            for team, channel, ts in incident.posts:
                await self.notifier.update(team, channel, ts, _text(incident))

    async def _cleared(self, incident: Incident) -> None:
        async with self._slack:
            if incident.cleared is None:  # it came back before this ran; the queued edit shows that
                return
            if incident.cleared - incident.posted < QUIET_PERIOD:
                for team, channel, ts in incident.posts:
                    await self.notifier.update(team, channel, ts, _text(incident))
                return
            incident.posted = incident.cleared
            incident.posts = await self._post(_text(incident))

    async def _post(self, text: str) -> list[tuple[str, str, str]]:
        posts = []
        for team, channel in self.places():
            ts = await self.notifier.post(team, channel, text)
            if ts:
                posts.append((team, channel, ts))
        return posts


class HealthByConnection:
    """The environment's connection keeps `default` (told to every workspace that uses it); a workspace's own
    connection (OAuth mode) has a WebexHealth of its own, told to that workspace's admin channel only."""

    def __init__(self, notifier: AdminNotifier, clock: Callable[[], datetime] | None = None) -> None:
        self.notifier = notifier
        self.clock = clock
        self.default = WebexHealth(notifier, clock=clock, places=self._default_places)
        self._own: dict[str, WebexHealth] = {}

    def for_connection(self, team: str, version: int) -> WebexHealth:
        """For a backend being built for the workspace's connection (version 0: the environment's): a new
        connection starts with a clean record."""
        if not version:
            self.forget(team)
            return self.default
        self._own[team] = WebexHealth(self.notifier, clock=self.clock, places=partial(self._places_of, team))
        return self._own[team]

    def of(self, team: str) -> WebexHealth:
        """The health of the connection the workspace uses (as its backend was last built)."""
        return self._own.get(team) or self.default

    def forget(self, team: str) -> None:
        """The workspace's connection changed or the app left it."""
        self._own.pop(team, None)

    def polled(self) -> None:
        """A poll round that had nothing to ask any site."""
        for health in (self.default, *self._own.values()):
            health.last_poll = time.time()

    def _places_of(self, team: str) -> list[tuple[str, str]]:
        return [(team, channel) for channel in self.notifier.channels(team)]

    def _default_places(self) -> list[tuple[str, str]]:
        store = self.notifier.store
        return [(team, channel) for team, channel in self.notifier.places() if not store.webex_connection_version(team)]


def _text(incident: Incident) -> str:
    calls = f"{incident.failures} failed call{'s' if incident.failures != 1 else ''}"
    flaps = f" It cleared and came back {_times(incident.returns)}." if incident.returns else ""
    if incident.cleared is None:
        return f":rotating_light: Webex problem: {PROBLEM_WORDS[incident.problem]}. {calls} so far.{flaps}"
    minutes = max(1, round((incident.cleared - incident.started).total_seconds() / 60))
    return (
        f":white_check_mark: Webex is answering again, after {calls} over about {minutes} min "
        f"({PROBLEM_WORDS[incident.problem]}).{flaps}"
    )


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def _ago(moment: float | None) -> str:
    if moment is None:
        return "not yet"
    seconds = int(time.time() - moment)
    return f"{seconds} s ago" if seconds < 120 else f"{seconds // 60} min ago"

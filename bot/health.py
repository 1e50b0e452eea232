"""Webex's health as the bot sees it: one admin message when a problem starts, updated with a running
count, and one when it clears."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from commands.backend import Problem

from .notifications import AdminNotifier

PROBLEM_WORDS = {
    Problem.BAD_CREDENTIALS: "Webex rejected the service account (check WEBEX_USER and WEBEX_PASSWORD)",
    Problem.RATE_LIMITED: "Webex is rate limiting the bot",
    Problem.UNAVAILABLE: "the Webex site is unreachable",
    Problem.TIMEOUT: "the Webex site is not answering in time",
}


@dataclass
class Incident:
    problem: Problem
    started: float
    failures: int = 1
    posts: list[tuple[str, str]] = field(default_factory=list)  # (channel, ts) of the start message


class WebexHealth:
    def __init__(self, notifier: AdminNotifier) -> None:
        self.notifier = notifier
        self.incident: Incident | None = None
        self.last_poll: float | None = None
        self.last_ok: float | None = None

    def outcome(self, problem: Problem | None) -> None:
        """XmlApiBackend.on_outcome: called after every Webex call."""
        if problem is None:
            self.last_ok = time.time()
            if self.incident is not None:
                incident, self.incident = self.incident, None
                self.notifier.spawn(self._cleared(incident))
            return
        if self.incident is None or self.incident.problem is not problem:
            self.incident = Incident(problem, time.time())
            self.notifier.spawn(self._started(self.incident))
        else:
            self.incident.failures += 1
            self.notifier.spawn(self._update(self.incident))

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

    def _text(self, incident: Incident) -> str:
        calls = f"{incident.failures} failed call{'s' if incident.failures != 1 else ''} so far"
        return f":rotating_light: Webex problem: {PROBLEM_WORDS[incident.problem]}. {calls}."

    async def _started(self, incident: Incident) -> None:
        for channel in self.notifier.channels():
            ts = await self.notifier.post(channel, self._text(incident))
            if ts:
                incident.posts.append((channel, ts))

    async def _update(self, incident: Incident) -> None:
        for channel, ts in incident.posts:
            await self.notifier.update(channel, ts, self._text(incident))

    async def _cleared(self, incident: Incident) -> None:
        minutes = max(1, round((time.time() - incident.started) / 60))
        text = (
            f":white_check_mark: Webex is answering again, after {incident.failures} failed "
            f"call{'s' if incident.failures != 1 else ''} over about {minutes} min."
        )
        for channel in self.notifier.channels():
            await self.notifier.post(channel, text)


def _ago(moment: float | None) -> str:
    if moment is None:
        return "not yet"
    seconds = int(time.time() - moment)
    return f"{seconds} s ago" if seconds < 120 else f"{seconds // 60} min ago"

"""The connection pool for Slack calls (Web API, response URLs): an aiohttp.ClientSession per event loop,
looking like one session to slack_sdk's clients (which use only `closed` and `request`). The work loop makes
most calls; the ack loop makes the few an ack needs (Bolt's auth.test, the look-ups of a modal's submission)."""

from __future__ import annotations

from typing import Any, cast

import aiohttp

from webex.per_loop import PerLoop

LIMIT = 200


class SlackHttp:
    def __init__(self) -> None:
        self._sessions = PerLoop(lambda: aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=LIMIT)))
        self.closed = False

    def request(self, method: str, url: str, **options: Any) -> Any:
        session = self._sessions.here()
        if session.closed:  # closed under us (a test's loop ending): a new one for this loop
            self._sessions.forget_here()
            session = self._sessions.here()
        return session.request(method, url, **options)

    def as_session(self) -> aiohttp.ClientSession:
        """For slack_sdk's `session=` parameters."""
        return cast(aiohttp.ClientSession, self)

    async def close(self) -> None:
        self.closed = True
        await self._sessions.close_each(lambda session: session.close())

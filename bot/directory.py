"""Slack's people for the commands, from users.info: successes cached for a few minutes, failures retried
with backoff and never cached, and never replaced by a guess (no silent UTC)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from commands.context import Person
from commands.errors import ProfileUnavailable

from .slack_calls import EXPECTED, describe, error_code

RETRY_DELAYS_S = (0.2, 0.6)
MAX_RETRY_AFTER_S = 2.0


class SlackDirectory:
    def __init__(self, client: AsyncWebClient, *, ttl_s: float = 600.0) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Person]] = {}
        self.last_failure = ""

    async def require(self, user_id: str) -> Person:
        """The person, or ProfileUnavailable after the retries."""
        person = await self.person(user_id)
        if person is None:
            raise ProfileUnavailable()
        return person

    async def person(self, user_id: str) -> Person | None:
        """The person, or None when Slack would not say (after retries with backoff)."""
        cached = self._cache.get(user_id)
        if cached is not None and time.monotonic() - cached[0] < self.ttl_s:
            return cached[1]
        for delay in (*RETRY_DELAYS_S, None):
            try:
                reply = await self.client.users_info(user=user_id, include_locale=True)
            except EXPECTED as error:
                self.last_failure = describe(error)
                if delay is None or error_code(error) in ("user_not_found", "invalid_auth", "not_authed"):
                    return None
                await asyncio.sleep(_retry_after(error) or delay)
                continue
            person = _person(user_id, reply.get("user") or {})
            self._cache[user_id] = (time.monotonic(), person)
            return person
        return None


def _retry_after(error: BaseException) -> float:
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        return min(float(headers.get("Retry-After", 0)), MAX_RETRY_AFTER_S)
    except (TypeError, ValueError):
        return 0.0


def _person(user_id: str, user: dict[str, Any]) -> Person:
    profile = user.get("profile") or {}
    return Person(
        user_id=user_id,
        name=profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user_id,
        email=profile.get("email"),
        tz=user.get("tz") or "UTC",
        locale=user.get("locale") or "en-US",
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )

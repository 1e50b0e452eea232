"""Slack's people for the commands, from users.info: successes cached for a few minutes, failures retried
with backoff and never cached, and never replaced by a guess. A profile without a time zone is read in UTC,
and the person is told so (`zone_note`): never a silent UTC."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from commands.context import Person
from commands.errors import ProfileUnavailable

from .slack_calls import EXPECTED, describe, error_code

RETRY_DELAYS_S = (0.2, 0.6)
NO_ZONE = "UTC"
NO_ZONE_NOTE = (
    "Your Slack profile has no time zone, so I read and show times in UTC (UTC+00:00). "
    "Set your time zone in Slack's preferences to use your own."
)
MAX_RETRY_AFTER_S = 2.0


class SlackDirectory:
    def __init__(self, client: AsyncWebClient, *, ttl_s: float = 600.0) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Person]] = {}
        self._no_zone: set[str] = set()
        self.last_failure = ""

    def zone_note(self, user_id: str) -> str | None:
        """What to tell someone whose Slack profile has no time zone (times are read and shown in UTC)."""
        return NO_ZONE_NOTE if user_id in self._no_zone else None

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
            user = reply.get("user") or {}
            person = _person(user_id, user)
            self._cache[user_id] = (time.monotonic(), person)
            (self._no_zone.discard if user.get("tz") else self._no_zone.add)(user_id)
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
        tz=user.get("tz") or NO_ZONE,
        locale=user.get("locale") or "en-US",
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )

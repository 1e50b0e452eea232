"""Slack's people for the commands, from users.info, cached for a few minutes."""

from __future__ import annotations

import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from commands.context import Person


class SlackDirectory:
    def __init__(self, client: AsyncWebClient, *, ttl_s: float = 600.0) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Person | None]] = {}

    async def person(self, user_id: str) -> Person | None:
        cached = self._cache.get(user_id)
        if cached is not None and time.monotonic() - cached[0] < self.ttl_s:
            return cached[1]
        try:
            reply = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError:
            return None
        user = reply.get("user") or {}
        profile = user.get("profile") or {}
        person = Person(
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
        self._cache[user_id] = (time.monotonic(), person)
        return person

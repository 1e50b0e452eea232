"""Scheduled messages in the Slack stand-in: chat.scheduleMessage and its companions, checked as Slack
checks them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

MAX_AHEAD_S = 120 * 24 * 3600  # Slack refuses a post_at more than 120 days out
_ids = itertools.count(1)


@dataclass
class ScheduledMessage:
    channel: str
    post_at: int
    text: str
    blocks: list[dict[str, Any]]
    date_created: int
    thread_ts: str | None = None
    id: str = field(default_factory=lambda: f"Q{next(_ids):010d}")
    state: str = "pending"  # pending, posted or deleted
    posted_ts: str | None = None  # the ts of the message it became

    def as_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel_id": self.channel,
            "post_at": self.post_at,
            "date_created": self.date_created,
            "text": self.text,
        }


def post_time(value: Any, now: float) -> int | str:
    """The post_at as an int, or the error Slack gives for it."""
    try:
        post_at = int(float(value))
    except (TypeError, ValueError):
        return "invalid_time"
    if post_at <= now:
        return "time_in_past"
    if post_at > now + MAX_AHEAD_S:
        return "time_too_far"
    return post_at


def in_range(message: ScheduledMessage, params: dict[str, Any]) -> bool:
    """Pending, in the asked channel (if any), between `oldest` and `latest` (if given)."""
    if message.state != "pending":
        return False
    if params.get("channel") and params["channel"] != message.channel:
        return False
    if params.get("oldest") and message.post_at < float(params["oldest"]):
        return False
    return not (params.get("latest") and message.post_at > float(params["latest"]))

"""Each person's join link to a meeting, as `POST /meetings/join` gave it, kept while most of its life is left:
whoever asks again (or clicks Join twice) gets the same link without another call. In memory only, never
logged; start links are never kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from cachetools import TLRUCache

LIFETIME_MINUTES = 60  # asked of Webex for each join link (it allows 1-60)
USABLE_FOR_S = 45 * 60.0  # a kept link is handed out only while it has this long left
MAX_LINKS = 4096

Key = tuple[str, str, str]  # (meeting id, email, display name)


class JoinLinks:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._links: TLRUCache[Key, tuple[str, float]] = TLRUCache(MAX_LINKS, _usable_until, timer=clock)
        self._lock = threading.Lock()

    def get(self, meeting_id: str, email: str, name: str) -> str | None:
        with self._lock:
            kept = self._links.get((meeting_id, email.lower(), name))
        return kept[0] if kept is not None else None

    def keep(self, meeting_id: str, email: str, name: str, link: str, expiration: datetime | None) -> None:
        if link and expiration is not None:
            with self._lock:
                self._links[(meeting_id, email.lower(), name)] = (link, expiration.timestamp())

    def forget(self, meeting_id: str) -> None:
        """Drop everyone's link to the meeting (it was cancelled or moved)."""
        with self._lock:
            for key in [key for key in self._links if key[0] == meeting_id]:
                self._links.pop(key, None)


def _usable_until(_key: Key, value: tuple[str, float], _now: float) -> float:
    return value[1] - USABLE_FOR_S

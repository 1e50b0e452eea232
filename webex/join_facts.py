"""What GetSessionInfo just said about a meeting, kept briefly for joining it: `/webex join` asks GetSessionInfo
first, and with its password (or the word that there is none) the URL API builds the same link GetjoinurlMeeting
would give, for each person who asks within the minute, without another call."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from cachetools import TTLCache

from .models import SessionInfo

KEEP_S = 60.0
MAX_KEYS = 1024


class JoinFacts:
    """Meeting key -> its GetSessionInfo reply (with the join password, if any), for KEEP_S seconds; held in
    memory only, never logged."""

    def __init__(self, keep_s: float = KEEP_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._seen: TTLCache[str, SessionInfo] = TTLCache(MAX_KEYS, keep_s, timer=clock)
        self._lock = threading.Lock()

    def heard(self, key: str, info: SessionInfo) -> None:
        with self._lock:
            self._seen[key] = info

    def info(self, key: str) -> SessionInfo | None:
        """What GetSessionInfo said of the meeting in the last KEEP_S seconds."""
        with self._lock:
            return self._seen.get(key)

    def password(self, key: str) -> str | None:
        """The password to put in the link ("" for none), or None when nothing recent says it (or Webex hides
        it from the bot's account)."""
        info = self.info(key)
        if info is None or (info.password_required and not info.password):
            return None
        return info.password or ""

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)

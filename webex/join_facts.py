"""What GetSessionInfo just said about joining a meeting, kept briefly: `/webex join` asks GetSessionInfo first,
and with its password (or the word that there is none) the URL API builds the same link GetjoinurlMeeting would
give, for each person who asks within the minute, without another call."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from cachetools import TTLCache

from .models import SessionInfo

KEEP_S = 60.0
MAX_KEYS = 1024


class JoinFacts:
    """Meeting key -> its join password ("" for none, None when Webex hides it from the bot's account), for
    KEEP_S seconds; held in memory only, never logged."""

    def __init__(self, keep_s: float = KEEP_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._seen: TTLCache[str, str | None] = TTLCache(MAX_KEYS, keep_s, timer=clock)
        self._lock = threading.Lock()

    def heard(self, key: str, info: SessionInfo) -> None:
        """Keep what a GetSessionInfo reply says about the meeting's password."""
        with self._lock:
            self._seen[key] = None if info.password_required and not info.password else info.password or ""

    def known(self, key: str) -> bool:
        """Whether GetSessionInfo spoke of the meeting in the last KEEP_S seconds."""
        with self._lock:
            return key in self._seen

    def password(self, key: str) -> str | None:
        """The password to put in the link ("" for none), or None when nothing recent says it."""
        with self._lock:
            return self._seen.get(key)

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)

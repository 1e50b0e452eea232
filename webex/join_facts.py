"""What GetSessionInfo just said about joining a meeting, kept briefly: `/webex join` of a meeting the store
does not hold asks GetSessionInfo first, and with its password (or the word that there is none) the URL API
builds the same link GetjoinurlMeeting would give, without a second call."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from .models import SessionInfo

KEEP_S = 60.0
MAX_KEYS = 1024


class JoinFacts:
    """Meeting key -> its join password ("" for none), for KEEP_S seconds; held in memory only, never logged."""

    def __init__(self, keep_s: float = KEEP_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.keep_s = keep_s
        self.clock = clock
        self._seen: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def heard(self, key: str, info: SessionInfo) -> None:
        """Keep what a GetSessionInfo reply says, when it says enough to build the link."""
        if info.password_required and not info.password:
            self._seen.pop(key, None)
            return
        self._seen[key] = (self.clock() + self.keep_s, info.password or "")
        self._seen.move_to_end(key)
        while len(self._seen) > MAX_KEYS:
            self._seen.popitem(last=False)

    def password(self, key: str) -> str | None:
        """The password to put in the link ("" for none), or None when nothing recent is known."""
        seen = self._seen.get(key)
        if seen is None or seen[0] < self.clock():
            return None
        return seen[1]

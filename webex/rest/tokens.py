"""The bearer token the client sends, and its renewal with a refresh token.

A `TokenKeeper` (the store, in the app) keeps the newest pair so that a restart uses it: Webex may rotate
the refresh token on every renewal, and the old one then stops working. Processes sharing a keeper renew one
at a time (its `exclusive()`), each reading the kept pair first: another may have renewed it already.
Nothing here ever puts a token or a secret in a repr, a log line or an error text.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

RENEW_BEFORE = timedelta(minutes=5)  # renew this long before the access token expires


@dataclass(frozen=True)
class TokenPair:
    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: datetime | None = None  # of the access token; None when unknown
    refresh_expires_at: datetime | None = None


@dataclass(frozen=True)
class RefreshCredentials:
    """The integration's or Service App's client id and secret, which renew the access token."""

    client_id: str
    client_secret: str = field(repr=False)


class TokenKeeper(Protocol):
    def load(self) -> TokenPair | None: ...

    def save(self, pair: TokenPair) -> None: ...

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """While held, no other process sharing this keeper renews the pair."""
        ...


class MemoryTokenKeeper:
    """A keeper that forgets on restart: for tests, and when no store is configured."""

    def __init__(self, pair: TokenPair | None = None) -> None:
        self.pair = pair
        self.saves = 0

    def load(self) -> TokenPair | None:
        return self.pair

    def save(self, pair: TokenPair) -> None:
        self.pair = pair
        self.saves += 1

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        yield  # one process: Tokens.lock is enough


class Tokens:
    """The current pair. The kept pair, when there is one, wins over the configured one: it is newer."""

    def __init__(
        self,
        configured: TokenPair,
        *,
        refresh: RefreshCredentials | None = None,
        keeper: TokenKeeper | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        kept = keeper.load() if keeper is not None else None
        self.pair = kept or configured
        self.credentials = refresh
        self.keeper = keeper
        self.clock = clock
        self.lock = asyncio.Lock()  # one renewal at a time; the others wait and use its result
        self.renewals = 0

    def __repr__(self) -> str:
        return f"Tokens(expires_at={self.pair.expires_at!r}, renewable={self.renewable})"

    @property
    def access_token(self) -> str:
        return self.pair.access_token

    @property
    def renewable(self) -> bool:
        return self.credentials is not None and bool(self.pair.refresh_token)

    @asynccontextmanager
    async def renewing(self) -> AsyncIterator[None]:
        """Hold while renewing (inside `lock`): the keeper's lock across processes, and the kept pair read
        again first, so a pair another process renewed is used instead of its spent refresh token."""
        if self.keeper is None:
            yield
            return
        async with self.keeper.exclusive():
            kept = self.keeper.load()
            if kept is not None:
                self.pair = kept
            yield

    def due(self) -> bool:
        expires = self.pair.expires_at
        return self.renewable and expires is not None and self.clock() >= expires - RENEW_BEFORE

    def form(self) -> dict[str, str]:
        """The body of `POST /access_token` that renews the pair."""
        assert self.credentials is not None
        return {
            "grant_type": "refresh_token",
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret,
            "refresh_token": self.pair.refresh_token,
        }

    def renewed(self, reply: object) -> TokenPair:
        """Take the reply of `POST /access_token`; raises ValueError when it is not a token pair."""
        if not isinstance(reply, dict) or not isinstance(reply.get("access_token"), str) or not reply["access_token"]:
            raise ValueError("the reply has no access_token")
        now = self.clock()
        refresh_token = reply.get("refresh_token")
        if not isinstance(refresh_token, str) or not refresh_token:
            refresh_token = self.pair.refresh_token
        pair = TokenPair(
            access_token=reply["access_token"],
            refresh_token=refresh_token,
            expires_at=_after(now, reply.get("expires_in")),
            refresh_expires_at=_after(now, reply.get("refresh_token_expires_in")) or self.pair.refresh_expires_at,
        )
        self.pair = pair
        self.renewals += 1
        if self.keeper is not None:
            self.keeper.save(pair)
        return pair


def _after(now: datetime, seconds: object) -> datetime | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        return None
    return now + timedelta(seconds=float(seconds))

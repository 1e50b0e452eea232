"""This process as one of several replicas of the bot on one database: the name it claims work under, the lease
that lets one replica at a time poll Webex, and the heartbeat that keeps its claims. On SQLite the replicas are
the serving processes of one machine (WEBEXBOT_PROCESSES, bot/processes.py); a single one always leads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from storage import Store, StoreUnavailable

from .settings import Settings

log = logging.getLogger("webexbot")
POLL_LEASE = "webex_poll"


@asynccontextmanager
async def exclusively(store: Store, name: str, lease_s: float) -> AsyncIterator[None]:
    """Hold the lease `name` across replicas for a short piece of work (at most `lease_s`). Waits while another
    replica holds it, that long at most, then goes ahead: the work must read what the other one did first."""
    give_up = time.monotonic() + lease_s
    while not store.take_lease(name, store.identity, lease_s) and time.monotonic() < give_up:
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        store.drop_lease(name, store.identity)


class Replica:
    def __init__(self, store: Store, settings: Settings, running: Callable[[], list[str]]) -> None:
        self.store = store
        self.identity = store.identity
        self.running = running  # the intents this process is carrying out
        self.poll_lease_s = settings.poll_seconds  # a replica that dies is followed within two poll periods
        self.claim_lease_s = settings.lease_seconds
        self.beat_s = min(self.poll_lease_s, self.claim_lease_s) / 3
        self.promoted = asyncio.Event()  # set when this replica starts to lead
        self._leading_until = 0.0  # monotonic: until the lease taken at the last beat runs out
        self._task: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        """This replica polls Webex: it holds the poll lease (as far as it knows, it cannot outlast it)."""
        return time.monotonic() < self._leading_until

    def beat(self) -> None:
        """Renew the poll lease (or take it when free) and the leases of the intents this process runs."""
        sent, was = time.monotonic(), self.leading
        try:
            held = self.store.take_lease(POLL_LEASE, self.identity, self.poll_lease_s)
            self.store.renew_intents(self.identity, self.running(), self.claim_lease_s)
        except StoreUnavailable:
            return  # the lease runs out here as it does in the database: the poll stops
        self._leading_until = sent + self.poll_lease_s if held else 0.0
        if held and not was:
            log.info("this replica polls Webex now")
            self.promoted.set()
        elif was and not held:
            log.info("another replica polls Webex now")

    def start(self) -> None:
        if self._task is None:
            self.beat()
            self.promoted.clear()  # leading from the start: the first poll comes one period later, as always
            self._task = asyncio.get_running_loop().create_task(self._run(), name="webexbot-heartbeat")

    async def stop(self) -> None:
        """Stop renewing, and let the others take over at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._leading_until = 0.0
        with contextlib.suppress(StoreUnavailable):
            self.store.drop_lease(POLL_LEASE, self.identity)
            self.store.release_intents(self.identity)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.beat_s)
            try:
                self.beat()
            except Exception:
                log.exception("heartbeat failed")

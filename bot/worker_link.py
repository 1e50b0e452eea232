"""The serving process's link to its worker (bot/worker.py): a second process that does the commands' work, so
that the serving process does little but ack, and no ack waits for the GIL behind another command's work. The
worker starts with the serving process and again whenever it dies; its successor claims under the same name, so
it resumes at once the intents it was carrying out. Work goes to it as one JSON line each on a socket pair, once
it has said it is ready (its one line back): until then the serving process records and does the work itself, so
that a worker starting up resumes only what its predecessor left, not the requests just acknowledged for it.
On demand (WEBEXBOT_WORKER=auto), a worker handed nothing for a while (WEBEXBOT_WORKER_IDLE_SECONDS) retires: it
finishes what it has and ends, the serving process takes over anything recorded for it that it never got, and the
next burst (work waiting on the serving process's own loop) starts another."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from .intents import DRAIN_S
from .work_loop import run_when_idle

log = logging.getLogger("webexbot")
RESTART_AFTER_S = 1.0
STOP_WAIT_S = DRAIN_S + 5.0  # the worker drains its work (DRAIN_S), then closes its store and clients
READY = b'{"ready":true}\n'  # the worker's one line, once it has resumed what its predecessor left
RETIRE = b'{"retire":true}\n'  # to the worker: nothing more comes; finish what you have and end
START_AT = 8  # on demand: pieces of work waiting on the serving process's own loop that start a worker


class WorkerLink:
    def __init__(self, identity: str, mode: str, *, idle_s: float = 0, retired: Callable[[], None] = lambda: None):
        """`identity`: the serving process's; the worker claims under it and `.work`. `mode`: the settings' mode
        (bot/settings.py), which the worker reads its settings with. `idle_s`: on demand (started by `wanted`),
        a worker handed nothing for `idle_s` retires; `retired` is called once it has ended."""
        self.identity = f"{identity}.work"
        self.mode = mode
        self.idle_s = idle_s
        self.retired = retired
        self.stopping = False
        self._process: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._ready = False
        self._watch: asyncio.Task[None] | None = None
        self._retiring = False
        self._last_sent = 0.0

    @property
    def on_demand(self) -> bool:
        return self.idle_s > 0

    @property
    def running(self) -> bool:
        """Started, ready, not retiring and not ended: the intents recorded now are its to carry out."""
        return self._ready and not self._retiring and self._writer is not None and not self._writer.is_closing()

    def wanted(self, waiting: int) -> None:
        """On demand: start a worker when none is running or starting and `waiting` pieces of work wait on the
        serving process's own loop."""
        if self.on_demand and self._watch is None and not self.stopping and waiting >= START_AT:
            log.info("%s pieces of work waiting; starting a worker process", waiting)
            self.start()

    def start(self) -> None:
        """Start the worker, and another whenever it dies (until `stop`, or until it retires)."""
        self._watch = asyncio.get_running_loop().create_task(self._run(), name="webexbot-worker")

    def send(self, work: dict[str, Any]) -> bool:
        """Hand `work` to the worker; False when it is not running (the caller does the work itself)."""
        if not self.running:
            return False
        assert self._writer is not None
        self._writer.write(json.dumps(work, separators=(",", ":")).encode() + b"\n")
        self._last_sent = time.monotonic()
        return True

    async def stop(self) -> None:
        """Close the worker's socket: it finishes what it has (and what it was sent), then ends; killed if it has
        not after STOP_WAIT_S."""
        self.stopping = True
        if self._writer is not None:
            self._writer.close()
        watch = self._watch
        if watch is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(watch), STOP_WAIT_S)
        except TimeoutError:
            log.error("the worker process did not stop in %.0f s; killing it", STOP_WAIT_S)
            if self._process is not None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
            await watch

    async def _run(self) -> None:
        try:
            while not self.stopping:
                try:
                    code: int | None = await self._one()
                except Exception:
                    log.exception("the worker process could not start")
                    code = None
                if self.stopping or self._retiring:
                    break
                log.warning("the worker process ended (exit status %s); starting another", code)
                await asyncio.sleep(RESTART_AFTER_S)
        finally:
            self._watch = None
        if self._retiring and not self.stopping:
            self._retiring = False
            log.info("the worker process retired after %g s with nothing to do", self.idle_s)
            self.retired()

    async def _one(self) -> int:
        """Run one worker until it ends; its exit status."""
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "bot.worker", self.mode, self.identity, str(theirs.fileno()), str(os.getpid())),
                pass_fds=[theirs.fileno()],
            )
        run_when_idle(self._process.pid)  # from its first instruction: its imports give way to acks
        reader, self._writer = await asyncio.open_unix_connection(sock=ours)
        if self.stopping:  # stopped while it was being started: it ends at once
            self._writer.close()
        idle: asyncio.Task[None] | None = None
        try:
            self._ready = bool(await reader.readline())  # its line once it has resumed what its predecessor left
            if self._ready:
                log.info("the worker process is ready")
                self._last_sent = time.monotonic()
                if self.on_demand:
                    idle = asyncio.get_running_loop().create_task(self._retire_when_idle())
            return await self._process.wait()
        finally:
            if idle is not None:
                idle.cancel()
            self._ready = False
            self._writer.close()

    async def _retire_when_idle(self) -> None:
        while (left := self._last_sent + self.idle_s - time.monotonic()) > 0:
            await asyncio.sleep(left)
        self._retiring = True  # nothing more is sent; it finishes all it has (however long), then ends
        if self._writer is not None:
            self._writer.write(RETIRE)


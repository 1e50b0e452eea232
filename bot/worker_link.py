"""The serving process's link to its worker (bot/worker.py): a second process that does the commands' work, so
that the serving process does little but ack, and no ack waits for the GIL behind another command's work. The
worker starts with the serving process and again whenever it dies; its successor claims under the same name, so
it resumes at once the intents it was carrying out. Work goes to it as one JSON line each on a socket pair, once
it has said it is ready (its one line back): until then the serving process records and does the work itself, so
that a worker starting up resumes only what its predecessor left, not the requests just acknowledged for it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
from typing import Any

from .intents import DRAIN_S

log = logging.getLogger("webexbot")
RESTART_AFTER_S = 1.0
STOP_WAIT_S = DRAIN_S + 5.0  # the worker drains its work (DRAIN_S), then closes its store and clients


class WorkerLink:
    def __init__(self, identity: str, mode: str) -> None:
        """`identity`: the serving process's; the worker claims under it and `.work`. `mode`: the settings' mode
        (bot/settings.py), which the worker reads its settings with."""
        self.identity = f"{identity}.work"
        self.mode = mode
        self.stopping = False
        self._process: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._ready = False
        self._watch: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Started, ready, and not ended: the intents recorded now are its to carry out."""
        return self._ready and self._writer is not None and not self._writer.is_closing()

    async def start(self) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "bot.worker", self.mode, self.identity, str(theirs.fileno()), str(os.getpid())),
                pass_fds=[theirs.fileno()],
            )
        reader, self._writer = await asyncio.open_unix_connection(sock=ours)
        follow = self._follow(self._process, reader)
        self._watch = asyncio.get_running_loop().create_task(follow, name="webexbot-worker")

    def send(self, work: dict[str, Any]) -> bool:
        """Hand `work` to the worker; False when it is not running (the caller does the work itself)."""
        if not self.running:
            return False
        assert self._writer is not None
        self._writer.write(json.dumps(work, separators=(",", ":")).encode() + b"\n")
        return True

    async def stop(self) -> None:
        """Close the worker's socket: it finishes what it has (and what it was sent), then ends."""
        self.stopping = True
        if self._writer is not None:
            self._writer.close()
        if self._process is not None:
            try:
                await asyncio.wait_for(self._process.wait(), STOP_WAIT_S)
            except TimeoutError:
                log.error("the worker process did not stop in %.0f s; killing it", STOP_WAIT_S)
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
                await self._process.wait()
        if self._watch is not None:
            await self._watch

    async def _follow(self, process: asyncio.subprocess.Process, reader: asyncio.StreamReader) -> None:
        self._ready = bool(await reader.readline())  # its line once it has resumed what its predecessor left
        if self._ready:
            log.info("the worker process is ready")
        code = await process.wait()
        self._ready = False
        if self._writer is not None:
            self._writer.close()
        if self.stopping:
            return
        log.warning("the worker process ended (exit status %s); starting another", code)
        await asyncio.sleep(RESTART_AFTER_S)
        if not self.stopping:
            await self.start()

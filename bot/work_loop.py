"""The work loop: a second asyncio event loop, in its own thread, for everything after the ack (intents, the
other commands' replies, the poll of Webex, reminders, admin notices, the replica's heartbeat). The loop that
serves HTTP then does only the ack path, so no ack waits behind another command's work or its store calls
(psycopg and the sockets release the GIL while they wait)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

log = logging.getLogger("webexbot")
T = TypeVar("T")
Work = concurrent.futures.Future[Any]
SWITCH_INTERVAL_S = 0.001  # how long a thread may hold the GIL when another wants it (Python's default: 5 ms)
# The work thread's niceness: when the CPUs are busy (replicas, the database and Webex's stand-ins on two cores)
# the kernel runs the ack threads of every process first. Linux only: elsewhere a thread id is not a pid.
WORK_NICE = 10


class WorkLoop:
    def __init__(self, nice: int = WORK_NICE, *, inline: bool = False) -> None:
        """`inline`: the work runs on the loop that builds this one, with no thread of its own (a worker process,
        bot/worker.py, where no ack waits)."""
        self.nice = nice
        self.inline = inline
        self.loop = asyncio.get_running_loop() if inline else asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="webexbot-work", daemon=True)
        self._lock = threading.Lock()

    def submit(self, work: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run `work` on the work loop, starting it if need be. The caller's contextvars (the workspace in scope)
        go with it: call_soon_threadsafe copies the caller's context, and the task is made in that copy."""
        self._start()
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    async def call(self, work: Coroutine[Any, Any, T]) -> T:
        """`work`'s result, awaited from any loop (run on the work loop)."""
        if self.here():
            return await work
        return await asyncio.wrap_future(self.submit(work))

    def here(self) -> bool:
        with contextlib.suppress(RuntimeError):
            return asyncio.get_running_loop() is self.loop
        return False

    def stop(self) -> None:
        """Cancel what is left (callers drain first), stop the loop and end the thread."""
        if self.inline:
            return
        if not self._thread.is_alive():
            if not self.loop.is_closed() and not self.loop.is_running():
                self.loop.close()
            return
        asyncio.run_coroutine_threadsafe(_cancel_the_rest(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)

    def _start(self) -> None:
        if self.inline:
            return
        with self._lock:
            if not self._thread.is_alive() and not self.loop.is_closed():
                sys.setswitchinterval(SWITCH_INTERVAL_S)
                self._thread.start()

    def _run(self) -> None:
        _yield_to_acks(self.nice)
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()


def _yield_to_acks(nice: int) -> None:
    if sys.platform == "linux":
        lower_priority(threading.get_native_id(), nice)


def run_when_idle(pid: int) -> None:
    """Let the process `pid` have a CPU only when no other process wants it: on Linux, SCHED_IDLE, which any
    other process that wakes (an ack) takes the CPU from at once, where a niced one keeps it to the end of its
    slice; elsewhere, WORK_NICE more niceness. Not for a thread: one that is off the CPU holding the GIL
    stalls every other thread of its process."""
    lower_priority(pid, WORK_NICE)
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))


def lower_priority(target: int, nice: int) -> None:
    """Raise the niceness of `target` (a process, or on Linux a thread) by `nice`, within what is allowed."""
    if nice:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, target, min(19, os.getpriority(os.PRIO_PROCESS, target) + nice))


async def settle(work: Iterable[Work], timeout: float | None = None) -> None:
    """Wait (from any loop) for work submitted to the work loop; what is still running after `timeout` is
    cancelled and waited for."""
    waiting = [asyncio.wrap_future(future) for future in list(work)]
    if not waiting:
        return
    _, pending = await asyncio.wait(waiting, timeout=timeout)
    for future in pending:
        future.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def _cancel_the_rest() -> None:
    current = asyncio.current_task()
    rest = [task for task in asyncio.all_tasks() if task is not current]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)

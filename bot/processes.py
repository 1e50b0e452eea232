"""Several serving processes on one machine (WEBEXBOT_PROCESSES). A process runs Python on one core at a time,
so a machine with more cores serves more with more processes. The parent reserves the port and does nothing
else; each child is the whole bot, listening on that port with SO_REUSEPORT (the kernel spreads connections
between them), and is one replica on the shared database under its own name (storage.Store's identity). The
parent starts a new child in the place of one that dies once it was serving; one that dies before (settings the
environment cannot meet, a database it cannot open) stops them all, and the parent exits 1. A stop (SIGTERM,
SIGINT) is passed on to each child, which finishes its work as a single process does."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from functools import partial
from types import FrameType

log = logging.getLogger("webexbot")
RESTART_AFTER_S = 1.0
STOPS = {signal.SIGTERM, signal.SIGINT}
Serve = Callable[[int, Callable[[], None]], int]  # (slot, call once serving) -> exit status


def reserve(host: str, port: int) -> socket.socket:
    """Bind the port without listening on it, shared (SO_REUSEPORT) with the children that will listen: the port
    is ours while they start, and port 0 becomes a real one. OSError when it is taken."""
    family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


class Children:
    """`count` children, each running `serve(slot, ready)` with slot 0..count-1."""

    def __init__(self, count: int, serve: Serve) -> None:
        self.count = count
        self.serve = serve
        self.slots: dict[int, tuple[int, int]] = {}  # pid -> (slot, the pipe it says it is serving on)
        self.stopping = False

    def run(self) -> int:
        """Start the children and keep them running until told to stop; 1 when one could not start."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for slot in range(self.count):
            self._start(slot)
        status = 0
        while self.slots:
            try:
                pid, code = os.wait()
            except ChildProcessError:
                break
            slot, ready = self.slots.pop(pid)
            served = _was_ready(ready)
            if self.stopping:
                continue
            if not served:
                log.error("serving process %d could not start (%s); stopping", slot, _described(code))
                self._stop()
                status = 1
                continue
            log.warning("serving process %d ended (%s); starting another", slot, _described(code))
            time.sleep(RESTART_AFTER_S)
            if not self.stopping:
                self._start(slot)
        return status

    def _start(self, slot: int) -> None:
        """Fork with the stop signals held back: the child sets its own handlers, the parent knows the child
        before its handler can run."""
        ready, tell = os.pipe()
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
        pid = os.fork()
        if pid == 0:
            os.close(ready)
            os._exit(_child(self.serve, slot, tell))
        os.close(tell)
        self.slots[pid] = (slot, ready)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)

    def _stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self.stopping = True
        for pid in list(self.slots):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _child(serve: Serve, slot: int, tell: int) -> int:
    """A terminal's Ctrl-C reaches the whole group: the parent passes it on once, as SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    try:
        return serve(slot, partial(_say_ready, tell))
    except Exception:
        log.exception("serving process %d failed", slot)
        return 1
    except BaseException:  # it must never return into the parent's loop
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _say_ready(pipe: int) -> None:
    os.write(pipe, b"1")


def _was_ready(pipe: int) -> bool:
    """Whether the child said it was serving (its end is closed now: the read does not wait)."""
    try:
        return bool(os.read(pipe, 1))
    finally:
        os.close(pipe)


def _described(code: int) -> str:
    if os.WIFSIGNALED(code):
        return f"killed by {signal.Signals(os.WTERMSIG(code)).name}"
    return f"exit status {os.waitstatus_to_exitcode(code)}"

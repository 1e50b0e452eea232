"""A serving process's worker (started by bot/worker_link.py as `python -m bot.worker MODE IDENTITY FD PARENT`): the
whole bot but its server, doing the work the serving process acknowledged (intents by key, other commands by
their request). Once started (its predecessor's intents resumed) it writes one line to the socket FD to say it is
ready, then reads one JSON line per piece of work from it. It is a replica on the store like any other (its
heartbeat, the poll when it leads, resuming what is unfinished). At the end of its socket (the serving process
stops) or at SIGTERM it finishes its work and ends (at most DRAIN_S); told to retire, it finishes all its work
and ends; when the serving process dies, so does it."""

from __future__ import annotations

import asyncio
import ctypes
import gc
import json
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from commands import grammar
from commands.meeting_text import WARM_LOCALES, warm_up

from . import listeners
from .app import build_bot
from .logs import configure
from .runtime import Bot
from .settings import Settings
from .worker_link import READY, RETIRE

PR_SET_PDEATHSIG = 1
MAX_LINE = 1024 * 1024  # a request is at most bot/http.py's MAX_BODY


def main(argv: list[str]) -> int:
    mode, identity, fd, parent = argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C: the serving process stops, then this one
    _die_with_parent(int(parent))
    settings = Settings.from_env(mode=mode)
    configure(os.environ.get("WEBEXBOT_LOG_LEVEL", "INFO"))
    asyncio.run(_work(settings, identity, int(fd)))
    return 0


async def _work(settings: Settings, identity: str, fd: int) -> None:
    bot = build_bot(settings, worker=identity)
    await bot.start_background()
    warm_up(WARM_LOCALES)  # here, not after the ready line: the first commands handed over would wait for it
    gc.collect()
    gc.freeze()
    reader, writer = await asyncio.open_unix_connection(sock=socket.socket(fileno=fd), limit=MAX_LINE)
    writer.write(READY)  # from here on the serving process hands its work over
    reading = asyncio.current_task()
    assert reading is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, reading.cancel)
    try:
        while (line := await reader.readline()) and line != RETIRE:
            take(bot, json.loads(line))
        if line == RETIRE:  # idle (WEBEXBOT_WORKER=auto): nothing new comes; what is under way is finished
            await bot.runner.drain(timeout=None)
    except (asyncio.CancelledError, ConnectionError):  # SIGTERM, or the serving process closed before our line
        pass
    finally:
        writer.close()
        await bot.aclose()  # drains the work


def take(bot: Bot, work: dict[str, Any]) -> None:
    if "intent" in work:
        bot.runner.submit(str(work["intent"]))
    elif "command" in work:
        body: dict[str, Any] = work["command"]
        command = grammar.parse(str(body.get("text", "")))
        answer = partial(listeners.answer, bot, command, body)
        bot.runner.spawn(_served(bot, str(body.get("team_id", "")), answer), f"command {body.get('trigger_id')}")


def _die_with_parent(parent: int) -> None:
    """Linux: killed when the serving process dies (kill -9, the OOM killer), as a thread of it would be: an
    orphan going on under the name its successor's worker claims under would do the same work twice. What it
    was doing is resumed by that successor. A stop ends the worker first (bot/worker_link.py)."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the serving process died before the line above
            os._exit(1)


async def _served(bot: Bot, team_id: str, work: Callable[[], Awaitable[None]]) -> None:
    await bot.slack.serve(team_id, work)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

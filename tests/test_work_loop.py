"""The work loop (bot/work_loop.py): work handed over from the ack's loop runs on the work loop's thread, with
the caller's context (the workspace in scope), and shutdown waits for it or cancels it."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from contextvars import ContextVar

import pytest

from bot.work_loop import WORK_NICE, WorkLoop, settle
from webex.per_loop import PerLoop

team: ContextVar[str] = ContextVar("team", default="none")


@pytest.fixture
def work():
    loop = WorkLoop()
    yield loop
    loop.stop()


async def where() -> tuple[str, str, asyncio.AbstractEventLoop]:
    return threading.current_thread().name, team.get(), asyncio.get_running_loop()


async def test_work_runs_on_its_own_thread_with_the_callers_context(work: WorkLoop):
    team.set("T-acme")
    thread, seen, loop = await work.call(where())
    assert (thread, seen, loop) == ("webexbot-work", "T-acme", work.loop)
    assert loop is not asyncio.get_running_loop()
    team.set("T-other")  # the work got a copy: what the caller sets later is not seen there
    assert (await asyncio.wrap_future(work.submit(where())))[1] == "T-other"


async def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="threads have their own niceness on Linux")
async def test_the_work_thread_gives_way_to_the_ack_thread(work: WorkLoop):
    mine = await niceness()
    assert await work.call(niceness()) == min(19, mine + WORK_NICE) > mine


async def test_settle_waits_for_work_and_cancels_what_outlasts_it(work: WorkLoop):
    finished: list[str] = []

    async def quick() -> None:
        await asyncio.sleep(0.01)
        finished.append("quick")

    async def stuck() -> None:
        await asyncio.Event().wait()

    tasks = [work.submit(quick()), work.submit(stuck())]
    await settle(tasks, timeout=0.5)
    assert finished == ["quick"] and tasks[1].cancelled()


async def test_one_object_per_loop_each_closed_on_its_own(work: WorkLoop):
    made: list[asyncio.AbstractEventLoop] = []
    closed: list[asyncio.AbstractEventLoop] = []

    def make() -> asyncio.AbstractEventLoop:
        made.append(asyncio.get_running_loop())
        return made[-1]

    async def close(loop: asyncio.AbstractEventLoop) -> None:
        assert asyncio.get_running_loop() is loop
        closed.append(loop)

    per_loop = PerLoop(make)

    async def get() -> asyncio.AbstractEventLoop:
        return per_loop.here()

    here = per_loop.here()
    assert per_loop.here() is here and await work.call(get()) is work.loop
    await per_loop.close_each(close)
    assert made == [here, work.loop] and sorted(map(id, closed)) == sorted(map(id, made))

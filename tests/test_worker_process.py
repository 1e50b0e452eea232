"""The worker process (WEBEXBOT_WORKER=process, bot/worker.py): the serving process acks and hands each command's
work to its worker. Killed mid-burst, the worker is replaced and what it had acknowledged is finished once; a stop
lets it finish its work first; a command that does not write to Webex is answered from it too. On demand
(WEBEXBOT_WORKER=auto) a burst starts the worker, and once idle it ends.

The simulator and the bot (its serving process and its worker) run as their own processes; the Slack stand-in
runs here."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from urllib.parse import urlencode

import httpx

from sandbox.slack import FakeSlack
from tests.processes import Process, bot_env, children, start_bot, start_webex, until
from tests.test_crash_recovery import ANA, Probe, Sent, answered, burst_commands, link_hosts, send_burst, webex
from tests.test_processes import each_answered_and_made_once, held_by, kill_once_it_holds_work, settled

__all__ = ["webex"]  # the fixture


def with_worker(webex: Process, slack: FakeSlack, db_path: Path, **extra: str) -> dict[str, str]:
    link_hosts(db_path)
    extra = {"WEBEXBOT_WORKER": "process", **extra}
    return bot_env(webex.url, slack, db_path, WEBEXBOT_WEBEX_TIMEOUT="3", WEBEXBOT_LOG_LEVEL="INFO", **extra)


async def the_worker(bot: Process) -> int:
    found = await until(lambda: children(bot.pid), what="the worker process")
    return found[0]


async def send(http: httpx.AsyncClient, slack: FakeSlack, bot: Process, user_id: str, text: str) -> str:
    form, request_id = slack.command_form(user_id, text)
    body = urlencode(form)
    reply = await http.post(f"{bot.url}/slack/events", content=body, headers=slack.signed(body))
    assert reply.status_code == 200, reply.text
    return request_id


async def test_the_worker_killed_mid_burst_is_replaced_and_every_acknowledged_command_is_answered_once(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    db_path = tmp_path / "webexbot.db"
    bot = await asyncio.to_thread(start_bot, with_worker(webex, slack, db_path), tmp_path / "bot.log")
    acked: list[Sent] = []
    try:
        worker = await the_worker(bot)
        async with httpx.AsyncClient(timeout=10) as http:
            probe = Probe(db_path, webex, http)
            killing = kill_once_it_holds_work(probe, acked, worker, "local.work")
            _, killed_held = await asyncio.gather(send_burst(http, slack, bot.url, acked), killing)
            replaced = await until(lambda: [pid for pid in children(bot.pid) if pid != worker], what="a new worker")
            after = await settled(slack, probe, acked)
    finally:
        bot.stop()
    assert killed_held, f"the killed worker held no acknowledged work\n{bot.log_tail()}"
    assert len(replaced) == 1
    assert "the worker process ended (exit status -9); starting another" in bot.log_tail(400)
    each_answered_and_made_once(acked, after, bot.log_tail())


async def test_a_stop_lets_the_worker_finish_what_was_acknowledged_then_both_end(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    db_path = tmp_path / "webexbot.db"
    bot = await asyncio.to_thread(start_bot, with_worker(webex, slack, db_path), tmp_path / "bot.log")
    worker = await the_worker(bot)
    async with httpx.AsyncClient(timeout=10) as http:
        request_id = await send(http, slack, bot, ANA, "schedule Stop test tomorrow at 10am")
    bot.popen.send_signal(signal.SIGTERM)  # Webex takes 300-800 ms to answer: the work is under way
    assert await asyncio.to_thread(bot.popen.wait, 20) == 0, bot.log_tail()
    assert answered(slack, Sent(request_id, ANA, "Stop test")), bot.log_tail()
    assert not Path(f"/proc/{worker}").exists()


async def test_the_worker_answers_a_command_that_does_not_write_and_runs_behind_the_acks(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    bot = await asyncio.to_thread(start_bot, with_worker(webex, slack, tmp_path / "webexbot.db"), tmp_path / "bot.log")
    try:
        worker = await the_worker(bot)
        async with httpx.AsyncClient(timeout=10) as http:
            request_id = await send(http, slack, bot, ANA, "list")
        replies = await until(lambda: slack.responses_to(request_id), what="the reply to list")
        niceness = os.getpriority(os.PRIO_PROCESS, worker) - os.getpriority(os.PRIO_PROCESS, bot.pid)
        policies = os.sched_getscheduler(worker), os.sched_getscheduler(bot.pid)
    finally:
        bot.stop()
    assert "meeting" in replies[0].all_text().lower(), replies[0].all_text()
    assert niceness == 10
    assert policies == (os.SCHED_IDLE, os.SCHED_OTHER)  # any ack that wakes takes the CPU from the worker at once


async def test_a_command_acknowledged_while_the_worker_starts_is_answered_as_a_first_run(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    """Until its worker says it is ready, the serving process does the work itself: a worker starting up resumes
    only what its predecessor left, not a request just acknowledged (which it would answer as a resumed one: by
    the Web API, after looking Webex over for the meeting first)."""
    db_path = tmp_path / "webexbot.db"
    bot = await asyncio.to_thread(start_bot, with_worker(webex, slack, db_path), tmp_path / "bot.log")
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            first = Sent(await send(http, slack, bot, ANA, "schedule Early test tomorrow at 10am"), ANA, "Early test")
            await until(lambda: "the worker process is ready" in bot.log_tail(400), what="the worker ready")
            later = Sent(await send(http, slack, bot, ANA, "schedule Later test tomorrow at 10am"), ANA, "Later test")
            await until(lambda: answered(slack, first) and answered(slack, later), what="both answered")
    finally:
        bot.stop()
    for sent in (first, later):
        assert any("Scheduled" in reply.all_text() for reply in slack.responses_to(sent.request_id)), bot.log_tail()
    assert not slack.ephemerals
    assert "resuming" not in bot.log_tail(400) and "LstsummarySession" not in bot.log_tail(400)


async def test_on_demand_the_worker_retires_when_idle_and_a_burst_starts_another(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    """The worker starts with the bot and retires once idle (here after 2 s); a lone command is then done by
    the serving process; a burst starts a worker again, and what is acknowledged once it is ready goes to it.
    Every acknowledged command is answered once."""
    db_path = tmp_path / "webexbot.db"
    env = with_worker(webex, slack, db_path, WEBEXBOT_WORKER="auto", WEBEXBOT_WORKER_IDLE_SECONDS="2")
    bot = await asyncio.to_thread(start_bot, env, tmp_path / "bot.log")
    acked: list[Sent] = []
    first, second = burst_commands()[:10], burst_commands()[10:16]
    retired = "the worker process retired after 2 s with nothing to do"
    try:
        await until(lambda: bot.log_tail(400).count(retired) == 1 and not children(bot.pid), what="the worker retired")
        async with httpx.AsyncClient(timeout=10) as http:
            probe = Probe(db_path, webex, http)
            lone = Sent(await send(http, slack, bot, ANA, "schedule Alone tomorrow at 10am"), ANA, "Alone")
            await until(lambda: answered(slack, lone), what="the lone command answered")
            assert children(bot.pid) == []
            await asyncio.gather(*(send_one(http, slack, bot, acked, command) for command in first))
            await until(lambda: bot.log_tail(400).count("the worker process is ready") == 2, what="a worker again")
            sending = asyncio.gather(*(send_one(http, slack, bot, acked, command) for command in second))
            await until(lambda: held_by(probe, "local.work"), what="work held by the worker")
            await sending
            after = await settled(slack, probe, [*acked, lone])
            await until(lambda: bot.log_tail(400).count(retired) == 2, what="the second worker retired")
    finally:
        bot.stop()
    each_answered_and_made_once([*acked, lone], after, bot.log_tail())


async def test_a_retiring_worker_finishes_work_that_outlasts_a_stops_drain(tmp_path: Path, slack: FakeSlack) -> None:
    """Webex takes 8 s: the worker retires 2 s after it was handed the command, and still finishes it (a stop's
    drain would have cut it at 5 s), answering by the response URL as a first run, not as a resumed one."""
    db_path = tmp_path / "webexbot.db"
    slow = start_webex((8000, 8000), log=tmp_path / "webex.log")
    env = with_worker(slow, slack, db_path, WEBEXBOT_WORKER="auto", WEBEXBOT_WORKER_IDLE_SECONDS="2")
    bot = await asyncio.to_thread(start_bot, {**env, "WEBEXBOT_WEBEX_TIMEOUT": "20"}, tmp_path / "bot.log")
    try:
        await until(lambda: "the worker process is ready" in bot.log_tail(400), what="the worker ready")
        async with httpx.AsyncClient(timeout=10) as http:
            probe = Probe(db_path, slow, http)
            sent = Sent(await send(http, slack, bot, ANA, "schedule Slow one tomorrow at 10am"), ANA, "Slow one")
            await until(lambda: held_by(probe, "local.work"), what="the command held by the worker")
            await until(lambda: answered(slack, sent), timeout=20, what="the slow command answered")
            await until(lambda: "the worker process retired" in bot.log_tail(400), what="the worker retired")
    finally:
        bot.stop()
        slow.stop()
    assert any("Scheduled Slow one" in reply.all_text() for reply in slack.responses_to(sent.request_id))
    assert not slack.ephemerals and "resuming" not in bot.log_tail(400), bot.log_tail()


async def send_one(
    http: httpx.AsyncClient, slack: FakeSlack, bot: Process, acked: list[Sent], command: tuple[str, str, str]
) -> None:
    user_id, topic, text = command
    acked.append(Sent(await send(http, slack, bot, user_id, text), user_id, topic))

"""Several serving processes on one port (WEBEXBOT_PROCESSES): both serve, a child killed mid-burst is replaced
and what it acknowledged is finished, a stop ends them all cleanly, and a child that cannot start stops the lot.

The simulator, and the bot's parent and children run as their own processes; the Slack stand-in runs here."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx

from sandbox.slack import FakeSlack
from tests.processes import ROOT, Process, bot_env, children, start_bot, until
from tests.test_crash_recovery import Probe, Sent, link_hosts, send_burst, settle, webex, webex_meetings

__all__ = ["webex"]  # the fixture


def two_processes(webex: Process, slack: FakeSlack, db_path: Path, **extra: str) -> dict[str, str]:
    link_hosts(db_path)
    return bot_env(webex.url, slack, db_path, WEBEXBOT_PROCESSES="2", WEBEXBOT_WEBEX_TIMEOUT="3", **extra)


def serve_until_it_ends(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`webexbot serve --http` with `env`, expected to end by itself."""
    command = [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1"]
    return subprocess.run(command, env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True, timeout=30)


def held_by(probe: Probe, *identities: str) -> list[str]:
    owners = ", ".join(f"'{identity}'" for identity in identities)
    rows = probe._query(f"select key from intents where owner in ({owners}) and state in ('pending', 'running')")
    return [key for (key,) in rows]


async def kill_once_it_holds_work(probe: Probe, acked: list[Sent], pid: int, *identities: str) -> list[str]:
    """kill -9 `pid` once 12 commands are acknowledged and `identities` (its own, its worker's) hold two or more;
    what they held."""
    held = partial(held_by, probe, *identities)
    await until(lambda: len(acked) >= 12 and len(held()) >= 2, what=f"work held by {identities}")
    os.kill(pid, signal.SIGKILL)
    return held()


@dataclass
class Settled:
    """Once the work settled: the acknowledged commands never answered, and the meetings in Webex and the store."""

    missing: list[Sent]
    in_webex: list[tuple[str, str]]
    in_store: list[tuple[str, str]]


async def settled(slack: FakeSlack, probe: Probe, acked: list[Sent]) -> Settled:
    missing = await settle(slack, probe, acked)
    return Settled(missing, await webex_meetings(probe.webex.url), probe.store_meetings())


def each_answered_and_made_once(acked: list[Sent], after: Settled, log: str) -> None:
    """Every acknowledged command was answered, its meeting is in Webex once, and Webex and the store hold the
    same meetings."""
    assert not after.missing, f"acknowledged, never answered: {after.missing}\n{log}"
    copies = Counter(topic for _, topic in after.in_webex)
    assert [topic for topic, count in copies.items() if count > 1] == []
    assert {key for key, _ in after.in_webex} == {key for key, _ in after.in_store}
    assert {sent.topic for sent in acked} <= set(copies)


async def test_a_child_killed_mid_burst_is_replaced_and_every_acknowledged_command_is_answered_once(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    db_path = tmp_path / "webexbot.db"
    env = two_processes(webex, slack, db_path, WEBEXBOT_LOG_LEVEL="INFO")
    bot = await asyncio.to_thread(start_bot, env, tmp_path / "bot.log")
    acked: list[Sent] = []
    fresh_connections = httpx.Limits(max_keepalive_connections=0)  # the kernel spreads them over the children
    try:
        await until(lambda: len(children(bot.pid)) == 2, what="two children")
        first, second = children(bot.pid)  # slots 0 and 1, in the order they were started
        async with httpx.AsyncClient(timeout=10, limits=fresh_connections) as http:
            probe = Probe(db_path, webex, http)
            killing = kill_once_it_holds_work(probe, acked, second, "local.1", "local.1.work")  # it, its worker
            _, killed_held = await asyncio.gather(send_burst(http, slack, bot.url, acked), killing)
            await until(lambda: len(children(bot.pid)) == 2, what="two children")
            replaced = children(bot.pid)
            after = await settled(slack, probe, acked)
    finally:
        bot.stop()
    assert killed_held, f"the killed child held no acknowledged work\n{bot.log_tail()}"
    assert first in replaced and second not in replaced and len(replaced) == 2, bot.log_tail()
    each_answered_and_made_once(acked, after, bot.log_tail())


async def test_a_stop_ends_every_child_after_its_work_and_the_parent_exits_0(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    env = two_processes(webex, slack, tmp_path / "webexbot.db")
    bot = await asyncio.to_thread(start_bot, env, tmp_path / "bot.log")
    await until(lambda: len(children(bot.pid)) == 2, what="two children")
    serving = children(bot.pid)
    async with httpx.AsyncClient(timeout=10) as http:
        assert (await http.get(f"{bot.url}/healthz")).json()["ok"] is True
    bot.popen.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(bot.popen.wait, 10) == 0, bot.log_tail()
    assert not [pid for pid in serving if Path(f"/proc/{pid}").exists()]


def test_a_child_that_cannot_start_stops_them_all_and_the_parent_exits_1(tmp_path: Path, slack: FakeSlack) -> None:
    env = bot_env("http://127.0.0.1:9", slack, tmp_path / "missing" / "webexbot.db", WEBEXBOT_PROCESSES="2")
    done = serve_until_it_ends({**env, "PORT": "0"})
    assert done.returncode == 1, done.stderr[-2000:]
    assert "serving process" in done.stderr and "could not start" in done.stderr, done.stderr[-2000:]


def test_a_port_in_use_is_one_line_before_any_child_starts(tmp_path: Path, slack: FakeSlack) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env("http://127.0.0.1:9", slack, tmp_path / "webexbot.db", WEBEXBOT_PROCESSES="2", PORT=str(port))
        done = serve_until_it_ends(env)
    assert done.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in done.stderr, done.stderr

"""Nothing acknowledged is lost: kill -9 the bot during a burst of schedule commands while Webex applies each
request and answers slowly; after a restart on the same database every acknowledged command has been answered,
and the meetings in Webex and in the store are the same set, with no duplicates.

The simulator and the bot run as their own processes; the Slack stand-in runs here and records every reply."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from sandbox.slack import FakeSlack
from storage import Store
from tests.conftest import ANA, BEN, CHEN
from tests.processes import Process, bot_env, start_bot, start_webex
from webex import SecurityContext, WebexClient
from webex.client import collect
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

HOSTS = {ANA: "ana", BEN: "ben", CHEN: "chen"}
COMMANDS = 40
KILL_AFTER_ACKS = 15
REPLY_LATENCY_MS = (300, 800)


@dataclass(frozen=True)
class Sent:
    request_id: str
    user_id: str
    topic: str


def burst_commands() -> list[tuple[str, str, str]]:
    """(user, topic, text) of each command: distinct topics, a quarter of an hour apart from 8am."""
    users = list(HOSTS)
    commands = []
    for index in range(COMMANDS):
        hour, minute = divmod(8 * 60 + 15 * index, 60)
        clock = f"{(hour - 1) % 12 + 1}:{minute:02d}{'am' if hour < 12 else 'pm'}"
        topic = f"Crash {index:02d}"
        commands.append((users[index % len(users)], topic, f"schedule {topic} tomorrow at {clock}"))
    return commands


class Probe:
    """What the store (read straight from the SQLite file) and the simulator hold, while the bot works."""

    def __init__(self, db_path: Path, webex: Process, http: httpx.AsyncClient) -> None:
        self.db_path = db_path
        self.webex = webex
        self.http = http

    def _query(self, sql: str) -> list[tuple[str, ...]]:
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=5)) as db:
            return [tuple(row) for row in db.execute(sql).fetchall()]

    def store_meetings(self) -> list[tuple[str, str]]:
        return [(key, topic) for key, topic in self._query("select meeting_key, topic from meetings")]

    def unfinished_intents(self) -> list[tuple[str, ...]]:
        return self._query("select key, state, attempts from intents where state in ('pending', 'running')")

    async def made_not_recorded(self) -> set[str]:
        """Sessions Webex has made that the store does not know of yet."""
        reply = await self.http.get(f"{self.webex.url}/_test/sessions")
        made = {session["key"] for session in reply.json()}
        return made - {key for key, _ in self.store_meetings()}


async def webex_meetings(url: str) -> list[tuple[str, str]]:
    """Every session on the site, as the service account (a site admin) lists them over the XML API."""
    now = datetime.now(UTC)
    security = SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo")
    async with WebexClient(url, security) as admin:
        listed = admin.list_sessions(start_from=now - timedelta(days=1), start_to=now + timedelta(days=3))
        sessions = await collect(listed)
    return [(session.key, session.topic) for session in sessions]


def answered(slack: FakeSlack, sent: Sent) -> bool:
    """A reply naming the topic: by the response URL, or through the Web API (ephemeral or DM) to that user."""
    wanted = f"Scheduled {sent.topic}"
    if any(wanted in response.all_text() for response in slack.responses_to(sent.request_id)):
        return True
    if any(m.user == sent.user_id and wanted in m.all_text() for m in slack.ephemerals):
        return True
    direct = "D" + sent.user_id[1:]
    return any(m.channel == direct and wanted in m.all_text() for m in slack.messages)


async def send_burst(http: httpx.AsyncClient, slack: FakeSlack, bot_url: str, acked: list[Sent]) -> None:
    """Every command, one each 100 ms, each its own request; those answered 200 are acknowledged."""

    async def send(user_id: str, topic: str, text: str) -> None:
        form, request_id = slack.command_form(user_id, text)
        body = urlencode(form)
        try:
            reply = await http.post(f"{bot_url}/slack/events", content=body, headers=slack.signed(body))
        except httpx.TransportError:
            return  # the bot is gone: not acknowledged
        if reply.status_code == 200:
            acked.append(Sent(request_id, user_id, topic))

    sending = []
    for command in burst_commands():
        sending.append(asyncio.create_task(send(*command)))
        await asyncio.sleep(0.1)
    await asyncio.gather(*sending)


@dataclass
class Crash:
    """The bot's first run, killed mid-burst, and what the kill left behind; then its second run."""

    first: Process
    env: dict[str, str]
    logs: Path
    second: Process | None = None
    made_not_recorded: frozenset[str] = frozenset()
    unfinished: tuple[tuple[str, ...], ...] = ()

    async def kill_midway_and_restart(self, probe: Probe, acked: list[Sent]) -> None:
        """kill -9 once enough commands are acknowledged and Webex has made meetings the bot has not recorded,
        then start the bot again on the same database and port (the burst goes on meanwhile)."""
        deadline = asyncio.get_running_loop().time() + 15
        while asyncio.get_running_loop().time() < deadline:
            if len(acked) >= KILL_AFTER_ACKS and len(await probe.made_not_recorded()) >= 2:
                break
            await asyncio.sleep(0.02)
        self.first.kill()
        self.made_not_recorded = frozenset(await probe.made_not_recorded())
        self.unfinished = tuple(probe.unfinished_intents())
        port = int(self.first.url.rsplit(":", 1)[1])
        self.second = await asyncio.to_thread(start_bot, self.env, self.logs / "bot-2.log", port)

    def stop(self) -> None:
        for run in (self.first, self.second):
            if run is not None:
                run.stop()


async def settle(slack: FakeSlack, probe: Probe, acked: list[Sent], timeout: float = 20) -> list[Sent]:
    """Wait until every acknowledged command is answered and no intent is unfinished; returns the unanswered."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        missing = [sent for sent in acked if not answered(slack, sent)]
        if (not missing and not probe.unfinished_intents()) or asyncio.get_running_loop().time() > deadline:
            return missing
        await asyncio.sleep(0.1)


def link_hosts(db_path: Path) -> None:
    """Each host linked to their Webex account, in the database the bot will open."""
    store = Store(db_path)
    for user_id, webex_id in HOSTS.items():
        store.link("T0WEBEX", user_id, webex_id, f"{webex_id}@example.com", "test", user_id)
    store.close()


@pytest.fixture
def webex(tmp_path: Path) -> Iterator[Process]:
    simulator = start_webex(REPLY_LATENCY_MS, log=tmp_path / "webex.log")
    yield simulator
    simulator.stop()


async def test_a_bot_killed_mid_burst_answers_every_acknowledged_command_after_restart_and_makes_each_meeting_once(
    tmp_path: Path, slack: FakeSlack, webex: Process
) -> None:
    db_path = tmp_path / "webexbot.db"
    link_hosts(db_path)
    env = bot_env(
        webex.url,
        slack,
        db_path,
        WEBEXBOT_POLL_SECONDS="0.5",
        WEBEXBOT_WEBEX_TIMEOUT="3",
        WEBEXBOT_LOG_LEVEL="INFO",
    )
    acked: list[Sent] = []
    async with httpx.AsyncClient(timeout=10) as http:
        probe = Probe(db_path, webex, http)
        crash = Crash(await asyncio.to_thread(start_bot, env, tmp_path / "bot-1.log"), env, tmp_path)
        try:
            await asyncio.gather(
                send_burst(http, slack, crash.first.url, acked), crash.kill_midway_and_restart(probe, acked)
            )
            second = crash.second
            assert second is not None
            assert crash.made_not_recorded and crash.unfinished, f"the kill missed the work\n{second.log_tail()}"
            assert len(acked) >= KILL_AFTER_ACKS, second.log_tail()

            missing = await settle(slack, probe, acked)
            unfinished = probe.unfinished_intents()
            assert not missing, f"acknowledged, never answered: {missing}\n{unfinished}\n{second.log_tail()}"
            assert not unfinished, second.log_tail()
            in_webex = await webex_meetings(webex.url)
            in_store = probe.store_meetings()
        finally:
            crash.stop()
    copies = Counter(topic for _, topic in in_webex)
    assert [topic for topic, count in copies.items() if count > 1] == []
    assert {key for key, _ in in_webex} == {key for key, _ in in_store}
    assert len(in_store) == len({key for key, _ in in_store})
    assert {sent.topic for sent in acked} <= set(copies)

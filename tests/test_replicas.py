"""Three replicas of the bot act as one on one PostgreSQL database: real `webexbot serve --http` processes,
driven by signed Slack requests spread across them, with the Webex simulator and the Slack stand-in running
here. Every command works whichever replica answers; a request delivered to all three makes one meeting; a
meeting going live changes its card once; reminders go to Slack once; when the replica that polls Webex is
killed another takes over; what a killed replica acknowledged another finishes; PostgreSQL restarting mid-run
loses nothing acknowledged. Also: replicas renewing the Webex REST token at once renew it once."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from bot.backends import StoreTokenKeeper
from bot.errors import NO_DATABASE
from bot.replica import POLL_LEASE
from commands.numbers import format_number
from sandbox.slack import FakeSlack
from storage import Store
from tests.conftest import ANA, BEN, CHEN
from tests.pg import Cluster
from tests.processes import Process, bot_env, start_bot, until
from webex.rest import RefreshCredentials, RestClient, TokenPair, Tokens
from webex.rest import operations as ops
from webex.rest_simulator import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    RestSimulator,
    rest_demo_site,
)
from webex.simulator import WebexSimulator

TEAM = "T0WEBEX"
HOSTS = {ANA: "ana", BEN: "ben", CHEN: "chen"}
POLL_SECONDS = 0.3

@dataclass
class Replicas:
    processes: list[Process]
    store: Store  # this test's own view of the shared database
    slack: FakeSlack
    http: httpx.AsyncClient
    _turn: Iterator[int] = field(default_factory=itertools.count)

    def alive(self) -> list[Process]:
        return [process for process in self.processes if process.alive()]

    def next_url(self) -> str:
        """Round robin over the replicas still running."""
        running = self.alive()
        return running[next(self._turn) % len(running)].url

    def leader(self) -> Process | None:
        """The replica holding the poll lease (the pid is part of its name in the database)."""
        holder = self.store.lease_holder(POLL_LEASE)
        pid = int(holder.split(":")[1]) if holder else None
        return next((process for process in self.alive() if process.pid == pid), None)

    async def post(self, url: str, form: dict[str, str]) -> httpx.Response:
        body = urlencode(form)
        return await self.http.post(f"{url}/slack/events", content=body, headers=self.slack.signed(body))

    async def command(self, user_id: str, text: str) -> str:
        """Send a command to the next replica and return its reply's text (by the response URL)."""
        form, request = self.slack.command_form(user_id, text)
        reply = await self.post(self.next_url(), form)
        assert reply.status_code == 200 and not reply.content, reply.text
        responses = await until(lambda: self.slack.responses_to(request), what=f"a reply to {text!r}")
        return responses[0].all_text()

    async def click(self, user_id: str, action_id: str, value: str) -> str:
        reply, request = await self.slack.click(self.next_url(), user_id, action_id, value, ephemeral=True)
        assert reply.status_code == 200
        responses = await until(lambda: self.slack.responses_to(request), what=f"a reply to {action_id}")
        return responses[0].all_text()

    def idle(self) -> bool:
        """Every acknowledged request carried out."""
        return not self.store.engine.rows("select key from intents where state in ('pending', 'running')", [])

    def card_text(self, key: str) -> str:
        record = self.store.meeting(TEAM, key)
        cards = [m for m in self.slack.messages if record is not None and m.ts == record.card_ts]
        return cards[0].all_text() if cards else ""


@pytest.fixture
async def replicas(pg_url: str, simulator: WebexSimulator, slack: FakeSlack, tmp_path: Path) -> AsyncIterator[Replicas]:
    store = Store(pg_url)
    for user_id, webex_id in HOSTS.items():
        store.link(TEAM, user_id, webex_id, f"{webex_id}@example.com", "test", user_id)
    env = bot_env(
        simulator.url,
        slack,
        Path(pg_url),
        WEBEXBOT_DB=pg_url,
        WEBEXBOT_POLL_SECONDS=str(POLL_SECONDS),
        WEBEXBOT_LEASE_SECONDS="2",
        WEBEXBOT_WEBEX_TIMEOUT="3",
        WEBEXBOT_LOG_LEVEL="INFO",
    )
    started = await asyncio.gather(*(asyncio.to_thread(start_bot, env, tmp_path / f"bot-{n}.log") for n in range(3)))
    async with httpx.AsyncClient(timeout=10) as http:
        running = Replicas(list(started), store, slack, http)
        try:
            await until(running.leader, what="a replica polling Webex")
            yield running
        finally:
            for process in started:
                process.stop()
            store.close()


async def schedule(replicas: Replicas, user_id: str, text: str) -> str:
    """Schedule through the next replica; the new meeting's key."""
    reply = await replicas.command(user_id, f"schedule {text}")
    assert "Scheduled" in reply, reply
    topic = text.split(" tomorrow")[0]
    return next(m.meeting_key for m in replicas.store.meetings(TEAM) if m.topic == topic)


# -- the tests -------------------------------------------------------------------------------------


async def test_every_command_works_whichever_replica_answers(replicas: Replicas):
    key = await schedule(replicas, ANA, f"Planning tomorrow at 3pm with <@{BEN}>")
    assert "Planning" in await replicas.command(ANA, "list")
    assert "Join" in await replicas.command(BEN, f"join {format_number(key)}")
    assert "Nothing is in progress" in await replicas.command(CHEN, "live")
    question = await replicas.command(ANA, f"cancel {key}")
    assert "meeting.cancel.confirm" in question
    assert "Cancelled" in await replicas.click(ANA, "meeting.cancel.confirm", key)
    record = replicas.store.meeting(TEAM, key)
    assert record is not None and record.status == "cancelled"
    cancelled = [e for e in replicas.store.audit_log(TEAM) if e["action"] == "meeting_cancelled"]
    assert len(cancelled) == 1
    assert len({process.url for process in replicas.processes}) == 3 and len(replicas.alive()) == 3


async def test_one_request_sent_to_all_three_at_once_makes_one_meeting(replicas: Replicas, simulator: WebexSimulator):
    form, request = replicas.slack.command_form(ANA, "schedule Retro tomorrow 4pm")
    replies = await asyncio.gather(*(replicas.post(process.url, form) for process in replicas.processes))
    assert [reply.status_code for reply in replies] == [200, 200, 200]
    await until(lambda: replicas.slack.responses_to(request), what="the receipt")
    await until(replicas.idle, what="every intent finished")
    assert simulator.operations().count("createmeeting") == 1
    assert [m.topic for m in replicas.store.meetings(TEAM)] == ["Retro"]
    assert len(replicas.slack.responses_to(request)) == 1


async def test_a_meeting_going_live_updates_its_card_once(replicas: Replicas, simulator: WebexSimulator):
    key = await schedule(replicas, ANA, "Standup tomorrow at 9am")
    simulator.start_session(key)
    await until(lambda: "is live now" in replicas.card_text(key), what="the card live")
    await asyncio.sleep(POLL_SECONDS * 4)  # more polls, by whichever replica leads
    live_edits = [c for c in replicas.slack.calls_to("chat.update") if "is live now" in json.dumps(c.params)]
    started = [m for m in replicas.slack.messages if "has started" in m.text]
    assert len(live_edits) == 1 and len(started) == 1
    record = replicas.store.meeting(TEAM, key)
    assert record is not None and record.status == "live"


async def test_reminders_go_to_slack_once(replicas: Replicas):
    topics = [f"Review {n}" for n in range(6)]
    sends = [replicas.command(ANA, f"schedule {t} tomorrow at {n + 9}am with <@{BEN}>") for n, t in enumerate(topics)]
    assert all("Scheduled" in reply for reply in await asyncio.gather(*sends))
    await until(replicas.idle, what="every intent finished")
    await until(lambda: len(replicas.slack.pending_scheduled()) >= 12, what="the reminders with Slack")
    await asyncio.sleep(POLL_SECONDS * 4)  # more rounds of every replica's reminder hand-over
    held = replicas.slack.pending_scheduled()
    assert len(held) == 12 and len({(s.channel, s.text) for s in held}) == 12
    assert len(replicas.slack.calls_to("chat.scheduleMessage")) == 12
    reminders = [r for m in replicas.store.meetings(TEAM) for r in replicas.store.reminders_of(TEAM, m.meeting_key)]
    assert len(reminders) == 12 and all(r.scheduled_id and r.owner is None for r in reminders)


async def test_kill_9_the_polling_replica_and_another_takes_over(replicas: Replicas, simulator: WebexSimulator):
    key = await schedule(replicas, ANA, "Handover tomorrow at 11am")
    polling = replicas.leader()
    assert polling is not None
    os.kill(polling.pid, signal.SIGKILL)
    polling.popen.wait(10)
    successor = await until(replicas.leader, what="another replica polling")
    assert successor is not None and successor.pid != polling.pid and successor.alive()
    simulator.start_session(key)
    await until(lambda: "is live now" in replicas.card_text(key), what="the card live")
    assert "Handover" in await replicas.command(BEN, "live")


async def test_requests_a_killed_replica_acknowledged_are_finished_by_another(
    replicas: Replicas, simulator: WebexSimulator
):
    simulator.faults.reply_latency_ms = 800  # Webex makes each meeting, then answers late
    doomed = replicas.processes[0]
    topics = [f"Orphan {n}" for n in range(3)]
    for n, topic in enumerate(topics):
        form, _ = replicas.slack.command_form(list(HOSTS)[n], f"schedule {topic} tomorrow at {n + 1}pm")
        reply = await replicas.post(doomed.url, form)
        assert reply.status_code == 200 and not reply.content
    await until(lambda: simulator.operations().count("createmeeting") >= 1, what="Webex at work")
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.popen.wait(10)

    def told(topic: str) -> bool:
        said = [m.all_text() for m in replicas.slack.ephemerals + replicas.slack.messages]
        return any(f"Scheduled {topic}" in text for text in said + [r.all_text() for r in replicas.slack.responses])

    await until(lambda: all(told(t) for t in topics) and replicas.idle(), timeout=30, what="the orphans finished")
    made = sorted(m.topic for m in replicas.store.meetings(TEAM))
    assert made == topics and simulator.operations().count("createmeeting") == 3


async def test_restarting_postgresql_mid_run_loses_nothing_acknowledged(
    replicas: Replicas, pg_cluster: Cluster, simulator: WebexSimulator
):
    acknowledged: dict[str, str] = {}  # request id -> topic
    refused: list[str] = []  # said so plainly while the database was down

    simulator.faults.reply_latency_ms = 400  # each meeting is made, then answered late: intents are in flight

    async def send(index: int) -> None:
        topic = f"Burst {index:02d}"
        form, request = replicas.slack.command_form(list(HOSTS)[index % 3], f"schedule {topic} tomorrow at 2pm")
        try:
            reply = await replicas.post(replicas.next_url(), form)
        except httpx.TransportError:
            return
        if reply.status_code == 200 and NO_DATABASE not in reply.text:
            acknowledged[request] = topic
        else:
            refused.append(topic)

    sending: list[asyncio.Task[None]] = []

    async def burst(count: int, stop_when: Callable[[], bool] = lambda: False) -> None:
        for _ in range(count):
            sending.append(asyncio.create_task(send(len(sending))))
            await asyncio.sleep(0.1)
            if stop_when():
                return

    await burst(8)
    await asyncio.to_thread(pg_cluster.stop)  # with requests acknowledged and not finished
    await burst(30, stop_when=lambda: bool(refused))
    await asyncio.to_thread(pg_cluster.start)
    await until(lambda: replicas.store.problem() is None, what="the database back")
    await burst(6)
    await asyncio.gather(*sending)

    def answered() -> bool:
        """Each by its response URL, or through the Web API (a resumed intent's reply)."""
        elsewhere = " ".join(m.all_text() for m in replicas.slack.ephemerals + replicas.slack.messages)
        for request, topic in acknowledged.items():
            replies = " ".join(r.all_text() for r in replicas.slack.responses_to(request))
            if f"Scheduled {topic}" not in replies + elsewhere:
                return False
        return True

    await until(lambda: answered() and replicas.idle(), timeout=30, what="every acknowledged command answered")
    made = sorted(m.topic for m in replicas.store.meetings(TEAM))
    assert len(acknowledged) >= 6 and refused and set(acknowledged.values()) <= set(made)
    assert len(made) == len(set(made)) == simulator.operations().count("createmeeting")


# -- tokens ----------------------------------------------------------------------------------------


@pytest.fixture
def rest_sim() -> Iterator[RestSimulator]:
    simulator = RestSimulator(rest_demo_site(), hang_seconds=3)
    simulator.start_in_thread()
    yield simulator
    simulator.stop_thread()


async def test_replicas_renewing_the_webex_token_at_once_renew_it_once(pg_url: str, rest_sim: RestSimulator):
    stores = [Store(pg_url) for _ in range(3)]
    clients = [
        RestClient(
            rest_sim.url + "/v1",
            Tokens(
                TokenPair(DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN),
                refresh=RefreshCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
                keeper=StoreTokenKeeper(store),
            ),
        )
        for store in stores
    ]
    try:
        rest_sim.expire_tokens()
        people = await asyncio.gather(*(ops.me(client) for client in clients))
        assert [person.display_name for person in people] == ["Webexbot Service"] * 3
        assert rest_sim.operations().count("POST /access_token") == 1
        assert len({client.tokens.access_token for client in clients}) == 1
        kept = StoreTokenKeeper(stores[0]).load()
        assert kept is not None and kept.access_token == clients[0].tokens.access_token != DEMO_ACCESS_TOKEN
    finally:
        for client in clients:
            await client.aclose()
        for store in stores:
            store.close()

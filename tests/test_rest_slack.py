"""The bot on the Webex REST API, end to end: what only that backend does (start links, paging, rate limits,
token renewal, webhooks, refused session kinds, its settings), with signed Slack requests over HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import httpx
import pytest

from bot.backends import TOKENS
from commands.backend import NewSession
from sandbox.slack import FakeSlack, Message, Response
from storage import MeetingRecord
from tests.conftest import ANA, BEN, Stack, command, linked, open_stack, running_bot, schedule, slack_people
from webex.rest_simulator import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    FaultKind,
    RestSimulator,
    rest_demo_site,
)

TEAM = "T0WEBEX"
ANA_EMAIL = "ana@example.com"
START_MARK = "/meeting/start/"
SECRET = "hook-s3cret"
# An https address nothing listens on: the simulator's own deliveries fail at once, as they would to a bot
# behind a firewall; the tests post the deliveries themselves.
WEBHOOK_ENV = {"WEBEXBOT_PUBLIC_URL": "https://127.0.0.1:1", "WEBEX_WEBHOOK_SECRET": SECRET}
RENEWAL_ENV = {
    "WEBEX_CLIENT_ID": DEMO_CLIENT_ID,
    "WEBEX_CLIENT_SECRET": DEMO_CLIENT_SECRET,
    "WEBEX_REFRESH_TOKEN": DEMO_REFRESH_TOKEN,
}


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(tmp_path, api="rest") as opened:
        yield opened


def record(stack: Stack, key: str) -> MeetingRecord:
    found = stack.bot.store.meeting(TEAM, key)
    assert found is not None, key
    return found


def card_of(stack: Stack, key: str) -> Message:
    card_ts = record(stack, key).card_ts
    return next(m for m in stack.slack.messages if m.ts == card_ts)


def series_id(stack: Stack, key: str) -> str:
    return str(next(s.id for s in stack.webex.state.series.values() if s.meeting_number == key))


def start_link_in(reply: Response) -> str:
    return next(
        str(e["accessory"]["url"])
        for e in reply.body["blocks"]
        if START_MARK in str(e.get("accessory", {}).get("url", ""))
    )


# -- start links ----------------------------------------------------------------------------------


async def host_clicks_start(stack: Stack) -> tuple[Response, str]:
    """Ben (invited) and then Ana (the host) click Start on the card; Ana's reply and its start link."""
    key = await schedule(stack, f"Design sync tomorrow at 3pm with <@{BEN}>")
    await linked(stack, BEN, "ben")
    card_ts = card_of(stack, key).ts
    _, request = await stack.slack.click(stack.url, BEN, "meeting.card.start", key, message_ts=card_ts)
    refused = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Only the meeting's host" in refused.all_text() and START_MARK not in refused.all_text()
    _, request = await stack.slack.click(stack.url, ANA, "meeting.card.start", key, message_ts=card_ts)
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert reply.ephemeral and reply.body["replace_original"] is False
    link = start_link_in(reply)
    assert link.startswith(stack.webex.url)
    return reply, link


async def test_the_start_link_reaches_the_host_alone(stack: Stack):
    reply, link = await host_clicks_start(stack)
    ticket = link.rsplit("/", 1)[-1]
    others = [m.all_text() for m in stack.slack.messages + stack.slack.ephemerals]
    others += [r.all_text() for r in stack.slack.responses if r is not reply]
    assert others and all(ticket not in text for text in others)
    stack.bot.store.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in stack.db_path.parent.glob("webexbot.db*"):
        assert ticket.encode() not in path.read_bytes()
    async with aiohttp.ClientSession() as browser, browser.get(link) as page:  # aiohttp logs no URLs
        assert page.status == 200
    assert [i.in_progress for i in stack.webex.state.instances.values()] == [True]


async def test_the_start_link_is_in_no_debug_log(stack: Stack, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    _, link = await host_clicks_start(stack)
    ticket = link.rsplit("/", 1)[-1]
    assert caplog.records
    assert all(ticket not in r.getMessage() and ticket not in str(r.args) for r in caplog.records)
    assert ticket not in caplog.text


# -- lists over many pages ------------------------------------------------------------------------


async def test_a_list_over_more_than_100_meetings_shows_each_once(stack: Stack):
    await linked(stack, ANA, "ana")
    first = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    await asyncio.gather(
        *(
            stack.bot.backend.create(
                NewSession(f"M{i:03}", first + timedelta(minutes=30 * i), 30, ANA_EMAIL, "UTC", request_id=f"r{i}")
            )
            for i in range(105)
        )
    )
    stack.webex.page_limit = 7
    reply = await command(stack, ANA, "list")
    text = reply.all_text()
    shown = [f"M{i:03}" for i in range(105) if f"*M{i:03}*" in text]
    assert shown == [f"M{i:03}" for i in range(15)]  # Slack's message holds 15, in order
    assert "and 90 more" in text
    pages = [r for r in stack.webex.received if r.operation == "GET /meetings" and r.query.get("hostEmail")]
    assert len(pages) == -(-105 // 7)
    upcoming = await stack.bot.backend.upcoming(ANA_EMAIL, first - timedelta(hours=1), first + timedelta(days=4))
    assert sorted(s.topic for s in upcoming) == [f"M{i:03}" for i in range(105)]
    assert len({s.key for s in upcoming}) == 105


# -- failures Webex answers with ------------------------------------------------------------------


async def test_a_429_on_create_waits_and_makes_exactly_one_meeting(stack: Stack):
    stack.webex.faults.fail_next(FaultKind.HTTP_429, operation="POST /meetings", retry_after=1)
    await schedule(stack, "Retro tomorrow at 4pm")
    assert stack.webex.operations().count("POST /meetings") == 2
    assert [s.title for s in stack.webex.state.series.values()] == ["Retro"]
    assert len(stack.bot.store.meetings(TEAM)) == 1


async def test_an_expired_token_is_renewed_once_and_kept(tmp_path: Path):
    async with open_stack(tmp_path, None, api="rest", **RENEWAL_ENV) as stack:
        stack.webex.expire_tokens()
        key = await schedule(stack, "Retro tomorrow at 4pm")
        assert stack.webex.refreshes == 1
        assert [s.meeting_number for s in stack.webex.state.series.values()] == [key]
        kept = json.loads(stack.bot.store.secret(TOKENS) or "{}")
        assert kept["access_token"] not in ("", DEMO_ACCESS_TOKEN)
        assert kept["access_token"] in stack.webex.state.access_tokens and kept["refresh_token"]
        await command(stack, ANA, "list")
        assert stack.webex.refreshes == 1


# -- webhooks -------------------------------------------------------------------------------------


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    return {"Content-Type": "application/json", "X-Spark-Signature": digest}


async def delivered(stack: Stack, event: str) -> bytes:
    """The body the simulator tried to send to the bot's public URL for `event`."""
    found = await stack.slack.wait_for(lambda: [d for d in stack.webex.deliveries if d.event == event], timeout=5)
    assert found[0].status is None  # nothing listens at the public URL
    return json.dumps(found[0].payload).encode()


async def test_a_forged_webhook_is_refused_and_a_signed_one_turns_the_card_live(tmp_path: Path):
    async with open_stack(tmp_path, None, api="rest", **WEBHOOK_ENV) as stack:
        assert sorted(h.event for h in stack.webex.state.webhooks.values()) == ["ended", "started"]
        assert {h.target_url for h in stack.webex.state.webhooks.values()} == {"https://127.0.0.1:1/webex/webhooks"}
        key = await schedule(stack)
        stack.webex.start_meeting(series_id(stack, key))
        body = await delivered(stack, "started")
        posted = len(stack.slack.messages)
        async with httpx.AsyncClient() as http:
            forged = await http.post(f"{stack.url}/webex/webhooks", content=body, headers=signed(body, "guess"))
            unsigned = await http.post(f"{stack.url}/webex/webhooks", content=body)
            assert (forged.status_code, unsigned.status_code) == (401, 401)
            await asyncio.sleep(0.2)  # what a wrongly accepted webhook would do happens in the background
            assert record(stack, key).status == "scheduled"
            assert "is live now" not in card_of(stack, key).all_text() and len(stack.slack.messages) == posted
            genuine = await http.post(f"{stack.url}/webex/webhooks", content=body, headers=signed(body))
            assert genuine.status_code == 200
        await stack.slack.wait_for(lambda: "is live now" in card_of(stack, key).all_text())
        assert record(stack, key).status == "live"


async def test_a_restart_on_the_same_database_reuses_the_webhooks(tmp_path: Path):
    webex = RestSimulator(rest_demo_site(), hang_seconds=5)
    await webex.start()
    slack = FakeSlack()
    slack_people(slack)
    await slack.start()
    db_path = tmp_path / "webexbot.db"
    try:
        async with running_bot(webex, slack, db_path, None, **WEBHOOK_ENV) as (bot, _):
            first = set(webex.state.webhooks)
            assert bot.tracker.by_webhooks and len(first) == 2
        async with running_bot(webex, slack, db_path, None, **WEBHOOK_ENV) as (bot, _):
            assert bot.tracker.by_webhooks and set(webex.state.webhooks) == first
        assert webex.operations().count("POST /webhooks") == 2
    finally:
        await slack.stop()
        await webex.stop()


# -- what the REST API cannot do, and its settings -------------------------------------------------


async def test_a_training_session_is_explained_and_nothing_is_created(stack: Stack):
    await linked(stack, ANA, "ana")
    reply = await command(stack, ANA, "schedule training Onboarding tomorrow at 3pm")
    assert "not available on the Webex REST API" in reply.all_text()
    assert "POST /meetings" not in stack.webex.operations() and not stack.webex.state.series
    assert stack.bot.store.meetings(TEAM) == []


def test_missing_rest_settings_are_listed_at_start(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBEX", "SLACK"))}
    env.update(WEBEX_API="rest", WEBEXBOT_PUBLIC_URL="http://bot.example.com", WEBEXBOT_DB=str(tmp_path / "x.db"))
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve"], capture_output=True, text=True, env=env, timeout=60
    )
    assert run.returncode == 2
    problems = [line for line in run.stderr.splitlines() if line.startswith("  - ")]
    assert any("WEBEX_ACCESS_TOKEN" in p and "missing" in p for p in problems)
    assert any("SLACK_BOT_TOKEN is missing" in p for p in problems)
    assert any("WEBEXBOT_PUBLIC_URL must be the bot's public https://" in p for p in problems)
    assert any("WEBEX_WEBHOOK_SECRET is missing" in p for p in problems)
    assert not any("WEBEX_SITE_URL" in p or "WEBEX_USER" in p for p in problems)
    assert "Traceback" not in run.stderr


async def test_the_webex_site_is_sent_as_site_url_where_the_api_takes_one(tmp_path: Path):
    async with open_stack(tmp_path, api="rest", WEBEX_SITE_URL="https://demo.webex.com") as site_stack:
        await linked(site_stack, ANA, "ana")
        await schedule(site_stack)
        await command(site_stack, ANA, "list")
        create = next(r for r in site_stack.webex.received if r.operation == "POST /meetings")
        listing = next(r for r in site_stack.webex.received if r.operation == "GET /meetings")
        assert create.json["siteUrl"] == "demo.webex.com" and listing.query.get("siteUrl") == "demo.webex.com"

"""A Webex connection per workspace (OAuth mode, no Webex site in the environment): two workspaces installed
through the OAuth flow, each connected from its Home tab to its own simulated site (Acme: the XML API, Globex:
the REST API), over real HTTP with signed requests."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.app import Bot, build_bot
from bot.doctor import run_checks
from bot.http import HttpServer
from bot.settings import Settings
from bot.webex_connections import Connection, Connections
from bot.webex_routing import VERSION_CHECK_S
from sandbox.slack import SlackUser
from sandbox.slack_workspaces import MultiSlack
from storage import MeetingRecord, Store
from tests.conftest import oauth_env
from webex.rest_simulator import RestSimulator, rest_demo_site
from webex.rest_simulator.sites import DEMO_ACCESS_TOKEN
from webex.simulator import WebexSimulator, demo_site
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

ACME, GLOBEX = "T0ACME", "T0GLOBEX"
ANA, AMY, BOB = "U0ANA", "U0AMY", "U0BOB"  # Ana and Bob are their workspaces' admins, Amy is not


@dataclass
class World:
    slack: MultiSlack
    bot: Bot
    url: str
    db_path: Path
    xml: WebexSimulator
    rest: RestSimulator


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with open_world(tmp_path) as opened:
        yield opened


@asynccontextmanager
async def open_world(
    tmp_path: Path, more_env: dict[str, str] | None = None, connect_check_s: float | None = None
) -> AsyncIterator[World]:
    """Both workspaces installed; `more_env`: settings beyond OAuth mode's (a default Webex connection, say);
    `connect_check_s`: how long the Connect Webex form's answer waits for its check (the bot's own, unless given)."""
    xml, rest = WebexSimulator(demo_site(), hang_seconds=5), RestSimulator(rest_demo_site(), hang_seconds=5)
    await xml.start()
    await rest.start()
    slack = MultiSlack()
    slack.add_workspace(ACME, "Acme")
    slack.add_workspace(GLOBEX, "Globex")
    for user_id, team_id, admin in ((ANA, ACME, True), (AMY, ACME, False), (BOB, GLOBEX, True)):
        email = f"{user_id.lower()}@example.com"
        slack.add_user(SlackUser(user_id, user_id[2:].title(), email, is_admin=admin, team_id=team_id))
    await slack.start()
    db_path = tmp_path / "webexbot.db"
    bot = build_bot(Settings.from_env(oauth_env(slack, db_path, **(more_env or {}))), connect_check_s=connect_check_s)
    server = HttpServer(bot)
    url = await server.start("127.0.0.1", 0)
    slack.redirect_urls = [f"{url}/slack/oauth_redirect"]
    for team_id in (ACME, GLOBEX):
        assert (await slack.install(url, team_id)).page.status_code == 200
    try:
        yield World(slack, bot, url, db_path, xml, rest)
    finally:
        await server.stop()
        await bot.aclose()
        await slack.stop()
        await rest.stop()
        await xml.stop()


def xml_form(world: World, password: str = DEMO_ADMIN_PASSWORD) -> dict[str, str]:
    account = {"webex_user": DEMO_ADMIN, "password": password}
    return {"api": "xml", "site_url": world.xml.url, "site_name": "demo", **account}


def rest_form(world: World) -> dict[str, str]:
    return {"api": "rest", "api_url": f"{world.rest.url}/v1", "access_token": DEMO_ACCESS_TOKEN}


def state_values(form: dict[str, str]) -> dict[str, dict[str, Any]]:
    """A view_submission's state, as Slack sends it for these inputs."""
    values: dict[str, dict[str, Any]] = {}
    for block_id, value in form.items():
        if block_id == "api":
            values[block_id] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        else:
            values[block_id] = {"value": {"type": "plain_text_input", "value": value}}
    return values


async def open_form(world: World, user_id: str) -> str | None:
    """Click Connect Webex on the Home tab; the id of the form Slack was asked to open, or None."""
    before = len(world.slack.calls)
    await world.slack.click(world.url, user_id, ids.HOME_WEBEX_CONNECT, "")
    await world.bot.runner.drain()
    opened = [call for call in world.slack.calls[before:] if call.method == "views.open"]
    if not opened:
        return None
    return next(view_id for view_id in world.slack.views if world.slack.views[view_id].get("user") == user_id)


async def submit(world: World, user_id: str, view_id: str, form: dict[str, str]) -> dict[str, Any]:
    payload = world.slack.submission_payload(user_id, view_id, state_values(form))
    reply = await world.slack.send_payload(world.url, payload)
    assert reply.status_code == 200
    await world.bot.runner.drain()
    return reply.json() if reply.content else {}


async def connect(world: World, user_id: str, form: dict[str, str]) -> dict[str, Any]:
    view_id = await open_form(world, user_id)
    assert view_id is not None
    return await submit(world, user_id, view_id, form)


async def command(world: World, user_id: str, text: str) -> str:
    reply, request_id = await world.slack.command(world.url, user_id, text)
    assert reply.status_code == 200
    if reply.content:
        return json.dumps(reply.json())
    return (await world.slack.first_response(request_id)).all_text()


async def scheduled_in_both(world: World, what: str) -> tuple[MeetingRecord, MeetingRecord]:
    """Ana schedules "Acme <what>" in Acme and Bob "Globex <what>" in Globex, both tomorrow at 3pm: their records."""
    assert "Scheduled" in await command(world, ANA, f"schedule Acme {what} tomorrow at 3pm")
    assert "Scheduled" in await command(world, BOB, f"schedule Globex {what} tomorrow at 3pm")
    await world.bot.runner.drain()
    [acme], [globex] = world.bot.store.meetings(ACME), world.bot.store.meetings(GLOBEX)
    return acme, globex


def link(world: World, team_id: str, user_id: str, webex_id: str) -> None:
    world.bot.store.link(team_id, user_id, webex_id, "ana@example.com", "test", user_id)


async def test_before_connecting_a_command_is_pointed_to_the_admins_and_makes_nothing(world: World):
    answer = await command(world, ANA, "now Standup")
    assert "connect it from my Home tab" in answer
    await world.bot.runner.drain()
    assert world.bot.store.unfinished_intents() == [] and world.bot.store.meetings(ACME) == []
    assert world.xml.state.sessions == {} and world.rest.state.series == {}
    assert "Webex from Slack" in await command(world, ANA, "help")
    assert "connect it from my Home tab" in await command(world, ANA, "")


async def test_each_workspace_connected_from_its_home_makes_its_meetings_on_its_own_site(world: World):
    assert (await connect(world, ANA, xml_form(world)))["response_action"] == "update"
    assert (await connect(world, BOB, rest_form(world)))["response_action"] == "update"
    link(world, ACME, ANA, "ana")
    link(world, GLOBEX, BOB, "ben@example.com")
    await command(world, ANA, "now Acme standup")
    await command(world, BOB, "now Globex standup")
    await world.bot.runner.drain()
    assert [s.topic for s in world.xml.state.sessions.values()] == ["Acme standup"]
    assert [s.title for s in world.rest.state.series.values()] == ["Globex standup"]
    assert [m.topic for m in world.bot.store.meetings(ACME)] == ["Acme standup"]
    assert [m.topic for m in world.bot.store.meetings(GLOBEX)] == ["Globex standup"]
    await world.slack.home_opened(world.url, ANA)
    await world.slack.wait_for(lambda: ANA in world.slack.homes)
    home = json.dumps(world.slack.homes[ANA])
    assert world.xml.url in home and "XML API" in home and f"<@{ANA}>" in home
    assert DEMO_ADMIN_PASSWORD not in home


async def test_a_wrong_password_is_refused_beside_the_field_and_nothing_is_saved(world: World):
    answer = await connect(world, ANA, xml_form(world, password="not-the-password"))
    assert answer["response_action"] == "errors" and "password" in answer["errors"]
    assert "rejected" in answer["errors"]["password"]
    assert world.bot.store.webex_connection(ACME) is None
    assert "connect it from my Home tab" in await command(world, ANA, "list")


async def test_a_non_admin_can_neither_open_nor_submit_the_form(world: World):
    assert await open_form(world, AMY) is None
    told = [c for c in world.slack.calls_to("chat.postMessage") if "admin" in json.dumps(c.params)]
    assert told
    admins_form = await open_form(world, ANA)
    assert admins_form is not None
    forged = await submit(world, AMY, admins_form, xml_form(world))  # signed, but Amy is no admin
    assert forged["response_action"] == "errors" and "admin" in json.dumps(forged["errors"])
    assert world.bot.store.webex_connection(ACME) is None
    refused = [row for row in world.bot.store.audit_log(ACME) if row["action"] == "webex_connect_refused"]
    assert len(refused) == 2


async def test_the_credentials_are_in_neither_the_database_file_nor_the_log(
    world: World, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    await connect(world, ANA, xml_form(world))
    await connect(world, BOB, rest_form(world))
    link(world, GLOBEX, BOB, "ben@example.com")
    await command(world, BOB, "now Sync")
    await world.bot.runner.drain()
    assert world.bot.store.webex_connection(ACME) is not None and world.bot.store.webex_connection(GLOBEX)
    stored = b"".join(path.read_bytes() for path in world.db_path.parent.glob("webexbot.db*"))
    for secret in (DEMO_ADMIN_PASSWORD, DEMO_ACCESS_TOKEN):
        assert secret.encode() not in stored
        assert secret not in caplog.text
    assert world.rest.state.series  # the REST connection was used, with its sealed token


async def test_admin_status_shows_the_workspaces_own_connection(world: World):
    await connect(world, ANA, xml_form(world))
    await connect(world, BOB, rest_form(world))
    acme = await command(world, ANA, "admin status")
    assert world.xml.url in acme and "reachable: yes" in acme and "XML" in acme
    assert world.rest.url not in acme
    globex = await command(world, BOB, "admin status")
    assert world.rest.url in globex and "REST" in globex and world.xml.url not in globex


async def test_doctor_checks_one_workspaces_stored_connection(world: World):
    await connect(world, ANA, xml_form(world))
    checks = {check.name: check for check in await run_checks(world.bot.settings, ACME)}
    assert checks["webex connection"].ok and checks["webex"].ok and checks["webex admin"].ok
    missing = {check.name: check for check in await run_checks(world.bot.settings, "T0NOBODY")}
    assert not missing["webex"].ok and "no Webex connection" in missing["webex"].detail


async def test_a_connection_changed_elsewhere_is_used_after_its_version_changes(world: World):
    await connect(world, BOB, rest_form(world))
    link(world, GLOBEX, BOB, "ben@example.com")
    await command(world, BOB, "list")  # the REST backend is built, and used for a while
    box = world.bot.backend.connections.box  # type: ignore[attr-defined]
    moved = Connection(api="xml", site_url=world.xml.url, site_name="demo", webex_user=DEMO_ADMIN,
                       password=DEMO_ADMIN_PASSWORD)  # fmt: skip
    other_store = Store(str(world.db_path))
    Connections(world.bot.settings, other_store, box).save(GLOBEX, moved, BOB)  # as another replica would
    other_store.close()
    link(world, GLOBEX, BOB, "ben")
    await asyncio.sleep(VERSION_CHECK_S)  # the cached backend's version is read again after this
    await command(world, BOB, "now Moved")
    await world.bot.runner.drain()
    assert [s.topic for s in world.xml.state.sessions.values()] == ["Moved"]


def updates_in(world: World, team_id: str) -> list[str]:
    """The text of every message edit made with the workspace's token."""
    return [json.dumps(call.params) for call in world.slack.calls_for(team_id) if call.method == "chat.update"]


async def test_two_workspaces_given_the_same_number_by_their_sites_each_touch_only_their_own(world: World):
    other_xml = WebexSimulator(demo_site(), hang_seconds=5)  # numbers meetings from the same seed as world.xml
    await other_xml.start()
    try:
        await connect(world, ANA, xml_form(world))
        await connect(world, BOB, {**xml_form(world), "site_url": other_xml.url})
        link(world, ACME, ANA, "ana")
        link(world, GLOBEX, BOB, "ana")
        acme, globex = await scheduled_in_both(world, "planning")
        key = acme.meeting_key
        assert globex.meeting_key == key and acme.topic == "Acme planning" and globex.topic == "Globex planning"
        assert world.xml.state.sessions[key].topic == "Acme planning"
        assert other_xml.state.sessions[key].topic == "Globex planning"
        acme_cards = [c for c in world.slack.calls_for(ACME) if c.method == "chat.postMessage"]
        assert acme.card_ts and globex.card_ts and "Globex" not in json.dumps([c.params for c in acme_cards])

        acme_list, globex_list = await command(world, ANA, "list"), await command(world, BOB, "list")
        assert "Acme planning" in acme_list and "Globex planning" not in acme_list
        assert "Globex planning" in globex_list and "Acme planning" not in globex_list

        other_xml.start_session(key)  # Globex's meeting starts on Globex's site
        await world.bot.tracker.poll_once()
        assert world.bot.store.meeting(GLOBEX, key).status == "live"  # type: ignore[union-attr]
        assert world.bot.store.meeting(ACME, key).status == "scheduled"  # type: ignore[union-attr]
        assert updates_in(world, ACME) == [] and any("Globex planning" in text for text in updates_in(world, GLOBEX))

        assert "meeting.cancel.confirm" in await command(world, ANA, f"cancel {key}")
        await world.slack.click(world.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
        await world.bot.runner.drain()
        assert world.bot.store.meeting(ACME, key).status == "cancelled"  # type: ignore[union-attr]
        assert key not in world.xml.state.sessions and key in other_xml.state.sessions
        assert world.bot.store.meeting(GLOBEX, key).status == "live"  # type: ignore[union-attr]
        acme_edits = updates_in(world, ACME)
        assert acme_edits and all("Acme planning" in text for text in acme_edits)
        assert world.bot.store.reminders_of(ACME, key) == [] and world.bot.store.reminders_of(GLOBEX, key)
        assert not any("Acme" in text for text in updates_in(world, GLOBEX))
    finally:
        await other_xml.stop()


def signed_event(event: str, number: str, secret: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"resource": "meetings", "event": event, "data": {"id": "x", "meetingNumber": number}}).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    return body, {"Content-Type": "application/json", "X-Spark-Signature": digest}


async def test_a_webex_webhook_of_the_default_site_turns_live_only_the_meetings_that_site_serves(tmp_path: Path):
    default_site = RestSimulator(rest_demo_site(), hang_seconds=5)  # numbers meetings as world.rest does
    await default_site.start()
    secret = "hook-s3cret"
    env = {"WEBEX_API": "rest", "WEBEX_API_URL": f"{default_site.url}/v1", "WEBEX_ACCESS_TOKEN": DEMO_ACCESS_TOKEN,
           "WEBEXBOT_PUBLIC_URL": "https://127.0.0.1:1", "WEBEX_WEBHOOK_SECRET": secret}  # fmt: skip
    try:
        async with open_world(tmp_path, env) as world:
            await connect(world, BOB, rest_form(world))  # Globex on its own site; Acme on the default one
            link(world, ACME, ANA, "ben@example.com")
            link(world, GLOBEX, BOB, "ben@example.com")
            acme, globex = await scheduled_in_both(world, "review")
            key = acme.meeting_key
            assert globex.meeting_key == key
            assert [s.title for s in default_site.state.series.values()] == ["Acme review"]
            body, headers = signed_event("started", key, secret)
            async with httpx.AsyncClient() as http:
                answer = await http.post(f"{world.url}/webex/webhooks", content=body, headers=headers)
            assert answer.status_code == 200
            store = world.bot.store
            await world.slack.wait_for(lambda: store.meeting(ACME, key).status == "live")  # type: ignore[union-attr]
            await world.bot.runner.drain()
            assert store.meeting(GLOBEX, key).status == "scheduled"  # type: ignore[union-attr]
            assert updates_in(world, GLOBEX) == [] and any("Acme review" in text for text in updates_in(world, ACME))
    finally:
        await default_site.stop()


def admin_notices(world: World, words: str) -> list[tuple[str, str]]:
    """(channel, token) of each admin-channel post or edit that says `words`."""
    calls = [*world.slack.calls_to("chat.postMessage"), *world.slack.calls_to("chat.update")]
    return [(str(c.params.get("channel")), c.token) for c in calls if words in str(c.params.get("text"))]


async def test_a_failing_site_is_told_to_its_own_workspace_only_and_each_status_shows_its_own_site(world: World):
    await connect(world, ANA, xml_form(world))
    await connect(world, BOB, rest_form(world))
    assert "I'll report to" in await command(world, ANA, "admin channel <#C0ACMEADM|acme-admins>")
    assert "I'll report to" in await command(world, BOB, "admin channel <#C0GLOBEXADM|globex-admins>")
    link(world, ACME, ANA, "ana")
    link(world, GLOBEX, BOB, "ben@example.com")
    world.xml.faults.fail_next("http_503", count=100)  # Acme's site stops answering
    try:
        assert "is ready" not in await command(world, ANA, "now Acme standup")
        await world.slack.wait_for(lambda: admin_notices(world, ":rotating_light:"))
        assert "is ready" in await command(world, BOB, "now Globex standup")  # Globex's site works meanwhile
        await world.bot.runner.drain()
        await world.bot.notifier.drain()
        notices = admin_notices(world, ":rotating_light:")
        assert notices and set(notices) == {("C0ACMEADM", world.slack.bot_token_for(ACME))}
        assert admin_notices(world, ":white_check_mark:") == []  # Globex's success cleared nothing of Acme's
        assert not [c for c in world.slack.calls_for(GLOBEX) if c.params.get("channel") == "C0ACMEADM"]

        globex = await command(world, BOB, "admin status")
        assert "Webex: reachable" in globex and "reachable: yes" in globex and "unreachable" not in globex
        acme = await command(world, ANA, "admin status")
        assert "Webex: the Webex site is unreachable" in acme and "reachable: no" in acme
    finally:
        world.xml.faults.clear()
    await command(world, ANA, "list")  # Acme's site answers again
    await world.bot.notifier.drain()
    assert set(admin_notices(world, ":white_check_mark:")) == {("C0ACMEADM", world.slack.bot_token_for(ACME))}


async def test_a_workspaces_webex_health_starts_afresh_when_its_connection_changes_or_the_app_leaves(world: World):
    await connect(world, ANA, xml_form(world))
    assert "I'll report to" in await command(world, ANA, "admin channel <#C0ACMEADM|acme-admins>")
    link(world, ACME, ANA, "ana")
    world.xml.faults.fail_next("http_503", count=100)
    await command(world, ANA, "list")
    await world.bot.notifier.drain()
    assert "unreachable" in await command(world, ANA, "admin status")
    assert "now uses" in json.dumps(await connect(world, ANA, rest_form(world)))
    link(world, ACME, ANA, "ben@example.com")
    status = await command(world, ANA, "admin status")
    assert "Webex: reachable" in status and world.rest.url in status
    await world.bot.notifier.drain()
    assert admin_notices(world, ":white_check_mark:") == []  # the new site cleared nothing of the old one's
    acme_health = world.bot.healths.of(ACME)
    assert acme_health is not world.bot.healths.default
    assert (await world.slack.uninstall(world.url, ACME)).status_code == 200
    assert world.bot.healths.of(ACME) is world.bot.healths.default


async def test_the_default_sites_problem_is_told_only_to_the_workspaces_that_use_it(tmp_path: Path):
    default_site = WebexSimulator(demo_site(), hang_seconds=5)
    await default_site.start()
    env = {"WEBEX_SITE_URL": default_site.url, "WEBEX_SITE_NAME": "demo", "WEBEX_USER": DEMO_ADMIN,
           "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD}  # fmt: skip
    try:
        async with open_world(tmp_path, env) as world:
            await connect(world, BOB, rest_form(world))  # Globex on its own site; Acme on the default one
            assert "I'll report to" in await command(world, ANA, "admin channel <#C0ACMEADM|acme-admins>")
            assert "I'll report to" in await command(world, BOB, "admin channel <#C0GLOBEXADM|globex-admins>")
            link(world, ACME, ANA, "ana")
            default_site.faults.fail_next("http_503", count=100)
            await command(world, ANA, "list")
            await world.slack.wait_for(lambda: admin_notices(world, ":rotating_light:"))
            await world.bot.notifier.drain()
            assert set(admin_notices(world, ":rotating_light:")) == {("C0ACMEADM", world.slack.bot_token_for(ACME))}
            assert "Webex: reachable" in await command(world, BOB, "admin status")
    finally:
        await default_site.stop()


async def test_a_slow_check_shows_checking_then_its_result_and_saves_only_a_connection_that_passed(tmp_path: Path):
    async with open_world(tmp_path, connect_check_s=0.05) as world:
        world.xml.faults.reply_latency_ms = 200  # each Webex call of the check outlasts the answer's wait
        view_id = await open_form(world, ANA)
        assert view_id is not None
        updates = len(world.slack.calls_to("views.update"))
        answer = await submit(world, ANA, view_id, xml_form(world, password="not-the-password"))
        assert answer["response_action"] == "update" and "Checking the connection" in json.dumps(answer["view"])
        [call] = world.slack.calls_to("views.update")[updates:]
        assert call.token == world.slack.bot_token_for(ACME)
        shown = call.params
        assert shown["view_id"] == view_id and "rejected" in json.dumps(shown["view"])  # the form, with the problem
        assert world.bot.store.webex_connection(ACME) is None
        assert "connect it from my Home tab" in await command(world, ANA, "list")

        answer = await submit(world, ANA, view_id, xml_form(world))
        assert "Checking the connection" in json.dumps(answer["view"]) and world.bot.store.webex_connection(ACME)
        [shown] = [call.params for call in world.slack.calls_to("views.update")[updates + 1 :]]
        assert shown["view_id"] == view_id and "This workspace now uses" in json.dumps(shown["view"])
        assert world.bot.store.webex_connection(ACME).site_url == world.xml.url  # type: ignore[union-attr]


async def test_a_workspace_whose_token_slack_refuses_loses_its_webex_health_as_at_an_uninstall(world: World):
    await connect(world, ANA, xml_form(world))
    await command(world, ANA, "admin status")  # its backend, and the health of its connection, are built
    assert world.bot.healths.of(ACME) is not world.bot.healths.default
    token = world.slack.bot_token_for(ACME)
    world.slack.drop_tokens(ACME)  # removed without an event reaching the bot
    with pytest.raises(SlackApiError):
        await world.bot.client.auth_test(token=token)
    assert world.bot.store.bot_data("", ACME) is None
    assert world.bot.healths.of(ACME) is world.bot.healths.default

"""The real bot installed in many workspaces through Slack's OAuth flow (the multi-workspace Slack stand-in and
the Webex simulator, over real HTTP): installs with checked states, each workspace served with its own bot
token, an Enterprise Grid org-wide install, uninstalls that stop one workspace and leave the others alone."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot import ids, modals
from bot.app import Bot, build_bot
from bot.http import HttpServer
from bot.settings import Settings
from bot.views import spaced
from commands.forms import ScheduleForm
from sandbox.slack import TEAM_ID, SlackUser
from sandbox.slack_install import revisit
from sandbox.slack_workspaces import MultiSlack
from storage import Intent, MeetingRecord
from tests.conftest import oauth_env, running_bot, webex_env
from webex.models import ServiceType
from webex.simulator import WebexSimulator, demo_site
from webex.simulator.state import SimSession

ACME, GLOBEX, GRID, GRID_A, GRID_B = "T0ACME", "T0GLOBEX", "E0GRID", "T0GRIDA", "T0GRIDB"
PEOPLE = {"U0ANA": ACME, "U0BOB": GLOBEX, "W0GIA": GRID_A, "W0GUS": GRID_B, "U0CAL": ACME, "U0DAN": GLOBEX}
ADMINS = {"U0ANA", "U0BOB"}  # Slack admins of their workspaces
ENV_ADMIN_CHANNEL = "C0ENVADMIN"


@dataclass
class World:
    slack: MultiSlack
    bot: Bot
    url: str
    db_path: Path
    webex: WebexSimulator


def multi_slack() -> MultiSlack:
    slack = MultiSlack()
    slack.add_workspace(ACME, "Acme")
    slack.add_workspace(GLOBEX, "Globex")
    slack.add_organization(GRID, "Grid Corp", [(GRID_A, "Grid A"), (GRID_B, "Grid B")])
    for user_id, team_id in PEOPLE.items():
        email = f"{user_id.lower()}@example.com"
        slack.add_user(SlackUser(user_id, user_id[2:].title(), email, team_id=team_id, is_admin=user_id in ADMINS))
    return slack


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    webex = WebexSimulator(demo_site(), hang_seconds=5)
    await webex.start()
    slack = multi_slack()
    await slack.start()
    db_path = tmp_path / "webexbot.db"
    env = oauth_env(
        slack,
        db_path,
        **webex_env(webex),
        WEBEXBOT_ADMINS="U0CAL U0DAN",  # one workspace's setting: not applied in OAuth mode
        WEBEXBOT_ADMIN_CHANNEL=ENV_ADMIN_CHANNEL,  # the same
    )
    bot = build_bot(Settings.from_env(env))
    server = HttpServer(bot)
    url = await server.start("127.0.0.1", 0)
    slack.redirect_urls = [f"{url}/slack/oauth_redirect"]
    try:
        yield World(slack, bot, url, db_path, webex)
    finally:
        await server.stop()
        await bot.aclose()
        await slack.stop()
        await webex.stop()


async def tokens_used_for(world: World, user_id: str) -> set[str]:
    """Send /webex list as the user; the tokens of the Web API calls the bot made for it."""
    slack = world.slack
    before = len(slack.calls)
    _, request_id = await slack.command(world.url, user_id, "list")
    await slack.first_response(request_id)
    return {str(call.token) for call in slack.calls[before:] if call.method != "oauth.v2.access"}


async def test_two_workspaces_install_and_each_is_served_with_its_own_token(world: World):
    slack = world.slack
    for team_id in (ACME, GLOBEX):
        installed = await slack.install(world.url, team_id)
        assert installed.page.status_code == 200, installed.page.text
    acme, globex = slack.bot_token_for(ACME), slack.bot_token_for(GLOBEX)
    assert acme != globex
    assert await tokens_used_for(world, "U0ANA") == {acme}
    assert await tokens_used_for(world, "U0BOB") == {globex}
    assert {c.method for c in slack.calls_for(ACME)} >= {"users.info"}
    assert acme.encode() not in world.db_path.read_bytes()  # tokens are stored encrypted
    installs = [row for row in world.bot.store.audit_log(ACME) if row["action"] == "installed"]
    assert len(installs) == 1 and installs[0]["subject"] == ACME


async def test_a_replayed_or_forged_state_is_refused(world: World):
    installed = await world.slack.install(world.url, ACME)
    assert installed.page.status_code == 200
    replayed = await revisit(installed)
    assert replayed.status_code == 401 and "already used" in replayed.text
    state = installed.callback_url.split("state=")[1].split("&")[0]
    installed.callback_url = installed.callback_url.replace(f"state={state}", "state=forged")
    forged = await revisit(installed, cookie="slack-app-oauth-state=forged")
    assert forged.status_code == 401
    assert len(world.slack.calls_to("oauth.v2.access")) == 1


async def test_an_org_wide_install_serves_two_workspaces_of_the_organization(world: World):
    installed = await world.slack.install(world.url, GRID, installer="W0GIA")
    assert installed.page.status_code == 200, installed.page.text
    org_token = world.slack.bot_token_for(GRID_A)
    assert await tokens_used_for(world, "W0GIA") == {org_token}
    assert await tokens_used_for(world, "W0GUS") == {org_token}
    assert [row["action"] for row in world.bot.store.audit_log(GRID)] == ["installed"]


async def test_an_uninstall_removes_the_tokens_and_the_other_workspace_carries_on(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    assert (await slack.uninstall(world.url, ACME)).status_code == 200
    await slack.wait_for(lambda: store.bot_data("", ACME) is None)
    assert store.installation_data("", ACME) is None and store.bot_data("", GLOBEX) is not None
    assert [row["action"] for row in store.audit_log(ACME)] == ["installed", "uninstalled"]
    assert await tokens_used_for(world, "U0BOB") == {slack.bot_token_for(GLOBEX)}


def meeting_with_reminder(world: World, key: str, team_id: str, user_id: str) -> None:
    start = datetime.now(UTC) + timedelta(hours=2)
    record = MeetingRecord(
        meeting_key=key, team_id=team_id, channel_id=f"C{team_id}", card_ts="1.000", host_webex_id="ana",
        host_slack_user_id=user_id, topic=f"Topic {key}", start=start.isoformat(), duration_minutes=30,
        created_by=user_id, status="scheduled", created_at=start.isoformat(),
    )  # fmt: skip
    world.bot.store.record_meeting(record, user_id)
    world.bot.store.add_reminders(team_id, key, [(user_id, "host")], (start - timedelta(minutes=10)).isoformat())


async def test_reminders_go_out_with_their_workspaces_token_and_stop_at_an_uninstall(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    meeting_with_reminder(world, "111", ACME, "U0ANA")
    meeting_with_reminder(world, "222", GLOBEX, "U0BOB")
    await world.bot.reminders.sync()
    scheduled = {c.token for c in slack.calls_to("chat.scheduleMessage")}
    assert scheduled == {slack.bot_token_for(ACME), slack.bot_token_for(GLOBEX)}
    await slack.uninstall(world.url, ACME)
    await slack.wait_for(lambda: store.bot_data("", ACME) is None)
    assert store.reminders_of(ACME, "111") == [] and len(store.reminders_of(GLOBEX, "222")) == 1


def tokens_of(world: World, method: str) -> list[str]:
    return [call.token for call in world.slack.calls_to(method)]


async def test_the_trackers_card_edits_go_out_with_each_meetings_workspace_token(world: World):
    slack = world.slack
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    meeting_with_reminder(world, "111", ACME, "U0ANA")
    meeting_with_reminder(world, "222", GLOBEX, "U0BOB")
    await world.bot.tracker.started(ACME, "111")  # as the poll or a Webex webhook finds it live: no request in scope
    await world.bot.tracker.started(GLOBEX, "222")
    by_channel = {call.params.get("channel"): call.token for call in slack.calls_to("chat.update")}
    assert by_channel == {f"C{ACME}": slack.bot_token_for(ACME), f"C{GLOBEX}": slack.bot_token_for(GLOBEX)}
    both = sorted([slack.bot_token_for(ACME), slack.bot_token_for(GLOBEX)])
    assert sorted(tokens_of(world, "chat.postMessage")) == both  # the live notices


async def test_an_intent_resumed_at_start_uses_its_workspaces_token_and_an_uninstalled_ones_is_dropped(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    await slack.uninstall(world.url, ACME)
    await slack.wait_for(lambda: store.bot_data("", ACME) is None)
    for key, team, user in (("i-acme", ACME, "U0ANA"), ("i-globex", GLOBEX, "U0BOB")):
        payload = json.dumps({"meeting": "999000999", "scope": "", "occurrence": ""})
        intent = Intent(key=key, team_id=team, user_id=user, channel_id="C1", action="cancel", payload=payload)
        store.record_intent(intent)
    world.bot.runner.resume()
    await slack.wait_for(lambda: store.intent("i-globex").state == "failed")  # type: ignore[union-attr]
    await world.bot.runner.drain()
    told = [call for call in slack.calls_to("chat.postEphemeral") if call.params.get("user") == "U0BOB"]
    assert told and {call.token for call in told} == {slack.bot_token_for(GLOBEX)}
    acme = store.intent("i-acme")
    assert acme is not None and acme.state == "failed" and acme.outcome == "not installed"
    assert not [call for call in slack.calls if call.params.get("user") == "U0ANA"]


async def test_after_a_restart_background_work_still_finds_an_org_wide_installs_token(world: World):
    await world.slack.install(world.url, GRID, installer="W0GIA")
    await tokens_used_for(world, "W0GIA")  # the bot learns the workspace's organization from a request
    world.bot.slack.organizations.clear()  # what a restart forgets
    assert await world.bot.slack.token_for(GRID_A) == world.slack.bot_token_for(GRID_A)


def acme_meeting(world: World) -> str:
    """A meeting Ana made through the bot in Acme, on the Webex site both workspaces use."""
    state = world.webex.state
    key = state.new_key()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    fields: dict[str, Any] = dict(service=ServiceType.MEETING_CENTER, session_type=3, zone_id=11, duration=30)
    state.add_session(SimSession(key=key, topic="Acme plans", host="ana", created_by="ana", start=start, **fields))
    meeting_with_reminder(world, key, ACME, "U0ANA")
    return key


async def answer_to_click(world: World, user_id: str, action_id: str, value: str) -> str:
    payload, request_id = world.slack.action_payload(user_id, action_id, value)
    assert (await world.slack.send_payload(world.url, payload)).status_code == 200
    return (await world.slack.first_response(request_id)).all_text()


async def answer_to_command(world: World, user_id: str, text: str) -> str:
    _, request_id = await world.slack.command(world.url, user_id, text)
    return (await world.slack.first_response(request_id)).all_text()


async def test_a_signed_payload_naming_another_workspaces_meeting_is_answered_as_not_found(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    key, missing = acme_meeting(world), world.webex.state.new_key()
    await world.bot.reminders.sync()  # Acme's own reminder goes to Slack now, not during what follows
    acme_calls = len(slack.calls_for(ACME))
    for action in ("cancel {}", "join {}", "host {}"):
        theirs = await answer_to_command(world, "U0BOB", action.format(key))
        nowhere = await answer_to_command(world, "U0BOB", action.format(missing))
        assert theirs.replace(spaced(key), "N").replace(key, "N") == nowhere.replace(spaced(missing), "N").replace(
            missing, "N"
        ), action
    clicked = await answer_to_click(world, "U0BOB", ids.MEETING_CARD_CANCEL, key)
    nowhere = await answer_to_click(world, "U0BOB", ids.MEETING_CARD_CANCEL, missing)
    assert clicked.replace(spaced(key), "N") == nowhere.replace(spaced(missing), "N")
    await world.bot.runner.drain()
    record = store.meeting(ACME, key)
    assert record is not None and record.status == "scheduled" and len(store.reminders_of(ACME, key)) == 1
    assert key in world.webex.state.sessions  # not cancelled in Webex either
    await world.bot.reminders.sync()
    assert len(slack.calls_for(ACME)) == acme_calls  # nothing was said in Acme
    assert [row["action"] for row in store.audit_log(GLOBEX) if row["subject"] == key] == []


async def test_a_reschedule_view_whose_metadata_names_another_workspaces_meeting_moves_nothing(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    key = acme_meeting(world)
    before, webex_before = store.meeting(ACME, key), world.webex.state.sessions[key].start
    await world.bot.reminders.sync()
    acme_calls = len(slack.calls_for(ACME))
    form = ScheduleForm(duration_minutes=45)
    forged = modals.reschedule_modal(key, "Acme plans", form, "UTC")  # as if Globex had opened it for Acme's meeting
    slack.views["V0FORGED"] = {**forged, "id": "V0FORGED", "user": "U0BOB"}
    day = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    values: dict[str, dict[str, Any]] = {
        "date": {"v": {"type": "datepicker", "selected_date": day}},
        "time": {"v": {"type": "timepicker", "selected_time": "10:00"}},
        "duration": {"v": {"type": "static_select", "selected_option": {"value": "45"}}},
    }
    reply = await slack.send_payload(world.url, slack.submission_payload("U0BOB", "V0FORGED", values))
    assert reply.status_code == 200
    await slack.wait_for(lambda: store.intent("view:V0FORGED") is not None)
    await slack.wait_for(lambda: store.intent("view:V0FORGED").state == "failed")  # type: ignore[union-attr]
    await world.bot.runner.drain()
    assert store.meeting(ACME, key) == before and world.webex.state.sessions[key].start == webex_before
    await world.bot.reminders.sync()
    assert len(slack.calls_for(ACME)) == acme_calls


def forgotten(world: World, team_id: str) -> bool:
    store = world.bot.store
    return store.bot_data("", team_id) is None and store.installation_data("", team_id) is None


async def test_a_command_whose_workspace_token_slack_refuses_forgets_that_workspace_alone(
    world: World, caplog: pytest.LogCaptureFixture
):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    meeting_with_reminder(world, "111", ACME, "U0ANA")
    meeting_with_reminder(world, "222", GLOBEX, "U0BOB")
    acme_token = slack.bot_token_for(ACME)
    slack.drop_tokens(ACME)  # the app removed from Acme, and the event never reached the bot
    await slack.command(world.url, "U0ANA", "list")
    await slack.wait_for(lambda: forgotten(world, ACME))
    assert store.reminders_of(ACME, "111") == [] and len(store.reminders_of(GLOBEX, "222")) == 1
    gone = store.audit_log(ACME)[-1]
    assert gone["action"] == "uninstalled" and json.loads(str(gone["detail"]))["slack_error"] == "invalid_auth"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and ACME in r.getMessage()]
    assert warnings and "invalid_auth" in warnings[0] and acme_token not in caplog.text
    assert await tokens_used_for(world, "U0BOB") == {slack.bot_token_for(GLOBEX)}
    assert store.bot_data("", GLOBEX) is not None


async def test_background_work_whose_token_was_revoked_forgets_the_workspace(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    meeting_with_reminder(world, "111", ACME, "U0ANA")
    meeting_with_reminder(world, "222", GLOBEX, "U0BOB")
    slack.drop_tokens(ACME, "revoked")
    await world.bot.tracker.started(ACME, "111")  # the live card's edit is refused with token_revoked
    await world.bot.tracker.started(GLOBEX, "222")
    assert forgotten(world, ACME) and store.reminders_of(ACME, "111") == []
    assert json.loads(str(store.audit_log(ACME)[-1]["detail"]))["slack_error"] == "token_revoked"
    edits = {call.params.get("channel"): call.token for call in slack.calls_to("chat.update")}
    assert edits[f"C{GLOBEX}"] == slack.bot_token_for(GLOBEX) and store.bot_data("", GLOBEX) is not None


async def test_a_reinstall_is_not_forgotten_because_the_old_token_is_refused(world: World):
    slack, store = world.slack, world.bot.store
    await slack.install(world.url, ACME)
    old = slack.bot_token_for(ACME)
    await world.bot.slack.token_for(ACME)  # the bot has seen the old token
    slack.drop_tokens(ACME)
    await slack.install(world.url, ACME)  # installed again: a new token
    with pytest.raises(SlackApiError):
        await world.bot.client.auth_test(token=old)
    assert store.bot_data("", ACME) is not None
    assert await tokens_used_for(world, "U0ANA") == {slack.bot_token_for(ACME)}


async def test_admin_settings_of_the_environment_do_not_apply_and_a_workspaces_notices_stay_in_it(
    world: World, caplog: pytest.LogCaptureFixture
):
    slack = world.slack
    said = [r.getMessage() for r in caplog.get_records("setup") if r.levelno == logging.WARNING]
    assert any("WEBEXBOT_ADMIN_CHANNEL and WEBEXBOT_ADMINS ignored" in line for line in said), said
    await slack.install(world.url, ACME)
    await slack.install(world.url, GLOBEX)
    assert "I'll report to" in await answer_to_command(world, "U0ANA", "admin channel <#C0ACMEADM|acme-admins>")
    for user_id in ("U0CAL", "U0DAN"):  # named in WEBEXBOT_ADMINS, yet not admins of their workspaces
        assert "admin" in await answer_to_command(world, user_id, "admin links")
    await world.bot.notifier.drain()
    notices = [c for c in slack.calls_to("chat.postMessage") if "without being an admin" in str(c.params.get("text"))]
    assert [(c.params["channel"], c.token) for c in notices] == [("C0ACMEADM", slack.bot_token_for(ACME))]
    assert "U0CAL" in str(notices[0].params["text"])
    assert not [c for c in slack.calls if c.params.get("channel") == ENV_ADMIN_CHANNEL]
    assert world.bot.store.links(ACME) == [] and world.bot.store.links(GLOBEX) == []


async def test_with_one_bot_token_a_refused_token_or_an_uninstall_forgets_nothing_and_tells_the_admin(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    webex = WebexSimulator(demo_site(), hang_seconds=5)
    await webex.start()
    slack = MultiSlack()  # its default workspace, served with its one bot token (SLACK_BOT_TOKEN)
    slack.add_user(SlackUser("U0ANA", "Ana", "ana@example.com"))
    await slack.start()
    try:
        async with running_bot(webex, slack, tmp_path / "webexbot.db") as (bot, url):
            meeting_with_reminder(World(slack, bot, url, tmp_path, webex), "111", TEAM_ID, "U0ANA")
            assert (await slack.uninstall(url, TEAM_ID)).status_code == 200
            assert "reinstall the app" in caplog.text
            await slack.command(url, "U0ANA", "list")  # its token refused (invalid_auth): a configuration problem
            assert slack.calls_to("auth.test")
            await bot.runner.drain()
            assert len(bot.store.reminders_of(TEAM_ID, "111")) == 1
            assert "uninstalled" not in [row["action"] for row in bot.store.audit_log(TEAM_ID)]
    finally:
        await slack.stop()
        await webex.stop()

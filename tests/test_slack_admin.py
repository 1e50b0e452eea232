"""The admin channel, Webex problems, live tracking, reminders, admin commands and `webexbot doctor`."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from tests.conftest import ANA, BEN, BOSS, EVE, FakeClock, Stack, linked, open_stack, running_bot, stack_env

TEAM = "T0WEBEX"
ADMIN = "C0ADMIN"
FAST = {"WEBEXBOT_ADMIN_CHANNEL": ADMIN, "WEBEXBOT_POLL_SECONDS": "0.05"}


def admin_messages(stack: Stack, channel: str = ADMIN) -> list[str]:
    return [m.all_text() for m in stack.slack.messages if m.channel == channel]


async def command(stack: Stack, user: str, text: str) -> str:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()


async def seen(stack: Stack, words: str, channel: str = ADMIN) -> str:
    return (await stack.slack.wait_for(lambda: [t for t in admin_messages(stack, channel) if words in t]))[0]


async def test_what_the_bot_does_and_refuses_reaches_the_admin_channel(tmp_path: Path):
    async with open_stack(tmp_path, **FAST) as stack:
        await command(stack, ANA, "link ana")
        assert "linked <@U0ANA> to Webex account `ana` (email-match)" in await seen(stack, ":link:")
        await command(stack, ANA, "schedule Budget review tomorrow at 3pm")
        key = stack.bot.store.meetings(TEAM)[-1].meeting_key
        created = await seen(stack, ":calendar:")
        assert "<@U0ANA> scheduled *Budget review*" in created and "<!date^" in created
        await linked(stack, BEN, "ben")
        await command(stack, BEN, f"host {key}")
        assert "<@U0BEN> asked for the host link" in await seen(stack, "host link")
        await command(stack, EVE, "link chen")
        assert "<@U0EVE> tried to link Webex account `chen`" in await seen(stack, "tried to link")
        await command(stack, BEN, "admin users")
        assert "<@U0BEN> tried `/webex admin users`" in await seen(stack, "without being an admin")
        _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
        await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
        assert "cancelled *Budget review*" in await seen(stack, ":wastebasket:")


async def test_admin_commands_for_admins_only(tmp_path: Path):
    async with open_stack(tmp_path, **FAST) as stack:
        refused = await command(stack, ANA, "admin link <@U0EVE|eve> ben")
        assert "Only Webex bot admins" in refused and stack.bot.store.link_for(TEAM, EVE) is None

        assert "Linked <@U0EVE> to Webex account `ben`" in await command(stack, BOSS, "admin link <@U0EVE|eve> ben")
        link = stack.bot.store.link_for(TEAM, EVE)
        assert (link.webex_id, link.verified_by) == ("ben", "admin")
        assert stack.bot.store.audit_log(TEAM)[-1]["actor"] == BOSS
        assert "<@U0EVE> → `ben` (admin" in await command(stack, BOSS, "admin users")
        assert "Unlinked <@U0EVE>" in await command(stack, BOSS, "admin unlink <@U0EVE>")

        status = await command(stack, BOSS, "admin status")
        assert "Webex:" in status and "Links: 0" in status and "Version: 0.1.0" in status

        assert "I'll report to <#C0OPS>" in await command(stack, BOSS, "admin channel <#C0OPS|ops>")
        assert stack.bot.store.setting(TEAM, "admin_channel") == "C0OPS"
        await command(stack, ANA, "link ana")
        await seen(stack, ":link:", channel="C0OPS")


async def test_a_webex_problem_is_reported_once_with_a_running_count_and_when_it_clears(tmp_path: Path):
    async with open_stack(tmp_path, **FAST) as stack:
        stack.webex.faults.fail_next("exception", exception_id="030002", reason="Incorrect user or password", count=3)
        for _ in range(3):
            reply = await command(stack, BEN, "join 123 456 789")
            assert "can't sign in to Webex" in reply
        started = await seen(stack, ":rotating_light:")
        assert "rejected the service account" in started
        await stack.slack.wait_for(
            lambda: [m for m in stack.slack.messages if m.channel == ADMIN and "3 failed calls" in m.text]
        )
        assert len([t for t in admin_messages(stack) if ":rotating_light:" in t]) == 1
        await linked(stack, ANA, "ana")
        await command(stack, ANA, "schedule Recovery tomorrow at 9am")
        assert "after 3 failed calls" in await seen(stack, ":white_check_mark:")


async def test_a_started_meeting_turns_its_card_live_then_ended(tmp_path: Path):
    async with open_stack(tmp_path, **FAST) as stack:
        await linked(stack, ANA, "ana")
        await command(stack, ANA, "schedule Launch tomorrow at 9am")
        record = stack.bot.store.meetings(TEAM)[-1]
        stack.webex.start_session(record.meeting_key)
        card = next(m for m in stack.slack.messages if m.ts == record.card_ts)
        await stack.slack.wait_for(lambda: "is live now" in card.all_text())
        assert "meeting.card.join" in card.all_text() and "meeting.card.cancel" not in card.all_text()
        told = await stack.slack.wait_for(
            lambda: [m for m in stack.slack.messages if m.thread_ts == record.card_ts and "has started" in m.text]
        )
        assert told[0].channel == "C0GENERAL"
        assert stack.bot.store.meeting(record.meeting_key).status == "live"

        stack.webex.end_session(record.meeting_key)
        await stack.slack.wait_for(lambda: "ended, ran" in card.all_text())
        assert "meeting.card" not in card.all_text()
        assert stack.bot.store.meeting(record.meeting_key).status == "ended"


async def test_reminders_go_out_once_also_across_a_restart(tmp_path: Path):
    clock = FakeClock()
    async with open_stack(tmp_path, clock=clock, **FAST) as stack:
        await linked(stack, ANA, "ana")
        await command(stack, ANA, f"schedule Planning tomorrow at 10am with <@{BEN}>")
        await command(stack, ANA, "schedule Later tomorrow at 11am")
        await command(stack, ANA, "schedule Dropped tomorrow at 10:30am")
        planning, later, dropped = (
            {r.topic: r for r in stack.bot.store.meetings(TEAM)}[t] for t in ("Planning", "Later", "Dropped")
        )
        _, request = await stack.slack.click(
            stack.url, ANA, "meeting.cancel.confirm", dropped.meeting_key, ephemeral=True
        )
        await stack.slack.wait_for(lambda: stack.slack.responses_to(request))

        def reminders() -> list[tuple[str, str]]:
            return [(m.channel, m.text) for m in stack.slack.messages if m.text.startswith("Reminder:")]

        await asyncio.sleep(0.2)
        assert reminders() == []
        clock.now = datetime.fromisoformat(planning.start) - timedelta(minutes=9)
        sent = await stack.slack.wait_for(lambda: len(reminders()) >= 2 and reminders())
        assert sorted(sent) == [("D0ANA", "Reminder: Planning"), ("D0BEN", "Reminder: Planning")]
        host_dm = next(m for m in stack.slack.messages if m.channel == "D0ANA" and m.text == "Reminder: Planning")
        assert "meeting.card.start" in host_dm.all_text() and "TK=" not in host_dm.all_text()
        webex, slack, db_path = stack.webex, stack.slack, stack.db_path

    # the app was stopped; Later's reminder came due meanwhile; a new app neither repeats nor loses any
    await webex.start()
    await slack.start()
    try:
        clock.now = datetime.fromisoformat(later.start) - timedelta(minutes=5)
        async with running_bot(webex, slack, db_path, clock, **FAST):
            await slack.wait_for(lambda: [m for m in slack.messages if m.text == "Reminder: Later"])
            await asyncio.sleep(0.3)
            texts = [m.text for m in slack.messages if m.text.startswith("Reminder:")]
            assert sorted(texts) == ["Reminder: Later", "Reminder: Planning", "Reminder: Planning"]
    finally:
        await slack.stop()
        await webex.stop()


async def run_doctor(env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "doctor",
        env={"PATH": os.environ.get("PATH", ""), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


async def test_doctor_passes_on_a_good_setup_and_fails_clearly_on_a_wrong_password(stack: Stack, tmp_path: Path):
    code, output = await run_doctor(stack_env(stack.webex, stack.slack, tmp_path / "doctor.db"))
    assert code == 0, output
    assert "ok    slack" in output and "ok    webex admin" in output and "ok    database" in output

    env = stack_env(stack.webex, stack.slack, tmp_path / "doctor.db", WEBEX_PASSWORD="wrong")
    code, output = await run_doctor(env)
    assert code == 1
    assert "FAIL  webex" in output and "Incorrect user or password" in output
    assert "fix: check WEBEX_USER, WEBEX_PASSWORD" in output and "wrong" not in output

    code, output = await run_doctor({})
    assert code == 2 and "SLACK_BOT_TOKEN is missing" in output

"""The admin channel, Webex problems, live tracking, reminders, admin commands and `webexbot doctor`."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.health import WebexHealth
from commands.backend import Problem
from tests.conftest import ANA, BEN, BOSS, EVE, FakeClock, Stack, linked, open_stack, stack_env

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


async def test_a_flapping_webex_gets_at_most_one_admin_message_per_problem_per_ten_minutes(tmp_path: Path):
    clock = FakeClock()
    async with open_stack(tmp_path, WEBEXBOT_ADMIN_CHANNEL=ADMIN) as stack:
        health = WebexHealth(stack.bot.notifier, clock=clock)
        for _ in range(5):
            health.outcome(Problem.UNAVAILABLE)
            health.outcome(Problem.UNAVAILABLE)
            health.outcome(None)
            clock.advance(minutes=1)
        await stack.bot.notifier.drain()
        [message] = admin_messages(stack)
        assert ":white_check_mark:" in message and "after 10 failed calls" in message
        assert "came back 4 times" in message and "unreachable" in message

        health.outcome(Problem.UNAVAILABLE)  # six minutes after the message: an edit, not a new one
        await stack.bot.notifier.drain()
        [message] = admin_messages(stack)
        assert ":rotating_light:" in message and "11 failed calls so far" in message

        health.outcome(Problem.BAD_CREDENTIALS)  # another problem gets its own message
        await stack.bot.notifier.drain()
        assert "rejected the service account" in admin_messages(stack)[-1] and len(admin_messages(stack)) == 2

        clock.advance(minutes=11)
        health.outcome(None)  # the service account worked again after 11 minutes: a message of its own
        health.outcome(Problem.UNAVAILABLE)  # ten minutes have passed since its message: a new one
        await stack.bot.notifier.drain()
        texts = admin_messages(stack)
        assert len(texts) == 4 and ":white_check_mark:" in texts[2] and "about 11 min" in texts[2]
        assert ":rotating_light:" in texts[3] and "1 failed call so far" in texts[3]


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
        assert stack.bot.store.meeting(TEAM, record.meeting_key).status == "live"

        stack.webex.end_session(record.meeting_key)
        await stack.slack.wait_for(lambda: "ended, ran" in card.all_text())
        assert "meeting.card" not in card.all_text()
        assert stack.bot.store.meeting(TEAM, record.meeting_key).status == "ended"


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
    assert "FAIL  webex" in output and "rejected the service account" in output
    assert "fix: check WEBEX_USER, WEBEX_PASSWORD" in output and "wrong" not in output

    code, output = await run_doctor({})
    assert code == 2 and "SLACK_BOT_TOKEN is missing" in output

"""Reminders are held by Slack (chat.scheduleMessage): handed over once, retracted on cancel, moved on
reschedule, and exactly once across restarts and a lost answer from Slack."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from tests.conftest import ANA, BEN, FakeClock, Stack, linked, open_stack, running_bot

TEAM = "T0WEBEX"
FAST = {"WEBEXBOT_POLL_SECONDS": "0.05"}


async def command(stack: Stack, user: str, text: str) -> str:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()


def reminders(stack: Stack) -> list[tuple[str, str]]:
    return sorted((m.channel, m.text) for m in stack.slack.messages if m.text.startswith("Reminder:"))


def held(stack: Stack) -> list[str]:
    return sorted(s.text for s in stack.slack.scheduled if s.state == "pending")


async def test_reminders_are_held_by_slack_and_go_out_once_also_across_a_restart(tmp_path: Path):
    clock = FakeClock()
    async with open_stack(tmp_path, clock=clock, **FAST) as stack:
        stack.slack.clock = lambda: clock.now.timestamp()
        await linked(stack, ANA, "ana")
        await command(stack, ANA, f"schedule Planning tomorrow at 10am with <@{BEN}>")
        await command(stack, ANA, "schedule Later tomorrow at 11am")
        await command(stack, ANA, "schedule Dropped tomorrow at 10:30am")
        records = {r.topic: r for r in stack.bot.store.meetings(TEAM)}
        await stack.slack.wait_for(lambda: len(held(stack)) == 4)
        _, request = await stack.slack.click(
            stack.url, ANA, "meeting.cancel.confirm", records["Dropped"].meeting_key, ephemeral=True
        )
        await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
        await stack.slack.wait_for(lambda: "Reminder: Dropped" not in held(stack))
        assert held(stack) == ["Reminder: Later", "Reminder: Planning", "Reminder: Planning"]
        assert reminders(stack) == []
        host_reminder = next(s for s in stack.slack.scheduled if s.channel == "D0ANA" and "Planning" in s.text)
        assert "meeting.card.start" in str(host_reminder.blocks) and "TK=" not in str(host_reminder.blocks)
        webex, slack, db_path = stack.webex, stack.slack, stack.db_path

    # the bot is down while Planning's reminders come due: Slack posts them anyway, once
    clock.now = datetime.fromisoformat(records["Planning"].start) - timedelta(minutes=9)
    assert slack.deliver_due() == 2
    await webex.start()
    await slack.start()
    try:
        async with running_bot(webex, slack, db_path, clock, **FAST) as (bot, _):
            await bot.tracker.poll_once()
            clock.now = datetime.fromisoformat(records["Later"].start) - timedelta(minutes=5)
            assert slack.deliver_due() == 1
            texts = sorted(m.text for m in slack.messages if m.text.startswith("Reminder:"))
            assert texts == ["Reminder: Later", "Reminder: Planning", "Reminder: Planning"]
            assert bot.store.reminders_to_hand_over("9999") == []
    finally:
        await slack.stop()
        await webex.stop()


async def test_a_hand_over_whose_answer_was_lost_is_found_in_slack_not_repeated(tmp_path: Path):
    clock = FakeClock()
    async with open_stack(tmp_path, clock=clock, **FAST) as stack:
        stack.slack.clock = lambda: clock.now.timestamp()
        await linked(stack, ANA, "ana")
        await command(stack, ANA, "schedule Planning tomorrow at 10am")
        await stack.slack.wait_for(lambda: held(stack) == ["Reminder: Planning"])
        key = stack.bot.store.meetings(TEAM)[0].meeting_key
        # as if the bot died after Slack took the reminder and before its answer was stored
        stack.bot.store.db.execute("update reminders set scheduled_id = null where meeting_key = ?", [key])
        await stack.bot.reminders.sync()
        assert len(stack.slack.calls_to("chat.scheduleMessage")) == 1 and held(stack) == ["Reminder: Planning"]
        [reminder] = stack.bot.store.reminders_of(TEAM, key)
        assert reminder.scheduled_id == stack.slack.scheduled[0].id


async def test_a_rescheduled_meeting_moves_its_reminder_in_slack(tmp_path: Path):
    clock = FakeClock()
    async with open_stack(tmp_path, clock=clock, **FAST) as stack:
        stack.slack.clock = lambda: clock.now.timestamp()
        await linked(stack, ANA, "ana")
        await command(stack, ANA, "schedule Planning tomorrow at 10am")
        record = stack.bot.store.meetings(TEAM)[0]
        await stack.slack.wait_for(lambda: held(stack) == ["Reminder: Planning"])
        first = next(s for s in stack.slack.scheduled if s.state == "pending")
        later = datetime.fromisoformat(record.start) + timedelta(hours=2)
        stack.bot.store.move_meeting(TEAM, record.meeting_key, later.isoformat(), 60)
        stack.bot.store.move_reminders(TEAM, record.meeting_key, (later - timedelta(minutes=10)).isoformat())
        await stack.bot.reminders.sync()
        now_held = [s for s in stack.slack.scheduled if s.state == "pending"]
        assert first.state == "deleted" and len(now_held) == 1
        assert now_held[0].post_at == int((later - timedelta(minutes=10)).timestamp())

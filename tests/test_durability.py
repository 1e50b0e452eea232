"""Nothing acknowledged is lost: recorded intents resumed after a restart, Slack failures of any shape,
profiles that cannot be read, deletes Webex applied but answered badly, and the small hardening items."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commands.linking import same_email
from storage import Intent
from tests.conftest import ANA, Stack, linked, open_stack, running_bot

TEAM = "T0WEBEX"


async def command(stack: Stack, user: str, text: str) -> str:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request), timeout=4))[0].all_text()


def retros(stack: Stack) -> list[str]:
    return [key for key, s in stack.webex.state.sessions.items() if s.topic == "Retro"]


async def test_an_intent_left_unfinished_by_a_crash_is_carried_out_at_the_next_start(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await linked(stack, ANA, "ana")
        webex, slack, db_path = stack.webex, stack.slack, stack.db_path
        # as if the bot acknowledged the command and died before carrying it out
        received = datetime.now(UTC).isoformat()
        args = {"received_at": received, "command": "schedule", "text": "Retro tomorrow at 4pm"}
        args |= {"response_url": "", "trigger_id": "T1"}
        intent = Intent("command:T0WEBEX:T1", TEAM, ANA, "C0GENERAL", "command", json.dumps(args))
        assert stack.bot.store.record_intent(intent)
        assert not stack.bot.store.record_intent(intent)  # a repeated delivery is refused by the same row
    await webex.start()
    await slack.start()
    try:
        async with running_bot(webex, slack, db_path) as (bot, _):
            await slack.wait_for(lambda: bot.store.intent(intent.key).state == "done", timeout=4)
            told = [c for c in slack.calls_to("chat.postEphemeral") if c.params.get("user") == ANA]
            assert told and "Scheduled" in str(told[0].params)  # by the Web API: response URLs expire
            assert len([s for s in webex.state.sessions.values() if s.topic == "Retro"]) == 1
            assert [m.topic for m in bot.store.meetings(TEAM)] == ["Retro"]
    finally:
        await slack.stop()
        await webex.stop()


async def test_a_slack_error_page_instead_of_json_does_not_lose_the_reply(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await linked(stack, ANA, "ana")
        stack.slack.fail_next("chat.postMessage", "html")
        _, request = await stack.slack.command(stack.url, ANA, "schedule Retro tomorrow at 4pm")
        replies = await stack.slack.wait_for(
            lambda: [r.all_text() for r in stack.slack.responses_to(request) if "Scheduled" in r.all_text()]
        )
        assert "E-" not in replies[0]
        assert len(retros(stack)) == 1
        cards = [r for r in stack.slack.responses if r.body.get("response_type") == "in_channel"]
        assert cards and "Retro" in cards[0].all_text()  # the card went by the response URL instead


async def test_when_slack_will_not_say_who_the_caller_is_nothing_is_scheduled_on_a_guess(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await linked(stack, ANA, "ana")
        stack.slack.fail_next("users.info", "http_500_text", count=3)
        reply = await command(stack, ANA, "schedule Retro tomorrow at 3pm")
        assert "couldn't read your Slack profile" in reply and "didn't do anything" in reply
        assert retros(stack) == [] and stack.bot.store.meetings(TEAM) == []


async def test_a_delete_webex_applied_but_answered_with_500_is_cancelled_in_the_store_too(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await linked(stack, ANA, "ana")
        await command(stack, ANA, "schedule Retro tomorrow at 4pm")
        key = stack.bot.store.meetings(TEAM)[0].meeting_key
        await stack.slack.wait_for(lambda: [s for s in stack.slack.scheduled if s.state == "pending"])
        stack.webex.faults.fail_next("apply_then_500", operation="delmeeting")
        _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
        reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request), timeout=4))[0]
        assert "ancel" in reply.all_text() and "E-" not in reply.all_text()
        assert key not in stack.webex.state.sessions
        assert stack.bot.store.meeting(TEAM, key).status == "cancelled"
        await stack.slack.wait_for(lambda: all(s.state == "deleted" for s in stack.slack.scheduled))


def test_emails_match_case_insensitively_but_never_through_a_look_alike():
    assert same_email("Ana@Example.com", "ana@example.com")
    assert not same_email("\u212aate@example.com", "kate@example.com")  # the Kelvin sign lower-cases to k
    assert not same_email("ana@example.com", "ana@example.org")


async def test_claims_and_finished_intents_older_than_a_day_are_pruned(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        store = stack.bot.store
        assert store.claim("command:old")
        store.record_intent(Intent("view:old", TEAM, ANA, "", "schedule_form", "{}"))
        store.finish_intent("view:old", "done", "created 1")
        later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        assert store.prune(later) >= 3  # two claims and one intent
        assert store.claim("command:old") and store.intent("view:old") is None


async def test_reconciliation_follows_meetings_cancelled_or_moved_in_webex_outside_slack(tmp_path: Path):
    async with open_stack(tmp_path) as stack:
        await linked(stack, ANA, "ana")
        await command(stack, ANA, "schedule Retro tomorrow at 4pm")
        await command(stack, ANA, "schedule Planning tomorrow at 10am")
        keys = {r.topic: r.meeting_key for r in stack.bot.store.meetings(TEAM)}
        await stack.slack.wait_for(lambda: len([s for s in stack.slack.scheduled if s.state == "pending"]) == 2)
        del stack.webex.state.sessions[keys["Retro"]]  # cancelled in Webex itself
        moved = stack.webex.state.sessions[keys["Planning"]]
        moved.start += timedelta(hours=2)
        changes = await stack.bot.tracker.reconcile()
        assert len(changes) == 2 and any("cancelled in Webex" in c for c in changes)
        assert stack.bot.store.meeting(TEAM, keys["Retro"]).status == "cancelled"
        assert datetime.fromisoformat(stack.bot.store.meeting(TEAM, keys["Planning"]).start) == moved.start
        edits = [c for c in stack.slack.calls_to("chat.update") if "Retro" in str(c.params)]
        assert edits and "Cancelled" in str(edits[-1].params)
        pending = [s for s in stack.slack.scheduled if s.state == "pending"]
        assert [p.text for p in pending] == ["Reminder: Planning"]
        assert pending[0].post_at == int((moved.start - timedelta(minutes=10)).timestamp())
        assert await stack.bot.tracker.reconcile() == []  # the store agrees with Webex now

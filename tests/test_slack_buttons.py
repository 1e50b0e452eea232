"""Start, Cancel and the cancel confirmation: signed block_actions payloads, as Slack sends them."""

from __future__ import annotations

import logging

from commands.numbers import format_number
from tests.conftest import ANA, BEN, BOSS, Stack, linked

TEAM = "T0WEBEX"


async def schedule(stack: Stack, text: str = "Design review tomorrow at 3pm") -> tuple[str, str]:
    await linked(stack, ANA, "ana")
    _, request = await stack.slack.command(stack.url, ANA, f"schedule {text}")
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    record = stack.bot.store.meetings(TEAM)[-1]
    return record.meeting_key, record.card_ts


async def test_start_gives_a_fresh_host_link_to_the_host_alone(stack: Stack, caplog):
    caplog.set_level(logging.DEBUG)
    key, card_ts = await schedule(stack)
    await linked(stack, BEN, "ben")

    _, request = await stack.slack.click(stack.url, BEN, "meeting.card.start", key, message_ts=card_ts)
    refusal = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert refusal.ephemeral and refusal.body["replace_original"] is False
    assert "Only the meeting's host" in refusal.all_text() and "TK=" not in refusal.all_text()
    assert "gethosturlmeeting" not in stack.webex.operations()
    assert stack.bot.store.audit_log(TEAM)[-1]["action"] == "host_link_refused"

    _, request = await stack.slack.click(stack.url, ANA, "meeting.card.start", key, message_ts=card_ts)
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert reply.ephemeral and reply.body["replace_original"] is False
    url = next(
        e["accessory"]["url"]
        for e in reply.body["blocks"]
        if e.get("accessory", {}).get("action_id") == "meeting.host.open"
    )
    ticket = url.split("TK=")[1].split("&")[0]
    assert "WID=ana" in url and ticket

    # Never where anyone else can see it, never stored, never logged.
    assert all(ticket not in m.all_text() for m in stack.slack.messages + stack.slack.ephemerals)
    assert all(ticket not in r.all_text() for r in stack.slack.responses if r is not reply)
    stack.bot.store.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in stack.db_path.parent.glob("webexbot.db*"):
        assert ticket.encode() not in path.read_bytes()
    assert ticket not in "\n".join(r.getMessage() for r in caplog.records)
    assert ticket not in caplog.text

    # The link really starts the meeting as Ana (and only once).
    import httpx

    async with httpx.AsyncClient(follow_redirects=True) as browser:
        assert "You are the host" in (await browser.get(url)).text
    assert stack.webex.state.sessions[key].in_progress


async def test_host_command_is_for_the_host_only(stack: Stack):
    key, _ = await schedule(stack)
    await linked(stack, BEN, "ben")
    _, request = await stack.slack.command(stack.url, BEN, f"start {key}")
    refused = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Only the meeting's host" in refused.all_text() and f"/webex join {format_number(key)}" in refused.all_text()
    _, request = await stack.slack.command(stack.url, ANA, f"host {key}")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert reply.ephemeral and "TK=" in reply.all_text()


async def test_cancel_asks_first_then_cancels_and_updates_the_card(stack: Stack):
    key, card_ts = await schedule(stack)
    _, request = await stack.slack.command(stack.url, ANA, f"cancel {key}")
    question = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "for everyone?" in question.all_text() and "meeting.cancel.confirm" in question.all_text()
    assert "delsession" not in stack.webex.operations()

    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.keep", key, ephemeral=True)
    kept = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert kept.body["replace_original"] is True and "Nothing was cancelled" in kept.all_text()
    assert key in stack.webex.state.sessions

    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
    done = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Cancelled" in done.all_text()
    assert key not in stack.webex.state.sessions
    [card] = [m for m in stack.slack.messages if m.ts == card_ts]
    assert card.edits == 1 and "Cancelled" in card.all_text() and "meeting.card.start" not in card.all_text()
    assert stack.bot.store.meeting(TEAM, key).status == "cancelled"

    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
    again = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "couldn't find that meeting" in again.all_text()


async def test_the_cards_cancel_button_works_for_the_host_and_admins_only(stack: Stack):
    key, card_ts = await schedule(stack)
    await linked(stack, BEN, "ben")
    _, request = await stack.slack.click(stack.url, BEN, "meeting.card.cancel", key, message_ts=card_ts)
    refused = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Only the host" in refused.all_text() and key in stack.webex.state.sessions

    _, request = await stack.slack.click(stack.url, BOSS, "meeting.card.cancel", key, message_ts=card_ts)
    done = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Cancelled" in done.all_text() and key not in stack.webex.state.sessions
    card = next(m for m in stack.slack.messages if m.ts == card_ts)
    assert "Cancelled" in card.all_text()


async def test_a_meeting_in_progress_cannot_be_cancelled(stack: Stack):
    key, _ = await schedule(stack)
    stack.webex.start_session(key)
    _, request = await stack.slack.command(stack.url, ANA, f"cancel {key}")
    refused = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "in progress" in refused.all_text() and key in stack.webex.state.sessions


async def test_link_buttons_are_acknowledged(stack: Stack):
    key, card_ts = await schedule(stack)
    reply, _ = await stack.slack.click(stack.url, BEN, "meeting.card.join", key, message_ts=card_ts)
    assert reply.status_code == 200

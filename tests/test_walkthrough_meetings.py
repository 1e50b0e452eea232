"""What a new user runs into with meetings: the start-now shortcut, live meetings offered only what they
allow, lists that show invitations, rescheduling that confirms. Signed requests against the stand-ins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tests.conftest import ANA, BEN, EVE, Stack, linked, reschedule_from_menu
from tests.test_slack_interactive import last_view, submit

TEAM = "T0WEBEX"


def ephemerals_to(stack: Stack, user: str) -> list[str]:
    return [m.all_text() for m in stack.slack.ephemerals if m.user == user]


def direct_messages(stack: Stack, user: str) -> list[str]:
    return [m.all_text() for m in stack.slack.messages if m.channel == "D" + user[1:]]


async def start_now(stack: Stack, **given: Any) -> None:
    await stack.slack.send_payload(stack.url, stack.slack.shortcut_payload(ANA, "meeting.start_now"))
    view_id, _ = await last_view(stack)
    await submit(stack, ANA, view_id, topic="Incident bridge", **given)


async def test_the_start_now_shortcut_answers_like_webex_now(stack: Stack):
    await linked(stack, ANA, "ana")
    await start_now(stack, invitees=[BEN], conversation="C0OPS")
    receipt = (await stack.slack.wait_for(lambda: ephemerals_to(stack, ANA)))[0]
    assert "is ready. I posted the card. Start it as the host" in receipt and "Start meeting" in receipt
    assert any(m.channel == "C0OPS" and "Incident bridge" in m.all_text() for m in stack.slack.messages)
    await stack.slack.wait_for(lambda: [t for t in direct_messages(stack, BEN) if "invited you" in t])
    assert direct_messages(stack, ANA) == []  # no reminder with Start at the same moment


async def test_the_start_now_shortcut_without_a_conversation_says_so_plainly(stack: Stack):
    await linked(stack, ANA, "ana")
    await start_now(stack)
    told = (await stack.slack.wait_for(lambda: direct_messages(stack, ANA)))[0]
    assert "is ready" in told and "No card was posted" in told and "that conversation" not in told
    assert "meeting.card.start" in told and "TK=" not in told  # Start fetches the host link on click
    assert json.loads(json.dumps(stack.bot.store.meetings(TEAM)[-1].topic)) == "Incident bridge"


async def scheduled(stack: Stack, text: str) -> str:
    _, request = await stack.slack.command(stack.url, ANA, text)
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    return stack.bot.store.meetings(TEAM)[-1].meeting_key


async def command(stack: Stack, user: str, text: str) -> dict[str, Any]:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].body


def actions(message: dict[str, Any]) -> list[str]:
    return [e.get("action_id", "") for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


async def test_a_live_meeting_is_offered_neither_reschedule_nor_cancel(stack: Stack):
    await linked(stack, ANA, "ana")
    key = await scheduled(stack, "schedule Launch tomorrow at 9am")
    stack.webex.start_session(key)

    listed = await command(stack, ANA, "list")
    assert "live now" in json.dumps(listed)
    assert "meeting.card.start" in actions(listed) and "meeting.card.cancel" not in actions(listed)

    await stack.slack.home_opened(stack.url, ANA)
    home = await stack.slack.wait_for(lambda: stack.slack.homes.get(ANA))
    assert json.dumps(home).count("Launch") == 1  # once, not again under "In progress"
    assert "Nothing else is in progress" in json.dumps(home)
    assert "meeting.reschedule" not in actions(home) and "meeting.card.cancel" not in actions(home)

    payload, _ = stack.slack.action_payload(ANA, "meeting.reschedule", key)
    await stack.slack.send_payload(stack.url, payload)
    refusal = await stack.slack.wait_for(lambda: ephemerals_to(stack, ANA))
    assert "in progress, so it can't be moved" in refusal[0] and stack.slack.views == {}


async def test_a_meeting_going_live_while_the_reschedule_form_is_open_is_refused_beside_the_fields(stack: Stack):
    await linked(stack, ANA, "ana")
    key = await scheduled(stack, "schedule Launch tomorrow at 9am")
    await stack.slack.send_payload(stack.url, stack.slack.action_payload(ANA, "meeting.reschedule", key)[0])
    view_id, _ = await last_view(stack)
    stack.bot.store.mark_live(TEAM, key, "2026-01-01T00:00:00+00:00")  # what the poll records when Webex says so
    answer = await submit(stack, ANA, view_id, date="2099-01-02", time="10:00", duration="30")
    assert answer["response_action"] == "errors" and "has started" in answer["errors"]["date"]
    assert "setmeeting" not in stack.webex.operations()


async def test_list_shows_the_meetings_you_are_invited_to(stack: Stack):
    await linked(stack, ANA, "ana")
    await linked(stack, BEN, "ben")
    await scheduled(stack, f"schedule Roadmap tomorrow at 2pm with <@{BEN}>")
    listed = await command(stack, BEN, "list")
    text = json.dumps(listed)
    assert "Roadmap" in text and f"invited by <@{ANA}>" in text
    assert "meeting.card.join" in actions(listed) and "meeting.card.cancel" not in actions(listed)


async def test_rescheduling_from_the_menu_confirms_to_the_host_and_says_from_when(stack: Stack):
    await linked(stack, ANA, "ana")
    key = await scheduled(stack, f"schedule Review tomorrow at 3pm with <@{BEN}>")
    before = stack.bot.store.meeting(TEAM, key).start
    view_id, _ = await reschedule_from_menu(stack, ANA, key)
    await submit(stack, ANA, view_id, date="2099-01-02", time="17:30", duration="30")
    told = await stack.slack.wait_for(lambda: [t for t in ephemerals_to(stack, ANA) if "Moved" in t])
    stamp = str(int(datetime.fromisoformat(before).timestamp()))
    assert stamp in told[0] and "I told 1 invitee" in told[0]
    dm = await stack.slack.wait_for(lambda: [t for t in direct_messages(stack, BEN) if "has moved from" in t])
    assert stamp in dm[0]


async def test_an_unlinked_invitee_still_sees_the_invitations(stack: Stack):
    await linked(stack, ANA, "ana")
    await scheduled(stack, f"schedule Offsite tomorrow at 10am with <@{EVE}>")
    listed = json.dumps(await command(stack, EVE, "list"))
    assert "Offsite" in listed and "invited by" in listed and "to see what you host" in listed
    await stack.slack.home_opened(stack.url, EVE)
    home = await stack.slack.wait_for(lambda: stack.slack.homes.get(EVE))
    assert "Meetings you're invited to" in json.dumps(home) and "Offsite" in json.dumps(home)

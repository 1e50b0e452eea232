"""Clicking instead of typing: modals, shortcuts, the App Home and rescheduling, end to end with signed
payloads (message_action, shortcut, view_submission, block_actions, app_home_opened)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import ANA, BEN, CHEN, EVE, Stack, form_values, last_view, linked, reschedule_from_menu

TEAM = "T0WEBEX"
NEW_YORK = ZoneInfo("America/New_York")


def tomorrow() -> str:
    return (datetime.now(NEW_YORK) + timedelta(days=1)).date().isoformat()


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


async def submit(stack: Stack, user: str, view_id: str, **given: Any) -> Any:
    reply = await stack.slack.send_payload(
        stack.url, stack.slack.submission_payload(user, view_id, form_values(**given))
    )
    assert reply.status_code == 200
    return reply.json() if reply.content else None


async def test_schedule_without_text_opens_the_modal_at_once(stack: Stack):
    await linked(stack, ANA, "ana")
    ack, _ = await stack.slack.command(stack.url, ANA, "schedule")
    assert ack.status_code == 200
    _view_id, view = await last_view(stack)
    assert view["callback_id"] == "schedule.modal.submit"
    assert {"topic", "date", "time", "duration", "kind", "invitees", "agenda", "password", "conversation"} <= {
        b.get("block_id") for b in view["blocks"]
    }
    assert block(view, "conversation")["element"]["initial_conversation"] == "C0GENERAL"
    assert block(view, "time")["element"]["timezone"] == "America/New_York"
    assert stack.webex.received == []


async def test_incomplete_text_opens_the_modal_prefilled(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.command(stack.url, ANA, f"schedule Quarterly planning for 45 min with <@{BEN}>")
    _, view = await last_view(stack)
    assert block(view, "topic")["element"]["initial_value"] == "Quarterly planning"
    assert block(view, "duration")["element"]["initial_option"]["value"] == "45"
    assert block(view, "invitees")["element"]["initial_users"] == [BEN]
    assert "When should it start" in json.dumps(view)


async def test_the_modal_checks_each_field_and_says_so_beside_it(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.command(stack.url, ANA, "schedule")
    view_id, _ = await last_view(stack)
    answer = await submit(stack, ANA, view_id, topic="", date="2020-01-01", time="10:00", duration="30")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"topic", "time"}
    assert "passed" in answer["errors"]["time"]

    await stack.slack.command(stack.url, EVE, "schedule")
    _, eve_view = await last_view(stack, 2)
    assert eve_view["callback_id"] == "link.modal.submit"  # told up front, before filling in the form
    assert "link your Webex account first" in json.dumps(eve_view)
    assert "createmeeting" not in stack.webex.operations()


async def test_a_submitted_modal_creates_the_meeting_posts_the_card_and_invites_once(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.command(stack.url, ANA, "schedule")
    view_id, _ = await last_view(stack)
    values = dict(
        topic="Design <review>",
        date=tomorrow(),
        time="15:30",
        duration="45",
        invitees=[BEN, CHEN],
        agenda="Numbers first",
        password="pw-1234",
        conversation="C0DESIGN",
    )
    assert await submit(stack, ANA, view_id, **values) is None
    assert await submit(stack, ANA, view_id, **values) is None  # the same modal delivered twice

    card = (await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "C0DESIGN"]))[0]
    assert "Design &lt;review&gt;" in card.all_text()
    [create] = [r for r in stack.webex.received if r.operation == "createmeeting"]
    body = create.body
    assert body.text("metaData/confName") == "Design <review>" and body.text("metaData/agenda") == "Numbers first"
    assert body.text("schedule/startDate").endswith("15:30:00") and body.text("schedule/duration") == "45"
    assert body.text("accessControl/meetingPassword") == "pw-1234"
    assert [a.text("person/email") for a in body.find_all("attendee")] == ["ben@example.com", "chen@example.com"]

    def invitations() -> set[str]:
        return {m.channel for m in stack.slack.messages if "invited you" in m.all_text()}

    await stack.slack.wait_for(lambda: len(invitations()) >= 2)  # they follow the card
    assert invitations() == {"D0BEN", "D0CHEN"}
    assert len(stack.bot.store.meetings(TEAM)) == 1


async def test_the_message_shortcut_prefills_from_the_message_and_posts_in_its_thread(stack: Stack):
    await linked(stack, ANA, "ana")
    message = {
        "type": "message",
        "user": BEN,
        "ts": "1700000000.000100",
        "text": f"Can we do a design sync tomorrow at 4pm? <@{CHEN}> should come",
    }
    await stack.slack.send_payload(
        stack.url, stack.slack.shortcut_payload(ANA, "schedule.from_message", message=message)
    )
    view_id, view = await last_view(stack)
    assert block(view, "date")["element"]["initial_date"] == tomorrow()
    assert block(view, "time")["element"]["initial_time"] == "16:00"
    assert block(view, "invitees")["element"]["initial_users"] == [BEN, CHEN]
    assert "design sync" in block(view, "topic")["element"]["initial_value"]
    assert json.loads(view["private_metadata"]) == {"channel": "C0GENERAL", "thread_ts": "1700000000.000100"}

    await submit(
        stack,
        ANA,
        view_id,
        topic="Design sync",
        date=tomorrow(),
        time="16:00",
        duration="30",
        invitees=[BEN, CHEN],
        conversation="C0GENERAL",
    )
    card = (await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.thread_ts]))[0]
    assert card.thread_ts == "1700000000.000100" and card.channel == "C0GENERAL"
    assert "Design sync" in card.all_text()


async def test_the_global_shortcut_starts_a_meeting_now(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.send_payload(stack.url, stack.slack.shortcut_payload(ANA, "meeting.start_now"))
    view_id, view = await last_view(stack)
    assert view["callback_id"] == "start_now.modal.submit"
    await submit(stack, ANA, view_id, topic="Incident bridge", invitees=[BEN], conversation="C0OPS")
    card = (await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "C0OPS"]))[0]
    assert "Incident bridge" in card.all_text()
    [receipt] = await stack.slack.wait_for(lambda: [m for m in stack.slack.ephemerals if m.user == ANA])
    assert receipt.channel == "C0OPS" and "is ready" in receipt.all_text()
    assert "meeting.host.open" in receipt.all_text()  # the host's private Start button, as /webex now gives
    assert not [m for m in stack.slack.messages if m.channel == "D0ANA"]  # no reminder DM beside the Start button
    await stack.slack.wait_for(  # the invitation follows the card and the receipt
        lambda: any(m.channel == "D0BEN" and "invited you" in m.all_text() for m in stack.slack.messages)
    )
    start = stack.bot.store.meetings(TEAM)[-1].start
    assert datetime.fromisoformat(start) - datetime.now(NEW_YORK) < timedelta(minutes=3)


async def test_the_home_tab_shows_the_link_meetings_and_live_sessions(stack: Stack):
    await stack.slack.home_opened(stack.url, BEN)
    home = await stack.slack.wait_for(lambda: stack.slack.homes.get(BEN))
    text = json.dumps(home)
    assert home["type"] == "home" and "home.link.open" in text and "schedule.open" in text
    assert "In progress on Webex now" in text

    await stack.slack.send_payload(stack.url, (stack.slack.action_payload(BEN, "home.link.open", "")[0]))
    view_id, view = await last_view(stack)
    assert view["callback_id"] == "link.modal.submit"
    stack.slack.homes.clear()
    await submit(stack, BEN, view_id, account="ben")
    home = await stack.slack.wait_for(lambda: stack.slack.homes.get(BEN))
    assert "You are `ben` on Webex" in json.dumps(home) and "Linked" in json.dumps(home)
    assert stack.bot.store.link_for(TEAM, BEN).webex_id == "ben"

    await linked(stack, ANA, "ana")
    await stack.slack.home_opened(stack.url, ANA)
    await stack.slack.wait_for(lambda: stack.slack.homes.get(ANA))
    _, request = await stack.slack.command(stack.url, ANA, f"schedule Roadmap tomorrow at 2pm with <@{BEN}>")
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    home = await stack.slack.wait_for(
        lambda: "Roadmap" in json.dumps(stack.slack.homes.get(ANA, {})) and stack.slack.homes[ANA]
    )
    text = json.dumps(home)
    assert "meeting.card.start" in text and "meeting.reschedule" in text and "meeting.card.cancel" in text


async def test_start_from_the_home_tab_opens_a_modal_for_the_host_only(stack: Stack):
    await linked(stack, ANA, "ana")
    _, request = await stack.slack.command(stack.url, ANA, "schedule Roadmap tomorrow at 2pm")
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    key = stack.bot.store.meetings(TEAM)[-1].meeting_key
    payload, _ = stack.slack.action_payload(ANA, "meeting.card.start", key)
    for name in ("response_url", "channel", "message"):
        payload.pop(name)
    payload["container"] = {"type": "view", "view_id": "HU0ANA"}
    await stack.slack.send_payload(stack.url, payload)
    _, view = await last_view(stack)
    assert "TK=" in json.dumps(view) and "Start meeting" in json.dumps(view)


async def test_reschedule_from_the_card_moves_the_meeting_and_edits_the_card(stack: Stack):
    await linked(stack, ANA, "ana")
    _, request = await stack.slack.command(stack.url, ANA, f"schedule Review tomorrow at 3pm with <@{BEN}>")
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    record = stack.bot.store.meetings(TEAM)[-1]
    view_id, view = await reschedule_from_menu(stack, ANA, record.meeting_key, record.card_ts)
    assert view["callback_id"] == "reschedule.modal.submit"
    assert block(view, "time")["element"]["initial_time"] == "15:00"
    assert block(view, "date")["element"]["initial_date"] == tomorrow()

    answer = await submit(stack, ANA, view_id, date="2020-01-01", time="10:00", duration="60")
    assert "passed" in answer["errors"]["time"]
    await submit(stack, ANA, view_id, date=tomorrow(), time="17:30", duration="30")
    card = next(m for m in stack.slack.messages if m.ts == record.card_ts)
    await stack.slack.wait_for(lambda: card.edits >= 1)
    [moved] = [r for r in stack.webex.received if r.operation == "setmeeting"]
    assert moved.body.text("schedule/startDate").endswith("17:30:00") and moved.body.text("schedule/duration") == "30"
    assert stack.bot.store.meeting(TEAM, record.meeting_key).duration_minutes == 30
    await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "D0BEN" and "Moved" in m.text])
    meeting = stack.webex.state.sessions[record.meeting_key]
    assert meeting.start.astimezone(NEW_YORK).strftime("%H:%M") == "17:30"


async def test_only_the_host_can_reschedule(stack: Stack):
    await linked(stack, ANA, "ana")
    await linked(stack, BEN, "ben")
    _, request = await stack.slack.command(stack.url, ANA, "schedule Review tomorrow at 3pm")
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    key = stack.bot.store.meetings(TEAM)[-1].meeting_key
    await stack.slack.send_payload(stack.url, stack.slack.action_payload(BEN, "meeting.reschedule", key)[0])
    refusal = await stack.slack.wait_for(lambda: [m for m in stack.slack.ephemerals if m.user == BEN])
    assert "Only the host" in refusal[0].all_text() and stack.slack.views == {}


async def test_an_expired_trigger_gets_a_clear_message(stack: Stack):
    await linked(stack, ANA, "ana")
    form, request = stack.slack.command_form(ANA, "schedule")
    stack.slack.expired_triggers.add(form["trigger_id"])
    await stack.slack.post_form(stack.url, form)
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "took too long" in reply.all_text()

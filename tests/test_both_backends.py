"""What users see is the same on both Webex backends: every test runs once against the XML API simulator and
once against the REST API simulator, driving the bot over HTTP with signed Slack requests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from commands.numbers import format_number
from sandbox.slack import Message, Response
from storage import MeetingRecord
from tests.conftest import (
    ANA,
    BEN,
    CHEN,
    FakeClock,
    Stack,
    command,
    form_values,
    last_view,
    linked,
    open_stack,
    reschedule_from_menu,
    schedule,
)

TEAM = "T0WEBEX"
TOPIC = 'Design review <&> "Q4" 🎉'
NEW_YORK = ZoneInfo("America/New_York")
START_MARK = {"xml": "TK=", "rest": "/meeting/start/"}  # what only a start (host) link contains
CREATE = {"xml": "createmeeting", "rest": "POST /meetings"}
FAST = {"WEBEXBOT_POLL_SECONDS": "0.05"}


@pytest.fixture(params=["xml", "rest"])
def api(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def stack(api: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(tmp_path, api=api) as opened:
        yield opened


# -- what Webex has, on either simulator ------------------------------------------------------


def webex_topics(stack: Stack) -> list[str]:
    state = stack.webex.state
    with state.lock:
        if stack.api == "rest":
            return [s.title for s in state.series.values()]
        return [s.topic for s in state.sessions.values()]


def creates(stack: Stack) -> int:
    return int(stack.webex.operations().count(CREATE[stack.api]))


def on_webex(stack: Stack, key: str) -> bool:
    state = stack.webex.state
    with state.lock:
        if stack.api == "rest":
            return any(s.meeting_number == key for s in state.series.values())
        return key in state.sessions


def series_id(stack: Stack, key: str) -> str:
    return str(next(s.id for s in stack.webex.state.series.values() if s.meeting_number == key))


def start_on_webex(stack: Stack, key: str) -> None:
    if stack.api == "rest":
        stack.webex.start_meeting(series_id(stack, key))
    else:
        stack.webex.start_session(key)


def end_on_webex(stack: Stack, key: str) -> None:
    if stack.api == "rest":
        stack.webex.end_meeting(series_id(stack, key))
    else:
        stack.webex.end_session(key)


# -- driving Slack ---------------------------------------------------------------------------


def tomorrow() -> str:
    return (datetime.now(NEW_YORK) + timedelta(days=1)).date().isoformat()


async def submit(stack: Stack, user: str, view_id: str, **given: Any) -> Any:
    payload = stack.slack.submission_payload(user, view_id, form_values(**given))
    reply = await stack.slack.send_payload(stack.url, payload)
    assert reply.status_code == 200
    return reply.json() if reply.content else None


def record(stack: Stack, key: str) -> MeetingRecord:
    found = stack.bot.store.meeting(TEAM, key)
    assert found is not None, key
    return found


def card_of(stack: Stack, key: str) -> Message:
    card_ts = record(stack, key).card_ts
    return next(m for m in stack.slack.messages if m.ts == card_ts)


def everything_posted(stack: Stack, *, but: Response | None = None) -> str:
    texts = [m.all_text() for m in stack.slack.messages + stack.slack.ephemerals]
    texts += [r.all_text() for r in stack.slack.responses if r is not but]
    texts += [s.text + json.dumps(s.blocks) for s in stack.slack.scheduled]
    return "\n".join(texts)


def pending(stack: Stack) -> list[Any]:
    return [s for s in stack.slack.scheduled if s.state == "pending"]


# -- /webex commands ---------------------------------------------------------------------------


async def test_schedule_posts_the_card_a_receipt_and_invites(stack: Stack):
    await linked(stack, ANA, "ana")
    receipt = await command(stack, ANA, f"schedule Planning tomorrow at 3pm for 45 min with <@{BEN}|ben>")
    assert receipt.ephemeral and "Scheduled" in receipt.all_text()
    made = stack.bot.store.meetings(TEAM)[0]
    assert webex_topics(stack) == ["Planning"] and on_webex(stack, made.meeting_key)
    assert made.duration_minutes == 45 and made.host_webex_id == {"xml": "ana", "rest": "ana@example.com"}[stack.api]
    [card] = [m for m in stack.slack.messages if m.channel == "C0GENERAL"]
    assert card.ts == made.card_ts and "Planning" in card.all_text() and "meeting.card.start" in card.all_text()
    [invitation] = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "D0BEN"])
    assert "invited you" in invitation.all_text() and "Planning" in invitation.all_text()


async def test_the_topic_reaches_webex_exactly(stack: Stack):
    await linked(stack, ANA, "ana")
    escaped = TOPIC.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # as Slack sends it
    receipt = await command(stack, ANA, f"schedule {escaped} tomorrow at 3pm")
    assert "Scheduled" in receipt.all_text()
    assert webex_topics(stack) == [TOPIC]
    made = stack.bot.store.meetings(TEAM)[0]
    assert made.topic == TOPIC
    card = card_of(stack, made.meeting_key)
    assert "&lt;&amp;&gt;" in card.all_text() and "<&>" not in card.all_text()


async def test_now_gives_the_start_link_to_the_host_alone(stack: Stack):
    await linked(stack, ANA, "ana")
    mark = START_MARK[stack.api]
    _, request = await stack.slack.command(stack.url, ANA, "now")
    [reply] = await stack.slack.wait_for(lambda: [r for r in stack.slack.responses_to(request) if mark in r.all_text()])
    assert reply.ephemeral and "Start meeting" in reply.all_text()
    assert webex_topics(stack) == ["Ana Lima's meeting"]
    assert mark not in everything_posted(stack, but=reply)


async def test_join_gives_a_personal_join_link(stack: Stack):
    key = await schedule(stack)
    reply = await command(stack, BEN, f"join {format_number(key)}")
    assert reply.ephemeral and "Join" in reply.all_text()
    assert START_MARK[stack.api] not in reply.all_text()
    assert stack.webex.url in reply.all_text()


async def test_host_is_for_the_host_only(stack: Stack):
    key = await schedule(stack)
    await linked(stack, BEN, "ben")
    refused = await command(stack, BEN, f"host {key}")
    assert "Only the meeting's host" in refused.all_text()
    assert START_MARK[stack.api] not in everything_posted(stack)
    reply = await command(stack, ANA, f"host {key}")
    assert reply.ephemeral and START_MARK[stack.api] in reply.all_text()


async def test_list_shows_the_callers_meetings(stack: Stack):
    key = await schedule(stack)
    reply = await command(stack, ANA, "list")
    text = reply.all_text()
    assert reply.ephemeral and "Design sync" in text and format_number(key) in text
    assert "meeting.card.start" in text and "meeting.card.cancel" in text


async def test_live_lists_a_meeting_once_it_starts(stack: Stack):
    key = await schedule(stack)
    assert "Nothing is in progress" in (await command(stack, BEN, "live")).all_text()
    start_on_webex(stack, key)
    reply = await command(stack, BEN, "live")
    assert "Design sync" in reply.all_text() and format_number(key) in reply.all_text()
    assert "meeting.card.start" not in reply.all_text()


async def test_cancel_asks_then_the_confirm_button_cancels(stack: Stack):
    key = await schedule(stack)
    question = await command(stack, ANA, f"cancel {key}")
    assert "meeting.cancel.confirm" in question.all_text() and on_webex(stack, key)
    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", key, ephemeral=True)
    done = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Cancelled" in done.all_text() and not on_webex(stack, key)
    assert record(stack, key).status == "cancelled"
    assert "Cancelled" in card_of(stack, key).all_text()


async def test_the_same_request_delivered_twice_makes_one_meeting(stack: Stack):
    await linked(stack, ANA, "ana")
    form, request = stack.slack.command_form(ANA, "schedule Retro tomorrow 4pm")
    first = await stack.slack.post_form(stack.url, form)
    again = await stack.slack.post_form(stack.url, form)
    assert first.status_code == again.status_code == 200
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    assert creates(stack) == 1 and webex_topics(stack) == ["Retro"]
    assert len(stack.bot.store.meetings(TEAM)) == 1


# -- modals, shortcuts, the Home tab -------------------------------------------------------------


async def test_the_schedule_modal_creates_the_meeting_once(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.command(stack.url, ANA, "schedule")
    view_id, _ = await last_view(stack)
    values = dict(
        topic=TOPIC, date=tomorrow(), time="15:30", duration="45", invitees=[BEN, CHEN], conversation="C0DESIGN"
    )
    assert await submit(stack, ANA, view_id, **values) is None
    assert await submit(stack, ANA, view_id, **values) is None  # the same submission delivered twice
    [card] = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "C0DESIGN"])
    assert "&lt;&amp;&gt;" in card.all_text()
    assert webex_topics(stack) == [TOPIC] and creates(stack) == 1
    await stack.slack.wait_for(lambda: {m.channel for m in stack.slack.messages} >= {"D0BEN", "D0CHEN"})
    start = datetime.fromisoformat(stack.bot.store.meetings(TEAM)[0].start).astimezone(NEW_YORK)
    assert start.strftime("%Y-%m-%d %H:%M") == f"{tomorrow()} 15:30"


async def test_the_message_shortcut_schedules_in_the_messages_thread(stack: Stack):
    await linked(stack, ANA, "ana")
    message = {"type": "message", "user": BEN, "ts": "1700000000.000100", "text": "Design sync tomorrow at 4pm?"}
    payload = stack.slack.shortcut_payload(ANA, "schedule.from_message", message=message)
    await stack.slack.send_payload(stack.url, payload)
    view_id, view = await last_view(stack)
    assert "16:00" in json.dumps(view)
    values = dict(topic="Design sync", date=tomorrow(), time="16:00", duration="30", invitees=[BEN])
    await submit(stack, ANA, view_id, **values, conversation="C0GENERAL")
    [card] = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.thread_ts])
    assert card.thread_ts == "1700000000.000100" and "Design sync" in card.all_text()
    assert webex_topics(stack) == ["Design sync"]


async def test_the_global_shortcut_starts_a_meeting_now(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.send_payload(stack.url, stack.slack.shortcut_payload(ANA, "meeting.start_now"))
    view_id, view = await last_view(stack)
    assert view["callback_id"] == "start_now.modal.submit"
    await submit(stack, ANA, view_id, topic="Incident bridge", invitees=[BEN], conversation="C0OPS")
    [card] = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "C0OPS"])
    assert "Incident bridge" in card.all_text() and webex_topics(stack) == ["Incident bridge"]
    [receipt] = await stack.slack.wait_for(lambda: [m for m in stack.slack.ephemerals if m.user == ANA])
    assert "meeting.host.open" in receipt.all_text() and START_MARK[stack.api] in receipt.all_text()
    others = [m.all_text() for m in stack.slack.messages + stack.slack.ephemerals if m is not receipt]
    assert START_MARK[stack.api] not in "\n".join(others)  # the start link reaches its host only
    start = datetime.fromisoformat(stack.bot.store.meetings(TEAM)[-1].start)
    assert abs(start - datetime.now(NEW_YORK)) < timedelta(minutes=3)


async def test_reschedule_through_the_modal_moves_the_meeting_on_webex(stack: Stack):
    key = await schedule(stack, f"Review tomorrow at 3pm with <@{BEN}>")
    card_ts = record(stack, key).card_ts
    view_id, view = await reschedule_from_menu(stack, ANA, key, card_ts)
    assert view["callback_id"] == "reschedule.modal.submit"
    await submit(stack, ANA, view_id, date=tomorrow(), time="17:30", duration="30")
    await stack.slack.wait_for(lambda: card_of(stack, key).edits >= 1)
    moved = await stack.bot.backend.session(key)
    assert moved.start is not None and moved.start.astimezone(NEW_YORK).strftime("%H:%M") == "17:30"
    assert moved.duration_minutes == 30 and record(stack, key).duration_minutes == 30
    await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "D0BEN" and "Moved" in m.text])


async def test_the_home_tab_lists_the_hosts_meetings(stack: Stack):
    await schedule(stack, "Roadmap tomorrow at 2pm")
    await stack.slack.home_opened(stack.url, ANA)
    home = await stack.slack.wait_for(lambda: stack.slack.homes.get(ANA))
    text = json.dumps(home)
    assert home["type"] == "home" and "Roadmap" in text
    assert "meeting.card.start" in text and "meeting.reschedule" in text and "In progress on Webex now" in text
    assert stack.slack.calls_to("views.publish")


# -- following meetings: reminders, live, ended --------------------------------------------------


async def test_reminders_are_held_by_slack_and_delivered_when_due(tmp_path: Path, api: str):
    clock = FakeClock()
    async with open_stack(tmp_path, clock=clock, api=api, **FAST) as stack:
        stack.slack.clock = lambda: clock.now.timestamp()
        key = await schedule(stack, f"Planning tomorrow at 10am with <@{BEN}>")
        held = await stack.slack.wait_for(lambda: len(pending(stack)) == 2 and pending(stack))
        assert sorted(s.channel for s in held) == ["D0ANA", "D0BEN"]
        assert START_MARK[api] not in json.dumps([s.blocks for s in held])
        clock.now = datetime.fromisoformat(record(stack, key).start) - timedelta(minutes=5)
        assert stack.slack.deliver_due() == 2
        posted = sorted(m.channel for m in stack.slack.messages if m.text.startswith("Reminder: Planning"))
        assert posted == ["D0ANA", "D0BEN"]


async def test_the_card_turns_live_then_ended_by_polling(tmp_path: Path, api: str):
    async with open_stack(tmp_path, None, api=api, **FAST) as stack:
        key = await schedule(stack)
        start_on_webex(stack, key)
        await stack.slack.wait_for(lambda: "is live now" in card_of(stack, key).all_text(), timeout=5)
        [notice] = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if "has started" in m.text])
        assert notice.thread_ts == card_of(stack, key).ts
        end_on_webex(stack, key)
        await stack.slack.wait_for(lambda: "has ended" in card_of(stack, key).all_text(), timeout=5)
        assert record(stack, key).status == "ended"

"""Recurring meetings end to end, on both Webex backends: scheduled by text and by the modal, they land in
Webex with their repeat fields, their cards say the rule in words, reminders come before each occurrence,
and cancelling offers the occurrence or the series where the API allows both."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sandbox.slack import Message, Response
from storage import MeetingRecord
from tests.conftest import ANA, BEN, FakeClock, Stack, command, linked, open_stack

TEAM = "T0WEBEX"
RULE = "FREQ=WEEKLY;BYDAY=MO,WE"
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(params=["xml", "rest"])
def api(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def stack(api: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(tmp_path, api=api) as opened:
        yield opened


def record(stack: Stack, key: str) -> MeetingRecord:
    found = stack.bot.store.meeting(TEAM, key)
    assert found is not None, key
    return found


def card_of(stack: Stack, key: str) -> Message | None:
    card_ts = record(stack, key).card_ts
    return next((m for m in stack.slack.messages if card_ts and m.ts == card_ts), None)


def held(stack: Stack) -> list[Any]:
    return [s for s in stack.slack.scheduled if s.state == "pending"]


def webex_repeat(stack: Stack, key: str) -> Any:
    """What Webex holds as the meeting's repeat: the REST series' rule, or the XML meeting's repeat fields."""
    state = stack.webex.state
    with state.lock:
        if stack.api == "rest":
            return next(s.recurrence for s in state.series.values() if s.meeting_number == key)
        return dict(state.sessions[key].repeat)


XML_MO_WE = {"repeatType": "WEEKLY", "interval": 1, "dayInWeek": ["MONDAY", "WEDNESDAY"]}


async def schedule_series(stack: Stack, text: str = "Standup every Monday and Wednesday at 4pm") -> str:
    await linked(stack, ANA, "ana")
    receipt = await command(stack, ANA, f"schedule {text} with <@{BEN}>")
    assert "Scheduled" in receipt.all_text(), receipt.all_text()
    assert "It repeats: Every Monday and Wednesday at 16:00" in receipt.all_text()
    return stack.bot.store.meetings(TEAM)[-1].meeting_key


async def test_a_series_scheduled_by_text_lands_in_webex_with_its_rule_and_its_card_says_it(stack: Stack):
    key = await schedule_series(stack)
    assert webex_repeat(stack, key) == (RULE if stack.api == "rest" else XML_MO_WE)
    assert record(stack, key).recurrence == RULE
    card = await stack.slack.wait_for(lambda: card_of(stack, key))
    assert "*Repeats*" in card.all_text() and "Every Monday and Wednesday at 16:00" in card.all_text()


async def test_a_series_webex_cannot_hold_is_refused_with_the_reason_and_nothing_is_made(stack: Stack):
    await linked(stack, ANA, "ana")
    reply = await command(stack, ANA, "schedule training Onboarding every Monday at 3pm")
    text = reply.all_text()
    assert "Scheduled " not in text and "raining" in text, text
    if stack.api == "xml":  # REST has no training sessions at all
        assert "can't schedule “Every Monday at 15:00” as a Webex series" in text
        assert "not training sessions" in text
        assert "createtrainingsession" not in stack.webex.operations()
    assert stack.bot.store.meetings(TEAM) == []


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button in a message, in accessories and actions blocks alike."""
    found = [b["accessory"] for b in blocks if (b.get("accessory") or {}).get("type") == "button"]
    found += [e for b in blocks if b.get("type") == "actions" for e in b["elements"] if e.get("type") == "button"]
    return found


async def click(stack: Stack, user: str, action: str, value: str, **options: Any) -> Response:
    _, request = await stack.slack.click(stack.url, user, action, value, **options)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]


def occurrences_left(stack: Stack, key: str) -> int:
    from webex.rest_simulator.schedule import occurrences

    with stack.webex.state.lock:
        return len(occurrences(next(s for s in stack.webex.state.series.values() if s.meeting_number == key)))


async def test_cancelling_a_series_offers_its_next_meeting_or_the_whole_series_where_webex_allows(stack: Stack):
    key = await schedule_series(stack, "Standup every Monday and Wednesday at 4pm 6 times")
    question = await click(stack, ANA, "meeting.card.cancel", key)  # the card's Cancel asks first
    offered = {b["text"]["text"]: b["value"] for b in buttons(question.body["blocks"])}
    assert offered.get("Cancel the series") == f"series:{key}" and "Keep it" in offered
    assert "Every Monday and Wednesday at 16:00" in question.all_text()
    if stack.api == "xml":  # DelMeeting deletes the whole series: only that is offered, and the question says so
        assert "Cancel this one" not in offered and "can't cancel one meeting of a series" in question.all_text()
        done = await click(stack, ANA, "meeting.cancel.confirm", offered["Cancel the series"], ephemeral=True)
        assert "Cancelled the series" in done.all_text()
        assert key not in stack.webex.state.sessions and record(stack, key).status == "cancelled"
        return
    first = record(stack, key).start
    assert offered["Cancel this one"].startswith(f"occurrence:{key}@")
    done = await click(stack, ANA, "meeting.cancel.confirm", offered["Cancel this one"], ephemeral=True)
    assert "the rest of the series stays" in done.all_text(), done.all_text()
    assert occurrences_left(stack, key) == 5 and record(stack, key).status == "scheduled"
    notice = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if "Cancelled on one day" in m.text])
    assert notice[0].channel == "D0BEN"
    # the whole series, asked by number this time
    asked = await command(stack, ANA, f"cancel {key}")
    offered = {b["text"]["text"]: b["value"] for b in buttons(asked.body["blocks"])}
    assert offered["Cancel this one"] != f"occurrence:{key}@{first}"  # the next one now
    await click(stack, ANA, "meeting.cancel.confirm", offered["Cancel the series"], ephemeral=True)
    assert not any(s.meeting_number == key for s in stack.webex.state.series.values())
    assert record(stack, key).status == "cancelled"


async def test_a_reminder_comes_before_the_second_meeting_of_a_series(api: str, tmp_path: Path):
    clock = FakeClock()
    async with open_stack(tmp_path, clock=clock, api=api) as stack:
        stack.slack.clock = lambda: clock.now.timestamp()
        key = await schedule_series(stack, "Standup every Monday and Wednesday at 4pm")
        made = record(stack, key)
        first = datetime.fromisoformat(made.start)
        second = first + timedelta(days=2 if first.weekday() == 0 else 5)
        await stack.slack.wait_for(lambda: len(held(stack)) == 2)  # the host's and Ben's, for the first meeting
        assert all(f"<!date^{int(first.timestamp())}^" in json.dumps(s.blocks) for s in held(stack))

        clock.now = first + timedelta(minutes=5)  # the first meeting is on: Slack has posted its reminders
        assert stack.slack.deliver_due() == 2
        await stack.bot.reminders.sync()
        [host, ben] = sorted(held(stack), key=lambda s: s.channel)
        assert (host.channel, ben.channel) == ("D0ANA", "D0BEN")
        assert f"<!date^{int(second.timestamp())}^" in json.dumps(ben.blocks)
        assert "meeting.card.start" in json.dumps(host.blocks) and "meeting.join.open" in json.dumps(ben.blocks)

        clock.now = second - timedelta(minutes=9)
        assert stack.slack.deliver_due() == 2
        posted = [m for m in stack.slack.messages if m.channel == "D0BEN" and m.text.startswith("Reminder:")]
        assert len(posted) == 2 and f"<!date^{int(second.timestamp())}^" in posted[-1].all_text()
        assert len(stack.bot.store.reminders_of(TEAM, key)) == 2  # one per person, for the meeting after that


def select(value: str) -> dict[str, Any]:
    return {"value": {"type": "static_select", "selected_option": {"value": value}}}


async def submit_schedule_modal(stack: Stack, day: str, repeat: str) -> Any:
    await linked(stack, ANA, "ana")
    await stack.slack.command(stack.url, ANA, "schedule")
    await stack.slack.wait_for(lambda: stack.slack.views)
    view_id, view = next(iter(stack.slack.views.items()))
    [choice] = [b for b in view["blocks"] if b.get("block_id") == "repeat"]
    labels = [option["text"]["text"] for option in choice["element"]["options"]]
    assert labels[:2] == ["Does not repeat", "Daily"] and len(labels) == 7
    values = {
        "topic": {"value": {"type": "plain_text_input", "value": "Sprint review"}},
        "date": {"value": {"type": "datepicker", "selected_date": day}},
        "time": {"value": {"type": "timepicker", "selected_time": "10:00"}},
        "duration": select("30"),
        "repeat": select(repeat),
        "conversation": {"value": {"type": "conversations_select", "selected_conversation": "C0GENERAL"}},
    }
    reply = await stack.slack.send_payload(stack.url, stack.slack.submission_payload(ANA, view_id, values))
    assert reply.status_code == 200
    return reply.json() if reply.content else None


async def test_the_schedule_modal_makes_a_series_on_the_meetings_own_day(stack: Stack):
    day = (datetime.now(NEW_YORK) + timedelta(days=3)).date()
    assert await submit_schedule_modal(stack, day.isoformat(), "biweekly") is None
    made = await stack.slack.wait_for(lambda: stack.bot.store.meetings(TEAM))
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
    assert made[0].recurrence == f"FREQ=WEEKLY;INTERVAL=2;BYDAY={code}"
    name = day.strftime("%A").upper()
    xml = {"repeatType": "WEEKLY", "interval": 2, "dayInWeek": [name]}
    expected = made[0].recurrence if stack.api == "rest" else xml
    assert webex_repeat(stack, made[0].meeting_key) == expected
    card = await stack.slack.wait_for(lambda: card_of(stack, made[0].meeting_key))
    assert f"Every other {day:%A} at 10:00" in card.all_text()


async def test_the_modal_refuses_a_series_the_xml_api_cannot_hold_beside_the_repeat_field(tmp_path: Path):
    async with open_stack(tmp_path, api="xml") as stack:
        day = (datetime.now(NEW_YORK) + timedelta(days=3)).date().isoformat()
        await linked(stack, ANA, "ana")
        await stack.slack.command(stack.url, ANA, "schedule")
        await stack.slack.wait_for(lambda: stack.slack.views)
        view_id = next(iter(stack.slack.views))
        values = {
            "topic": {"value": {"type": "plain_text_input", "value": "Course"}},
            "date": {"value": {"type": "datepicker", "selected_date": day}},
            "time": {"value": {"type": "timepicker", "selected_time": "10:00"}},
            "duration": select("30"),
            "repeat": select("weekly"),
            "kind": select("training"),
        }
        reply = await stack.slack.send_payload(stack.url, stack.slack.submission_payload(ANA, view_id, values))
        answer = reply.json()
        assert answer["response_action"] == "errors" and "not training sessions" in answer["errors"]["repeat"]
        assert stack.bot.store.meetings(TEAM) == []


async def test_a_series_waits_for_its_next_meeting_after_one_ends(stack: Stack):
    from tests.test_both_backends import end_on_webex, start_on_webex

    key = await schedule_series(stack)
    start_on_webex(stack, key)
    await stack.bot.tracker.poll_once()
    assert record(stack, key).status == "live"
    end_on_webex(stack, key)
    await stack.bot.tracker.poll_once()
    assert record(stack, key).status == "scheduled"  # not ended: Wednesday's meeting is still to come
    card = await stack.slack.wait_for(lambda: card_of(stack, key))
    assert "Ended" not in card.all_text() and "Every Monday and Wednesday at 16:00" in card.all_text()

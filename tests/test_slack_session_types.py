"""Every kind of Webex session from Slack: training, teleconference-only, events and support sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.conftest import ANA, BEN, Stack, linked
from webex.models import ServiceType
from webex.simulator import SimSession

TEAM = "T0WEBEX"


async def command(stack: Stack, user: str, text: str) -> str:
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()


def site_session(stack: Stack, service: ServiceType, session_type: int, topic: str) -> str:
    state = stack.webex.state
    key = state.new_key()
    state.add_session(
        SimSession(
            key,
            service,
            session_type,
            topic,
            "chen",
            "chen",
            datetime(2030, 1, 1, 9, tzinfo=UTC),
            21,
            60,
            password="sc-pass",
            conf_id=state.new_conf_id(),
        )
    )
    return key


async def test_a_training_session_is_scheduled_with_create_training_session(stack: Stack):
    await linked(stack, ANA, "ana")
    receipt = await command(stack, ANA, f"schedule training Onboarding tomorrow at 10am for 2 hours with <@{BEN}>")
    assert "Scheduled" in receipt
    [create] = [r for r in stack.webex.received if r.operation == "createtrainingsession"]
    assert create.body.text("metaData/confName") == "Onboarding"
    assert create.body.text("schedule/hostWebExID") == "ana" and create.body.text("schedule/duration") == "120"
    assert create.body.text("schedule/timeZoneID") == "11"
    assert create.body.text("attendees/participants/participant/person/email") == "ben@example.com"
    assert "createmeeting" not in stack.webex.operations()
    record = stack.bot.store.meetings(TEAM)[-1]
    assert record.kind == "training" and stack.webex.state.sessions[record.meeting_key].session_type == 11
    card = next(m for m in stack.slack.messages if m.channel == "C0GENERAL")
    assert "Webex training session" in card.all_text() and "meeting.card.start" in card.all_text()


async def test_a_teleconference_card_shows_call_in_details_instead_of_join(stack: Stack):
    await linked(stack, ANA, "ana")
    await command(stack, ANA, "schedule teleconference Board call tomorrow at 4pm for 30 min")
    [create] = [r for r in stack.webex.received if r.operation == "createteleconferencesession"]
    assert create.body.text("metaData/confName") == "Board call" and create.body.text("schedule/duration") == "30"
    card = next(m for m in stack.slack.messages if m.channel == "C0GENERAL")
    text = card.all_text()
    assert "Webex teleconference" in text and "Call-in toll number" in text
    assert "meeting.card.join" not in text and "meeting.card.start" not in text
    key = stack.bot.store.meetings(TEAM)[-1].meeting_key
    joined = await command(stack, BEN, f"join {key}")
    assert "join by phone" in joined and "Call-in toll number" in joined


async def test_live_lists_sessions_of_all_four_service_types(stack: Stack):
    await linked(stack, ANA, "ana")
    await command(stack, ANA, "schedule Sync tomorrow at 9am")
    await command(stack, ANA, "schedule training Course tomorrow at 11am")
    meeting, training = (r.meeting_key for r in stack.bot.store.meetings(TEAM))
    event = site_session(stack, ServiceType.EVENT_CENTER, 9, "Town hall")
    support = site_session(stack, ServiceType.SUPPORT_CENTER, 13, "Printer help")
    for key in (meeting, training, event, support):
        stack.webex.start_session(key)
    text = await command(stack, BEN, "live")
    for topic, kind in (
        ("Sync", "Webex meeting"),
        ("Course", "Webex training session"),
        ("Town hall", "Webex event"),
        ("Printer help", "Webex support session"),
    ):
        assert topic in text and kind in text
    assert f"AT=JE&MK={event}" in text and f"AT=JS&SN={support}" in text
    assert f"AT=JM&MK={training}" in text


async def test_info_works_for_each_type_and_hides_the_password_from_others(stack: Stack):
    await linked(stack, ANA, "ana")
    await command(stack, ANA, "schedule Sync tomorrow at 9am")
    await command(stack, ANA, "schedule training Course tomorrow at 11am")
    await command(stack, ANA, "schedule teleconference Dial-in tomorrow at 1pm")
    meeting, training, teleconference = (r.meeting_key for r in stack.bot.store.meetings(TEAM))
    event = site_session(stack, ServiceType.EVENT_CENTER, 9, "Town hall")
    stack.webex.state.sessions[meeting].password = "m-secret"

    text = await command(stack, ANA, f"info {meeting}")
    assert "Sync" in text and "Webex meeting" in text and "m-secret" in text
    operations = stack.webex.operations()
    assert operations[-2:] == ["getsessioninfo", "getmeeting"]
    assert "m-secret" not in await command(stack, BEN, f"info {meeting}")

    text = await command(stack, BEN, f"info {training}")
    assert "Course" in text and "Webex training session" in text
    assert stack.webex.operations()[-1] == "gettrainingsession"
    text = await command(stack, BEN, f"info {teleconference}")
    assert "Dial-in" in text and "Call-in toll number" in text
    assert stack.webex.operations()[-1] == "getteleconferencesession"
    text = await command(stack, BEN, f"info {event}")
    assert "Town hall" in text and "Webex event" in text and "sc-pass" not in text
    assert "couldn't find that meeting" in await command(stack, BEN, "info 111 222 333")


async def test_start_and_join_work_for_training_sessions(stack: Stack):
    await linked(stack, ANA, "ana")
    await command(stack, ANA, "schedule training Course tomorrow at 11am")
    key = stack.bot.store.meetings(TEAM)[-1].meeting_key
    hosted = await command(stack, ANA, f"host {key}")
    url = hosted.split('"url": "')[1].split('"')[0]
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        assert "has started" in (await browser.get(url)).text
        joined = await command(stack, BEN, f"join {key}")
        join_url = joined.split('"url": "')[1].split('"')[0]
        assert "AT=JM" in join_url and "joined Course" in (await browser.get(join_url)).text


async def test_events_cannot_be_started_from_slack(stack: Stack):
    await linked(stack, ANA, "chen")
    event = site_session(stack, ServiceType.EVENT_CENTER, 9, "Town hall")
    text = await command(stack, ANA, f"host {event}")
    assert "started from Webex itself" in text and "TK=" not in text


async def test_cancel_refuses_a_started_training_session_and_cancels_one_not_started(stack: Stack):
    await linked(stack, ANA, "ana")
    await command(stack, ANA, "schedule training Course tomorrow at 11am")
    await command(stack, ANA, "schedule training Later tomorrow at 3pm")
    started, later = (r.meeting_key for r in stack.bot.store.meetings(TEAM))
    stack.webex.start_session(started)
    stack.webex.end_session(started)  # ended, but a started training session still can't be deleted

    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", started, ephemeral=True)
    refused = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()
    assert "has started" in refused and "can't be deleted" in refused and "060042" not in refused
    assert started in stack.webex.state.sessions

    _, request = await stack.slack.click(stack.url, ANA, "meeting.cancel.confirm", later, ephemeral=True)
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    assert "deltrainingsession" in stack.webex.operations() and later not in stack.webex.state.sessions

"""The /webex command end to end: signed requests to the app over HTTP, the Webex simulator and the
Slack stand-in on real ports."""

from __future__ import annotations

import json
import time

from tests.conftest import ANA, BEN, BOSS, EVE, Stack, linked

TEAM = "T0WEBEX"


async def test_bad_signatures_and_stale_requests_get_401(stack: Stack):
    form, _ = stack.slack.command_form(ANA, "whoami")
    forged = await stack.slack.post_form(stack.url, form, secret="not-the-secret")
    stale = await stack.slack.post_form(stack.url, form, timestamp=int(time.time()) - 6 * 60)
    good = await stack.slack.post_form(stack.url, form)
    assert (forged.status_code, stale.status_code, good.status_code) == (401, 401, 200)


async def test_health_check(stack: Stack):
    import httpx

    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{stack.url}/healthz")).json()["ok"] is True


async def test_help_and_unknown_subcommands_are_answered_in_the_ack(stack: Stack):
    help_reply, _ = await stack.slack.command(stack.url, ANA, "help")
    assert "/webex schedule" in help_reply.json()["text"]
    unknown, _ = await stack.slack.command(stack.url, ANA, "frobnicate now")
    assert "I don't know `frobnicate`" in unknown.json()["text"]
    assert "/webex join" in json.dumps(unknown.json()["blocks"])
    bad_number, _ = await stack.slack.command(stack.url, ANA, "join tomorrow")
    assert "is not a meeting number" in bad_number.json()["text"]
    assert stack.webex.received == []


async def test_link_checks_the_email_on_both_sides(stack: Stack):
    _, request = await stack.slack.command(stack.url, ANA, "link ana")
    reply = await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    assert "Linked: you are `ana`" in reply[0].all_text()
    assert stack.bot.store.link_for(TEAM, ANA).webex_id == "ana"

    _, request = await stack.slack.command(stack.url, EVE, "link ben")
    refused = await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    assert "different email address" in refused[0].all_text()
    assert stack.bot.store.link_for(TEAM, EVE) is None
    assert [e["action"] for e in stack.bot.store.audit_log(TEAM)][-1] == "link_refused"

    _, request = await stack.slack.command(stack.url, ANA, "link ben@example.com")
    refused = await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    assert "different email address" in refused[0].all_text()
    assert stack.bot.store.link_for(TEAM, ANA).webex_id == "ana"


async def test_whoami_and_unlink(stack: Stack):
    await linked(stack, ANA, "ana")
    _, request = await stack.slack.command(stack.url, ANA, "whoami")
    assert "You are `ana`" in (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()
    _, request = await stack.slack.command(stack.url, ANA, "unlink")
    assert "Unlinked" in (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()
    assert stack.bot.store.link_for(TEAM, ANA) is None


async def test_first_use_links_a_user_whose_email_matches_one_host(stack: Stack):
    _, request = await stack.slack.command(stack.url, BEN, "list")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0].all_text()
    assert "I linked you to Webex account `ben`" in reply
    assert stack.bot.store.link_for(TEAM, BEN).verified_by == "auto-email"


async def test_an_unlinked_user_learns_how_to_link(stack: Stack):
    _, request = await stack.slack.command(stack.url, EVE, "schedule Retro tomorrow 3pm")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert reply.ephemeral and "/webex link" in reply.all_text()
    assert "createmeeting" not in stack.webex.operations()


async def test_schedule_creates_the_meeting_posts_the_card_and_invites(stack: Stack):
    await linked(stack, ANA, "ana")
    topic = 'Design <review> & "Q4" 🎉'
    _, request = await stack.slack.command(
        stack.url, ANA, f"schedule {topic} tomorrow at 3pm for 45 min with <@{BEN}|ben>"
    )
    receipt = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert receipt.ephemeral and "Scheduled" in receipt.all_text()

    [create] = [r for r in stack.webex.received if r.operation == "createmeeting"]
    body = create.body
    assert body.text("metaData/confName") == topic
    assert body.text("schedule/hostWebExID") == "ana"
    assert body.text("schedule/timeZoneID") == "11"  # Ana's Slack zone, America/New_York
    assert body.text("schedule/startDate").endswith("15:00:00")
    assert body.text("schedule/duration") == "45"
    assert body.text("participants/attendees/attendee/person/email") == "ben@example.com"

    [card] = [m for m in stack.slack.messages if m.channel == "C0GENERAL"]
    record = next(iter(stack.bot.store.meetings(TEAM)))
    assert record.card_ts == card.ts and record.host_webex_id == "ana" and record.duration_minutes == 45
    assert record.topic == topic
    buttons = [e for b in card.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [
        "meeting.card.join",
        "meeting.card.start",
        "meeting.card.cancel",
        "meeting.card.more",
    ]
    assert buttons[0]["url"].endswith(f"/demo/m.php?AT=JM&MK={record.meeting_key}")
    assert "url" not in buttons[1]  # Start fetches a fresh host link when clicked
    assert "&lt;review&gt; &amp;" in card.all_text() and "<!date^" in card.all_text()
    [invitation] = await stack.slack.wait_for(lambda: [m for m in stack.slack.messages if m.channel == "D0BEN"])
    assert "invited you" in invitation.all_text()


async def test_a_refused_time_creates_nothing_and_says_why_in_a_prefilled_form(stack: Stack):
    await linked(stack, ANA, "ana")
    await stack.slack.command(stack.url, ANA, "schedule Lunch last tuesday")
    [form] = await stack.slack.wait_for(lambda: list(stack.slack.views.values()))
    text = json.dumps(form)
    assert "in the past" in text and "tomorrow at 3pm" in text
    topic = next(b for b in form["blocks"] if b.get("block_id") == "topic")
    assert topic["element"]["initial_value"] == "Lunch"
    assert "createmeeting" not in stack.webex.operations()
    assert stack.bot.store.meetings(TEAM) == []


async def test_a_refused_time_is_explained_when_the_form_cannot_open(stack: Stack):
    await linked(stack, ANA, "ana")
    form, request = stack.slack.command_form(ANA, "schedule Lunch last tuesday")
    stack.slack.expired_triggers.add(form["trigger_id"])
    await stack.slack.post_form(stack.url, form)
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "in the past" in reply.all_text() and "took too long" in reply.all_text()
    assert stack.bot.store.meetings(TEAM) == []


async def test_a_retried_request_creates_one_meeting(stack: Stack):
    await linked(stack, ANA, "ana")
    form, request = stack.slack.command_form(ANA, "schedule Retro tomorrow 4pm")
    first = await stack.slack.post_form(stack.url, form)
    again = await stack.slack.post_form(stack.url, form)
    assert first.status_code == again.status_code == 200
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    assert stack.webex.operations().count("createmeeting") == 1
    assert len(stack.bot.store.meetings(TEAM)) == 1


async def test_now_starts_a_meeting_hosted_by_the_caller(stack: Stack):
    await linked(stack, ANA, "ana")
    _, request = await stack.slack.command(stack.url, ANA, "")
    replies = await stack.slack.wait_for(
        lambda: [r for r in stack.slack.responses_to(request) if "TK=" in r.all_text()]
    )
    assert replies[0].ephemeral and "Start meeting" in replies[0].all_text()
    create = next(r for r in stack.webex.received if r.operation == "createmeeting")
    assert create.body.text("metaData/confName") == "Ana Lima's meeting"
    assert create.body.text("schedule/hostWebExID") == "ana"
    assert all("TK=" not in m.all_text() for m in stack.slack.messages)


async def test_join_gives_the_caller_a_personal_join_button(stack: Stack):
    created = await _scheduled(stack)
    spaced = f"{created[:3]} {created[3:6]}-{created[6:]}"
    _, request = await stack.slack.command(stack.url, BEN, f"join {spaced}")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    asked = [r for r in stack.webex.received if r.operation in ("getsessioninfo", "getjoinurlmeeting")]
    assert [r.operation for r in asked] == ["getsessioninfo"] and asked[0].body.text("sessionKey") == created
    assert reply.ephemeral and f"MK={created}" in reply.all_text() and "AN=Ben%20Okafor" in reply.all_text()


async def test_join_of_an_unknown_meeting_says_so(stack: Stack):
    _, request = await stack.slack.command(stack.url, BEN, "join 111 222 333")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "couldn't find that meeting" in reply.all_text()
    assert "060001" not in reply.all_text()


async def test_list_shows_the_callers_meetings_with_buttons(stack: Stack):
    key = await _scheduled(stack)
    _, request = await stack.slack.command(stack.url, ANA, "list")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    text = reply.all_text()
    assert "Design review" in text and key[:3] in text
    assert "meeting.card.start" in text and "meeting.card.cancel" in text


async def test_live_lists_sessions_in_progress_with_join(stack: Stack):
    key = await _scheduled(stack)
    _, request = await stack.slack.command(stack.url, BEN, "live")
    empty = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Nothing is in progress" in empty.all_text()
    stack.webex.start_session(key)
    _, request = await stack.slack.command(stack.url, BEN, "live")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Design review" in reply.all_text() and f"MK={key}" in reply.all_text()
    assert "meeting.card.start" not in reply.all_text()


async def test_webex_failures_get_plain_words_not_exception_ids(stack: Stack):
    await linked(stack, ANA, "ana")
    stack.webex.faults.fail_next("exception", operation="createmeeting", exception_id="000045")
    _, request = await stack.slack.command(stack.url, ANA, "schedule Retro tomorrow 4pm")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Webex is busy" in reply.all_text() and "000045" not in reply.all_text()
    assert stack.bot.store.meetings(TEAM) == []


async def test_a_create_webex_answered_with_503_is_looked_for_then_sent_once_more(stack: Stack):
    await linked(stack, ANA, "ana")
    stack.webex.faults.fail_next("http_503", operation="createmeeting")
    _, request = await stack.slack.command(stack.url, ANA, "schedule Retro tomorrow 4pm")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert "Scheduled" in reply.all_text()
    assert stack.webex.operations() == ["lstsummarysession", "createmeeting"]  # looked, then sent once more
    retros = [s for s in stack.webex.state.sessions.values() if s.topic == "Retro"]
    assert len(retros) == 1 and len(stack.bot.store.meetings(TEAM)) == 1


async def test_a_write_webex_never_confirms_is_finished_on_a_later_poll(stack: Stack):
    await linked(stack, ANA, "ana")
    stack.webex.faults.fail_next("hang", operation="createmeeting", count=2)
    ack, request = await stack.slack.command(stack.url, ANA, "schedule Retro tomorrow 4pm")
    assert ack.status_code == 200 and ack.content == b""
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request), timeout=4))[0]
    assert "checking whether it went through" in reply.all_text() and "E-" not in reply.all_text()
    assert stack.bot.store.meetings(TEAM) == []
    # the reply goes out before the intent is marked pending (the ack no longer waits on a polling tick)
    await stack.slack.wait_for(lambda: [i for i in stack.bot.store.unfinished_intents() if i.state == "pending"])
    await stack.bot.tracker.poll_once()
    await stack.slack.wait_for(lambda: stack.bot.store.meetings(TEAM), timeout=3)
    card = await stack.slack.wait_for(lambda: stack.slack.calls_to("chat.postMessage"))
    assert "Retro" in str(card[0].params) and len(stack.bot.store.meetings(TEAM)) == 1


async def test_the_card_goes_through_the_response_url_where_the_bot_is_not_a_member(stack: Stack):
    await linked(stack, ANA, "ana")
    stack.slack.closed_channels.add("C0PRIVATE")
    _, request = await stack.slack.command(stack.url, ANA, "schedule Retro tomorrow 4pm", channel="C0PRIVATE")
    replies = await stack.slack.wait_for(
        lambda: len(stack.slack.responses_to(request)) >= 2 and stack.slack.responses_to(request)
    )
    assert [r.ephemeral for r in replies] == [False, True]
    assert "meeting.card.start" in replies[0].all_text()
    assert "not a member of this conversation" in replies[1].all_text()


async def _scheduled(stack: Stack, user: str = ANA) -> str:
    await linked(stack, user, "ana")
    _, request = await stack.slack.command(stack.url, user, "schedule Design review tomorrow at 3pm")
    await stack.slack.wait_for(lambda: stack.slack.responses_to(request))
    return stack.bot.store.meetings(TEAM)[-1].meeting_key


__all__ = ["BOSS"]

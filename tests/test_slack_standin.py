"""The Slack stand-in itself: scheduled messages as Slack checks and delivers them, injected faults, and the
token scopes it reports. Driven over real HTTP with slack_sdk's client, as the bot talks to it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.slack import BOT_SCOPES, FakeSlack
from sandbox.slack_faults import RESPONSE_URL

NOW = 1_900_000_000.0


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    stand_in = FakeSlack(clock=lambda: NOW)
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


def client(slack: FakeSlack, timeout: int = 5) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, timeout=timeout)


async def test_a_scheduled_message_is_listed_then_posted_when_due(slack: FakeSlack):
    web = client(slack)
    answer = await web.chat_scheduleMessage(channel="C0GENERAL", post_at=int(NOW) + 600, text="Reminder: Design")
    assert answer["post_at"] == int(NOW) + 600
    listed = await web.chat_scheduledMessages_list(channel="C0GENERAL")
    assert [m["id"] for m in listed["scheduled_messages"]] == [answer["scheduled_message_id"]]
    assert listed["scheduled_messages"][0]["text"] == "Reminder: Design"
    assert slack.deliver_due(NOW + 599) == 0
    assert slack.messages == []
    assert slack.deliver_due(NOW + 600) == 1
    assert [m.text for m in slack.messages] == ["Reminder: Design"]
    assert slack.scheduled[0].state == "posted" and slack.scheduled[0].posted_ts == slack.messages[0].ts
    assert (await web.chat_scheduledMessages_list())["scheduled_messages"] == []
    assert slack.deliver_due(NOW + 6000) == 0


@pytest.mark.parametrize(("post_at", "error"), [(NOW - 1, "time_in_past"), (NOW + 121 * 86400, "time_too_far")])
async def test_scheduling_refuses_times_slack_refuses(slack: FakeSlack, post_at: float, error: str):
    with pytest.raises(SlackApiError) as refused:
        await client(slack).chat_scheduleMessage(channel="C0GENERAL", post_at=int(post_at), text="x")
    assert refused.value.response["error"] == error
    assert slack.scheduled == []


async def test_a_deleted_or_posted_scheduled_message_cannot_be_deleted(slack: FakeSlack):
    web = client(slack)
    first = await web.chat_scheduleMessage(channel="C0GENERAL", post_at=int(NOW) + 60, text="one")
    second = await web.chat_scheduleMessage(channel="C0GENERAL", post_at=int(NOW) + 120, text="two")
    await web.chat_deleteScheduledMessage(channel="C0GENERAL", scheduled_message_id=first["scheduled_message_id"])
    assert slack.deliver_due(NOW + 200) == 1
    assert [m.text for m in slack.messages] == ["two"]
    for gone in (first["scheduled_message_id"], second["scheduled_message_id"], "Q404"):
        with pytest.raises(SlackApiError) as refused:
            await web.chat_deleteScheduledMessage(channel="C0GENERAL", scheduled_message_id=gone)
        assert refused.value.response["error"] == "invalid_scheduled_message_id"


async def test_the_list_honours_channel_and_time_range(slack: FakeSlack):
    web = client(slack)
    for channel, ahead in (("C0GENERAL", 60), ("C0DESIGN", 120), ("C0GENERAL", 3600)):
        await web.chat_scheduleMessage(channel=channel, post_at=int(NOW) + ahead, text=f"{channel} {ahead}")
    general = await web.chat_scheduledMessages_list(channel="C0GENERAL", latest=str(int(NOW) + 600))
    assert [m["text"] for m in general["scheduled_messages"]] == ["C0GENERAL 60"]
    later = await web.chat_scheduledMessages_list(oldest=str(int(NOW) + 100))
    assert [m["text"] for m in later["scheduled_messages"]] == ["C0DESIGN 120", "C0GENERAL 3600"]


async def test_an_injected_error_is_answered_once_then_the_method_works(slack: FakeSlack):
    slack.fail_next("chat.postMessage", "error", error="channel_not_found")
    web = client(slack)
    with pytest.raises(SlackApiError) as refused:
        await web.chat_postMessage(channel="C0GENERAL", text="first")
    assert refused.value.response["error"] == "channel_not_found"
    await web.chat_postMessage(channel="C0GENERAL", text="second")
    assert [m.text for m in slack.messages] == ["second"]
    assert [c.fault for c in slack.calls_to("chat.postMessage")] == ["error", ""]


async def test_rate_limiting_is_http_429_with_retry_after(slack: FakeSlack):
    slack.fail_next("users.info", "error", count=2, error="ratelimited", retry_after=7)
    async with httpx.AsyncClient() as http:
        for _ in range(2):
            reply = await http.post(slack.api_url + "users.info", data={"token": slack.bot_token, "user": "U1"})
            assert reply.status_code == 429 and reply.headers["Retry-After"] == "7"
            assert reply.json() == {"ok": False, "error": "ratelimited"}
        third = await http.post(slack.api_url + "users.info", data={"token": slack.bot_token, "user": "U1"})
    assert third.status_code == 200 and third.json()["error"] == "user_not_found"


@pytest.mark.parametrize(
    ("kind", "status", "content_type"), [("http_500_text", 500, "text/plain"), ("html", 502, "text/html")]
)
async def test_non_json_faults(slack: FakeSlack, kind: str, status: int, content_type: str):
    slack.fail_next("chat.update", kind)
    async with httpx.AsyncClient() as http:
        reply = await http.post(slack.api_url + "chat.update", data={"token": slack.bot_token})
    assert reply.status_code == status
    assert reply.headers["Content-Type"].startswith(content_type)
    with pytest.raises(ValueError):
        reply.json()


async def test_a_hanging_method_gives_the_client_no_reply(slack: FakeSlack):
    slack.fail_next("chat.postMessage", "hang", seconds=3)
    with pytest.raises(TimeoutError):
        await client(slack, timeout=1).chat_postMessage(channel="C0GENERAL", text="lost")
    assert slack.messages == []


async def test_response_urls_can_fail_too(slack: FakeSlack):
    form, request_id = slack.command_form("U0ANA", "help")
    slack.fail_next(RESPONSE_URL, "error", error="expired_url")
    slack.fail_next(RESPONSE_URL, "html")
    async with httpx.AsyncClient() as http:
        expired = await http.post(form["response_url"], json={"text": "late"})
        broken = await http.post(form["response_url"], json={"text": "again"})
        fine = await http.post(form["response_url"], json={"text": "now"})
    assert (expired.status_code, expired.text) == (404, "expired_url")
    assert broken.status_code == 502
    assert fine.status_code == 200
    assert [r.body["text"] for r in slack.responses_to(request_id)] == ["now"]
    assert [c.fault for c in slack.calls_to(RESPONSE_URL)] == ["error", "html"]


async def test_auth_test_reports_the_manifest_scopes(slack: FakeSlack):
    answer = await client(slack).auth_test()
    assert answer.headers["x-oauth-scopes"].split(",") == list(BOT_SCOPES)
    assert "users:read.email" in BOT_SCOPES


async def test_the_demo_delivers_scheduled_messages_in_real_time():
    slack = FakeSlack()
    await slack.start()
    try:
        task = asyncio.create_task(slack.deliver_scheduled_forever(interval=0.05))
        await client(slack).chat_scheduleMessage(channel="C0GENERAL", post_at=int(time.time()) + 1, text="soon")
        posted = await slack.wait_for(lambda: slack.messages, timeout=3)
        assert posted[0].text == "soon"
        task.cancel()
    finally:
        await slack.stop()


async def test_the_console_refuses_cross_site_posts():
    from sandbox.console import Console

    console = Console()
    url = await console.start()
    body = '{"user": "U0ANA", "channel": "C0GENERAL", "text": "hello"}'
    try:
        async with httpx.AsyncClient() as http:
            as_form = await http.post(
                f"{url}/console/send", content=body, headers={"Origin": url, "Content-Type": "text/plain"}
            )
            elsewhere = await http.post(
                f"{url}/console/send",
                content=body,
                headers={"Origin": "https://evil.example", "Content-Type": "application/json"},
            )
            no_origin = await http.post(
                f"{url}/console/send", content=body, headers={"Content-Type": "application/json"}
            )
            own_page = await http.post(
                f"{url}/console/send", content=body, headers={"Origin": url, "Content-Type": "application/json"}
            )
        assert (as_form.status_code, elsewhere.status_code, no_origin.status_code) == (415, 403, 403)
        assert own_page.status_code == 200
        assert [m.text for m in console.messages] == ["hello"]
    finally:
        await console.stop()

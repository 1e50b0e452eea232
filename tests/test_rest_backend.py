"""The meetings backend on the Webex REST API, against the REST simulator over HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web

from commands.backend import BackendError, NewSession, Problem
from commands.errors import UsageError
from webex.rest import (
    MemoryTokenKeeper,
    RefreshCredentials,
    RestBackend,
    RestClient,
    TokenPair,
    Tokens,
    parse_event,
    verify,
)
from webex.rest.doctor import rest_checks
from webex.rest.rules import integration_tag
from webex.rest.webhooks import signature
from webex.rest_simulator import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    FaultKind,
    RestSimulator,
    rest_demo_site,
)

ANA, BEN = "ana@example.com", "ben@example.com"
TOPIC = 'Design review <&> "Q4" 🎉'
SAO_PAULO = "America/Sao_Paulo"


@pytest.fixture
def sim() -> Iterator[RestSimulator]:
    simulator = RestSimulator(rest_demo_site(), hang_seconds=3)
    simulator.start_in_thread()
    yield simulator
    simulator.stop_thread()


@pytest.fixture
def outcomes() -> list[Problem | None]:
    return []


@pytest.fixture
async def backend(sim: RestSimulator, outcomes: list[Problem | None]) -> AsyncIterator[RestBackend]:
    tokens = Tokens(
        TokenPair(DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN),
        refresh=RefreshCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
        keeper=MemoryTokenKeeper(),
    )
    async with RestClient(sim.url + "/v1", tokens, backoff_s=0.01) as client:
        yield RestBackend(client, call_timeout=1.0, on_outcome=outcomes.append)


def at(days: int = 2, hour: int = 15) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def new(topic: str = TOPIC, *, start: datetime | None = None, minutes: int = 45, **extra: object) -> NewSession:
    fields: dict[str, object] = {"host_webex_id": ANA, "time_zone": SAO_PAULO, "request_id": "req-1", **extra}
    return NewSession(topic, start or at(), minutes, **fields)  # type: ignore[arg-type]


def posted(sim: RestSimulator, operation: str = "POST /meetings") -> list[dict[str, object]]:
    return [r.json for r in sim.received if r.operation == operation]


# -- creating ---------------------------------------------------------------------------------


async def test_the_topic_reaches_webex_exactly(backend, sim):
    created = await backend.create(new())
    assert posted(sim)[0]["title"] == TOPIC
    assert created.topic == TOPIC
    assert (await backend.session(created.key)).topic == TOPIC
    series = next(iter(sim.state.series.values()))
    assert series.title == TOPIC


async def test_create_sends_what_the_spec_asks_in_the_hosts_zone(backend, sim):
    start = at()
    created = await backend.create(
        new(
            start=start,
            invitee_emails=(("Ben Okafor", BEN),),
            agenda="Numbers",
            password="Secr3t77",
            recurrence="FREQ=WEEKLY;INTERVAL=1;COUNT=4",
        )
    )
    body = posted(sim)[0]
    local = start.astimezone(ZoneInfo(SAO_PAULO))
    assert body["start"] == local.isoformat(timespec="seconds")
    assert body["end"] == (local + timedelta(minutes=45)).isoformat(timespec="seconds")
    assert body["timezone"] == SAO_PAULO
    assert body["hostEmail"] == ANA
    assert body["invitees"] == [{"email": BEN, "displayName": "Ben Okafor"}]
    assert body["integrationTags"] == [integration_tag("req-1")]
    assert body["recurrence"] == "FREQ=WEEKLY;INTERVAL=1;COUNT=4"
    assert body["agenda"] == "Numbers" and body["password"] == "Secr3t77"
    assert created.key.isdigit() and created.host_webex_id == ANA
    assert created.start == start and created.duration_minutes == 45
    assert created.join_url and backend.public_join_link(created.key) == created.join_url
    details = await backend.details(created.key)
    assert details.agenda == "Numbers" and details.password == "Secr3t77" and details.host_email == ANA
    assert details.session.recurrence == "FREQ=WEEKLY;INTERVAL=1;COUNT=4"


async def test_a_long_request_id_becomes_a_tag_within_the_spec_limit(backend, sim):
    request_id = "T0ABC-" + "x" * 120
    created = await backend.create(new(request_id=request_id))
    tags = posted(sim)[0]["integrationTags"]
    assert isinstance(tags, list) and len(tags) == 1 and len(tags[0]) <= 64
    found = await backend.find_created(new(request_id=request_id))
    assert found is not None and found.key == created.key


@pytest.mark.parametrize(
    ("session", "words"),
    [
        (new("x" * 129), "at most 128"),
        (new(agenda="a" * 1301), "at most 1300"),
        (new(minutes=9), "at least 10 minutes"),
        (new(minutes=24 * 60), "23 hours 59 minutes"),
        (new(start=datetime.now(UTC) - timedelta(hours=1)), "has passed"),
        (new(kind="training"), "not available on the Webex REST API"),
        (new(kind="teleconference"), "not available on the Webex REST API"),
    ],
)
async def test_what_the_api_refuses_is_refused_in_plain_words_before_sending(backend, sim, session, words):
    with pytest.raises(UsageError, match=words):
        await backend.create(session)
    assert "POST /meetings" not in sim.operations()


async def test_a_meeting_starting_now_is_sent_on_the_next_whole_minute(backend, sim):
    now = datetime.now(UTC)
    created = await backend.create(new(start=now - timedelta(seconds=5), minutes=15))
    assert created.start is not None and now <= created.start <= now + timedelta(minutes=1)
    assert created.start.second == 0


@pytest.mark.parametrize("fault", [FaultKind.APPLIED_500, FaultKind.APPLIED_GARBAGE, FaultKind.APPLIED_DROP])
async def test_a_create_that_fails_after_applying_may_have_happened_and_is_found(backend, sim, fault):
    sim.faults.fail_next(fault, operation="POST /meetings")
    with pytest.raises(BackendError) as failed:
        await backend.create(new())
    assert failed.value.maybe_applied
    assert sim.operations().count("POST /meetings") == 1
    found = await backend.find_created(new())
    assert found is not None and found.topic == TOPIC
    assert found.key == next(iter(sim.state.series.values())).meeting_number


async def test_a_create_that_times_out_may_have_happened(backend, sim):
    sim.faults.fail_next(FaultKind.APPLIED_HANG, operation="POST /meetings")
    with pytest.raises(BackendError) as failed:
        await backend.create(new())
    assert failed.value.problem is Problem.TIMEOUT and failed.value.maybe_applied
    assert await backend.find_created(new()) is not None


async def test_find_created_is_none_when_webex_has_no_such_meeting(backend, sim):
    await backend.create(new(request_id="another-request"))
    assert await backend.find_created(new(request_id="req-1")) is None


async def test_429_on_create_waits_and_makes_exactly_one_meeting(backend, sim):
    sim.faults.fail_next(FaultKind.HTTP_429, operation="POST /meetings", retry_after=1)
    await backend.create(new())
    assert len(sim.state.series) == 1


# -- one meeting --------------------------------------------------------------------------------


async def test_a_number_not_in_the_cache_is_looked_up(backend, sim):
    created = await backend.create(new())
    async with RestClient(sim.url + "/v1", Tokens(TokenPair(DEMO_ACCESS_TOKEN))) as client:
        fresh = RestBackend(client, host_of={created.key: ANA}.get)
        assert fresh.public_join_link(created.key) == ""
        assert (await fresh.session(created.key)).topic == TOPIC
        assert fresh.public_join_link(created.key) == created.join_url
    lookup = [r for r in sim.received if r.operation == "GET /meetings"][-1]
    assert lookup.query["meetingNumber"] == created.key


async def test_an_unknown_number_is_not_found(backend, sim, outcomes):
    with pytest.raises(BackendError) as failed:
        await backend.session("123456789")
    assert failed.value.problem is Problem.NOT_FOUND
    with pytest.raises(BackendError):
        await backend.session("not-a-number")
    assert outcomes == [None]  # not found is not a site problem


async def test_join_link_is_made_for_the_attendee(backend, sim):
    created = await backend.create(new())
    link = await backend.join_link(created.key, kind="meeting", name="Ben Okafor", email=BEN)
    sent = posted(sim, "POST /meetings/join")[0]
    assert sent["joinDirectly"] is False
    assert sent["email"] == BEN and sent["displayName"] == "Ben Okafor" and sent["hostEmail"] == ANA
    assert link.startswith(sim.url) and link != created.join_url
    assert await backend.join_link(created.key, kind="meeting", name="Guest", email=None) == created.join_url


async def test_the_start_link_starts_the_meeting_and_is_never_logged(backend, sim, caplog):
    caplog.set_level(logging.DEBUG)
    created = await backend.create(new(start=datetime.now(UTC), minutes=30))
    link = await backend.host_link(created.key)
    assert link.startswith(sim.url)
    async with aiohttp.ClientSession() as browser, browser.get(link) as page:  # aiohttp logs no URLs
        assert page.status == 200
    live = await backend.live()
    assert [s.key for s in live] == [created.key] and live[0].in_progress
    assert (await backend.session(created.key)).in_progress
    assert link not in caplog.text
    assert all(link not in str(r.args) and link not in r.getMessage() for r in caplog.records)


async def test_cancel_deletes_and_a_live_meeting_is_in_progress(backend, sim):
    first = await backend.create(new("First"))
    await backend.cancel(first.key, "meeting")
    assert not sim.state.series
    delete = next(r for r in sim.received if r.operation == "DELETE /meetings/{id}")
    assert delete.query["hostEmail"] == ANA
    second = await backend.create(new("Second", start=datetime.now(UTC), request_id="req-2"))
    sim.start_meeting(next(iter(sim.state.series)))
    with pytest.raises(BackendError) as failed:
        await backend.cancel(second.key, "meeting")
    assert failed.value.problem is Problem.IN_PROGRESS and not failed.value.maybe_applied


async def test_reschedule_patches_start_end_and_zone(backend, sim):
    created = await backend.create(new())
    later = at(days=3, hour=18)
    await backend.reschedule(created.key, later, 60, "Europe/London")
    patch = posted(sim, "PATCH /meetings/{id}")[0]
    assert patch["timezone"] == "Europe/London" and patch["hostEmail"] == ANA
    assert datetime.fromisoformat(str(patch["start"])) == later
    moved = await backend.session(created.key)
    assert moved.start == later and moved.duration_minutes == 60
    with pytest.raises(UsageError):
        await backend.reschedule(created.key, later, 5, "Europe/London")


# -- lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_limit", [100, 7])
async def test_upcoming_over_more_than_100_meetings_shows_each_exactly_once(backend, sim, page_limit):
    start = at(days=1, hour=0)
    await asyncio.gather(
        *(
            backend.create(new(f"M{i:03}", start=start + timedelta(minutes=30 * i), request_id=f"r{i}"))
            for i in range(105)
        )
    )
    await backend.create(new("Ben's", host_webex_id=BEN, request_id="ben"))
    sim.page_limit = page_limit
    sessions = await backend.upcoming(ANA, start - timedelta(hours=1), start + timedelta(days=4))
    assert sorted(s.topic for s in sessions) == [f"M{i:03}" for i in range(105)]
    assert len({s.key for s in sessions}) == 105
    pages = [r for r in sim.received if r.operation == "GET /meetings"]
    assert len(pages) == -(-105 // page_limit)
    assert all(r.query["meetingType"] == "scheduledMeeting" and r.query["hostEmail"] == ANA for r in pages[:1])


async def test_accounts_are_found_by_email(backend, sim):
    account = await backend.find_account("Ana@Example.com")
    assert account is not None and account.webex_id == ANA and account.name == "Ana Lima"
    assert await backend.find_account("ana") is None
    assert await backend.accounts_with_email("nobody@example.com") == []


async def test_site_problems_reach_the_health_reporter(backend, sim, outcomes):
    sim.faults.fail_next(FaultKind.HTTP_503, count=3, operation="GET /meetings")
    with pytest.raises(BackendError) as failed:
        await backend.live()
    assert failed.value.problem is Problem.UNAVAILABLE
    assert outcomes == [Problem.UNAVAILABLE]
    assert "trackingId" in failed.value.detail


# -- webhooks -----------------------------------------------------------------------------------


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[tuple[bytes, str]]]]:
    got: list[tuple[bytes, str]] = []

    async def hook(request: web.Request) -> web.Response:
        got.append((await request.read(), request.headers.get("X-Spark-Signature", "")))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/webex/events", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/webex/events", got
    await runner.cleanup()


async def test_webhooks_are_registered_once_and_deliveries_verify(backend, sim, receiver):
    target, got = receiver
    first = await backend.ensure_webhooks(target, "s3cret")
    again = await backend.ensure_webhooks(target, "s3cret")
    assert sorted(w.event for w in first) == ["ended", "started"]
    assert {w.id for w in again} == {w.id for w in first}
    assert len(sim.state.webhooks) == 2
    created = await backend.create(new(start=datetime.now(UTC), minutes=30))
    sim.start_meeting(next(iter(sim.state.series)))
    for _ in range(100):
        if got:
            break
        await asyncio.sleep(0.02)
    raw, signed = got[0]
    assert verify(raw, signed, "s3cret")
    assert not verify(raw, signed, "other") and not verify(raw + b" ", signed, "s3cret")
    assert not verify(raw, None, "s3cret")
    event = parse_event(raw)
    assert event is not None and event.event == "started" and event.meeting_number == created.key


def test_signature_and_payload_reading():
    body = json.dumps({"resource": "meetings", "event": "ended", "data": {"id": "abc_1", "meetingSeriesId": "abc"}})
    raw = body.encode()
    assert verify(raw, signature(raw, "k").upper(), "k")
    event = parse_event(raw)
    assert event is not None and (event.event, event.meeting_id, event.series_id) == ("ended", "abc_1", "abc")
    assert parse_event(b"not json") is None
    assert parse_event(json.dumps({"resource": "messages", "event": "created", "data": {}}).encode()) is None


# -- doctor -------------------------------------------------------------------------------------


async def test_doctor_reports_each_check(backend, sim, receiver):
    target, _ = receiver
    checks = await rest_checks(backend.client, host_email=ANA, public_url=target)
    assert [(c.name, c.ok) for c in checks] == [
        ("Webex REST token", True),
        ("Webex acts for hosts", True),
        ("Webex token renewal", True),
        ("Webex webhooks", False),
    ]
    assert "Fix:" in checks[3].detail
    await backend.ensure_webhooks(target, "s3cret")
    sim.expire_tokens()
    checks = await rest_checks(backend.client, host_email="nobody@example.com", public_url=target)
    assert [(c.name, c.ok) for c in checks] == [
        ("Webex REST token", True),
        ("Webex acts for hosts", False),
        ("Webex token renewal", True),
        ("Webex webhooks", True),
    ]

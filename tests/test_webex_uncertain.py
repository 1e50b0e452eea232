"""Writes whose outcome is unknown: the client says whether Webex may have acted, and the backend
finds what a create made (or tells that a delete happened) instead of making a duplicate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from httpx_aiohttp import AiohttpTransport

from commands.backend import BackendError, NewSession, Problem
from webex import (
    SecurityContext,
    WebexClient,
    WebexHTTPError,
    WebexParseError,
    WebexServiceError,
    WebexTimeout,
    WebexTransportError,
)
from webex.backend import XmlApiBackend
from webex.models import NewMeeting
from webex.simulator import FaultKind, WebexSimulator
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

START = datetime(2030, 3, 4, 15, 30, tzinfo=UTC)
EMPTY_SUCCESS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<serv:message xmlns:serv="http://www.webex.com/schemas/2002/06/service"><serv:header><serv:response>'
    b"<serv:result>SUCCESS</serv:result></serv:response></serv:header>"
    b"<serv:body><serv:bodyContent/></serv:body></serv:message>"
)


@pytest.fixture
async def backend(admin: WebexClient) -> AsyncIterator[XmlApiBackend]:
    yield XmlApiBackend(admin, site_name="demo", call_timeout=0.5)


def new_session(topic: str = "Budget review", kind: str = "meeting", start: datetime = START) -> NewSession:
    return NewSession(topic, start, 45, "ana", "America/New_York", kind=kind, request_id="req-1")


def created_keys(simulator: WebexSimulator) -> list[str]:
    return list(simulator.state.sessions)


# -- the client: may the request have reached Webex? -------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error_type", "message"),
    [
        (FaultKind.APPLY_THEN_DROP, WebexTransportError, "ServerDisconnectedError"),
        (FaultKind.APPLY_THEN_RESET, WebexTransportError, "ClientOSError"),
        (FaultKind.APPLY_THEN_500, WebexHTTPError, "HTTP 500"),
        (FaultKind.APPLY_THEN_GARBAGE, WebexParseError, "unusable reply"),
        (FaultKind.APPLY_THEN_HANG, WebexTimeout, "no reply in time"),  # aiohttp SocketTimeoutError
    ],
)
async def test_a_write_carried_out_then_answered_badly_may_have_been_applied(
    admin, simulator, fault, error_type, message
):
    simulator.faults.fail_next(fault, operation="createmeeting")
    with pytest.raises(error_type, match=message) as failed:
        await admin.with_timeout(0.3).create_meeting(NewMeeting("Lost reply", START, 30, "ana"))
    assert failed.value.maybe_applied
    assert isinstance(failed.value, WebexTimeout) is (fault is FaultKind.APPLY_THEN_HANG)
    assert [s.topic for s in simulator.state.sessions.values()] == ["Lost reply"]
    assert simulator.operations() == ["createmeeting"]  # sent once, never retried


async def test_a_reply_held_back_after_the_change_is_a_timeout_that_may_have_been_applied(admin, simulator):
    simulator.faults.reply_latency_ms = 600
    with pytest.raises(WebexTimeout) as failed:
        await admin.with_timeout(0.2).create_meeting(NewMeeting("Slow reply", START, 30, "ana"))
    assert failed.value.request_sent and failed.value.maybe_applied
    assert [s.topic for s in simulator.state.sessions.values()] == ["Slow reply"]


async def test_a_refused_connection_was_not_sent_and_is_no_timeout(simulator):
    url = simulator.url
    simulator.stop_thread()
    async with WebexClient(url, SecurityContext("x", "y"), backoff_s=0.01) as client:
        with pytest.raises(WebexTransportError) as failed:
            await client.create_meeting(NewMeeting("Never sent", START, 30, "ana"))
    assert not isinstance(failed.value, WebexTimeout)
    assert not failed.value.request_sent and not failed.value.maybe_applied


async def test_waiting_too_long_for_a_connection_is_a_timeout_before_sending(simulator):
    pool = httpx.AsyncClient(transport=AiohttpTransport(limits=httpx.Limits(max_connections=1)))
    security = SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo")
    client = WebexClient(simulator.url, security, http=pool, read_retries=0)
    simulator.faults.fail_next(FaultKind.HANG, operation="getuser")
    holder = asyncio.create_task(client.with_timeout(4).get_user("ana"))
    for _ in range(300):  # until the simulator has taken the hang: the one connection is busy
        if not simulator.faults.queue:
            break
        await asyncio.sleep(0.01)
    with pytest.raises(WebexTimeout) as failed:
        await client.with_timeout(0.2).create_meeting(NewMeeting("Queued", START, 30, "ana"))
    holder.cancel()
    await asyncio.gather(holder, return_exceptions=True)
    await pool.aclose()
    assert not failed.value.request_sent and not failed.value.maybe_applied
    assert simulator.state.sessions == {}


async def test_a_service_failure_to_a_write_was_not_applied(admin, simulator):
    simulator.faults.fail_next(FaultKind.EXCEPTION, operation="createmeeting", exception_id="999999")
    with pytest.raises(WebexServiceError) as failed:
        await admin.create_meeting(NewMeeting("Refused", START, 30, "ana"))
    assert not failed.value.maybe_applied


@pytest.mark.parametrize("operation", ["createmeeting", "createtrainingsession", "createteleconferencesession"])
async def test_a_create_answered_success_without_a_key_is_a_parse_error_that_may_have_been_applied(
    backend, simulator, operation
):
    simulator.faults.fail_next(FaultKind.RAW, operation=operation, body=EMPTY_SUCCESS)
    kind = {"createmeeting": "meeting", "createtrainingsession": "training"}.get(operation, "teleconference")
    with pytest.raises(BackendError) as failed:
        await backend.create(new_session(kind=kind))
    assert failed.value.maybe_applied
    assert isinstance(failed.value.__cause__, WebexParseError)
    assert "without a session key" in str(failed.value)


# -- the backend: look before retrying --------------------------------------------------------


@pytest.mark.parametrize("kind", ["meeting", "training", "teleconference"])
async def test_a_create_whose_reply_was_lost_is_found_and_not_made_twice(backend, simulator, kind):
    operation = {"meeting": "createmeeting", "training": "createtrainingsession"}.get(
        kind, "createteleconferencesession"
    )
    simulator.faults.fail_next(FaultKind.APPLY_THEN_500, operation=operation)
    wanted = new_session(kind=kind)
    with pytest.raises(BackendError) as failed:
        await backend.create(wanted)
    assert failed.value.maybe_applied and failed.value.problem is Problem.UNAVAILABLE
    [key] = created_keys(simulator)

    found = await backend.find_created(wanted)
    assert found is not None
    assert (found.key, found.topic, found.kind, found.start) == (key, wanted.topic, kind, START)
    assert created_keys(simulator) == [key]
    assert ("m.php?AT=JM&MK=" in found.join_url) is (kind != "teleconference")


async def test_a_create_that_failed_before_webex_acted_finds_nothing(backend, simulator):
    simulator.faults.fail_next(FaultKind.HTTP_503, operation="createmeeting")
    wanted = new_session()
    with pytest.raises(BackendError) as failed:
        await backend.create(wanted)
    assert failed.value.maybe_applied  # a 5xx could have come after the work: look
    assert await backend.find_created(wanted) is None
    created = await backend.create(wanted)  # so the retry is safe
    assert created_keys(simulator) == [created.key]


async def test_find_created_matches_topic_start_and_kind_exactly(backend, simulator):
    await backend.create(new_session("Budget review (draft)"))
    await backend.create(new_session("Budget review", start=START + timedelta(minutes=1)))
    await backend.create(new_session("Budget review", kind="training"))
    assert await backend.find_created(new_session("Budget review")) is None
    made = await backend.create(new_session("Budget review"))
    found = await backend.find_created(new_session("Budget review"))
    assert found is not None and found.key == made.key


async def test_find_created_reads_retry(backend, simulator):
    made = await backend.create(new_session())
    simulator.faults.fail_next(FaultKind.APPLY_THEN_DROP, operation="lstsummarysession")
    simulator.faults.fail_next(FaultKind.HTTP_503, operation="lstsummarysession")
    found = await backend.find_created(new_session())
    assert found is not None and found.key == made.key
    assert simulator.operations().count("lstsummarysession") == 2  # the 503 never reached the handler
    assert not simulator.faults.queue


async def test_find_created_asks_for_the_hosts_sessions_around_the_start(backend, simulator):
    await backend.find_created(new_session())
    request = simulator.received[-1]
    assert request.operation == "lstsummarysession"
    assert request.body.text("hostWebExID") == "ana"
    scope = request.body.child("dateScope")
    assert scope is not None and scope.text("startDateStart") and scope.text("startDateEnd")


async def test_a_cancel_whose_reply_was_lost_can_be_checked(backend, simulator):
    made = await backend.create(new_session())
    simulator.faults.fail_next(FaultKind.APPLY_THEN_500, operation="delmeeting")
    with pytest.raises(BackendError) as failed:
        await backend.cancel(made.key, "meeting")
    assert failed.value.maybe_applied
    with pytest.raises(BackendError) as gone:
        await backend.session(made.key)
    assert gone.value.problem is Problem.NOT_FOUND


async def test_a_cancel_refused_by_webex_was_not_applied(backend, simulator):
    made = await backend.create(new_session())
    simulator.start_session(made.key)
    with pytest.raises(BackendError) as failed:
        await backend.cancel(made.key, "meeting")
    assert failed.value.problem is Problem.IN_PROGRESS and not failed.value.maybe_applied
    assert (await backend.session(made.key)).in_progress


async def test_the_backend_names_its_api_kinds_and_join_links(backend, simulator):
    assert backend.name == "XML API"
    assert backend.kinds == ("meeting", "training", "teleconference")
    meeting = await backend.create(new_session())
    call = await backend.create(new_session("Dial in", kind="teleconference"))
    assert meeting.join_url == backend.public_join_link(meeting.key, "meeting")
    assert (await backend.session(meeting.key)).join_url == meeting.join_url
    assert call.join_url == "" and (await backend.session(call.key)).join_url == ""
    listed = await backend.upcoming("ana", START - timedelta(hours=1), START + timedelta(hours=1))
    assert [s.join_url for s in listed if s.key == meeting.key] == [meeting.join_url]


async def test_a_series_it_cannot_hold_is_refused_rather_than_made_a_one_off(backend, simulator):
    weekly = NewSession("Standup", START, 15, "ana", "UTC", kind="training", recurrence="FREQ=WEEKLY;COUNT=4")
    with pytest.raises(BackendError) as failed:
        await backend.create(weekly)
    assert failed.value.problem is Problem.INVALID_INPUT and not failed.value.maybe_applied
    assert simulator.received == []

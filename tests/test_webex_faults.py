from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import UTC, datetime

import pytest

from webex import (
    ErrorKind,
    SecurityContext,
    WebexClient,
    WebexHTTPError,
    WebexParseError,
    WebexServiceError,
    WebexTimeout,
    WebexTransportError,
    collect,
)
from webex.errors import EXCEPTION_KINDS, kind_of
from webex.models import NewMeeting
from webex.simulator import FaultKind, bulk_meetings
from webex.transport import MAX_REPLY_BYTES

START = datetime(2030, 1, 1, 10, tzinfo=UTC)


async def test_reads_retry_5xx_and_succeed(admin, simulator):
    simulator.faults.fail_next(FaultKind.HTTP_503, operation="getuser")
    simulator.faults.fail_next(FaultKind.HTTP_500, operation="getuser")
    assert (await admin.get_user("ana")).webex_id == "ana"
    assert simulator.operations() == ["getuser"]  # the two failures never reached the handler


async def test_reads_give_up_after_bounded_retries(admin, simulator):
    simulator.faults.fail_next(FaultKind.HTTP_503, count=10)
    with pytest.raises(WebexHTTPError) as failed:
        await admin.get_user("ana")
    assert failed.value.status_code == 503
    assert len(simulator.faults.queue) == 10 - (1 + admin.read_retries)


async def test_writes_are_never_retried(admin, simulator):
    simulator.faults.fail_next(FaultKind.HTTP_503, operation="createmeeting")
    with pytest.raises(WebexHTTPError):
        await admin.create_meeting(NewMeeting("Once", START, 30, "ana"))
    assert not simulator.faults.queue
    assert simulator.state.sessions == {}


async def test_malformed_reply_is_a_parse_error(admin, simulator):
    simulator.faults.fail_next(FaultKind.GARBAGE)
    with pytest.raises(WebexParseError) as failed:
        await admin.get_user("ana")
    assert failed.value.kind is ErrorKind.UNAVAILABLE


async def test_reply_that_is_not_an_api_message_is_a_parse_error(admin, simulator):
    simulator.faults.fail_next(FaultKind.RAW, body=b"<html><body>Maintenance</body></html>")
    with pytest.raises(WebexParseError):
        await admin.get_user("ana")


async def test_entity_bomb_reply_is_refused_without_expanding(admin, simulator):
    levels = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 12))
    bomb = f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e0 "boom">{levels}]><m>&e11;</m>'.encode()
    simulator.faults.fail_next(FaultKind.RAW, body=bomb)
    started = time.perf_counter()
    with pytest.raises(WebexParseError, match="document type"):
        await admin.get_user("ana")
    assert time.perf_counter() - started < 2  # 10**11 expansions would never finish


async def test_external_entity_reply_is_refused(admin, simulator, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:SECRET")
    document = f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]><m>&x;</m>'
    simulator.faults.fail_next(FaultKind.RAW, body=document.encode())
    with pytest.raises(WebexParseError) as failed:
        await admin.get_user("ana")
    assert "SECRET" not in str(failed.value)


async def test_hang_ends_in_a_timeout(admin, simulator):
    simulator.faults.fail_next(FaultKind.HANG, count=3)
    quick = admin.with_timeout(0.2)
    with pytest.raises(WebexTimeout) as failed:
        await quick.get_user("ana")
    assert failed.value.request_sent and failed.value.kind is ErrorKind.UNAVAILABLE


async def test_unreachable_site_is_a_transport_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with WebexClient(f"http://127.0.0.1:{port}", SecurityContext("x", "y"), backoff_s=0.01) as client:
        with pytest.raises(WebexTransportError) as failed:
            await client.get_user("x")
    assert not failed.value.request_sent


@pytest.mark.parametrize(
    ("exception_id", "kind"),
    [
        ("000001", ErrorKind.NO_PRIVILEGE),
        ("000015", ErrorKind.NOT_FOUND),
        ("000035", ErrorKind.UNAVAILABLE),
        ("000045", ErrorKind.RATE_LIMITED),
        ("030001", ErrorKind.NOT_FOUND),
        ("030002", ErrorKind.BAD_CREDENTIALS),
        ("040007", ErrorKind.INVALID_INPUT),
        ("060001", ErrorKind.NOT_FOUND),
        ("060042", ErrorKind.IN_PROGRESS),
        ("200006", ErrorKind.BAD_CREDENTIALS),
        ("999999", ErrorKind.INVALID_INPUT),
        ("123456", ErrorKind.UNKNOWN),
    ],
)
async def test_chosen_exception_ids_arrive_with_their_kind(admin, simulator, exception_id, kind):
    simulator.faults.fail_next(FaultKind.EXCEPTION, exception_id=exception_id, reason="Told to fail")
    with pytest.raises(WebexServiceError) as failed:
        await admin.get_meeting("1")
    assert (failed.value.exception_id, failed.value.kind, failed.value.reason) == (exception_id, kind, "Told to fail")
    assert failed.value.operation == "meeting.GetMeeting"


def test_every_known_exception_id_has_a_kind():
    assert all(kind_of(code) is not ErrorKind.UNKNOWN for code in EXCEPTION_KINDS)


async def test_an_empty_reply_is_a_parse_error(admin, simulator):
    simulator.faults.fail_next(FaultKind.RAW, body=b"")
    with pytest.raises(WebexParseError):
        await admin.get_user("ana")


def test_http_status_kinds():
    assert WebexHTTPError(429).kind is ErrorKind.RATE_LIMITED
    assert WebexHTTPError(401).kind is ErrorKind.BAD_CREDENTIALS
    assert WebexHTTPError(502).kind is ErrorKind.UNAVAILABLE


async def test_fail_rate_fails_that_fraction(admin, simulator):
    simulator.faults.fail_rate = 1.0
    with pytest.raises(WebexHTTPError):
        await admin.get_user("ana")
    simulator.faults.fail_rate = 0.0
    assert (await admin.get_user("ana")).webex_id == "ana"


async def test_latency_is_added(admin, simulator):
    simulator.faults.latency_ms = 150
    started = time.perf_counter()
    await admin.get_user("ana")
    assert time.perf_counter() - started >= 0.15


async def test_a_reply_over_the_size_cap_is_refused(admin, simulator):
    simulator.faults.fail_next(FaultKind.RAW, body=b"<x>" + b"a" * MAX_REPLY_BYTES + b"</x>")
    with pytest.raises(WebexParseError, match="too large") as failed:
        await admin.get_user("ana")
    assert failed.value.maybe_applied  # for a write: Webex answered, so it may have acted


async def test_a_smaller_cap_applies_to_real_replies(admin, simulator):
    bulk_meetings(simulator.state, "ana", 40)
    async with WebexClient(simulator.url, admin.security, max_reply_bytes=4096) as capped:
        with pytest.raises(WebexParseError, match="too large"):
            await collect(capped.list_meetings())
    assert len(await collect(admin.list_meetings())) == 40


async def test_large_replies_are_parsed_off_the_event_loop(admin, simulator, caplog):
    caplog.set_level(logging.DEBUG, logger="webex.client")
    bulk_meetings(simulator.state, "ana", 650)  # a first page of 500 rows (~300 KiB), then 150 rows
    assert len(await collect(admin.list_meetings(host_webex_id="ana"))) == 650
    replies = [r for r in caplog.records if r.getMessage().startswith("webex meeting.LstsummaryMeeting reply")]
    parsed_in = [r.threadName for r in replies]
    assert len(parsed_in) == 2
    assert parsed_in[0] != threading.current_thread().name
    assert parsed_in[1] == threading.current_thread().name

"""The Webex REST client against the REST simulator over HTTP: errors, retries, Retry-After, tokens, paging."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from commands.backend import Problem
from webex.rest import (
    MemoryTokenKeeper,
    RefreshCredentials,
    RestClient,
    RestHTTPError,
    RestParseError,
    RestTimeout,
    RestTransportError,
    TokenPair,
    Tokens,
)
from webex.rest import operations as ops
from webex.rest_simulator import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    FaultKind,
    RestSimulator,
    rest_demo_site,
)

SECRETS = (DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN, DEMO_CLIENT_SECRET)


@pytest.fixture
def sim() -> Iterator[RestSimulator]:
    simulator = RestSimulator(rest_demo_site(), hang_seconds=3)
    simulator.start_in_thread()
    yield simulator
    simulator.stop_thread()


@pytest.fixture
def keeper() -> MemoryTokenKeeper:
    return MemoryTokenKeeper()


def make_client(sim: RestSimulator, keeper: MemoryTokenKeeper | None = None, *, renewable: bool = True, **kw: float):
    tokens = Tokens(
        TokenPair(DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN),
        refresh=RefreshCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) if renewable else None,
        keeper=keeper,
    )
    return RestClient(sim.url + "/v1", tokens, backoff_s=0.01, **kw)  # type: ignore[arg-type]


@pytest.fixture
async def client(sim: RestSimulator, keeper: MemoryTokenKeeper) -> AsyncIterator[RestClient]:
    async with make_client(sim, keeper) as rest:
        yield rest


def meeting_body(title: str = "Planning", *, host: str = "ana@example.com", days: int = 2) -> dict[str, object]:
    start = (datetime.now(UTC) + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)
    return {
        "title": title,
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=30)).isoformat(),
        "hostEmail": host,
    }


# -- errors -----------------------------------------------------------------------------------


async def test_not_found_maps_to_not_found_with_the_tracking_id(client, sim):
    with pytest.raises(RestHTTPError) as failed:
        await ops.get_meeting(client, "no-such-meeting", host_email="ana@example.com")
    assert failed.value.status == 404
    assert failed.value.problem is Problem.NOT_FOUND
    assert failed.value.tracking_id.startswith("webexbot_")  # Webex echoes the TrackingID we send
    assert failed.value.tracking_id in str(failed.value)
    assert "The meeting is not found" in str(failed.value)


async def test_invalid_input_and_no_privilege_map_to_their_problems(client, sim):
    with pytest.raises(RestHTTPError) as invalid:
        await ops.create_meeting(client, {**meeting_body(), "title": "x" * 129})
    assert invalid.value.status == 400
    assert invalid.value.problem is Problem.INVALID_INPUT
    host_tokens = Tokens(TokenPair("demo-ben-access-token"))
    async with RestClient(sim.url + "/v1", host_tokens) as ben:
        with pytest.raises(RestHTTPError) as refused:
            await ops.create_meeting(ben, meeting_body(host="ana@example.com"))
    assert refused.value.status == 403
    assert refused.value.problem is Problem.NO_PRIVILEGE


async def test_reads_retry_5xx_and_succeed(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_503, operation="GET /people/me")
    sim.faults.fail_next(FaultKind.HTTP_502, operation="GET /people/me")
    assert (await ops.me(client)).emails == ("webexbot-svc@example.com",)
    assert sim.operations() == ["GET /people/me"] * 3


async def test_reads_give_up_after_bounded_retries(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_503, count=10)
    with pytest.raises(RestHTTPError) as failed:
        await ops.me(client)
    assert failed.value.problem is Problem.UNAVAILABLE
    assert len(sim.faults.queue) == 10 - (1 + client.read_retries)


async def test_reads_retry_a_dropped_connection(client, sim):
    sim.faults.fail_next(FaultKind.DROP, operation="GET /people/me")
    assert (await ops.me(client)).display_name == "Webexbot Service"


async def test_writes_are_not_retried_after_a_5xx_and_may_have_happened(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_503, operation="POST /meetings")
    with pytest.raises(RestHTTPError) as failed:
        await ops.create_meeting(client, meeting_body())
    assert failed.value.request_sent
    assert sim.operations().count("POST /meetings") == 1


async def test_a_reply_that_is_not_json_is_a_parse_error(client, sim):
    sim.faults.fail_next(FaultKind.GARBAGE, operation="GET /people/me")
    with pytest.raises(RestParseError) as failed:
        await ops.me(client)
    assert failed.value.problem is Problem.UNAVAILABLE


async def test_a_reply_over_the_size_cap_is_refused(sim):
    async with make_client(sim, max_reply_bytes=64) as small:
        with pytest.raises(RestParseError, match="too large"):
            await ops.me(small)


async def test_a_hung_read_times_out(sim):
    async with make_client(sim, timeout=0.3) as impatient:
        sim.faults.fail_next(FaultKind.HANG, count=3, operation="GET /people/me")
        with pytest.raises(RestTimeout) as failed:
            await ops.me(impatient)
    assert failed.value.problem is Problem.TIMEOUT


async def test_a_refused_connection_was_never_sent(keeper):
    tokens = Tokens(TokenPair(DEMO_ACCESS_TOKEN))
    async with RestClient("http://127.0.0.1:9/v1", tokens, backoff_s=0.01) as nowhere:
        with pytest.raises(RestTransportError) as failed:
            await ops.create_meeting(nowhere, meeting_body())
    assert not failed.value.request_sent


# -- Retry-After ------------------------------------------------------------------------------


async def test_429_waits_for_retry_after_and_makes_exactly_one_meeting(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_429, operation="POST /meetings", retry_after=1)
    created = await ops.create_meeting(client, meeting_body("Once"))
    assert created.title == "Once"
    assert sim.operations().count("POST /meetings") == 2
    assert [s.title for s in sim.state.series.values()] == ["Once"]


async def test_423_waits_for_retry_after_then_succeeds(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_423, operation="GET /people/me", retry_after=1)
    assert (await ops.me(client)).display_name == "Webexbot Service"


async def test_a_retry_after_beyond_the_budget_is_rate_limited_at_once(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_429, operation="POST /meetings", retry_after=60)
    with pytest.raises(RestHTTPError) as failed:
        await ops.create_meeting(client, meeting_body())
    assert failed.value.problem is Problem.RATE_LIMITED
    assert not sim.state.series


# -- tokens -----------------------------------------------------------------------------------


async def test_an_expired_token_is_renewed_once_and_the_call_succeeds(client, sim, keeper):
    sim.expire_tokens()
    assert (await ops.me(client)).display_name == "Webexbot Service"
    assert sim.refreshes == 1
    assert keeper.saves == 1 and keeper.pair is not None
    assert keeper.pair.access_token not in ("", DEMO_ACCESS_TOKEN)
    assert keeper.pair.refresh_token == DEMO_REFRESH_TOKEN
    assert keeper.pair.expires_at is not None and keeper.pair.expires_at > datetime.now(UTC)
    assert sim.received[1].form["grant_type"] == "refresh_token"
    assert (await ops.me(client)).display_name == "Webexbot Service"
    assert sim.refreshes == 1


async def test_calls_that_meet_an_expired_token_together_renew_it_once(client, sim, keeper):
    sim.expire_tokens()
    people = await asyncio.gather(*(ops.me(client) for _ in range(5)))
    assert {p.display_name for p in people} == {"Webexbot Service"}
    assert sim.refreshes == 1 and keeper.saves == 1


async def test_401_after_renewal_is_bad_credentials(client, sim):
    sim.faults.fail_next(FaultKind.HTTP_401, count=2, operation="GET /people/me")
    with pytest.raises(RestHTTPError) as failed:
        await ops.me(client)
    assert failed.value.problem is Problem.BAD_CREDENTIALS
    assert sim.refreshes == 1


async def test_401_without_renewal_configured_is_bad_credentials(sim):
    async with make_client(sim, renewable=False) as fixed:
        sim.expire_tokens()
        with pytest.raises(RestHTTPError) as failed:
            await ops.me(fixed)
    assert failed.value.problem is Problem.BAD_CREDENTIALS
    assert sim.refreshes == 0


async def test_a_refused_renewal_is_bad_credentials(sim):
    tokens = Tokens(TokenPair(DEMO_ACCESS_TOKEN, "revoked"), refresh=RefreshCredentials(DEMO_CLIENT_ID, "wrong"))
    async with RestClient(sim.url + "/v1", tokens) as rest:
        sim.expire_tokens()
        with pytest.raises(RestHTTPError) as failed:
            await ops.me(rest)
    assert failed.value.problem is Problem.BAD_CREDENTIALS
    assert "wrong" not in str(failed.value) and "revoked" not in str(failed.value)


async def test_a_token_about_to_expire_is_renewed_before_the_call(sim, keeper):
    soon = datetime.now(UTC) + timedelta(minutes=1)
    tokens = Tokens(
        TokenPair(DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN, expires_at=soon),
        refresh=RefreshCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
        keeper=keeper,
    )
    async with RestClient(sim.url + "/v1", tokens) as rest:
        await ops.me(rest)
    assert sim.operations() == ["POST /access_token", "GET /people/me"]
    assert keeper.pair is not None and keeper.pair.access_token == tokens.access_token != DEMO_ACCESS_TOKEN


async def test_the_kept_pair_wins_over_the_configured_one(sim):
    kept = MemoryTokenKeeper(TokenPair(DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN))
    tokens = Tokens(TokenPair("stale-from-the-environment"), keeper=kept)
    async with RestClient(sim.url + "/v1", tokens) as rest:
        assert (await ops.me(rest)).display_name == "Webexbot Service"


async def test_no_token_or_secret_reaches_a_log_line_or_a_repr(client, sim, keeper, caplog):
    caplog.set_level(logging.DEBUG)
    sim.expire_tokens()
    await ops.me(client)
    sim.faults.fail_next(FaultKind.HTTP_503, count=3, operation="GET /people/me")
    with pytest.raises(RestHTTPError) as failed:
        await ops.me(client)
    assert keeper.pair is not None
    shown = [caplog.text, repr(client), repr(client.tokens), repr(keeper.pair), repr(client.tokens.credentials)]
    shown.append(str(failed.value))
    for secret in (*SECRETS, keeper.pair.access_token):
        assert all(secret not in text for text in shown)
    assert "webex GET /people/me 200" in caplog.text


# -- paging -----------------------------------------------------------------------------------


async def test_paging_follows_link_next_and_yields_each_item_once(client, sim):
    for index in range(23):
        await ops.create_meeting(client, meeting_body(f"M{index:02}"))
    sim.page_limit = 5
    start = datetime.now(UTC)
    titles = [
        m.title
        async for m in ops.list_meetings(
            client,
            meetingType="scheduledMeeting",
            hostEmail="ana@example.com",
            max="100",
            **{"from": start.isoformat(), "to": (start + timedelta(days=7)).isoformat()},
        )
    ]
    assert sorted(titles) == [f"M{index:02}" for index in range(23)]
    assert sim.operations().count("GET /meetings") == 5

"""`/webex join` costs one Webex call on the XML API: GetSessionInfo, whose password (or its absence) lets the URL
API build the link GetjoinurlMeeting would have given, for everyone who asks within the minute. On REST each
person's link is kept while most of its life is left."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import BEN, CHEN, Stack, command, open_stack, schedule
from webex import SecurityContext, WebexClient
from webex.join_facts import JoinFacts
from webex.models import NewMeeting, ServiceType, SessionInfo, SessionStatus
from webex.rest.join_links import USABLE_FOR_S, JoinLinks
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD


async def _made_on_the_site(stack: Stack, password: str | None) -> tuple[str, str]:
    """A meeting ana made on Webex directly (the store does not know it), and the link Webex gives Ben."""
    admin = WebexClient(stack.webex.url, SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo"))
    try:
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        new = NewMeeting("Made elsewhere", start, 30, host_webex_id="ana", password=password)
        key = (await admin.create_meeting(new)).key
        given = await admin.get_join_url(key, attendee_name="Ben Okafor", attendee_email="ben@example.com")
    finally:
        await admin.aclose()
    stack.webex.received.clear()
    return key, given


@pytest.mark.parametrize("password", [None, "Secret123"])
async def test_join_of_a_meeting_the_store_lacks_asks_webex_once(stack: Stack, password: str | None):
    key, given = await _made_on_the_site(stack, password)
    _, request = await stack.slack.command(stack.url, BEN, f"join {key}")
    reply = (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]
    assert [r.operation for r in stack.webex.received] == ["getsessioninfo"]
    assert given in reply.all_text()
    assert ("PW=" in given) is (password is not None)
    again = await command(stack, CHEN, f"join {key}")  # within the minute: what Webex said is enough
    assert [r.operation for r in stack.webex.received] == ["getsessioninfo"]
    assert "Made elsewhere" in again.all_text() and "AN=Chen" in again.all_text()


def test_what_get_session_info_said_is_used_for_a_minute_and_only_when_it_is_enough():
    now = [0.0]
    facts = JoinFacts(keep_s=60.0, clock=lambda: now[0])
    info = SessionInfo("111", "T", SessionStatus.NOT_INPROGRESS, ServiceType.MEETING_CENTER, 0, "ana", "", None, 30)
    facts.heard("111", info)
    facts.heard("222", replace(info, key="222", password="pw"))
    facts.heard("333", replace(info, key="333", password_required=True))  # a password it may not see
    assert (facts.password("111"), facts.password("222"), facts.password("333")) == ("", "pw", None)
    assert facts.info("333") is not None  # known, so the next join asks GetjoinurlMeeting at once
    now[0] = 61.0
    assert facts.password("111") is None and facts.info("111") is None


@pytest.fixture(params=["xml", "rest"])
async def either(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(tmp_path, api=request.param) as opened:
        yield opened


JOIN_CALLS = {"getsessioninfo", "getjoinurlmeeting", "POST /meetings/join"}


async def test_joins_within_the_minute_ask_webex_once_per_meeting_or_person(either: Stack):
    key = await schedule(either)
    either.webex.received.clear()
    first, again, chen = [(await command(either, user, f"join {key}")).all_text() for user in (BEN, BEN, CHEN)]
    calls = [r.operation for r in either.webex.received if r.operation in JOIN_CALLS]
    if either.api == "xml":
        assert calls == ["getsessioninfo"]
        assert "AN=Ben%20Okafor" in first and "AN=Chen" in chen
    else:
        assert calls == ["POST /meetings/join", "POST /meetings/join"]  # Ben's link is kept; Chen gets his own
        asked = [r.json for r in either.webex.received if r.operation == "POST /meetings/join"]
        assert {a["expirationMinutes"] for a in asked} == {60}
    assert first == again and chen != first


def test_a_kept_join_link_is_handed_out_only_while_most_of_its_life_is_left():
    now = [1_000_000.0]
    links = JoinLinks(clock=lambda: now[0])
    expires = datetime.fromtimestamp(now[0] + USABLE_FOR_S + 60, UTC)
    links.keep("m1", "Ben@example.com", "Ben", "https://join/1", expires)
    links.keep("m1", "chen@example.com", "Chen", "https://join/2", None)  # no expiration said: not kept
    assert (links.get("m1", "ben@example.com", "Ben"), links.get("m1", "chen@example.com", "Chen")) == (
        "https://join/1",
        None,
    )
    now[0] += 61
    assert links.get("m1", "ben@example.com", "Ben") is None
    links.keep("m1", "ben@example.com", "Ben", "https://join/3", expires.replace(year=expires.year + 1))
    links.forget("m1")
    assert links.get("m1", "ben@example.com", "Ben") is None

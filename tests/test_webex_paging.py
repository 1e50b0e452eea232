from __future__ import annotations

import pytest

from tests.conftest import host
from webex import WebexParseError, collect
from webex.simulator import FaultKind, bulk_meetings


async def test_paging_over_more_than_500_meetings_returns_each_exactly_once(admin, simulator):
    keys = bulk_meetings(simulator.state, "ana", 1203)
    listed = await collect(admin.list_meetings(host_webex_id="ana"))
    assert [m.key for m in listed] == keys
    calls = [r.body.child("listControl") for r in simulator.received if r.operation == "lstsummarymeeting"]
    assert [(c.int("startFrom"), c.int("maximumNum")) for c in calls if c is not None] == [
        (1, 500),
        (501, 500),
        (1001, 500),
    ]


async def test_small_pages_are_honoured(admin, simulator):
    keys = bulk_meetings(simulator.state, "ben", 7)
    listed = await collect(host(admin, "ben").list_meetings(page_size=3))
    assert [m.key for m in listed] == keys
    assert simulator.operations().count("lstsummarymeeting") == 3


async def test_page_size_over_the_ceiling_is_capped(admin, simulator):
    bulk_meetings(simulator.state, "ana", 2)
    await collect(admin.list_meetings(page_size=5000))
    control = simulator.received[-1].body.child("listControl")
    assert control is not None and control.int("maximumNum") == 500


async def test_session_lists_page_too(admin, simulator):
    keys = bulk_meetings(simulator.state, "chen", 620)
    listed = await collect(admin.list_sessions(host_webex_id="chen"))
    assert [s.key for s in listed] == keys


def _page(start: int, returned: int, total: int, keys: list[str]) -> bytes:
    rows = "".join(
        f"<meet:meeting><meet:meetingKey>{k}</meet:meetingKey><meet:confName>M{k}</meet:confName>"
        "<meet:hostWebExID>ana</meet:hostWebExID><meet:timeZoneID>20</meet:timeZoneID>"
        "<meet:startDate>01/02/2030 10:00:00</meet:startDate><meet:duration>30</meet:duration></meet:meeting>"
        for k in keys
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><serv:message xmlns:serv="http://www.webex.com/schemas/2002/06/service"'
        ' xmlns:meet="http://www.webex.com/schemas/2002/06/service/meeting"><serv:header><serv:response>'
        "<serv:result>SUCCESS</serv:result></serv:response></serv:header><serv:body><serv:bodyContent>"
        f"{rows}<meet:matchingRecords><serv:total>{total}</serv:total><serv:returned>{returned}</serv:returned>"
        f"<serv:startFrom>{start}</serv:startFrom></meet:matchingRecords></serv:bodyContent></serv:body></serv:message>"
    ).encode()


async def test_a_list_that_answers_the_same_page_again_stops_with_an_error(admin, simulator):
    stuck = _page(1, 2, 5, ["111", "222"])
    simulator.faults.fail_next(FaultKind.RAW, operation="lstsummarymeeting", body=stuck, count=2)
    seen = []
    with pytest.raises(WebexParseError, match="paging does not advance"):
        async for meeting in admin.list_meetings(page_size=2):
            seen.append(meeting.key)
    assert seen == ["111", "222", "111", "222"]
    assert not simulator.faults.queue


async def test_a_list_whose_pages_run_dry_before_the_total_stops_with_an_error(admin, simulator):
    simulator.faults.fail_next(FaultKind.RAW, operation="lstsummarymeeting", body=_page(1, 2, 9, ["111", "222"]))
    simulator.faults.fail_next(FaultKind.RAW, operation="lstsummarymeeting", body=_page(3, 0, 9, []))
    with pytest.raises(WebexParseError, match="paging does not advance"):
        await collect(admin.list_meetings(page_size=2))


async def test_a_list_that_says_it_is_complete_ends_without_asking_again(admin, simulator):
    simulator.faults.fail_next(FaultKind.RAW, operation="lstsummarymeeting", body=_page(1, 2, 2, ["111", "222"]))
    simulator.faults.fail_next(FaultKind.RAW, operation="lstsummarymeeting", body=_page(3, 1, 3, ["333"]))
    assert [m.key for m in await collect(admin.list_meetings(page_size=2))] == ["111", "222"]
    assert len(simulator.faults.queue) == 1  # the page after the total was never asked for

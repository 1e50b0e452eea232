from __future__ import annotations

from tests.conftest import host
from webex import collect
from webex.simulator import bulk_meetings


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

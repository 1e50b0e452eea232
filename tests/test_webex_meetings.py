from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.conftest import host
from webex import ErrorKind, WebexServiceError, collect
from webex.models import Invitee, MeetingChanges, NewMeeting, SessionStatus
from webex.simulator import WebexSimulator

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2030, 3, 12, 15, 0, tzinfo=NEW_YORK)  # the first Thursday after the DST change

AWKWARD = [
    'Design <review> & "Q4" plan',
    "Café ☕ standup 🎉",
    "سلام עולם mixed ltr/rtl",
    "  leading and trailing spaces are trimmed  ",
    "tab\tinside",
]


def meeting(topic: str = "Design review", **changes) -> NewMeeting:
    fields = dict(topic=topic, start=START, duration_minutes=45, host_webex_id="ana")
    fields.update(changes)
    return NewMeeting(**fields)


async def test_create_meeting_on_behalf_of_a_host(admin, simulator):
    created = await admin.create_meeting(
        meeting(invitees=(Invitee("Ben Okafor", "ben@example.com"),), agenda="Agenda", password="s3cret!")
    )
    assert created.key.isdigit() and created.calendar.host.endswith("ICS=MIFH&ST=12")
    sent = simulator.received[-1].body
    assert sent.text("schedule/hostWebExID") == "ana"
    assert sent.text("schedule/timeZoneID") == "11"
    assert sent.text("schedule/startDate") == "03/12/2030 15:00:00"
    assert sent.text("schedule/duration") == "45"

    fetched = await admin.get_meeting(created.key)
    assert fetched.host_webex_id == "ana"
    assert fetched.start == START and fetched.start.utcoffset() == timedelta(hours=-4)
    assert fetched.duration_minutes == 45 and fetched.agenda == "Agenda"
    assert fetched.password == "s3cret!"
    assert [(i.name, i.email) for i in fetched.invitees] == [("Ben Okafor", "ben@example.com")]
    assert fetched.status is SessionStatus.NOT_INPROGRESS


@pytest.mark.parametrize("topic", AWKWARD)
async def test_topics_and_names_round_trip_exactly(admin, simulator, topic):
    created = await admin.create_meeting(
        meeting(topic, agenda=topic + " agenda", invitees=(Invitee(f"{topic} person", "ben@example.com"),))
    )
    fetched = await admin.get_meeting(created.key)
    assert fetched.topic == topic.strip()
    assert fetched.agenda == (topic + " agenda").strip()
    assert fetched.invitees[0].name == f"{topic} person".strip()
    summaries = await collect(admin.list_meetings(host_webex_id="ana"))
    assert [s.topic for s in summaries] == [topic.strip()]


async def test_a_host_cannot_schedule_for_another_host(admin):
    with pytest.raises(WebexServiceError) as refused:
        await host(admin, "ben").create_meeting(meeting())
    assert refused.value.kind is ErrorKind.NO_PRIVILEGE


async def test_scheduling_for_an_unknown_host_is_not_found(admin):
    with pytest.raises(WebexServiceError) as refused:
        await admin.create_meeting(meeting(host_webex_id="ghost"))
    assert refused.value.kind is ErrorKind.NOT_FOUND


async def test_alternate_host_without_a_host_account_fails_040007(admin, simulator):
    with pytest.raises(WebexServiceError) as refused:
        await admin.create_meeting(meeting(invitees=(Invitee("Guest", "guest@elsewhere.org", role="HOST"),)))
    assert (refused.value.exception_id, refused.value.kind) == ("040007", ErrorKind.INVALID_INPUT)
    assert "role is not supported" in refused.value.reason
    created = await admin.create_meeting(meeting(invitees=(Invitee("Ben", "ben@example.com", role="HOST"),)))
    assert (await admin.get_meeting(created.key)).invitees[0].role == "HOST"


async def test_invalid_input_is_refused(admin):
    with pytest.raises(WebexServiceError) as refused:
        await admin.create_meeting(meeting(duration_minutes=0))
    assert refused.value.kind is ErrorKind.INVALID_INPUT


async def test_set_meeting_moves_and_renames(admin, simulator):
    created = await admin.create_meeting(meeting())
    later = START + timedelta(days=1, hours=2)
    await admin.set_meeting(created.key, MeetingChanges(topic="Moved", start=later, duration_minutes=30))
    fetched = await admin.get_meeting(created.key)
    assert (fetched.topic, fetched.start, fetched.duration_minutes) == ("Moved", later, 30)
    assert simulator.received[-2].body.text("meetingkey") == created.key


async def test_hosts_read_only_meetings_they_host_or_scheduled(admin):
    created = await admin.create_meeting(meeting())
    assert (await host(admin, "ana").get_meeting(created.key)).topic == "Design review"
    with pytest.raises(WebexServiceError) as refused:
        await host(admin, "ben").get_meeting(created.key)
    assert refused.value.kind is ErrorKind.NO_PRIVILEGE


async def test_unknown_meeting_is_not_found(admin):
    with pytest.raises(WebexServiceError) as missing:
        await admin.get_meeting("999999999")
    assert (missing.value.exception_id, missing.value.kind) == ("060001", ErrorKind.NOT_FOUND)


async def test_delete_meeting(admin):
    created = await admin.create_meeting(meeting())
    with pytest.raises(WebexServiceError) as refused:
        await host(admin, "ben").delete_meeting(created.key)
    assert refused.value.kind is ErrorKind.NO_PRIVILEGE
    await admin.delete_meeting(created.key)
    with pytest.raises(WebexServiceError) as gone:
        await admin.get_meeting(created.key)
    assert gone.value.kind is ErrorKind.NOT_FOUND


async def test_a_meeting_in_progress_cannot_be_deleted(admin, simulator):
    created = await admin.create_meeting(meeting())
    simulator.start_session(created.key)
    with pytest.raises(WebexServiceError) as refused:
        await admin.delete_meeting(created.key)
    assert (refused.value.exception_id, refused.value.kind) == ("060042", ErrorKind.IN_PROGRESS)


async def test_list_meetings_by_host_and_date_range(admin, simulator):
    keys = [(await admin.create_meeting(meeting(f"M{i}", start=START + timedelta(days=i)))).key for i in range(4)]
    await admin.create_meeting(meeting("Ben's", host_webex_id="ben"))
    window = await collect(
        admin.list_meetings(
            host_webex_id="ana", start_from=START + timedelta(days=1), start_to=START + timedelta(days=2, hours=1)
        )
    )
    assert [m.key for m in window] == keys[1:3]
    assert all(m.host_webex_id == "ana" for m in window)
    scope = simulator.received[-1].body.child("dateScope")
    assert scope is not None and scope.text("timeZoneID") == "21"
    mine = await collect(host(admin, "ben").list_meetings())
    assert [m.topic for m in mine] == ["Ben's"]


async def test_host_url_starts_the_meeting_once(admin, simulator: WebexSimulator):
    created = await admin.create_meeting(meeting())
    url = await admin.get_host_url(created.key)
    assert "WID=ana" in url and "TK=" in url and "AT=LI" in url
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        page = await browser.get(url)
        assert "has started" in page.text
        live = await admin.list_open_sessions()
        assert [(s.key, s.host_webex_id) for s in live] == [(created.key, "ana")]
    async with httpx.AsyncClient(follow_redirects=True) as other_browser:
        reused = await other_browser.get(url)
    assert "InvalidTicket" in reused.text


async def test_another_host_gets_no_host_url(admin):
    created = await admin.create_meeting(meeting())
    with pytest.raises(WebexServiceError) as refused:
        await host(admin, "ben").get_host_url(created.key)
    assert refused.value.kind is ErrorKind.NO_PRIVILEGE


async def test_join_url_with_and_without_a_name(admin, simulator):
    created = await admin.create_meeting(meeting(password="pw123"))
    plain = await host(admin, "ben").get_join_url(created.key)
    named = await host(admin, "ben").get_join_url(created.key, attendee_name="Ben Okafor")
    assert "AT=JM" in plain and f"MK={created.key}" in plain and "AN=" not in plain
    assert "AN=Ben%20Okafor" in named and "PW=pw123" in named
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        early = await browser.get(named)
        simulator.start_session(created.key)
        joined = await browser.get(named)
    assert "MeetingNotInProgress" in early.text
    assert "Ben Okafor joined" in joined.text


# -- recurring meetings: the `repeat` element ----------------------------------------------------

SERIES = [
    ("FREQ=WEEKLY;BYDAY=MO,WE", {"repeatType": "WEEKLY", "interval": "1", "day": ["MONDAY", "WEDNESDAY"]}),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=5", {"repeatType": "WEEKLY", "interval": "2", "afterMeetingNumber": "5"}),
    ("FREQ=DAILY;UNTIL=20300320T035959Z", {"repeatType": "DAILY", "expirationDate": "03/19/2030 23:59:59"}),
    ("FREQ=MONTHLY;BYDAY=-1FR", {"repeatType": "MONTHLY", "weekInMonth": "5", "day": ["FRIDAY"]}),
    ("FREQ=MONTHLY;BYMONTHDAY=15", {"repeatType": "MONTHLY", "dayInMonth": "15"}),
    ("FREQ=YEARLY;BYMONTHDAY=12;BYMONTH=3", {"repeatType": "YEARLY", "dayInMonth": "12", "monthInYear": "3"}),
]


@pytest.mark.parametrize(("rule", "expected"), SERIES)
async def test_a_series_is_sent_as_the_repeat_element_and_read_back_as_its_rule(admin, simulator, rule, expected):
    from webex.repeat import from_rule, to_rule

    created = await admin.create_meeting(meeting(repeat=from_rule(rule, START)))
    sent = simulator.received[-1].body.child("repeat")
    assert sent is not None
    for name, value in expected.items():
        if name == "day":
            assert [d.value for d in sent.find_all("day")] == value
        else:
            assert sent.text(name) == value
    fetched = await admin.get_meeting(created.key)
    assert fetched.repeat is not None and to_rule(fetched.repeat) == rule


async def test_a_one_off_meeting_says_no_repeat(admin):
    created = await admin.create_meeting(meeting())
    assert (await admin.get_meeting(created.key)).repeat is None


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=HOURLY", "daily, weekly, monthly or yearly"),
        ("FREQ=YEARLY;INTERVAL=2", "every year"),
        ("FREQ=DAILY;BYDAY=MO,TU", "weekly on them"),
        ("FREQ=MONTHLY;BYDAY=MO,TU", "only one day"),
        ("FREQ=MONTHLY;BYDAY=2MO;BYSETPOS=1", "BYSETPOS"),
    ],
)
def test_rules_the_xml_meeting_service_cannot_hold_are_refused_with_the_reason(rule, reason):
    from webex.repeat import UnsupportedRule, from_rule

    with pytest.raises(UnsupportedRule, match=reason):
        from_rule(rule, START)


async def test_a_series_is_listed_by_its_meetings_in_the_date_range_and_marked_recurring(admin):
    from webex.repeat import from_rule

    created = await admin.create_meeting(meeting(repeat=from_rule("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4", START)))
    low = START + timedelta(days=5)  # Sunday 17 March 2030: the third and fourth meetings follow, then no more
    listed = await collect(admin.list_sessions(start_from=low, start_to=low + timedelta(days=14)))
    assert [(s.key, s.start) for s in listed] == [
        (created.key, START + timedelta(days=7)),
        (created.key, START + timedelta(days=9)),
    ]
    info = await admin.get_session_info(created.key)
    assert info.start == START

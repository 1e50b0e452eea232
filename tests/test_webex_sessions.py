from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import host
from webex import ErrorKind, WebexServiceError, collect
from webex.models import Invitee, NewMeeting, NewTeleconference, NewTraining, ServiceType, SessionStatus
from webex.simulator import SimSession, WebexSimulator
from webex.timezones import ZONES

SYDNEY = ZoneInfo("Australia/Sydney")
START = datetime(2030, 6, 3, 9, 30, tzinfo=SYDNEY)


def add_session(simulator: WebexSimulator, service: ServiceType, session_type: int, topic: str, hostname: str) -> str:
    state = simulator.state
    key = state.new_key()
    state.add_session(
        SimSession(
            key=key,
            service=service,
            session_type=session_type,
            topic=topic,
            host=hostname,
            created_by=hostname,
            start=datetime(2030, 1, 1, 9, tzinfo=UTC),
            zone_id=21,
            duration=60,
        )
    )
    return key


async def test_live_lists_sessions_of_all_four_service_types(admin, simulator):
    keys = {
        ServiceType.MEETING_CENTER: (await admin.create_meeting(NewMeeting("Sync", START, 30, "ana"))).key,
        ServiceType.TRAINING_CENTER: await admin.create_training_session(NewTraining("Course", START, 90)),
        ServiceType.EVENT_CENTER: add_session(simulator, ServiceType.EVENT_CENTER, 9, "Town hall", "ben"),
        ServiceType.SUPPORT_CENTER: add_session(simulator, ServiceType.SUPPORT_CENTER, 13, "Support", "chen"),
    }
    assert await host(admin, "dara").list_open_sessions() == []
    for key in keys.values():
        simulator.start_session(key)
    live = await host(admin, "dara").list_open_sessions()
    assert {s.service_type: s.key for s in live} == keys
    assert {s.name for s in live} == {"Sync", "Course", "Town hall", "Support"}
    only_training = await admin.list_open_sessions([ServiceType.TRAINING_CENTER])
    assert [s.key for s in only_training] == [keys[ServiceType.TRAINING_CENTER]]
    simulator.end_session(keys[ServiceType.MEETING_CENTER])
    assert len(await admin.list_open_sessions()) == 3


async def test_list_sessions_spans_service_types_and_respects_visibility(admin, simulator):
    meeting = await admin.create_meeting(NewMeeting("Sync", START, 30, "ana"))
    training = await admin.create_training_session(
        NewTraining("Course", START + timedelta(days=1), 90, host_webex_id="ana")
    )
    await admin.create_meeting(NewMeeting("Ben's", START, 30, "ben"))
    everything = await collect(admin.list_sessions(zone_id=55))
    assert len(everything) == 3
    anas = await collect(host(admin, "ana").list_sessions(zone_id=55))
    assert [(s.key, s.service_type) for s in anas] == [
        (meeting.key, ServiceType.MEETING_CENTER),
        (training, ServiceType.TRAINING_CENTER),
    ]
    assert anas[0].start == START and anas[0].time_zone_id == 55
    trainings = await collect(admin.list_sessions(service_types=[ServiceType.TRAINING_CENTER]))
    assert [s.key for s in trainings] == [training]


async def test_invited_sessions_are_listed_for_the_invitee(admin):
    created = await admin.create_meeting(
        NewMeeting("Review", START, 30, "ana", invitees=(Invitee("Ben", "ben@example.com"),))
    )
    assert await collect(host(admin, "ben").list_sessions()) == []
    invited = await collect(host(admin, "ben").list_sessions(invited=True))
    assert [s.key for s in invited] == [created.key]


async def test_session_info_hides_the_password_from_people_who_may_not_see_it(admin):
    created = await admin.create_meeting(NewMeeting("Secret", START, 30, "ana", password="pw-1234"))
    as_host = await host(admin, "ana").get_session_info(created.key)
    as_other = await host(admin, "ben").get_session_info(created.key)
    with_password = await host(admin, "ben").get_session_info(created.key, password="pw-1234")
    assert as_host.password == "pw-1234" and as_host.password_required
    assert as_other.password is None and as_other.password_required
    assert with_password.password == "pw-1234"
    assert (as_other.topic, as_other.host_webex_id, as_other.host_email) == ("Secret", "ana", "ana@example.com")
    assert as_other.start == START and as_other.service_type is ServiceType.MEETING_CENTER


async def test_delete_session_works_for_any_type_but_not_while_in_progress(admin, simulator):
    training = await admin.create_training_session(NewTraining("Course", START, 90))
    simulator.start_session(training)
    with pytest.raises(WebexServiceError) as refused:
        await admin.delete_session(training)
    assert refused.value.kind is ErrorKind.IN_PROGRESS
    teleconference = await admin.create_teleconference(NewTeleconference("Dial-in", START, 30))
    await admin.delete_session(teleconference)
    with pytest.raises(WebexServiceError) as gone:
        await admin.get_session_info(teleconference)
    assert gone.value.kind is ErrorKind.NOT_FOUND


async def test_teleconference_only_session(admin, simulator):
    key = await admin.create_teleconference(
        NewTeleconference(
            "Board call",
            START,
            45,
            password="123456",
            full_access=(Invitee("Ana", "ana@example.com"),),
            call_in_description="Dial +1 555 0100, code 4242",
        )
    )
    sent = simulator.received[-1]
    assert sent.operation == "createteleconferencesession"
    assert sent.body.text("fullAccessAttendees/attendee/email") == "ana@example.com"
    session = await admin.get_teleconference(key)
    assert (session.topic, session.start, session.duration_minutes) == ("Board call", START, 45)
    assert session.session_type == 16 and session.call_in_description == "Dial +1 555 0100, code 4242"
    with pytest.raises(WebexServiceError) as refused:
        await host(admin, "ben").get_teleconference(key)
    assert refused.value.kind is ErrorKind.NO_PRIVILEGE


async def test_training_session_create_get_delete(admin, simulator):
    key = await admin.create_training_session(
        NewTraining(
            "Onboarding",
            START,
            120,
            host_webex_id="chen",
            agenda="Day one",
            presenters=(Invitee("Dara", "dara@example.com", role="HOST"),),
            attendees=(Invitee("Guest", "guest@example.org"),),
        )
    )
    session = await admin.get_training_session(key)
    assert (session.topic, session.host_webex_id, session.start) == ("Onboarding", "chen", START)
    assert session.status is SessionStatus.NOT_INPROGRESS and session.agenda == "Day one"
    assert [(p.email, p.role) for p in session.presenters] == [("dara@example.com", "HOST")]
    assert [p.email for p in session.attendees] == ["guest@example.org"]
    await admin.delete_training_session(key)
    with pytest.raises(WebexServiceError):
        await admin.get_training_session(key)


async def test_a_started_training_session_cannot_be_deleted(admin, simulator):
    key = await admin.create_training_session(NewTraining("Course", START, 90))
    simulator.start_session(key)
    with pytest.raises(WebexServiceError) as refused:
        await admin.delete_training_session(key)
    assert (refused.value.exception_id, refused.value.kind) == ("060042", ErrorKind.IN_PROGRESS)


async def test_training_presenter_without_host_account_fails_040007(admin):
    with pytest.raises(WebexServiceError) as refused:
        await admin.create_training_session(
            NewTraining("Course", START, 90, presenters=(Invitee("X", "x@nowhere.test", role="HOST"),))
        )
    assert refused.value.exception_id == "040007"


async def test_list_time_zones_gives_the_62_zones_with_offsets_for_a_date(admin):
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    zones = await admin.list_time_zones(at=winter)
    assert [z.id for z in zones] == list(range(62))
    for reply, table in zip(zones, ZONES, strict=True):
        assert reply.gmt_offset_minutes == table.offset_minutes(winter)
    sydney = (await admin.list_time_zones(55, at=winter))[0]
    assert (sydney.gmt_offset_minutes, sydney.fall_in_dst) == (660, True)
    assert sydney.description == "GMT+11:00, Australia Eastern (Sydney)"

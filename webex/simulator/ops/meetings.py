"""Simulated Meeting service."""

from __future__ import annotations

from typing import Any

from ... import urlapi
from ...models import ServiceType
from ..replies import Failure, Reply
from ..state import SimSession
from .common import (
    INVALID,
    MEETING_NOT_FOUND,
    Call,
    effective_host,
    host_person,
    page,
    parse_duration,
    parse_start,
    require_not_started,
    required_text,
    scope_bounds,
    wall,
    zone_label,
)
from .repeat import read_repeat, shown

TELECONFERENCE_ONLY = 16
DEFAULT_MEETING_TYPE = 3


def create_meeting(call: Call) -> Reply:
    body = call.body
    topic = required_text(body, "metaData/confName", "confName")
    schedule = body.child("schedule") or body
    start, zone_id = parse_start(schedule)
    duration = parse_duration(schedule)
    host = effective_host(call, schedule.text("hostWebExID"))
    invitees = [
        host_person(call, attendee.child("person") or attendee, attendee.text("role"))
        for attendee in body.find_all("attendee")
    ]
    meeting_type = body.text("metaData/meetingType")
    repeat = read_repeat(body)
    session = call.state.add_session(
        SimSession(
            key=call.state.new_key(),
            service=ServiceType.MEETING_CENTER,
            session_type=int(meeting_type) if meeting_type.isdigit() else DEFAULT_MEETING_TYPE,
            topic=topic,
            host=host.webex_id,
            created_by=call.caller.webex_id,
            start=start,
            zone_id=zone_id,
            duration=duration,
            agenda=body.text("metaData/agenda"),
            password=body.text("accessControl/meetingPassword"),
            listing=body.text("accessControl/listing") or "PUBLIC",
            invitees=invitees,
            conf_id=call.state.new_conf_id(),
            guest_token=call.state.new_token(),
            repeat=repeat,
        )
    )
    return Reply(
        "meet",
        "createMeetingResponse",
        {
            "meetingkey": session.key,
            "iCalendarURL": _calendar(call, session, "MIFH", "MIFA"),
            "guestToken": session.guest_token,
        },
    )


def _calendar(call: Call, session: SimSession, host_code: str, attendee_code: str) -> dict[str, str]:
    base = f"{urlapi.site_base(call.site_url, call.state.site_name)}/j.php?ED={session.key}&UID={session.conf_id}"
    return {"serv:host": f"{base}&ICS={host_code}&ST=12", "serv:attendee": f"{base}&ICS={attendee_code}&ST=12"}


def set_meeting(call: Call) -> Reply:
    session = _meeting(call, call.own_session(admin_allowed=True))
    body = call.body
    schedule = body.child("schedule")
    if schedule is not None and schedule.text("startDate"):
        session.start, session.zone_id = parse_start(schedule, session.zone_id)
    if schedule is not None and schedule.text("duration"):
        session.duration = parse_duration(schedule)
    topic = body.child("metaData/confName")
    if topic is not None:
        if not topic.value:
            raise Failure(INVALID, "confName is required")
        session.topic = topic.value
    agenda = body.child("metaData/agenda")
    if agenda is not None:
        session.agenda = agenda.value
    password = body.child("accessControl/meetingPassword")
    if password is not None:
        session.password = password.value
    return Reply("meet", "setMeetingResponse", {"iCalendarURL": _calendar(call, session, "MIFH", "MIFA")})


def get_meeting(call: Call) -> Reply:
    session = _meeting(call, call.own_session())
    return Reply("meet", "getMeetingResponse", _meeting_fields(call, session))


def _meeting_fields(call: Call, session: SimSession) -> dict[str, Any]:
    return {
        "accessControl": {
            "listToPublic": session.listing == "PUBLIC",
            "isPublic": session.listing == "PUBLIC",
            "meetingPassword": session.password or None,
        },
        "metaData": {"confName": session.topic, "meetingType": session.session_type, "agenda": session.agenda},
        "participants": {
            "maxUserNumber": max(4, len(session.invitees)),
            "attendees": {
                "attendee": [
                    {
                        "att:person": {"com:name": p.name, "com:email": p.email, "com:type": "VISITOR"},
                        "att:role": p.role,
                    }
                    for p in session.invitees
                ]
            },
        },
        "schedule": {
            "startDate": wall(session.start, session.zone_id),
            "timeZoneID": session.zone_id,
            "timeZone": zone_label(session.zone_id, session.start),
            "duration": session.duration,
            "openTime": 300,
            "hostWebExID": session.host,
        },
        "repeat": shown(session.repeat),
        "meetingkey": session.key,
        "status": "INPROGRESS" if session.in_progress else "NOT_INPROGRESS",
        "hostJoined": session.in_progress,
        "participantsJoined": bool(session.joined) and session.in_progress,
    }


def delete_meeting(call: Call) -> Reply:
    session = _meeting(call, call.own_session(admin_allowed=True))
    require_not_started(session)
    del call.state.sessions[session.key]
    return Reply("meet", "delMeetingResponse", {"iCalendarURL": _calendar(call, session, "CMC", "CMC")})


def list_meetings(call: Call) -> Reply:
    host_filter = call.body.text("hostWebExID").lower()
    start_from, start_to, _ = scope_bounds(call, 4)
    caller = call.caller
    found = [
        s
        for s in call.state.sessions.values()
        if _is_meeting(s)
        and s.ended_at is None
        and (caller.is_site_admin or s.is_owned_by(caller.webex_id))
        and (not host_filter or s.host.lower() == host_filter)
        and (start_from is None or s.start >= start_from)
        and (start_to is None or s.start <= start_to)
    ]
    found.sort(key=lambda s: (s.start, s.key))
    chosen, records = page(call, list(found))
    rows = [_summary(s) for s in chosen if isinstance(s, SimSession)]
    return Reply("meet", "lstsummaryMeetingResponse", {"meeting": rows, "matchingRecords": records})


def _summary(session: SimSession) -> dict[str, Any]:
    return {
        "meetingKey": session.key,
        "confName": session.topic,
        "meetingType": session.session_type,
        "hostWebExID": session.host,
        "otherHostWebExID": session.created_by if session.created_by != session.host else session.host,
        "timeZoneID": session.zone_id,
        "timeZone": zone_label(session.zone_id, session.start),
        "status": "INPROGRESS" if session.in_progress else "NOT_INPROGRESS",
        "startDate": wall(session.start, session.zone_id),
        "duration": session.duration,
        "listStatus": session.listing,
        "hostJoined": session.in_progress,
        "participantsJoined": bool(session.joined) and session.in_progress,
    }


def host_url(call: Call) -> Reply:
    session = call.own_session(admin_allowed=True)
    ticket = call.state.issue_login_ticket(session.host)
    url = urlapi.host_login_url(
        call.site_url, call.state.site_name, webex_id=session.host, login_ticket=ticket, meeting_key=session.key
    )
    return Reply("meet", "GethosturlMeetingResponse", {"hostMeetingURL": url})


def join_url(call: Call) -> Reply:
    session = call.session()
    url = urlapi.join_url(
        call.site_url,
        call.state.site_name,
        session.key,
        attendee_name=call.body.text("attendeeName") or None,
        attendee_email=call.body.text("attendeeEmail") or None,
        password=session.password or None,
    )
    return Reply("meet", "GetjoinurlMeetingResponse", {"joinMeetingURL": url, "inviteMeetingURL": url})


def _is_meeting(session: SimSession) -> bool:
    return session.service is ServiceType.MEETING_CENTER and session.session_type != TELECONFERENCE_ONLY


def _meeting(call: Call, session: SimSession) -> SimSession:
    if not _is_meeting(session):
        raise Failure(MEETING_NOT_FOUND, "Corresponding Meeting not found")
    return session

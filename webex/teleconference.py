"""Teleconference-only sessions: CreateTeleconferenceSession, GetTeleconferenceSession."""

from __future__ import annotations

from lxml import etree

from .models import Invitee, NewTeleconference, Teleconference
from .timezones import from_webex, to_webex, zone_id_for_moment
from .xml import Node, build

CREATE = "meeting.auo.CreateTeleconferenceSession"
GET = "meeting.auo.GetTeleconferenceSession"


def create_body(session: NewTeleconference) -> etree._Element:
    zone_id = session.time_zone_id if session.time_zone_id is not None else zone_id_for_moment(session.start)
    return build(
        "bodyContent",
        build("accessControl", listing=session.listing, sessionPassword=session.password),
        build("metaData", confName=session.topic),
        _people("fullAccessAttendees", session.full_access),
        _people("limitedAccessAttendees", session.limited_access),
        build(
            "schedule",
            startDate=to_webex(session.start, zone_id),
            timeZoneID=zone_id,
            duration=session.duration_minutes,
        ),
        build("teleconference", extTelephonyDescription=session.call_in_description)
        if session.call_in_description
        else None,
        build("attendeeOptions", emailInvitations=session.email_invitations),
    )


def _people(tag: str, people: tuple[Invitee, ...]) -> etree._Element | None:
    if not people:
        return None
    wrapper = build(tag)
    for person in people:
        wrapper.append(build("attendee", name=person.name, email=person.email))
    return wrapper


def parse_created_key(body: Node) -> str:
    return body.text("sessionKey")


def parse_session(body: Node, key: str) -> Teleconference:
    schedule = body.child("schedule") or body
    zone_id = schedule.int("timeZoneID", 4)
    session_type = body.text("metaData/sessionType")
    return Teleconference(
        key=body.text("sessionKey") or key,
        topic=body.text("metaData/confName"),
        host_webex_id=schedule.text("hostWebExID"),
        start=from_webex(schedule.text("startDate"), zone_id),
        duration_minutes=schedule.int("duration"),
        time_zone_id=zone_id,
        listing=body.text("accessControl/listing"),
        session_type=int(session_type) if session_type.isdigit() else None,
        call_in_description=body.text("teleconference/extTelephonyDescription")
        or body.text("telephony/extTelephonyDescription"),
        password=body.text("accessControl/sessionPassword") or None,
    )

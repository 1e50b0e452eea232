"""Meeting service: CreateMeeting, SetMeeting, GetMeeting, DelMeeting, LstsummaryMeeting,
GethosturlMeeting, GetjoinurlMeeting."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from .models import (
    CalendarLinks,
    CreatedSession,
    Invitee,
    Meeting,
    MeetingChanges,
    MeetingSummary,
    NewMeeting,
    SessionStatus,
)
from .paging import order
from .repeat import parse_repeat, repeat_element
from .timezones import from_webex, to_webex, zone_id_for_moment
from .xml import Node, build

CREATE = "meeting.CreateMeeting"
SET = "meeting.SetMeeting"
GET = "meeting.GetMeeting"
DELETE = "meeting.DelMeeting"
LIST = "meeting.LstsummaryMeeting"
HOST_URL = "meeting.GethosturlMeeting"
JOIN_URL = "meeting.GetjoinurlMeeting"


def create_body(meeting: NewMeeting) -> etree._Element:
    zone_id = meeting.time_zone_id if meeting.time_zone_id is not None else zone_id_for_moment(meeting.start)
    attendees = build("attendees")
    for invitee in meeting.invitees:
        attendees.append(_attendee(invitee, meeting.email_invitations))
    return build(
        "bodyContent",
        build("accessControl", meetingPassword=meeting.password) if meeting.password else None,
        build("metaData", confName=meeting.topic, meetingType=meeting.meeting_type, agenda=meeting.agenda),
        build("participants", attendees) if meeting.invitees else None,
        build(
            "schedule",
            startDate=to_webex(meeting.start, zone_id),
            duration=meeting.duration_minutes,
            timeZoneID=zone_id,
            hostWebExID=meeting.host_webex_id,
        ),
        repeat_element(meeting.repeat, zone_id) if meeting.repeat is not None else None,
        build("attendeeOptions", emailInvitations=meeting.email_invitations),
    )


def _attendee(invitee: Invitee, email_invitations: bool) -> etree._Element:
    return build(
        "attendee",
        build("person", name=invitee.name, email=invitee.email),
        role=invitee.role,
        emailInvitations=email_invitations,
    )


def parse_created(body: Node) -> CreatedSession:
    return CreatedSession(
        key=body.text("meetingKey"),
        guest_token=body.text("guestToken"),
        calendar=parse_calendar(body),
    )


def parse_calendar(body: Node) -> CalendarLinks:
    links = body.child("iCalendarURL")
    if links is None:
        return CalendarLinks()
    return CalendarLinks(host=links.text("host"), attendee=links.text("attendee"))


def set_body(key: str, changes: MeetingChanges) -> etree._Element:
    schedule = None
    if changes.start is not None or changes.duration_minutes is not None:
        zone_id = changes.time_zone_id
        if zone_id is None and changes.start is not None:
            zone_id = zone_id_for_moment(changes.start)
        schedule = build(
            "schedule",
            startDate=to_webex(changes.start, zone_id) if changes.start and zone_id is not None else None,
            duration=changes.duration_minutes,
            timeZoneID=zone_id if changes.start is not None else None,
        )
    meta = None
    if changes.topic is not None or changes.agenda is not None:
        meta = build("metaData", confName=changes.topic, agenda=changes.agenda)
    access = build("accessControl", meetingPassword=changes.password) if changes.password else None
    return build("bodyContent", access, meta, schedule, meetingkey=key)


def key_body(key: str, element: str = "meetingKey") -> etree._Element:
    return build("bodyContent", **{element: key})


def parse_meeting(body: Node) -> Meeting:
    schedule = body.child("schedule") or body
    zone_id = schedule.int("timeZoneID", 4)
    password = body.text("accessControl/meetingPassword")
    return Meeting(
        key=body.text("meetingKey"),
        topic=body.text("metaData/confName"),
        host_webex_id=schedule.text("hostWebExID"),
        start=from_webex(schedule.text("startDate"), zone_id),
        duration_minutes=schedule.int("duration"),
        time_zone_id=zone_id,
        status=SessionStatus.parse(body.text("status")),
        agenda=body.text("metaData/agenda"),
        meeting_type=_optional_int(body.text("metaData/meetingType")),
        password=password or None,
        invitees=tuple(_invitee(a) for a in body.find_all("attendee")),
        repeat=parse_repeat(body.child("repeat"), zone_id),
    )


def _invitee(attendee: Node) -> Invitee:
    return Invitee(
        name=attendee.text("person/name"),
        email=attendee.text("person/email"),
        role=attendee.text("role", "ATTENDEE") or "ATTENDEE",
    )


def list_body(
    *,
    host_webex_id: str | None,
    start_from: datetime | None,
    start_to: datetime | None,
    zone_id: int,
    list_control: etree._Element,
) -> etree._Element:
    scope = None
    if start_from is not None or start_to is not None:
        scope = build(
            "dateScope",
            startDateStart=to_webex(start_from, zone_id) if start_from else None,
            startDateEnd=to_webex(start_to, zone_id) if start_to else None,
            timeZoneID=zone_id,
        )
    return build("bodyContent", list_control, order("STARTTIME"), scope, hostWebExID=host_webex_id)


def parse_summaries(body: Node) -> list[MeetingSummary]:
    return [_summary(m) for m in body.children("meeting")]


def _summary(meeting: Node) -> MeetingSummary:
    row = meeting.fields()
    zone_id = _optional_int(row.get("timezoneid", ""))
    zone_id = 4 if zone_id is None else zone_id
    return MeetingSummary(
        key=row.get("meetingkey", ""),
        topic=row.get("confname", ""),
        host_webex_id=row.get("hostwebexid", ""),
        start=from_webex(row.get("startdate", ""), zone_id),
        duration_minutes=_optional_int(row.get("duration", "")) or 0,
        time_zone_id=zone_id,
        status=SessionStatus.parse(row.get("status", "")),
        list_status=row.get("liststatus", ""),
        meeting_type=_optional_int(row.get("meetingtype", "")),
    )


def join_url_body(key: str, attendee_name: str | None, attendee_email: str | None) -> etree._Element:
    return build("bodyContent", sessionKey=key, attendeeName=attendee_name, attendeeEmail=attendee_email)


def parse_url(body: Node, element: str) -> str:
    """A URL from a reply; the service (and its samples) may wrap it, so inner whitespace goes."""
    raw = body.text(element)
    return "".join(raw.split("\n")).strip()


def _optional_int(text: str) -> int | None:
    return int(text) if text.strip().lstrip("-").isdigit() else None

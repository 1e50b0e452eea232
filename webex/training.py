"""Training Center: CreateTrainingSession, GetTrainingSession, DelTrainingSession."""

from __future__ import annotations

from lxml import etree

from .models import Invitee, NewTraining, SessionStatus, TrainingSession
from .timezones import start_from_schedule, to_webex, zone_id_for_moment
from .xml import Node, build

CREATE = "training.CreateTrainingSession"
GET = "training.GetTrainingSession"
DELETE = "training.DelTrainingSession"


def create_body(session: NewTraining) -> etree._Element:
    zone_id = session.time_zone_id if session.time_zone_id is not None else zone_id_for_moment(session.start)
    return build(
        "bodyContent",
        build("accessControl", listing=session.listing, sessionPassword=session.password),
        build(
            "schedule",
            startDate=to_webex(session.start, zone_id),
            duration=session.duration_minutes,
            timeZoneID=zone_id,
            hostWebExID=session.host_webex_id,
        ),
        build(
            "metaData",
            confName=session.topic,
            agenda=session.agenda,
            description=session.description,
        ),
        _participants("presenters", session.presenters),
        _participants("attendees", session.attendees),
        build("attendeeOptions", emailInvitations=session.email_invitations),
    )


def _participants(tag: str, people: tuple[Invitee, ...]) -> etree._Element | None:
    if not people:
        return None
    holder = build("participants")
    for person in people:
        holder.append(
            build(
                "participant",
                build("person", name=person.name, email=person.email, type="MEMBER"),
                role=person.role,
            )
        )
    return build(tag, holder)


def parse_created_key(body: Node) -> str:
    return body.text("sessionKey")


def parse_session(body: Node, key: str) -> TrainingSession:
    schedule = body.child("schedule") or body
    zone = schedule.text("timeZoneID")
    zone_id = int(zone) if zone.isdigit() else None
    start = start_from_schedule(schedule.text("startDate"), zone_id, schedule.text("timeZone"))
    if start is None:
        raise ValueError("training session reply has no usable start time")
    return TrainingSession(
        key=body.text("sessionKey") or key,
        topic=body.text("metaData/confName"),
        host_webex_id=schedule.text("hostWebExID"),
        start=start,
        duration_minutes=schedule.int("duration"),
        time_zone_id=zone_id if zone_id is not None else -1,
        status=SessionStatus.parse(body.text("status")),
        agenda=body.text("metaData/agenda"),
        description=body.text("metaData/description"),
        listing=body.text("accessControl/listing"),
        password=body.text("accessControl/sessionPassword") or None,
        presenters=_people(body.child("presenters")),
        attendees=_people(body.child("attendees")),
    )


def _people(group: Node | None) -> tuple[Invitee, ...]:
    if group is None:
        return ()
    return tuple(
        Invitee(
            name=p.text("person/name"),
            email=p.text("person/email"),
            role=p.text("role", "ATTENDEE") or "ATTENDEE",
        )
        for p in group.find_all("participant")
    )

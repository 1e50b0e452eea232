"""Simulated General Session, teleconference-only, Training Center and Site operations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ...models import ServiceType
from ...timezones import ZONES, parse_wall, zone
from ..replies import Failure, Reply
from ..state import SimPerson, SimSession
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
from .repeat import starts

TELECONFERENCE_ONLY = 16
TRAINING = 11
HOST_TYPES = {
    ServiceType.MEETING_CENTER: "1001001",
    ServiceType.TRAINING_CENTER: "1019001",
    ServiceType.EVENT_CENTER: "1019001",
    ServiceType.SUPPORT_CENTER: "1019001",
}


def list_open(call: Call) -> Reply:
    wanted = [ServiceType.parse(n.value) for n in call.body.children("serviceType") if n.value] or list(ServiceType)
    groups = []
    for service in wanted:
        live = sorted(
            (s for s in call.state.sessions.values() if s.service is service and s.in_progress),
            key=lambda s: (s.started_at or s.start, s.key),
        )
        if live:
            groups.append({"serviceType": service.value, "sessions": [_open_fields(s) for s in live]})
    total = sum(len(g["sessions"]) for g in groups)
    if not total:
        raise Failure("000015", "Sorry, no record found")
    return Reply(
        "ep",
        "LstOpenSessionResponse",
        {"matchingRecords": {"serv:total": total, "serv:returned": total, "serv:startFrom": 1}, "services": groups},
    )


def _open_fields(session: SimSession) -> dict[str, Any]:
    started = session.started_at or session.start
    return {
        "sessionKey": session.key,
        "sessionName": session.topic,
        "hostWebExID": session.host,
        "startTime": wall(started, session.zone_id),
        "timeZoneID": session.zone_id,
        "listStatus": session.listing,
    }


def list_sessions(call: Call) -> Reply:
    body = call.body
    services = {ServiceType.parse(n.value) for n in body.find_all("serviceType") if n.value}
    types = {int(n.value) for n in body.find_all("sessionType") if n.value.isdigit()}
    host_filter = body.text("hostWebExID").lower()
    invited = body.bool("invited")
    start_from, start_to, zone_id = scope_bounds(call, call.caller.time_zone_id)
    caller = call.caller

    def visible(s: SimSession) -> bool:
        if s.ended_at is not None:
            return False
        if host_filter:
            return s.host.lower() == host_filter and (caller.is_site_admin or s.is_owned_by(caller.webex_id))
        mine = s.is_owned_by(caller.webex_id) or (invited and s.invites(caller.email))
        return caller.is_site_admin or mine

    found = [
        s
        for s in call.state.sessions.values()
        if visible(s)
        and (not services or s.service in services)
        and (not types or s.session_type in types)
        and (start_from is None or s.start >= start_from)
        and (start_to is None or s.start <= start_to)
    ]
    found += _recurring(call, start_from, start_to, visible, services, types)
    found.sort(key=lambda s: (s.start, s.key))
    chosen, records = page(call, list(found))
    rows = [_summary(call, s, zone_id) for s in chosen if isinstance(s, SimSession)]
    return Reply("ep", "lstsummarySessionResponse", {"matchingRecords": records, "session": rows})


def _recurring(
    call: Call,
    start_from: datetime | None,
    start_to: datetime | None,
    visible: Callable[[SimSession], bool],
    services: set[ServiceType],
    types: set[int],
) -> list[SimSession]:
    """A series' later meetings in the date range, one row each (its first is listed like any session)."""
    if start_from is None or start_to is None:
        return []
    rows = []
    for s in call.state.sessions.values():
        kept = (not services or s.service in services) and (not types or s.session_type in types)
        if not s.repeat or not kept or not visible(s):
            continue
        for start in starts(s.repeat, s.start, s.zone_id, start_from, start_to):
            if start != s.start:
                rows.append(replace(s, start=start, started_at=None, ended_at=None))
    return rows


def _summary(call: Call, session: SimSession, zone_id: int) -> dict[str, Any]:
    host = call.state.find_user(session.host)
    return {
        "sessionKey": session.key,
        "confName": session.topic,
        "sessionType": session.session_type,
        "serviceType": session.service.value,
        "hostWebExID": session.host,
        "hostFirstName": host.first_name if host else "",
        "hostLastName": host.last_name if host else "",
        "otherHostWebExID": session.created_by,
        "timeZoneID": zone_id,
        "timeZone": zone_label(zone_id, session.start),
        "status": "INPROGRESS" if session.in_progress else "NOT_INPROGRESS",
        "startTime": wall(session.start, zone_id),
        "openTime": 5,
        "duration": session.duration,
        "listStatus": session.listing,
        "hostEmail": host.email if host else "",
        "passwordReq": bool(session.password),
        "hostJoined": session.in_progress,
        "participantsJoined": bool(session.joined) and session.in_progress,
        "confID": session.conf_id,
        "registration": False,
        "isRecurring": bool(session.repeat),
        "hostType": HOST_TYPES[session.service],
    }


def session_info(call: Call) -> Reply:
    session = call.session()
    host = call.state.find_user(session.host)
    caller = call.caller
    may_see_password = (
        session.is_owned_by(caller.webex_id)
        or session.invites(caller.email)
        or (bool(session.password) and call.body.text("sessionPassword") == session.password)
    )
    fields = {
        "status": "INPROGRESS" if session.in_progress else "NOT_INPROGRESS",
        "sessionkey": session.key,
        "confID": session.conf_id,
        "accessControl": {
            "sessionPassword": session.password if may_see_password and session.password else None,
            "listStatus": session.listing,
            "registration": False,
            "passwordReq": bool(session.password),
        },
        "metaData": {
            "confName": session.topic,
            "sessionType": session.session_type,
            "serviceType": session.service.value,
            "isRecurring": bool(session.repeat),
        },
        "telephony": {"telephonySupport": "CALLIN" if session.call_in else "NONE"},
        "host": {
            "firstName": host.first_name if host else "",
            "lastName": host.last_name if host else "",
            "email": host.email if host else "",
            "webExId": session.host,
        },
        "schedule": {
            "startDate": wall(session.start, session.zone_id),
            "duration": session.duration,
            "timeZoneID": session.zone_id,
            "timeZone": zone_label(session.zone_id, session.start),
        },
    }
    return Reply("ep", "getSessionInfoResponse", fields)


def delete_session(call: Call) -> Reply:
    session = call.own_session(admin_allowed=True)
    require_not_started(session)
    del call.state.sessions[session.key]
    return Reply("ep", "DelSessionResponse")


def create_teleconference(call: Call) -> Reply:
    body = call.body
    schedule = body.child("schedule") or body
    start, zone_id = parse_start(schedule)
    host = effective_host(call, schedule.text("hostWebExID"))

    def people(group: str) -> list[SimPerson]:
        holder = body.child(group)
        if holder is None:
            return []
        return [host_person(call, a, "ATTENDEE") for a in holder.children("attendee")]

    session = call.state.add_session(
        SimSession(
            key=call.state.new_key(),
            service=ServiceType.MEETING_CENTER,
            session_type=TELECONFERENCE_ONLY,
            topic=required_text(body, "metaData/confName", "confName"),
            host=host.webex_id,
            created_by=call.caller.webex_id,
            start=start,
            zone_id=zone_id,
            duration=parse_duration(schedule),
            password=body.text("accessControl/sessionPassword"),
            listing=body.text("accessControl/listing") or "PUBLIC",
            full_access=people("fullAccessAttendees"),
            limited_access=people("limitedAccessAttendees"),
            call_in=body.text("teleconference/extTelephonyDescription")
            or "Call-in toll number: +1-408-555-0100, access code " + call.state.new_conf_id(),
            conf_id=call.state.new_conf_id(),
        )
    )
    return Reply("auo", "createTeleconferenceSessionResponse", {"sessionKey": session.key})


def get_teleconference(call: Call) -> Reply:
    session = call.own_session()
    if session.session_type != TELECONFERENCE_ONLY:
        raise Failure(MEETING_NOT_FOUND, "Corresponding Meeting not found")
    fields = {
        "accessControl": {"listing": session.listing, "sessionPassword": session.password or None},
        "metaData": {"confName": session.topic, "sessionType": session.session_type},
        "schedule": {
            "startDate": wall(session.start, session.zone_id),
            "timeZoneID": session.zone_id,
            "timeZone": zone_label(session.zone_id, session.start),
            "duration": session.duration,
            "entryExitTone": "BEEP",
            "hostWebExID": session.host,
        },
        "teleconference": {"extTelephonyDescription": session.call_in},
        "fullAccessAttendees": _attendees(session.full_access),
        "limitedAccessAttendees": _attendees(session.limited_access),
        "sessionKey": session.key,
        "hostType": "1019001",
    }
    return Reply("auo", "getTeleconferenceSessionResponse", fields)


def create_training(call: Call) -> Reply:
    body = call.body
    schedule = body.child("schedule") or body
    start, zone_id = parse_start(schedule)
    host = effective_host(call, schedule.text("hostWebExID"))

    def people(group: str) -> list[SimPerson]:
        holder = body.child(group)
        if holder is None:
            return []
        return [host_person(call, p.child("person") or p, p.text("role")) for p in holder.find_all("participant")]

    session = call.state.add_session(
        SimSession(
            key=call.state.new_key(),
            service=ServiceType.TRAINING_CENTER,
            session_type=TRAINING,
            topic=required_text(body, "metaData/confName", "confName"),
            host=host.webex_id,
            created_by=call.caller.webex_id,
            start=start,
            zone_id=zone_id,
            duration=parse_duration(schedule),
            agenda=body.text("metaData/agenda"),
            description=body.text("metaData/description"),
            password=body.text("accessControl/sessionPassword"),
            listing=body.text("accessControl/listing") or "PUBLIC",
            presenters=people("presenters"),
            invitees=people("attendees"),
            conf_id=call.state.new_conf_id(),
            guest_token=call.state.new_token(),
        )
    )
    return Reply(
        "train",
        "createTrainingSessionResponse",
        {
            "sessionkey": session.key,
            "additionalInfo": {"sessionkey": session.key, "guestToken": session.guest_token},
        },
    )


def get_training(call: Call) -> Reply:
    session = _training(call.own_session())
    fields = {
        "sess:accessControl": {"sess:listing": session.listing, "sess:sessionPassword": session.password or None},
        "sess:schedule": {
            "sess:startDate": wall(session.start, session.zone_id),
            "sess:timeZone": zone_label(session.zone_id, session.start),
            "sess:duration": session.duration,
            "sess:timeZoneID": session.zone_id,
            "sess:hostWebExID": session.host,
            "sess:openTime": 20,
        },
        "metaData": {
            "sess:confName": session.topic,
            "agenda": session.agenda,
            "description": session.description,
        },
        "presenters": {"sess:participants": {"sess:participant": [_participant(p) for p in session.presenters]}},
        "attendees": {"sess:participants": {"sess:participant": [_participant(p) for p in session.invitees]}},
        "sessionKey": session.key,
        "status": "INPROGRESS" if session.in_progress else "NOT_INPROGRESS",
        "guestToken": session.guest_token,
        "hostType": "1019001",
    }
    return Reply("train", "getTrainingSessionResponse", fields)


def _attendees(people: list[SimPerson]) -> dict[str, Any]:
    return {"attendee": [{"name": p.name, "email": p.email} for p in people]}


def _participant(person: SimPerson) -> dict[str, Any]:
    return {
        "sess:person": {"com:name": person.name, "com:email": person.email, "com:type": "MEMBER"},
        "sess:joinStatus": "ACCEPT",
        "sess:role": person.role,
    }


def delete_training(call: Call) -> Reply:
    session = _training(call.own_session(admin_allowed=True))
    require_not_started(session)
    del call.state.sessions[session.key]
    return Reply("train", "DelTrainingSessionResponse")


def _training(session: SimSession) -> SimSession:
    if session.service is not ServiceType.TRAINING_CENTER:
        raise Failure(MEETING_NOT_FOUND, "Corresponding Meeting not found")
    return session


def list_time_zones(call: Call) -> Reply:
    raw_id = call.body.text("timeZoneID")
    raw_date = call.body.text("date")
    try:
        at = parse_wall(raw_date).replace(tzinfo=UTC) if raw_date else call.now
    except ValueError:
        raise Failure(INVALID, "Invalid date") from None
    if raw_id:
        if not raw_id.isdigit() or int(raw_id) >= len(ZONES):
            raise Failure(INVALID, "Invalid timeZoneID")
        chosen = [zone(int(raw_id))]
    else:
        chosen = list(ZONES)
    rows = []
    for z in chosen:
        local = at.astimezone(z.tz)
        rows.append(
            {
                "timeZoneID": z.id,
                "gmtOffset": z.offset_minutes(at),
                "description": z.describe(at),
                "hideTimeZoneName": False,
                "fallInDST": bool(local.dst()),
            }
        )
    return Reply("ns1", "lstTimeZoneResponse", {"timeZone": rows})

"""General Session service: LstOpenSession, LstsummarySession, GetSessionInfo, DelSession."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from lxml import etree

from .models import OpenSession, ServiceType, SessionInfo, SessionStatus, SessionSummary
from .paging import order
from .timezones import from_webex, start_from_schedule, to_webex
from .xml import Node, build, sub

LIST_OPEN = "ep.LstOpenSession"
LIST = "ep.LstsummarySession"
INFO = "ep.GetSessionInfo"
DELETE = "ep.DelSession"


def open_body(service_types: Iterable[ServiceType]) -> etree._Element:
    body = build("bodyContent")
    for service in service_types:
        sub(body, "serviceType", service.value)
    return body


def parse_open(body: Node) -> list[OpenSession]:
    found: list[OpenSession] = []
    for group in body.children("services"):
        service = ServiceType.parse(group.text("serviceType"))
        for holder in group.children("sessions"):
            # The guide's sample nests one session's fields directly in <sessions>; a site may
            # also wrap each in <session>.
            items = list(holder.children("session")) or [holder]
            found.extend(_open(item, service) for item in items)
    return found


def _open(item: Node, service: ServiceType) -> OpenSession:
    zone_id = item.int("timeZoneID", 4)
    return OpenSession(
        key=item.text("sessionKey"),
        name=item.text("sessionName"),
        host_webex_id=item.text("hostWebExID"),
        start=from_webex(item.text("startTime"), zone_id),
        service_type=service,
        time_zone_id=zone_id,
        list_status=item.text("listStatus"),
    )


def list_body(
    *,
    host_webex_id: str | None,
    service_types: Iterable[ServiceType],
    start_from: datetime | None,
    start_to: datetime | None,
    zone_id: int,
    invited: bool,
    list_control: etree._Element,
) -> etree._Element:
    scope = build(
        "dateScope",
        startDateStart=to_webex(start_from, zone_id) if start_from else None,
        startDateEnd=to_webex(start_to, zone_id) if start_to else None,
        timeZoneID=zone_id,
    )
    services = build("serviceTypes")
    for service in service_types:
        sub(services, "serviceType", service.value)
    return build(
        "bodyContent",
        list_control,
        order("STARTTIME"),
        scope,
        services if len(services) else None,
        hostWebExID=host_webex_id,
        invited=invited or None,
    )


def parse_summaries(body: Node) -> list[SessionSummary]:
    return [_summary(s) for s in body.children("session")]


def _summary(item: Node) -> SessionSummary:
    zone_id = item.int("timeZoneID", 4)
    session_type = item.text("sessionType")
    return SessionSummary(
        key=item.text("sessionKey"),
        topic=item.text("confName"),
        service_type=ServiceType.parse(item.text("serviceType", "MeetingCenter")),
        session_type=int(session_type) if session_type.isdigit() else None,
        host_webex_id=item.text("hostWebExID"),
        host_email=item.text("hostEmail"),
        start=from_webex(item.text("startTime"), zone_id),
        duration_minutes=item.int("duration"),
        time_zone_id=zone_id,
        status=SessionStatus.parse(item.text("status")),
        list_status=item.text("listStatus"),
        password_required=item.bool("passwordReq"),
    )


def info_body(key: str, password: str | None) -> etree._Element:
    return build("bodyContent", sessionPassword=password, sessionKey=key)


def parse_info(body: Node) -> SessionInfo:
    schedule = body.child("schedule") or body
    zone = schedule.text("timeZoneID")
    start = start_from_schedule(
        schedule.text("startDate"), int(zone) if zone.isdigit() else None, schedule.text("timeZone")
    )
    session_type = body.text("metaData/sessionType")
    return SessionInfo(
        key=body.text("sessionKey"),
        topic=body.text("metaData/confName"),
        status=SessionStatus.parse(body.text("status")),
        service_type=ServiceType.parse(body.text("metaData/serviceType", "MeetingCenter")),
        session_type=int(session_type) if session_type.isdigit() else None,
        host_webex_id=body.text("host/webExId"),
        host_email=body.text("host/email"),
        start=start,
        duration_minutes=schedule.int("duration"),
        conf_id=body.text("confID"),
        list_status=body.text("accessControl/listStatus"),
        password_required=body.bool("accessControl/passwordReq"),
        password=body.text("accessControl/sessionPassword") or None,
    )

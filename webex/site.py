"""Site service: LstTimeZone."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from .models import TimeZoneInfo
from .timezones import WEBEX_DATETIME
from .xml import Node, build

LIST_TIME_ZONES = "site.LstTimeZone"


def time_zone_body(zone_id: int | None, at: datetime | None) -> etree._Element:
    when = at.astimezone(UTC).strftime(WEBEX_DATETIME) if at else None
    return build("bodyContent", timeZoneID=zone_id, date=when)


def parse_time_zones(body: Node) -> list[TimeZoneInfo]:
    return [
        TimeZoneInfo(
            id=z.int("timeZoneID"),
            gmt_offset_minutes=z.int("gmtOffset"),
            description=" ".join(z.text("description").split()),
            fall_in_dst=z.bool("fallInDST"),
        )
        for z in body.children("timeZone")
    ]

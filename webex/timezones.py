"""The 62 Webex time zones (URL API guide, Table 2-106) and their mapping to IANA zones.

Webex takes wall times plus a timeZoneID. Each ID is represented here by the IANA zone of the
city its description names, so the offset in force on any date comes from the tz database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEBEX_DATETIME = "%m/%d/%Y %H:%M:%S"


@dataclass(frozen=True)
class WebexZone:
    id: int
    label: str  # the guide's description, without the printed offset
    iana: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.iana)

    def offset_minutes(self, at: datetime) -> int:
        offset = at.astimezone(self.tz).utcoffset() or timedelta(0)
        return int(offset.total_seconds() // 60)

    def describe(self, at: datetime) -> str:
        """`GMT-08:00, Pacific (San Jose)`, with the offset in force at `at`."""
        minutes = self.offset_minutes(at)
        sign = "-" if minutes < 0 else "+"
        hours, mins = divmod(abs(minutes), 60)
        return f"GMT{sign}{hours:02d}:{mins:02d}, {self.label}"


_TABLE: tuple[tuple[str, str], ...] = (
    ("Dateline (Eniwetok)", "Etc/GMT+12"),
    ("Samoa (Samoa)", "Pacific/Pago_Pago"),
    ("Hawaii (Honolulu)", "Pacific/Honolulu"),
    ("Alaska (Anchorage)", "America/Anchorage"),
    ("Pacific (San Jose)", "America/Los_Angeles"),
    ("Mountain (Arizona)", "America/Phoenix"),
    ("Mountain (Denver)", "America/Denver"),
    ("Central (Chicago)", "America/Chicago"),
    ("Mexico (Mexico City, Tegucigalpa)", "America/Mexico_City"),
    ("Central (Regina)", "America/Regina"),
    ("S. America Pacific (Bogota)", "America/Bogota"),
    ("Eastern (New York)", "America/New_York"),
    ("Eastern (Indiana)", "America/Indiana/Indianapolis"),
    ("Atlantic (Halifax)", "America/Halifax"),
    ("S. America Western (Caracas)", "America/Caracas"),
    ("Newfoundland (Newfoundland)", "America/St_Johns"),
    ("S. America Eastern (Brasilia)", "America/Sao_Paulo"),
    ("S. America Eastern (Buenos Aires)", "America/Argentina/Buenos_Aires"),
    ("Mid-Atlantic (Mid-Atlantic)", "Atlantic/South_Georgia"),
    ("Azores (Azores)", "Atlantic/Azores"),
    ("Greenwich (Casablanca)", "Africa/Casablanca"),
    ("GMT (London)", "Europe/London"),
    ("Europe (Amsterdam)", "Europe/Amsterdam"),
    ("Europe (Paris)", "Europe/Paris"),
    ("Europe (Prague)", "Europe/Prague"),
    ("Europe (Berlin)", "Europe/Berlin"),
    ("Greece (Athens)", "Europe/Athens"),
    ("Eastern Europe (Bucharest)", "Europe/Bucharest"),
    ("Egypt (Cairo)", "Africa/Cairo"),
    ("South Africa (Pretoria)", "Africa/Johannesburg"),
    ("Northern Europe (Helsinki)", "Europe/Helsinki"),
    ("Israel (Tel Aviv)", "Asia/Jerusalem"),
    ("Saudi Arabia (Baghdad)", "Asia/Baghdad"),
    ("Russian (Moscow)", "Europe/Moscow"),
    ("Nairobi (Nairobi)", "Africa/Nairobi"),
    ("Iran (Tehran)", "Asia/Tehran"),
    ("Arabian (Abu Dhabi, Muscat)", "Asia/Dubai"),
    ("Baku (Baku)", "Asia/Baku"),
    ("Afghanistan (Kabul)", "Asia/Kabul"),
    ("West Asia (Ekaterinburg)", "Asia/Yekaterinburg"),
    ("West Asia (Islamabad)", "Asia/Karachi"),
    ("India (Bombay)", "Asia/Kolkata"),
    ("Colombo (Colombo)", "Asia/Colombo"),
    ("Central Asia (Almaty)", "Asia/Almaty"),
    ("Bangkok (Bangkok)", "Asia/Bangkok"),
    ("China (Beijing)", "Asia/Shanghai"),
    ("Australia Western (Perth)", "Australia/Perth"),
    ("Singapore (Singapore)", "Asia/Singapore"),
    ("Taipei (Hong Kong)", "Asia/Hong_Kong"),
    ("Tokyo (Tokyo)", "Asia/Tokyo"),
    ("Korea (Seoul)", "Asia/Seoul"),
    ("Yakutsk (Yakutsk)", "Asia/Yakutsk"),
    ("Australia Central (Adelaide)", "Australia/Adelaide"),
    ("Australia Central (Darwin)", "Australia/Darwin"),
    ("Australia Eastern (Brisbane)", "Australia/Brisbane"),
    ("Australia Eastern (Sydney)", "Australia/Sydney"),
    ("West Pacific (Guam)", "Pacific/Guam"),
    ("Tasmania (Hobart)", "Australia/Hobart"),
    ("Vladivostok (Vladivostok)", "Asia/Vladivostok"),
    ("Central Pacific (Solomon Is)", "Pacific/Guadalcanal"),
    ("New Zealand (Wellington)", "Pacific/Auckland"),
    ("Fiji (Fiji)", "Pacific/Fiji"),
)

ZONES: tuple[WebexZone, ...] = tuple(WebexZone(id=i, label=label, iana=iana) for i, (label, iana) in enumerate(_TABLE))


def zone(zone_id: int) -> WebexZone:
    """The Webex zone with this ID; ValueError outside 0-61."""
    if not 0 <= zone_id < len(ZONES):
        raise ValueError(f"Webex timeZoneID must be 0-{len(ZONES) - 1}, not {zone_id}")
    return ZONES[zone_id]


def iana_for(zone_id: int) -> ZoneInfo:
    """The IANA zone that stands for a Webex timeZoneID."""
    return zone(zone_id).tz


def zone_id_for(iana: str, on: date) -> int:
    """The Webex timeZoneID whose rules give `iana`'s UTC offset on `on`.

    Among zones with that offset, one that also agrees in January and July (the same daylight
    saving rules) wins; an exact IANA match wins over both. With no zone at that offset (say
    Asia/Kathmandu, +05:45) the nearest offset is chosen: callers convert wall times through
    the chosen zone, so the instant is still right.
    """
    return _zone_id_for(iana, on)


@lru_cache(maxsize=4096)
def _zone_id_for(iana: str, on: date) -> int:
    try:
        user = ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {iana!r}") from None
    for candidate in ZONES:
        if candidate.iana == iana:
            return candidate.id
    noon = datetime(on.year, on.month, on.day, 12, tzinfo=user)
    probes = [noon, noon.replace(month=1, day=15), noon.replace(month=7, day=15)]

    def offsets(z: ZoneInfo) -> list[timedelta | None]:
        return [p.astimezone(z).utcoffset() for p in probes]

    mine = offsets(user)
    best = min(
        ZONES,
        key=lambda c: (
            abs(_minutes(offsets(c.tz)[0]) - _minutes(mine[0])),
            offsets(c.tz) != mine,
            c.id,
        ),
    )
    return best.id


def _minutes(delta: timedelta | None) -> int:
    return int((delta or timedelta(0)).total_seconds() // 60)


def to_webex(moment: datetime, zone_id: int) -> str:
    """An aware datetime as Webex wall time (`MM/DD/YYYY HH:MM:SS`) in `zone_id`."""
    if moment.tzinfo is None:
        raise ValueError("Webex times must be built from aware datetimes")
    return moment.astimezone(iana_for(zone_id)).strftime(WEBEX_DATETIME)


def from_webex(text: str, zone_id: int) -> datetime:
    """Webex wall time in `zone_id` (padded or not) as an aware datetime in that zone."""
    return parse_wall(text).replace(tzinfo=iana_for(zone_id))


def parse_wall(text: str) -> datetime:
    """`MM/DD/YYYY HH:MM:SS`, padded or not (`4/05/2004 10:00:00`), as a naive datetime."""
    try:
        day, clock = text.split()
        month, mday, year = day.split("/")
        hour, minute, second = clock.split(":")
        return datetime(int(year), int(month), int(mday), int(hour), int(minute), int(second))
    except ValueError:
        raise ValueError(f"{text!r} is not a Webex date (MM/DD/YYYY HH:MM:SS)") from None


def zone_id_for_moment(moment: datetime) -> int:
    """The Webex timeZoneID for an aware datetime: by its IANA zone when it has one, else by offset."""
    key = getattr(moment.tzinfo, "key", None)
    if key:
        return zone_id_for(key, moment.date())
    return _zone_id_for_offset(_minutes(moment.utcoffset()), moment.date())


@lru_cache(maxsize=1024)
def _zone_id_for_offset(offset: int, on: date) -> int:
    noon = datetime(on.year, on.month, on.day, 12, tzinfo=timezone(timedelta(minutes=offset)))
    return min(ZONES, key=lambda z: (abs(z.offset_minutes(noon) - offset), z.id)).id


_DESCRIPTION_OFFSET = re.compile(r"GMT\s*([+-])\s*(\d{1,2}):(\d{2})")


def start_from_schedule(start_text: str, zone_id: int | None, description: str = "") -> datetime | None:
    """A reply's start time: by timeZoneID when given, else by the offset its timeZone text prints."""
    if not start_text:
        return None
    if zone_id is not None and 0 <= zone_id < len(ZONES):
        return from_webex(start_text, zone_id)
    match = _DESCRIPTION_OFFSET.search(description)
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    offset = timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    return parse_wall(start_text).replace(tzinfo=offset)

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from webex.timezones import ZONES, from_webex, start_from_schedule, to_webex, zone, zone_id_for


def test_there_are_62_zones_numbered_from_0():
    assert [z.id for z in ZONES] == list(range(62))
    assert zone(4).label == "Pacific (San Jose)"
    with pytest.raises(ValueError):
        zone(62)


@pytest.mark.parametrize(
    ("iana", "on", "expected"),
    [
        ("America/New_York", date(2026, 7, 1), 11),
        ("America/Toronto", date(2026, 1, 15), 11),  # same rules as New York
        ("America/Toronto", date(2026, 7, 15), 11),
        ("America/Lima", date(2026, 7, 1), 10),  # -05:00 all year: Bogota, not New York
        ("Europe/Madrid", date(2026, 12, 1), 22),  # +01:00 with EU rules: first such zone
        ("Europe/Dublin", date(2026, 12, 1), 21),
        ("Asia/Kolkata", date(2026, 3, 1), 41),  # half-hour offset
        ("Australia/Melbourne", date(2026, 12, 1), 55),  # east of UTC+10, DST like Sydney
        ("Australia/Brisbane", date(2026, 12, 1), 54),
        ("Pacific/Auckland", date(2026, 12, 1), 60),
        ("America/Phoenix", date(2026, 7, 1), 5),
        ("America/Denver", date(2026, 7, 1), 6),
        ("UTC", date(2026, 7, 1), 19),  # only the Azores are at +00:00 in July
    ],
)
def test_zone_for_iana_and_date_matches_the_offset_in_force(iana, on, expected):
    chosen = zone(zone_id_for(iana, on))
    noon = datetime(on.year, on.month, on.day, 12, tzinfo=ZoneInfo(iana))
    assert chosen.offset_minutes(noon) == noon.utcoffset().total_seconds() // 60
    assert chosen.id == expected


def test_zone_without_an_exact_offset_gets_the_nearest_and_times_stay_right():
    moment = datetime(2026, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Kathmandu"))  # +05:45
    zone_id = zone_id_for("Asia/Kathmandu", moment.date())
    assert zone_id in (41, 42)
    assert from_webex(to_webex(moment, zone_id), zone_id) == moment


def test_unknown_iana_zone_is_refused():
    with pytest.raises(ValueError):
        zone_id_for("Mars/Olympus_Mons", date(2026, 1, 1))


def test_wall_time_round_trips_across_daylight_saving():
    summer = datetime(2026, 7, 1, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    winter = datetime(2026, 12, 1, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    assert to_webex(summer, 4) == "07/01/2026 12:00:00"
    assert to_webex(winter, 4) == "12/01/2026 12:00:00"
    assert from_webex("07/01/2026 12:00:00", 4) == summer
    assert from_webex("4/05/2004 10:00:00", 46).hour == 10  # unpadded, as the guide prints it


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        to_webex(datetime(2026, 1, 1, 9, 0), 4)


def test_start_from_description_when_no_zone_id_is_given():
    start = start_from_schedule("09/12/2007 11:04:11", None, "GMT-07:00, Pacific (San Francisco)")
    assert start is not None
    assert start.astimezone(UTC) == datetime(2007, 9, 12, 18, 4, 11, tzinfo=UTC)

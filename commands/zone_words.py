"""Time zone names people type after a time ("3pm PST", "10:00 UTC", "9am Pacific", "3pm Paris time")."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

# Abbreviations stand for the region's civil time, so "3pm PST" in July is 3pm Pacific time. They
# must be typed in capitals ("ist" is German for "is"); the words may be typed any way.
ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC",
    "GMT": "UTC",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "MT": "America/Denver",
    "CT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "AKST": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "BST": "Europe/London",
    "WET": "Europe/Lisbon",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
    "IST": "Asia/Kolkata",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "AWST": "Australia/Perth",
    "ACST": "Australia/Adelaide",
    "AET": "Australia/Sydney",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}
WORDS: dict[str, str] = {
    "utc": "UTC",
    "gmt": "UTC",
    "pacific": "America/Los_Angeles",
    "mountain": "America/Denver",
    "central": "America/Chicago",
    "eastern": "America/New_York",
}

# Places people name that are not the city of a time zone ("Paris time" is found in the database).
PLACES: dict[str, str] = {
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "silicon valley": "America/Los_Angeles",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "austin": "America/Chicago",
    "san diego": "America/Los_Angeles",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "uk": "Europe/London",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "milan": "Europe/Rome",
    "geneva": "Europe/Zurich",
    "barcelona": "Europe/Madrid",
    "melbourne": "Australia/Melbourne",
    "sao paulo": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "londres": "Europe/London",
    "londra": "Europe/London",
    "nueva york": "America/New_York",
    "nova iorque": "America/New_York",
    "lisboa": "Europe/Lisbon",
    "roma": "Europe/Rome",
    "parigi": "Europe/Paris",
    "milano": "Europe/Rome",
    "münchen": "Europe/Berlin",
    "wien": "Europe/Vienna",
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "pacific": "America/Los_Angeles",
}

_OFFSET = re.compile(r"(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def _alternatives(names: dict[str, str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


PATTERN = (
    r"(?:(?i:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?"
    r"|(?-i:" + _alternatives(ABBREVIATIONS) + r")"
    r"|(?i:" + _alternatives(WORDS) + r")(?:\s+(?i:time))?)(?!\w)"
)


def zone_for(word: str) -> tzinfo:
    """The zone a matched word stands for: an IANA zone, or a fixed offset for UTC+2 and the like."""
    text = " ".join(word.split())
    offset = _OFFSET.match(text)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
        return timezone(sign * delta)
    if text in ABBREVIATIONS:
        return ZoneInfo(ABBREVIATIONS[text])
    return ZoneInfo(WORDS[text.lower().removesuffix(" time")])


def place_zone(name: str) -> tzinfo | None:
    """The zone of a named place ("Paris", "New York", "Sao Paulo", "Bangalore"), or None."""
    key = " ".join(name.lower().replace("_", " ").split())
    zone = PLACES.get(key) or _cities().get(key) or _cities().get(unidecode_lite(key))
    return ZoneInfo(zone) if zone else None


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """The last part of every zone name in the database, "new york" -> America/New_York."""
    cities: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            cities.setdefault(city, name)
            cities.setdefault(unidecode_lite(city), name)
    return cities


def unidecode_lite(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))

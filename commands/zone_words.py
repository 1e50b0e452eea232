"""Time zone names people type after a time ("3pm PST", "10:00 UTC", "9am Pacific")."""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# Abbreviations stand for the region's civil time, so "3pm PST" in July is 3pm Pacific time. They
# must be typed in capitals ("ist" is German for "is"); the words may be typed any way.
ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC",
    "GMT": "UTC",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
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

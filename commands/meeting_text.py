"""Understand how people ask for a meeting: topic, start, duration and invitees from free text.

    parse_meeting_text("Design review tomorrow at 3pm for 45 min with <@U024BE7LH>",
                       tz="America/New_York", now=..., locale="en-US")

The text is read in passes, most specific first; each pass takes the words it understands out of
the text, and whatever is left, less the filler around what was taken, is the topic. dateparser's
language data supplies month, weekday and relative-day words (see `vocabulary`); the rules about
which day and hour a phrase means are here:

- times are in the future: a bare time that has passed today means tomorrow; a weekday means its
  next occurrence (today, if the time has not passed); a date without a year is the next such date;
- a bare hour from 1 to 6 with no am/pm, in English, is in the afternoon ("at 3" is 15:00);
- an explicit zone ("3pm PST", "10:00 UTC+2") overrides the user's, for the date words too;
- the UTC offset is the one in force on the meeting's date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .vocabulary import Grammar, Vocabulary, date_order_for, vocabulary
from .zone_words import PATTERN as ZONE_PATTERN
from .zone_words import zone_for

MAX_MINUTES = 24 * 60
MAX_AHEAD_MINUTES = 5 * 366 * 24 * 60
EVENING_DEFAULT = time(20, 0)
MARK = "\x00"
EXAMPLE = "for example “Design review tomorrow at 3pm for 45 min”"

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_MAILTO = re.compile(r"<mailto:([^|>\s]+@[^|>\s]+)(?:\|[^>]*)?>", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?![\w@])")


@dataclass(frozen=True)
class MeetingRequest:
    topic: str
    start: datetime
    duration_minutes: int
    invitees: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "start": self.start.isoformat(),
            "duration_minutes": self.duration_minutes,
            "invitees": list(self.invitees),
        }


@dataclass(frozen=True)
class Refusal:
    """Why the text could not be scheduled, with what was understood (to prefill a form)."""

    reason: str
    topic: str = ""
    start: datetime | None = None
    duration_minutes: int | None = None
    invitees: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"error": self.reason}


@dataclass
class _Findings:
    invitees: list[str] = field(default_factory=list)
    zone: tzinfo | None = None
    duration: float | None = None
    after: timedelta | None = None  # "now", "in 20 minutes"
    clock: tuple[int, int] | None = None
    clock_end: tuple[int, int] | None = None
    afternoon_guess: bool = False  # a bare 1-6 in English
    evening: bool = False
    day: date | None = None
    year_given: bool = True
    day_offset: int | None = None
    weekday: int | None = None
    next_week: bool = False
    past: str = ""
    invalid: str = ""


class _Text:
    """The text being read; understood spans are replaced by a marker."""

    def __init__(self, text: str) -> None:
        self.text = f" {text} "

    def take(self, pattern: re.Pattern[str], understand: Callable[[re.Match[str]], bool]) -> None:
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(self.text):
            if understand(match):
                pieces.append(self.text[last : match.start()])
                pieces.append(f" {MARK} ")
                last = match.end()
        pieces.append(self.text[last:])
        self.text = "".join(pieces)


def parse_meeting_text(
    text: str,
    *,
    tz: str | tzinfo,
    now: datetime,
    locale: str = "en-US",
    default_duration: int = 60,
) -> MeetingRequest | Refusal:
    """Read `text`; `now` must be aware. Never raises on any text."""
    user_zone = _zone(tz)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    words = _vocabulary(locale)
    found = _Findings()
    work = _Text(_normalise(text))
    try:
        for step in _passes(words):
            step(work, found)
    except (OverflowError, ValueError):
        return Refusal(f"I couldn't read that date or time. Try again, {EXAMPLE}.")
    topic = _topic(work.text, words)
    invitees = tuple(dict.fromkeys(found.invitees))
    try:
        return _decide(found, topic, invitees, user_zone, now, default_duration)
    except (OverflowError, ValueError):
        return Refusal(f"That date is out of reach. Try a nearer one, {EXAMPLE}.", topic, None, None, invitees)


def warm_up(locales: tuple[str, ...] = ("en-US", "en-GB", "fr-FR", "es-ES", "de-DE")) -> None:
    """Load the language data and compile the patterns, so the first user does not wait for it."""
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    for locale in locales:
        parse_meeting_text("Warm up tomorrow at 10am for 30 min", tz="UTC", now=now, locale=locale)


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _vocabulary(locale: str) -> Vocabulary:
    language = locale.replace("_", "-").split("-")[0].lower() or "en"
    return vocabulary(language, date_order_for(locale or "en-US"))


def _normalise(text: str) -> str:
    text = text.replace(MARK, " ").replace("\u2019", "'").replace("\u00a0", " ")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# -- the passes -----------------------------------------------------------------------------

Step = Callable[[_Text, _Findings], None]


@lru_cache(maxsize=64)
def _passes(words: Vocabulary) -> tuple[Step, ...]:
    g = words.grammar
    alt = _alternation
    b, e = r"(?<![\w@])", r"(?![\w])"
    hour_units = alt(g.hour_units)
    minute_units = alt(g.minute_units)
    number = r"(\d+(?:[.,]\d+)?)"
    amount = (
        rf"(?:(?P<half>{alt(g.half_hour)})|(?P<one>{alt(g.an_hour)})"
        rf"|(?P<h>-?{number[1:-1]})\s*(?:{hour_units})(?:{e}|(?=\d))(?:\s*(?:and\s+)?(?P<hm>\d{{1,2}})\s*(?:{minute_units})?{e})?"
        rf"|(?P<m>-?\d+)\s*(?:{minute_units}){e})"
    )
    meridiem = r"(?:a\.?m\.?|p\.?m\.?)(?!\w)"
    clock_h = r"h" if g.h_is_a_clock else r"(?!)"
    clock = (
        rf"(?:\d{{1,2}}(?:[:.]\d{{2}})?\s*{meridiem}"
        rf"|\d{{1,2}}:\d{{2}}(?:\s*(?:uhr|h){e})?"
        rf"|\d{{1,2}}\.\d{{2}}\s*uhr{e}"
        rf"|\d{{1,2}}\s*{clock_h}\s*\d{{2}}{e}"
        rf"|\d{{1,2}}\s*(?:uhr|{clock_h}){e}"
        rf"|(?:{alt(g.noon + g.midnight)}){e})"
    )
    range_side = rf"\d{{1,2}}(?:[:.h]\d{{2}})?\s*(?:{meridiem}|uhr{e}|h{e})?"
    zone = rf"(?:\s*(?P<zone>{ZONE_PATTERN}))?"
    months = alt(tuple(words.months))
    weekdays = alt(tuple(words.weekdays))
    ordinal = r"(?:st|nd|rd|th|er|e|º|\.)?"

    english = words.languages[0] == "en"

    def compile_(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern, re.IGNORECASE)

    mention = _MENTION
    mailto = _MAILTO
    email = _EMAIL
    iso = compile_(rf"{b}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){e}")
    ago_before = compile_(rf"{b}(?:{alt(g.ago)})\s+{amount}")
    ago_after = compile_(rf"{b}{amount}\s+(?:{alt(g.ago)}){e}")
    relative = compile_(rf"{b}(?:{alt(g.in_)})\s+{amount}")
    now_words = compile_(rf"{b}(?:{alt(g.now)}){e}")
    duration_for = compile_(rf"{b}(?:{alt(g.for_)})\s+{amount}")
    duration_bare = compile_(rf"{b}{amount}")
    compact = compile_(rf"{b}(?:{alt(g.for_)}\s+)?(\d{{1,2}})h(\d{{2}}){e}") if not g.h_is_a_clock else None
    ranges = compile_(
        rf"(?<![\w@/.:])(?:(?:{alt(tuple(f for f, _ in g.ranges))})\s+)?(?P<a>{range_side}|{alt(g.noon)})\s*"
        rf"(?:[-–]|{alt(tuple(t for _, t in g.ranges))}{e})\s*(?P<b>{range_side}|{alt(g.noon + g.midnight)}){zone}"
    )
    month_day = compile_(
        rf"{b}(?P<mon>{months})\.?\s+(?P<day>\d{{1,2}}){ordinal}(?:,?\s+(?P<year>\d{{4}}))?{e}"
        rf"|{b}(?P<day2>\d{{1,2}}){ordinal}\s+(?:de\s+|of\s+)?(?P<mon2>{months})\.?(?:,?\s+(?:de\s+)?(?P<year2>\d{{4}}))?{e}"
    )
    numeric = compile_(
        r"(?<![\w/.:])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\w/])|(?<![\w/.:])(\d{1,2})\.(\d{1,2})\.(\d{4})?(?![\w.])"
    )
    clock_re = compile_(rf"{b}(?P<clock>{clock}){zone}")
    bare_hour = compile_(rf"{b}(?:{alt(g.at)})\s+(?P<hour>\d{{1,2}})(?![\w:.]){zone}")
    tonight = compile_(rf"{b}(?:{alt(g.tonight)}){e}")
    relative_day = compile_(rf"{b}(?:{alt(tuple(words.relative_days))}){e}")
    weekday = compile_(
        rf"{b}(?:(?P<before>{alt(g.next_ + g.this + g.last)})\s+)?(?P<wd>{weekdays})\.?"
        rf"(?:\s+(?P<after>{alt(g.next_after + g.last)}))?{e}"
    )
    ordinal_day = compile_(rf"{b}(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th){e}")
    zone_alone = compile_(rf"{b}(?P<zone>{ZONE_PATTERN})")

    def read_amount(match: re.Match[str]) -> float | None:
        if match.group("half"):
            return 30
        if match.group("one"):
            return 60
        if match.group("h"):
            return float(match.group("h").replace(",", ".")) * 60 + int(match.group("hm") or 0)
        if match.group("m"):
            return float(match.group("m"))
        return None

    def invitees(work: _Text, found: _Findings) -> None:
        def add(match: re.Match[str]) -> bool:
            found.invitees.append(match.group(1))
            return True

        for pattern in (mention, mailto, email):
            work.take(pattern, add)

    def iso_dates(work: _Text, found: _Findings) -> None:
        work.take(iso, lambda m: _set_day(found, int(m[1]), int(m[2]), int(m[3]), True))

    def past_phrases(work: _Text, found: _Findings) -> None:
        def understand(match: re.Match[str]) -> bool:
            found.past = match.group(0).strip()
            return True

        work.take(ago_after, understand)
        work.take(ago_before, understand)

    def relative_starts(work: _Text, found: _Findings) -> None:
        def understand(match: re.Match[str]) -> bool:
            minutes = read_amount(match)
            if minutes is None:
                return False
            if minutes > MAX_AHEAD_MINUTES:
                found.invalid = f"“{match.group(0).strip()}” is too far ahead"
                return True
            found.after = timedelta(minutes=minutes)
            return True

        work.take(relative, understand)
        work.take(now_words, lambda m: _set(found, after=timedelta(0)))

    def durations(work: _Text, found: _Findings) -> None:
        def understand(match: re.Match[str]) -> bool:
            if match.group("h") and g.h_is_a_clock and re.fullmatch(r"\d{1,2}h(\d{2})?", match.group(0).strip()):
                return False  # "14h30" is a time of day here
            minutes = read_amount(match)
            if minutes is None or found.duration is not None:
                return False
            found.duration = minutes
            return True

        work.take(duration_for, understand)
        if compact is not None:
            work.take(compact, lambda m: _set(found, duration=int(m[1]) * 60 + int(m[2])))
        work.take(duration_bare, understand)

    def time_ranges(work: _Text, found: _Findings) -> None:
        def understand(match: re.Match[str]) -> bool:
            left, right = match.group("a"), match.group("b")
            if not _looks_like_a_time(left) and not _looks_like_a_time(right):
                return False
            span = _range(left, right, g)
            if span is None or found.clock is not None:
                return False
            found.clock, found.clock_end = span
            _zone_from(match, found)
            return True

        work.take(ranges, understand)

    def calendar_dates(work: _Text, found: _Findings) -> None:
        def named(match: re.Match[str]) -> bool:
            month = words.months[(match.group("mon") or match.group("mon2")).lower()]
            day = int(match.group("day") or match.group("day2"))
            year = match.group("year") or match.group("year2")
            return _set_day(found, int(year) if year else None, month, day, bool(year))

        def number(match: re.Match[str]) -> bool:
            first, second, year = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
            day, month = (int(second), int(first)) if words.date_order == "MDY" else (int(first), int(second))
            full_year = None if not year else int(year) + (2000 if len(year) == 2 else 0)
            return _set_day(found, full_year, month, day, bool(year))

        work.take(month_day, named)
        work.take(numeric, number)

    def clocks(work: _Text, found: _Findings) -> None:
        def understand(match: re.Match[str]) -> bool:
            if found.clock is not None:
                return False
            written = match.group("clock").strip()
            parsed = _clock(written, g)
            if parsed is None:
                found.invalid = f"“{written}” is not a time of day"
                return True
            if english and re.fullmatch(r"[1-6]:\d\d", written):
                parsed = (parsed[0] + 12, parsed[1])  # "at 3:30" in a 12-hour language
                found.afternoon_guess = True
            found.clock = parsed
            _zone_from(match, found)
            return True

        def bare(match: re.Match[str]) -> bool:
            hour = int(match.group("hour"))
            if found.clock is not None or hour > 24:
                return False
            guess = english and 1 <= hour <= 6
            found.clock = (hour + 12 if guess else hour % 24, 0)
            found.afternoon_guess = guess
            _zone_from(match, found)
            return True

        work.take(clock_re, understand)
        work.take(bare_hour, bare)

    def day_words(work: _Text, found: _Findings) -> None:
        def relative_word(match: re.Match[str]) -> bool:
            offset = words.relative_days[match.group(0).strip().lower()]
            if offset < 0:
                found.past = match.group(0).strip()
            elif found.day_offset is None:
                found.day_offset = offset
            return True

        work.take(tonight, lambda m: _set(found, day_offset=0, evening=True))
        work.take(relative_day, relative_word)

        def weekday_word(match: re.Match[str]) -> bool:
            modifier = (match.group("before") or match.group("after") or "").lower()
            if modifier in g.last:
                found.past = match.group(0).strip()
                return True
            if found.weekday is not None or found.day_offset is not None or found.day is not None:
                return False  # the day is known; "Sun review tomorrow" keeps its "Sun"
            found.weekday = words.weekdays[match.group("wd").lower()]
            found.next_week = modifier in g.next_ + g.next_after
            return True

        work.take(weekday, weekday_word)

        def day_of_month(match: re.Match[str]) -> bool:
            if found.day is not None or found.day_offset is not None or found.weekday is not None:
                return False
            return _set_day_of_month(found, int(match[1]))

        work.take(ordinal_day, day_of_month)
        if found.zone is None:
            work.take(zone_alone, lambda m: _zone_from(m, found) or True)

    return (
        invitees,
        iso_dates,
        past_phrases,
        relative_starts,
        durations,
        calendar_dates,
        time_ranges,
        clocks,
        day_words,
    )


def _alternation(words: tuple[str, ...]) -> str:
    """Longest first, spaces matching any run of white space."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) or r"(?!)"


def _set(found: _Findings, **values: object) -> bool:
    for name, value in values.items():
        setattr(found, name, value)
    return True


def _zone_from(match: re.Match[str], found: _Findings) -> bool:
    word = match.groupdict().get("zone")
    if word:
        found.zone = zone_for(word)
    return False


def _set_day(found: _Findings, year: int | None, month: int, day: int, year_given: bool) -> bool:
    if found.day is not None:
        return False
    try:
        found.day = date(year or 2000, month, day)  # 2000: a leap year, so 29 February is allowed
    except ValueError:
        found.invalid = f"there is no day {day} in month {month}" if 1 <= month <= 12 else f"{month} is not a month"
        return True
    found.year_given = year_given
    return True


def _set_day_of_month(found: _Findings, day: int) -> bool:
    if not 1 <= day <= 31:
        found.day = None
        return False
    found.day = date(2000, 1, day)
    found.year_given = False
    found.day_offset = -100  # a day of the month, month to be chosen
    return True


def _looks_like_a_time(text: str) -> bool:
    return bool(re.search(r"[:h]|a\.?m|p\.?m|uhr|noon|midi|mittag|mediod", text, re.IGNORECASE))


def _clock(text: str, grammar: Grammar) -> tuple[int, int] | None:
    """`3pm`, `3:30 p.m.`, `15:00`, `14h30`, `14 Uhr`, `noon` -> (hour, minute)."""
    lowered = " ".join(text.lower().split())
    if lowered in grammar.noon:
        return (12, 0)
    if lowered in grammar.midnight:
        return (0, 0)
    match = re.match(r"(\d{1,2})\s*(?:[:.h]\s*(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|uhr|h)?$", lowered)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    meridiem = (match[3] or "").replace(".", "")
    if meridiem in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None if hour > 23 or hour == 0 else (hour, minute) if minute < 60 else None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return (hour, minute)


def _range(left: str, right: str, g: Grammar) -> tuple[tuple[int, int], tuple[int, int]] | None:
    end = _clock(right, g)
    if end is None:
        return None
    start = _clock(left, g)
    if start is None:
        return None
    right_meridiem = re.search(r"([ap])\.?m", right, re.IGNORECASE)
    left_meridiem = re.search(r"([ap])\.?m", left, re.IGNORECASE)
    if right_meridiem and not left_meridiem and start[0] < 12:
        # "2-3pm": the left side shares the right's half of the day when that keeps it before the end
        shifted = (start[0] + 12, start[1]) if right_meridiem[1].lower() == "p" else start
        if _minutes(shifted) < _minutes(end):
            start = shifted
    return start, end


def _minutes(clock: tuple[int, int]) -> int:
    return clock[0] * 60 + clock[1]


# -- putting it together --------------------------------------------------------------------


def _topic(text: str, words: Vocabulary) -> str:
    filler = {w.lower() for w in words.grammar.filler}
    tokens = text.split()
    changed = True
    while changed:
        changed = False
        for index, token in enumerate(tokens):
            if token.lower() not in filler:
                continue
            before = tokens[index - 1] if index > 0 else MARK
            after = tokens[index + 1] if index + 1 < len(tokens) else MARK
            if before == MARK or after == MARK:
                del tokens[index]
                changed = True
                break
    topic = " ".join(t for t in tokens if t != MARK)
    return topic.strip(" ,;:-–—").strip()


def _decide(
    found: _Findings,
    topic: str,
    invitees: tuple[str, ...],
    user_zone: tzinfo,
    now: datetime,
    default_duration: int,
) -> MeetingRequest | Refusal:
    def refuse(reason: str, start: datetime | None = None) -> Refusal:
        minutes = round(found.duration) if found.duration is not None else None
        return Refusal(reason, topic, start, minutes, invitees)

    if found.past:
        return refuse(f"“{found.past}” is in the past. Pick a time in the future, {EXAMPLE}.")
    if found.invalid:
        return refuse(f"I couldn't read the time: {found.invalid}. Try again, {EXAMPLE}.")
    start = _start(found, found.zone or user_zone, now)
    if start is None:
        return refuse(f"When should it start? Add a day and time, {EXAMPLE}.")
    start = start.astimezone(user_zone)
    if start < now - timedelta(minutes=1):
        return refuse(f"{_say(start)} has already passed. Pick a time in the future, {EXAMPLE}.", start)
    duration = _duration(found, default_duration)
    if duration <= 0:
        return refuse("A meeting must last at least a minute; say how long, like “for 30 min”.", start)
    if duration > MAX_MINUTES:
        return refuse("A meeting can last at most 24 hours; say a shorter length, like “for 2 hours”.", start)
    return MeetingRequest(topic=topic, start=start, duration_minutes=duration, invitees=invitees)


def _duration(found: _Findings, default: int) -> int:
    if found.clock is not None and found.clock_end is not None:
        length = _minutes(found.clock_end) - _minutes(found.clock)
        return length if length > 0 else length + MAX_MINUTES
    if found.duration is not None:
        return round(found.duration)
    return default


def _start(found: _Findings, zone: tzinfo, now: datetime) -> datetime | None:
    if found.after is not None and found.clock is None and found.day is None and found.weekday is None:
        return (now + found.after).replace(second=0, microsecond=0) if found.after else now
    local_now = now.astimezone(zone)
    today = local_now.date()
    clock = found.clock
    if clock is None:
        if not found.evening:
            return None
        clock = (EVENING_DEFAULT.hour, EVENING_DEFAULT.minute)
    if found.evening and clock[0] < 12 and not found.afternoon_guess:
        clock = (clock[0] + 12, clock[1])
    wall = time(clock[0], clock[1])

    def at(day: date) -> datetime:
        return _aware(datetime.combine(day, wall), zone)

    if found.day is not None and found.day_offset == -100:
        return _day_of_month(found.day.day, wall, zone, local_now)
    if found.day is not None:
        if found.year_given:
            return at(found.day)
        day = _next_date(found.day.month, found.day.day, today)
        if day is None:
            return None
        return at(day)
    if found.day_offset is not None:
        return at(today + timedelta(days=found.day_offset))
    if found.weekday is not None:
        ahead = (found.weekday - today.weekday()) % 7
        if ahead == 0 and (found.next_week or at(today) < now):
            ahead = 7
        return at(today + timedelta(days=ahead))
    candidate = at(today)
    return candidate if candidate >= now else at(today + timedelta(days=1))


def _next_date(month: int, day: int, today: date) -> date | None:
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February: the next leap year
        if candidate >= today:
            return candidate
    return None


def _day_of_month(day: int, wall: time, zone: tzinfo, local_now: datetime) -> datetime | None:
    year, month = local_now.year, local_now.month
    for _ in range(13):
        try:
            candidate = _aware(datetime.combine(date(year, month, day), wall), zone)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= local_now:
            return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _aware(naive: datetime, zone: tzinfo) -> datetime:
    """Attach `zone`; a wall time that does not exist (a spring-forward gap) moves past the gap."""
    local = naive.replace(tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone)


def _say(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y %H:%M")

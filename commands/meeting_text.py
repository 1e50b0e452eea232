"""Understand how people ask for a meeting: topic, start, duration, invitees and repeat rule from free text.

    parse_meeting_text("Design review tomorrow at 3pm for 45 min with <@U024BE7LH>",
                       tz="America/New_York", now=..., locale="en-US")

The text is read by the passes in `PASSES`, most specific first; each takes the words it understands
out of the text (see `commands.when`), and whatever is left, less the filler around what was taken,
is the topic. dateparser's language data supplies month, weekday and relative-day words (see
`vocabulary`); the grammar words of each language are data in `when.languages`. The rules:

- times are in the future: a bare time that has passed today means tomorrow; a weekday means its
  next occurrence (today, if the time has not passed); a date without a year is the next such date;
- a bare hour from 1 to 6 with no am/pm, in English, is in the afternoon ("at 3" is 15:00);
- a part of the day moves the hour into it ("7 in the evening" is 19:00); alone, it stands for the
  hour in `when.parts.DEFAULT_HOURS` and the request says so in `assumed`;
- an explicit zone ("3pm PST", "10:00 UTC+2", "3pm Paris time") overrides the user's, for the date
  words too; the UTC offset is the one in force on the meeting's date;
- a repeat rule ("every Monday at 10") gives `recurrence`, and `start` is its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .vocabulary import Vocabulary, date_order_for, vocabulary
from .when import clock, day, length, parts, recurrence, spelling, zone
from .when.reading import MARK, Findings, Step, Text
from .when.rules import check_rule_for_webex, describe_rule, first_occurrence, rule_text
from .when.start import aware, first_day, next_date

__all__ = [
    "MAX_MINUTES",
    "MeetingRequest",
    "Refusal",
    "check_rule_for_webex",
    "describe_rule",
    "parse_meeting_text",
    "warm_up",
]

MAX_MINUTES = 24 * 60
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
    recurrence: str | None = None  # an RFC 5545 RRULE without DTSTART; `start` is the first occurrence
    assumed: str = ""  # "I took “tomorrow morning” as 09:00."

    @property
    def recurrence_text(self) -> str:
        """The rule in words for the card: “Every Monday and Wednesday at 16:00”."""
        return describe_rule(self.recurrence, self.start) if self.recurrence else ""

    def as_json(self) -> dict[str, object]:
        shape: dict[str, object] = {
            "topic": self.topic,
            "start": self.start.isoformat(),
            "duration_minutes": self.duration_minutes,
            "invitees": list(self.invitees),
        }
        if self.recurrence:
            shape["recurrence"] = self.recurrence
        if self.assumed:
            shape["assumed"] = self.assumed
        return shape


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


def invitees(work: Text, found: Findings, words: Vocabulary) -> None:
    def add(match: re.Match[str]) -> bool:
        found.invitees.append(match.group(1))
        return True

    for pattern in (_MENTION, _MAILTO, _EMAIL):
        work.take(pattern, add)


PASSES: tuple[Step, ...] = (
    invitees,
    spelling.respell,
    recurrence.recurrence,
    day.iso_dates,
    length.past_phrases,
    zone.places,
    day.day_counts,
    length.relative_starts,
    length.durations,
    day.calendar_dates,
    parts.parts_of_day,
    clock.time_ranges,
    clock.clock_words,
    clock.clocks,
    clock.end_times,
    day.day_words,
    zone.zones_alone,
)


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
    found = Findings()
    work = Text(_normalise(text))
    try:
        for step in PASSES:
            step(work, found, words)
    except (OverflowError, ValueError):
        return Refusal(f"I couldn't read that date or time. Try again, {EXAMPLE}.")
    topic = _topic(work.text, words, found.respelt)
    invited = tuple(dict.fromkeys(found.invitees))
    try:
        return _decide(found, topic, invited, user_zone, now, default_duration)
    except (OverflowError, ValueError):
        return Refusal(f"That date is out of reach. Try a nearer one, {EXAMPLE}.", topic, None, None, invited)


LOCALES = ("en-US", "en-GB", "fr-FR", "es-ES", "de-DE", "it-IT", "pt-BR", "nl-NL")
# dateparser and the patterns load with the first locale (~50 ms); each further locale then takes ~12 ms and
# ~0.2 MB at its first parse, after the ack, so the bot loads only the first ahead of the first user.
WARM_LOCALES = LOCALES[:1]


def warm_up(locales: tuple[str, ...] = LOCALES) -> None:
    """Load the language data and compile the patterns, so the first user does not wait for it."""
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    text = "Warm up tomorow at 10am Paris time every Monday for 30 min"
    for locale in locales:
        parse_meeting_text(text, tz="UTC", now=now, locale=locale)


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


def _topic(text: str, words: Vocabulary, respelt: dict[str, str]) -> str:
    filler = {w.lower() for w in words.grammar.filler}
    tokens = [respelt.get(t, t) for t in text.split()]
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
    found: Findings,
    topic: str,
    invited: tuple[str, ...],
    user_zone: tzinfo,
    now: datetime,
    default_duration: int,
) -> MeetingRequest | Refusal:
    def refuse(reason: str, start: datetime | None = None) -> Refusal:
        minutes = round(found.duration) if found.duration is not None else None
        return Refusal(reason, topic, start, minutes, invited)

    if found.past:
        return refuse(f"“{found.past}” is in the past. Pick a time in the future, {EXAMPLE}.")
    if found.invalid:
        return refuse(f"I couldn't read the time: {found.invalid}. Try again, {EXAMPLE}.")
    wall, assumed = _wall_clock(found)
    zone_ = found.zone or user_zone
    rule: str | None = None
    if found.after is not None and found.clock is None and found.day is None and found.weekday is None:
        start = (now + found.after).replace(second=0, microsecond=0) if found.after else now
    elif wall is None:
        return refuse(_missing(found))
    elif found.freq:
        series = _series(found, wall, zone_, now)
        if isinstance(series, str):
            return refuse(series)
        rule, start = series
    else:
        first = first_day(found, wall, zone_, now)
        if first is None:
            return refuse(_missing(found))
        start = aware(datetime.combine(first, wall), zone_)
        if assumed and start < now and first == now.astimezone(zone_).date():
            start, assumed = _soon(now, zone_, found)  # "this afternoon" at 4pm
    start = start.astimezone(user_zone)
    if start < now - timedelta(minutes=1):
        return refuse(f"{_say(start)} has already passed. Pick a time in the future, {EXAMPLE}.", start)
    duration = _duration(found, default_duration)
    if duration <= 0:
        return refuse("A meeting must last at least a minute; say how long, like “for 30 min”.", start)
    if duration > MAX_MINUTES:
        return refuse("A meeting can last at most 24 hours; say a shorter length, like “for 2 hours”.", start)
    return MeetingRequest(topic, start, duration, invited, recurrence=rule, assumed=assumed)


def _wall_clock(found: Findings) -> tuple[time | None, str]:
    """The wall time, and what was assumed to get it."""
    if found.clock is not None:
        hour, minute = parts.in_part(found.clock, found.part, found.afternoon_guess)
        return time(hour, minute), ""
    if found.part is None:
        return None, ""
    hour = parts.DEFAULT_HOURS[found.part]
    words = found.part_words if found.part_words else found.day_words
    return time(hour, 0), f"I took “{words}” as {hour:02d}:00."


def _soon(now: datetime, zone_: tzinfo, found: Findings) -> tuple[datetime, str]:
    """The next half hour, when the default hour of a part of the day today has passed."""
    local = now.astimezone(zone_).replace(second=0, microsecond=0)
    start = local + timedelta(minutes=30 - local.minute % 30)
    return start, f"I took “{found.part_words}” as {start:%H:%M}, the next half hour."


def _missing(found: Findings) -> str:
    if found.week_ahead and found.weekday is None:
        return f"I understood “{found.day_words}” but not the day. Say which, like “next week on Friday at 3pm”."
    understood = found.rule_words or found.day_words
    if understood:
        return f"I understood “{understood}” but not the time. Add one, like “{understood} at 3pm”."
    return f"When should it start? Add a day and time, {EXAMPLE}."


def _series(found: Findings, wall: time, zone_: tzinfo, now: datetime) -> tuple[str, datetime] | str:
    """The rule and its first occurrence, or why it cannot be a Webex series."""
    freq = found.freq or "WEEKLY"
    byday = found.byday
    monthday = found.bymonthday
    base = now.astimezone(zone_).date()
    if freq == "WEEKLY" and not byday and found.weekday is not None:
        byday = (recurrence.DAY_CODES[found.weekday],)
    elif freq == "MONTHLY" and found.month_unknown and found.day is not None:
        monthday = found.day.day
    elif found.day is not None or found.day_offset is not None or found.weekday is not None:
        base = first_day(found, wall, zone_, now) or base
    until = None
    if found.until is not None:
        last = _until_day(found.until, base)
        if last is None:
            return f"I couldn't read the last day of the series in “{found.rule_words}”."
        until = aware(datetime.combine(last, time(23, 59, 59)), zone_)
    rule = rule_text(freq, found.interval, byday, monthday, until, found.count)
    start = first_occurrence(rule, wall, base, zone_, now)
    if start is None:
        return f"“{found.rule_words}” has no meeting left after now. Pick a later end, {EXAMPLE}."
    reason = check_rule_for_webex(rule, start)
    return (rule, start) if reason is None else reason


def _until_day(until: tuple[int | None, int, int | None], base: date) -> date | None:
    month, day_, year = until
    if month is None:
        for ahead in range(13):
            month_index = base.month - 1 + ahead
            try:
                candidate = date(base.year + month_index // 12, month_index % 12 + 1, day_)
            except ValueError:
                continue
            if candidate >= base:
                return candidate
        return None
    if year is not None:
        return date(year, month, day_)
    return next_date(month, day_, base)


def _duration(found: Findings, default: int) -> int:
    if found.clock is not None and found.clock_end is not None:
        start = clock.minutes_of(parts.in_part(found.clock, found.part, found.afternoon_guess))
        end = clock.minutes_of(parts.in_part(found.clock_end, found.part, False))
        length_ = (end if end > start else clock.minutes_of(found.clock_end)) - start
        return length_ if length_ > 0 else length_ + MAX_MINUTES
    if found.duration is not None:
        return round(found.duration)
    return default


def _say(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y %H:%M")

"""Times of day: `3pm`, `15:00`, `14h30`, `14 Uhr`, `noon`, `half past three`, `quarter to five`,
`a las cuatro y media`, ranges (`2-3pm`, `from 2 to 3:30pm`) and ends (`until 4pm`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..vocabulary import Vocabulary
from ..zone_words import PATTERN as ZONE_PATTERN
from ..zone_words import zone_for
from .languages import Grammar
from .reading import B, E, Findings, Text, alternation, compile_, number_word, numbers

MERIDIEM = r"(?:a\.?m\.?|p\.?m\.?)(?!\w)"
ZONE = rf"(?:\s*(?P<zone>{ZONE_PATTERN}))?"


@dataclass(frozen=True)
class _Patterns:
    ranges: re.Pattern[str]
    before_hour: re.Pattern[str]
    after_hour: re.Pattern[str]
    hour_word: re.Pattern[str]
    clock: re.Pattern[str]
    bare_hour: re.Pattern[str]
    end: re.Pattern[str]


@lru_cache(maxsize=64)
def _patterns(words: Vocabulary) -> _Patterns:
    g = words.grammar
    alt = alternation
    units = alt(g.clock_units)
    clock_h = r"h" if g.h_is_a_clock else r"(?!)"
    noon = alt(g.noon + g.midnight)
    clock = (
        rf"(?:\d{{1,2}}(?:[:.]\d{{2}})?\s*{MERIDIEM}"
        rf"|\d{{1,2}}:\d{{2}}(?:\s*(?:{units}|h){E})?"
        rf"|\d{{1,2}}\.\d{{2}}\s*(?:{units}){E}"
        rf"|(?:\d{{1,2}}\s*{clock_h}|(?:1[3-9]|2[0-3])h)\s*\d{{2}}{E}"
        rf"|\d{{1,2}}\s*(?:{units}|{clock_h}){E}"
        rf"|(?:{noon}){E})"
    )
    side = rf"\d{{1,2}}(?:[:.h]\d{{2}})?\s*(?:{MERIDIEM}|(?:{units}){E}|h{E})?"
    hour = rf"(?:{numbers(words)}|{noon})"
    word_hour = alt(tuple(w for w, _ in g.numbers))
    long_at = alt(tuple(w for w in g.at if len(w) > 1 and w != "@"))
    at = rf"(?:(?:{alt(g.at)})\s+)?"
    return _Patterns(
        ranges=compile_(
            rf"(?<![\w@/.:])(?:(?:{alt(tuple(f for f, _ in g.ranges))})\s+)?(?P<a>{side}|{alt(g.noon)})\s*"
            rf"(?:[-–]|(?:{alt(tuple(t for _, t in g.ranges))}){E})\s*(?P<b>{side}|{noon}){ZONE}"
        ),
        before_hour=compile_(
            rf"{B}{at}(?P<offset>{alt(tuple(w for w, _ in g.before_hour))})\s+(?P<hour>{hour})"
            rf"(?:\s*(?P<mer>{MERIDIEM}))?{E}{ZONE}"
        ),
        after_hour=compile_(
            rf"{B}{at}(?P<hour>{hour})(?:\s*(?:{units}|h))?\s+(?P<offset>{alt(tuple(w for w, _ in g.after_hour))})"
            rf"(?:\s*(?P<mer>{MERIDIEM}))?(?!\w){ZONE}"
        ),
        hour_word=compile_(
            rf"{B}(?:(?:{alt(g.at)})\s+(?P<hour>{word_hour})\s*(?:{units})|(?:{long_at})\s+(?P<hour2>{word_hour}))"
            rf"(?:\s*(?P<mer>{MERIDIEM}))?{E}{ZONE}"
        ),
        clock=compile_(rf"{B}(?P<clock>{clock}){ZONE}"),
        bare_hour=compile_(rf"{B}(?:{alt(g.at)})\s+(?P<hour>\d{{1,2}})(?![\w:.]){ZONE}"),
        end=compile_(rf"{B}(?:{alt(g.ends)})\s+(?P<b>{side}|{noon}){ZONE}"),
    )


def _english(words: Vocabulary) -> bool:
    return words.languages[0] == "en"


def time_ranges(work: Text, found: Findings, words: Vocabulary) -> None:
    def understand(match: re.Match[str]) -> bool:
        left, right = match.group("a"), match.group("b")
        if not looks_like_a_time(left) and not looks_like_a_time(right):
            return False
        span = read_range(left, right, words.grammar)
        if span is None or found.clock is not None:
            return False
        found.clock, found.clock_end = span
        zone_from(match, found)
        return True

    work.take(_patterns(words).ranges, understand)


def clock_words(work: Text, found: Findings, words: Vocabulary) -> None:
    """`half past three`, `quarter to 5pm`, `five o'clock`, `a las cuatro y media`, `at three`."""
    p = _patterns(words)
    offsets = dict(words.grammar.before_hour + words.grammar.after_hour)

    def understand(match: re.Match[str]) -> bool:
        if found.clock is not None:
            return False
        groups = match.groupdict()
        hour = _hour(groups.get("hour") or groups.get("hour2") or "", words)
        if hour is None or not 0 <= hour <= 23:
            return False
        offset = offsets.get(" ".join((groups.get("offset") or "").lower().split()), 0)
        meridiem = (groups.get("mer") or "").lower().replace(".", "")
        guess = not meridiem and _english(words) and 1 <= hour <= 6 and groups.get("hour") != "12"
        if meridiem and 1 <= hour <= 12:
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        elif guess:
            hour += 12
        minutes = (hour * 60 + offset) % (24 * 60)
        found.clock = (minutes // 60, minutes % 60)
        found.afternoon_guess = guess
        zone_from(match, found)
        return True

    for pattern in (p.before_hour, p.after_hour, p.hour_word):
        work.take(pattern, understand)


def _hour(text: str, words: Vocabulary) -> int | None:
    lowered = " ".join(text.lower().split())
    if lowered in words.grammar.noon:
        return 12
    if lowered in words.grammar.midnight:
        return 0
    return number_word(lowered, words)


def clocks(work: Text, found: Findings, words: Vocabulary) -> None:
    english = _english(words)

    def understand(match: re.Match[str]) -> bool:
        if found.clock is not None:
            return False
        written = match.group("clock").strip()
        parsed = read_clock(written, words.grammar)
        if parsed is None:
            found.invalid = f"“{written}” is not a time of day"
            return True
        if english and re.fullmatch(r"[1-6]:\d\d", written):
            parsed = (parsed[0] + 12, parsed[1])  # "at 3:30" in a 12-hour language
            found.afternoon_guess = True
        found.clock = parsed
        zone_from(match, found)
        return True

    def bare(match: re.Match[str]) -> bool:
        hour = int(match.group("hour"))
        if found.clock is not None or hour > 24:
            return False
        guess = english and 1 <= hour <= 6
        found.clock = (hour + 12 if guess else hour % 24, 0)
        found.afternoon_guess = guess
        zone_from(match, found)
        return True

    p = _patterns(words)
    work.take(p.clock, understand)
    work.take(p.bare_hour, bare)


def end_times(work: Text, found: Findings, words: Vocabulary) -> None:
    """`until 4pm`, `till 4`, `bis 17 Uhr` once a start time is known."""

    def understand(match: re.Match[str]) -> bool:
        if found.clock is None or found.clock_end is not None:
            return False
        end = read_clock(match.group("b"), words.grammar)
        if end is None:
            return False
        found.clock_end = later_end(found.clock, end, match.group("b"))
        zone_from(match, found)
        return True

    work.take(_patterns(words).end, understand)


def zone_from(match: re.Match[str], found: Findings) -> bool:
    word = match.groupdict().get("zone")
    if word:
        found.zone = zone_for(word)
    return False


def looks_like_a_time(text: str) -> bool:
    return bool(re.search(r"[:h]|a\.?m|p\.?m|uhr|uur|heure|noon|midi|mittag|mediod|mezzog|meio", text, re.IGNORECASE))


def read_clock(text: str, grammar: Grammar) -> tuple[int, int] | None:
    """`3pm`, `3:30 p.m.`, `15:00`, `14h30`, `14 Uhr`, `noon` -> (hour, minute)."""
    lowered = " ".join(text.lower().split())
    if lowered in grammar.noon:
        return (12, 0)
    if lowered in grammar.midnight:
        return (0, 0)
    match = re.match(r"(\d{1,2})\s*(?:[:.h]\s*(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|[^\d\s]+)?$", lowered)
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


def read_range(left: str, right: str, g: Grammar) -> tuple[tuple[int, int], tuple[int, int]] | None:
    end = read_clock(right, g)
    start = read_clock(left, g)
    if end is None or start is None:
        return None
    right_meridiem = re.search(r"([ap])\.?m", right, re.IGNORECASE)
    left_meridiem = re.search(r"([ap])\.?m", left, re.IGNORECASE)
    if right_meridiem and not left_meridiem and start[0] < 12:
        # "2-3pm": the left side shares the right's half of the day when that keeps it before the end
        shifted = (start[0] + 12, start[1]) if right_meridiem[1].lower() == "p" else start
        if minutes_of(shifted) < minutes_of(end):
            start = shifted
    return start, later_end(start, end, right)


def later_end(start: tuple[int, int], end: tuple[int, int], written: str) -> tuple[int, int]:
    """An end with no am/pm in "3pm till 4" that would come before the start is in the afternoon."""
    if re.search(r"[ap]\.?m", written, re.IGNORECASE) or end[0] >= 12:
        return end
    later = (end[0] + 12, end[1])
    if minutes_of(end) <= minutes_of(start) < minutes_of(later):
        return later
    return end


def minutes_of(clock: tuple[int, int]) -> int:
    return clock[0] * 60 + clock[1]

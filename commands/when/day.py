"""Days: `2026-12-31`, `Dec 14`, `14 décembre`, `12/3`, `14.12.`, `tomorrow`, `in 4 days`, `friday`,
`next week on Friday`, `Friday next week`, `the 14th`; and what lies in the past (`3 days ago`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..vocabulary import Vocabulary
from .reading import MARK, B, E, Findings, Text, alternation, compile_, number_word, numbers

ORDINAL = r"(?:st|nd|rd|th|er|e|º|\.)?"


@dataclass(frozen=True)
class _Patterns:
    iso: re.Pattern[str]
    month_day: re.Pattern[str]
    numeric: re.Pattern[str]
    in_days: re.Pattern[str]
    next_week: re.Pattern[str]
    relative_day: re.Pattern[str]
    weekday: re.Pattern[str]
    ordinal_day: re.Pattern[str]


@lru_cache(maxsize=64)
def _patterns(words: Vocabulary) -> _Patterns:
    g = words.grammar
    alt = alternation
    months = alt(tuple(words.months))
    return _Patterns(
        iso=compile_(rf"{B}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){E}"),
        month_day=compile_(
            rf"{B}(?P<mon>{months})\.?\s+(?P<day>\d{{1,2}}){ORDINAL}(?:,?\s+(?P<year>\d{{4}}))?{E}"
            rf"|{B}(?P<day2>\d{{1,2}}){ORDINAL}\s+(?:de\s+|of\s+)?(?P<mon2>{months})\.?"
            rf"(?:,?\s+(?:de\s+)?(?P<year2>\d{{4}}))?{E}"
        ),
        numeric=compile_(
            r"(?<![\w/.:])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\w/])"
            r"|(?<![\w/.:])(\d{1,2})\.(\d{1,2})\.(\d{4})?(?![\w.])"
        ),
        in_days=compile_(
            rf"{B}(?:{alt(g.in_)})\s+(?P<n>{numbers(words)}|an?)\s+(?:(?P<days>{alt(g.day_units)})"
            rf"|(?P<weeks>{alt(g.week_units)})){E}"
        ),
        next_week=compile_(rf"{B}(?:on\s+)?(?:{alt(g.next_week)}){E}"),
        relative_day=compile_(rf"{B}(?:{alt(tuple(words.relative_days))}){E}"),
        weekday=compile_(
            rf"{B}(?:(?P<before>{alt(g.next_ + g.this + g.last)})\s+)?(?P<wd>{alt(tuple(words.weekdays))})\.?"
            rf"(?:\s+(?P<after>{alt(g.next_after + g.last)}))?{E}"
        ),
        ordinal_day=compile_(rf"{B}(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th){E}"),
    )


def iso_dates(work: Text, found: Findings, words: Vocabulary) -> None:
    def understand(match: re.Match[str]) -> bool:
        return set_day(found, int(match[1]), int(match[2]), int(match[3]), True, match[0])

    work.take(_patterns(words).iso, understand)


def calendar_dates(work: Text, found: Findings, words: Vocabulary) -> None:
    def named(match: re.Match[str]) -> bool:
        month = words.months[(match.group("mon") or match.group("mon2")).lower()]
        day = int(match.group("day") or match.group("day2"))
        year = match.group("year") or match.group("year2")
        return set_day(found, int(year) if year else None, month, day, bool(year), match[0])

    def number(match: re.Match[str]) -> bool:
        first, second, year = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
        day, month = (int(second), int(first)) if words.date_order == "MDY" else (int(first), int(second))
        full_year = None if not year else int(year) + (2000 if len(year) == 2 else 0)
        return set_day(found, full_year, month, day, bool(year), match[0])

    p = _patterns(words)
    work.take(p.month_day, named)
    work.take(p.numeric, number)


def day_counts(work: Text, found: Findings, words: Vocabulary) -> None:
    """`in 4 days`, `in two weeks`, `next week` (the weekday comes later)."""

    def in_days(match: re.Match[str]) -> bool:
        count = 1 if match["n"].lower() in ("a", "an") else number_word(match["n"], words)
        if count is None or found.day_offset is not None:
            return False
        found.day_offset = count * (7 if match["weeks"] else 1)
        found.day_words = match[0].strip()
        return True

    def next_week(match: re.Match[str]) -> bool:
        found.week_ahead = 1
        found.day_words = match[0].strip()
        return True

    p = _patterns(words)
    work.take(p.in_days, in_days)
    work.take(p.next_week, next_week)


def day_words(work: Text, found: Findings, words: Vocabulary) -> None:
    p = _patterns(words)
    g = words.grammar

    def relative_word(match: re.Match[str]) -> bool:
        offset = words.relative_days[" ".join(match[0].lower().split())]
        if offset < 0:
            found.past = match.group(0).strip()
        elif found.day_offset is None:
            found.day_offset = offset
            found.day_words = match[0].strip()
        return True

    work.take(p.relative_day, relative_word)

    def weekday_word(match: re.Match[str]) -> tuple[int, int] | None:
        modifier = (match.group("before") or match.group("after") or "").lower()
        if modifier in g.last:
            found.past = match.group(0).strip()
            return match.span()
        if match.span() != chosen or found.day_offset is not None or found.day is not None:
            return None  # the day is known; "Sun review tomorrow" keeps its "Sun"
        found.weekday = words.weekdays[match.group("wd").lower()]
        found.next_week = modifier in g.next_ + g.next_after
        found.day_words = match[0].strip()
        return match.span()

    chosen = _best_weekday(work.text, p.weekday, set(g.filler))
    work.take_spans(p.weekday, weekday_word)

    def day_of_month(match: re.Match[str]) -> bool:
        if found.day is not None or found.day_offset is not None or found.weekday is not None:
            return False
        if not 1 <= int(match[1]) <= 31:
            return False
        found.day, found.year_given, found.month_unknown = date(2000, 1, int(match[1])), False, True
        found.day_words = match[0].strip()
        return True

    work.take(p.ordinal_day, day_of_month)


def _best_weekday(text: str, pattern: re.Pattern[str], filler: set[str]) -> tuple[int, int] | None:
    """Of several weekdays, the one next to a time ("Sunday brunch planning friday at 11"), else the first."""
    spans = [m.span() for m in pattern.finditer(text)]
    for start, end in spans:
        before = [w for w in text[:start].split() if w.lower() not in filler]
        after = [w for w in text[end:].split() if w.lower() not in filler]
        if (before and before[-1] == MARK) or (after and after[0] == MARK):
            return (start, end)
    return spans[0] if spans else None


def set_day(found: Findings, year: int | None, month: int, day: int, year_given: bool, written: str) -> bool:
    if found.day is not None:
        return False
    try:
        found.day = date(year or 2000, month, day)  # 2000: a leap year, so 29 February is allowed
    except ValueError:
        found.invalid = f"there is no day {day} in month {month}" if 1 <= month <= 12 else f"{month} is not a month"
        return True
    found.year_given = year_given
    found.day_words = written.strip()
    return True

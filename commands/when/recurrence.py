"""Repeat rules: `every weekday`, `every Monday and Wednesday`, `every other Thursday`, `on the last
Friday of every month`, `daily ... until the 18th`, `weekly on Tuesdays`, `chaque mardi`, `cada jueves`,
`jeden Freitag`, `10 times`. They become the parts of an RFC 5545 RRULE in `Findings`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..vocabulary import Vocabulary
from .reading import B, E, Findings, Text, alternation, compile_, number_word, numbers

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINAL = r"(?:st|nd|rd|th|er|e|º|\.)"


@dataclass(frozen=True)
class _Patterns:
    nth_of_month: re.Pattern[str]
    workdays: re.Pattern[str]
    every_weekday: re.Pattern[str]
    every_n: re.Pattern[str]
    frequency: re.Pattern[str]
    plural_weekdays: re.Pattern[str]
    until: re.Pattern[str]
    count: re.Pattern[str]
    month_day: re.Pattern[str]


@lru_cache(maxsize=64)
def _patterns(words: Vocabulary) -> _Patterns:
    g = words.grammar
    alt = alternation
    weekday = rf"(?:{alt(tuple(words.weekdays))})"
    listed = rf"{weekday}s?(?:\s*(?:{alt(g.and_)})\s*{weekday}s?)*"
    plural = rf"(?:{alt(tuple(w for w in words.weekdays if len(w) >= 5))})s"
    units = rf"(?:(?P<d>{alt(g.day_units)})|(?P<w>{alt(g.week_units)})|(?P<m>{alt(g.month_units)}))"
    months = alt(tuple(words.months))
    return _Patterns(
        nth_of_month=compile_(
            rf"{B}(?:(?:{alt(g.every)})\s+)?(?P<nth>{alt(tuple(w for w, _ in g.ordinals))})\s+(?P<wd>{weekday})s?"
            rf"\s+(?:{alt(g.of_month)}){E}"
        ),
        workdays=compile_(rf"{B}(?:{alt(g.workdays)}){E}"),
        every_weekday=compile_(rf"{B}(?:(?P<other>{alt(g.every_other)})|{alt(g.every)})\s+(?P<list>{listed}){E}"),
        every_n=compile_(
            rf"{B}(?:(?P<other>{alt(g.every_other)})|(?:{alt(g.every)})\s+(?P<n>{numbers(words)}))\s+{units}{E}"
        ),
        frequency=compile_(
            rf"{B}(?:(?P<DAILY>{alt(g.daily)})|(?P<WEEKLY>{alt(g.weekly)})"
            rf"|(?P<MONTHLY>{alt(g.monthly)})|(?P<YEARLY>{alt(g.yearly)})){E}"
        ),
        plural_weekdays=compile_(rf"{B}(?P<list>{plural}(?:\s*(?:{alt(g.and_)})\s*{weekday}s?)*){E}"),
        until=compile_(
            rf"{B}(?:{alt(g.until)})\s+(?:the\s+|le\s+|el\s+|den\s+|il\s+|o\s+)?(?:"
            rf"(?P<mon>{months})\.?\s+(?P<day>\d{{1,2}}){ORDINAL}?(?:,?\s+(?P<year>\d{{4}}))?"
            rf"|(?P<day2>\d{{1,2}}){ORDINAL}?\s+(?:of\s+|de\s+)?(?P<mon2>{months})\.?(?:,?\s+(?P<year2>\d{{4}}))?"
            rf"|(?P<day3>\d{{1,2}}){ORDINAL}"
            rf"|(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})(?:/(?P<year3>\d{{2,4}}))?"
            rf"|(?P<iso>\d{{4}})-(?P<iso_month>\d{{1,2}})-(?P<iso_day>\d{{1,2}})){E}"
        ),
        count=compile_(rf"{B}(?P<n>\d{{1,5}})\s+(?:{alt(g.times)}){E}"),
        month_day=compile_(
            rf"{B}(?:on\s+)?(?:the|le|el|am|il|o|den|op)\s+(?P<day>\d{{1,2}}){ORDINAL}?"
            rf"(?![:.h]\d|\s*(?:h|uhr|uur|am|pm)\b){E}"
        ),
    )


def recurrence(work: Text, found: Findings, words: Vocabulary) -> None:
    p = _patterns(words)
    ordinals = dict(words.grammar.ordinals)

    def nth_of_month(match: re.Match[str]) -> bool:
        if found.freq:
            return False
        code = DAY_CODES[words.weekdays[match["wd"].lower()]]
        return _rule(found, match, "MONTHLY", byday=(f"{ordinals[match['nth'].lower()]}{code}",))

    def workdays(match: re.Match[str]) -> bool:
        return not found.freq and _rule(found, match, "WEEKLY", byday=DAY_CODES[:5])

    def every_weekday(match: re.Match[str]) -> bool:
        days = _weekdays(match["list"], words)
        return not found.freq and _rule(found, match, "WEEKLY", interval=2 if match["other"] else 1, byday=days)

    def every_n(match: re.Match[str]) -> bool:
        interval = 2 if match["other"] else number_word(match["n"], words)
        freq = "DAILY" if match["d"] else "WEEKLY" if match["w"] else "MONTHLY"
        return not found.freq and interval is not None and _rule(found, match, freq, interval=interval)

    def frequency(match: re.Match[str]) -> bool:
        freq = next(name for name in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY") if match[name])
        return not found.freq and _rule(found, match, freq)

    def plural_weekdays(match: re.Match[str]) -> bool:
        if found.freq not in (None, "WEEKLY") or found.byday:
            return False
        return _rule(found, match, "WEEKLY", interval=found.interval, byday=_weekdays(match["list"], words))

    for pattern, understand in (
        (p.nth_of_month, nth_of_month),
        (p.workdays, workdays),
        (p.every_weekday, every_weekday),
        (p.every_n, every_n),
        (p.frequency, frequency),
        (p.plural_weekdays, plural_weekdays),
    ):
        work.take(pattern, understand)
    if found.freq:
        work.take(p.until, lambda m: _until(found, m, words))
        work.take(p.count, lambda m: _count(found, m))
    if found.freq == "MONTHLY" and not found.byday:
        work.take(p.month_day, lambda m: _month_day(found, m))


def _rule(found: Findings, match: re.Match[str], freq: str, interval: int = 1, byday: tuple[str, ...] = ()) -> bool:
    found.freq, found.interval, found.byday = freq, interval, byday
    found.rule_words = " ".join(w for w in (found.rule_words, " ".join(match[0].split())) if w)
    return True


def _weekdays(text: str, words: Vocabulary) -> tuple[str, ...]:
    names = sorted(words.weekdays, key=len, reverse=True)
    found: list[int] = []
    for token in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", text.lower()):
        for name in names:
            if token in (name, f"{name}s"):
                found.append(words.weekdays[name])
                break
    return tuple(DAY_CODES[d] for d in sorted(set(found)))


def _until(found: Findings, match: re.Match[str], words: Vocabulary) -> bool:
    if found.until is not None or found.count is not None:
        return False
    month_word = match["mon"] or match["mon2"]
    year = match["year"] or match["year2"] or match["year3"]
    if match["iso"]:
        month: int | None = int(match["iso_month"])
        day, year = int(match["iso_day"]), match["iso"]
    elif month_word:
        month = words.months[month_word.lower()]
        day = int(match["day"] or match["day2"])
    elif match["a"]:
        first, second = int(match["a"]), int(match["b"])
        month, day = (first, second) if words.date_order == "MDY" else (second, first)
    else:
        month, day = None, int(match["day3"])
    full_year = None if not year else int(year) + (2000 if len(year) == 2 else 0)
    found.until = (month, day, full_year)
    found.rule_words += " " + " ".join(match[0].split())
    return True


def _month_day(found: Findings, match: re.Match[str]) -> bool:
    day = int(match["day"])
    if found.bymonthday is not None or not 1 <= day <= 31:
        return False
    found.bymonthday = day
    return True


def _count(found: Findings, match: re.Match[str]) -> bool:
    if found.until is not None or found.count is not None:
        return False
    found.count = int(match["n"])
    return True

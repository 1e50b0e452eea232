"""Lengths and spans of time: `for 45 min`, `1h30`, `, 30 min`, `in 20 minutes`, `now`, `3 days ago`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from ..vocabulary import Vocabulary
from .reading import B, E, Findings, Text, alternation, compile_

MAX_AHEAD_MINUTES = 5 * 366 * 24 * 60


@dataclass(frozen=True)
class _Patterns:
    ago_before: re.Pattern[str]
    ago_after: re.Pattern[str]
    relative: re.Pattern[str]
    now: re.Pattern[str]
    duration_for: re.Pattern[str]
    duration_bare: re.Pattern[str]
    compact: re.Pattern[str] | None


@lru_cache(maxsize=64)
def _patterns(words: Vocabulary) -> _Patterns:
    g = words.grammar
    alt = alternation
    units = rf"(?:{alt(g.hour_units)})"
    minutes = rf"(?:{alt(g.minute_units)})"
    amount = (
        rf"(?:(?P<half>{alt(g.half_hour)})|(?P<one>{alt(g.an_hour)})"
        rf"|(?P<h>-?\d+(?:[.,]\d+)?)\s*(?P<unit>{units})(?:{E}|(?=\d))(?:\s*(?:and\s+)?(?P<hm>\d{{1,2}})\s*{minutes}?{E})?"
        rf"|(?P<m>-?\d+)\s*{minutes}{E})"
    )
    in_ = alt(g.in_)
    days = rf"\d+\s+(?:{alt(g.day_units + g.week_units + g.month_units)})"
    return _Patterns(
        ago_before=compile_(rf"{B}(?:{alt(g.ago)})\s+(?:{amount}|{days}{E})"),
        ago_after=compile_(rf"{B}(?:{amount}|{days})\s+(?:{alt(g.ago)}){E}"),
        relative=compile_(rf"{B}(?:{in_})\s+{amount}"),
        now=compile_(rf"{B}(?:{alt(g.now)}){E}"),
        duration_for=compile_(rf"{B}(?:{alt(g.for_)})\s+{amount}"),
        duration_bare=compile_(rf"{B}{amount}"),
        compact=None if g.h_is_a_clock else compile_(rf"{B}(?:(?:{alt(g.for_)})\s+)?(\d{{1,2}})h(\d{{2}}){E}"),
    )


def _amount(match: re.Match[str]) -> float | None:
    if match.group("half"):
        return 30
    if match.group("one"):
        return 60
    if match.group("h"):
        return float(match.group("h").replace(",", ".")) * 60 + int(match.group("hm") or 0)
    if match.group("m"):
        return float(match.group("m"))
    return None


def _a_time_of_day(match: re.Match[str], h_is_a_clock: bool, clock_units: tuple[str, ...]) -> bool:
    """Not lengths: "14h30" where h marks the hour, "16h15" anywhere, "10 uur" without "for"."""
    written = match.group(0).strip()
    if re.fullmatch(r"\d{1,2}h(\d{2})?", written) and (h_is_a_clock or int(match.group("h")) > 12):
        return True
    return match.group("unit").lower() in clock_units


def past_phrases(work: Text, found: Findings, words: Vocabulary) -> None:
    def understand(match: re.Match[str]) -> bool:
        found.past = match.group(0).strip()
        return True

    p = _patterns(words)
    work.take(p.ago_after, understand)
    work.take(p.ago_before, understand)


def relative_starts(work: Text, found: Findings, words: Vocabulary) -> None:
    def understand(match: re.Match[str]) -> bool:
        minutes = _amount(match)
        if minutes is None:
            return False
        if minutes > MAX_AHEAD_MINUTES:
            found.invalid = f"“{match.group(0).strip()}” is too far ahead"
            return True
        found.after = timedelta(minutes=minutes)
        return True

    def now(match: re.Match[str]) -> bool:
        found.after = timedelta(0)
        return True

    p = _patterns(words)
    work.take(p.relative, understand)
    work.take(p.now, now)


def durations(work: Text, found: Findings, words: Vocabulary) -> None:
    h_is_a_clock = words.grammar.h_is_a_clock
    clock_units = words.grammar.clock_units

    def understand(match: re.Match[str], bare: bool = True) -> bool:
        if match.group("h") and _a_time_of_day(match, h_is_a_clock, clock_units if bare else ()):
            return False
        minutes = _amount(match)
        if minutes is None or found.duration is not None:
            return False
        found.duration = minutes
        return True

    def compact(match: re.Match[str]) -> bool:
        if int(match[1]) > 12:
            return False  # "16h15" is a time of day
        found.duration = int(match[1]) * 60 + int(match[2])
        return True

    p = _patterns(words)
    work.take(p.duration_for, lambda m: understand(m, bare=False))
    if p.compact is not None:
        work.take(p.compact, compact)
    work.take(p.duration_bare, understand)

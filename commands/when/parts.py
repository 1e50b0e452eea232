"""Parts of the day: `at 7 in the evening`, `a las 4 de la tarde`, `um 4 Uhr nachmittags`, `tomorrow
morning`, `this afternoon`, `end of day`, `tonight`. With an hour they move it into that part of the
day; without one they choose the hour in `DEFAULT_HOURS`, and the receipt says so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..vocabulary import Vocabulary
from .reading import MARK, B, E, Findings, Text, alternation, compile_

DEFAULT_HOURS = {"morning": 9, "afternoon": 14, "end": 17, "evening": 20, "night": 20}


@dataclass(frozen=True)
class _Patterns:
    tonight: re.Pattern[str]
    anywhere: re.Pattern[str]
    after_day: re.Pattern[str]


@lru_cache(maxsize=64)
def _patterns(words: Vocabulary) -> _Patterns:
    g = words.grammar
    alt = alternation
    days = alt((*words.relative_days, *words.weekdays))
    nouns = alt(tuple(w for w, _ in g.part_nouns))
    return _Patterns(
        tonight=compile_(rf"{B}(?:{alt(g.tonight)}){E}"),
        anywhere=compile_(rf"{B}(?:{alt(tuple(w for w, _ in g.parts))}){E}"),
        after_day=compile_(rf"{B}(?:(?P<this>{alt(g.this)})|(?P<day>{days}|{MARK}))\s+(?P<noun>{nouns}){E}"),
    )


def parts_of_day(work: Text, found: Findings, words: Vocabulary) -> None:
    p = _patterns(words)
    parts = dict(words.grammar.parts)
    nouns = dict(words.grammar.part_nouns)

    def tonight(match: re.Match[str]) -> bool:
        if found.day_offset is None:
            found.day_offset = 0
            found.day_words = match[0].strip()
        return _set_part(found, "evening", match[0])

    def anywhere(match: re.Match[str]) -> bool:
        return _set_part(found, parts[" ".join(match[0].lower().split())], match[0])

    def after_day(match: re.Match[str]) -> tuple[int, int] | None:
        if found.part is not None or (match["day"] == MARK and not found.freq):
            return None  # after a marker only in a series: "every Friday morning"
        written = f"{found.rule_words} {match['noun']}" if match["day"] == MARK else match[0]
        _set_part(found, nouns[match["noun"].lower()], written)
        if match["this"] is None:
            return match.span("noun")  # the day word is read by the day pass
        if found.day_offset is None:
            found.day_offset = 0
            found.day_words = match[0].strip()
        return match.span()

    work.take(p.tonight, tonight)
    work.take(p.anywhere, anywhere)
    work.take_spans(p.after_day, after_day)


def _set_part(found: Findings, part: str, written: str) -> bool:
    if found.part is None:
        found.part, found.part_words = part, " ".join(written.split())
    return True


def in_part(clock: tuple[int, int], part: str | None, guessed: bool) -> tuple[int, int]:
    """Move an hour into the part of the day: 7 in the evening is 19:00, 12 at night is 00:00."""
    hour, minute = clock
    if part == "morning":
        hour = hour - 12 if guessed else 0 if hour == 12 else hour
    elif part in ("afternoon", "evening", "end") and hour < 12:
        hour += 12
    elif part == "night":
        if guessed:
            hour -= 12
        hour = 0 if hour == 12 else hour + 12 if 6 <= hour < 12 else hour
    return (hour, minute)

"""The text being read and what has been found in it so far."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo

from ..vocabulary import Vocabulary

MARK = "\x00"
B, E = r"(?<![\w@])", r"(?![\w])"  # word edges that also keep "@" and e-mail addresses whole


@dataclass
class Findings:
    invitees: list[str] = field(default_factory=list)
    zone: tzinfo | None = None
    duration: float | None = None
    after: timedelta | None = None  # "now", "in 20 minutes"
    clock: tuple[int, int] | None = None
    clock_end: tuple[int, int] | None = None
    afternoon_guess: bool = False  # a bare 1-6 in English
    part: str | None = None  # morning, afternoon, evening, night, end
    part_words: str = ""
    day: date | None = None
    year_given: bool = True
    month_unknown: bool = False  # "on the 14th"
    day_offset: int | None = None
    weekday: int | None = None
    next_week: bool = False  # "next Friday"
    week_ahead: int = 0  # "Friday next week"
    day_words: str = ""  # what set the day, for a refusal
    past: str = ""
    invalid: str = ""
    freq: str | None = None  # DAILY, WEEKLY, MONTHLY, YEARLY
    interval: int = 1
    byday: tuple[str, ...] = ()  # MO, -1FR
    bymonthday: int | None = None
    until: tuple[int | None, int, int | None] | None = None  # month, day, year
    count: int | None = None
    rule_words: str = ""
    respelt: dict[str, str] = field(default_factory=dict)  # the word read -> the word typed


class Text:
    """The text being read; understood spans are replaced by a marker."""

    def __init__(self, text: str) -> None:
        self.text = f" {text} "

    def take(self, pattern: re.Pattern[str], understand: Callable[[re.Match[str]], bool]) -> None:
        self.take_spans(pattern, lambda m: m.span() if understand(m) else None)

    def take_spans(
        self, pattern: re.Pattern[str], understand: Callable[[re.Match[str]], tuple[int, int] | None]
    ) -> None:
        """Like `take`, but `understand` says which part of the match it read (None: nothing)."""
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(self.text):
            span = understand(match)
            if span is not None and span[0] >= last:
                pieces.append(self.text[last : span[0]])
                pieces.append(f" {MARK} ")
                last = span[1]
        pieces.append(self.text[last:])
        self.text = "".join(pieces)


Step = Callable[[Text, Findings, Vocabulary], None]


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """Longest first, spaces matching any run of white space."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) or r"(?!)"


def compile_(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def number_word(text: str, words: Vocabulary) -> int | None:
    """`4`, `four`, `vier` -> 4."""
    if text.isdigit():
        return int(text)
    return dict(words.grammar.numbers).get(text.lower())


def numbers(words: Vocabulary) -> str:
    return rf"(?:\d{{1,2}}|{alternation(tuple(w for w, _ in words.grammar.numbers))})"

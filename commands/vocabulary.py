"""The words people use for dates and times, per language.

Month and weekday names and the relative day words (today, tomorrow, yesterday ...) come from
dateparser's language data, so every language dateparser knows gets them. The small grammar words
around them (at, for, from ... to, now, noon) are ours, in `when.languages`, for the languages we
support in depth. Words typed without their accent ("lunedi", "manana") are known too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .when.languages import GRAMMARS, Grammar

MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RELATIVE_DAYS = {"0 day ago": 0, "in 1 day": 1, "in 2 day": 2, "1 day ago": -1, "2 day ago": -2}

# Abbreviations that are also everyday words or names in their language: never a weekday.
NOT_WEEKDAYS = frozenset({"mit", "sam", "don", "die", "son", "fre", "mar", "mer", "jeu", "mo", "mi", "do", "di"})


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Everything the parser needs for a set of languages, merged."""

    languages: tuple[str, ...]
    months: dict[str, int] = field(default_factory=dict)  # word -> 1..12
    weekdays: dict[str, int] = field(default_factory=dict)  # word -> 0..6
    relative_days: dict[str, int] = field(default_factory=dict)  # word -> day offset
    grammar: Grammar = field(default_factory=Grammar)
    date_order: str = "DMY"


@lru_cache(maxsize=64)
def vocabulary(language: str, date_order: str) -> Vocabulary:
    """The user's language merged with English (people mix them), built once per language."""
    languages = tuple(dict.fromkeys((language, "en")))
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    for code in languages:
        info = _locale_info(code)
        for number, key in enumerate(MONTH_KEYS, start=1):
            for word in info.get(key, []):
                if len(word) >= 3:
                    months.setdefault(word.lower(), number)
        for number, key in enumerate(WEEKDAY_KEYS):
            for word in info.get(key, []):
                lowered = word.lower()
                if lowered not in NOT_WEEKDAYS and (len(lowered) > 3 or code == "en") and len(lowered) >= 3:
                    weekdays.setdefault(lowered, number)
        for key, offset in RELATIVE_DAYS.items():
            for word in info.get("relative-type", {}).get(key, []):
                relative.setdefault(word.lower(), offset)
    grammar = _merge(GRAMMARS.get(code, Grammar()) for code in languages)
    relative.update(grammar.more_days)
    for table in (months, weekdays, relative):
        _add_short_forms(table, grammar)
    return Vocabulary(
        languages=languages,
        months=months,
        weekdays=weekdays,
        relative_days=relative,
        grammar=grammar,
        date_order=date_order,
    )


def _add_short_forms(table: dict[str, int], grammar: Grammar) -> None:
    for word, meaning in grammar.short_forms:
        if meaning in table:
            table.setdefault(word, table[meaning])
    for word, value in list(table.items()):
        table.setdefault(_without_accents(word), value)


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _locale_info(code: str) -> dict[str, Any]:
    from dateparser.languages.loader import default_loader  # ~25 ms to import: not before the first parse

    try:
        return dict(default_loader.get_locale(code).info)
    except (KeyError, ValueError):
        return {}


def _merge(grammars: Iterable[Grammar]) -> Grammar:
    merged: dict[str, Any] = {}
    for grammar in grammars:
        for name in Grammar.__dataclass_fields__:
            value = getattr(grammar, name)
            if isinstance(value, bool):
                merged[name] = merged.get(name, False) or value
            else:
                merged[name] = tuple(dict.fromkeys((*merged.get(name, ()), *value)))
    return Grammar(**merged)


def date_order_for(locale: str) -> str:
    """12/3 is December 3 for en-US, 12 March almost everywhere else."""
    language, _, region = locale.replace("_", "-").partition("-")
    if language.lower() == "en":
        return "MDY" if region.upper() in ("", "US", "PH") else "DMY"
    order = str(_locale_info(language.lower()).get("date_order", "DMY"))
    return order if order in ("DMY", "MDY", "YMD") else "DMY"

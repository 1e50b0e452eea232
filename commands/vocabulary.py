"""The words people use for dates and times, per language.

Month and weekday names and the relative day words (today, tomorrow, yesterday ...) come from
dateparser's language data, so every language dateparser knows gets them. The small grammar words
around them (at, for, from ... to, now, noon) are ours, for the languages we support in depth.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dateparser.languages.loader import default_loader

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


@dataclass(frozen=True)
class Grammar:
    """The grammar words of one language (lower case)."""

    at: tuple[str, ...] = ()
    for_: tuple[str, ...] = ()
    ranges: tuple[tuple[str, str], ...] = ()
    now: tuple[str, ...] = ()
    noon: tuple[str, ...] = ()
    midnight: tuple[str, ...] = ()
    tonight: tuple[str, ...] = ()
    next_: tuple[str, ...] = ()  # before a weekday
    next_after: tuple[str, ...] = ()  # after a weekday ("vendredi prochain")
    this: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    in_: tuple[str, ...] = ()
    ago: tuple[str, ...] = ()
    hour_units: tuple[str, ...] = ()
    minute_units: tuple[str, ...] = ()
    an_hour: tuple[str, ...] = ()
    half_hour: tuple[str, ...] = ()
    filler: tuple[str, ...] = ()
    h_is_a_clock: bool = False  # "14h30" is a time of day, not a duration


GRAMMARS: dict[str, Grammar] = {
    "en": Grammar(
        at=("at", "@"),
        for_=("for",),
        ranges=(("from", "to"), ("from", "till"), ("from", "until"), ("between", "and")),
        now=("right now", "now", "asap"),
        noon=("noon", "midday"),
        midnight=("midnight",),
        tonight=("tonight",),
        next_=("next", "coming"),
        this=("this",),
        last=("last", "past", "previous"),
        in_=("in",),
        ago=("ago",),
        hour_units=("hours", "hour", "hrs", "hr", "h"),
        minute_units=("minutes", "minute", "mins", "min", "m"),
        an_hour=("an hour", "one hour"),
        half_hour=("half an hour", "half hour"),
        filler=("on", "at", "with", "for", "and", "the", "from", "to", "in", "by", "starting", "&", ",", "-"),
    ),
    "fr": Grammar(
        at=("à", "a", "vers"),
        for_=("pendant", "pour", "durant"),
        ranges=(("de", "à"), ("de", "a"), ("entre", "et")),
        now=("maintenant", "tout de suite"),
        noon=("midi",),
        midnight=("minuit",),
        tonight=("ce soir",),
        next_=(),
        next_after=("prochain", "prochaine"),
        this=("ce", "cette"),
        last=("dernier", "dernière"),
        in_=("dans",),
        ago=("il y a",),
        hour_units=("heures", "heure", "h"),
        minute_units=("minutes", "minute", "min"),
        an_hour=("une heure",),
        half_hour=("une demi-heure", "demi-heure"),
        filler=("le", "la", "les", "l'", "à", "a", "avec", "pour", "pendant", "et", "de", "du", "des", "ce", ","),
        h_is_a_clock=True,
    ),
    "es": Grammar(
        at=("a las", "a la", "a"),
        for_=("durante", "por"),
        ranges=(("de", "a"), ("desde", "hasta"), ("entre", "y")),
        now=("ahora mismo", "ahora", "ya"),
        noon=("mediodía", "medio día"),
        midnight=("medianoche",),
        tonight=("esta noche",),
        next_=("próximo", "próxima"),
        next_after=("que viene", "próximo", "próxima"),
        this=("este", "esta"),
        last=("pasado", "pasada", "último", "última"),
        in_=("dentro de", "en"),
        ago=("hace",),
        hour_units=("horas", "hora", "h"),
        minute_units=("minutos", "minuto", "min"),
        an_hour=("una hora",),
        half_hour=("media hora",),
        filler=("el", "la", "los", "las", "a", "con", "para", "durante", "por", "y", "de", "del", ","),
    ),
    "de": Grammar(
        at=("um", "gegen"),
        for_=("für", "fuer"),
        ranges=(("von", "bis"), ("zwischen", "und")),
        now=("jetzt", "sofort"),
        noon=("mittag",),
        midnight=("mitternacht",),
        tonight=("heute abend",),
        next_=("nächsten", "nächste", "nächster", "kommenden", "kommende"),
        this=("diesen", "diese", "dieser"),
        last=("letzten", "letzte", "letzter", "vergangenen"),
        in_=("in",),
        ago=("vor",),
        hour_units=("stunden", "stunde", "std", "h"),
        minute_units=("minuten", "minute", "min"),
        an_hour=("eine stunde",),
        half_hour=("eine halbe stunde", "halbe stunde"),
        filler=("am", "um", "mit", "für", "und", "an", "den", "der", "die", "das", "ab", ","),
    ),
}


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
    return Vocabulary(
        languages=languages,
        months=months,
        weekdays=weekdays,
        relative_days=relative,
        grammar=_merge(GRAMMARS.get(code, Grammar()) for code in languages),
        date_order=date_order,
    )


def _locale_info(code: str) -> dict[str, Any]:
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

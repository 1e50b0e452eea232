"""Misspelt day, month and relative-day words: `tomorow`, `wensday`, `thrusday`, `septmber`; and
words written as one that are read as two (Dutch `morgenochtend`).

A word is read as the vocabulary word it is closest to, counting a swap of two letters as one edit,
when it is long enough to be unambiguous: at most one edit for words of 5 or 6 letters, two from 7;
the first and last letters must match (so "Sundar" stays a name) and only one vocabulary word may be
that close. Short forms (`tmrw`,
`thurs`) are in the vocabulary itself. A word read this way but not used keeps its spelling in the topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..vocabulary import Vocabulary
from .reading import Findings, Text

WORD = re.compile(r"(?<![\w@.])[^\W\d_]{5,}(?![\w@])")


def respell(work: Text, found: Findings, words: Vocabulary) -> None:
    compounds = dict(words.grammar.compounds)

    def replace(match: re.Match[str]) -> str:
        typed = match[0]
        if typed.lower() in compounds:
            return compounds[typed.lower()]
        meant = _closest(typed.lower(), words)
        if meant is None:
            return typed
        found.respelt[meant] = typed
        return meant

    work.text = WORD.sub(replace, work.text)


@lru_cache(maxsize=4096)
def _closest(word: str, words: Vocabulary) -> str | None:
    known, by_letter = _known(words)
    if word in known or word.rstrip("s") in known or word in words.grammar.filler:
        return None
    limit = 1 if len(word) < 7 else 2
    best: list[tuple[int, str]] = []
    for candidate in by_letter.get(word[0], ()):
        if candidate[-1] == word[-1] and abs(len(candidate) - len(word)) <= limit:
            distance = _edits(word, candidate, limit)
            if distance <= limit:
                best.append((distance, candidate))
    best.sort()
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]


@lru_cache(maxsize=64)
def _known(words: Vocabulary) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Every known word, and the single words of at least 5 letters by their first letter."""
    every = frozenset({*words.weekdays, *words.months, *words.relative_days})
    by_letter: dict[str, tuple[str, ...]] = {}
    for word in sorted(every):
        if len(word) >= 5 and word.isalpha():
            by_letter[word[0]] = (*by_letter.get(word[0], ()), word)
    return every, by_letter


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), giving up past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]

"""Zones named by a place or a region: `3pm Paris time`, `10am Sydney time`, `15h heure de Paris`,
`a las 10 hora de Madrid`; and a zone word standing alone (`Sync 9am tomorrow, UTC`)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..vocabulary import Vocabulary
from ..zone_words import PATTERN as ZONE_PATTERN
from ..zone_words import place_zone, zone_for
from .reading import B, E, Findings, Text, compile_

WORD = r"[^\W\d_][^\W\d_'.-]*"
PLACE = compile_(
    rf"{B}(?:(?:(?P<w1>{WORD})\s+)?(?P<w2>{WORD})\s+time"
    rf"|(?:heure|hora|ora|horário)\s+(?:de|di|d')\s*(?P<w3>{WORD})(?:\s+(?P<w4>{WORD}))?){E}"
)


@lru_cache(maxsize=1)
def _alone() -> re.Pattern[str]:
    return compile_(rf"{B}(?P<zone>{ZONE_PATTERN})")


def places(work: Text, found: Findings, words: Vocabulary) -> None:
    def understand(match: re.Match[str]) -> tuple[int, int] | None:
        if match["w2"]:  # "[New] York time": two words if they name a place, else the last one
            options = [(match.start("w1"), match.end()), (match.start("w2"), match.end())]
            names = [f"{match['w1']} {match['w2']}" if match["w1"] else "", match["w2"]]
        else:  # "heure de Paris [demain]": two words if they name a place, else the first one
            options = [(match.start(), match.end()), (match.start(), match.end("w3"))]
            names = [f"{match['w3']} {match['w4']}" if match["w4"] else "", match["w3"]]
        for span, name in zip(options, names, strict=True):
            zone = place_zone(name) if name else None
            if zone is not None:
                found.zone = zone
                return span
        return None

    work.take_spans(PLACE, understand)


def zones_alone(work: Text, found: Findings, words: Vocabulary) -> None:
    def understand(match: re.Match[str]) -> bool:
        if found.zone is not None:
            return False
        found.zone = zone_for(match["zone"])
        return True

    work.take(_alone(), understand)

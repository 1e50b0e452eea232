"""The one place user and Webex text is made safe for where it lands in Slack: escaped for mrkdwn and cut to
the field's limit with an ellipsis, never inside an escape, a Slack token the bot built, or a character."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import regex

# Slack's limits per field, in characters (Block Kit reference; slack_sdk's models enforce most of them and
# raise on overflow).
LIMITS: dict[str, int] = {
    "section": 3000,  # section block text
    "field": 2000,  # one of a section's fields
    "header": 150,  # header block (plain_text)
    "context": 2000,  # one context element
    "button": 75,  # button text (plain_text)
    "button_value": 2000,
    "option": 75,  # option label (plain_text)
    "option_value": 150,
    "confirm_title": 100,  # plain_text
    "confirm_text": 300,  # mrkdwn
    "confirm_button": 30,  # plain_text
    "modal_title": 24,  # plain_text; also the modal's submit and close labels
    "label": 2000,  # input block label (plain_text)
    "placeholder": 150,
    "alt_text": 2000,
    "text": 3000,  # top-level message text: Slack takes 40,000, but it is what notifications show
}
MAX_FIELDS = 10  # fields in one section
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS = 25  # elements in one actions block
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100

ELLIPSIS = "…"
WORD_JOINER = "\u2060"
_FORMATTING = regex.compile(r"[*_~`]")
# Units a cut must keep whole: a token the bot built (<@U…>, <!date^…|…>, links), an escape, a neutralised
# formatting character, or one user-perceived character (a grapheme cluster: emoji sequences, flags, accents).
_MRKDWN_UNIT = regex.compile(r"<[^<>\n]*>|&(?:amp|lt|gt);|\u2060[*_~`]\u2060|\X")
_PLAIN_UNIT = regex.compile(r"\X")


def _limit(where: str | int) -> int:
    return where if isinstance(where, int) else LIMITS[where]


def _cut(text: str, limit: int, unit: regex.Pattern[str]) -> str:
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for piece in unit.findall(text):
        if size + len(piece) > limit - len(ELLIPSIS):
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept).rstrip() + ELLIPSIS


def escape(text: str) -> str:
    """User text for mrkdwn: `&`, `<` and `>` escaped as Slack asks, and `*`, `_`, `~` and backticks held
    between word joiners, which makes them mid-word to Slack's parser, so they show as typed instead of
    formatting."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FORMATTING.sub(lambda found: f"{WORD_JOINER}{found.group()}{WORD_JOINER}", escaped)


def mrkdwn(text: str, where: str | int) -> str:
    """User or Webex text, escaped for mrkdwn and cut to `where` (a LIMITS name or a character budget)."""
    return _cut(escape(text), _limit(where), _MRKDWN_UNIT)


def plain(text: str, where: str | int) -> str:
    """User or Webex text for a plain_text field: not escaped (Slack shows it as it is), cut to the limit."""
    return _cut(text, _limit(where), _PLAIN_UNIT)


def fit(composed: str, where: str | int) -> str:
    """Mrkdwn the bot composed from escaped pieces and its own tokens, cut to the field's limit."""
    return _cut(composed, _limit(where), _MRKDWN_UNIT)


def zone_label(moment: datetime, tz: str | None = None) -> str:
    """The zone to name beside a time written as text: the viewer's IANA zone when known ("Asia/Kolkata"),
    else the time's own offset ("UTC+05:30"), never an ambiguous abbreviation like IST or CST."""
    if tz and _zone(tz) is not None:
        return tz
    return _offset_name(moment.utcoffset())


def local_text(moment: datetime, tz: str | None = None) -> str:
    """A time written out in words for fallback text: "Tue 24 Nov 2026 15:00 America/New_York"."""
    zone = _zone(tz) if tz else None
    shown = moment.astimezone(zone) if zone is not None else moment
    return f"{shown.strftime('%a %d %b %Y %H:%M')} {zone_label(shown, tz)}"


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset_name(offset: timedelta | None) -> str:
    if offset is None:
        return "(zone unknown)"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"

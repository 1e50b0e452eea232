"""A meeting topic checked before anything is created: no control characters, within Webex's length."""

from __future__ import annotations

import re
import unicodedata

from .errors import UsageError

# The URL API guide gives a meeting name at most 128 characters (MN, L4344; MeetingNameShouldBeShorterThan128Chars,
# L3837); the REST API's `title` has the same limit. CreateMeeting's confName is the same field.
TOPIC_LIMIT = 128
# Bidirectional overrides and isolates reorder what readers see, so a topic could pass for another one.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,.!?)])")
_SPACES = re.compile(r" {2,}")


def check_topic(text: str, limit: int = TOPIC_LIMIT) -> str:
    """The topic, trimmed and tidied ("flow ?" -> "flow?"), or UsageError saying what to change."""
    if any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in text.strip()):
        raise UsageError(
            "The topic has a line break, tab or other control character. Write it on one line, as plain text."
        )
    topic = _SPACES.sub(" ", _SPACE_BEFORE_PUNCTUATION.sub("", text.strip()))
    if len(topic) > limit:
        raise UsageError(
            f"The topic is {len(topic):,} characters long; Webex allows at most {limit}. Shorten it and try again."
        )
    return topic

"""Meeting numbers as people read them, the same everywhere."""

from __future__ import annotations


def format_number(key: str) -> str:
    """447712782 -> 447 712 782, in threes as Webex prints them; anything that is not all digits as given."""
    digits = key.strip()
    if not digits.isdigit():
        return digits
    head = len(digits) % 3 or 3
    return " ".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])

"""JSON with its secrets blanked, for DEBUG logs: passwords, host keys, join/start links, tokens."""

from __future__ import annotations

from typing import Any

SECRET_KEYS = frozenset(
    {
        "password",
        "panelistpassword",
        "phoneandvideosystempassword",
        "phoneandvideosystempanelistpassword",
        "hostkey",
        "startlink",
        "joinlink",
        "secret",
        "access_token",
        "refresh_token",
        "client_secret",
    }
)


def redacted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "***" if str(k).lower() in SECRET_KEYS and v else redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return value

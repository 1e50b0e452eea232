"""Calling Slack's Web API without letting any shape of failure escape: error replies, non-JSON bodies,
HTML error pages, dropped connections and timeouts all become None and one log line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("webexbot")
T = TypeVar("T")

# slack_sdk raises AttributeError or TypeError from SlackResponse.validate when a body is text, not JSON
EXPECTED = (SlackClientError, aiohttp.ClientError, asyncio.TimeoutError, AttributeError, TypeError, ValueError)


def describe(error: BaseException) -> str:
    """A short reason for the log, whatever the failure looked like."""
    if isinstance(error, SlackApiError):
        response = error.response
        data = getattr(response, "data", None)
        if isinstance(data, dict) and data.get("error"):
            return str(data["error"])
        status = getattr(response, "status_code", None) or getattr(response, "status", None)
        return f"HTTP {status}" if status else "unreadable reply"
    if isinstance(error, asyncio.TimeoutError):
        return "no reply in time"
    if isinstance(error, aiohttp.ClientError):
        return f"connection problem ({type(error).__name__})"
    return f"unreadable reply ({type(error).__name__})"


def error_code(error: BaseException) -> str:
    """Slack's error string (`channel_not_found`, `ratelimited` ...), or "" when the reply had none."""
    if isinstance(error, SlackApiError):
        data = getattr(error.response, "data", None)
        if isinstance(data, dict):
            return str(data.get("error") or "")
    return ""


async def attempt(what: str, call: Awaitable[T]) -> T | None:
    """The call's result, or None after logging why it failed."""
    try:
        return await call
    except EXPECTED as error:
        log.info("slack %s failed: %s", what, describe(error))
    return None

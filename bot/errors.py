"""The one place that turns any error into the message a user sees."""

from __future__ import annotations

import logging
import secrets

from commands.backend import BackendError, Problem
from commands.errors import CommandError
from storage import StoreUnavailable

log = logging.getLogger("webexbot")

_BACKEND_MESSAGES = {
    Problem.NOT_FOUND: "I couldn't find that meeting on Webex. Check the meeting number and try again.",
    Problem.NO_PRIVILEGE: "Webex won't let the bot do that for you. Ask your Webex administrator to check "
    "the bot's service account.",
    Problem.IN_PROGRESS: "That meeting is in progress, so it can't be changed or cancelled now.",
    Problem.RATE_LIMITED: "Webex is busy right now. Try again in a minute.",
    Problem.BAD_CREDENTIALS: "The bot can't sign in to Webex right now. Try again later; an admin will need "
    "to check the service account.",
    Problem.INVALID_INPUT: "Webex didn't accept that request. Check that any co-hosts have Webex host accounts "
    "and try again.",
    Problem.UNAVAILABLE: "Webex isn't answering right now. Try again in a minute.",
    Problem.TIMEOUT: "Webex is taking too long to answer. Try again in a minute.",
}
NO_DATABASE = "I can't reach my database right now, so I did nothing. Try again in a minute."
_MAYBE_APPLIED = " It may have gone through anyway: check `/webex list` before trying again."


def message_for(error: BaseException) -> str:
    """Plain words for the user; a reference to the log for anything unexpected."""
    if isinstance(error, CommandError):
        return str(error)
    if isinstance(error, StoreUnavailable):
        log.warning("database problem: %s", error.reason)
        return NO_DATABASE
    if isinstance(error, BackendError) and error.problem in _BACKEND_MESSAGES:
        log.warning("webex problem %s: %s", error.problem.value, error.detail)
        text = _BACKEND_MESSAGES[error.problem]
        return text + (_MAYBE_APPLIED if error.maybe_applied else "")
    reference = new_reference()
    log.error("unexpected error, reference %s", reference, exc_info=error)
    return f"Sorry, something went wrong on my side (reference {reference}). Please try again later."


def new_reference() -> str:
    return "E-" + secrets.token_hex(3).upper()

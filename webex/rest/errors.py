"""One error tree for the Webex REST client. Every error carries the `Problem` it means for the bot.

    RestError
     +-- RestTransportError   no reply: connect failure, dropped connection (RestTimeout: too slow)
     +-- RestHTTPError        a non-2xx reply, with Webex's message and trackingId
     +-- RestParseError       a 2xx reply that is not the JSON the spec promises

No error text ever holds a token, a secret or a link: only the operation, status, message and trackingId.
"""

from __future__ import annotations

from commands.backend import Problem

# HTTP status -> what it means for the bot. 409 and 423 mean the meeting's state forbids the change
# now (it has started, or Webex holds it locked): IN_PROGRESS, which the commands explain in plain words.
STATUS_PROBLEMS: dict[int, Problem] = {
    400: Problem.INVALID_INPUT,
    401: Problem.BAD_CREDENTIALS,
    403: Problem.NO_PRIVILEGE,
    404: Problem.NOT_FOUND,
    405: Problem.INVALID_INPUT,
    409: Problem.IN_PROGRESS,
    410: Problem.NOT_FOUND,
    415: Problem.INVALID_INPUT,
    423: Problem.IN_PROGRESS,
    428: Problem.INVALID_INPUT,
    429: Problem.RATE_LIMITED,
}


def problem_for_status(status: int) -> Problem:
    if status >= 500:
        return Problem.UNAVAILABLE
    return STATUS_PROBLEMS.get(status, Problem.UNKNOWN)


class RestError(Exception):
    problem: Problem = Problem.UNAVAILABLE

    def __init__(self, message: str, *, operation: str = "", request_sent: bool = False) -> None:
        super().__init__(message)
        self.operation = operation
        self.request_sent = request_sent  # Webex may have acted on the request


class RestTransportError(RestError):
    """No usable reply arrived."""


class RestTimeout(RestTransportError):
    problem = Problem.TIMEOUT


class RestHTTPError(RestError):
    def __init__(self, status: int, message: str, *, operation: str, tracking_id: str = "") -> None:
        detail = f"{operation}: HTTP {status}"
        if message:
            detail += f" {message}"
        if tracking_id:
            detail += f" (trackingId {tracking_id})"
        super().__init__(detail, operation=operation, request_sent=status >= 500)
        self.status = status
        self.message = message
        self.tracking_id = tracking_id
        self.problem = problem_for_status(status)


class RestParseError(RestError):
    """A success status with a body that is not usable JSON: whatever was asked may have been done."""

    def __init__(self, message: str, *, operation: str) -> None:
        super().__init__(message, operation=operation, request_sent=True)

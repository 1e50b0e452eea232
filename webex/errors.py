"""One error tree for everything that can go wrong talking to Webex.

    WebexError
     +-- WebexTransportError   no reply: connect failure, timeout, connection reset
     +-- WebexHTTPError        a reply with a non-2xx status
     +-- WebexParseError       a reply that is not a usable XML API message
     +-- WebexServiceError     result FAILURE, with exception_id, reason and operation

`WebexServiceError.kind` classifies the exceptionID so callers can act without knowing codes.
`maybe_applied` says whether Webex may have carried the request out although the call failed: the
request went out and no clear answer came back (a timeout or dropped connection after sending, a 5xx,
a reply that does not read). For a write, that means: look in Webex before trying again.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    NOT_FOUND = "not_found"
    NO_PRIVILEGE = "no_privilege"
    IN_PROGRESS = "in_progress"
    RATE_LIMITED = "rate_limited"
    BAD_CREDENTIALS = "bad_credentials"
    INVALID_INPUT = "invalid_input"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


# exceptionID -> (kind, what it means). Codes marked "guide" are stated in the XML API reference
# guide (seeds/000, seeds/003); the others are the codes Webex sites answer in the field.
EXCEPTION_KINDS: dict[str, tuple[ErrorKind, str]] = {
    "000001": (ErrorKind.NO_PRIVILEGE, "access denied, additional privileges are required (guide)"),
    "000015": (ErrorKind.NOT_FOUND, "sorry, no record found (guide); an empty list for list calls"),
    "000035": (ErrorKind.UNAVAILABLE, "authentication service not responding (guide)"),
    "000045": (ErrorKind.RATE_LIMITED, "too many requests, try again later"),
    "030001": (ErrorKind.NOT_FOUND, "corresponding user not found"),
    "030002": (ErrorKind.BAD_CREDENTIALS, "incorrect user or password"),
    "040007": (ErrorKind.INVALID_INPUT, "attendee role not supported: alternate host without a host account (guide)"),
    "060001": (ErrorKind.NOT_FOUND, "corresponding meeting not found"),
    "060042": (ErrorKind.IN_PROGRESS, "a started session cannot be deleted or changed (guide)"),
    "140015": (ErrorKind.INVALID_INPUT, "query time range cannot be over 5 minutes (guide)"),
    "140016": (ErrorKind.INVALID_INPUT, "callback number must be numeric (guide)"),
    "200006": (ErrorKind.BAD_CREDENTIALS, "authentication server response error (guide)"),
    "999999": (ErrorKind.INVALID_INPUT, "validation failed (guide)"),
}

# A list call that finds nothing answers FAILURE 000015; the client turns that into an empty list.
EMPTY_LIST_EXCEPTION_IDS = frozenset({"000015"})


def kind_of(exception_id: str) -> ErrorKind:
    return EXCEPTION_KINDS.get(exception_id, (ErrorKind.UNKNOWN, ""))[0]


class WebexError(Exception):
    """Base of every error raised by the Webex client."""

    kind: ErrorKind = ErrorKind.UNAVAILABLE

    def __init__(self, message: str, *, operation: str = "") -> None:
        super().__init__(message)
        self.operation = operation

    @property
    def maybe_applied(self) -> bool:
        return False


class WebexTransportError(WebexError):
    """No reply arrived. `request_sent` tells whether Webex may have acted on it anyway."""

    def __init__(self, message: str, *, operation: str = "", request_sent: bool = False) -> None:
        super().__init__(message, operation=operation)
        self.request_sent = request_sent

    @property
    def maybe_applied(self) -> bool:
        return self.request_sent


class WebexTimeout(WebexTransportError):
    """The reply did not arrive within the call's timeout."""


class WebexHTTPError(WebexError):
    def __init__(self, status_code: int, *, operation: str = "") -> None:
        super().__init__(f"{operation}: HTTP {status_code}", operation=operation)
        self.status_code = status_code
        if status_code == 429:
            self.kind = ErrorKind.RATE_LIMITED
        elif status_code in (401, 403):
            self.kind = ErrorKind.BAD_CREDENTIALS

    @property
    def maybe_applied(self) -> bool:
        return self.status_code >= 500


class WebexParseError(WebexError):
    """The reply was not a well-formed, acceptable XML API message (or was too large to accept)."""

    @property
    def maybe_applied(self) -> bool:
        return True


class WebexServiceError(WebexError):
    """Webex answered FAILURE."""

    def __init__(self, exception_id: str, reason: str, *, operation: str = "") -> None:
        super().__init__(f"{operation}: {exception_id} {reason}".strip(), operation=operation)
        self.exception_id = exception_id
        self.reason = reason
        self.kind = kind_of(exception_id)

"""The Webex side of webexbot: the XML API client, time zones, URL API links and a simulator."""

from .client import WebexClient, collect
from .errors import (
    ErrorKind,
    WebexError,
    WebexHTTPError,
    WebexParseError,
    WebexServiceError,
    WebexTimeout,
    WebexTransportError,
)
from .models import SecurityContext

__all__ = [
    "ErrorKind",
    "SecurityContext",
    "WebexClient",
    "WebexError",
    "WebexHTTPError",
    "WebexParseError",
    "WebexServiceError",
    "WebexTimeout",
    "WebexTransportError",
    "collect",
]

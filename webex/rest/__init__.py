"""The Webex REST API (webexapis.com/v1): client, token renewal, meetings backend, webhooks, doctor checks."""

from .backend import RestBackend
from .client import API_URL, RestClient
from .errors import RestError, RestHTTPError, RestParseError, RestTimeout, RestTransportError
from .tokens import MemoryTokenKeeper, RefreshCredentials, TokenKeeper, TokenPair, Tokens
from .webhooks import WebhookEvent, ensure_webhooks, parse_event, verify

__all__ = [
    "API_URL",
    "MemoryTokenKeeper",
    "RefreshCredentials",
    "RestBackend",
    "RestClient",
    "RestError",
    "RestHTTPError",
    "RestParseError",
    "RestTimeout",
    "RestTransportError",
    "TokenKeeper",
    "TokenPair",
    "Tokens",
    "WebhookEvent",
    "ensure_webhooks",
    "parse_event",
    "verify",
]

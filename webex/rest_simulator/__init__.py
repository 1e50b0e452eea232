"""A stand-in Webex REST API site (webexapis.com/v1): people, meetings, join links, webhooks, OAuth, faults."""

from .faults import Fault, FaultKind, Faults
from .server import Received, RestSimulator
from .sites import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_INTEGRATION_ID,
    DEMO_INTEGRATION_SECRET,
    DEMO_REFRESH_TOKEN,
    demo_host_refresh_token,
    demo_host_token,
    rest_demo_site,
)
from .state import RestState
from .webhooks import Delivery

__all__ = [
    "DEMO_ACCESS_TOKEN",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_INTEGRATION_ID",
    "DEMO_INTEGRATION_SECRET",
    "DEMO_REFRESH_TOKEN",
    "Delivery",
    "Fault",
    "FaultKind",
    "Faults",
    "Received",
    "RestSimulator",
    "RestState",
    "demo_host_refresh_token",
    "demo_host_token",
    "rest_demo_site",
]

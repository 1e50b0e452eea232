"""A stand-in Webex site: the XML API and URL API pages, with the guide's rules and fault injection."""

from .faults import Fault, FaultKind, Faults
from .server import Received, WebexSimulator
from .sites import bulk_meetings, demo_site, guide_site
from .state import SimPerson, SimSession, SimUser, SiteState

__all__ = [
    "Fault",
    "FaultKind",
    "Faults",
    "Received",
    "SimPerson",
    "SimSession",
    "SimUser",
    "SiteState",
    "WebexSimulator",
    "bulk_meetings",
    "demo_site",
    "guide_site",
]

"""The demo REST site: the XML demo site's people, a Service App acting as admin, and fixed test credentials."""

from __future__ import annotations

from datetime import UTC, datetime

from ..simulator.sites import DEMO_ADMIN, DEMO_HOSTS
from .state import App, RestState
from .tokens import issue_access_token, issue_refresh_token

DEMO_CLIENT_ID = "C0demo-webexbot-service-app"
DEMO_CLIENT_SECRET = "demo-client-secret"
DEMO_ACCESS_TOKEN = "demo-admin-access-token"  # the Service App's token: admin, may act for any host
DEMO_REFRESH_TOKEN = "demo-admin-refresh-token"
DEMO_INTEGRATION_ID = "C0demo-webexbot-integration"
DEMO_INTEGRATION_SECRET = "demo-integration-secret"
HOST_TIMEZONES = {"ana": "America/Sao_Paulo", "ben": "Europe/London", "chen": "Asia/Shanghai", "dara": "Asia/Kolkata"}


def demo_host_token(name: str) -> str:
    """The access token of a demo host (`ana`, `ben`, `chen`, `dara`) through the integration: no admin rights."""
    return f"demo-{name}-access-token"


def demo_host_refresh_token(name: str) -> str:
    return f"demo-{name}-refresh-token"


def rest_demo_site(domain: str = "example.com", now: datetime | None = None) -> RestState:
    """Site demo.webex.com: hosts ana, ben, chen and dara `@domain`, and the bot's Service App (admin)."""
    issued = now or datetime.now(UTC)
    state = RestState()
    service = state.apps.setdefault(DEMO_CLIENT_ID, App(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, service_app=True))
    integration = state.apps.setdefault(DEMO_INTEGRATION_ID, App(DEMO_INTEGRATION_ID, DEMO_INTEGRATION_SECRET))
    admin = state.add_person(f"{DEMO_ADMIN}@{domain}", "Webexbot", "Service", is_admin=True)
    issue_access_token(state, admin, service, issued, DEMO_ACCESS_TOKEN)
    issue_refresh_token(state, admin, service, issued, DEMO_REFRESH_TOKEN)
    for name, first, last, _zone_id in DEMO_HOSTS:
        host = state.add_person(f"{name}@{domain}", first, last, timezone=HOST_TIMEZONES[name])
        issue_access_token(state, host, integration, issued, demo_host_token(name))
        issue_refresh_token(state, host, integration, issued, demo_host_refresh_token(name))
    return state

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from webex import SecurityContext, WebexClient
from webex.simulator import WebexSimulator, demo_site
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_HOST_PASSWORD


@pytest.fixture
def simulator() -> Iterator[WebexSimulator]:
    sim = WebexSimulator(demo_site(), hang_seconds=5)
    sim.start_in_thread()
    yield sim
    sim.stop_thread()


@pytest.fixture
async def admin(simulator: WebexSimulator) -> AsyncIterator[WebexClient]:
    """The bot's service account: a site admin that schedules on behalf of hosts."""
    client = WebexClient(
        simulator.url,
        SecurityContext(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, site_name="demo"),
        backoff_s=0.01,
    )
    yield client
    await client.aclose()


def host(admin: WebexClient, webex_id: str) -> WebexClient:
    """The same connection pool, acting as one of the demo site's hosts."""
    return admin.as_user(SecurityContext(webex_id, DEMO_HOST_PASSWORD, site_name="demo"))

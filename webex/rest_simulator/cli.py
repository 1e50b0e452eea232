"""`webexbot simulate-webex --api rest`: serve the demo REST site until interrupted."""

from __future__ import annotations

import asyncio
import contextlib

from .faults import Faults
from .server import RestSimulator
from .sites import rest_demo_site


def main_rest(port: int = 8080, host: str = "127.0.0.1", latency_ms: int = 0, fail_rate: float = 0.0) -> None:
    """Runs the simulated REST site and prints its base URL; returns on Ctrl-C."""
    if not 0.0 <= fail_rate <= 1.0:
        raise ValueError("fail_rate must be between 0 and 1")
    simulator = RestSimulator(rest_demo_site(), faults=Faults(latency_ms=latency_ms, fail_rate=fail_rate))

    banner = f"Webex REST API simulator: site {simulator.state.site_url} at {{}}/v1"
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(simulator.serve(host, port, banner.format))

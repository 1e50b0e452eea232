"""`webexbot demo`: the simulated Webex site, the Slack stand-in with its web console, and the real bot
(HTTP mode) wired to both, in one process."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path

from bot.app import build_bot
from bot.http import HttpServer
from bot.settings import Settings
from storage import Store
from webex.rest_simulator import RestSimulator, rest_demo_site
from webex.rest_simulator.sites import DEMO_ACCESS_TOKEN
from webex.simulator import WebexSimulator, demo_site
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

from .console import Console, demo_people
from .slack import TEAM_ID

LINKED = {"U0ANA": "ana", "U0BEN": "ben", "U0CHEN": "chen", "U0DARA": "dara"}  # Eve stays unlinked
ADMIN = "U0ANA"  # Ana Lima is the demo's bot admin


async def run_demo(host: str = "127.0.0.1", port: int = 3000, db: str | None = None, *, api: str = "xml") -> None:
    """Runs until cancelled; everything started is stopped, and a temporary data folder removed, on the way out."""
    async with contextlib.AsyncExitStack() as stack:
        console = Console()
        for person in demo_people():
            console.add_user(person)
        url = await console.start(host, port)
        stack.push_async_callback(console.stop)
        simulator: WebexSimulator | RestSimulator = (
            RestSimulator(rest_demo_site()) if api == "rest" else WebexSimulator(demo_site())
        )
        await simulator.start(host)
        stack.push_async_callback(simulator.stop)
        if db:
            db_path = Path(db)
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="webexbot-demo-"))
            db_path = Path(folder) / "webexbot.db"
        link_demo_people(db_path, by_email=api == "rest")
        bot = build_bot(demo_settings(console, simulator, db_path), directory_ttl_s=1.0)
        stack.push_async_callback(bot.aclose)
        server = HttpServer(bot)
        console.app_url = await server.start(host, 0)
        stack.push_async_callback(server.stop)
        delivery = asyncio.create_task(console.deliver_scheduled_forever())
        stack.callback(delivery.cancel)
        print(f"webexbot demo: open {url}/  (Webex simulator at {simulator.url}, data in {db_path})", flush=True)
        await asyncio.Event().wait()


def link_demo_people(db_path: Path, *, by_email: bool = False) -> None:
    """On the REST API an account is known by its email."""
    store = Store(db_path)
    try:
        for user_id, webex_id in LINKED.items():
            email = f"{webex_id}@example.com"
            if store.link_for(TEAM_ID, user_id) is None:
                store.link(TEAM_ID, user_id, email if by_email else webex_id, email, "demo", "demo")
    finally:
        store.close()


def demo_settings(console: Console, simulator: WebexSimulator | RestSimulator, db_path: Path) -> Settings:
    if isinstance(simulator, RestSimulator):
        webex = {"WEBEX_API": "rest", "WEBEX_API_URL": f"{simulator.url}/v1", "WEBEX_ACCESS_TOKEN": DEMO_ACCESS_TOKEN}
    else:
        webex = {
            "WEBEX_SITE_URL": simulator.url,
            "WEBEX_SITE_NAME": simulator.state.site_name,
            "WEBEX_USER": DEMO_ADMIN,
            "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD,
        }
    return Settings.from_env(
        {
            "SLACK_BOT_TOKEN": console.bot_token,
            "SLACK_SIGNING_SECRET": console.signing_secret,
            "SLACK_API_URL": console.api_url,
            **webex,
            "WEBEXBOT_DB": str(db_path),
            "WEBEXBOT_ADMINS": ADMIN,
            "WEBEXBOT_ADMIN_CHANNEL": "C0ADMIN",
            "WEBEXBOT_POLL_SECONDS": "3",
        },
        mode="http",
    )

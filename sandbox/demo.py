"""`webexbot demo`: the simulated Webex site, the Slack stand-in with its web console, and the real bot
(HTTP mode) wired to both, in one process."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bot.app import build_bot
from bot.http import HttpServer
from bot.settings import Settings
from storage import Store
from webex.simulator import WebexSimulator, demo_site
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

from .console import Console, demo_people
from .slack import TEAM_ID

LINKED = {"U0ANA": "ana", "U0BEN": "ben", "U0CHEN": "chen", "U0DARA": "dara"}  # Eve stays unlinked


async def run_demo(host: str = "127.0.0.1", port: int = 3000, db: str | None = None) -> None:
    simulator = WebexSimulator(demo_site())
    await simulator.start(host)
    console = Console()
    for person in demo_people():
        console.add_user(person)
    url = await console.start(host, port)
    db_path = Path(db) if db else Path(tempfile.mkdtemp(prefix="webexbot-demo-")) / "webexbot.db"
    store = Store(db_path)
    for user_id, webex_id in LINKED.items():
        if store.link_for(TEAM_ID, user_id) is None:
            store.link(TEAM_ID, user_id, webex_id, f"{webex_id}@example.com", "demo", "demo")
    store.close()
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": console.bot_token,
            "SLACK_SIGNING_SECRET": console.signing_secret,
            "SLACK_API_URL": console.api_url,
            "WEBEX_SITE_URL": simulator.url,
            "WEBEX_SITE_NAME": simulator.state.site_name,
            "WEBEX_USER": DEMO_ADMIN,
            "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD,
            "WEBEXBOT_DB": str(db_path),
            "WEBEXBOT_ADMINS": "U0ANA",
            "WEBEXBOT_ADMIN_CHANNEL": "C0ADMIN",
            "WEBEXBOT_POLL_SECONDS": "3",
        },
        mode="http",
    )
    bot = build_bot(settings, directory_ttl_s=1.0)
    server = HttpServer(bot)
    console.app_url = await server.start(host, 0)
    print(f"webexbot demo: open {url}/  (Webex simulator at {simulator.url}, data in {db_path})", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
        await bot.aclose()
        await console.stop()
        await simulator.stop()

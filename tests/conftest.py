from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from webex import SecurityContext, WebexClient
from webex.simulator import WebexSimulator, demo_site
from webex.simulator.sites import DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_HOST_PASSWORD

pytest_plugins = ["tests.pg"]  # pg_cluster, pg_url: a throwaway PostgreSQL cluster


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


# -- the whole app: Webex simulator + Slack stand-in + the bot over HTTP ----------------------

from collections.abc import Callable  # noqa: E402
from contextlib import asynccontextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from cryptography.fernet import Fernet  # noqa: E402

from bot.app import Bot, build_bot  # noqa: E402
from bot.http import HttpServer  # noqa: E402
from bot.settings import Settings  # noqa: E402
from sandbox.slack import TEAM_ID, FakeSlack, Response, SlackUser  # noqa: E402
from sandbox.slack_workspaces import MultiSlack  # noqa: E402
from webex.rest_simulator import RestSimulator, rest_demo_site  # noqa: E402
from webex.rest_simulator.sites import DEMO_ACCESS_TOKEN  # noqa: E402

ANA, BEN, CHEN, EVE, BOSS = "U0ANA", "U0BEN", "U0CHEN", "U0EVE", "U0BOSS"


@dataclass
class Stack:
    webex: Any  # WebexSimulator (XML) or RestSimulator (REST)
    slack: FakeSlack
    bot: Bot
    url: str
    db_path: Path

    @property
    def api(self) -> str:
        return "rest" if isinstance(self.webex, RestSimulator) else "xml"

    def env(self) -> dict[str, str]:
        return stack_env(self.webex, self.slack, self.db_path)


def webex_env(webex: Any) -> dict[str, str]:
    """The settings that point the bot at a simulated site, XML or REST."""
    if isinstance(webex, RestSimulator):
        return {"WEBEX_API": "rest", "WEBEX_API_URL": f"{webex.url}/v1", "WEBEX_ACCESS_TOKEN": DEMO_ACCESS_TOKEN}
    return {
        "WEBEX_SITE_URL": webex.url,
        "WEBEX_SITE_NAME": "demo",
        "WEBEX_USER": DEMO_ADMIN,
        "WEBEX_PASSWORD": DEMO_ADMIN_PASSWORD,
    }


def stack_env(webex: Any, slack: FakeSlack, db_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        **webex_env(webex),
        "WEBEXBOT_DB": str(db_path),
        "WEBEXBOT_ADMINS": BOSS,
        "WEBEXBOT_WEBEX_TIMEOUT": "1",
        **extra,
    }


def oauth_env(slack: MultiSlack, db_path: Path, **extra: str) -> dict[str, str]:
    """The install flow's settings against the multi-workspace stand-in (no SLACK_BOT_TOKEN), a fresh key."""
    return {
        "SLACK_CLIENT_ID": slack.client_id,
        "SLACK_CLIENT_SECRET": slack.client_secret,
        "WEBEXBOT_SECRET_KEY": Fernet.generate_key().decode(),
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "WEBEXBOT_DB": str(db_path),
        "WEBEXBOT_WEBEX_TIMEOUT": "1",
        **extra,
    }


def slack_people(slack: FakeSlack) -> None:
    slack.add_user(SlackUser(ANA, "Ana Lima", "ana@example.com", tz="America/New_York"))
    slack.add_user(SlackUser(BEN, "Ben Okafor", "ben@example.com", tz="Europe/London", locale="en-GB"))
    slack.add_user(SlackUser(CHEN, "Chen Wei", "chen@example.com", tz="Asia/Shanghai"))
    slack.add_user(SlackUser(EVE, "Eve Stone", "eve@elsewhere.org", tz="Europe/Paris", locale="fr-FR"))
    slack.add_user(SlackUser(BOSS, "Boss Person", "boss@example.com", tz="Europe/Berlin"))


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """The Slack stand-in, serving the people above (for tests that start the bot as a process)."""
    stand_in = FakeSlack()
    slack_people(stand_in)
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


class FakeClock:
    """A clock the tests move; the bot reads "now" from it."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def running_bot(
    webex: Any, slack: FakeSlack, db_path: Path, clock: Callable[[], datetime] | None = None, **env: str
) -> AsyncIterator[tuple[Bot, str]]:
    bot = build_bot(Settings.from_env(stack_env(webex, slack, db_path, **env)), clock=clock)
    server = HttpServer(bot)
    url = await server.start("127.0.0.1", 0)
    try:
        yield bot, url
    finally:
        await server.stop()
        await bot.aclose()


@asynccontextmanager
async def open_stack(
    tmp_path: Path, clock: Callable[[], datetime] | None = None, *, api: str = "xml", **env: str
) -> AsyncIterator[Stack]:
    webex: Any = (
        RestSimulator(rest_demo_site(), hang_seconds=5)
        if api == "rest"
        else WebexSimulator(demo_site(), hang_seconds=5)
    )
    await webex.start()
    slack = FakeSlack()
    slack_people(slack)
    await slack.start()
    db_path = tmp_path / "webexbot.db"
    try:
        async with running_bot(webex, slack, db_path, clock, **env) as (bot, url):
            yield Stack(webex, slack, bot, url, db_path)
    finally:
        await slack.stop()
        await webex.stop()


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(tmp_path) as opened:
        yield opened


async def linked(stack: Stack, user_id: str, webex_id: str) -> None:
    """Link a Slack user to a demo host; on REST a Webex account is known by its email."""
    email = f"{webex_id}@example.com"
    stack.bot.store.link("T0WEBEX", user_id, email if stack.api == "rest" else webex_id, email, "test", user_id)


def form_values(**given: Any) -> dict[str, dict[str, Any]]:
    """View state values, as Slack sends them, for the schedule modal's fields."""
    kinds = {
        "topic": ("plain_text_input", "value"),
        "agenda": ("plain_text_input", "value"),
        "password": ("plain_text_input", "value"),
        "account": ("plain_text_input", "value"),
        "date": ("datepicker", "selected_date"),
        "time": ("timepicker", "selected_time"),
        "invitees": ("multi_users_select", "selected_users"),
        "conversation": ("conversations_select", "selected_conversation"),
    }
    values: dict[str, dict[str, Any]] = {}
    for block, value in given.items():
        if block in ("duration", "kind"):
            values[block] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        else:
            kind, key = kinds[block]
            values[block] = {"value": {"type": kind, key: value}}
    return values


async def last_view(stack: Stack, count: int = 1) -> tuple[str, dict[str, Any]]:
    await stack.slack.wait_for(lambda: len(stack.slack.views) >= count)
    view_id = list(stack.slack.views)[count - 1]
    return view_id, stack.slack.views[view_id]


async def reschedule_from_menu(stack: Stack, user: str, key: str, card_ts: str = "") -> tuple[str, dict[str, Any]]:
    """`user` picks Reschedule in the ⋯ menu of meeting `key`'s card; the modal it opens (its id and view)."""
    payload, _ = stack.slack.action_payload(user, "meeting.card.more", "", message_ts=card_ts)
    payload["actions"][0] = {
        "action_id": "meeting.card.more",
        "type": "overflow",
        "block_id": "b",
        "selected_option": {"value": f"reschedule:{key}"},
    }
    await stack.slack.send_payload(stack.url, payload)
    return await last_view(stack)


async def command(stack: Stack, user: str, text: str) -> Response:
    """Send `/webex text` as `user`; the first reply to its response URL."""
    _, request = await stack.slack.command(stack.url, user, text)
    return (await stack.slack.wait_for(lambda: stack.slack.responses_to(request)))[0]


async def schedule(stack: Stack, text: str = "Design sync tomorrow at 3pm") -> str:
    """Ana, linked, schedules `text`; the new meeting's key."""
    await linked(stack, ANA, "ana")
    receipt = await command(stack, ANA, f"schedule {text}")
    assert "Scheduled" in receipt.all_text(), receipt.all_text()
    return stack.bot.store.meetings(TEAM_ID)[-1].meeting_key

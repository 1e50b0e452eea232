"""`webexbot doctor`: check the settings, Slack, Webex and the database without changing anything, and
say how to fix what fails, in plain words."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from storage import Store
from storage.doctor import check as database_check
from webex import WebexClient, WebexError, WebexTimeout, WebexTransportError
from webex.client import shared_http_client
from webex.errors import ErrorKind
from webex.rest.doctor import rest_checks
from webex.rest.tokens import TokenKeeper

from .backends import StoreTokenKeeper, rest_client
from .secret_box import SecretBox, SecretUnreadable
from .settings import Settings
from .webex_connections import Connections

# The bot scopes app_manifest.yaml asks for (tests/test_doctor.py keeps the two the same).
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "im:write", "users:read", "users:read.email")
MODES = (
    "Slack can reach the bot in one of two ways. Socket Mode (no public URL): set SLACK_APP_TOKEN to an "
    "app-level token (xapp-…, api.slack.com/apps → Basic Information → App-Level Tokens, scope "
    "connections:write). HTTP mode (Slack posts to https://YOUR-HOST/slack/events): set SLACK_SIGNING_SECRET "
    "(Basic Information → App Credentials → Signing Secret)."
)
FIXES = {
    "SLACK_BOT_TOKEN": "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from api.slack.com/apps → "
    "OAuth & Permissions (install the app first)",
    "SLACK_APP_TOKEN": "set SLACK_APP_TOKEN to an app-level token (xapp-…) with connections:write, from "
    "Basic Information → App-Level Tokens",
    "SLACK_SIGNING_SECRET": MODES,
    "SLACK_API_URL": "leave SLACK_API_URL unset (https://slack.com/api/) unless you use a Slack stand-in",
    "WEBEX_SITE_URL": "set WEBEX_SITE_URL to your Webex site's address, like https://acme.webex.com",
    "WEBEX_USER": "set WEBEX_USER to the webExID of the site-admin account the bot schedules with",
    "WEBEX_PASSWORD": "set WEBEX_PASSWORD to that account's password, or WEBEX_PASSWORD_FILE to a file holding it",
    "WEBEX_PASSWORD_FILE": "point WEBEX_PASSWORD_FILE at a readable file holding the password",
    "WEBEXBOT_ADMINS": "list Slack user ids (from a profile's ⋯ → Copy member ID), like U024BE7LH U0G9QF9C6",
    "PORT": "set PORT to a free port number, like 3000",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def settings_checks(problems: list[str], env: Mapping[str, str]) -> list[Check]:
    """One failed check per settings problem, each with what to put there."""
    checks = []
    for problem in problems:
        name = problem.split()[0]
        fix = FIXES.get(name, f"set {name} as the README's configuration table says")
        checks.append(Check("settings", False, problem, fix))
    if not env.get("SLACK_APP_TOKEN") and not env.get("SLACK_SIGNING_SECRET"):
        checks = [c for c in checks if not c.detail.startswith("SLACK_SIGNING_SECRET")]
        checks.append(Check("slack mode", False, "neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set", MODES))
    return checks


async def run_checks(settings: Settings, team: str = "") -> list[Check]:
    """Every check; Webex: the connection of workspace `team` (OAuth mode), else the environment's."""
    checks = [Check("settings", True, "every variable is set and valid")]
    checks += await _slack(settings)
    if team:
        checks += await _workspace_webex(settings, team)
    elif settings.oauth and not (settings.webex_site_url or settings.webex_access_token):
        checks.append(Check("webex", True, "no default site: each workspace connects its own (doctor --team T…)"))
    else:
        checks += await webex_checks(settings)
    checks.append(_database(settings))
    return checks


async def _workspace_webex(settings: Settings, team: str) -> list[Check]:
    """The stored connection of one workspace (or the environment's, which it falls back to)."""
    if not settings.secret_key:
        return [Check("webex", False, "WEBEXBOT_SECRET_KEY is not set", "set it as the bot has it")]
    store = Store(settings.db_path)
    try:
        box = SecretBox(settings.secret_key)
        found = Connections(settings, store, box).settings_for(team)
        if found is None:
            fix = "an admin of that workspace connects it from the bot's Home tab in Slack"
            return [Check("webex", False, f"workspace {team} has no Webex connection", fix)]
        version, connection = found
        keeper = StoreTokenKeeper(store, team, box) if version else StoreTokenKeeper(store)
        where = Check("webex connection", True, f"workspace {team}: " + ("its own" if version else "the default"))
        return [where, *await webex_checks(connection, keeper)]
    except SecretUnreadable as problem:
        return [Check("webex", False, str(problem), "put the key it was stored with back in WEBEXBOT_SECRET_KEY")]
    finally:
        store.close()


async def webex_checks(settings: Settings, keeper: TokenKeeper | None = None, host: str | None = None) -> list[Check]:
    """The Webex part of doctor, for the environment's connection or one a workspace admin gives: `keeper` holds
    a REST pair that a renewal replaces; `host`, an email to act for ("": none; None: the first linked one)."""
    if settings.webex_api == "rest":
        return await _webex_rest(settings, keeper, _a_linked_host(settings) if host is None else host)
    return await _webex(settings)


async def reach(url: str, timeout: float) -> str:
    """Whether a TCP connection to the URL's host and port opens: "" if it does, else what went wrong."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except socket.gaierror:
        return f"the host name {host} is not known (check the spelling and DNS)"
    except ConnectionRefusedError:
        return f"{host}:{port} refused the connection (nothing is listening there)"
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout:g} s (a firewall, or the host is down)"
    except OSError as error:
        return f"cannot connect to {host}:{port}: {error.strerror or 'network error'}"
    writer.close()
    return ""


async def _slack(settings: Settings) -> list[Check]:
    unreachable = await reach(settings.slack_api_url, settings.webex_timeout_s)
    if unreachable:
        return [Check("slack", False, unreachable, "check SLACK_API_URL and this machine's network and proxy")]
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)
    try:
        reply = await client.auth_test()
    except SlackApiError as error:
        return [
            Check(
                "slack", False, f"Slack refused the bot token ({error.response.get('error')})", FIXES["SLACK_BOT_TOKEN"]
            )
        ]
    except (aiohttp.ClientError, TimeoutError):
        return [Check("slack", False, "the connection to Slack failed mid-request", "try again; check any proxy")]
    checks = [Check("slack", True, f"bot {reply.get('user')} in team {reply.get('team')}"), _scopes(reply.headers)]
    if settings.socket_mode:
        checks.append(await _app_token(settings))
    return checks


def _scopes(headers: Mapping[str, str]) -> Check:
    granted = {s.strip() for s in _header(headers, "x-oauth-scopes").split(",") if s.strip()}
    missing = [s for s in BOT_SCOPES if s not in granted]
    if not missing:
        return Check("slack scopes", True, "the bot token has every scope the manifest asks for")
    return Check(
        "slack scopes",
        False,
        f"the bot token lacks {', '.join(missing)}",
        "add them under OAuth & Permissions → Bot Token Scopes (or paste app_manifest.yaml again), then "
        "reinstall the app and use the new SLACK_BOT_TOKEN",
    )


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((str(v) for k, v in headers.items() if k.lower() == name), "")


async def _app_token(settings: Settings) -> Check:
    """apps.connections.open, as Socket Mode calls it (the URL it returns is not used, nor shown)."""
    client = AsyncWebClient(token=settings.slack_app_token, base_url=settings.slack_api_url, timeout=10)
    try:
        await client.apps_connections_open(app_token=settings.slack_app_token)
    except SlackApiError as error:
        return Check(
            "slack app token",
            False,
            f"Slack refused it ({error.response.get('error')})",
            FIXES["SLACK_APP_TOKEN"] + "; Socket Mode must be on (Settings → Socket Mode)",
        )
    except (aiohttp.ClientError, TimeoutError):
        return Check("slack app token", False, "the connection to Slack failed mid-request", "try again")
    return Check("slack app token", True, "Socket Mode connections are allowed")


async def _webex_rest(settings: Settings, keeper: TokenKeeper | None, host: str) -> list[Check]:
    """The REST API: the token, acting for a host, renewal, webhooks; and how live meetings are followed."""
    unreachable = await reach(settings.webex_api_url, settings.webex_timeout_s)
    if unreachable:
        return [Check("webex", False, unreachable, "check WEBEX_API_URL and this machine's network and proxy")]
    async with shared_http_client() as http:
        client = rest_client(settings, http, keeper, lambda: datetime.now(UTC)).with_timeout(settings.webex_timeout_s)
        found = await rest_checks(client, host_email=host, public_url=settings.public_url)
    checks = [Check(c.name, c.ok, *c.detail.split(" Fix: ", 1)) for c in found]
    live = "Webex webhooks at WEBEXBOT_PUBLIC_URL" if settings.public_url else "polling (no WEBEXBOT_PUBLIC_URL)"
    return [*checks, Check("live meetings", True, f"followed by {live}")]


def _a_linked_host(settings: Settings) -> str:
    """An email the bot acts for, from the database when it exists (read-only, never created here)."""
    path = Path(settings.db_path)
    if not path.exists():
        return ""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute("select webex_id from links order by linked_at limit 1").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


async def _webex(settings: Settings) -> list[Check]:
    unreachable = await reach(settings.webex_site_url, settings.webex_timeout_s)
    if unreachable:
        return [Check("webex", False, unreachable, "check WEBEX_SITE_URL and this machine's network and proxy")]
    async with WebexClient(settings.webex_site_url, settings.webex_security(), read_retries=0) as client:
        quick = client.with_timeout(settings.webex_timeout_s)
        try:
            await quick.authenticate_user()
            me = await quick.get_user(settings.webex_user)
        except WebexError as error:
            return [Check("webex", False, _webex_words(error, settings), _webex_fix(error))]
    signed_in = Check("webex", True, f"{settings.webex_user} signs in to site {settings.webex_site_name}")
    if me.is_site_admin:
        return [signed_in, Check("webex admin", True, f"{me.webex_id} is a site administrator")]
    admin = Check(
        "webex admin",
        False,
        f"{me.webex_id} is not a site administrator",
        "give the service account site-admin rights, so it can schedule for hosts",
    )
    return [signed_in, admin]


def _webex_words(error: WebexError, settings: Settings) -> str:
    if isinstance(error, WebexTimeout):
        return f"the site did not answer within {settings.webex_timeout_s:g} s"
    if isinstance(error, WebexTransportError):
        return "the connection to the site failed (TLS or network)"
    words = {
        ErrorKind.BAD_CREDENTIALS: "the site rejected the service account's user name or password",
        ErrorKind.NOT_FOUND: f"the site has no user {settings.webex_user}",
        ErrorKind.RATE_LIMITED: "the site is rate limiting the bot",
        ErrorKind.NO_PRIVILEGE: "the service account may not do this",
    }
    return words.get(error.kind, "the site's reply was not a usable XML API answer")


def _webex_fix(error: WebexError) -> str:
    if error.kind is ErrorKind.BAD_CREDENTIALS:
        return "check WEBEX_USER, WEBEX_PASSWORD (or WEBEX_PASSWORD_FILE) and WEBEX_SITE_NAME"
    if error.kind is ErrorKind.NOT_FOUND:
        return "WEBEX_USER must be the service account's webExID on this site"
    if error.kind is ErrorKind.RATE_LIMITED:
        return "wait a minute and run doctor again"
    return "check WEBEX_SITE_URL and that the site allows the XML API"


def _database(settings: Settings) -> Check:
    return Check("database", *database_check(settings.db_path))


def table(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    lines = []
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        lines.append(f"{mark}  {check.name:<{width}}  {check.detail}")
        if check.fix:
            lines.append(f"      {'':<{width}}  fix: {check.fix}")
    return "\n".join(lines)

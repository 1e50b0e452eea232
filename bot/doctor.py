"""`webexbot doctor`: check the settings, Slack, Webex and the database; say how to fix what fails."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from storage import Store
from webex import WebexClient, WebexError
from webex.errors import ErrorKind

from .settings import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


async def run_checks(settings: Settings) -> list[Check]:
    return [
        Check("settings", True, "every variable is set and valid"),
        await _slack(settings),
        *await _webex(settings),
        _database(settings),
    ]


async def _slack(settings: Settings) -> Check:
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    try:
        reply = await client.auth_test()
    except SlackApiError as error:
        return Check(
            "slack",
            False,
            f"auth.test failed: {error.response.get('error')}",
            "check SLACK_BOT_TOKEN (a bot token, xoxb-…) and that the app is installed",
        )
    except Exception as error:  # network errors of every kind
        return Check(
            "slack",
            False,
            f"cannot reach {settings.slack_api_url}: {type(error).__name__}",
            "check SLACK_API_URL and the network",
        )
    return Check("slack", True, f"bot {reply.get('user')} in team {reply.get('team')}")


async def _webex(settings: Settings) -> list[Check]:
    security = settings.webex_security()
    async with WebexClient(settings.webex_site_url, security, read_retries=0) as client:
        quick = client.with_timeout(settings.webex_timeout_s)
        try:
            await quick.authenticate_user()
            me = await quick.get_user(settings.webex_user)
        except WebexError as error:
            return [Check("webex", False, f"{settings.webex_site_url}: {error}", _webex_fix(error))]
    signed_in = Check("webex", True, f"{settings.webex_user} signs in to site {settings.webex_site_name}")
    if not me.is_site_admin:
        return [
            signed_in,
            Check(
                "webex admin",
                False,
                f"{me.webex_id} is not a site administrator",
                "give the service account site-admin rights, so it can schedule for hosts",
            ),
        ]
    return [signed_in, Check("webex admin", True, f"{me.webex_id} is a site administrator")]


def _webex_fix(error: WebexError) -> str:
    if error.kind is ErrorKind.BAD_CREDENTIALS:
        return "check WEBEX_USER, WEBEX_PASSWORD (or WEBEX_PASSWORD_FILE) and WEBEX_SITE_NAME"
    if error.kind is ErrorKind.NOT_FOUND:
        return "WEBEX_USER must be the service account's webExID on this site"
    return "check WEBEX_SITE_URL and that the site allows the XML API"


def _database(settings: Settings) -> Check:
    try:
        store = Store(settings.db_path)
        try:
            pending = store.pending_migrations()
            with store.db.atomic():
                store.db.execute("insert or replace into settings (team_id, name, value) values ('', 'doctor', 'ok')")
                store.db.execute("delete from settings where team_id = '' and name = 'doctor'")
        finally:
            store.close()
    except (sqlite3.Error, OSError) as error:
        return Check(
            "database",
            False,
            f"{settings.db_path}: {error}",
            "WEBEXBOT_DB must be a writable file path (its folder must exist)",
        )
    if pending:
        return Check("database", False, f"migrations not applied: {', '.join(pending)}", "start webexbot once")
    return Check("database", True, f"{settings.db_path} is writable, migrations applied")


def table(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    lines = []
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        lines.append(f"{mark}  {check.name:<{width}}  {check.detail}")
        if check.fix:
            lines.append(f"      {'':<{width}}  fix: {check.fix}")
    return "\n".join(lines)

"""Checks of the REST connection for `webexbot doctor`: each gives (name, ok, detail or fix)."""

from __future__ import annotations

from typing import NamedTuple

from . import operations as ops
from .client import RestClient
from .errors import RestError
from .webhooks import EVENTS, registered


class Check(NamedTuple):
    name: str
    ok: bool
    detail: str


async def rest_checks(client: RestClient, *, host_email: str = "", public_url: str = "") -> list[Check]:
    """The token works; it can act for a host; renewal works when configured; webhooks are registered."""
    checks = [await _token(client), await _acts_for_host(client, host_email)]
    if client.tokens.credentials is not None:
        checks.append(await _renewal(client))
    if public_url:
        checks.append(await _webhooks(client, public_url))
    return checks


async def _token(client: RestClient) -> Check:
    name = "Webex REST token"
    try:
        me = await ops.me(client)
    except RestError as error:
        return Check(name, False, f"{_why(error)}. Fix: set a valid Service App or admin integration access token.")
    return Check(name, True, f"signed in as {me.display_name or (me.emails[:1] or ['?'])[0]}")


async def _acts_for_host(client: RestClient, host_email: str) -> Check:
    name = "Webex acts for hosts"
    if not host_email:
        return Check(name, True, "skipped: no linked host to try")
    try:
        async for _ in ops.list_meetings(client, meetingType="scheduledMeeting", hostEmail=host_email, max="1"):
            break
    except RestError as error:
        return Check(
            name,
            False,
            f"{_why(error)}. Fix: the token needs the meeting:admin_schedule_read and meeting:admin_schedule_write "
            "scopes and admin rights on the host's site.",
        )
    return Check(name, True, f"can list {host_email}'s meetings")


async def _renewal(client: RestClient) -> Check:
    name = "Webex token renewal"
    try:
        await client.renew(client.tokens.access_token)
    except RestError as error:
        return Check(name, False, f"{_why(error)}. Fix: check the client id, client secret and refresh token.")
    expires = client.tokens.pair.expires_at
    return Check(name, True, f"renewed; the new token expires {expires:%Y-%m-%d %H:%M UTC}" if expires else "renewed")


async def _webhooks(client: RestClient, public_url: str) -> Check:
    name = "Webex webhooks"
    try:
        found = registered(await ops.webhooks(client), public_url)
    except RestError as error:
        return Check(name, False, f"{_why(error)}. Fix: the token needs the meeting:admin_schedule_read scope.")
    missing = [event for event in EVENTS if event not in found]
    if missing:
        return Check(
            name,
            False,
            f"no active meetings webhook for {', '.join(missing)} at {public_url}. Fix: run "
            "webexbot serve once with the public URL set; it registers them.",
        )
    return Check(name, True, f"meetings started and ended go to {public_url}")


def _why(error: RestError) -> str:
    return f"Webex answered: {error}"

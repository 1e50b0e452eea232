"""OAuth: bearer tokens on every call, and POST /v1/access_token (grant_type=refresh_token)."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from .context import CALLER, Caller, site_of
from .errors import ApiError
from .state import App, Grant, Person, RestState

ACCESS_LIFETIME = timedelta(seconds=1_209_599)  # about 14 days, as Webex issues them
REFRESH_LIFETIME = timedelta(seconds=7_776_000)  # 90 days
BAD_REFRESH = "The refresh token provided is expired, revoked, malformed, or invalid."


def authenticate(request: web.Request) -> None:
    """Sets the caller for a valid, unexpired `Authorization: Bearer` token; else a 401."""
    site = site_of(request)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    with site.state.lock:
        grant = site.state.access_tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if grant is None or grant.expires_at <= site.now():
            raise ApiError(401, "Authentication credentials were missing or incorrect.")
        request[CALLER] = Caller(site.state.people[grant.person_id], site.state.apps[grant.client_id])


def issue_access_token(state: RestState, person: Person, app: App, now: datetime, token: str = "") -> str:
    token = token or f"SIM_AT_{state.new_secret()}"
    state.access_tokens[token] = Grant(person.id, app.client_id, now + ACCESS_LIFETIME)
    return token


def issue_refresh_token(state: RestState, person: Person, app: App, now: datetime, token: str = "") -> str:
    token = token or f"SIM_RT_{state.new_secret()}"
    state.refresh_tokens[token] = Grant(person.id, app.client_id, now + REFRESH_LIFETIME)
    return token


def expire_access_tokens(state: RestState, now: datetime) -> None:
    for grant in state.access_tokens.values():
        grant.expires_at = min(grant.expires_at, now)


async def access_token(request: web.Request) -> web.Response:
    """A refresh: a new access token; the refresh token stays the same and its lifetime starts again."""
    site = site_of(request)
    form = await request.post()
    grant_type = str(form.get("grant_type", ""))
    if grant_type != "refresh_token":
        raise ApiError(400, f"(unsupported_grant_type) The grant type '{grant_type}' is not supported.")
    now = site.now()
    with site.state.lock:
        app = site.state.apps.get(str(form.get("client_id", "")))
        if app is None or form.get("client_secret") != app.client_secret:
            raise ApiError(401, "(invalid_client) The client could not be authenticated.")
        refresh = str(form.get("refresh_token", ""))
        grant = site.state.refresh_tokens.get(refresh)
        if grant is None or grant.client_id != app.client_id or grant.expires_at <= now:
            raise ApiError(400, f"(invalid_grant) {BAD_REFRESH}")
        person = site.state.people[grant.person_id]
        token = issue_access_token(site.state, person, app, now)
        grant.expires_at = now + REFRESH_LIFETIME
        site.state.refreshes += 1
    return web.json_response(
        {
            "access_token": token,
            "expires_in": int(ACCESS_LIFETIME.total_seconds()),
            "refresh_token": refresh,
            "refresh_token_expires_in": int(REFRESH_LIFETIME.total_seconds()),
            "token_type": "Bearer",
        }
    )

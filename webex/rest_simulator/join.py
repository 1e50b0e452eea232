"""POST /v1/meetings/join: a join link for anyone with access, a start link for the host."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from aiohttp import web

from . import rules
from .context import Site, acting_for, caller_of, site_of
from .errors import ApiError, invalid
from .lookup import NOT_FOUND, may_see, resolve
from .schedule import Occurrence, current
from .state import Link, Person, Series
from .times import iso

DEFAULT_EXPIRATION = 5  # minutes; the spec leaves it unsaid


def link_path(site: Site, kind: str, ticket: str) -> str:
    action = "start" if kind == "start" else "download"
    return f"/wbxmjs/joinservice/sites/{site.state.site_name}/meeting/{action}/{ticket}"


async def join_meeting(request: web.Request) -> web.Response:
    site, caller = site_of(request), caller_of(request)
    body = await rules.json_body(request)
    if caller.app.service_app and not body.get("hostEmail"):
        raise invalid("'hostEmail' is required for a Service App.")
    person = acting_for(request, body.get("hostEmail"))
    minutes = body.get("expirationMinutes", DEFAULT_EXPIRATION)
    if not isinstance(minutes, int | float) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
        raise invalid("'expirationMinutes' must be between 1 and 60.")
    email, name = _participant(body, person)
    now = site.now()
    expires = now + timedelta(minutes=minutes)
    with site.state.lock:
        series, occurrence = _meeting(site, body, person)
        join = site.state.new_secret()
        site.state.links[join] = Link("join", series.id, occurrence.key, email, name, expires)
        reply: dict[str, Any] = {"joinLink": site.url + link_path(site, "join", join)}
        if series.host_id == person.id and email.lower() == person.email.lower():
            ticket = site.state.new_secret()
            site.state.links[ticket] = Link("start", series.id, occurrence.key, email, name, expires)
            reply["startLink"] = site.url + link_path(site, "start", ticket)
    reply["expiration"] = iso(expires, UTC)
    if body.get("joinDirectly", True) is not False:
        return web.Response(status=302, headers={"Location": reply["joinLink"]})
    return web.json_response(reply)


def _participant(body: dict[str, Any], person: Person) -> tuple[str, str]:
    email, name = body.get("email"), body.get("displayName")
    if name and not email:
        raise invalid("'email' must be given with 'displayName'.")
    if email is not None and (not isinstance(email, str) or "@" not in email):
        raise invalid("'email' must be an email address.")
    if name is not None and (not isinstance(name, str) or len(name) > rules.TITLE_MAX):
        raise invalid("'displayName' can be a maximum of 128 characters long.")
    return (email or person.email), (name or email or person.display_name)


def _meeting(site: Site, body: dict[str, Any], person: Person) -> tuple[Series, Occurrence]:
    given = [k for k in ("meetingId", "meetingNumber", "webLink") if body.get(k)]
    if len(given) != 1:
        raise invalid("Exactly one of 'meetingId', 'meetingNumber' and 'webLink' must be given.")
    state = site.state
    if given[0] == "meetingId":
        target = resolve(state, str(body["meetingId"]), person)
        if target.instance is not None:
            raise invalid("'meetingId' does not apply to a meeting instance; use the series or scheduled meeting id.")
        series, occurrence = target.series, target.occurrence
    else:
        wanted = str(body[given[0]]).replace(" ", "")
        named = next((s for s in state.series.values() if _names(s, wanted)), None)
        if named is None:
            raise ApiError(404, NOT_FOUND)
        series = named
        occurrence = None
        if not may_see(person, series) and body.get("password") != series.password:
            raise ApiError(403, "The meeting is protected by a password; 'password' is missing or wrong.")
    occurrence = occurrence or current(state, series, site.now())
    if occurrence is None:
        raise ApiError(404, NOT_FOUND)
    return series, occurrence


def _names(series: Series, number_or_link: str) -> bool:
    return number_or_link == series.meeting_number or number_or_link.endswith(f"MTID=m{series.web_token}")

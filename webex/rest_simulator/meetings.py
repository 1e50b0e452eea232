"""POST /v1/meetings, GET/PATCH/DELETE /v1/meetings/{id}: one meeting series and its occurrences."""

from __future__ import annotations

import secrets
import string
from typing import Any

from aiohttp import web

from . import rules
from .context import Site, acting_for, caller_of, site_of
from .errors import invalid
from .lookup import Target, resolve, resolve_for_change
from .schedule import current, occurrences
from .state import Person, Series
from .times import zone
from .views import Render


def render(request: web.Request, *, reply_zone: str | None = None) -> Render:
    site = site_of(request)
    return Render(site.state, site.url, site.now(), reply_zone, caller_of(request).app.client_id)


def reply_zone(request: web.Request) -> str | None:
    """The `timezone` request header, which sets the zone of the reply's times."""
    name = request.headers.get("timezone")
    if name:
        zone(name)
    return name or None


def _password() -> str:
    letters = "".join(secrets.choice(string.ascii_letters) for _ in range(5))
    return f"{letters}{secrets.randbelow(90) + 10}"


def _check_site(site: Site, body: dict[str, Any]) -> None:
    wanted = body.get("siteUrl")
    if wanted and str(wanted).lower().removeprefix("https://").rstrip("/") != site.state.site_url:
        raise invalid(f"Invalid siteUrl '{wanted}': the user has no host account on that site.")


async def create_meeting(request: web.Request) -> web.Response:
    site, caller = site_of(request), caller_of(request)
    body = await rules.json_body(request)
    host = acting_for(request, body.get("hostEmail"))
    _check_site(site, body)
    now = site.now()
    title = rules.text(body, "title", rules.TITLE_MAX, required=True)
    agenda = rules.text(body, "agenda", rules.AGENDA_MAX)
    timezone = rules.timezone_name(body, host.timezone)
    start, end = rules.meeting_times(body, now, timezone)
    jbh, jbh_minutes = rules.join_before_host(body)
    password = rules.text(body, "password", 64) or _password()
    series = Series(
        id="",
        meeting_number="",
        title=title or "",
        start=start,
        end=end,
        timezone=timezone,
        host_id=host.id,
        created_by_app=caller.app.client_id,
        password=password,
        agenda=agenda,
        recurrence=rules.recurrence(body, start, timezone),
        invitees=rules.invitees(body),
        integration_tags=rules.integration_tags(body),
        scheduled_type=str(body.get("scheduledType") or "meeting"),
        send_email=body.get("sendEmail", True) is not False,
        enabled_join_before_host=jbh,
        join_before_host_minutes=jbh_minutes,
        web_token=secrets.token_hex(16),
    )
    with site.state.lock:
        series.id = site.state.new_series_id()
        series.meeting_number = site.state.new_meeting_number()
        site.state.series[series.id] = series
        return web.json_response(render(request).series(series))


async def get_meeting(request: web.Request) -> web.Response:
    site = site_of(request)
    person = acting_for(request, request.query.get("hostEmail"))
    view = render(request, reply_zone=reply_zone(request))
    with site.state.lock:
        target = resolve(site.state, request.match_info["id"], person)
        return web.json_response(_show(view, target, request.query.get("current") == "true"))


def _show(view: Render, target: Target, current_only: bool) -> dict[str, Any]:
    if target.instance is not None:
        return view.instance(target.instance)
    if target.occurrence is not None:
        return view.occurrence(target.occurrence)
    shown = current(view.state, target.series, view.now)
    if current_only and shown is not None:
        return view.occurrence(shown)
    return view.series(target.series)


async def patch_meeting(request: web.Request) -> web.Response:
    site = site_of(request)
    body = await rules.json_body(request)
    person = acting_for(request, body.get("hostEmail"))
    with site.state.lock:
        target = resolve_for_change(site.state, request.match_info["id"], person, "update")
        if target.occurrence is not None:
            _patch_occurrence(site, target, body)
            changed = next(o for o in occurrences(target.series) if o.key == target.occurrence.key)
            return web.json_response(render(request).occurrence(changed))
        _patch_series(site, target.series, body)
        return web.json_response(render(request).series(target.series))


def _patch_series(site: Site, series: Series, body: dict[str, Any]) -> None:
    now = site.now()
    timezone = rules.timezone_name(body, series.timezone)
    start, end = series.start, series.end
    if "start" in body or "end" in body:
        start, end = rules.meeting_times(body, now, timezone, old=(series.start, series.end))
    rule = rules.recurrence(body, start, timezone) if "recurrence" in body else series.recurrence
    if (start, end, rule) != (series.start, series.end, series.recurrence):
        series.overrides.clear()  # changing the schedule cancels the exceptional occurrences
    title = rules.text(body, "title", rules.TITLE_MAX)
    series.title = title if title is not None else series.title
    if "agenda" in body:
        series.agenda = rules.text(body, "agenda", rules.AGENDA_MAX)
    if "integrationTags" in body:
        series.integration_tags = rules.integration_tags(body)
    if "invitees" in body:
        series.invitees = rules.invitees(body)
    series.password = rules.text(body, "password", 64) or series.password
    series.start, series.end, series.timezone, series.recurrence = start, end, timezone, rule


def _patch_occurrence(site: Site, target: Target, body: dict[str, Any]) -> None:
    occurrence = target.occurrence
    assert occurrence is not None
    changes = target.series.overrides.setdefault(occurrence.key, {})
    if "start" in body or "end" in body:
        timezone = rules.timezone_name(body, target.series.timezone)
        changes["start"], changes["end"] = rules.meeting_times(
            body, site.now(), timezone, old=(occurrence.start, occurrence.end)
        )
    title = rules.text(body, "title", rules.TITLE_MAX)
    if title is not None:
        changes["title"] = title
    if "agenda" in body:
        changes["agenda"] = rules.text(body, "agenda", rules.AGENDA_MAX)


async def delete_meeting(request: web.Request) -> web.Response:
    """204; a series id deletes the whole series, an occurrence id only that occurrence."""
    site = site_of(request)
    person: Person = acting_for(request, request.query.get("hostEmail"))
    with site.state.lock:
        target = resolve_for_change(site.state, request.match_info["id"], person, "delete")
        series = target.series
        if target.occurrence is not None:
            series.cancelled.add(target.occurrence.key)
            series.overrides.pop(target.occurrence.key, None)
        if target.occurrence is None or not occurrences(series):
            del site.state.series[series.id]
            for instance_id in [i.id for i in site.state.instances.values() if i.series_id == series.id]:
                del site.state.instances[instance_id]
    return web.Response(status=204)

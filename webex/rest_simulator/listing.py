"""GET /v1/meetings: series, scheduled meetings or instances, filtered, in time order, paged."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from .context import acting_for, caller_of, site_of
from .errors import ApiError, invalid
from .lookup import may_see, visible
from .meetings import render, reply_zone
from .paging import paged
from .schedule import current, occurrences
from .state import Instance, Person, Series
from .times import parse_time
from .views import Render

TYPES = ("meetingSeries", "scheduledMeeting", "meeting")
WEEK = timedelta(days=7)


def window(request: web.Request, meeting_type: str, now: datetime) -> tuple[datetime, datetime]:
    """`from` and `to`, with the defaults the spec gives for each meeting type."""
    q = request.query
    start = parse_time(q["from"], "from") if q.get("from") else None
    end = parse_time(q["to"], "to") if q.get("to") else None
    if start is None:
        start = end - WEEK if end else (now - WEEK if meeting_type == "meeting" else now)
    if end is None:
        end = start + WEEK if q.get("from") or meeting_type != "meeting" else now
    if start > end:
        raise invalid("'from' cannot be after 'to'.")
    return start, end


async def list_meetings(request: web.Request) -> web.Response:
    site, caller = site_of(request), caller_of(request)
    q = request.query
    person = acting_for(request, q.get("hostEmail"))
    meeting_type = q.get("meetingType", "meetingSeries")
    if meeting_type not in TYPES:
        raise invalid(f"'meetingType' must be one of {', '.join(TYPES)}.")
    if sum(bool(q.get(k)) for k in ("meetingNumber", "webLink", "roomId")) > 1:
        raise invalid("'meetingNumber', 'webLink' and 'roomId' are mutually exclusive.")
    view = render(request, reply_zone=reply_zone(request))
    with site.state.lock:
        mine = visible(site.state, person)
        if q.get("meetingNumber"):
            found = [s for s in mine if s.meeting_number == q["meetingNumber"].replace(" ", "")]
            items = [_series_item(view, s, q.get("current") == "true") for s in found]
            return paged(request, items, default_max=10)
        if q.get("meetingSeriesId"):
            items = _of_series(request, view, person, q["meetingSeriesId"], q.get("meetingType"))
        else:
            org_wide = caller.is_admin and not q.get("hostEmail") and meeting_type == "meeting"
            series = list(site.state.series.values()) if org_wide else mine
            tag = q.get("integrationTag")
            if tag:
                series = [s for s in series if s.created_by_app == caller.app.client_id and tag in s.integration_tags]
            items = _in_window(request, view, series, meeting_type)
        if q.get("state"):
            items = [i for i in items if i["state"] == q["state"]]
        if q.get("scheduledType"):
            items = [i for i in items if i["scheduledType"] == q["scheduledType"]]
    return paged(request, items, default_max=10)


def _series_item(view: Render, series: Series, current_only: bool) -> dict[str, Any]:
    shown = current(view.state, series, view.now)
    return view.occurrence(shown) if current_only and shown else view.series(series, shown)


def _of_series(
    request: web.Request, view: Render, person: Person, series_id: str, meeting_type: str | None
) -> list[dict[str, Any]]:
    """A series' occurrences and instances (by default both), in the window only when one is given."""
    series = view.state.series.get(series_id)
    if series is None or not may_see(person, series):
        raise ApiError(404, "The meeting series is not found.")
    q = request.query
    low = parse_time(q["from"], "from") if q.get("from") else datetime.min.replace(tzinfo=view.now.tzinfo)
    high = parse_time(q["to"], "to") if q.get("to") else datetime.max.replace(tzinfo=view.now.tzinfo)
    found: list[tuple[datetime, dict[str, Any]]] = []
    if meeting_type in (None, "scheduledMeeting"):
        found += [(o.start, view.occurrence(o)) for o in occurrences(series) if o.start < high and o.end > low]
    if meeting_type in (None, "meeting"):
        found += [(i.started_at, view.instance(i)) for i in _instances(view, [series], low, high)]
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _in_window(request: web.Request, view: Render, series: list[Series], meeting_type: str) -> list[dict[str, Any]]:
    low, high = window(request, meeting_type, view.now)
    found: list[tuple[datetime, dict[str, Any]]] = []
    for s in series:
        if meeting_type == "meetingSeries":
            all_of = occurrences(s)
            if all_of and all_of[0].start < high and all_of[-1].end > low:
                found.append((all_of[0].start, view.series(s, current(view.state, s, view.now))))
        elif meeting_type == "scheduledMeeting":
            found += [(o.start, view.occurrence(o)) for o in occurrences(s) if o.start < high and o.end > low]
    if meeting_type == "meeting":
        found += [(i.started_at, view.instance(i)) for i in _instances(view, series, low, high)]
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _instances(view: Render, series: list[Series], low: datetime, high: datetime) -> list[Instance]:
    ids = {s.id for s in series}
    return [
        i
        for i in view.state.instances.values()
        if i.series_id in ids and i.started_at <= high and (i.ended_at or view.now) >= low
    ]

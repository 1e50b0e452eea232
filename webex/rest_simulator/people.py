"""GET /v1/people (by email or name; an admin may list everyone), /v1/people/me and /v1/people/{id}."""

from __future__ import annotations

from aiohttp import web

from . import views
from .context import caller_of, site_of
from .errors import ApiError
from .paging import paged


async def list_people(request: web.Request) -> web.Response:
    site, caller = site_of(request), caller_of(request)
    q = request.query
    email, name, ids = q.get("email", "").lower(), q.get("displayName", "").lower(), q.get("id", "")
    if not (email or name or ids or caller.is_admin):
        raise ApiError(400, "Email, displayName, or id list should be specified.")
    wanted_ids = {i for i in ids.split(",") if i}
    if len(wanted_ids) > 85:
        raise ApiError(400, "At most 85 ids may be given.")
    with site.state.lock:
        people = [
            p
            for p in site.state.people.values()
            if (not email or p.email.lower() == email)
            and (not name or p.display_name.lower().startswith(name))
            and (not wanted_ids or p.id in wanted_ids)
        ]
        items = [views.person(p) for p in sorted(people, key=lambda p: p.display_name)]
    return paged(request, items, default_max=100)


async def me(request: web.Request) -> web.Response:
    return web.json_response(views.person(caller_of(request).person))


async def get_person(request: web.Request) -> web.Response:
    site = site_of(request)
    person = site.state.people.get(request.match_info["id"])
    if person is None:
        raise ApiError(404, "Person not found.")
    return web.json_response(views.person(person))

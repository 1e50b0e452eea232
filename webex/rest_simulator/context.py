"""What handlers share: the site (state, clock, base URL, webhook notifier) and the authenticated caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from aiohttp import web

from .errors import ApiError
from .state import App, Person, RestState


class Site(Protocol):
    state: RestState
    url: str
    page_limit: int  # the most items one page of a list holds (the API's own limit is 100)

    def now(self) -> datetime: ...

    def notify(self, event: str, instance_id: str) -> None: ...


SITE = web.AppKey("site", Site)


@dataclass(frozen=True)
class Caller:
    person: Person
    app: App

    @property
    def is_admin(self) -> bool:
        return self.person.is_admin


CALLER = web.RequestKey("caller", Caller)


def site_of(request: web.Request) -> Site:
    return request.app[SITE]


def caller_of(request: web.Request) -> Caller:
    caller = request.get(CALLER)
    if caller is None:
        raise ApiError(401, "Authentication credentials were missing or incorrect.")
    return caller


def acting_for(request: web.Request, host_email: object) -> Person:
    """The person a request acts as: the caller, or with `hostEmail` (admins only) that host."""
    caller = caller_of(request)
    if not host_email or (isinstance(host_email, str) and host_email.lower() == caller.person.email.lower()):
        return caller.person
    if not isinstance(host_email, str):
        raise ApiError(400, "'hostEmail' must be a string.")
    if not caller.is_admin:
        raise ApiError(403, "Only an admin or a Service App with admin-level scopes may act on behalf of a host.")
    host = site_of(request).state.person_by_email(host_email)
    if host is None:
        raise ApiError(400, f"Invalid hostEmail: no user '{host_email}' on site {site_of(request).state.site_url}.")
    return host

"""GET/POST/DELETE /v1/webhooks, and the signed `meetings` started/ended notifications sent to them."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from aiohttp import web

from . import rules, views
from .context import caller_of, site_of
from .errors import ApiError, invalid
from .lookup import may_see
from .paging import paged
from .state import Instance, RestState, Webhook, spark_id
from .views import Render

log = logging.getLogger("webex.rest_simulator.webhooks")

RESOURCES = (
    *("attachmentActions", "dataSources", "memberships", "messages", "rooms", "meetings", "recordings"),
    *("convergedRecordings", "meetingParticipants", "meetingTranscripts", "telephony_calls"),
    *("telephony_conference", "telephony_mwi", "uc_counters", "serviceApp", "adminBatchJobs"),
)
EVENTS = (
    *("created", "updated", "deleted", "started", "ended", "joined", "left", "migrated"),
    *("authorized", "deauthorized", "statusChanged"),
)
ORG_FILTERS = ("hostEmail", "hostUserId", "ownerEmail", "ownerId")
DELIVERY_TIMEOUT = aiohttp.ClientTimeout(total=5)


@dataclass(frozen=True)
class Notification:
    webhook_id: str
    target_url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Delivery:
    """One POST to a webhook's targetUrl, for tests to inspect."""

    webhook_id: str
    event: str
    payload: dict[str, Any]
    status: int | None  # None when the target could not be reached
    error: str = ""


async def create_webhook(request: web.Request) -> web.Response:
    site, caller = site_of(request), caller_of(request)
    body = await rules.json_body(request)
    for name in ("name", "targetUrl", "resource", "event"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise invalid(f"'{name}' is required.")
    if body["resource"] not in RESOURCES or body["event"] not in EVENTS:
        raise invalid(f"Unsupported resource/event '{body['resource']}/{body['event']}'.")
    if urlsplit(body["targetUrl"]).scheme not in ("http", "https"):
        raise invalid("'targetUrl' must be an http or https URL.")
    filter_text, owned_by = str(body.get("filter") or ""), str(body.get("ownedBy") or "creator")
    if any(key in ORG_FILTERS for key, _ in parse_qsl(filter_text)) and owned_by != "org":
        raise invalid("'ownedBy' must be 'org' when the filter names hostEmail, hostUserId, ownerEmail or ownerId.")
    if owned_by == "org" and not caller.is_admin:
        raise ApiError(403, "Only an admin may create an org-level webhook.")
    with site.state.lock:
        hook = Webhook(
            id=spark_id("WEBHOOK", site.state.new_uuid()),
            name=body["name"],
            target_url=body["targetUrl"],
            resource=body["resource"],
            event=body["event"],
            filter=filter_text,
            secret=str(body.get("secret") or ""),
            owned_by=owned_by,
            created_by=caller.person.id,
            client_id=caller.app.client_id,
            created=site.now(),
        )
        site.state.webhooks[hook.id] = hook
    return web.json_response(views.webhook_object(hook))


async def list_webhooks(request: web.Request) -> web.Response:
    """The registrations made by this token's app."""
    site, caller = site_of(request), caller_of(request)
    with site.state.lock:
        items = [views.webhook_object(h) for h in site.state.webhooks.values() if h.client_id == caller.app.client_id]
    return paged(request, items, default_max=100)


def _own_hook(request: web.Request) -> Webhook:
    site, caller = site_of(request), caller_of(request)
    hook = site.state.webhooks.get(request.match_info["id"])
    if hook is None or hook.client_id != caller.app.client_id:
        raise ApiError(404, "Webhook not found.")
    return hook


async def get_webhook(request: web.Request) -> web.Response:
    with site_of(request).state.lock:
        return web.json_response(views.webhook_object(_own_hook(request)))


async def delete_webhook(request: web.Request) -> web.Response:
    site = site_of(request)
    with site.state.lock:
        del site.state.webhooks[_own_hook(request).id]
    return web.Response(status=204)


def notifications(view: Render, event: str, instance: Instance) -> list[Notification]:
    """What to POST, and where, when `instance` starts or ends. Call with the state's lock held."""
    state = view.state
    found = []
    for hook in state.webhooks.values():
        if hook.resource != "meetings" or hook.event != event or hook.status != "active":
            continue
        if not _wants(state, hook, instance):
            continue
        data = Render(state, view.base_url, view.now, None, hook.client_id).instance(instance)
        data.pop("password", None)
        data["meetingNumber"] = state.series[instance.series_id].meeting_number
        payload = {
            **views.webhook_object(hook),
            "orgId": state.org_id,
            "createdBy": hook.created_by,
            "appId": hook.client_id,
            "actorId": state.series[instance.series_id].host_id,
            "data": data,
        }
        payload.pop("secret", None)
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if hook.secret:
            headers["X-Spark-Signature"] = hmac.new(hook.secret.encode(), body, hashlib.sha1).hexdigest()
        found.append(Notification(hook.id, hook.target_url, body, headers))
    return found


def _wants(state: RestState, hook: Webhook, instance: Instance) -> bool:
    series = state.series[instance.series_id]
    host = state.people[series.host_id]
    if hook.owned_by != "org" and not may_see(state.people[hook.created_by], series):
        return False
    for key, value in parse_qsl(hook.filter):
        wanted = {
            "hostEmail": host.email.lower(),
            "hostUserId": host.id,
            "meetingId": series.id,
            "siteUrl": state.site_url,
        }.get(key)
        if wanted is not None and value.lower() != wanted.lower():
            return False
    return True


async def deliver(notices: list[Notification], event: str) -> list[Delivery]:
    """POSTs each notification; a target that fails is logged and reported, never raised."""
    done = []
    async with aiohttp.ClientSession(timeout=DELIVERY_TIMEOUT) as session:
        for notice in notices:
            payload = json.loads(notice.body)
            try:
                async with session.post(notice.target_url, data=notice.body, headers=notice.headers) as reply:
                    done.append(Delivery(notice.webhook_id, event, payload, reply.status))
                    if reply.status >= 300:
                        log.warning("webhook %s answered HTTP %s", notice.webhook_id, reply.status)
            except (aiohttp.ClientError, TimeoutError, OSError) as error:
                log.warning("webhook %s could not be delivered: %s", notice.webhook_id, type(error).__name__)
                done.append(Delivery(notice.webhook_id, event, payload, None, type(error).__name__))
    return done

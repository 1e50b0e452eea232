"""Webex webhooks for meetings starting and ending: registration, signature check, payload reading.

Webex signs each delivery with `X-Spark-Signature`: the HMAC-SHA1 hex digest of the raw body, keyed with
the secret given at registration. The HTTP route that receives them is the app's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from . import operations as ops
from .client import RestClient
from .models import Webhook

RESOURCE = "meetings"
EVENTS = ("started", "ended")
NAME = "webexbot meetings"
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class WebhookEvent:
    resource: str
    event: str
    meeting_id: str = ""
    meeting_number: str = ""
    series_id: str = ""
    webhook_id: str = ""


def signature(raw_body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), raw_body, hashlib.sha1).hexdigest()


def verify(raw_body: bytes, signature_header: str | None, secret: str) -> bool:
    """Whether the delivery was signed with `secret`; constant-time, and False for anything missing."""
    if not signature_header or not secret:
        return False
    return hmac.compare_digest(signature(raw_body, secret), signature_header.strip().lower())


def parse_event(raw_body: bytes) -> WebhookEvent | None:
    """The event and meeting a delivery is about, or None when it is not a meetings event we read."""
    if len(raw_body) > MAX_BODY:
        return None
    try:
        data = json.loads(raw_body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("resource") != RESOURCE:
        return None
    event = data.get("event")
    inner = data.get("data")
    if not isinstance(event, str) or not isinstance(inner, dict):
        return None
    return WebhookEvent(
        resource=RESOURCE,
        event=event,
        meeting_id=_text(inner, "meetingId") or _text(inner, "id"),
        meeting_number=_digits(_text(inner, "meetingNumber")),
        series_id=_text(inner, "meetingSeriesId"),
        webhook_id=_text(data, "id"),
    )


async def ensure_webhooks(client: RestClient, target_url: str, secret: str, *, org_wide: bool = True) -> list[Webhook]:
    """One active registration per event at `target_url`: reuse the bot's earlier ones (updating the
    secret and reactivating them), delete duplicates, and create what is missing."""
    existing = [w for w in await ops.webhooks(client) if w.resource == RESOURCE and w.target_url == target_url]
    kept = []
    for event in EVENTS:
        same = [w for w in existing if w.event == event]
        if same:
            first, *extra = same
            for duplicate in extra:
                await ops.delete_webhook(client, duplicate.id)
            if first.status != "active" or first.secret != secret or first.name != NAME:
                first = await ops.update_webhook(
                    client, first.id, {"name": NAME, "targetUrl": target_url, "secret": secret, "status": "active"}
                )
            kept.append(first)
            continue
        body: dict[str, Any] = {
            "name": NAME,
            "targetUrl": target_url,
            "resource": RESOURCE,
            "event": event,
            "secret": secret,
        }
        if org_wide:
            body["ownedBy"] = "org"  # every host's meetings, not only the token owner's
        kept.append(await ops.create_webhook(client, body))
    return kept


def registered(hooks: list[Webhook], target_url: str) -> list[str]:
    """The events that have an active registration at `target_url`."""
    return sorted(
        {w.event for w in hooks if w.resource == RESOURCE and w.target_url == target_url and w.status == "active"}
        & set(EVENTS)
    )


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _digits(value: str) -> str:
    compact = value.replace(" ", "")
    return compact if compact.isdigit() else ""

"""The REST operations the bot uses, one function each, returning the typed models.

Operation names (for logs and the simulator's faults) are the method and the path template.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from . import models
from .client import RestClient
from .errors import RestParseError
from .models import JoinLinks, Meeting, Person, Webhook

T = TypeVar("T")

# The spec's PATCH body type; the body is the set of fields to change.
PATCH_CONTENT_TYPE = "application/json-patch+json"


async def me(client: RestClient) -> Person:
    return _read("GET /people/me", models.person, await client.call("GET", "/people/me"))


async def people_with_email(client: RestClient, email: str) -> list[Person]:
    items = client.pages("/people", operation="GET /people", params={"email": email, "excludeStatus": "true"})
    return [_read("GET /people", models.person, item) async for item in items]


async def create_meeting(client: RestClient, body: dict[str, Any]) -> Meeting:
    return _read("POST /meetings", models.meeting, await client.call("POST", "/meetings", body=body, write=True))


async def get_meeting(client: RestClient, meeting_id: str, *, host_email: str = "", current: bool = False) -> Meeting:
    params = _params(hostEmail=host_email, current="true" if current else "")
    reply = await client.call("GET", f"/meetings/{_segment(meeting_id)}", operation="GET /meetings/{id}", params=params)
    return _read("GET /meetings/{id}", models.meeting, reply)


async def list_meetings(client: RestClient, **query: str) -> AsyncIterator[Meeting]:
    async for item in client.pages("/meetings", operation="GET /meetings", params=_params(**query)):
        yield _read("GET /meetings", models.meeting, item)


async def patch_meeting(client: RestClient, meeting_id: str, body: dict[str, Any]) -> None:
    await client.call(
        "PATCH",
        f"/meetings/{_segment(meeting_id)}",
        operation="PATCH /meetings/{id}",
        body=body,
        write=True,
        content_type=PATCH_CONTENT_TYPE,
    )


async def delete_meeting(client: RestClient, meeting_id: str, *, host_email: str = "") -> None:
    await client.call(
        "DELETE",
        f"/meetings/{_segment(meeting_id)}",
        operation="DELETE /meetings/{id}",
        params=_params(hostEmail=host_email),
        write=True,
    )


async def join(client: RestClient, body: dict[str, Any]) -> JoinLinks:
    """`POST /meetings/join` with joinDirectly false: links only, nothing changes, so it may be retried."""
    reply = await client.call("POST", "/meetings/join", body={**body, "joinDirectly": False})
    return _read("POST /meetings/join", models.join_links, reply)


async def invitee_emails(client: RestClient, meeting_id: str, *, host_email: str = "") -> list[str]:
    params = _params(meetingId=meeting_id, hostEmail=host_email, max="100")
    items = client.pages("/meetingInvitees", operation="GET /meetingInvitees", params=params)
    return [item["email"] async for item in items if isinstance(item, dict) and isinstance(item.get("email"), str)]


async def webhooks(client: RestClient) -> list[Webhook]:
    items = client.pages("/webhooks", operation="GET /webhooks", params={"max": "100"})
    return [_read("GET /webhooks", models.webhook, item) async for item in items]


async def create_webhook(client: RestClient, body: dict[str, Any]) -> Webhook:
    return _read("POST /webhooks", models.webhook, await client.call("POST", "/webhooks", body=body, write=True))


async def update_webhook(client: RestClient, webhook_id: str, body: dict[str, Any]) -> Webhook:
    reply = await client.call(
        "PUT", f"/webhooks/{_segment(webhook_id)}", operation="PUT /webhooks/{id}", body=body, write=True
    )
    return _read("PUT /webhooks/{id}", models.webhook, reply)


async def delete_webhook(client: RestClient, webhook_id: str) -> None:
    await client.call("DELETE", f"/webhooks/{_segment(webhook_id)}", operation="DELETE /webhooks/{id}", write=True)


def _params(**query: str) -> dict[str, str]:
    return {key: value for key, value in query.items() if value}


def _segment(value: str) -> str:
    return quote(value, safe="")


def _read(operation: str, reader: Callable[[Any], T], data: Any) -> T:
    try:
        return reader(data)
    except (ValueError, KeyError, TypeError) as error:
        raise RestParseError(f"{operation}: unreadable reply ({error})", operation=operation) from None

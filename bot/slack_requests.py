"""Reading a request Slack sent to POST /slack/events: checked (size, timestamp, signature, encoding, shape)
before any work, so that a malformed one is refused with a 4xx and a one-line log, never a traceback."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
NEEDS_ACTIONS = ("block_actions", "interactive_message")


class Refused(Exception):
    """A request answered with `status` and not looked at further; `reason` is safe to log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class SlackRequest:
    text: str  # the body as sent
    body: dict[str, Any]  # the form, the JSON event, or the interactive payload


async def read_request(request: web.Request, verifier: SignatureVerifier) -> SlackRequest:
    """The request's body, read and checked; raises Refused."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as error:
        raise Refused(413, "body over the size limit") from error
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise Refused(400, "missing or malformed X-Slack-Request-Timestamp")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(400, "body is not UTF-8") from error
    if not verifier.is_valid(text, timestamp, request.headers.get("X-Slack-Signature")):
        raise Refused(401, "bad or stale signature")
    return SlackRequest(text, parse_body(text, request.content_type))


def parse_body(text: str, content_type: str) -> dict[str, Any]:
    if content_type == JSON:
        return _json_object(text, "body")
    if content_type != FORM:
        raise Refused(400, f"unexpected content type {content_type[:60]!r}")
    if text.lstrip().startswith(("{", "[")):
        raise Refused(400, "JSON labelled as a form")
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" not in form:
        return form
    payload = _json_object(form["payload"], "payload")
    if payload.get("type") in NEEDS_ACTIONS and not _has_actions(payload):
        raise Refused(400, f"{payload['type']} payload without actions")
    return payload


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise Refused(400, f"{what} is not JSON") from error
    if not isinstance(value, dict):
        raise Refused(400, f"{what} is not a JSON object")
    return value


def _has_actions(payload: dict[str, Any]) -> bool:
    actions = payload.get("actions")
    if not isinstance(actions, list) or not actions:
        return False
    key = "action_id" if payload["type"] == "block_actions" else "name"
    return all(isinstance(a, dict) and isinstance(a.get(key), str) and a[key] for a in actions)

"""Malformed requests to POST /slack/events are refused with 400 (401 for signature problems, 413 for an
over-large body) before any work, without an ERROR in the log; a well-formed one is still served."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import ANA, Stack

FORM = "application/x-www-form-urlencoded"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


async def post(stack: Stack, body: bytes, *, content_type: str = FORM, timestamp: str | None = "now") -> httpx.Response:
    """Posts `body` signed with the right secret (over the exact bytes); timestamp None leaves the header out."""
    stamp = str(int(time.time())) if timestamp == "now" else timestamp
    signed = signature(stack.slack.signing_secret, stamp or "", body)
    headers = {"Content-Type": content_type, "X-Slack-Signature": signed}
    if stamp is not None:
        headers["X-Slack-Request-Timestamp"] = stamp
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(f"{stack.url}/slack/events", content=body, headers=headers)


def payload_form(payload: object) -> bytes:
    return urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)}).encode()


def a_click(stack: Stack, **changes: object) -> dict[str, object]:
    payload, _ = stack.slack.action_payload(ANA, "meeting.card.join", "123456789")
    return {**payload, **changes}


def nothing_done(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an ERROR was logged"
    assert stack.webex.received == []
    assert stack.slack.calls == [] and stack.slack.responses == []


@pytest.mark.parametrize(
    ("case", "timestamp"),
    [("missing", None), ("not a number", "soon"), ("empty", ""), ("negative", "-17")],
)
async def test_a_bad_or_missing_timestamp_header_is_400(stack: Stack, caplog, case: str, timestamp: str | None):
    form, _ = stack.slack.command_form(ANA, "list")
    reply = await post(stack, urlencode(form).encode(), timestamp=timestamp)
    assert reply.status_code == 400, case
    nothing_done(stack, caplog)


async def test_a_wrong_or_stale_signature_is_still_401(stack: Stack, caplog):
    form, _ = stack.slack.command_form(ANA, "list")
    body = urlencode(form)
    stale = await stack.slack.post_form(stack.url, form, timestamp=int(time.time()) - 3600)
    forged = await stack.slack.post_form(stack.url, form, secret="not-the-secret")
    async with httpx.AsyncClient(timeout=10) as http:
        unsigned = await http.post(
            f"{stack.url}/slack/events",
            content=body,
            headers={"Content-Type": FORM, "X-Slack-Request-Timestamp": str(int(time.time()))},
        )
    assert [stale.status_code, forged.status_code, unsigned.status_code] == [401, 401, 401]
    nothing_done(stack, caplog)


async def test_a_body_that_is_not_utf8_is_400(stack: Stack, caplog):
    reply = await post(stack, b"command=%2Fwebex&text=caf\xe9\xff")
    assert reply.status_code == 400
    nothing_done(stack, caplog)


async def test_json_labelled_as_form_is_400(stack: Stack, caplog):
    reply = await post(stack, json.dumps(a_click(stack)).encode(), content_type=FORM)
    assert reply.status_code == 400
    nothing_done(stack, caplog)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'"a string"',
    ],
)
async def test_json_that_is_not_an_object_is_400(stack: Stack, caplog, body: bytes):
    reply = await post(stack, body, content_type="application/json")
    assert reply.status_code == 400
    nothing_done(stack, caplog)


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", "null", '"text"', "42", ""])
async def test_a_payload_that_is_not_a_json_object_is_400(stack: Stack, caplog, payload: str):
    reply = await post(stack, payload_form(payload))
    assert reply.status_code == 400
    nothing_done(stack, caplog)


@pytest.mark.parametrize("actions", [[], None, "join", [{}]])
async def test_a_click_without_an_action_is_400(stack: Stack, caplog, actions: object):
    reply = await post(stack, payload_form(a_click(stack, actions=actions)))
    assert reply.status_code == 400
    nothing_done(stack, caplog)


async def test_an_over_large_body_is_refused(stack: Stack, caplog):
    form, _ = stack.slack.command_form(ANA, "list " + "x" * (2 * 1024 * 1024))
    reply = await post(stack, urlencode(form).encode())
    assert reply.status_code == 413
    nothing_done(stack, caplog)


async def test_an_unknown_content_type_is_400(stack: Stack, caplog):
    form, _ = stack.slack.command_form(ANA, "list")
    reply = await post(stack, urlencode(form).encode(), content_type="text/plain")
    assert reply.status_code == 400
    nothing_done(stack, caplog)


async def test_a_command_mentioning_payload_is_not_lost(stack: Stack, caplog):
    """Bolt reads any form body containing the word "payload" as an interactive payload."""
    reply, request_id = await stack.slack.command(stack.url, ANA, "help payload")
    assert reply.status_code == 200
    answer = (reply.json() if reply.content else None) or (await stack.slack.first_response(request_id)).body
    assert "/webex" in json.dumps(answer)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

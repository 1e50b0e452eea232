"""Block Kit as plain dicts, for the messages sent on every command (cards, receipts, Join replies, notices).

Each builder gives exactly what slack_sdk's model of the same name gives from `to_dict()`, at a tenth of
the cost; tests/test_block_shapes.py parses every message built here with the models, which validate it,
and checks they give back the same dict. Rarer views (modals, the Home tab, lists) keep the models."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def mrkdwn_text(text: str) -> Json:
    return {"type": "mrkdwn", "text": text}


def plain_text(text: str) -> Json:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str | None = None, *, fields: list[str] | None = None, accessory: Json | None = None) -> Json:
    block: Json = {"type": "section"}
    if text is not None:
        block["text"] = mrkdwn_text(text)
    if fields:
        block["fields"] = [mrkdwn_text(f) for f in fields]
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(text: str) -> Json:
    return {"type": "context", "elements": [mrkdwn_text(text)]}


def actions(elements: list[Json], block_id: str | None = None) -> Json:
    block: Json = {"type": "actions", "elements": elements}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def button(
    text: str,
    action_id: str,
    *,
    url: str | None = None,
    value: str | None = None,
    style: str | None = None,
    confirm: Json | None = None,
) -> Json:
    element: Json = {"type": "button", "text": plain_text(text), "action_id": action_id}
    optional = {"url": url, "value": value, "style": style, "confirm": confirm}
    element.update((name, given) for name, given in optional.items() if given)
    return element


def confirm(title: str, text: str, yes: str, no: str, style: str | None = None) -> Json:
    dialog: Json = {
        "title": plain_text(title),
        "text": mrkdwn_text(text),
        "confirm": plain_text(yes),
        "deny": plain_text(no),
    }
    if style:
        dialog["style"] = style
    return dialog


def overflow(action_id: str, options: list[tuple[str, str]]) -> Json:
    """`options`: (value, label) pairs."""
    listed = [{"text": plain_text(label), "value": value} for value, label in options]
    return {"type": "overflow", "action_id": action_id, "options": listed}

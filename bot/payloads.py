"""Who and where a Slack payload comes from: slash-command forms, block actions, shortcuts and views
carry the team, user and channel in different places."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commands.context import Context

from .slack_clients import team_in_scope

if TYPE_CHECKING:
    from .runtime import Bot

Body = dict[str, Any]


def team_of(body: Body) -> str:
    """The request's workspace as Bolt's context has it (its authorize matched it to an installation); the
    payload's own fields only outside a request."""
    if team := team_in_scope():
        return team
    return str((body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or body.get("team_id", ""))


def user_of(body: Body) -> str:
    return str((body.get("user") or {}).get("id") or body.get("user_id", ""))


def channel_of(body: Body) -> str:
    return str(
        (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or body.get("channel_id", "")
    )


async def context_of(bot: Bot, body: Body, channel: str | None = None) -> Context:
    """The caller's context, in `channel` (by default the payload's own)."""
    return await bot.context(team_of(body), user_of(body), channel_of(body) if channel is None else channel)

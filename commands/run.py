"""Run a parsed /webex command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from . import admin, cancelling, hosting, info, joining, linking, listing
from .context import Context
from .grammar import HELP, Command
from .replies import Answer, Notice


async def _help(ctx: Context, argument: str) -> Notice:
    return Notice(HELP)


# `now` and `schedule` write to Webex: they are carried out as durable intents (bot/handlers.py), not here.
SUBCOMMANDS: dict[str, Callable[[Context, str], Awaitable[Answer]]] = {
    "help": _help,
    "link": linking.link,
    "unlink": lambda ctx, _: linking.unlink(ctx),
    "whoami": lambda ctx, _: linking.whoami(ctx),
    "join": joining.join,
    "host": hosting.host,
    "list": lambda ctx, _: listing.upcoming(ctx),
    "live": lambda ctx, _: listing.live(ctx),
    "cancel": cancelling.ask,
    "info": info.info,
    "admin": admin.admin,
}


async def run(command: Command, ctx: Context) -> Answer:
    return await SUBCOMMANDS[command.name](ctx, command.argument)

"""Run a parsed /webex command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from . import admin, cancelling, hosting, info, joining, linking, listing, scheduling, start_now
from .context import Context
from .grammar import HELP, Command
from .replies import Notice, Reply


async def _help(ctx: Context, argument: str) -> Notice:
    return Notice(HELP)


SUBCOMMANDS: dict[str, Callable[[Context, str], Awaitable[Reply]]] = {
    "help": _help,
    "link": linking.link,
    "unlink": lambda ctx, _: linking.unlink(ctx),
    "whoami": lambda ctx, _: linking.whoami(ctx),
    "now": start_now.now,
    "schedule": scheduling.schedule,
    "join": joining.join,
    "host": hosting.host,
    "list": lambda ctx, _: listing.upcoming(ctx),
    "live": lambda ctx, _: listing.live(ctx),
    "cancel": cancelling.ask,
    "info": info.info,
    "admin": admin.admin,
}


async def run(command: Command, ctx: Context) -> Reply:
    return await SUBCOMMANDS[command.name](ctx, command.argument)

"""Run a parsed /webex command."""

from __future__ import annotations

from . import cancelling, hosting, joining, linking, listing, scheduling, start_now
from .context import Context
from .grammar import HELP, Command
from .replies import Notice, Reply


async def run(command: Command, ctx: Context) -> Reply:
    name, argument = command.name, command.argument
    if name == "help":
        return Notice(HELP)
    if name == "link":
        return await linking.link(ctx, argument)
    if name == "unlink":
        return await linking.unlink(ctx)
    if name == "whoami":
        return await linking.whoami(ctx)
    if name == "now":
        return await start_now.now(ctx, argument)
    if name == "schedule":
        return await scheduling.schedule(ctx, argument)
    if name == "join":
        return await joining.join(ctx, argument)
    if name == "host":
        return await hosting.host(ctx, argument)
    if name == "list":
        return await listing.upcoming(ctx)
    if name == "live":
        return await listing.live(ctx)
    if name == "cancel":
        return await cancelling.ask(ctx, argument)
    raise AssertionError(f"unhandled command {name}")

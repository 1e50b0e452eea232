"""The App Home tab: the viewer's link, their upcoming meetings, what is live, and Schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands import listing
from commands.backend import BackendError
from commands.context import Context
from commands.replies import MeetingList

from . import connect_views, views
from .blocks import Json
from .errors import message_for
from .render import mrkdwn
from .slack_calls import attempt
from .webex_routing import RoutingBackend

if TYPE_CHECKING:
    from .runtime import Bot


async def refresh(bot: Bot, ctx: Context, notice: str = "") -> None:
    """After a change the viewer made: republish their Home tab if they have ever opened it."""
    if bot.store.setting(ctx.team_id, f"home_viewer:{ctx.caller.user_id}"):
        await publish(bot, ctx, notice)


async def opened(bot: Bot, ctx: Context) -> None:
    if not bot.store.setting(ctx.team_id, f"home_viewer:{ctx.caller.user_id}"):
        bot.store.set_setting(ctx.team_id, f"home_viewer:{ctx.caller.user_id}", "1", ctx.caller.user_id)
    await publish(bot, ctx)


async def publish(bot: Bot, ctx: Context, notice: str = "") -> None:
    """Publish the viewer's Home tab."""
    link = ctx.link
    upcoming: MeetingList | None = None
    live: MeetingList | None = None
    connection, connected = _connection(bot, ctx)
    try:
        if connected:
            upcoming, live = await _meetings(ctx)
    except BackendError as error:
        notice = (notice + "\n" if notice else "") + message_for(error)
    if link is None:
        link_text = "You haven't linked a Webex account yet. Link it to schedule and start meetings."
    else:
        link_text = f"You are `{mrkdwn(link.webex_id, 200)}` on Webex ({mrkdwn(link.email or '', 300)})."
    if not connected:
        link_text = "Once this workspace is connected to Webex, you can link your account and schedule meetings here."
    view = views.home(
        link_text,
        link is not None or not connected,
        upcoming,
        live,
        notice,
        tz=ctx.caller.tz or None,
        viewer=ctx.caller.user_id,
        webex=connection,
    )
    await attempt(
        f"views.publish (home of {ctx.caller.user_id})", bot.client.views_publish(user_id=ctx.caller.user_id, view=view)
    )


def _connection(bot: Bot, ctx: Context) -> tuple[list[Json], bool]:
    """The workspace's Webex connection as the Home tab shows it (OAuth mode), and whether it has one."""
    routing = bot.backend
    if not isinstance(routing, RoutingBackend):
        return [], True
    record = routing.connections.record(ctx.team_id)
    has_default = routing.connections.has_default
    return connect_views.home_section(record, has_default, ctx.is_admin), record is not None or has_default


async def _meetings(ctx: Context) -> tuple[MeetingList | None, MeetingList]:
    """The viewer's upcoming meetings (or those they are invited to), and what is live."""
    upcoming: MeetingList | None = None
    if ctx.link is not None:
        upcoming = await listing.upcoming(ctx)
    elif invited := listing.invited(ctx, ()):
        upcoming = MeetingList("Meetings you're invited to", tuple(invited), "", caller_hosts=False)
    return upcoming, await listing.live(ctx)

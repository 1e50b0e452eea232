"""Connecting a workspace to its Webex site from the App Home (OAuth mode). Only the workspace's Slack admins and
owners may open or submit the form. What they give is checked live with doctor's Webex checks before anything is
saved; a problem is shown beside its field. Until a workspace has a connection (and the environment names no
site), every request but help and this form gets a plain answer that points to the Home tab, and nothing is
recorded or made."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from commands.context import Context
from commands.errors import CommandError, NotConnected
from webex.rest import TokenPair
from webex.rest.tokens import MemoryTokenKeeper

from . import connect_views, delivery, doctor, home, ids, modals, views
from .backends import StoreTokenKeeper
from .errors import message_for
from .payloads import context_of, user_of
from .slack_calls import attempt
from .webex_connections import Connection
from .webex_routing import RoutingBackend

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .runtime import Bot

CHECK_S = 2.0  # answered beside the fields when the check takes no longer (Slack waits 3 s for the answer)
ONLY_ADMINS = "Only an admin or owner of this Slack workspace can connect it to Webex."
Check = tuple[dict[str, str], MemoryTokenKeeper]  # the problems by field, and the REST pair the check ended with


def register(bot: Bot, check_s: float | None = None) -> None:
    """`check_s`: how long a submission's answer waits for the live check before it shows "Checking…" (CHECK_S)."""
    wait_s = CHECK_S if check_s is None else check_s
    routing = bot.backend
    assert isinstance(routing, RoutingBackend)
    app = bot.app

    async def gate(context: AsyncBoltContext, body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        team = context.team_id or ""
        if not team or _lets_through(body) or routing.connections.connected(team):
            return await next()
        return await _not_connected(bot, body)

    app.middleware(gate)

    @app.action(ids.HOME_WEBEX_CONNECT)
    async def on_open(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        bot.runner.spawn(_open_form(bot, body), "webex connect form")

    @app.view(ids.WEBEX_CONNECT_SUBMIT)
    async def on_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await _submitted(bot, routing, ack, body, view, wait_s)


def _lets_through(body: dict[str, Any]) -> bool:
    """Events (the Home tab, uninstalls), `/webex help` and the connection form itself."""
    if body.get("type") == "event_callback" or body.get("event"):
        return True
    if "command" in body:
        return str(body.get("text", "")).strip().lower() == "help"
    actions = [str(action.get("action_id", "")) for action in body.get("actions") or ()]
    if ids.HOME_WEBEX_CONNECT in actions:
        return True
    return str((body.get("view") or {}).get("callback_id", "")) == ids.WEBEX_CONNECT_SUBMIT


async def _not_connected(bot: Bot, body: dict[str, Any]) -> BoltResponse:
    """The plain answer, given in the ack (a command, a form) or privately (a button, a shortcut)."""
    text = str(NotConnected())
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", **views.notice(text)})
    if body.get("type") == "view_submission":
        return BoltResponse(
            status=200, body={"response_action": "update", "view": modals.notice_modal("Webex not connected", text)}
        )
    channel = str((body.get("channel") or {}).get("id") or "")
    private = delivery.by_ephemeral(bot, channel, user_of(body))

    async def tell() -> None:
        await private(views.notice(text))

    bot.runner.spawn(tell(), "not connected")
    return BoltResponse(status=200, body="")


async def _open_form(bot: Bot, body: dict[str, Any]) -> None:
    ctx = await context_of(bot, body, "")
    private = delivery.by_ephemeral(bot, "", ctx.caller.user_id)
    if not ctx.is_admin:
        bot.store.audit(ctx.team_id, ctx.caller.user_id, "webex_connect_refused", ctx.caller.user_id, {})
        await private(views.notice(ONLY_ADMINS))
        return
    form = connect_views.connect_modal()
    await attempt("views.open", bot.client.views_open(trigger_id=body["trigger_id"], view=form))


async def _submitted(
    bot: Bot, routing: RoutingBackend, ack: AsyncAck, body: dict[str, Any], view: Any, check_s: float
) -> None:
    try:
        ctx = await context_of(bot, body, "")
    except CommandError as error:
        await ack(response_action="errors", errors={"api": message_for(error)})
        return
    if not ctx.is_admin:
        bot.store.audit(ctx.team_id, ctx.caller.user_id, "webex_connect_refused", ctx.caller.user_id, {})
        await ack(response_action="errors", errors={"api": ONLY_ADMINS})
        return
    given = {key: str(value or "").strip() for key, value in modals.values(view).items()}
    connection, problems = connection_from(given)
    if problems:
        await ack(response_action="errors", errors=problems)
        return
    checking = bot.work.submit(check(bot, connection))  # on the work loop: it may go on after the answer
    try:
        errors, keeper = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(checking)), check_s)
    except TimeoutError:
        await ack(response_action="update", view=connect_views.checking_modal())
        bot.runner.spawn(_answer_later(bot, routing, ctx, str(view.get("id", "")), given, checking), "webex check")
        return
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    text = _save(bot, routing, ctx, connection, keeper)
    await ack(response_action="update", view=modals.notice_modal("Webex connected", text))
    bot.runner.spawn(_refresh_home(bot, ctx), "home after webex connect")


async def _answer_later(
    bot: Bot, routing: RoutingBackend, ctx: Context, view_id: str, given: dict[str, str], checking: Future[Check]
) -> None:
    """The check outlived the answer Slack waits for: the form (with its problems) or the result, by views.update."""
    errors, keeper = await asyncio.wrap_future(checking)
    if errors:
        shown = connect_views.connect_modal(given, errors)
    else:
        shown = modals.notice_modal("Webex connected", _save(bot, routing, ctx, connection_from(given)[0], keeper))
    await attempt("views.update", bot.client.views_update(view_id=view_id, view=shown))
    if not errors:
        await _refresh_home(bot, ctx)


def connection_from(given: dict[str, str]) -> tuple[Connection, dict[str, str]]:
    """The connection a form describes, and what it lacks for the chosen API, by field."""
    api = given.get("api") or "xml"
    fields = {name: given.get(name, "") for name in Connection.__dataclass_fields__ if name != "api"}
    fields["site_url"] = fields["site_url"].rstrip("/")
    fields["api_url"] = fields["api_url"].rstrip("/") or connect_views.DEFAULT_WEBEX_API_URL
    connection = Connection(api=api, **fields)
    needed = ("site_url", "webex_user", "password") if api == "xml" else ("access_token",)
    problems = {name: "Needed for the chosen Webex API." for name in needed if not fields[name]}
    for name in ("site_url", "api_url"):
        if fields[name] and not fields[name].startswith(("https://", "http://")):
            problems[name] = "Give the whole address, starting with https://"
    renewal = [name for name in ("refresh_token", "client_id", "client_secret") if fields[name]]
    if api == "rest" and 0 < len(renewal) < 3:
        missing = next(name for name in ("refresh_token", "client_id", "client_secret") if not fields[name])
        problems[missing] = "Renewing the token needs the refresh token, the client id and the client secret."
    return connection, problems


async def check(bot: Bot, connection: Connection) -> Check:
    """doctor's Webex checks on the given connection; each failure in plain words beside the field it concerns."""
    keeper = MemoryTokenKeeper()
    found = await doctor.webex_checks(connection.settings(bot.settings), keeper, host="")
    errors: dict[str, str] = {}
    for failed in (c for c in found if not c.ok):
        errors.setdefault(_field_of(failed, connection.api), failed.detail.split(" Fix: ")[0][:140])
    return errors, keeper


def _field_of(failed: doctor.Check, api: str) -> str:
    if api == "rest":
        return {"webex": "api_url", "Webex token renewal": "refresh_token"}.get(failed.name, "access_token")
    if failed.name == "webex admin" or failed.detail.startswith("the site has no user"):
        return "webex_user"
    return "password" if "user name or password" in failed.detail else "site_url"


def _save(bot: Bot, routing: RoutingBackend, ctx: Context, connection: Connection, keeper: MemoryTokenKeeper) -> str:
    record = routing.connections.save(ctx.team_id, connection, ctx.caller.user_id)
    if connection.api == "rest":  # the newest pair (a renewal during the check replaced the given one)
        pair = keeper.load() or TokenPair(connection.access_token, connection.refresh_token)
        StoreTokenKeeper(bot.store, ctx.team_id, routing.connections.box).save(pair)
    routing.forget(ctx.team_id)
    return f"This workspace now uses {record.site_url} ({record.api.upper()} API). Your people can link and schedule."


async def _refresh_home(bot: Bot, ctx: Context) -> None:
    await home.publish(bot, await bot.context(ctx.team_id, ctx.caller.user_id, ""))

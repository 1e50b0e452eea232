"""OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, HTTP mode): the Bolt app installed through Slack's
OAuth flow into many workspaces, its installations and states in the bot's database, the install and redirect
routes, and what an uninstall or a revocation does (tokens deleted, the workspace's reminders and unfinished
requests dropped, an audit row for the workspace)."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from storage import Store

from .installations import StoreInstallations, StoreOAuthStates, installation_key
from .oauth_pages import InstallPageFlow, callback_options
from .scopes import read_scopes
from .secret_box import SecretBox
from .settings import Settings
from .slack_clients import RefusalWatch, SlackClients
from .webex_routing import RoutingBackend

if TYPE_CHECKING:
    from .runtime import Bot

log = logging.getLogger("webexbot")
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class AuditedFlow(InstallPageFlow):
    """Our install page, and an audit row for the workspace (or organization) once an install is saved."""

    store: Store

    async def store_installation(self, request: AsyncBoltRequest, installation: Installation) -> None:
        await super().store_installation(request, installation)
        place = _place(installation.enterprise_id, installation.team_id, bool(installation.is_enterprise_install))
        detail = {
            "enterprise_id": installation.enterprise_id or "",
            "org_wide": bool(installation.is_enterprise_install),
        }
        self.store.audit(place, installation.user_id or "", "installed", place, detail)


def per_workspace(settings: Settings) -> Settings:
    """OAuth mode's settings: WEBEXBOT_ADMIN_CHANNEL and WEBEXBOT_ADMINS name one workspace's channel and people,
    so they do not apply; each workspace sets its channel with `/webex admin channel`, and its admins are its
    Slack admins and owners."""
    named = {"WEBEXBOT_ADMIN_CHANNEL": settings.admin_channel, "WEBEXBOT_ADMINS": settings.admins}
    ignored = [name for name, value in named.items() if value]
    if ignored:
        log.warning(
            "%s ignored: with the install flow each workspace sets its admin channel with `/webex admin channel`, "
            "and its admins are its Slack admins and owners",
            " and ".join(ignored),
        )
    return replace(settings, admin_channel="", admins=frozenset())


def oauth_app(settings: Settings, store: Store, client: AsyncWebClient) -> tuple[AsyncApp, SlackClients]:
    """The Bolt app in OAuth mode, and the clients by workspace that background work uses."""
    scopes = read_scopes()
    installations = StoreInstallations(store, SecretBox(settings.secret_key))
    rotator = AsyncTokenRotator(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret, client=client
    )
    clients = SlackClients(installations, rotator)
    client.retry_handlers.insert(0, RefusalWatch(partial(token_refused, clients)))
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(scopes.bot),
        user_scopes=list(scopes.user),
        authorization_url=settings.slack_authorize_url,
        installation_store=installations,
        state_store=StoreOAuthStates(store),
        callback_options=callback_options(),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )
    flow = AuditedFlow(client=client, settings=oauth_settings)
    flow.store = store
    # installation_store given to the app too: Bolt then renews rotating tokens with this client (SLACK_API_URL)
    # Bolt checks a token with auth.test before each request's listener runs; cached, that is once per token,
    # not a Slack round trip before every ack. A token refused later is still caught (RefusalWatch).
    authorize = AsyncInstallationStoreAuthorize(
        installation_store=installations,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        cache_enabled=True,
        client=client,
        logger=logging.getLogger("slack_bolt"),
    )
    app = AsyncApp(
        name="webexbot",
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=False,  # bot/http.py checked the signature before Bolt sees the request
        client=client,
        authorize=authorize,  # type: ignore[arg-type]  # Bolt takes an AsyncAuthorize; its hint names functions
        installation_store=installations,
        oauth_flow=flow,
        process_before_response=True,
    )
    return app, clients


def register(bot: Bot) -> None:
    """The uninstall and revocation events: the workspace's tokens and work forgotten."""

    async def uninstalled(ack: Any, context: AsyncBoltContext) -> None:
        await ack()
        await _forget(bot, context, "uninstalled", users=(), bot_token=True)

    async def revoked(ack: Any, event: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        tokens = event.get("tokens") or {}
        await _forget(
            bot, context, "tokens revoked", users=tokens.get("oauth") or (), bot_token=bool(tokens.get("bot"))
        )

    bot.app.event("app_uninstalled")(uninstalled)
    bot.app.event("tokens_revoked")(revoked)
    if isinstance(bot.backend, RoutingBackend):
        bot.slack.gone.append(bot.backend.forget)  # its Webex backend and health start afresh if it comes back


async def _forget(bot: Bot, context: AsyncBoltContext, why: str, *, users: Any, bot_token: bool) -> None:
    org_wide = bool(context.is_enterprise_install)
    enterprise, team = installation_key(context.enterprise_id, context.team_id, org_wide)
    for user_id in users:
        bot.store.delete_installations(enterprise, team, str(user_id))
    if bot_token:
        forget(bot.store, context.enterprise_id, context.team_id, org_wide, why, everything=why == "uninstalled")
        if context.team_id and not org_wide:
            bot.slack.left(context.team_id)
        log.info("workspace %s: %s, its tokens deleted", _place(context.enterprise_id, context.team_id, org_wide), why)


def forget(
    store: Store,
    enterprise_id: str | None,
    team_id: str | None,
    org_wide: bool,
    why: str,
    *,
    everything: bool,
    **detail: object,
) -> tuple[int, int] | None:
    """Delete the installation's bot token (and, with `everything`, its installs), drop a workspace's reminders and
    unfinished intents, audit it; how many reminders and intents, or None when another replica got there first."""
    enterprise, team = installation_key(enterprise_id, team_id, org_wide)
    if not store.delete_bot(enterprise, team):
        return None
    if everything:
        store.delete_installations(enterprise, team)
    teams = [team_id] if team_id and not org_wide else []
    dropped = [store.forget_workspace_work(t, why) for t in teams]
    reminders, intents = sum(r for r, _ in dropped), sum(i for _, i in dropped)
    place = _place(enterprise_id, team_id, org_wide)
    store.audit(place, "slack", why, place, {"reminders_dropped": reminders, **detail})
    return reminders, intents


async def token_refused(clients: SlackClients, token: str, error: str) -> None:
    """Slack refused an installation's current bot token as one whose app is gone (RefusalWatch): the
    app was removed from the workspace without an event reaching us, so it is forgotten as at an uninstall."""
    installations = clients.installations
    assert installations is not None
    holder = installations.holder(token)
    if holder is None:
        return
    enterprise, team, org_wide = holder
    bot = await installations.async_find_bot(
        enterprise_id=enterprise or None, team_id=team or None, is_enterprise_install=org_wide
    )
    if bot is None or bot.bot_token != token:  # forgotten already, or installed again since
        return
    found = forget(installations.store, enterprise, team, org_wide, "uninstalled", everything=True, slack_error=error)
    if team and not org_wide:
        clients.left(team)
    if found is not None:
        place = _place(enterprise, team, org_wide)
        log.warning(
            "workspace %s: Slack refused its bot token (%s), so the app is gone from it: its installation, "
            "%d reminders and %d unfinished requests dropped",
            place,
            error,
            *found,
        )


def _place(enterprise_id: str | None, team_id: str | None, org_wide: bool) -> str:
    """The audit log's team id: the workspace, or the organization for an org-wide install."""
    return (enterprise_id if org_wide else team_id) or ""


def add_routes(app: web.Application, bot: Bot) -> None:
    """GET /slack/install (the install page) and /slack/oauth_redirect (Slack sends the browser back)."""
    flow = bot.app.oauth_flow
    assert flow is not None

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    app.router.add_get(INSTALL_PATH, install)
    app.router.add_get(REDIRECT_PATH, redirect)

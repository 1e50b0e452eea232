"""Slack clients by workspace. The bot's one `client` (a RoutingClient) carries, on every call, the bot token of
the workspace in scope: in a listener, the token Bolt authorized the request with (set by `middleware`, from
Bolt's context, never from a payload); in background work (reminders, the poller, intents resumed at start),
the token of the workspace whose row is being worked on (`SlackClients.workspace(team_id)`). With one
SLACK_BOT_TOKEN (no install flow) that token is the client's own and nothing needs to be in scope."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

if TYPE_CHECKING:  # OAuth mode only: not imported for one workspace
    from slack_sdk.oauth.installation_store import Bot
    from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

    from .installations import StoreInstallations

log = logging.getLogger("webexbot")
ROTATE_MINUTES = 120  # renew a rotating token this long before it expires, as Bolt does
# Slack's answers to a token whose app is gone from the workspace (uninstalled, revoked, the workspace closed)
GONE = frozenset({"invalid_auth", "account_inactive", "token_revoked", "not_authed"})
_token: ContextVar[str | None] = ContextVar("slack_workspace_token", default=None)
_team: ContextVar[str | None] = ContextVar("slack_workspace_team", default=None)


def team_in_scope() -> str | None:
    """The workspace being served: the request's (as Bolt's authorize found it), or the one background work
    entered with `SlackClients.workspace`; None outside both."""
    return _team.get()


class NotInstalled(Exception):
    """The workspace has no installation (never installed, uninstalled, or its tokens revoked)."""


class RoutingClient(AsyncWebClient):
    """An AsyncWebClient whose calls carry the bot token of the workspace in scope, if one is."""

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        token = _token.get()
        if token and "auth" not in kwargs:
            if kwargs.get("json") is not None:
                kwargs["json"] = {**kwargs["json"], "token": token}
            else:
                kwargs["params"] = {**(kwargs.get("params") or {}), "token": token}
        return await super().api_call(api_method, **kwargs)


class RefusalWatch(AsyncRetryHandler):
    """Never retries: reports each call that Slack refuses as from an app that is gone (GONE) to `refused` (the
    token the call carried, Slack's error) before the call raises. As a retry handler of the bot's client, it is
    copied into the client Bolt makes for each request, so the token check in Bolt's authorize is watched too."""

    def __init__(self, refused: Callable[[str, str], Awaitable[None]]) -> None:
        super().__init__()
        self.refused = refused

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        body = response.body if response is not None else None  # a JSON reply, parsed
        refused = str(body.get("error") or "") if isinstance(body, dict) and not body.get("ok") else ""
        bearer = (request.headers.get("Authorization") or [""])[0]
        if refused in GONE and bearer.startswith("Bearer "):
            await self.refused(bearer.removeprefix("Bearer "), refused)
        return False


class SlackClients:
    """Finds a workspace's bot token for background work: from the installation store, renewed when it rotates
    and is near its expiry. In single-workspace mode (no store) the client's own token serves every team."""

    def __init__(
        self,
        installations: StoreInstallations | None = None,
        rotator: AsyncTokenRotator | None = None,
    ) -> None:
        self.installations = installations
        self.rotator = rotator
        self.organizations: dict[str, tuple[str, bool]] = {}  # team -> (its Grid organization, org-wide?), as seen
        self.gone: list[Callable[[str], None]] = []  # told of each workspace the app was removed from

    def left(self, team_id: str) -> None:
        """The app was removed from the workspace (uninstalled, its token revoked or refused)."""
        for forget in self.gone:
            forget(team_id)

    async def middleware(self, context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
        """A Bolt global middleware: the request's workspace (as Bolt's authorize found it) is in scope for the
        listener and for every task it starts."""
        if context.bot_token:
            _token.set(context.bot_token)
        if context.team_id:
            _team.set(context.team_id)
        if context.team_id and context.enterprise_id:
            self._remember(context.team_id, (context.enterprise_id, bool(context.is_enterprise_install)))
        return await next()

    def _remember(self, team_id: str, organization: tuple[str, bool]) -> None:
        if self.organizations.get(team_id) == organization:
            return
        self.organizations[team_id] = organization
        if self.installations is not None:
            self.installations.store.remember_organization(team_id, *organization)

    async def token_for(self, team_id: str, enterprise_id: str | None = None, org_wide: bool = False) -> str | None:
        """The bot token for this team (None in single-workspace mode); NotInstalled when it has none."""
        if self.installations is None:
            return None
        bot = await self._find(team_id, enterprise_id, org_wide)
        if bot is None:
            raise NotInstalled(team_id)
        if self.rotator is not None and bot.bot_refresh_token:
            renewed = await self.rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=ROTATE_MINUTES)
            if renewed is not None:
                await self.installations.async_save_bot(renewed)
                bot = renewed
        return bot.bot_token

    @asynccontextmanager
    async def workspace(self, team_id: str) -> AsyncIterator[None]:
        """Calls of the bot's client in this block carry `team_id`'s token; NotInstalled when it has none."""
        token = await self.token_for(team_id)
        mark = _token.set(token) if token else None
        team_mark = _team.set(team_id)
        try:
            yield
        finally:
            _team.reset(team_mark)
            if mark is not None:
                _token.reset(mark)

    async def serve(self, team_id: str, work: Callable[[], Awaitable[None]]) -> bool:
        """Background work for one workspace, with its token. A workspace no longer installed loses its reminders
        and unfinished intents (False), and the caller carries on with the others."""
        try:
            async with self.workspace(team_id):
                await work()
        except NotInstalled:
            assert self.installations is not None
            reminders, intents = self.installations.store.forget_workspace_work(team_id, "not installed")
            log.warning("workspace %s is not installed: %d reminders, %d requests dropped", team_id, reminders, intents)
            return False
        return True

    async def _find(self, team_id: str, enterprise_id: str | None, org_wide: bool) -> Bot | None:
        assert self.installations is not None
        store = self.installations
        if enterprise_id or org_wide:
            return await store.async_find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
            )
        if team_id not in self.organizations and (known := store.store.organization_of(team_id)):
            self.organizations[team_id] = known
        if team_id in self.organizations:
            organization, wide = self.organizations[team_id]
            return await store.async_find_bot(enterprise_id=organization, team_id=team_id, is_enterprise_install=wide)
        return await store.async_find_bot(enterprise_id=None, team_id=team_id)

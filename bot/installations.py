"""Slack installations and OAuth states in the bot's own database (SQLite or PostgreSQL), as slack_sdk's
AsyncInstallationStore and AsyncOAuthStateStore: Bolt's OAuth flow saves installs here, its authorize looks
tokens up here, and the uninstall listeners delete them here. Installations hold tokens: with a SecretBox
they are stored encrypted."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from storage import Store

from .secret_box import SecretBox

log = logging.getLogger(__name__)


def installation_key(enterprise_id: str | None, team_id: str | None, org_wide: bool | None) -> tuple[str, str]:
    """The row key of an installation: an org-wide install is the organization's, whatever team asks."""
    return enterprise_id or "", "" if org_wide or team_id is None else team_id


class StoreInstallations(AsyncInstallationStore):
    def __init__(self, store: Store, box: SecretBox | None = None) -> None:
        self.store = store
        self.box = box
        self._holders: dict[str, tuple[str, str, bool]] = {}  # bot token -> its installation, as last seen
        self._held: dict[tuple[str, str], str] = {}  # installation -> its bot token

    def holder(self, token: str) -> tuple[str, str, bool] | None:
        """(enterprise, team, org-wide) of the installation whose bot token this is, as this process last saw it."""
        return self._holders.get(token)

    def _hold(self, bot: Bot) -> None:
        org_wide = bool(bot.is_enterprise_install)
        key = installation_key(bot.enterprise_id, bot.team_id, org_wide)
        old = self._held.get(key)
        if old != bot.bot_token:
            self._holders.pop(old or "", None)
            self._held[key] = bot.bot_token
            self._holders[bot.bot_token] = (*key, org_wide)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        enterprise, team = installation_key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        org_wide = bool(installation.is_enterprise_install)
        data = self._seal(installation.to_dict_for_copying())
        self.store.save_installation(enterprise, team, installation.user_id or "", org_wide, data)
        if installation.bot_token:
            await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        enterprise, team = installation_key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        self.store.save_bot(enterprise, team, bool(bot.is_enterprise_install), self._seal(bot.to_dict_for_copying()))
        self._hold(bot)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        data = self.store.bot_data(*installation_key(enterprise_id, team_id, is_enterprise_install))
        if not data:
            return None
        bot = Bot(**self._open(data))
        self._hold(bot)
        return bot

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        enterprise, team = installation_key(enterprise_id, team_id, is_enterprise_install)
        data = self.store.installation_data(enterprise, team, user_id)
        if data is None:
            return None
        installation = Installation(**self._open(data))
        if user_id is not None or not installation.bot_token:
            bot = await self.async_find_bot(
                enterprise_id=enterprise or None, team_id=team or None, is_enterprise_install=not team
            )
            if bot is not None:  # a user's own install may be older than the workspace's latest bot token
                _take_bot(installation, bot)
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.store.delete_bot(*installation_key(enterprise_id, team_id, False))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.store.delete_installations(*installation_key(enterprise_id, team_id, False), user_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    def _seal(self, fields: dict[str, Any]) -> str:
        text = json.dumps(fields, default=_datetime_text, sort_keys=True)
        return self.box.encrypt(text) if self.box else text

    def _open(self, data: str) -> dict[str, Any]:
        fields = json.loads(self.box.decrypt(data) if self.box else data)
        return fields if isinstance(fields, dict) else {}


class StoreOAuthStates(AsyncOAuthStateStore):
    """Random states, each valid once for `expiration_seconds`."""

    def __init__(self, store: Store, *, expiration_seconds: int = 600, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.expiration_seconds = expiration_seconds
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        self.store.issue_state(state, self.clock() + self.expiration_seconds)
        return state

    async def async_consume(self, state: str) -> bool:
        return self.store.consume_state(state, self.clock())


def _take_bot(installation: Installation, bot: Bot) -> None:
    installation.bot_token = bot.bot_token
    installation.bot_id = bot.bot_id
    installation.bot_user_id = bot.bot_user_id
    installation.bot_scopes = bot.bot_scopes
    installation.bot_refresh_token = bot.bot_refresh_token
    installation.bot_token_expires_at = bot.bot_token_expires_at


def _datetime_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")

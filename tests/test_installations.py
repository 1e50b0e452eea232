"""Our installation and OAuth state stores, as Bolt uses them: slack_sdk's models saved in the bot's database,
tokens encrypted with WEBEXBOT_SECRET_KEY, org-wide installs found from any team, states used once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

from bot.installations import StoreInstallations, StoreOAuthStates
from bot.secret_box import SecretBox
from storage import Store


def installation(team_id: str | None, user_id: str, token: str, **fields: Any) -> Installation:
    return Installation(
        app_id="A1", team_id=team_id, user_id=user_id, bot_token=token, bot_id="B1", bot_user_id="UBOT",
        bot_scopes="commands,chat:write", bot_refresh_token="xoxe-1-r", bot_token_expires_in=3600, **fields,
    )  # fmt: skip


async def test_an_installation_round_trips_encrypted_and_an_uninstall_forgets_it(tmp_path: Path):
    store = Store(tmp_path / "bot.db")
    installs = StoreInstallations(store, SecretBox(Fernet.generate_key().decode()))
    await installs.async_save(installation("T1", "U1", "xoxb-secret-one", team_name="Acme"))
    await installs.async_save(installation("T2", "U2", "xoxb-secret-two"))
    found = await installs.async_find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and (found.team_name, found.user_id, found.bot_token) == ("Acme", "U1", "xoxb-secret-one")
    assert found.bot_scopes == ["commands", "chat:write"] and found.bot_token_expires_at
    bot = await installs.async_find_bot(enterprise_id=None, team_id="T2")
    assert bot is not None and bot.bot_token == "xoxb-secret-two" and bot.bot_refresh_token == "xoxe-1-r"
    assert b"xoxb-secret" not in (tmp_path / "bot.db").read_bytes()
    await installs.async_delete_all(enterprise_id=None, team_id="T1")
    assert await installs.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await installs.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await installs.async_find_bot(enterprise_id=None, team_id="T2") is not None
    store.close()


async def test_an_org_wide_install_is_found_from_any_team_of_the_organization(tmp_path: Path):
    store = Store(tmp_path / "bot.db")
    installs = StoreInstallations(store)
    org = installation(None, "W1", "xoxb-org", enterprise_id="E1", is_enterprise_install=True)
    await installs.async_save(org)
    bot = await installs.async_find_bot(enterprise_id="E1", team_id="T9", is_enterprise_install=True)
    assert bot is not None and bot.bot_token == "xoxb-org" and bot.is_enterprise_install
    assert await installs.async_find_bot(enterprise_id="E1", team_id="T9") is None  # not a workspace install
    user = await installs.async_find_installation(
        enterprise_id="E1", team_id="T9", user_id="W1", is_enterprise_install=True
    )
    assert user is not None and user.bot_token == "xoxb-org"
    store.close()


async def test_a_state_is_good_once_and_only_until_it_expires(tmp_path: Path):
    store = Store(tmp_path / "bot.db")
    now = [1000.0]
    states = StoreOAuthStates(store, expiration_seconds=600, clock=lambda: now[0])
    first, second = await states.async_issue(), await states.async_issue()
    assert first != second and len(first) >= 32
    assert await states.async_consume(first) is True
    assert await states.async_consume(first) is False
    now[0] += 601
    assert await states.async_consume(second) is False
    assert await states.async_consume("forged") is False
    store.close()

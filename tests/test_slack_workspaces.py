"""The Slack stand-in as several workspaces and an Enterprise Grid organization: per-token auth.test, the
OAuth v2 install flow driven through a real Bolt app with OAuth (our scopes and pages), token rotation, and
uninstall events. Over real HTTP; the Bolt app stands for the bot's OAuth mode until that is wired in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import FileInstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.oauth_pages import InstallPageFlow, callback_options
from bot.scopes import read_scopes
from sandbox.slack import TEAM_ID, SlackUser
from sandbox.slack_install import revisit
from sandbox.slack_workspaces import MultiSlack

ACME, GLOBEX, GRID, GRID_A, GRID_B = "T0ACME", "T0GLOBEX", "E0GRID", "T0GRIDA", "T0GRIDB"
PEOPLE = {"U0ANA": ACME, "U0BOB": GLOBEX, "W0GIA": GRID_A, "W0GUS": GRID_B}


def world(**options: Any) -> MultiSlack:
    slack = MultiSlack(**options)
    slack.add_workspace(ACME, "Acme")
    slack.add_workspace(GLOBEX, "Globex")
    slack.add_organization(GRID, "Grid Corp", [(GRID_A, "Grid A"), (GRID_B, "Grid B")])
    for user_id, team_id in PEOPLE.items():
        slack.add_user(SlackUser(user_id, user_id[2:].title(), f"{user_id.lower()}@example.com", team_id=team_id))
    return slack


@dataclass
class BoltApp:
    url: str
    store: FileInstallationStore
    runner: web.AppRunner


async def serve_bolt(slack: MultiSlack, tmp_path: Path) -> BoltApp:
    """A Bolt app in OAuth mode against the stand-in: /webex answers in the channel with the request's client."""
    scopes = read_scopes()
    store = FileInstallationStore(base_dir=str(tmp_path / "installs"), client_id=slack.client_id)
    settings = AsyncOAuthSettings(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        scopes=list(scopes.bot),
        user_scopes=list(scopes.user),
        authorization_url=slack.authorization_url,
        installation_store=store,
        state_store=SQLite3OAuthStateStore(database=str(tmp_path / "states.db"), expiration_seconds=600),
        callback_options=callback_options(),
    )
    client = AsyncWebClient(base_url=slack.api_url)
    flow = InstallPageFlow(client=client, settings=settings)
    # installation_store given to the app too, so that token rotation uses this client (and the stand-in)
    app = AsyncApp(signing_secret=slack.signing_secret, client=client, installation_store=store, oauth_flow=flow)
    app.enable_token_revocation_listeners()

    @app.command("/webex")
    async def webex(ack: Any, command: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        await ack()
        await client.chat_postMessage(channel=command["channel_id"], text=f"hello {context.team_id}")

    runner = web.AppRunner(app.web_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    slack.redirect_urls = [f"{url}/slack/oauth_redirect"]
    return BoltApp(url, store, runner)


@pytest.fixture
async def slack() -> AsyncIterator[MultiSlack]:
    stand_in = world()
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def bolt(slack: MultiSlack, tmp_path: Path) -> AsyncIterator[BoltApp]:
    served = await serve_bolt(slack, tmp_path)
    yield served
    await served.runner.cleanup()


def text_of(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


async def greeted(slack: MultiSlack, app_url: str, user_id: str) -> str:
    """Send /webex as the user; the token the app's reply in the channel was posted with."""
    channel = f"C{user_id}"
    await slack.command(app_url, user_id, "hi", channel=channel)
    call = await slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == channel]
    )
    return str(call[-1].token)


async def test_auth_test_answers_for_each_token_and_refuses_unknown_ones(slack: MultiSlack):
    acme, org = slack.issue(ACME), slack.issue(GRID)
    answer = await AsyncWebClient(token=acme.token, base_url=slack.api_url).auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (ACME, "U0ACMEBOT", "B0ACME")
    assert answer["is_enterprise_install"] is False and "enterprise_id" not in answer.data
    grid = await AsyncWebClient(token=org.token, base_url=slack.api_url).auth_test()
    assert (grid["enterprise_id"], grid["is_enterprise_install"], grid["user_id"]) == (GRID, True, "W0GRIDBOT")
    assert grid["url"] == "https://grid-corp.enterprise.slack.com/"
    default = await AsyncWebClient(token=slack.bot_token, base_url=slack.api_url).auth_test()
    assert (default["team_id"], default["user_id"]) == (TEAM_ID, "U0BOT")
    with pytest.raises(SlackApiError) as refused:
        await AsyncWebClient(token="xoxb-forged", base_url=slack.api_url).auth_test()
    assert refused.value.response["error"] == "invalid_auth"
    assert [c.token for c in slack.calls_to("auth.test")] == [acme.token, org.token, slack.bot_token, "xoxb-forged"]
    assert [c.method for c in slack.calls_for(GRID)] == ["auth.test"]


async def test_a_workspace_token_sees_its_own_people_and_a_grid_token_the_organizations(slack: MultiSlack):
    acme = AsyncWebClient(token=slack.issue(ACME).token, base_url=slack.api_url)
    assert (await acme.users_info(user="U0ANA"))["user"]["team_id"] == ACME
    with pytest.raises(SlackApiError) as hidden:
        await acme.users_info(user="U0BOB")
    assert hidden.value.response["error"] == "user_not_found"
    grid_a = AsyncWebClient(token=slack.issue(GRID_A).token, base_url=slack.api_url)
    assert (await grid_a.users_info(user="W0GUS"))["user"]["team_id"] == GRID_B


async def test_two_workspaces_install_through_oauth_and_each_is_served_with_its_own_token(
    slack: MultiSlack, bolt: BoltApp
):
    acme = await slack.install(bolt.url, ACME)
    globex = await slack.install(bolt.url, GLOBEX, pick_in_url=True)
    for installed, name in ((acme, "Acme"), (globex, "Globex")):
        assert installed.page.status_code == 200, installed.page.text
        assert f"Webex is installed in {name}" in text_of(installed.page.text)
    assert "team=T0GLOBEX" in globex.authorize_url and "scope=commands," in acme.authorize_url
    exchanges = slack.calls_to("oauth.v2.access")
    assert [c.params["client_id"] for c in exchanges] == [slack.client_id] * 2
    assert all("client_secret" not in c.params and c.token == "" for c in exchanges)
    tokens = {}
    for team_id in (ACME, GLOBEX):
        saved = await bolt.store.async_find_bot(enterprise_id=None, team_id=team_id)
        assert saved is not None and saved.bot_token == slack.bot_token_for(team_id)
        assert slack.grants[saved.bot_token].scopes == read_scopes().bot
        tokens[team_id] = saved.bot_token
    assert tokens[ACME] != tokens[GLOBEX]
    assert await greeted(slack, bolt.url, "U0ANA") == tokens[ACME]
    assert await greeted(slack, bolt.url, "U0BOB") == tokens[GLOBEX]
    assert {c.method for c in slack.calls_for(GLOBEX)} == {"auth.test", "chat.postMessage"}


async def test_a_replayed_or_forged_state_and_a_reused_code_are_refused(slack: MultiSlack, bolt: BoltApp):
    installed = await slack.install(bolt.url, ACME)
    assert installed.page.status_code == 200
    replayed = await revisit(installed)
    assert replayed.status_code == 401 and "expired or was already used" in text_of(replayed.text)
    assert await bolt.store.async_find_bot(enterprise_id=None, team_id=ACME) is not None
    no_cookie = await revisit(installed, cookie="")
    assert no_cookie.status_code == 400 and "Start again in this browser" in text_of(no_cookie.text)
    forged = installed.callback_url.replace("state=", "state=forged")
    state = forged.split("state=")[1].split("&")[0]
    installed.callback_url = forged
    refused = await revisit(installed, cookie=f"slack-app-oauth-state={state}")
    assert refused.status_code == 401 and "Start the installation again" in text_of(refused.text)
    code = installed.callback_url.split("code=")[1].split("&")[0]
    with pytest.raises(SlackApiError) as reused:
        await AsyncWebClient(base_url=slack.api_url).oauth_v2_access(
            client_id=slack.client_id, client_secret=slack.client_secret, code=code
        )
    assert reused.value.response["error"] == "invalid_code"
    assert len(slack.calls_to("oauth.v2.access")) == 2  # the first install's, and this one: Bolt refused the others


async def test_a_wrong_client_secret_or_a_cancelled_install_installs_nothing(slack: MultiSlack, bolt: BoltApp):
    cancelled = await slack.install(bolt.url, ACME, deny=True)
    assert cancelled.page.status_code == 200 and "cancelled" in text_of(cancelled.page.text)
    assert slack.calls_to("oauth.v2.access") == []
    with pytest.raises(SlackApiError) as refused:
        await AsyncWebClient(base_url=slack.api_url).oauth_v2_access(
            client_id=slack.client_id, client_secret="x", code="c"
        )
    assert refused.value.response["error"] == "bad_client_secret"
    assert await bolt.store.async_find_bot(enterprise_id=None, team_id=ACME) is None


async def test_an_org_wide_install_serves_both_workspaces_of_the_organization(slack: MultiSlack, bolt: BoltApp):
    installed = await slack.install(bolt.url, GRID, installer="W0GIA")
    assert installed.page.status_code == 200
    assert "Add Webex to the workspaces" in text_of(installed.page.text)
    saved = await bolt.store.async_find_installation(enterprise_id=GRID, team_id=None, is_enterprise_install=True)
    assert saved is not None and saved.is_enterprise_install and not saved.team_id and saved.user_id == "W0GIA"
    form, _ = slack.command_form("W0GUS", "hi")
    assert (form["team_id"], form["enterprise_id"], form["is_enterprise_install"]) == (GRID_B, GRID, "true")
    assert await greeted(slack, bolt.url, "W0GIA") == saved.bot_token
    assert await greeted(slack, bolt.url, "W0GUS") == saved.bot_token
    assert saved.bot_token == slack.bot_token_for(GRID_A) == slack.bot_token_for(GRID_B)


async def test_an_uninstall_stops_that_workspaces_token_and_the_other_carries_on(slack: MultiSlack, bolt: BoltApp):
    await slack.install(bolt.url, ACME)
    await slack.install(bolt.url, GLOBEX)
    acme_token = slack.bot_token_for(ACME)
    answer = await slack.uninstall(bolt.url, ACME)
    assert answer.status_code == 200
    await slack.wait_for(lambda: bolt.store.find_bot(enterprise_id=None, team_id=ACME) is None)
    with pytest.raises(SlackApiError) as gone:
        await AsyncWebClient(token=acme_token, base_url=slack.api_url).auth_test()
    assert gone.value.response["error"] == "invalid_auth"
    assert await greeted(slack, bolt.url, "U0BOB") == slack.bot_token_for(GLOBEX)
    assert bolt.store.find_bot(enterprise_id=None, team_id=GLOBEX) is not None


async def test_revoked_tokens_answer_token_revoked_and_the_app_hears_of_it(slack: MultiSlack, bolt: BoltApp):
    await slack.install(bolt.url, GLOBEX)
    token = slack.bot_token_for(GLOBEX)
    assert (await slack.revoke_tokens(bolt.url, GLOBEX)).status_code == 200
    await slack.wait_for(lambda: bolt.store.find_bot(enterprise_id=None, team_id=GLOBEX) is None)
    with pytest.raises(SlackApiError) as revoked:
        await AsyncWebClient(token=token, base_url=slack.api_url).chat_postMessage(channel="C1", text="x")
    assert revoked.value.response["error"] == "token_revoked"


async def test_with_token_rotation_bolt_renews_the_token_and_a_refresh_token_works_once(tmp_path: Path):
    slack = world(token_rotation=True, token_lifetime=3600)  # within Bolt's two hours: renewed on next use
    await slack.start()
    bolt = await serve_bolt(slack, tmp_path)
    try:
        await slack.install(bolt.url, ACME)
        first = await bolt.store.async_find_bot(enterprise_id=None, team_id=ACME)
        assert first is not None and first.bot_token.startswith("xoxe.xoxb-1-")
        assert first.bot_refresh_token and first.bot_token_expires_at
        used = await greeted(slack, bolt.url, "U0ANA")
        assert used != first.bot_token and used == slack.bot_token_for(ACME)
        renewals = [c for c in slack.calls_to("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"]
        assert len(renewals) == 1
        with pytest.raises(SlackApiError) as spent:
            await AsyncWebClient(base_url=slack.api_url).oauth_v2_access(
                client_id=slack.client_id,
                client_secret=slack.client_secret,
                grant_type="refresh_token",
                refresh_token=first.bot_refresh_token,
            )
        assert spent.value.response["error"] == "invalid_refresh_token"
    finally:
        await bolt.runner.cleanup()
        await slack.stop()


async def test_an_expired_token_is_refused_by_the_stand_ins_clock(tmp_path: Path):
    now = [1_900_000_000.0]
    slack = world(token_rotation=True, clock=lambda: now[0])
    await slack.start()
    try:
        grant = slack.issue(ACME)
        web = AsyncWebClient(token=grant.token, base_url=slack.api_url)
        assert (await web.auth_test())["team_id"] == ACME
        now[0] += slack.token_lifetime
        with pytest.raises(SlackApiError) as expired:
            await web.auth_test()
        assert expired.value.response["error"] == "token_expired"
    finally:
        await slack.stop()

"""The parts of the install flow that stand alone: the scopes come from the manifest, and the install,
success and failure pages escape what they show and say what to do next."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import yaml
from slack_bolt.oauth.async_callback_options import AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.oauth.installation_store import Installation

from bot.oauth_pages import FAILURES, callback_options, failure_page, install_page, success_page
from bot.scopes import ManifestError, read_scopes

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<script>alert("x")</script> & Co'


def text_of(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


def links_of(html: str) -> list[str]:
    return [str(href) for href in lxml.html.fromstring(html).xpath("//a/@href")]


def test_the_scopes_are_the_manifests():
    manifest = yaml.safe_load((ROOT / "app_manifest.yaml").read_text())
    scopes = read_scopes()
    assert list(scopes.bot) == manifest["oauth_config"]["scopes"]["bot"]
    assert list(scopes.user) == list(manifest["oauth_config"]["scopes"].get("user") or [])
    assert "commands" in scopes.bot


def test_user_scopes_are_read_too(tmp_path: Path):
    manifest = tmp_path / "app_manifest.yaml"
    manifest.write_text("oauth_config:\n  scopes:\n    bot: [commands, chat:write]\n    user: [users:read]\n")
    scopes = read_scopes(manifest)
    assert (scopes.bot, scopes.user) == (("commands", "chat:write"), ("users:read",))


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("display_information: {name: Webex}\n", "lists no bot scopes"),
        ("oauth_config:\n  scopes:\n    bot: commands\n", "must be a list of scope names"),
        ("oauth_config: [unclosed\n", "could not be read as YAML"),
    ],
)
def test_a_manifest_without_usable_scopes_is_reported(tmp_path: Path, text: str, complaint: str):
    manifest = tmp_path / "app_manifest.yaml"
    manifest.write_text(text)
    with pytest.raises(ManifestError, match=complaint):
        read_scopes(manifest)
    with pytest.raises(ManifestError, match="could not be read"):
        read_scopes(tmp_path / "missing.yaml")


def test_the_success_page_escapes_the_workspace_and_says_what_to_do_next():
    installation = Installation(app_id="A0WEBEX", team_id="T0ACME", team_name=HOSTILE, user_id="U1")
    html = success_page(installation)
    assert "<script>" not in html
    words = text_of(html)
    assert HOSTILE in words
    assert "/webex help" in words and "Home tab" in words and "Connect Webex" in words
    assert "slack://app?team=T0ACME&id=A0WEBEX" in links_of(html)


def test_an_org_wide_install_points_to_adding_the_app_to_workspaces():
    installation = Installation(
        app_id="A0WEBEX",
        enterprise_id="E0GRID",
        enterprise_name="Grid & <Sons>",
        enterprise_url="https://grid.enterprise.slack.com/",
        is_enterprise_install=True,
        user_id="W1",
    )
    html = success_page(installation)
    assert "<Sons>" not in html and "Grid & <Sons>" in text_of(html)
    assert "https://grid.enterprise.slack.com/manage/organization/apps/profile/A0WEBEX/workspaces/add" in links_of(html)


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("access_denied", "cancelled"),
        ("invalid_state", "expired or was already used"),
        ("invalid_browser", "Start again in this browser"),
        ("invalid_code", "expired or was already used"),
        ("storage_error", "try again in a few minutes"),
        ("missing_code", "without an installation code"),
    ],
)
def test_each_failure_says_what_went_wrong_and_links_to_try_again(reason: str, said: str):
    html = failure_page(reason, "/slack/install")
    assert said in text_of(html) and "Webex was not installed" in text_of(html)
    assert links_of(html) == ["/slack/install"]
    assert reason not in text_of(html)  # plain words, not the code


def test_an_unknown_reason_from_slack_is_shown_escaped():
    html = failure_page(HOSTILE, "/slack/install")
    assert "<script>" not in html and HOSTILE in text_of(html)
    assert set(FAILURES) >= {"access_denied", "invalid_state", "invalid_browser", "invalid_code"}


def test_the_install_page_links_to_slack_and_escapes_the_url():
    url = 'https://slack.com/oauth/v2/authorize?state=a"b&client_id=1.2&scope=commands'
    html = install_page(url)
    assert links_of(html) == [url]
    assert 'a"b' not in html and "Add to Slack" in text_of(html)


async def test_the_callback_handlers_answer_with_the_pages_and_clear_the_state_cookie():
    settings = AsyncOAuthSettings(client_id="1.2", client_secret="s", scopes=["commands"], install_path="/go/install")
    options = callback_options()
    request = AsyncBoltRequest(body="", query="state=x", headers={})
    installation = Installation(app_id="A1", team_id="T1", team_name="Acme", user_id="U1")
    default = options
    ok = await options.success(
        AsyncSuccessArgs(request=request, installation=installation, settings=settings, default=default)
    )
    assert ok.status == 200 and "Webex is installed in Acme" in text_of(ok.body)
    failed = await options.failure(
        AsyncFailureArgs(
            request=request, reason="invalid_state", suggested_status_code=401, settings=settings, default=default
        )
    )
    assert failed.status == 401 and links_of(failed.body) == ["/go/install"]
    for answer in (ok, failed):
        assert "slack-app-oauth-state=deleted" in str(answer.headers["set-cookie"])
        assert answer.headers["content-type"] == ["text/html; charset=utf-8"]

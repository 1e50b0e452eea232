"""`webexbot doctor` against the Slack stand-in and the Webex simulator over real HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot.doctor import BOT_SCOPES, Check, run_checks
from bot.settings import Settings
from sandbox.slack import FakeSlack
from tests.conftest import stack_env
from webex.simulator import WebexSimulator, demo_site

ROOT = Path(__file__).parent.parent
CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+(?:Error|Exception|Timeout)\b")


@pytest.fixture
async def sites() -> AsyncIterator[tuple[WebexSimulator, FakeSlack]]:
    webex = WebexSimulator(demo_site())
    await webex.start()
    slack = FakeSlack()
    await slack.start()
    yield webex, slack
    await slack.stop()
    await webex.stop()


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def plain(checks: list[Check]) -> None:
    for check in checks:
        assert not CLASS_NAME.search(check.detail + check.fix), check
        assert "xoxb-test-token" not in check.detail + check.fix


async def test_everything_passes_and_no_database_file_is_created(sites, tmp_path: Path):
    webex, slack = sites
    db = tmp_path / "new.db"
    checks = await run_checks(Settings.from_env(stack_env(webex, slack, db)))
    assert all(c.ok for c in checks), checks
    assert "every scope" in by_name(checks)["slack scopes"].detail
    assert not db.exists() and list(tmp_path.iterdir()) == []


async def test_a_missing_scope_is_named_with_the_fix(sites, tmp_path: Path):
    webex, slack = sites
    slack.scopes = tuple(s for s in BOT_SCOPES if s != "users:read.email")
    checks = by_name(await run_checks(Settings.from_env(stack_env(webex, slack, tmp_path / "x.db"))))
    assert not checks["slack scopes"].ok
    assert "users:read.email" in checks["slack scopes"].detail and "reinstall" in checks["slack scopes"].fix


async def test_socket_mode_checks_the_app_token(sites, tmp_path: Path):
    webex, slack = sites
    good = Settings.from_env(stack_env(webex, slack, tmp_path / "x.db", SLACK_APP_TOKEN=slack.app_token))
    assert by_name(await run_checks(good))["slack app token"].ok
    bad = Settings.from_env(stack_env(webex, slack, tmp_path / "x.db", SLACK_APP_TOKEN="xapp-revoked"))
    check = by_name(await run_checks(bad))["slack app token"]
    assert not check.ok and "invalid_auth" in check.detail and "SLACK_APP_TOKEN" in check.fix


async def test_a_refused_connection_is_not_called_a_timeout(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": closed + "/api/",
        "WEBEX_SITE_URL": closed,
        "WEBEX_USER": "svc",
        "WEBEX_PASSWORD": "pw",
        "WEBEXBOT_DB": str(tmp_path / "missing-folder" / "x.db"),
    }
    checks = await run_checks(Settings.from_env(env))
    plain(checks)
    named = by_name(checks)
    for name in ("slack", "webex"):
        assert not named[name].ok and "refused the connection" in named[name].detail
        assert "in time" not in named[name].detail and "within" not in named[name].detail
    assert not named["database"].ok and "does not exist" in named["database"].detail
    assert not (tmp_path / "missing-folder").exists()


async def test_a_wrong_webex_password_says_so_in_plain_words(sites, tmp_path: Path):
    webex, slack = sites
    env = stack_env(webex, slack, tmp_path / "x.db", WEBEX_PASSWORD="wrong")
    checks = await run_checks(Settings.from_env(env))
    plain(checks)
    check = by_name(checks)["webex"]
    assert not check.ok and "rejected" in check.detail and "WEBEX_PASSWORD" in check.fix


def test_with_nothing_set_doctor_explains_the_two_modes(tmp_path: Path):
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "doctor"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )
    assert run.returncode == 2
    shown = " ".join(run.stdout.split())
    assert "Socket Mode" in shown and "SLACK_APP_TOKEN" in shown and "HTTP mode" in shown
    assert "SLACK_SIGNING_SECRET" in shown
    assert "set it in the environment" not in shown
    for name in ("SLACK_BOT_TOKEN", "WEBEX_SITE_URL", "WEBEX_USER", "WEBEX_PASSWORD"):
        assert f"fix: set {name} to" in shown
    assert list(tmp_path.iterdir()) == []


def test_the_scopes_checked_are_the_manifests():
    from sandbox.slack import BOT_SCOPES as STAND_IN_SCOPES

    manifest = yaml.safe_load((ROOT / "app_manifest.yaml").read_text())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES) == set(STAND_IN_SCOPES)


async def test_doctor_on_the_rest_api_checks_the_token_a_host_and_says_how_live_meetings_are_followed(tmp_path: Path):
    from tests.conftest import open_stack

    async with open_stack(tmp_path, api="rest") as stack:
        stack.bot.store.link("T0WEBEX", "U0ANA", "ana@example.com", "ana@example.com", "test", "U0ANA")
        env = stack_env(stack.webex, stack.slack, stack.db_path)
        checks = by_name(await run_checks(Settings.from_env(env)))
        assert checks["Webex REST token"].ok and checks["Webex acts for hosts"].ok
        assert "polling" in checks["live meetings"].detail
        bad = by_name(await run_checks(Settings.from_env({**env, "WEBEX_ACCESS_TOKEN": "not-a-token"})))
        token = bad["Webex REST token"]
        assert not token.ok and token.fix and "not-a-token" not in token.detail + token.fix

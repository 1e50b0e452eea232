from __future__ import annotations

import subprocess
import sys

import pytest

from bot.errors import message_for
from bot.settings import Settings, SettingsError
from commands.backend import BackendError, Problem

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1",
    "SLACK_SIGNING_SECRET": "s",
    "WEBEX_SITE_URL": "https://acme.webex.com",
    "WEBEX_USER": "svc",
    "WEBEX_PASSWORD": "pw",
}


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as failed:
        Settings.from_env({"PORT": "abc", "WEBEXBOT_DEFAULT_DURATION": "0", "WEBEX_SITE_URL": "ftp://x"})
    text = str(failed.value)
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "WEBEX_SITE_URL",
        "WEBEX_USER",
        "WEBEX_PASSWORD",
        "PORT",
        "WEBEXBOT_DEFAULT_DURATION",
    ):
        assert name in text
    assert len(failed.value.problems) == 7


def test_defaults_and_derived_values(tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text("from-file\n")
    env = {**GOOD, "WEBEX_PASSWORD_FILE": str(password_file), "WEBEXBOT_ADMINS": "U1, W2"}
    settings = Settings.from_env(env)
    assert settings.webex_site_name == "acme" and settings.webex_password == "from-file"
    assert settings.slack_api_url == "https://slack.com/api/" and settings.port == 3000
    assert settings.admins == frozenset({"U1", "W2"}) and settings.db_path == "./webexbot.db"
    assert not settings.socket_mode
    assert "pw" not in repr(settings) and "xoxb" not in repr(settings)


def test_socket_mode_needs_an_app_token():
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        Settings.from_env(GOOD, mode="socket")
    settings = Settings.from_env({**GOOD, "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode


def test_serving_processes_are_one_by_default_and_several_only_in_http_mode():
    assert Settings.from_env(GOOD).processes == 1
    assert Settings.from_env({**GOOD, "WEBEXBOT_PROCESSES": "4"}).processes == 4
    with pytest.raises(SettingsError, match="WEBEXBOT_PROCESSES"):
        Settings.from_env({**GOOD, "WEBEXBOT_PROCESSES": "0"})
    with pytest.raises(SettingsError, match="needs HTTP mode"):
        Settings.from_env({**GOOD, "WEBEXBOT_PROCESSES": "2", "SLACK_APP_TOKEN": "xapp-1"})


def test_the_work_runs_on_a_thread_by_default_or_in_a_worker_process():
    assert Settings.from_env(GOOD).worker == "auto"
    assert Settings.from_env({**GOOD, "WEBEXBOT_WORKER": "Process"}).worker == "process"
    with pytest.raises(SettingsError, match="WEBEXBOT_WORKER must be thread, process, auto, not 'fork'"):
        Settings.from_env({**GOOD, "WEBEXBOT_WORKER": "fork"})


def test_serve_exits_2_listing_the_problems():
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--http"], capture_output=True, text=True, env={"PATH": ""}
    )
    assert run.returncode == 2
    assert "SLACK_BOT_TOKEN is missing" in run.stderr and "WEBEX_USER is missing" in run.stderr


def test_unexpected_errors_get_a_reference_that_the_log_repeats(caplog):
    text = message_for(RuntimeError("boom"))
    reference = text.split("reference ")[1].split(")")[0]
    assert reference.startswith("E-") and "boom" not in text and "Traceback" not in text
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info is not None


def test_a_write_that_may_have_happened_says_to_check():
    text = message_for(BackendError(Problem.TIMEOUT, "detail", maybe_applied=True))
    assert "taking too long" in text and "/webex list" in text and "detail" not in text

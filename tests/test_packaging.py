"""The manifest and the Dockerfile say what the app needs and does."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def test_manifest_declares_the_command_scopes_and_socket_mode():
    manifest = yaml.safe_load((ROOT / "app_manifest.yaml").read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/webex" and command["should_escape"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "chat:write.public", "im:write", "users:read", "users:read.email"} <= scopes
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
    assert manifest["features"]["app_home"]["home_tab_enabled"]
    shortcuts = {(s["type"], s["callback_id"]) for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {("global", "meeting.start_now"), ("message", "schedule.from_message")}


def test_manifest_subscribes_to_the_uninstall_events_and_names_the_install_flows_redirect():
    from bot.oauth_mode import REDIRECT_PATH

    manifest = yaml.safe_load((ROOT / "app_manifest.yaml").read_text())
    assert {"app_uninstalled", "tokens_revoked"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert manifest["oauth_config"]["redirect_urls"] == [f"https://YOUR-HOST{REDIRECT_PATH}"]
    assert manifest["settings"]["token_rotation_enabled"] is False


def test_dockerfile_runs_serve_as_a_non_root_user_with_a_health_check():
    docker = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in docker and "USER webexbot" in docker
    assert 'CMD ["webexbot", "serve"]' in docker and "/healthz" in docker and 'VOLUME ["/data"]' in docker


def test_usage_hint_lists_every_sub_command():
    from commands.grammar import NAMES

    manifest = yaml.safe_load((ROOT / "app_manifest.yaml").read_text())
    [command] = manifest["features"]["slash_commands"]
    hint = command["usage_hint"].strip("[]")
    listed = {part.split()[0] for part in hint.split("|")}
    assert listed >= NAMES, NAMES - listed
    assert len(command["usage_hint"]) <= 1000


def test_the_health_check_works_in_both_modes():
    """Socket Mode serves GET /healthz on PORT too (tests/test_slack_socket_mode.py runs both)."""
    docker = (ROOT / "Dockerfile").read_text()
    check = next(line for line in docker.splitlines() if "urlopen" in line)
    assert "PORT" in check and "urlopen" in check

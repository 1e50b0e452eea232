"""Socket Mode: the same app, receiving a command over a websocket from the Slack stand-in."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx

from bot.app import build_bot
from bot.settings import Settings
from bot.socket_mode import socket_handler
from sandbox.slack import FakeSlack
from tests.conftest import ANA, slack_people, stack_env
from webex.simulator import WebexSimulator, demo_site


async def test_a_command_over_socket_mode_is_acknowledged_and_answered(tmp_path: Path):
    webex = WebexSimulator(demo_site())
    await webex.start()
    slack = FakeSlack()
    slack_people(slack)
    await slack.start()
    env = stack_env(webex, slack, tmp_path / "socket.db", SLACK_APP_TOKEN=slack.app_token)
    del env["SLACK_SIGNING_SECRET"]
    settings = Settings.from_env(env)
    assert settings.socket_mode
    bot = build_bot(settings)
    bot.store.link("T0WEBEX", ANA, "ana", "ana@example.com", "test", ANA)
    handler = socket_handler(bot)
    try:
        await handler.connect_async()
        envelope = await slack.socket_command(ANA, "schedule Socket check tomorrow at 10am")
        ack = await slack.wait_for(lambda: [a for a in slack.socket_acks if a.get("envelope_id") == envelope])
        assert ack[0]["envelope_id"] == envelope
        card = await slack.wait_for(lambda: [m for m in slack.messages if m.channel == "C0GENERAL"])
        assert "Socket check" in card[0].all_text()
        assert "createmeeting" in webex.operations()
        assert slack.calls_to("apps.connections.open")
    finally:
        await handler.close_async()
        await bot.aclose()
        await slack.stop()
        await webex.stop()


async def start_serve(env: dict[str, str], *args: str) -> tuple[asyncio.subprocess.Process, str]:
    """`webexbot serve` in its own process; returns it and the first line it prints."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        *args,
        env={**os.environ, **env, "PORT": "0", "WEBEXBOT_LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    return process, line


async def stop_serve(process: asyncio.subprocess.Process) -> str:
    process.terminate()
    _, errors = await asyncio.wait_for(process.communicate(), 20)
    return errors.decode()


async def test_socket_mode_serves_healthz_on_port_and_no_events(tmp_path: Path):
    webex = WebexSimulator(demo_site())
    await webex.start()
    slack = FakeSlack()
    await slack.start()
    env = stack_env(webex, slack, tmp_path / "socket.db", SLACK_APP_TOKEN=slack.app_token)
    del env["SLACK_SIGNING_SECRET"]
    process, line = await start_serve(env)
    try:
        assert "Socket Mode" in line, line
        health_url = line.split("health check at ", 1)[1].split()[0]
        async with httpx.AsyncClient(timeout=5) as http:
            health = await http.get(health_url)
            events = await http.post(health_url.replace("/healthz", "/slack/events"), content=b"x")
        assert health.status_code == 200 and health.json()["ok"] is True and health.json()["mode"] == "socket"
        assert events.status_code == 404
        await slack.wait_for(lambda: slack.calls_to("apps.connections.open"), timeout=10)
    finally:
        errors = await stop_serve(process)
        await slack.stop()
        await webex.stop()
    assert "Traceback" not in errors


async def test_http_mode_serves_healthz(tmp_path: Path):
    webex = WebexSimulator(demo_site())
    await webex.start()
    slack = FakeSlack()
    await slack.start()
    process, line = await start_serve(stack_env(webex, slack, tmp_path / "http.db"), "--host", "127.0.0.1")
    try:
        health_url = line.split("health check at ", 1)[1].split(")")[0]
        async with httpx.AsyncClient(timeout=5) as http:
            health = await http.get(health_url)
        assert health.status_code == 200 and health.json() == {"ok": True, "mode": "http"}
    finally:
        await stop_serve(process)
        await slack.stop()
        await webex.stop()


async def test_serve_starts_without_a_bolt_warning_about_the_token(tmp_path: Path):
    webex = WebexSimulator(demo_site())
    await webex.start()
    slack = FakeSlack()
    await slack.start()
    process, line = await start_serve(stack_env(webex, slack, tmp_path / "warn.db"), "--host", "127.0.0.1")
    try:
        assert "listening on" in line
    finally:
        errors = await stop_serve(process)
        await slack.stop()
        await webex.stop()
    assert "token" not in errors, errors

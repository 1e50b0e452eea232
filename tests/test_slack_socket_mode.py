"""Socket Mode: the same app, receiving a command over a websocket from the Slack stand-in."""

from __future__ import annotations

from pathlib import Path

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

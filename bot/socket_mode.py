"""Socket Mode: no public URL; Slack sends requests over a websocket the app opens."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from .app import Bot


def socket_handler(bot: Bot) -> AsyncSocketModeHandler:
    web_client = AsyncWebClient(token=bot.settings.slack_bot_token, base_url=bot.settings.slack_api_url)
    return AsyncSocketModeHandler(bot.app, app_token=bot.settings.slack_app_token, web_client=web_client)

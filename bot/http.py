"""HTTP mode: POST /slack/events (commands, interactivity, events) and GET /healthz."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from .app import Bot


def web_app(bot: Bot) -> web.Application:
    async def events(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_response = await bot.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    return app


class HttpServer:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "0.0.0.0", port: int = 3000) -> str:
        self._runner = web.AppRunner(web_app(self.bot), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        await self.bot.start_background()
        bound = self._runner.addresses[0][1]
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{bound}"
        return self.url

    async def stop(self) -> None:
        await self.bot.stop_background()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

"""A server that answers every request at once with an empty 200: what the load generator measures when the
app costs nothing (`bench/load.py --floor`)."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web


async def answer(request: web.Request) -> web.Response:
    await request.read()
    return web.Response()


async def serve() -> None:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"floor server at http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())

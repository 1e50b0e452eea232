"""Serving a simulator's aiohttp app, on the caller's event loop or from a background thread with its own
(for synchronous tests)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable

from aiohttp import web


class ThreadedServer:
    """A simulator gives its `app()`; this serves it with `start(host, port)` and `stop()` or
    `start_in_thread()` and `stop_thread()`, and lets slow handlers `hang()` until the client gives up or
    the server stops."""

    thread_name = "simulator"
    hang_seconds: float
    url: str = ""
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    def app(self) -> web.Application:
        raise NotImplementedError

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.url = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.url

    async def stop(self) -> None:
        if self._closing is not None:
            self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def serve(self, host: str, port: int, banner: Callable[[str], str]) -> None:
        """Serve until cancelled (Ctrl-C), first printing `banner(url)`."""
        url = await self.start(host, port)
        print(banner(url), flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    async def hang(self) -> web.Response:
        """No reply until `hang_seconds` have passed or the server stops; then a 504."""
        assert self._closing is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), timeout=self.hang_seconds)
        return web.Response(status=504, text="Gateway Timeout")

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve from a background thread with its own event loop; returns the base URL."""
        ready = threading.Event()
        loop = asyncio.new_event_loop()
        self._loop = loop

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start(host, port))
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name=self.thread_name, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the {self.thread_name} did not start")
        return self.url

    def stop_thread(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if self._closing is not None:
            loop.call_soon_threadsafe(self._closing.set)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._thread = None
        self._loop = None

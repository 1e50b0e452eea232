"""Serving a simulator from a background thread with its own event loop, for synchronous tests."""

from __future__ import annotations

import asyncio
import threading


class ThreadedServer:
    """A server with async `start(host, port)` and `stop()`, a `url`, and an optional `_closing` event that
    tells slow handlers to give up, gains `start_in_thread()` and `stop_thread()`."""

    thread_name = "simulator"
    url: str
    _closing: asyncio.Event | None
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

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

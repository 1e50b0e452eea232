"""One object per asyncio event loop, for what belongs to the loop it was made on (an aiohttp pool): code that
runs on two loops (the bot's ack loop and its work loop) asks for the one of the loop it runs on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: dict[asyncio.AbstractEventLoop, T] = {}

    def here(self) -> T:
        """The running loop's, made on first use."""
        loop = asyncio.get_running_loop()
        found = self._made.get(loop)
        if found is None:
            found = self._made[loop] = self._make()
        return found

    def forget_here(self) -> None:
        self._made.pop(asyncio.get_running_loop(), None)

    async def close_each(self, close: Callable[[T], Coroutine[Any, Any, object]]) -> None:
        """Close each on its own loop: this one here, another while it still runs (a closed loop took its own
        sockets with it)."""
        made, self._made = self._made, {}
        here = asyncio.get_running_loop()
        for loop, each in made.items():
            if loop is here:
                await close(each)
            elif loop.is_running():
                await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(close(each), loop))

"""The load generator: C workers, each with its own keep-alive connection to the app, opened and used once
before the clock starts. A worker is one person with one command outstanding: it writes the command, reads
the ack, waits for the reply on the response URL (as the Slack stand-in saw it arrive, told on the stand-in's one
stream of replies), then sends its next.

Each ack is timed from just before the request's bytes are written to the last byte of the answer (h11 over
asyncio streams, no client pool in between). Workers start spread over a ramp, and the first `warmup`
commands are sent and answered but not counted, so the generator's own start does not set the p99.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import h11

# A command to send: the form body, its headers, and the response_url id to wait on ("" for none).
Command = tuple[bytes, dict[str, str], str]
ACK_TIMEOUT_S = 60
REPLY_TIMEOUT_S = 30
WARM_TIMEOUT_S = 2


@dataclass
class Sample:
    sent: float  # time.monotonic() just before the request was written
    ack_ms: float
    completion_ms: float | None = None
    error: str = ""
    number: int = 0  # which command
    status: int = 0  # the ack's HTTP status (0: none came)

    @property
    def done(self) -> float:
        """When it completed (its reply reached the response URL), or was acked where no reply came."""
        return self.sent + (self.completion_ms if self.completion_ms is not None else self.ack_ms) / 1000


@dataclass
class LoadResult:
    samples: list[Sample] = field(default_factory=list)
    uncounted: list[Sample] = field(default_factory=list)  # the first request and the warm-up
    started: float = 0.0  # when the first counted command was sent
    finished: float = 0.0  # when the last counted command completed
    all_busy: float = 0.0  # when the last of the C workers started (the ramp is over)
    draining: float = 0.0  # when the first worker found no command left to send
    reconnects: int = 0
    unaccepted: int = 0  # connections the app did not answer before the clock started


class Connection:
    """One HTTP/1.1 keep-alive connection, reopened only if the server closes it."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path or "/"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.http = h11.Connection(h11.CLIENT)

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.http = h11.Connection(h11.CLIENT)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def encode(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
        fields = [("Host", f"{self.host}:{self.port}"), ("Content-Length", str(len(body))), *headers.items()]
        data = self.http.send(h11.Request(method=method, target=path, headers=fields))
        return data + self.http.send(h11.Data(data=body)) + self.http.send(h11.EndOfMessage())

    async def exchange(self, data: bytes) -> tuple[float, int, bytes]:
        """Writes one encoded request; returns when it was written (monotonic), the status and the body."""
        assert self.reader is not None and self.writer is not None
        sent = time.monotonic()
        self.writer.write(data)
        status, chunks = 0, []
        while True:
            event = self.http.next_event()
            if event is h11.NEED_DATA:
                self.http.receive_data(await self.reader.read(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                return sent, status, b"".join(chunks)

    async def ready(self) -> bool:
        """Ready for the next request; False if it had to be reopened."""
        if self.http.our_state is h11.DONE and self.http.their_state is h11.DONE:
            self.http.start_next_cycle()
            return True
        self.close()
        await self.open()
        return False

    async def warm(self, path: str, timeout: float) -> bool:
        """One GET answered on this connection; if the app does not answer in time (it has not accepted the
        connection), the connection is replaced by a fresh one, whose first command then waits its turn."""
        try:
            async with asyncio.timeout(timeout):
                await self.exchange(self.encode("GET", path, b"", {}))
        except (TimeoutError, ConnectionError, h11.RemoteProtocolError):
            self.close()
            await self.open()
            return False
        await self.ready()
        return True


async def open_warm(urls: list[str], count: int, warm_path: str) -> tuple[list[Connection], int]:
    """`count` connections, round robin over `urls` (replicas of the app), each opened and answered once
    (GET warm_path) before any command is timed; and how many of them the app did not take."""
    connections = [Connection(urls[k % len(urls)]) for k in range(count)]
    await asyncio.gather(*(c.open() for c in connections))
    warmed = await asyncio.gather(*(c.warm(warm_path, WARM_TIMEOUT_S) for c in connections))
    return connections, warmed.count(False)


@dataclass
class Load:
    """`commands` counted commands after `warmup` uncounted ones, `concurrency` at a time."""

    url: str | list[str]  # the app's POST address (of each replica: each worker keeps to one)
    make: Callable[[int], Command]  # the command numbered i, signed
    commands: int
    concurrency: int
    warmup: int
    ramp_s: float
    replies_url: str = ""  # the Slack stand-in's base; "" when there are no replies to wait for
    warm_path: str = "/healthz"
    ok: Callable[[str], str] = lambda reply: ""  # a reply's body as JSON text -> an error, or ""

    async def run(self) -> LoadResult:
        urls = [self.url] if isinstance(self.url, str) else self.url
        connections, unaccepted = await open_warm(urls, self.concurrency, self.warm_path)
        result = LoadResult(unaccepted=unaccepted)
        numbers = iter(range(1, 1 + self.warmup + self.commands))
        async with ReplyFeed.opened(self.replies_url) as replies:
            first = await self._one(connections[0], 0, replies)  # first-request costs (imports, caches) untimed
            result.uncounted.append(first)
            await connections[0].ready()
            ramp = self.ramp_s / self.concurrency
            await asyncio.gather(
                *(self._worker(c, k * ramp, numbers, replies, result) for k, c in enumerate(connections))
            )
        counted = result.samples
        result.started = min(s.sent for s in counted)
        result.finished = max(s.done for s in counted)
        return result

    async def _worker(
        self, connection: Connection, delay: float, numbers: Iterator[int], replies: ReplyFeed | None,
        result: LoadResult,
    ) -> None:
        await asyncio.sleep(delay)
        result.all_busy = max(result.all_busy, time.monotonic())
        for number in numbers:  # shared by all workers: each takes the next command
            sample = await self._one(connection, number, replies)
            if not await connection.ready():
                result.reconnects += 1
            (result.samples if number > self.warmup else result.uncounted).append(sample)
        result.draining = result.draining or time.monotonic()
        connection.close()  # lets an app at its connection limit take a waiting one

    async def _one(self, connection: Connection, number: int, replies: ReplyFeed | None) -> Sample:
        sample = await self._exchange(connection, number, replies)
        sample.number = number
        return sample

    async def _exchange(self, connection: Connection, number: int, replies: ReplyFeed | None) -> Sample:
        body, headers, reply_id = self.make(number)
        data = connection.encode("POST", connection.path, body, headers)
        began = time.monotonic()
        try:
            async with asyncio.timeout(ACK_TIMEOUT_S):
                sent, status, _ = await connection.exchange(data)
        except TimeoutError:  # the connection is mid-exchange, so ready() reopens it
            return Sample(began, (time.monotonic() - began) * 1000, error=f"no ack in {ACK_TIMEOUT_S} s")
        except (ConnectionError, h11.RemoteProtocolError) as error:
            return Sample(began, (time.monotonic() - began) * 1000, error=f"connection lost: {error}")
        sample = Sample(sent, (time.monotonic() - sent) * 1000, status=status)
        if status != 200:
            sample.error = f"HTTP {status}"
        elif reply_id and replies is not None:
            await self._completion(sample, reply_id, replies)
        return sample

    async def _completion(self, sample: Sample, reply_id: str, replies: ReplyFeed) -> None:
        try:
            reply = await replies.first(reply_id, REPLY_TIMEOUT_S)
        except TimeoutError:
            sample.error = f"no reply in {REPLY_TIMEOUT_S} s"
            return
        sample.completion_ms = (reply["at"] - sample.sent) * 1000  # both clocks are CLOCK_MONOTONIC
        sample.error = self.ok(json.dumps(reply["body"]))


class ReplyFeed:
    """The Slack stand-in's stream of first replies to response URLs (GET /_responses, one JSON line each), read
    in the background; a command's reply is awaited by its request id. One stream instead of a request per
    reply: the generator's own work would otherwise delay how soon it sees each ack."""

    def __init__(self, stream: aiohttp.ClientResponse) -> None:
        self._stream = stream
        self._arrived: dict[str, dict[str, Any]] = {}
        self._awaited: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._reading = asyncio.create_task(self._read())

    @classmethod
    @asynccontextmanager
    async def opened(cls, replies_url: str) -> AsyncIterator[ReplyFeed | None]:
        """The feed, subscribed before any command is sent; None without a stand-in to ask."""
        if not replies_url:
            yield None
            return
        async with aiohttp.ClientSession() as session, session.get(f"{replies_url}/_responses") as stream:
            feed = cls(stream)
            try:
                yield feed
            finally:
                feed._reading.cancel()

    async def first(self, request_id: str, timeout: float) -> dict[str, Any]:
        """{"at": when it reached the stand-in (time.monotonic), "body": the reply}."""
        if request_id in self._arrived:
            return self._arrived.pop(request_id)
        awaited = self._awaited[request_id] = asyncio.get_running_loop().create_future()
        try:
            return await asyncio.wait_for(awaited, timeout)
        finally:
            self._awaited.pop(request_id, None)

    async def _read(self) -> None:
        async for line in self._stream.content:
            reply = json.loads(line)
            awaited = self._awaited.pop(reply["id"], None)
            if awaited is not None and not awaited.done():
                awaited.set_result(reply)
            else:
                self._arrived[reply["id"]] = reply

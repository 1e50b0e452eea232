"""The load generator: C workers, each with its own keep-alive connection to the app, opened and used once
before the clock starts. A worker is one person with one command outstanding: it writes the command, reads
the ack, waits for the reply on the response URL (as the Slack stand-in saw it arrive), then sends its next.

Each ack is timed from just before the request's bytes are written to the last byte of the answer (h11 over
asyncio streams, no client pool in between). Workers start spread over a ramp, and the first `warmup`
commands are sent and answered but not counted, so the generator's own start does not set the p99.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
import h11

# A command to send: the form body, its headers, and the response_url id to wait on ("" for none).
Command = tuple[bytes, dict[str, str], str]
ACK_TIMEOUT_S = 60
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
        limit = aiohttp.TCPConnector(limit=self.concurrency)
        async with aiohttp.ClientSession(connector=limit, timeout=aiohttp.ClientTimeout(total=60)) as replies:
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
        self, connection: Connection, delay: float, numbers: Iterator[int], replies: aiohttp.ClientSession,
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

    async def _one(self, connection: Connection, number: int, replies: aiohttp.ClientSession) -> Sample:
        sample = await self._exchange(connection, number, replies)
        sample.number = number
        return sample

    async def _exchange(self, connection: Connection, number: int, replies: aiohttp.ClientSession) -> Sample:
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
        elif reply_id and self.replies_url:
            await self._completion(sample, reply_id, replies)
        return sample

    async def _completion(self, sample: Sample, reply_id: str, replies: aiohttp.ClientSession) -> None:
        async with replies.get(f"{self.replies_url}/_responses/{reply_id}") as awaited:
            reply = await awaited.json()
        if "error" in reply:
            sample.error = str(reply["error"])
            return
        sample.completion_ms = (reply["at"] - sample.sent) * 1000  # both clocks are CLOCK_MONOTONIC
        sample.error = self.ok(json.dumps(reply["body"]))

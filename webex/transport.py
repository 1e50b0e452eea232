"""What may have reached Webex when a call fails in transit, and reading a reply with a size cap.

httpx-aiohttp maps aiohttp's exceptions onto httpx's by class, and the map is coarse: a dropped
connection (ServerDisconnectedError), a reset (ClientOSError) and a refused connection
(ClientConnectorError) all arrive as httpx.ConnectTimeout, although only the last one is sure not
to have delivered the request. The aiohttp exception is kept as `__cause__`, so it decides:

    aiohttp cause                          httpx type        may have reached Webex
    ClientConnectorError (refused, DNS,    ConnectTimeout    no
      TLS, proxy)
    ConnectionTimeoutError (connect or     ConnectTimeout    no
      waiting for a pooled connection)
    ServerDisconnectedError                ConnectTimeout    yes (dropped after sending)
    ClientOSError, ClientConnectionResetError  ConnectTimeout  yes (reset while sending or reading)
    SocketTimeoutError (read timeout)      ReadTimeout       yes
    ClientPayloadError (cut-off body)      ReadError         yes
    any other aiohttp.ClientError          (not mapped)      yes

With httpx's own transport, ConnectError, ConnectTimeout and PoolTimeout are "not sent"; every
other transport error is "may have been sent".
"""

from __future__ import annotations

import aiohttp
import httpx

MAX_REPLY_BYTES = 8 * 1024 * 1024

_NOT_SENT_AIOHTTP = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
_NOT_SENT_HTTPX = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class ReplyTooLarge(Exception):
    """The reply's body is over the size we accept."""


def may_have_reached(error: Exception) -> bool:
    """Whether the request may have been delivered, so Webex may have acted on it."""
    cause = error if isinstance(error, aiohttp.ClientError) else error.__cause__
    if isinstance(cause, aiohttp.ClientError):
        return not isinstance(cause, _NOT_SENT_AIOHTTP)
    return not isinstance(error, _NOT_SENT_HTTPX)


def is_timeout(error: Exception) -> bool:
    """A timeout, as opposed to a refused, dropped or reset connection."""
    cause = error.__cause__ if isinstance(error, httpx.TransportError) else error
    if isinstance(cause, aiohttp.ClientError):
        return isinstance(cause, aiohttp.ServerTimeoutError)
    return isinstance(error, httpx.TimeoutException)


async def read_capped(response: httpx.Response, limit: int = MAX_REPLY_BYTES) -> bytes:
    """The (decoded) body of a streamed response; ReplyTooLarge as soon as it is over `limit`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ReplyTooLarge(f"{declared} bytes declared")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(f"over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)

"""Long lists split into pages, with the next page in an RFC 5988 `Link: <...>; rel="next"` header."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .context import site_of
from .errors import invalid

API_MAX = 100


def page_size(request: web.Request, default: int) -> int:
    raw = request.query.get("max", "")
    if not raw:
        wanted = default
    elif raw.isdigit() and int(raw) > 0:
        wanted = int(raw)
    else:
        raise invalid(f"'max' must be a positive integer, not '{raw}'.")
    return max(1, min(wanted, API_MAX, site_of(request).page_limit))


def paged(request: web.Request, items: list[dict[str, Any]], default_max: int) -> web.Response:
    """One page of `items` from the `offset` the previous page's Link named."""
    size = page_size(request, default_max)
    raw = request.query.get("offset", "0")
    offset = int(raw) if raw.isdigit() else 0
    response = web.json_response({"items": items[offset : offset + size]})
    if offset + size < len(items):
        following = request.url.update_query(offset=str(offset + size))
        base = site_of(request).url
        response.headers["Link"] = f'<{base}{following.path_qs}>; rel="next"'
    return response

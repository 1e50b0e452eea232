"""Paging by the `Link: <...>; rel="next"` header (RFC 8288), the only link the REST API guarantees."""

from __future__ import annotations

import httpx

MAX_PAGES = 1000  # a guard against a server that links pages in a circle


def next_page(response: httpx.Response, api_url: httpx.URL) -> httpx.URL | None:
    """The next page's URL, or None. A link to another host is a ValueError: the token must not go there."""
    link = response.links.get("next", {}).get("url")
    if not link:
        return None
    target = response.url.join(link)
    if (target.scheme, target.host, target.port) != (api_url.scheme, api_url.host, api_url.port):
        raise ValueError("the next page is on another host")
    return target

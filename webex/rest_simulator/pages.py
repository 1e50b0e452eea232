"""The simulator's own browser pages: start and join links, ending a meeting, the meeting's webLink page."""

from __future__ import annotations

import html

from aiohttp import web

from . import lifecycle
from .context import site_of


def routes(site_name: str) -> list[web.RouteDef]:
    base = f"/wbxmjs/joinservice/sites/{site_name}/meeting"
    return [
        web.get(f"{base}/start/{{ticket}}", start_page),
        web.get(f"{base}/download/{{ticket}}", join_page),
        web.get(f"{base}/end/{{instance}}", end_page),
        web.get(f"/{site_name}/j.php", info_page),
    ]


def page(title: str, ok: bool, *details: str, action: tuple[str, str] | None = None) -> web.Response:
    """A small HTML page; every piece of text is escaped."""
    items = "".join(f"<p>{html.escape(d)}</p>" for d in details)
    link = f"<p><a id='action' href='{html.escape(action[0])}'>{html.escape(action[1])}</a></p>" if action else ""
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Webex REST simulator</title>"
        "<style>body{font-family:sans-serif;margin:3em;max-width:40em}.ok{color:#0a7d32}.fail{color:#b3261e}</style>"
        f"</head><body><h1 class='{'ok' if ok else 'fail'}'>{html.escape(title)}</h1>{items}{link}</body></html>"
    )
    return web.Response(text=body, content_type="text/html", status=200 if ok else 403)


async def start_page(request: web.Request) -> web.Response:
    """A start link logs its holder in as the host and starts the meeting; it works once."""
    site = site_of(request)
    now = site.now()
    with site.state.lock:
        link = site.state.links.pop(request.match_info["ticket"], None)
        if link is None or link.kind != "start" or link.expires_at <= now or link.series_id not in site.state.series:
            return page("This start link is not valid or has expired", False)
        instance, new = lifecycle.start(site.state, link.series_id, link.occurrence_key, now)
        title = site.state.series[link.series_id].title
    if new:
        site.notify("started", instance.id)
    end = f"{request.path.rsplit('/start/', 1)[0]}/end/{instance.id}?key={instance.end_token}"
    return page(f"{title} has started", True, "You are the host.", action=(end, "End meeting"))


async def join_page(request: web.Request) -> web.Response:
    site = site_of(request)
    now = site.now()
    with site.state.lock:
        link = site.state.links.get(request.match_info["ticket"])
        if link is None or link.kind != "join" or link.expires_at <= now or link.series_id not in site.state.series:
            return page("This join link is not valid or has expired", False)
        title = site.state.series[link.series_id].title
        live = lifecycle.live_instance(site.state, link.series_id)
        if live is None or live.occurrence_key != link.occurrence_key:
            return page(f"{title} has not started yet", False, "Please wait for the host to start the meeting.")
        live.joined.append(link.display_name[:128])
    return page(f"{link.display_name} joined {title}", True)


async def end_page(request: web.Request) -> web.Response:
    site = site_of(request)
    with site.state.lock:
        instance = site.state.instances.get(request.match_info["instance"])
        if instance is None or request.query.get("key") != instance.end_token:
            return page("Only the host can end this meeting", False)
        ended = lifecycle.end(site.state, instance.id, site.now())
        title = site.state.series[instance.series_id].title
    if ended:
        site.notify("ended", instance.id)
    return page(f"{title} has ended", True)


async def info_page(request: web.Request) -> web.Response:
    site = site_of(request)
    token = request.query.get("MTID", "").removeprefix("m")
    with site.state.lock:
        series = next((s for s in site.state.series.values() if token and s.web_token == token), None)
        if series is None:
            return page("No such meeting", False)
        live = lifecycle.live_instance(site.state, series.id)
    status = "In progress" if live else "Not started"
    return page(series.title, True, f"Meeting number {series.meeting_number}", status)

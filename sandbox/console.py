"""A web console that looks like a Slack channel, on top of the Slack stand-in: people type commands,
click buttons and fill modals in a browser, and the console sends them to the bot signed, as Slack does."""

from __future__ import annotations

import uuid
from importlib.resources import files
from typing import Any

from aiohttp import web

from .slack import BOT_USER, FakeSlack, Message, SlackUser

CHANNELS = (("C0GENERAL", "general"), ("C0DESIGN", "design"), ("C0ADMIN", "webex-admin"))
ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Paris",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Australia/Sydney",
    "Pacific/Auckland",
)
STATIC = files("sandbox") / "static"
STATIC_TYPES = {"console.js": "application/javascript", "console.css": "text/css", "favicon.svg": "image/svg+xml"}


@web.middleware
async def same_site_json(request: web.Request, handler: Any) -> web.StreamResponse:
    """The console's POSTs must be JSON from its own page: a cross-site form or a page elsewhere is refused."""
    if request.method == "POST" and request.path.startswith("/console/"):
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="the console takes application/json")
        if request.headers.get("Origin") != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="cross-site request refused")
    return await handler(request)


class Console(FakeSlack):
    """The Slack stand-in plus a browser front end. `app_url` is where the bot listens."""

    app_url: str = ""

    def app(self) -> web.Application:
        app = super().app()
        app.middlewares.append(same_site_json)
        app.router.add_get("/", self._index)
        app.router.add_get("/favicon.ico", self._favicon)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/console/state", self._state)
        app.router.add_post("/console/send", self._send)
        app.router.add_post("/console/action", self._action)
        app.router.add_post("/console/submit", self._submit)
        app.router.add_post("/console/close", self._close)
        app.router.add_post("/console/home", self._home)
        app.router.add_post("/console/shortcut", self._shortcut)
        app.router.add_post("/console/zone", self._zone)
        return app

    async def _index(self, request: web.Request) -> web.Response:
        return web.Response(text=(STATIC / "index.html").read_text(), content_type="text/html")

    async def _static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC_TYPES:
            raise web.HTTPNotFound()
        return web.Response(text=(STATIC / name).read_text(), content_type=STATIC_TYPES[name])

    async def _favicon(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/static/favicon.svg")

    # -- what one person sees -------------------------------------------------------------------

    async def _state(self, request: web.Request) -> web.Response:
        user = request.query.get("user", "")
        channel = request.query.get("channel", "C0GENERAL")
        return web.json_response(self.seen_by(user, channel))

    def seen_by(self, user: str, channel: str) -> dict[str, Any]:
        entries: list[dict[str, Any]] = []
        for message in self.messages:
            if message.channel == channel:
                entries.append(self._entry(message, "message"))
        for message in self.ephemerals:
            if message.channel == channel and message.user == user:
                entries.append(self._entry(message, "ephemeral"))
        replaced: set[str] = set()
        for index, response in enumerate(self.responses):
            origin = self.origins.get(response.request_id, {})
            public = response.body.get("response_type") == "in_channel"
            if origin.get("channel") != channel or (origin.get("user") != user and not public):
                continue
            if response.body.get("replace_original") and origin.get("source"):
                replaced.add(origin["source"])
            entries.append(
                {
                    "id": f"r{index}",
                    "ts": f"{response.at:.6f}",
                    "author": BOT_USER,
                    "text": response.body.get("text", ""),
                    "blocks": response.body.get("blocks") or [],
                    "ephemeral": not public,
                    "at": response.at,
                }
            )
        entries = [e for e in entries if e["id"] not in replaced and e.get("ts") not in replaced]
        entries.sort(key=lambda e: e["at"])
        modal = next(
            (v for v in reversed(list(self.views.values())) if v.get("user") == user and not v.get("closed")), None
        )
        return {
            "me": user,
            "channel": channel,
            "users": [{"id": u.id, "name": u.name, "tz": u.tz} for u in self.users.values()],
            "channels": [{"id": c, "name": n} for c, n in CHANNELS] + [{"id": "D" + user[1:], "name": "Webex (DM)"}],
            "zones": list(ZONES),
            "messages": entries,
            "modal": modal,
            "home": self.homes.get(user),
        }

    @staticmethod
    def _entry(message: Message, kind: str) -> dict[str, Any]:
        return {
            "id": message.ts,
            "ts": message.ts,
            "author": message.author or BOT_USER,
            "text": message.text,
            "blocks": message.blocks,
            "ephemeral": kind == "ephemeral",
            "thread_ts": message.thread_ts,
            "at": message.at,
        }

    # -- what one person does -------------------------------------------------------------------

    async def _send(self, request: web.Request) -> web.Response:
        given = await request.json()
        user, channel, text = given["user"], given["channel"], given["text"].strip()
        if text.startswith("/webex"):
            form, _ = self.command_form(user, text.removeprefix("/webex").strip(), channel=channel)
            reply = await self.post_form(self.app_url, form)
            if reply.content:
                self.ephemerals.append(
                    Message(
                        channel,
                        self._next_ts(),
                        reply.json().get("text", ""),
                        reply.json().get("blocks") or [],
                        user=user,
                    )
                )
            return web.json_response({"status": reply.status_code})
        self.messages.append(Message(channel, self._next_ts(), text, [], author=user))
        return web.json_response({"status": 200})

    async def _action(self, request: web.Request) -> web.Response:
        given = await request.json()
        payload, _ = self.action_payload(
            given["user"],
            given["action_id"],
            given.get("value", ""),
            channel=given.get("channel", ""),
            message_ts=given.get("message_ts", ""),
            ephemeral=bool(given.get("ephemeral")),
        )
        if given.get("selected_option"):
            payload["actions"][0]["selected_option"] = given["selected_option"]
            payload["actions"][0]["type"] = "overflow"
        if given.get("from_home"):
            for name in ("response_url", "channel", "message"):
                payload.pop(name, None)
            payload["container"] = {"type": "view", "view_id": "H" + given["user"]}
        reply = await self.send_payload(self.app_url, payload)
        return web.json_response({"status": reply.status_code})

    async def _submit(self, request: web.Request) -> web.Response:
        given = await request.json()
        view_id = given["view_id"]
        reply = await self.send_payload(self.app_url, self.submission_payload(given["user"], view_id, given["values"]))
        answer = reply.json() if reply.content else {}
        if answer.get("response_action") == "update":  # the modal becomes the view the app answered with
            shown = self.views[view_id]
            self.views[view_id] = {**answer["view"], "id": view_id, "hash": uuid.uuid4().hex, "user": shown["user"]}
        elif answer.get("response_action") != "errors":
            self.views[view_id]["closed"] = True
        return web.json_response({"status": reply.status_code, "answer": answer})

    async def _close(self, request: web.Request) -> web.Response:
        given = await request.json()
        if given.get("view_id") in self.views:
            self.views[given["view_id"]]["closed"] = True
        return web.json_response({"ok": True})

    async def _home(self, request: web.Request) -> web.Response:
        given = await request.json()
        reply = await self.home_opened(self.app_url, given["user"])
        return web.json_response({"status": reply.status_code})

    async def _shortcut(self, request: web.Request) -> web.Response:
        given = await request.json()
        message = None
        if given.get("message_ts"):
            found = next((m for m in self.messages if m.ts == given["message_ts"]), None)
            if found is not None:
                message = {"type": "message", "user": found.author, "ts": found.ts, "text": found.text}
        payload = self.shortcut_payload(
            given["user"], given["callback_id"], message=message, channel=given.get("channel", "C0GENERAL")
        )
        reply = await self.send_payload(self.app_url, payload)
        return web.json_response({"status": reply.status_code})

    async def _zone(self, request: web.Request) -> web.Response:
        given = await request.json()
        if given["tz"] in ZONES and given["user"] in self.users:
            self.users[given["user"]].tz = given["tz"]
        return web.json_response({"ok": True})


def demo_people() -> list[SlackUser]:
    """Four people linked to the demo site's hosts, and one with no Webex account."""
    return [
        SlackUser("U0ANA", "Ana Lima", "ana@example.com", tz="America/New_York"),
        SlackUser("U0BEN", "Ben Okafor", "ben@example.com", tz="Europe/London", locale="en-GB"),
        SlackUser("U0CHEN", "Chen Wei", "chen@example.com", tz="Asia/Shanghai"),
        SlackUser("U0DARA", "Dara Singh", "dara@example.com", tz="Asia/Kolkata", locale="en-IN"),
        SlackUser("U0EVE", "Eve Stone", "eve@elsewhere.org", tz="Europe/Paris", locale="fr-FR"),
    ]

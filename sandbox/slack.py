"""A stand-in for Slack: the Web API methods the bot calls, response_url targets, a Socket Mode
websocket, and the platform side that sends signed commands and button clicks to the app."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from aiohttp import BasicAuth, WSMsgType, web
from slack_sdk.signature import SignatureVerifier

from .slack_faults import RESPONSE_URL, SlackFault, SlackFaultKind, SlackFaults, fault_reply
from .slack_scheduled import ScheduledMessage, in_range, post_time
from .slack_teams import TeamContext

TEAM_ID = "T0WEBEX"
BOT_USER = "U0BOT"
# The bot scopes of app_manifest.yaml; Web API replies name them in an x-oauth-scopes header, as Slack does.
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "im:write", "users:read", "users:read.email")
APP_SCOPES = ("connections:write",)


@dataclass
class SlackUser:
    id: str
    name: str
    email: str | None
    tz: str = "America/New_York"
    locale: str = "en-US"
    is_admin: bool = False
    team_id: str = TEAM_ID

    def as_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name.lower().split()[0],
            "real_name": self.name,
            "tz": self.tz,
            "locale": self.locale,
            "is_admin": self.is_admin,
            "is_owner": False,
            "profile": {"real_name": self.name, "display_name": self.name, "email": self.email},
        }


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    fault: str = ""  # the injected fault it was answered with, if any
    token: str = ""  # the token it carried (Bearer header or `token` parameter)


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str | None = None  # for ephemeral messages: who sees it
    thread_ts: str | None = None
    edits: int = 0
    author: str = ""  # who wrote it; "" is the bot
    at: float = field(default_factory=time.monotonic)

    def all_text(self) -> str:
        return self.text + " " + json.dumps(self.blocks, ensure_ascii=False)


@dataclass
class Response:
    """A POST to a response_url."""

    request_id: str
    body: dict[str, Any]
    at: float

    @property
    def ephemeral(self) -> bool:
        return self.body.get("response_type", "ephemeral") != "in_channel"

    def all_text(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)


@dataclass
class FakeSlack:
    signing_secret: str = "test-signing-secret"
    bot_token: str = "xoxb-test-token"
    app_token: str = "xapp-test-token"
    users: dict[str, SlackUser] = field(default_factory=dict)
    closed_channels: set[str] = field(default_factory=set)  # chat.postMessage answers not_in_channel
    calls: list[Call] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    ephemerals: list[Message] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # view id -> the view as last opened or updated
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id -> the published Home tab
    expired_triggers: set[str] = field(default_factory=set)
    scheduled: list[ScheduledMessage] = field(default_factory=list)  # every one, with its state
    scopes: tuple[str, ...] = BOT_SCOPES  # what the bot token is granted (x-oauth-scopes)
    clock: Callable[[], float] = time.time  # "now" for chat.scheduleMessage's checks
    url: str = ""

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Event()
        self._awaited: dict[str, asyncio.Future[Response]] = {}
        self._responses_by_id: dict[str, list[Response]] = {}  # `responses` by request: a load run asks per reply
        self._feeds: list[asyncio.Queue[Response | None]] = []  # GET /_responses streams (None: the end)
        self.triggers: dict[str, str] = {}  # trigger_id -> the user who caused it
        self.origins: dict[str, dict[str, Any]] = {}  # response_url id -> {user, channel, source}
        self.faults = SlackFaults()
        self._closing = asyncio.Event()
        self._caller = ""  # the token of the Web API call being answered (handlers do not await)

    def fail_next(
        self,
        method: str,
        kind: SlackFaultKind | str,
        count: int = 1,
        *,
        error: str = "internal_error",
        seconds: float = 5.0,
        retry_after: int = 1,
    ) -> None:
        """Answer the next `count` calls of a Web API method (or RESPONSE_URL: posts to any response URL)
        with a fault instead of doing them: `error` (ok:false with `error`; "ratelimited" is HTTP 429 with
        Retry-After), `http_500_text`, `html` (HTTP 502) or `hang` (no reply for `seconds`)."""
        self.faults.add(SlackFault(SlackFaultKind(kind), method, error, seconds, retry_after), count)

    def add_user(self, user: SlackUser) -> SlackUser:
        self.users[user.id] = user
        return user

    # -- serving -----------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._web_api)
        app.router.add_post("/response/{request_id}", self._response_url)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/_responses/{request_id}", self._awaited_response)
        app.router.add_get("/_responses", self._response_feed)
        return app

    async def _awaited_response(self, request: web.Request) -> web.Response:
        """Waits for the first reply to one response_url; says when it arrived (time.monotonic), for a
        load generator in another process."""
        try:
            response = await self.first_response(request.match_info["request_id"], timeout=30)
        except TimeoutError:
            return web.json_response({"error": "no reply"}, status=404)
        return web.json_response({"at": response.at, "body": response.body})

    async def _response_feed(self, request: web.Request) -> web.StreamResponse:
        """One JSON line for the first reply to each response_url from now on ({"id", "at", "body"}): a load
        generator's one stream, where a request per reply would cost it and this stand-in more than the app."""
        feed: asyncio.Queue[Response | None] = asyncio.Queue()
        self._feeds.append(feed)
        stream = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        try:
            await stream.prepare(request)
            ended = False
            while not ended:
                replies = [await feed.get()]
                while not feed.empty():
                    replies.append(feed.get_nowait())
                ended = None in replies
                await stream.write(b"".join(_feed_line(reply) for reply in replies if reply is not None))
        finally:
            self._feeds.remove(feed)
        return stream

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.url = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.url

    async def stop(self) -> None:
        self._closing.set()
        for feed in self._feeds:
            feed.put_nowait(None)
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _web_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        for name in ("blocks", "attachments"):
            if isinstance(params.get(name), str):
                params[name] = json.loads(params[name])
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Basic "):  # oauth.v2.access: the app's client id and secret
            basic = BasicAuth.decode(authorization)
            params.update(client_id=basic.login, client_secret=basic.password)
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else ""
        call = Call(method, params, time.monotonic(), token=token or str(params.get("token", "")))
        self.calls.append(call)
        fault = self.faults.take(method)
        if fault is not None:
            call.fault = fault.kind.value
            self._notify()
            return await fault_reply(fault, self._closing, web_api=True)
        refused = self._refusal(method, call.token)
        if refused:
            return web.json_response({"ok": False, "error": refused})
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        self._caller = call.token
        reply = handler(params) if handler else {"ok": False, "error": "unknown_method"}
        self._notify()
        scopes = self._granted_scopes(method, call.token)
        return web.json_response(reply, headers={"x-oauth-scopes": ",".join(scopes)})

    def _refusal(self, method: str, token: str) -> str | None:
        """The error a call with this token gets before it is carried out, if any (a hook for several workspaces)."""
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        return None if token == expected else "invalid_auth"

    def _granted_scopes(self, method: str, token: str) -> tuple[str, ...]:
        return APP_SCOPES if method == "apps.connections.open" else self.scopes

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://webex-test.slack.com/",
            "team": "Webex test",
            "team_id": TEAM_ID,
            "user": "webexbot",
            "user_id": BOT_USER,
            "bot_id": "B0BOT",
        }

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        return {"ok": True, "user": user.as_api()} if user else {"ok": False, "error": "user_not_found"}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", "")).split(",")
        return {"ok": True, "channel": {"id": "D" + users[0][1:]}}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel"))
        if channel in self.closed_channels:
            return {"ok": False, "error": "not_in_channel"}
        message = self._post(channel, str(params.get("text", "")), params.get("blocks") or [], params.get("thread_ts"))
        return {"ok": True, "channel": channel, "ts": message.ts, "message": {"ts": message.ts}}

    def _post(self, channel: str, text: str, blocks: list[dict[str, Any]], thread_ts: str | None) -> Message:
        message = Message(channel, self._next_ts(), text, blocks, thread_ts=thread_ts)
        self.messages.append(message)
        return message

    # -- scheduled messages ------------------------------------------------------------------

    def _api_chat_scheduleMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if channel in self.closed_channels:
            return {"ok": False, "error": "not_in_channel"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        now = self.clock()
        post_at = post_time(params.get("post_at"), now)
        if isinstance(post_at, str):
            return {"ok": False, "error": post_at}
        text, blocks = str(params.get("text", "")), params.get("blocks") or []
        scheduled = ScheduledMessage(channel, post_at, text, blocks, int(now), params.get("thread_ts"))
        self.scheduled.append(scheduled)
        return {
            "ok": True,
            "channel": channel,
            "scheduled_message_id": scheduled.id,
            "post_at": post_at,
            "message": {"type": "delayed_message", "bot_id": "B0BOT", "user": BOT_USER, "text": text, "blocks": blocks},
        }

    def _api_chat_deleteScheduledMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        for scheduled in self.pending_scheduled():
            if scheduled.id == params.get("scheduled_message_id") and scheduled.channel == params.get("channel"):
                scheduled.state = "deleted"
                return {"ok": True}
        return {"ok": False, "error": "invalid_scheduled_message_id"}

    def _api_chat_scheduledMessages_list(self, params: dict[str, Any]) -> dict[str, Any]:
        found = sorted((s for s in self.scheduled if in_range(s, params)), key=lambda s: s.post_at)
        return {"ok": True, "scheduled_messages": [s.as_api() for s in found], "response_metadata": {"next_cursor": ""}}

    def pending_scheduled(self) -> list[ScheduledMessage]:
        return [s for s in self.scheduled if s.state == "pending"]

    def deliver_due(self, now: float | None = None) -> int:
        """Post every scheduled message whose time has come (by `now`, else the stand-in's clock) as an
        ordinary message; returns how many were posted."""
        moment = self.clock() if now is None else now
        due = sorted((s for s in self.pending_scheduled() if s.post_at <= moment), key=lambda s: s.post_at)
        for scheduled in due:
            posted = self._post(scheduled.channel, scheduled.text, scheduled.blocks, scheduled.thread_ts)
            scheduled.posted_ts = posted.ts
            scheduled.state = "posted"
        if due:
            self._notify()
        return len(due)

    async def deliver_scheduled_forever(self, interval: float = 1.0) -> None:
        """Deliver scheduled messages in real time (the demo runs this as a task)."""
        while True:
            self.deliver_due()
            await asyncio.sleep(interval)

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        message = Message(
            str(params.get("channel")),
            self._next_ts(),
            str(params.get("text", "")),
            params.get("blocks") or [],
            user=str(params.get("user")),
        )
        self.ephemerals.append(message)
        return {"ok": True, "message_ts": message.ts}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        for message in self.messages:
            if message.channel == params.get("channel") and message.ts == params.get("ts"):
                message.text = str(params.get("text", message.text))
                message.blocks = params.get("blocks") or message.blocks
                message.edits += 1
                return {"ok": True, "channel": message.channel, "ts": message.ts}
        return {"ok": False, "error": "message_not_found"}

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("trigger_id") in self.expired_triggers:
            return {"ok": False, "error": "expired_trigger_id"}
        view = _json(params.get("view"))
        view_id = f"V{next(self._ts):08d}"
        user = self.triggers.get(str(params.get("trigger_id")), "")
        self.views[view_id] = {**view, "id": view_id, "hash": uuid.uuid4().hex, "user": user}
        return {"ok": True, "view": self.views[view_id]}

    def _api_views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = str(params.get("view_id", ""))
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        user = self.views[view_id].get("user", "")
        self.views[view_id] = {**_json(params.get("view")), "id": view_id, "hash": uuid.uuid4().hex, "user": user}
        return {"ok": True, "view": self.views[view_id]}

    def _api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user_id"))
        self.homes[user_id] = _json(params.get("view"))
        return {"ok": True, "view": {**self.homes[user_id], "id": f"H{user_id}"}}

    def _api_apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.url.replace("http", "ws", 1) + "/socket"}

    async def _response_url(self, request: web.Request) -> web.Response:
        fault = self.faults.take(RESPONSE_URL)
        if fault is not None:  # recorded in `calls` (method RESPONSE_URL), since `responses` holds what arrived
            body = {"request_id": request.match_info["request_id"], "body": await request.text()}
            self.calls.append(Call(RESPONSE_URL, body, time.monotonic(), fault.kind.value))
            self._notify()
            return await fault_reply(fault, self._closing, web_api=False)
        response = Response(request.match_info["request_id"], await request.json(), time.monotonic())
        self.responses.append(response)
        earlier = self._responses_by_id.setdefault(response.request_id, [])
        earlier.append(response)
        if len(earlier) == 1:
            for feed in self._feeds:
                feed.put_nowait(response)
        awaited = self._awaited.pop(response.request_id, None)
        if awaited is not None and not awaited.done():
            awaited.set_result(response)
        self._notify()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._notify()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(frame.data))
                self._notify()
        self._sockets.remove(socket)
        return socket

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    # -- the platform side: what users do ---------------------------------------------------

    def team_context(self, user_id: str) -> TeamContext:
        """The team a user's requests come from (one team here; slack_workspaces serves several)."""
        return TeamContext(TEAM_ID, "webex-test", BOT_USER)

    def _actor_fields(self, user_id: str) -> dict[str, Any]:
        team = self.team_context(user_id)
        return {**team.payload_fields(), "user": {"id": user_id, "username": user_id, "team_id": team.id}}

    def _trigger(self, user_id: str) -> str:
        trigger = uuid.uuid4().hex
        self.triggers[trigger] = user_id
        return trigger

    def command_form(
        self, user_id: str, text: str, channel: str = "C0GENERAL", trigger_id: str | None = None
    ) -> tuple[dict[str, str], str]:
        request_id = uuid.uuid4().hex
        self.origins[request_id] = {"user": user_id, "channel": channel, "source": ""}
        form = {
            "token": "unused",
            **self.team_context(user_id).form_fields(),
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": self.users[user_id].name if user_id in self.users else user_id,
            "command": "/webex",
            "text": text,
            "api_app_id": "A0WEBEX",
            "response_url": f"{self.url}/response/{request_id}",
            "trigger_id": trigger_id or self._trigger(user_id),
        }
        if trigger_id:
            self.triggers[trigger_id] = user_id
        return form, request_id

    def action_payload(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        channel: str = "C0GENERAL",
        message_ts: str = "",
        ephemeral: bool = False,
    ) -> tuple[dict[str, Any], str]:
        request_id = uuid.uuid4().hex
        self.origins[request_id] = {"user": user_id, "channel": channel, "source": message_ts if ephemeral else ""}
        payload = {
            "type": "block_actions",
            **self._actor_fields(user_id),
            "api_app_id": "A0WEBEX",
            "token": "unused",
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": self._trigger(user_id),
            "channel": {"id": channel, "name": "general"},
            "message": {"ts": message_ts, "type": "message"},
            "response_url": f"{self.url}/response/{request_id}",
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return payload, request_id

    def shortcut_payload(
        self, user_id: str, callback_id: str, *, message: dict[str, Any] | None = None, channel: str = "C0GENERAL"
    ) -> dict[str, Any]:
        """A global shortcut, or with `message` a message shortcut on that message."""
        payload: dict[str, Any] = {
            "type": "message_action" if message else "shortcut",
            "callback_id": callback_id,
            **self._actor_fields(user_id),
            "api_app_id": "A0WEBEX",
            "token": "unused",
            "trigger_id": self._trigger(user_id),
            "action_ts": f"{time.time():.6f}",
        }
        if message:
            payload.update(
                {
                    "channel": {"id": channel, "name": "general"},
                    "message": message,
                    "message_ts": message.get("ts"),
                    "response_url": f"{self.url}/response/{uuid.uuid4().hex}",
                }
            )
        return payload

    def submission_payload(self, user_id: str, view_id: str, values: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """A view_submission of an open modal with these state values ({block_id: {action_id: value}})."""
        view = self.views[view_id]
        return {
            "type": "view_submission",
            **self._actor_fields(user_id),
            "api_app_id": "A0WEBEX",
            "token": "unused",
            "trigger_id": self._trigger(user_id),
            "view": {**view, "state": {"values": values}},
        }

    async def send_payload(self, app_url: str, payload: dict[str, Any]) -> httpx.Response:
        return await self.post_form(app_url, {"payload": json.dumps(payload)})

    async def home_opened(self, app_url: str, user_id: str) -> httpx.Response:
        body = json.dumps(
            {
                "token": "unused",
                **self.team_context(user_id).event_fields(),
                "api_app_id": "A0WEBEX",
                "type": "event_callback",
                "event_id": "Ev" + uuid.uuid4().hex[:10],
                "event_time": int(time.time()),
                "event": {
                    "type": "app_home_opened",
                    "user": user_id,
                    "channel": "D" + user_id[1:],
                    "tab": "home",
                    "event_ts": f"{time.time():.6f}",
                },
            }
        )
        headers = {**self.signed(body), "Content-Type": "application/json"}
        async with httpx.AsyncClient(timeout=10) as http:
            return await http.post(f"{app_url}/slack/events", content=body, headers=headers)

    def signed(self, body: str, *, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret or self.signing_secret).generate_signature(timestamp=stamp, body=body)
        return {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or "",
            "Content-Type": "application/x-www-form-urlencoded",
        }

    async def post_form(self, app_url: str, form: dict[str, str], **sign: Any) -> httpx.Response:
        body = urlencode(form)
        async with httpx.AsyncClient(timeout=10) as http:
            return await http.post(f"{app_url}/slack/events", content=body, headers=self.signed(body, **sign))

    async def command(self, app_url: str, user_id: str, text: str, **options: Any) -> tuple[httpx.Response, str]:
        """Send `/webex text` as Slack would; returns the HTTP reply and the response_url's id."""
        form, request_id = self.command_form(user_id, text, **options)
        return await self.post_form(app_url, form), request_id

    async def click(
        self, app_url: str, user_id: str, action_id: str, value: str, **options: Any
    ) -> tuple[httpx.Response, str]:
        payload, request_id = self.action_payload(user_id, action_id, value, **options)
        return await self.post_form(app_url, {"payload": json.dumps(payload)}), request_id

    async def socket_command(self, user_id: str, text: str) -> str:
        """Send `/webex text` over the Socket Mode connection; returns the envelope id."""
        form, _ = self.command_form(user_id, text)
        envelope_id = uuid.uuid4().hex
        await self.wait_for(lambda: self._sockets[-1] if self._sockets else None)
        await self._sockets[-1].send_json(
            {"envelope_id": envelope_id, "type": "slash_commands", "payload": form, "accepts_response_payload": True}
        )
        return envelope_id

    async def wait_for(self, found: Callable[[], Any], timeout: float = 2.0) -> Any:
        """The first truthy value of `found()`, checked whenever the stand-in sees traffic."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = found()
            if value:
                return value
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError("the expected Slack traffic did not arrive in time")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout=min(remaining, 0.2))

    async def first_response(self, request_id: str, timeout: float = 2.0) -> Response:
        """The first reply posted to this request's response_url (cheap to await many at once)."""
        earlier = self.responses_to(request_id)
        if earlier:
            return earlier[0]
        awaited = self._awaited.setdefault(request_id, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(awaited, timeout)

    def responses_to(self, request_id: str) -> list[Response]:
        return list(self._responses_by_id.get(request_id, ()))

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]


def _feed_line(reply: Response) -> bytes:
    return json.dumps({"id": reply.request_id, "at": reply.at, "body": reply.body}).encode() + b"\n"


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def main() -> None:
    """Serve the stand-in alone: `python -m sandbox.slack --port 0 --users users.json`."""
    import argparse

    parser = argparse.ArgumentParser(description="A Slack stand-in (Web API, response URLs, Socket Mode)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--users", help="a JSON list of {id, name, email, tz, locale}")
    args = parser.parse_args()
    slack = FakeSlack()
    if args.users:
        with open(args.users) as handle:
            for user in json.load(handle):
                slack.add_user(SlackUser(**user))

    async def serve() -> None:
        url = await slack.start(port=args.port)
        print(f"Slack stand-in at {url}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()

"""The Slack stand-in serving several workspaces and Enterprise Grid organizations, each installation with
its own tokens: `auth.test` per token, the OAuth v2 install flow (an authorize page and `oauth.v2.access`,
with token rotation when it is on), and the uninstall events. Every Web API call records the token it
carried, so a test can check that a workspace's work used that workspace's token."""

from __future__ import annotations

import itertools
import json
import secrets
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from aiohttp import web

from .slack import BOT_USER, TEAM_ID, Call, FakeSlack
from .slack_install import TARGET_COOKIE, Installed, browser_install, consent_cookie
from .slack_teams import TeamContext

CODE_LIFETIME = 600  # how long an OAuth code may be exchanged


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    bot_user: str
    bot_id: str
    enterprise_id: str | None = None

    @property
    def domain(self) -> str:
        return self.name.lower().replace(" ", "-")


@dataclass
class Organization:
    """An Enterprise Grid organization; an org-wide installation serves all its workspaces."""

    id: str
    name: str
    bot_user: str
    bot_id: str
    teams: list[str] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return self.name.lower().replace(" ", "-")


@dataclass
class Grant:
    """A token Slack issued for one installation (a workspace's, or an organization's when org-wide)."""

    token: str
    kind: str  # "bot" or "user"
    user_id: str  # the bot user, or the user who authorized
    scopes: tuple[str, ...]
    team_id: str | None  # None for an org-wide installation
    enterprise_id: str | None = None
    enterprise_install: bool = False
    expires_at: float | None = None
    refresh_token: str | None = None
    state: str = "active"  # "revoked" by tokens_revoked, "deleted" by an uninstall

    @property
    def installation(self) -> str:
        """The team id, or the organization's id for an org-wide installation."""
        return (self.enterprise_id if self.enterprise_install else self.team_id) or ""


@dataclass
class PendingCode:
    target: str
    installer: str
    scopes: tuple[str, ...]
    user_scopes: tuple[str, ...]
    redirect_uri: str | None  # as given to the authorize page; oauth.v2.access must repeat it
    issued_at: float


@dataclass
class MultiSlack(FakeSlack):
    client_id: str = "1111.2222"
    client_secret: str = "test-client-secret"
    app_id: str = "A0WEBEX"
    token_rotation: bool = False
    token_lifetime: int = 12 * 3600  # expires_in of rotating tokens, as Slack gives them
    redirect_urls: list[str] = field(default_factory=list)  # the app's configured redirect URLs
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)  # token -> grant
    channel_teams: dict[str, str] = field(default_factory=dict)  # channel -> its workspace, for `misrouted`

    def __post_init__(self) -> None:
        super().__post_init__()
        self._serial = itertools.count(1)
        self._codes: dict[str, PendingCode] = {}
        self._refresh: dict[str, Grant] = {}  # refresh token -> the grant it renews
        self.add_workspace(TEAM_ID, "Webex test", bot_user=BOT_USER, bot_id="B0BOT")
        self.grants[self.bot_token] = Grant(self.bot_token, "bot", BOT_USER, self.scopes, TEAM_ID)

    # -- the world: workspaces, organizations, tokens ------------------------------------------

    def add_workspace(
        self, team_id: str, name: str, *, enterprise_id: str | None = None, bot_user: str = "", bot_id: str = ""
    ) -> Workspace:
        suffix = team_id[1:]
        workspace = Workspace(team_id, name, bot_user or f"U{suffix}BOT", bot_id or f"B{suffix}", enterprise_id)
        self.workspaces[team_id] = workspace
        return workspace

    def add_organization(self, enterprise_id: str, name: str, teams: Sequence[tuple[str, str]]) -> Organization:
        """An Enterprise Grid organization with these (team id, name) workspaces."""
        suffix = enterprise_id[1:]
        org = Organization(enterprise_id, name, f"W{suffix}BOT", f"B{suffix}")
        for team_id, team_name in teams:
            self.add_workspace(team_id, team_name, enterprise_id=enterprise_id)
            org.teams.append(team_id)
        self.organizations[enterprise_id] = org
        return org

    def issue(self, target: str, *, kind: str = "bot", user_id: str = "", scopes: Sequence[str] = ()) -> Grant:
        """A new token for the installation in `target` (a team id, or an organization's for org-wide)."""
        team_id, enterprise_id, org_wide = self._resolve(target)
        bot_user = self.organizations[target].bot_user if org_wide else self.workspaces[target].bot_user
        prefix = "xoxb" if kind == "bot" else "xoxp"
        rotating = self.token_rotation
        serial = f"1-{secrets.token_hex(12)}" if rotating else f"{next(self._serial)}-{target}-{secrets.token_hex(8)}"
        token = f"xoxe.{prefix}-{serial}" if rotating else f"{prefix}-{serial}"
        grant = Grant(
            token,
            kind,
            bot_user if kind == "bot" else user_id,
            tuple(scopes or self.scopes),
            team_id,
            enterprise_id,
            org_wide,
            self.clock() + self.token_lifetime if rotating else None,
            f"xoxe-1-{secrets.token_hex(16)}" if rotating else None,
        )
        self.grants[token] = grant
        if grant.refresh_token:
            self._refresh[grant.refresh_token] = grant
        return grant

    def bot_token_for(self, team_id: str) -> str:
        """The active bot token that serves this team: its own installation's, else its organization's."""
        workspace = self.workspaces[team_id]
        for key in (team_id, workspace.enterprise_id):
            for grant in reversed(self.grants.values()):
                if grant.kind == "bot" and grant.state == "active" and key and grant.installation == key:
                    return grant.token
        raise KeyError(f"the app is not installed in {team_id}")

    def misrouted(self) -> tuple[int, list[Call]]:
        """How many Web API calls name a person or a known channel, and those whose token is not of an
        installation serving that person's (or channel's) workspace."""
        checked, wrong = 0, []
        for call in self.calls:
            grant = self.grants.get(call.token)
            user, channel = self.users.get(str(call.params.get("user"))), str(call.params.get("channel"))
            team = user.team_id if user else self.channel_teams.get(channel)
            if grant is None or team is None:
                continue
            checked += 1
            if team not in self._teams_of(grant):
                wrong.append(call)
        return checked, wrong

    def calls_for(self, target: str) -> list[Call]:
        """The Web API calls made with a token of this team's or organization's installations."""
        found = []
        for call in self.calls:
            grant = self.grants.get(call.token)
            if grant is not None and target in (grant.team_id, grant.enterprise_id):
                found.append(call)
        return found

    def _resolve(self, target: str) -> tuple[str | None, str | None, bool]:
        """(team id, enterprise id, org-wide) of an installation target."""
        if target in self.organizations:
            return None, target, True
        return target, self.workspaces[target].enterprise_id, False

    def _teams_of(self, grant: Grant) -> set[str]:
        if grant.enterprise_id:  # Grid users are the organization's, visible from each of its workspaces
            return set(self.organizations[grant.enterprise_id].teams)
        return {grant.team_id or ""}

    # -- the Web API, per token ----------------------------------------------------------------

    def _refusal(self, method: str, token: str) -> str | None:
        if method == "oauth.v2.access":  # the app's client id and secret are checked by the method
            return None
        if method == "apps.connections.open":
            return super()._refusal(method, token)
        grant = self.grants.get(token)
        if grant is None or grant.state == "deleted":
            return "invalid_auth"
        if grant.state == "revoked":
            return "token_revoked"
        if grant.expires_at is not None and grant.expires_at <= self.clock():
            return "token_expired"
        return None

    def _granted_scopes(self, method: str, token: str) -> tuple[str, ...]:
        grant = self.grants.get(token)
        return grant.scopes if grant is not None else super()._granted_scopes(method, token)

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        grant = self.grants[self._caller]
        place: Organization | Workspace = (
            self.organizations[grant.installation] if grant.enterprise_install else self.workspaces[grant.installation]
        )
        host = f"{place.domain}.enterprise" if grant.enterprise_install else place.domain
        reply: dict[str, Any] = {
            "ok": True,
            "url": f"https://{host}.slack.com/",
            "team": place.name,
            "team_id": place.id,
            "user": "webex" if grant.kind == "bot" else grant.user_id,
            "user_id": grant.user_id,
            "is_enterprise_install": grant.enterprise_install,
        }
        if grant.kind == "bot":
            reply["bot_id"] = place.bot_id
        if grant.enterprise_id:
            reply["enterprise_id"] = grant.enterprise_id
        return reply

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        if user is None or user.team_id not in self._teams_of(self.grants[self._caller]):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user.as_api()}

    # -- OAuth v2 -----------------------------------------------------------------------------

    @property
    def authorization_url(self) -> str:
        """Where the app sends the browser to install it (AsyncOAuthSettings' authorization_url)."""
        return f"{self.url}/oauth/v2/authorize"

    def app(self) -> web.Application:
        app = super().app()
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        app.router.add_get("/_routing", self._routing)
        app.router.add_put("/_redirect_urls", self._set_redirect_urls)
        return app

    async def _set_redirect_urls(self, request: web.Request) -> web.Response:
        """The app's redirect URLs, as its developer sets them in the app's settings (a JSON list)."""
        self.redirect_urls = [str(url) for url in await request.json()]
        return web.json_response({"ok": True})

    async def _routing(self, request: web.Request) -> web.Response:
        """`misrouted`, for a load generator in another process."""
        checked, wrong = self.misrouted()
        first = [f"{c.method} {c.params.get('user') or c.params.get('channel')}" for c in wrong[:5]]
        return web.json_response({"checked": checked, "misrouted": len(wrong), "first": first})

    async def _authorize(self, request: web.Request) -> web.Response:
        """The consent page, already agreed to: back to the redirect URL with a code and the state at once. The
        browser's choice comes in cookies (see slack_install); without one, the `team` parameter or the default
        team is installed to."""
        query = request.query
        if query.get("client_id") != self.client_id:
            return _error_page("invalid_client_id")
        redirect_uri = query.get("redirect_uri") or (self.redirect_urls[0] if self.redirect_urls else "")
        if not redirect_uri or (self.redirect_urls and redirect_uri not in self.redirect_urls):
            return _error_page("bad_redirect_uri")
        scopes, user_scopes = _scope_list(query.get("scope")), _scope_list(query.get("user_scope"))
        if not scopes and not user_scopes:
            return _error_page("invalid_scope")
        choice = consent_cookie(request.cookies)
        if choice.deny:
            return _redirect(redirect_uri, error="access_denied", state=query.get("state", ""))
        target = request.cookies.get(TARGET_COOKIE) or query.get("team") or TEAM_ID
        if target not in self.workspaces and target not in self.organizations:
            return _error_page("team_not_found")
        code = uuid.uuid4().hex
        installer = choice.installer or self._an_admin_of(target)
        self._codes[code] = PendingCode(target, installer, scopes, user_scopes, query.get("redirect_uri"), self.clock())
        return _redirect(redirect_uri, code=code, state=query.get("state", ""))

    def _an_admin_of(self, target: str) -> str:
        teams = self.organizations[target].teams if target in self.organizations else [target]
        people = sorted((u for u in self.users.values() if u.team_id in teams), key=lambda u: not u.is_admin)
        return people[0].id if people else f"U{target[1:]}ADMIN"

    def _api_oauth_v2_access(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = params.pop("client_secret", None)  # not kept in the call record
        if params.get("client_id") != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if secret != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        if params.get("grant_type") == "refresh_token":
            return self._rotate(str(params.get("refresh_token", "")))
        pending = self._codes.pop(str(params.get("code", "")), None)  # a code is good once
        if pending is None or pending.issued_at + CODE_LIFETIME <= self.clock():
            return {"ok": False, "error": "invalid_code"}
        if pending.redirect_uri is not None and params.get("redirect_uri") != pending.redirect_uri:
            return {"ok": False, "error": "bad_redirect_uri"}
        authed_user: dict[str, Any] = {"id": pending.installer}
        if pending.user_scopes:
            user = self.issue(pending.target, kind="user", user_id=pending.installer, scopes=pending.user_scopes)
            authed_user.update(self._token_fields(user))
        reply = {"ok": True, "app_id": self.app_id, "authed_user": authed_user, **self._place_fields(pending.target)}
        if pending.scopes:
            bot = self.issue(pending.target, scopes=pending.scopes)
            reply.update(self._token_fields(bot), bot_user_id=bot.user_id)
        return reply

    def _rotate(self, refresh_token: str) -> dict[str, Any]:
        """A new access token and refresh token; the refresh token used is spent, the old access token runs out."""
        old = self._refresh.pop(refresh_token, None)
        if old is None or old.state != "active":
            return {"ok": False, "error": "invalid_refresh_token"}
        new = self.issue(old.installation, kind=old.kind, user_id=old.user_id, scopes=old.scopes)
        reply = {"ok": True, "app_id": self.app_id, **self._place_fields(old.installation), **self._token_fields(new)}
        if new.kind == "bot":
            reply["bot_user_id"] = new.user_id
        return reply

    def _place_fields(self, target: str) -> dict[str, Any]:
        team_id, enterprise_id, org_wide = self._resolve(target)
        org = self.organizations.get(enterprise_id or "")
        return {
            "team": {"id": team_id, "name": self.workspaces[team_id].name} if team_id else None,
            "enterprise": {"id": org.id, "name": org.name} if org else None,
            "is_enterprise_install": org_wide,
        }

    def _token_fields(self, grant: Grant) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "access_token": grant.token,
            "token_type": grant.kind,
            "scope": ",".join(grant.scopes),
        }
        if grant.refresh_token and grant.expires_at is not None:
            fields.update(refresh_token=grant.refresh_token, expires_in=round(grant.expires_at - self.clock()))
        return fields

    async def install(self, app_url: str, target: str = TEAM_ID, **browser: Any) -> Installed:
        """Install the app into a team or (org-wide) an organization as a browser would, starting at the app's
        install page; see slack_install.browser_install for the options."""
        return await browser_install(app_url, target, **browser)

    # -- uninstalling --------------------------------------------------------------------------

    def _installation_context(self, target: str) -> TeamContext:
        if target in self.organizations:
            org = self.organizations[target]
            return TeamContext(org.teams[0], org.domain, org.bot_user, org.id, org.name, True)
        workspace = self.workspaces[target]
        org_name = self.organizations[workspace.enterprise_id].name if workspace.enterprise_id else None
        return TeamContext(workspace.id, workspace.domain, workspace.bot_user, workspace.enterprise_id, org_name)

    async def uninstall(self, app_url: str, target: str) -> httpx.Response:
        """Remove the app from a team or organization: its tokens stop working (invalid_auth) and the app gets a
        signed `app_uninstalled` event."""
        self.drop_tokens(target)
        return await self.send_event(app_url, self._installation_context(target), {"type": "app_uninstalled"})

    def drop_tokens(self, target: str, state: str = "deleted") -> None:
        """The installation's tokens stop working ("deleted": invalid_auth, "revoked": token_revoked) and no
        event tells the app: the app removed while the app's events URL was unreachable, say."""
        for grant in self.grants.values():
            if grant.installation == target:
                grant.state = state
                self._refresh.pop(grant.refresh_token or "", None)

    async def revoke_tokens(
        self, app_url: str, target: str, *, bot: bool = True, users: Sequence[str] = ()
    ) -> httpx.Response:
        """Revoke the installation's bot token and these users' tokens (token_revoked from then on) and send the
        signed `tokens_revoked` event."""
        context = self._installation_context(target)
        for grant in self.grants.values():
            if grant.installation == target and ((grant.kind == "bot" and bot) or grant.user_id in users):
                grant.state = "revoked"
        tokens = {"oauth": list(users), "bot": [context.bot_user] if bot else []}
        return await self.send_event(app_url, context, {"type": "tokens_revoked", "tokens": tokens})

    async def send_event(self, app_url: str, context: TeamContext, event: dict[str, Any]) -> httpx.Response:
        """A signed Events API `event_callback` from this team to the app."""
        envelope = {
            "token": "unused",
            **context.event_fields(),
            "api_app_id": self.app_id,
            "event": {**event, "event_ts": f"{time.time():.6f}"},
            "type": "event_callback",
            "event_id": "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()),
        }
        body = json.dumps(envelope)
        headers = {**self.signed(body), "Content-Type": "application/json"}
        async with httpx.AsyncClient(timeout=10) as http:
            return await http.post(f"{app_url}/slack/events", content=body, headers=headers)

    # -- where users' requests come from --------------------------------------------------------

    def team_context(self, user_id: str) -> TeamContext:
        user = self.users.get(user_id)
        workspace = self.workspaces[user.team_id if user else TEAM_ID]
        org = self.organizations.get(workspace.enterprise_id or "")
        if org is None:
            return TeamContext(workspace.id, workspace.domain, workspace.bot_user)
        org_wide = any(g.state == "active" and g.installation == org.id for g in self.grants.values())
        bot_user = org.bot_user if org_wide else workspace.bot_user
        return TeamContext(workspace.id, workspace.domain, bot_user, org.id, org.name, org_wide)


def _scope_list(value: str | None) -> tuple[str, ...]:
    return tuple(s for s in (value or "").replace(" ", ",").split(",") if s)


def _redirect(redirect_uri: str, **query: str) -> web.Response:
    joiner = "&" if "?" in redirect_uri else "?"
    return web.Response(status=302, headers={"Location": redirect_uri + joiner + urlencode(query)})


def _error_page(error: str) -> web.Response:
    return web.Response(
        status=400,
        text=f"<html><body><h1>Something went wrong</h1><p>{error}</p></body></html>",
        content_type="text/html",
    )


def main() -> None:
    """Serve the stand-in alone: `python -m sandbox.slack_workspaces --workspaces workspaces.json --users
    users.json`, workspaces as [[team id, name, general channel id], ...], users as sandbox.slack's with a
    team_id each."""
    import argparse
    import asyncio

    from .slack import SlackUser

    parser = argparse.ArgumentParser(description="A Slack stand-in serving many workspaces and the install flow")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workspaces", help="a JSON list of [team id, name, general channel id]")
    parser.add_argument("--users", help="a JSON list of {id, name, email, team_id, ...}")
    args = parser.parse_args()
    slack = MultiSlack()
    for team_id, name, channel in json.loads(Path(args.workspaces).read_text()) if args.workspaces else []:
        slack.add_workspace(team_id, name)
        if channel:
            slack.channel_teams[channel] = team_id
    for user in json.loads(Path(args.users).read_text()) if args.users else []:
        slack.add_user(SlackUser(**user))

    async def serve() -> None:
        url = await slack.start(port=args.port)
        print(f"Slack stand-in (workspaces) at {url}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()

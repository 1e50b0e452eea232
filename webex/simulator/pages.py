"""The simulated site's URL API pages: p.php (login), m.php (host, join), w.php (end, status)."""

from __future__ import annotations

import html
import secrets
from urllib.parse import urlencode, urljoin

from aiohttp import web

from .state import SimSession, SiteState

LOGIN_COOKIE = "WBXSIM"


def result(request: web.Request, command: str, status: str, page: str, **extra: str) -> web.Response:
    """Answer as the URL API does: to BU with AT/ST[/RS] when one is given, else a small page."""
    back = request.query.get("BU")
    args = {"AT": command, "ST": status, **extra}
    if back:
        separator = "&" if "?" in back else "?"
        return redirect(back + separator + urlencode(args))
    return web.Response(text=_page(command, status, page, extra), content_type="text/html")


def redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})


def _page(command: str, status: str, message: str, extra: dict[str, str]) -> str:
    details = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in extra.items())
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Webex simulator</title>"
        "<style>body{font-family:sans-serif;margin:3em;max-width:40em}"
        ".ok{color:#0a7d32}.fail{color:#b3261e}</style></head><body>"
        f"<h1 class='{'ok' if status == 'SUCCESS' else 'fail'}'>{html.escape(message)}</h1>"
        f"<p>AT={html.escape(command)} ST={html.escape(status)}</p><dl>{details}</dl></body></html>"
    )


def _action(html_body: str, href: str, label: str) -> str:
    return html_body.replace(
        "</body>", f"<p><a id='action' href='{html.escape(href)}'>{html.escape(label)}</a></p></body>"
    )


class Pages:
    def __init__(self, state: SiteState) -> None:
        self.state = state

    def routes(self) -> list[web.RouteDef]:
        prefix = f"/{self.state.site_name}"
        return [
            web.route("*", f"{prefix}/p.php", self.partner),
            web.route("*", f"{prefix}/m.php", self.meeting),
            web.route("*", f"{prefix}/w.php", self.session_management),
        ]

    def _logged_in(self, request: web.Request) -> str | None:
        token = request.cookies.get(LOGIN_COOKIE, "")
        return self.state.browser_logins.get(token)

    async def partner(self, request: web.Request) -> web.Response:
        q = request.query
        command = q.get("AT", "")
        if command == "LO":
            self.state.browser_logins.pop(request.cookies.get(LOGIN_COOKIE, ""), None)
            return result(request, "LO", "SUCCESS", "Logged out")
        if command != "LI":
            return result(request, command, "FAIL", "Unknown command", RS="UnknownATCommand")
        webex_id = q.get("WID", "")
        user = self.state.find_user(webex_id)
        with self.state.lock:
            if q.get("TK"):
                ok = user is not None and self.state.redeem_login_ticket(q["TK"], user.webex_id)
                reason = "InvalidTicket"
            else:
                ok = user is not None and q.get("PW", "") in user.passwords
                reason = "BadWebExIDOrPassword"
        if not ok or user is None:
            return result(request, "LI", "FAIL", "Login failed", RS=reason, WID=webex_id)
        token = secrets.token_urlsafe(18)
        self.state.browser_logins[token] = user.webex_id
        target = q.get("MU")
        if target and target != "GoBack":
            response = redirect(urljoin(str(request.url), target))
        else:
            response = result(request, "LI", "SUCCESS", f"Logged in as {user.webex_id}", WID=user.webex_id)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="Lax")
        return response

    async def meeting(self, request: web.Request) -> web.Response:
        command = request.query.get("AT", "")
        if command == "HM":
            return self._host(request)
        if command in ("JM", "JE", "JS"):
            return self._join(request, command)
        return result(request, command, "FAIL", "Unknown command", RS="UnknownATCommand")

    def _session(self, request: web.Request) -> SimSession | None:
        key = request.query.get("MK") or request.query.get("SN") or ""
        return self.state.sessions.get(key.replace(" ", ""))

    def _host(self, request: web.Request) -> web.Response:
        user = self._logged_in(request)
        session = self._session(request)
        if user is None:
            return result(request, "HM", "FAIL", "Please log in first", RS="AccessDenied")
        if session is None:
            return result(request, "HM", "FAIL", "No such meeting", RS="InvalidMeetingKey")
        if session.host.lower() != user.lower():
            return result(request, "HM", "FAIL", "Only the host can start this meeting", RS="AccessDenied")
        with self.state.lock:
            self.state.start(session.key)
        page = result(request, "HM", "SUCCESS", f"{session.topic} has started. You are the host.", MK=session.key)
        page.text = _action(page.text or "", f"w.php?AT=KM&MK={session.key}", "End meeting")
        return page

    def _join(self, request: web.Request, command: str) -> web.Response:
        """JM (meetings, training), JE (events, password JPW) and JS (support, session number SN)."""
        session = self._session(request)
        q = request.query
        password = q.get("JPW") or q.get("PW", "")
        if session is None or (session.password and password != session.password):
            return result(request, command, "FAIL", "Wrong number or password", RS="InvalidMeetingKeyOrPassword")
        if not session.in_progress:
            return result(
                request, command, "FAIL", "This session has not started yet", RS="MeetingNotInProgress", MK=session.key
            )
        full_name = " ".join(part for part in (q.get("FN"), q.get("LN")) if part)
        name = q.get("AN") or full_name or self._logged_in(request) or "Anonymous"
        with self.state.lock:
            session.joined.append(name[:32])
        return result(request, command, "SUCCESS", f"{name} joined {session.topic}", MK=session.key)

    async def session_management(self, request: web.Request) -> web.Response:
        command = request.query.get("AT", "")
        session = self._session(request)
        if command == "GS":
            if session is None:
                return result(request, "GS", "FAIL", "No such meeting", RS="InvalidMeetingKey")
            status = "INPROGRESS" if session.in_progress else "NOT INPROGRESS"
            return result(request, "GS", "SUCCESS", status, MK=session.key, SS=status)
        if command != "KM":
            return result(request, command, "FAIL", "Unknown command", RS="UnknownATCommand")
        user = self._logged_in(request)
        if session is None:
            return result(request, "KM", "FAIL", "No such meeting", RS="MKisInvalid")
        account = self.state.find_user(user) if user else None
        if account is None or (session.host.lower() != account.webex_id.lower() and not account.is_site_admin):
            return result(request, "KM", "FAIL", "Only the host can end this meeting", RS="HostRoleRequired")
        with self.state.lock:
            self.state.end(session.key)
        return result(request, "KM", "SUCCESS", f"{session.topic} has ended.", MK=session.key)

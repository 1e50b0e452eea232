"""The browser side of installing a Slack app: open the app's install page, follow it to Slack's authorize
page, where the person signed in picks the workspace (or organization) and allows or cancels, and come back
to the app's redirect URL with the code and state, carrying the app's state cookie as a browser would.

The signed-in person's choice reaches the stand-in's authorize page as cookies, the way slack.com knows who
is signed in: TARGET_COOKIE (a team id, or an organization's id for an org-wide install), INSTALLER_COOKIE
(the installing user's id) and DECISION_COOKIE ("deny" to cancel)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie

import httpx
import lxml.html

TARGET_COOKIE = "stand-in-install-target"
INSTALLER_COOKIE = "stand-in-installer"
DECISION_COOKIE = "stand-in-decision"


@dataclass(frozen=True)
class Consent:
    installer: str
    deny: bool


def consent_cookie(cookies: Mapping[str, str]) -> Consent:
    return Consent(cookies.get(INSTALLER_COOKIE, ""), cookies.get(DECISION_COOKIE) == "deny")


@dataclass
class Installed:
    """What the browser saw: the app's last page, and what it sent there, so a test can replay it."""

    page: httpx.Response  # the app's answer at its redirect URL (or Slack's error page if Slack refused)
    authorize_url: str  # where the app's install page sent the browser
    callback_url: str  # where Slack sent the browser back, with code and state ("" if Slack refused)
    cookie: str  # the Cookie header the browser sent to the app with it


async def browser_install(
    app_url: str,
    target: str,
    *,
    installer: str = "",
    deny: bool = False,
    install_path: str = "/slack/install",
    pick_in_url: bool = False,
) -> Installed:
    """Install the app into `target` starting at `app_url + install_path`. With `pick_in_url` the workspace
    is named in the install URL (`?team=`, which the app passes on to Slack) instead of picked at Slack."""
    start = await _get(app_url + install_path, params={"team": target} if pick_in_url else None)
    cookie = _cookie_header(start)
    authorize_url = _authorize_link(start)
    choice = {INSTALLER_COOKIE: installer, DECISION_COOKIE: "deny" if deny else "allow"}
    if not pick_in_url:
        choice[TARGET_COOKIE] = target
    consent = await _get(authorize_url, cookie="; ".join(f"{k}={v}" for k, v in choice.items() if v))
    callback_url = consent.headers.get("location", "") if consent.is_redirect else ""
    if not callback_url:
        return Installed(consent, authorize_url, "", cookie)
    return Installed(await _get(callback_url, cookie=cookie), authorize_url, callback_url, cookie)


async def revisit(installed: Installed, *, cookie: str | None = None) -> httpx.Response:
    """Open the redirect URL again (a replayed code and state), with the same cookies unless told otherwise."""
    return await _get(installed.callback_url, cookie=installed.cookie if cookie is None else cookie)


async def _get(url: str, *, cookie: str = "", params: dict[str, str] | None = None) -> httpx.Response:
    # A fresh client each time: cookies go only where this module sends them (a browser keeps the app's Secure
    # state cookie for http://localhost; httpx's cookie jar would not send it over http).
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(url, params=params, headers={"Cookie": cookie} if cookie else None)


def _cookie_header(response: httpx.Response) -> str:
    jar: SimpleCookie = SimpleCookie()
    for value in response.headers.get_list("set-cookie"):
        jar.load(value)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def _authorize_link(response: httpx.Response) -> str:
    """The redirect's Location, or the first link on the install page to Slack's authorize page."""
    if response.is_redirect:
        return response.headers["location"]
    if response.status_code == 200 and response.text:
        for href in lxml.html.fromstring(response.text).xpath("//a/@href"):
            if "/oauth/v2/authorize" in href:
                return str(href)
    raise AssertionError(f"the install page ({response.status_code}) links to no Slack authorize page")

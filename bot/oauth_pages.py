"""The pages people see around installing the app: the install page, and the success and failure pages at
the end of Slack's OAuth flow, each saying what to do next. Bolt takes them as callback options
(`AsyncOAuthSettings(callback_options=callback_options())`) and, for the install page, `InstallPageFlow`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation

log = logging.getLogger(__name__)

# What went wrong, by the reason Bolt gives (Slack's `error` parameter, or Bolt's own checks).
FAILURES = {
    "access_denied": "The installation was cancelled on Slack's page, so nothing was installed. "
    "If you meant to install Webex, start again and choose Allow.",
    "invalid_state": "This installation link has expired or was already used: each one works once, "
    "for ten minutes. Start again from the install page.",
    "invalid_browser": "The installation could not be matched to the browser that started it: the page was "
    "reloaded, opened in another browser, or not started from the install page. Start again in this browser.",
    "missing_code": "Slack sent the browser back without an installation code. Start again from the install page.",
    "invalid_code": "Slack did not accept the installation code (it expired or was already used). Start again.",
    "storage_error": "Slack approved the installation but Webex could not save it. Nothing is wrong on your "
    "side: try again in a few minutes, and tell whoever runs Webex for your company if it keeps failing.",
}
UNKNOWN_FAILURE = (
    "Slack stopped the installation ({reason}). Start again; if it happens again, ask a Slack admin of your "
    "workspace whether apps need their approval."
)

STYLE = "body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5}"
HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https:",
    "X-Frame-Options": "DENY",
}


def page(title: str, body: str) -> str:
    """A whole page; `title` is text, `body` is HTML whose text parts the caller has escaped."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def install_page(authorize_url: str) -> str:
    return page(
        "Add Webex to Slack",
        "<p>Schedule, start and join Cisco Webex meetings without leaving Slack: <code>/webex</code>, "
        "meeting cards with Join and Start buttons, and reminders.</p>"
        f'<p><a href="{escape(authorize_url)}">Add to Slack</a></p>'
        "<p>Slack asks you to pick the workspace and allow what Webex needs. Afterwards a workspace admin "
        "connects your Webex site from the Webex app's Home tab in Slack.</p>",
    )


def success_page(installation: Installation) -> str:
    app, team = installation.app_id or "", installation.team_id or ""
    if installation.is_enterprise_install:
        org = installation.enterprise_name or "your organization"
        add_url = _add_to_workspaces_url(installation)
        return page(
            "Webex is installed",
            f"<p>Webex is installed for {escape(org)}. Next:</p><ol>"
            f'<li><a href="{escape(add_url)}">Add Webex to the workspaces</a> that should have it.</li>'
            "<li>In each workspace, try <code>/webex help</code>.</li>"
            "<li>A workspace admin connects Webex from the Webex app's Home tab in Slack; until then people "
            "are asked to wait for it.</li></ol>",
        )
    workspace = installation.team_name or "your workspace"
    return page(
        "Webex is installed",
        f"<p>Webex is installed in {escape(workspace)}. Next:</p><ol>"
        f'<li><a href="{escape(f"slack://app?team={team}&id={app}")}">Open Slack</a> (or '
        f'<a href="{escape(f"https://app.slack.com/client/{team}")}">Slack in the browser</a>).</li>'
        "<li>Type <code>/webex help</code> in any channel to see what it can do.</li>"
        "<li>A workspace admin connects Webex: open the Webex app in Slack, go to its Home tab and choose "
        "Connect Webex. Until then people are asked to wait for it.</li></ol>",
    )


def failure_page(reason: str, install_path: str) -> str:
    what = FAILURES.get(reason) or UNKNOWN_FAILURE.format(reason=reason)
    return page(
        "Webex was not installed",
        f'<p>{escape(what)}</p><p><a href="{escape(install_path)}">Start the installation again</a></p>',
    )


def callback_options() -> AsyncCallbackOptions:
    """Bolt's success and failure handlers for the OAuth redirect, answering with the pages above."""

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        return _answer(200, success_page(args.installation), args.settings)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("slack install failed: %r", args.reason, exc_info=args.error)
        return _answer(args.suggested_status_code, failure_page(args.reason, args.settings.install_path), args.settings)

    return AsyncCallbackOptions(success=success, failure=failure)


class InstallPageFlow(AsyncOAuthFlow):
    """Bolt's OAuth flow with our install page (pass as AsyncApp(oauth_flow=...))."""

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        return install_page(url)


def _add_to_workspaces_url(installation: Installation) -> str:
    """Where an org admin adds an org-wide app to the organization's workspaces."""
    app = installation.app_id or ""
    if installation.enterprise_url:
        return f"{installation.enterprise_url}manage/organization/apps/profile/{app}/workspaces/add"
    return f"https://app.slack.com/manage/{installation.enterprise_id}/integrations/profile/{app}/workspaces/add"


def _answer(status: int, body: str, settings: AsyncOAuthSettings) -> BoltResponse:
    # The state cookie has served its purpose either way, as in Bolt's own handlers.
    headers: dict[str, str | Sequence[str]] = {
        **HEADERS,
        "Set-Cookie": settings.state_utils.build_set_cookie_for_deletion(),
    }
    return BoltResponse(status=status, body=body, headers=headers)

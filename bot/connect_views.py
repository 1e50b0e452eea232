"""What a workspace admin sees to connect the workspace to its Webex site: the Home tab's section and the form
(which never shows a password or token again, not even one just typed), built with slack_sdk's view models."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from storage import WebexConnectionRecord

from . import blocks as kit
from . import ids
from .blocks import Json
from .render import fit, mrkdwn
from .settings import DEFAULT_WEBEX_API_URL

VALUE = "value"
APIS = (("xml", "XML API (site URL, service account and password)"), ("rest", "REST API (a Service App's tokens)"))
SECRET_FIELDS = frozenset({"password", "access_token", "refresh_token", "client_secret"})
FIELDS = (  # block id, label, hint; all optional to Slack, the check says which the chosen API needs
    ("site_url", "Webex site URL", "Like https://acme.webex.com (for the REST API: for join links, optional)"),
    ("site_name", "Site name", "Optional: the first part of the site's address when left empty"),
    ("webex_user", "Service account (XML API)", "The webExID of a site administrator that schedules for hosts"),
    ("password", "Password (XML API)", "Stored encrypted; never shown again"),
    ("api_url", "REST API URL", f"Leave {DEFAULT_WEBEX_API_URL} unless Cisco told you otherwise"),
    ("access_token", "Access token (REST API)", "The Service App's access token; stored encrypted"),
    ("refresh_token", "Refresh token (REST API)", "Optional, with the client id and secret: renews the access token"),
    ("client_id", "Client ID (REST API)", "Optional: the Service App's client id"),
    ("client_secret", "Client secret (REST API)", "Optional: the Service App's client secret; stored encrypted"),
)
INTRO = (
    "Connect this workspace to its Webex site. I check the connection with Webex before I save it; the password "
    "and tokens are stored encrypted and are never shown again."
)


def connect_modal(given: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The form, with what was given (but no secret) filled in again and each problem under its field."""
    given, errors = given or {}, errors or {}
    api = given.get("api") or "xml"
    options = [Option(value=value, text=text) for value, text in APIS]
    chosen = next(option for option in options if option.value == api)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=INTRO)),
        InputBlock(
            block_id="api",
            label="Webex API",
            element=StaticSelectElement(action_id=VALUE, options=options, initial_option=chosen),
        ),
    ]
    for block_id, label, hint in FIELDS:
        initial = "" if block_id in SECRET_FIELDS else given.get(block_id, "")
        if block_id == "api_url" and not initial:
            initial = DEFAULT_WEBEX_API_URL
        element = PlainTextInputElement(action_id=VALUE, initial_value=initial or None)
        blocks.append(InputBlock(block_id=block_id, label=label, hint=hint, element=element, optional=True))
        if block_id in errors:
            warning = fit(f":warning: {mrkdwn(errors[block_id], 1900)}", "context")
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=warning)]))
    view = View(
        type="modal",
        callback_id=ids.WEBEX_CONNECT_SUBMIT,
        title="Connect Webex",
        submit="Check and save",
        close="Cancel",
        blocks=blocks,
    )
    return view.to_dict()


def checking_modal() -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=ids.WEBEX_CONNECT_SUBMIT,
        title="Connect Webex",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text="Checking the connection with Webex…"))],
    )
    return view.to_dict()


def home_section(record: WebexConnectionRecord | None, has_default: bool, is_admin: bool) -> list[Json]:
    """The Home tab's word on the workspace's Webex connection: its site, API, who connected it and when (never a
    credential); for admins, the button that opens the form."""
    if record is not None:
        text = (
            f"*Webex connection:* {mrkdwn(record.site_url, 300)} ({record.api.upper()} API), connected by "
            f"<@{record.connected_by}> on {record.connected_at[:10]}."
        )
    elif has_default:
        text = "*Webex connection:* the bot's own Webex site (set by whoever runs the bot)."
    elif is_admin:
        text = "*Webex connection:* none yet. Connect this workspace to its Webex site to start."
    else:
        text = "This workspace isn't connected to Webex yet. Ask a workspace admin to connect it from this Home tab."
    if not is_admin:
        return [kit.section(text)] if record is None and not has_default else []
    label = "Change the Webex connection" if record is not None else "Connect Webex"
    return [kit.section(text, accessory=kit.button(label, ids.HOME_WEBEX_CONNECT))]

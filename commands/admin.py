"""`/webex admin …`: for WEBEXBOT_ADMINS and Slack workspace admins only."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

from .backend import BackendError
from .context import Context
from .errors import CommandError, NotAuthorized, NotFound, UsageError
from .replies import Notice

USAGE = """*Admin commands*
• `/webex admin link @user <webExID>`: link someone (no email check; audited)
• `/webex admin unlink @user`
• `/webex admin users`: who is linked to what
• `/webex admin channel #channel`: where the bot reports what it does
• `/webex admin status`: Webex, the last poll, counts, version"""

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")


async def admin(ctx: Context, text: str) -> Notice:
    action, _, rest = text.strip().partition(" ")
    if not ctx.is_admin:
        ctx.store.audit(ctx.team_id, ctx.caller.user_id, "admin_refused", ctx.caller.user_id, {"command": action[:20]})
        raise NotAuthorized("Only Webex bot admins and Slack workspace admins can use `/webex admin`.")
    handler = {
        "link": _link,
        "unlink": _unlink,
        "users": _users,
        "channel": _channel,
        "status": _status,
    }.get(action.lower())
    if handler is None:
        return Notice(USAGE)
    return await handler(ctx, rest.strip())


async def _link(ctx: Context, rest: str) -> Notice:
    user = _USER.search(rest)
    webex_id = _USER.sub("", rest).strip()
    if user is None or not webex_id:
        raise UsageError("Say who and which account, like `/webex admin link @ana ana.lima`.")
    account = await ctx.backend.find_account(webex_id)
    if account is None:
        raise NotFound(f"There is no Webex account `{webex_id[:64]}` on this site.")
    moved = _take_from_holder(ctx, user.group(1), account.webex_id)
    ctx.store.link(ctx.team_id, user.group(1), account.webex_id, account.email, "admin", ctx.caller.user_id)
    text = f"Linked <@{user.group(1)}> to Webex account `{account.webex_id}` ({account.email})."
    if moved:
        text += f" It was linked to <@{moved}>, who is unlinked now; I told them."
    return Notice(text)


def _take_from_holder(ctx: Context, user_id: str, webex_id: str) -> str | None:
    """Unlink whoever else holds the account, audited; they are told, and not linked again by email."""
    holder = ctx.store.holder_of(ctx.team_id, webex_id, user_id)
    if holder is None:
        return None
    ctx.store.unlink(ctx.team_id, holder.slack_user_id, ctx.caller.user_id)
    ctx.store.stay_unlinked(ctx.team_id, holder.slack_user_id, "taken")
    detail: dict[str, object] = {"webex_id": webex_id, "to": user_id}
    ctx.store.audit(ctx.team_id, ctx.caller.user_id, "link_taken", holder.slack_user_id, detail)
    return holder.slack_user_id


async def _unlink(ctx: Context, rest: str) -> Notice:
    user = _USER.search(rest)
    if user is None:
        raise UsageError("Say whom to unlink, like `/webex admin unlink @ana`.")
    removed = ctx.store.unlink(ctx.team_id, user.group(1), ctx.caller.user_id)
    if removed is None:
        return Notice(f"<@{user.group(1)}> had no linked Webex account.")
    return Notice(f"Unlinked <@{user.group(1)}> from Webex account `{removed.webex_id}`.")


async def _users(ctx: Context, rest: str) -> Notice:
    links = ctx.store.links(ctx.team_id)
    if not links:
        return Notice("Nobody is linked yet.")
    lines = [
        f"• <@{link.slack_user_id}> → `{link.webex_id}` ({link.verified_by}, {link.linked_at[:10]})" for link in links
    ]
    return Notice(f"*{len(links)} linked*\n" + "\n".join(lines[:100]))


async def _channel(ctx: Context, rest: str) -> Notice:
    channel = _CHANNEL.search(rest)
    if channel is None:
        raise UsageError("Name the channel, like `/webex admin channel #webex-admin`.")
    ctx.store.set_setting(ctx.team_id, "admin_channel", channel.group(1), ctx.caller.user_id)
    return Notice(f"I'll report to <#{channel.group(1)}>. Invite me there if it is private.")


async def _status(ctx: Context, rest: str) -> Notice:
    changed = await ctx.reconcile() if ctx.reconcile is not None else []
    counts = ctx.store.counts(ctx.team_id)
    lines = [*ctx.about, await _reachable(ctx), *(ctx.status.describe() if ctx.status is not None else [])]
    lines += [f"Checked against Webex: {line}" for line in changed] or ["Checked against Webex: the store agrees."]
    lines += [
        f"Links: {counts['links']}",
        f"Meetings made through the bot: {counts['meetings']}",
        f"Version: {_version()}",
    ]
    return Notice("*Webex bot status*\n" + "\n".join(f"• {line}" for line in lines))


async def _reachable(ctx: Context) -> str:
    """Whether this workspace's Webex site answers now (one read: what is live)."""
    try:
        await ctx.backend.live()
    except BackendError as error:
        return f"Webex site reachable: no ({error.problem.value})"
    except CommandError as error:
        return f"Webex site reachable: no. {error}"
    return "Webex site reachable: yes"


def _version() -> str:
    try:
        return version("webexbot")
    except PackageNotFoundError:
        return "unknown"

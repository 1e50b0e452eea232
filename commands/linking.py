"""`link`, `unlink`, `whoami`, and finding the caller's Webex account before other commands."""

from __future__ import annotations

import unicodedata

from storage import Link

from .context import Context
from .errors import Conflict, NotAuthorized, NotFound, NotLinked
from .replies import Notice


def same_email(a: str, b: str) -> bool:
    """Case-insensitively equal, and both as written in NFKC form: a look-alike such as the Kelvin sign (which
    lower-cases to `k`) never matches the letter it imitates."""
    stable = all(unicodedata.normalize("NFKC", e) == e for e in (a, b))
    return stable and a.strip().casefold() == b.strip().casefold()


async def link(ctx: Context, account_name: str) -> Notice:
    email = (ctx.caller.email or "").lower()
    if not email:
        raise NotAuthorized("Your Slack profile has no email address, so I can't check which Webex account is yours.")
    account = await ctx.backend.find_account(account_name)
    if account is None and "@" not in account_name and ctx.backend.ids_are_emails:
        raise NotFound(
            f"On this Webex site accounts are known by email: use `/webex link {email or 'you@example.com'}`."
        )
    if account is None:
        raise NotFound(
            f"There is no Webex account `{account_name[:64]}` on this site. Check the spelling; if your account "
            f"has another email than your Slack profile, {_ASK_ADMIN}"
        )
    if not same_email(account.email, ctx.caller.email or ""):
        ctx.store.audit(
            ctx.team_id,
            ctx.caller.user_id,
            "link_refused",
            ctx.caller.user_id,
            {"webex_id": account.webex_id, "reason": "email differs"},
        )
        raise NotAuthorized(
            f"Webex account `{account.webex_id}` belongs to a different email address than your Slack profile, "
            "so I can't link it to you. Link the account that uses your Slack email, or ask an admin."
        )
    if not account.active:
        raise Conflict(f"Webex account `{account.webex_id}` is deactivated. Ask your Webex administrator.")
    ctx.store.link(ctx.team_id, ctx.caller.user_id, account.webex_id, account.email, "email-match", ctx.caller.user_id)
    return Notice(f"Linked: you are `{account.webex_id}` on Webex ({account.email}).")


async def unlink(ctx: Context) -> Notice:
    removed = ctx.store.unlink(ctx.team_id, ctx.caller.user_id, ctx.caller.user_id)
    ctx.store.stay_unlinked(ctx.team_id, ctx.caller.user_id, "unlinked")
    again = "I won't link you by email again; `/webex link <your Webex ID or email>` when you want to."
    if removed is None:
        return Notice(f"You had no linked Webex account. {again}")
    return Notice(f"Unlinked from Webex account `{removed.webex_id}`. {again}")


async def whoami(ctx: Context) -> Notice:
    current = ctx.link
    if current is None:
        return Notice(f"You have no linked Webex account. {_how_to_link()}")
    return Notice(f"You are `{current.webex_id}` on Webex ({current.email}), linked {current.linked_at[:10]}.")


async def require_link(ctx: Context) -> Link:
    """The caller's link; one is made on first use when exactly one active host has their email."""
    current = ctx.link
    if current is not None:
        return current
    email = (ctx.caller.email or "").lower()
    why = ctx.store.unlinked_because(ctx.team_id, ctx.caller.user_id)
    if why is not None:
        raise NotLinked(_STAYS_UNLINKED.get(why, _STAYS_UNLINKED["unlinked"]))
    if email:
        found = await ctx.backend.accounts_with_email(email)
        matches = [a for a in found if a.active and a.is_host and same_email(a.email, ctx.caller.email or "")]
        matches = [a for a in matches if ctx.store.holder_of(ctx.team_id, a.webex_id, ctx.caller.user_id) is None]
        if len(matches) == 1:
            account = matches[0]
            made = ctx.store.link(
                ctx.team_id, ctx.caller.user_id, account.webex_id, account.email, "auto-email", ctx.caller.user_id
            )
            ctx.notes.append(
                f"I linked you to Webex account `{account.webex_id}`, which has your email. "
                "`/webex unlink` undoes it, and I won't link you by email again."
            )
            return made
    raise NotLinked(f"You haven't linked a Webex account yet. {_how_to_link()}")


_ASK_ADMIN = "ask a Webex bot admin to link it for you with `/webex admin link`."
_STAYS_UNLINKED = {
    "unlinked": "You unlinked your Webex account. Use `/webex link <your Webex ID or email>` to link it again.",
    "taken": "An admin linked your Webex account to someone else. Link another account with "
    f"`/webex link <your Webex ID or email>`, or {_ASK_ADMIN}",
}


def _how_to_link() -> str:
    return (
        "Use `/webex link <your Webex ID or email>` first. No Webex host account has your Slack email? "
        f"Then {_ASK_ADMIN}"
    )

"""`/webex info <session number>`: what the site knows about any session."""

from __future__ import annotations

from .context import Context
from .linking import require_link
from .meetings import view
from .replies import SessionCard


async def info(ctx: Context, key: str) -> SessionCard:
    details = await ctx.backend.details(key)
    session = details.session
    return SessionCard(
        meeting=view(ctx, session, call_in=details.call_in),
        agenda=details.agenda,
        listing=details.listing,
        invitees=len(details.invitee_emails),
        password=details.password
        if await _may_see_password(ctx, details.host_email, details.invitee_emails, session.host_webex_id)
        else None,
    )


async def _may_see_password(ctx: Context, host_email: str, invitees: tuple[str, ...], host_webex_id: str) -> bool:
    """The guide's rule for GetSessionInfo: the host and invited people see the password."""
    email = (ctx.caller.email or "").lower()
    if email and (email == host_email.lower() or email in {i.lower() for i in invitees}):
        return True
    if ctx.link is None:
        return False
    link = await require_link(ctx)
    return link.webex_id.lower() == host_webex_id.lower()

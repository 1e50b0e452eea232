"""Links built with the Webex URL API (p.php / m.php), for when no XML call is possible or needed."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def site_base(site_url: str, site_name: str) -> str:
    """`https://acme.webex.com` + `acme` -> `https://acme.webex.com/acme` (the command prefix)."""
    return f"{site_url.rstrip('/')}/{quote(site_name)}"


def join_url(
    site_url: str,
    site_name: str,
    meeting_key: str,
    *,
    attendee_name: str | None = None,
    attendee_email: str | None = None,
    password: str | None = None,
) -> str:
    """`m.php?AT=JM`: join a meeting in progress; no login needed. AN is cut to its 32 characters."""
    args: dict[str, str] = {"AT": "JM", "MK": normalize_meeting_key(meeting_key)}
    if attendee_name:
        args["AN"] = attendee_name[:32]
    if attendee_email:
        args["AE"] = attendee_email[:64]
    if password:
        args["PW"] = password
    return f"{site_base(site_url, site_name)}/m.php?{urlencode(args, quote_via=quote)}"


def host_login_url(site_url: str, site_name: str, *, webex_id: str, login_ticket: str, meeting_key: str) -> str:
    """`p.php?AT=LI` with a one-time ticket, chained through MU to `m.php?AT=HM` (start the meeting).

    The result logs its holder in as `webex_id`: show it to that host only, never store or log it.
    """
    start = f"/{quote(site_name)}/m.php?AT=HM&MK={normalize_meeting_key(meeting_key)}"
    args = {"AT": "LI", "WID": webex_id, "TK": login_ticket, "MU": start}
    return f"{site_base(site_url, site_name)}/p.php?{urlencode(args, quote_via=quote)}"


def normalize_meeting_key(text: str) -> str:
    """`123 456 789` or `123-456-789` -> `123456789`; ValueError when anything else remains."""
    digits = "".join(ch for ch in text if ch not in " -\u00a0")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"{text!r} is not a meeting number")
    return digits

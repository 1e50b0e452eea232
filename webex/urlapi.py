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
    kind: str = "meeting",
    attendee_name: str | None = None,
    attendee_email: str | None = None,
    password: str | None = None,
) -> str:
    """The URL API's join command for a session kind; no login is needed.

    Meetings and training sessions: `m.php?AT=JM&MK=…[&AN][&AE][&PW]` (AN is cut to 32 characters).
    Events: `m.php?AT=JE&MK=…[&FN&LN][&AE][&JPW]`. Support sessions: `m.php?AT=JS&SN=…[&FN&LN][&EM]`.
    """
    key = normalize_meeting_key(meeting_key)
    first, _, last = (attendee_name or "").partition(" ")
    args: dict[str, str | None]
    if kind == "event":
        args = {
            "AT": "JE",
            "MK": key,
            "FN": first[:32] or None,
            "LN": last[:32] or None,
            "AE": _email(attendee_email),
            "JPW": password,
        }
    elif kind == "support":
        args = {"AT": "JS", "SN": key, "FN": first[:32] or None, "LN": last[:32] or None, "EM": _email(attendee_email)}
    else:
        args = {
            "AT": "JM",
            "MK": key,
            "AN": (attendee_name or "")[:32] or None,
            "AE": _email(attendee_email),
            "PW": password,
        }
    present = {name: value for name, value in args.items() if value}
    return f"{site_base(site_url, site_name)}/m.php?{urlencode(present, quote_via=quote)}"


def _email(address: str | None) -> str | None:
    return address[:64] if address else None


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

"""User service: GetUser, LstsummaryUser, AuthenticateUser, GetloginTicket."""

from __future__ import annotations

from lxml import etree

from .models import SessionTicket, User, UserSummary
from .timezones import parse_wall
from .xml import Node, build

GET_USER = "user.GetUser"
LIST_USERS = "user.LstsummaryUser"
AUTHENTICATE = "user.AuthenticateUser"
LOGIN_TICKET = "user.GetLoginTicket"


def get_body(webex_id: str) -> etree._Element:
    return build("bodyContent", webExId=webex_id)


def parse_user(body: Node) -> User:
    row = body.fields()
    privilege = body.child("privilege")
    rights = privilege.fields() if privilege is not None else {}
    zone = row.get("timezoneid", "")
    return User(
        webex_id=row.get("webexid", ""),
        email=row.get("email", ""),
        first_name=row.get("firstname", ""),
        last_name=row.get("lastname", ""),
        active=row.get("active", "ACTIVATED").upper() == "ACTIVATED",
        is_host=rights.get("host", "").lower() == "true",
        is_site_admin=rights.get("siteadmin", "").lower() == "true",
        time_zone_id=int(zone) if zone.isdigit() else None,
        schedule_for=tuple(n.value for n in body.children("scheduleFor") if n.value),
    )


def list_body(*, email: str | None, webex_id: str | None, list_control: etree._Element) -> etree._Element:
    return build("bodyContent", list_control, email=email, webExId=webex_id)


def parse_summaries(body: Node) -> list[UserSummary]:
    return [_summary(user) for user in body.children("user")]


def _summary(user: Node) -> UserSummary:
    registered = user.text("registrationDate")
    try:
        when = parse_wall(registered) if registered else None
    except ValueError:
        when = None
    return UserSummary(
        webex_id=user.text("webExId"),
        email=user.text("email"),
        first_name=user.text("firstName"),
        last_name=user.text("lastName"),
        active=user.text("active", "ACTIVATED").upper() == "ACTIVATED",
        registered=when,
    )


def authenticate_body(saml_response: str | None, access_token: str | None) -> etree._Element:
    return build("bodyContent", samlResponse=saml_response, accessToken=access_token)


def parse_session_ticket(body: Node) -> SessionTicket:
    created = body.text("createTime")
    ttl = body.text("timeToLive")
    return SessionTicket(
        ticket=body.text("sessionTicket"),
        created_ms=int(created) if created.isdigit() else None,
        time_to_live_s=int(ttl) if ttl.isdigit() else None,
    )


def parse_login_ticket(body: Node) -> str:
    return body.text("ticket")

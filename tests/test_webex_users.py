from __future__ import annotations

import httpx
import pytest

from tests.conftest import host
from webex import ErrorKind, SecurityContext, WebexServiceError, collect
from webex.simulator import WebexSimulator


async def test_get_user_returns_the_account(admin):
    user = await admin.get_user("ana")
    assert (user.webex_id, user.email, user.display_name) == ("ana", "ana@example.com", "Ana Lima")
    assert user.is_host and not user.is_site_admin and user.active
    assert user.time_zone_id == 11


async def test_a_host_reads_only_their_own_account(admin):
    ana = host(admin, "ana")
    assert (await ana.get_user("ana")).email == "ana@example.com"
    with pytest.raises(WebexServiceError) as refused:
        await ana.get_user("ben")
    assert (refused.value.exception_id, refused.value.kind) == ("000001", ErrorKind.NO_PRIVILEGE)


async def test_unknown_user_is_not_found(admin):
    with pytest.raises(WebexServiceError) as missing:
        await admin.get_user("nobody")
    assert missing.value.kind is ErrorKind.NOT_FOUND
    assert missing.value.operation == "user.GetUser"


async def test_list_users_filters_by_email_and_by_webex_id(admin, simulator):
    by_email = await collect(admin.list_users(email="BEN@example.com"))
    assert [u.webex_id for u in by_email] == ["ben"]
    by_id = await collect(admin.list_users(webex_id="chen"))
    assert [u.email for u in by_id] == ["chen@example.com"]
    sent = simulator.received[-1].body
    assert sent.text("webExId") == "chen"


async def test_list_users_with_no_match_is_an_empty_list(admin):
    assert await collect(admin.list_users(email="nobody@example.com")) == []


async def test_only_site_admins_list_users(admin):
    with pytest.raises(WebexServiceError) as refused:
        await collect(host(admin, "ana").list_users())
    assert refused.value.kind is ErrorKind.NO_PRIVILEGE


async def test_wrong_password_is_bad_credentials(admin):
    stranger = admin.as_user(SecurityContext("ana", "wrong", site_name="demo"))
    with pytest.raises(WebexServiceError) as refused:
        await stranger.get_user("ana")
    assert (refused.value.exception_id, refused.value.kind) == ("030002", ErrorKind.BAD_CREDENTIALS)


async def test_wrong_site_name_is_bad_credentials(admin):
    elsewhere = admin.as_user(SecurityContext("ana", "demo-host-pass", site_name="other"))
    with pytest.raises(WebexServiceError) as refused:
        await elsewhere.get_user("ana")
    assert refused.value.kind is ErrorKind.BAD_CREDENTIALS


async def test_authenticate_user_gives_a_session_ticket_that_replaces_the_password(admin, simulator):
    ticket = await host(admin, "ana").authenticate_user()
    assert ticket.ticket and ticket.time_to_live_s == 5400
    with_ticket = admin.as_user(SecurityContext("ana", session_ticket=ticket.ticket, site_name="demo"))
    assert (await with_ticket.get_user("ana")).webex_id == "ana"
    header = simulator.received[-1].document
    assert b"<password>" not in header and b"<sessionTicket>" in header


async def test_login_ticket_logs_its_holder_in_once(admin, simulator: WebexSimulator):
    ticket = await host(admin, "ana").get_login_ticket()
    login = f"{simulator.url}/demo/p.php"
    async with httpx.AsyncClient() as browser:
        first = await browser.get(login, params={"AT": "LI", "WID": "ana", "TK": ticket, "MU": "GoBack"})
        again = await browser.get(login, params={"AT": "LI", "WID": "ana", "TK": ticket, "MU": "GoBack"})
    assert "Logged in as ana" in first.text
    assert "InvalidTicket" in again.text

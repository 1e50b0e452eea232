from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from bot.logs import install_redaction, redact
from tests.conftest import host
from webex import SecurityContext
from webex.models import NewMeeting
from webex.simulator.sites import DEMO_ADMIN_PASSWORD, DEMO_HOST_PASSWORD


async def test_no_password_ticket_or_host_url_in_the_logs_at_debug(admin, caplog):
    caplog.set_level(logging.DEBUG)
    created = await admin.create_meeting(
        NewMeeting("Logged", datetime(2030, 1, 1, 9, tzinfo=UTC), 30, "ana", password="meeting-pw-77")
    )
    host_url = await admin.get_host_url(created.key)
    login_ticket = await host(admin, "ana").get_login_ticket()
    session = await host(admin, "ana").authenticate_user()
    with_ticket = admin.as_user(SecurityContext("ana", session_ticket=session.ticket, site_name="demo"))
    await with_ticket.get_meeting(created.key)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    host_ticket = parse_qs(urlsplit(host_url).query)["TK"][0]
    for secret in (DEMO_ADMIN_PASSWORD, DEMO_HOST_PASSWORD, "meeting-pw-77", login_ticket, session.ticket, host_ticket):
        assert secret not in logged
    assert "webex meeting.CreateMeeting SUCCESS" in logged
    assert "<confName>Logged</confName>" in logged  # DEBUG does show the rest of the document


SECRETS = ("mtg-pw-1", "at-2", "rt-3", "cs-4", "bearer-5", "https://demo.example/start?MTID=s6", "pw-7", "tk-8")


def _chatty_records(log: logging.Logger) -> None:
    rest_reply = (
        '{"id": "m1", "password": "mtg-pw-1", "startLink": "https://demo.example/start?MTID=s6",'
        ' "joinLink": "https://demo.example/join?MTID=j9"}'
    )
    log.debug("REST reply %s", rest_reply)
    log.debug("token reply {'access_token': 'at-2', 'refresh_token': 'rt-3', 'expires_in': 1209600}")
    log.debug("token request grant_type=refresh_token&client_secret=cs-4&client_id=c1")
    log.debug("headers: Authorization: Bearer bearer-5")
    log.debug("link https://demo.example/demo/m.php?AT=JM&MK=123&PW=pw-7 and p.php?AT=LI&TK=tk-8")
    try:
        try:
            raise KeyError("<meetingPassword>mtg-pw-1</meetingPassword>")
        except KeyError as error:
            raise RuntimeError('create failed: {"password": "pw-7", "client_secret": "cs-4"}') from error
    except RuntimeError:
        log.exception("schedule failed for %s", "Bearer bearer-5")


def test_secrets_are_redacted_from_every_record_tracebacks_included(caplog):
    install_redaction()
    caplog.set_level(logging.DEBUG)
    _chatty_records(logging.getLogger("somebody.else"))

    shown = caplog.text
    assert "Traceback" in shown and "RuntimeError: create failed" in shown and "KeyError" in shown
    for secret in SECRETS:
        assert secret not in shown
    for record in caplog.records:
        for secret in SECRETS:
            assert secret not in record.getMessage() and secret not in (record.exc_text or "")
    assert "https://demo.example/join?MTID=j9" in shown  # a join link is not a secret
    assert "AT=JM&MK=123" in shown and "client_id=c1" in shown and "expires_in" in shown


def test_redact_keeps_the_shape_of_what_it_cleans():
    assert redact('{"password": "a b", "title": "x"}') == '{"password": "***", "title": "x"}'
    assert redact("<serv:meetingPassword>a b</serv:meetingPassword>") == (
        "<serv:meetingPassword>***</serv:meetingPassword>"
    )
    assert redact("NewMeeting(topic='t', password='p w')") == "NewMeeting(topic='t', password='***')"
    assert redact('"{\\"password\\": \\"inner\\"}"') == '"{\\"password\\": \\"***\\"}"'

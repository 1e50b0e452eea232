from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

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

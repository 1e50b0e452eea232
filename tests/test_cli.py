from __future__ import annotations

import subprocess
import sys

import httpx

from webex.xml import Node, parse_document


def test_help_lists_the_commands():
    shown = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "simulate-webex" in shown


def test_simulate_webex_serves_the_guide_site_on_a_free_port():
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "simulate-webex", "--port", "0", "--guide"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "site 'acme'" in line
        endpoint = line.rsplit(" ", 1)[-1].strip()
        request = (
            b'<serv:message xmlns:serv="http://www.webex.com/schemas/2002/06/service" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><header><securityContext>'
            b"<webExID>hostid</webExID><password>hostpassword</password><siteID>0000</siteID>"
            b'</securityContext></header><body><bodyContent xsi:type="java:com.webex.service.binding.'
            b'meeting.GetMeeting"><meetingKey>48591508</meetingKey></bodyContent></body></serv:message>'
        )
        reply = Node(parse_document(httpx.post(endpoint, content=request, timeout=10).content))
        assert reply.text("header/response/result") == "SUCCESS"
        assert reply.text("body/bodyContent/metaData/confName") == "Sample Meeting"
    finally:
        server.terminate()
        server.wait(10)


def test_bad_fail_rate_is_refused():
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "simulate-webex", "--fail-rate", "2"], capture_output=True, text=True
    )
    assert run.returncode == 2 and "fail-rate" in run.stderr

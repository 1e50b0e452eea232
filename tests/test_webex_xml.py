from __future__ import annotations

import pytest
from lxml import etree

from webex.xml import Node, XMLRefused, build, operation_name, parse_document, redact, request_document


def test_request_is_built_with_escaping_not_templates():
    body = build("bodyContent", build("metaData", confName='a < b & "c" \u202eevil'))
    document = request_document({"webExID": "ana", "password": "p<&>"}, "meeting.CreateMeeting", body)
    root = Node(parse_document(document))
    assert root.text("body/bodyContent/metaData/confName") == 'a < b & "c" \u202eevil'
    assert root.text("header/securityContext/password") == "p<&>"
    content = root.child("body/bodyContent")
    assert content is not None
    xsi_type = next(iter(content.element.attrib.values()))
    assert xsi_type == "java:com.webex.service.binding.meeting.CreateMeeting"


def test_undeclared_serv_prefix_is_accepted():
    root = parse_document(b"<serv:message><header/><body><bodyContent/></body></serv:message>")
    assert Node(root).name == "message"


def test_lookup_ignores_case_and_namespace():
    root = Node(
        parse_document(
            b'<m xmlns:meet="urn:x"><meet:meetingkey> 42\n</meet:meetingkey><hostWebexID>ana</hostWebexID></m>'
        )
    )
    assert root.text("meetingKey") == "42"
    assert root.text("HOSTWEBEXID") == "ana"
    assert root.child("missing/deeper") is None


def test_entity_expansion_bomb_is_refused_without_expanding():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b"]><serv:message>&lol9;</serv:message>"
    )
    with pytest.raises(XMLRefused, match="document type"):
        parse_document(bomb)


def test_external_entity_is_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    document = (f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]><m>&x;</m>').encode()
    with pytest.raises(XMLRefused) as refused:
        parse_document(document)
    assert "TOP-SECRET" not in str(refused.value)


def test_malformed_document_is_refused():
    with pytest.raises(XMLRefused):
        parse_document(b"<serv:message><header>")


@pytest.mark.parametrize(
    ("xsi_type", "name"),
    [
        ("java:com.webex.service.binding.meeting.CreateMeeting", "createmeeting"),
        ("java:com.webex.service.binding.meeting.auo.CreateTeleconf\nerenceSession", "createteleconferencesession"),
        ("site.LstTimeZone", "lsttimezone"),
        ("meet:createMeeting", "createmeeting"),
        ("java:com.webex.service.binding.user.GetLoginTicket", "getloginticket"),
    ],
)
def test_operation_names_in_every_spelling_the_guide_uses(xsi_type, name):
    assert operation_name(xsi_type) == name


def test_redaction_blanks_secrets_and_login_urls():
    document = request_document(
        {"webExID": "svc", "password": "hunter2", "sessionTicket": "TICKET-1"},
        "meeting.GetMeeting",
        build("bodyContent", meetingKey="1"),
    )
    text = redact(document)
    assert "hunter2" not in text and "TICKET-1" not in text
    assert "svc" in text
    reply = b"<m><hostMeetingURL>https://x/p.php?AT=LI&amp;TK=abc</hostMeetingURL><u>https://x?a=1&amp;PW=pw9</u></m>"
    text = redact(reply)
    assert "abc" not in text and "pw9" not in text


def test_build_repeats_sequences_and_skips_none():
    element = build("x", a=None, b=[1, 2], c=True)
    assert etree.tostring(element) == b"<x><b>1</b><b>2</b><c>true</c></x>"

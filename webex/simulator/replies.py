"""Reply envelopes the simulated site sends, shaped like the guide's sample responses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..xml import KNOWN_NAMESPACES, SERV, XSI

# A reply body: element name -> text, nested mapping, or a list of either (repeated elements).
# A name may carry its own prefix ("serv:host"); otherwise the reply's service prefix is used.
Fields = Mapping[str, Any]
Value = str | int | bool | None | Fields | Sequence[Any]


@dataclass(frozen=True)
class Reply:
    prefix: str  # the service prefix: use, ep, meet, auo, train, ns1
    type_name: str  # for example createMeetingResponse
    fields: Fields = field(default_factory=dict)


class Failure(Exception):
    """A FAILURE reply with an exceptionID."""

    def __init__(self, exception_id: str, reason: str) -> None:
        super().__init__(f"{exception_id} {reason}")
        self.exception_id = exception_id
        self.reason = reason


def _envelope(extra_prefixes: Sequence[str]) -> tuple[etree._Element, etree._Element]:
    nsmap = {"serv": SERV, "com": KNOWN_NAMESPACES["com"]}
    for prefix in extra_prefixes:
        nsmap[prefix] = KNOWN_NAMESPACES[prefix]
    message = etree.Element(f"{{{SERV}}}message", nsmap=nsmap)
    header = etree.SubElement(message, f"{{{SERV}}}header")
    response = etree.SubElement(header, f"{{{SERV}}}response")
    return message, response


def success(reply: Reply) -> bytes:
    message, response = _envelope([reply.prefix])
    _leaf(response, "serv", "result", "SUCCESS")
    _leaf(response, "serv", "gsbStatus", "PRIMARY")
    body = etree.SubElement(message, f"{{{SERV}}}body")
    content = etree.SubElement(body, f"{{{SERV}}}bodyContent", nsmap={"xsi": XSI})
    content.set(f"{{{XSI}}}type", f"{reply.prefix}:{reply.type_name}")
    _fill(content, reply.prefix, reply.fields)
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8"))


def failure(error: Failure) -> bytes:
    message, response = _envelope([])
    _leaf(response, "serv", "result", "FAILURE")
    _leaf(response, "serv", "reason", error.reason)
    _leaf(response, "serv", "gsbStatus", "PRIMARY")
    _leaf(response, "serv", "exceptionID", error.exception_id)
    body = etree.SubElement(message, f"{{{SERV}}}body")
    etree.SubElement(body, f"{{{SERV}}}bodyContent")
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8"))


def _fill(parent: etree._Element, prefix: str, fields: Fields) -> None:
    for name, value in fields.items():
        _add(parent, prefix, name, value)


def _add(parent: etree._Element, prefix: str, name: str, value: Value) -> None:
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _add(parent, prefix, name, item)
        return
    own_prefix, _, local = name.rpartition(":")
    ns = KNOWN_NAMESPACES[own_prefix or prefix]
    element = etree.SubElement(parent, f"{{{ns}}}{local}")
    if isinstance(value, Mapping):
        _fill(element, prefix, value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def _leaf(parent: etree._Element, prefix: str, name: str, text: str) -> None:
    etree.SubElement(parent, f"{{{KNOWN_NAMESPACES[prefix]}}}{name}").text = text


def matching_records(total: int, returned: int, start_from: int) -> Fields:
    return {"serv:total": total, "serv:returned": returned, "serv:startFrom": start_from}

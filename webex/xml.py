"""XML for the Webex XML API: the request envelope, hardened parsing, and tolerant element lookup.

Requests are built with lxml element builders. Replies are parsed with a parser that loads no DTD,
expands no entity and touches no network; a document that carries a DOCTYPE is refused. Elements
are matched by local name, case-insensitively, because the service and its samples mix
`meetingKey`/`meetingkey` and `hostWebexID`/`hostWebExID`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from lxml import etree

SERV = "http://www.webex.com/schemas/2002/06/service"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
BINDING_PREFIX = "java:com.webex.service.binding."

KNOWN_NAMESPACES: Mapping[str, str] = {
    "serv": SERV,
    "xsi": XSI,
    "com": "http://www.webex.com/schemas/2002/06/common",
    "use": "http://www.webex.com/schemas/2002/06/service/user",
    "ep": "http://www.webex.com/schemas/2002/06/service/ep",
    "meet": "http://www.webex.com/schemas/2002/06/service/meeting",
    "att": "http://www.webex.com/schemas/2002/06/service/attendee",
    "auo": "http://www.webex.com/schemas/2002/06/service/meeting/auo",
    "sess": "http://www.webex.com/schemas/2002/06/service/session",
    "train": "http://www.webex.com/schemas/2002/06/service/trainingsession",
    "event": "http://www.webex.com/schemas/2002/06/service/event",
    "sc": "http://www.webex.com/schemas/2002/06/service/supportsession",
    "ns1": "http://www.webex.com/schemas/2002/06/service/site",
    "history": "http://www.webex.com/schemas/2002/06/service/history",
    "mtgtype": "http://www.webex.com/schemas/2002/06/service/meetingtype",
}

# Elements whose text is a secret or logs its holder in; never written to a log.
SECRET_ELEMENTS = frozenset(
    {
        "password",
        "sessionticket",
        "ticket",
        "hostmeetingurl",
        "samlresponse",
        "accesstoken",
        "meetingpassword",
        "sessionpassword",
        "registrationpwd",
    }
)
_SECRET_URL_ARGS = re.compile(r"([?&](?:PW|TK|SK|MPW)=)[^&\s<]*", re.IGNORECASE)

_PARSERS = threading.local()  # one parser per thread: lxml serializes the users of a shared parser


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _PARSERS.parser = parser
    return parser

_USED_PREFIX = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[\w.-]+\s*=")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")


class XMLRefused(ValueError):
    """The document is not well-formed, or uses a feature we refuse to process (DTDs, entities)."""


def parse_document(data: bytes) -> etree._Element:
    """Parse `data` with the hardened parser and return its root element.

    Prefixes from the Webex schemas that a document uses without declaring (the guide's samples
    do this with `serv:`) are declared on the root before a second attempt.
    """
    if b"<!DOCTYPE" in data[: _prolog_end(data)]:
        raise XMLRefused("document type declarations are not accepted")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as first:
        if "Namespace prefix" not in str(first):
            raise XMLRefused(str(first)) from None
        try:
            root = etree.fromstring(_declare_known_prefixes(data), _parser())
        except etree.XMLSyntaxError as second:
            raise XMLRefused(str(second)) from None
    if root.getroottree().docinfo.doctype:
        raise XMLRefused("document type declarations are not accepted")
    return root


def _declare_known_prefixes(data: bytes) -> bytes:
    used = {m.group(1) or m.group(2) for m in _USED_PREFIX.finditer(data)}
    missing = sorted(
        p.decode()
        for p in used
        if p != b"xmlns" and p.decode() in KNOWN_NAMESPACES and b"xmlns:" + p + b"=" not in data
    )
    match = _ROOT_TAG.search(data, _prolog_end(data))
    if not missing or match is None:
        return data
    decls = "".join(f' xmlns:{p}="{KNOWN_NAMESPACES[p]}"' for p in missing).encode()
    return data[: match.end()] + decls + data[match.end() :]


def _prolog_end(data: bytes) -> int:
    pos = 0
    while True:
        start = data.find(b"<", pos)
        if start < 0 or data[start + 1 : start + 2] not in (b"?", b"!"):
            return max(start, 0)
        pos = data.find(b">", start) + 1


def local(element: etree._Element) -> str:
    """The element's local name in lower case (comments and the like give "")."""
    tag = element.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@lru_cache(maxsize=4096)
def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


class Node:
    """Read-only view of an element with case-insensitive, namespace-blind child lookup."""

    __slots__ = ("element",)

    def __init__(self, element: etree._Element) -> None:
        self.element = element

    @property
    def name(self) -> str:
        return local(self.element)

    @property
    def value(self) -> str:
        """All text inside the element, whitespace-trimmed."""
        return "".join(self.element.itertext()).strip()

    def fields(self) -> dict[str, str]:
        """Each direct child's trimmed text by lower-case local name (the first of repeated names)."""
        found: dict[str, str] = {}
        for child in self.element:
            name = local(child)
            if name and name not in found:
                found[name] = (child.text or "").strip() if len(child) == 0 else Node(child).value
        return found

    def children(self, name: str | None = None) -> Iterator[Node]:
        wanted = name.lower() if name else None
        for child in self.element:
            if wanted is None or local(child) == wanted:
                yield Node(child)

    def child(self, path: str) -> Node | None:
        """The first element along a slash-separated path of local names, or None."""
        node: Node | None = self
        for part in path.split("/"):
            if node is None:
                return None
            node = next(node.children(part), None)
        return node

    def text(self, path: str, default: str = "") -> str:
        node = self.child(path)
        return node.value if node is not None else default

    def int(self, path: str, default: int = 0) -> int:
        raw = self.text(path)
        try:
            return int(raw)
        except ValueError:
            return default

    def bool(self, path: str, default: bool = False) -> bool:
        raw = self.text(path).lower()
        if raw in ("true", "1", "yes"):
            return True
        if raw in ("false", "0", "no"):
            return False
        return default

    def find_all(self, name: str) -> Iterator[Node]:
        """Every descendant with this local name, in document order."""
        wanted = name.lower()
        for element in self.element.iter():
            if local(element) == wanted and element is not self.element:
                yield Node(element)


def build(tag: str, *children: Any, **fields: Any) -> etree._Element:
    """An unprefixed element; `children` are elements, `fields` become child elements.

    Field values that are None are left out, booleans become true/false, and a tuple or list
    repeats the element once per item. Use `sub()` for names that are not Python identifiers.
    """
    element = etree.Element(tag)
    for child in children:
        if child is not None:
            element.append(child)
    for name, value in fields.items():
        sub(element, name, value)
    return element


def sub(parent: etree._Element, name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            sub(parent, name, item)
        return
    if isinstance(value, etree._Element):
        wrapper = etree.SubElement(parent, name)
        wrapper.append(value)
        return
    child = etree.SubElement(parent, name)
    child.text = _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def request_document(security: Mapping[str, str | None], operation: str, body: etree._Element | None) -> bytes:
    """The full request message for `operation` (for example "meeting.CreateMeeting")."""
    nsmap = {"serv": SERV, "xsi": XSI}
    message = etree.Element(f"{{{SERV}}}message", nsmap=nsmap)
    header = etree.SubElement(message, "header")
    context = etree.SubElement(header, "securityContext")
    for name, value in security.items():
        if value:
            etree.SubElement(context, name).text = value
    body_el = etree.SubElement(message, "body")
    content = etree.SubElement(body_el, "bodyContent")
    content.set(f"{{{XSI}}}type", BINDING_PREFIX + operation)
    if body is not None:
        content.text = body.text
        for child in list(body):
            content.append(child)
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8"))


def operation_name(xsi_type: str) -> str:
    """`java:com.webex.service.binding.meeting.CreateMeeting` -> `createmeeting` (any spelling)."""
    name = "".join(xsi_type.split())
    name = name.rsplit(":", 1)[-1] if not name.startswith("java:") else name[5:]
    return name.rsplit(".", 1)[-1].lower()


def redact(data: bytes) -> str:
    """The document as text with every secret element and secret URL argument blanked."""
    try:
        root = parse_document(data)
    except XMLRefused:
        return f"<{len(data)} bytes, not XML>"
    for element in root.iter():
        if local(element) in SECRET_ELEMENTS and (element.text or len(element)):
            for child in list(element):
                element.remove(child)
            element.text = "***"
        elif element.text and "=" in element.text:
            element.text = _SECRET_URL_ARGS.sub(r"\1***", element.text)
    return etree.tostring(root, encoding="unicode")

"""Logging set-up, with secrets redacted from every log record whoever logs it, tracebacks included.

Redacted: passwords (`password`, `meetingPassword`, `<password>`, `"password": ...`), login and
session tickets, OAuth tokens (`access_token`, `refresh_token`, `Bearer ...`), client secrets, host
links (`hostMeetingURL`, the REST API's `startLink`) and the URL API's secret arguments (`PW=`,
`TK=`, ...). Join links are not secrets and stay.
"""

from __future__ import annotations

import logging
import re

_MASK = "***"
_KEYS = (
    r"[\w-]*(?:password|passwd|secret|token|ticket)[\w-]*|startLink|hostMeetingURL|hostKey|authorization|api[_-]?key"
)
# key: value / key=value / "key": "value" / 'key': 'value' / \"key\": \"value\" (JSON inside a string)
_FIELD = re.compile(
    rf"""(?P<key>\\?["']?\b(?:{_KEYS})\\?["']?\s*(?::|=>?)\s*)"""
    r"""(?P<value>\\"(?:(?!\\").)*\\"|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"'<>&,;}\])]+)""",
    re.IGNORECASE,
)
_ELEMENT = re.compile(rf"(<(?:[\w.-]+:)?(?:{_KEYS})(?:\s[^>]*)?>)[^<]+", re.IGNORECASE)
_URL_ARGS = re.compile(r"((?:[?&]|%26|\\u0026)(?:TK|PW|SK|MPW|JPW)(?:=|%3D))[^&\s\"'<>%]+", re.IGNORECASE)
# a REST startLink (…/joinservice/sites/<site>/meeting/start/<ticket>) logs its holder in as the host
_START_LINK = re.compile(r"(/meeting/start/)[^\s\"'<>?&\\]+", re.IGNORECASE)
_SCHEME_CREDENTIALS = re.compile(r"\b((?:Bearer|Basic)\s+)[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE)
_installed = False
# slack_sdk's clients build each debug message (the whole request and response) whenever their logger's own
# level is unset, whatever the root's; given the bot's level, they skip that work unless it is DEBUG.
_SLACK_SDK_CLIENT_LOGGERS = ("slack_sdk.web.async_base_client", "slack_sdk.webhook.async_client")


def _mask_value(match: re.Match[str]) -> str:
    value = match.group("value")
    for quote in ('\\"', '"', "'"):
        if value.startswith(quote) and len(value) >= 2 * len(quote):
            return f"{match.group('key')}{quote}{_MASK}{quote}"
    return f"{match.group('key')}{_MASK}"


def redact(text: str) -> str:
    text = _URL_ARGS.sub(rf"\1{_MASK}", text)
    text = _START_LINK.sub(rf"\1{_MASK}", text)
    text = _SCHEME_CREDENTIALS.sub(rf"\1{_MASK}", text)
    text = _ELEMENT.sub(rf"\1{_MASK}", text)
    return _FIELD.sub(_mask_value, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact the message (with its arguments), the traceback and the stack of one record in place.

    The traceback is formatted here, redacted, and kept in `exc_text`, which formatters use as it is.
    """
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not format is left as it is
        message = None
    if message is not None:
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install_redaction() -> None:
    """Make every log record redact secrets, for every logger and handler."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return redact_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for name in _SLACK_SDK_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(level.upper())
    install_redaction()

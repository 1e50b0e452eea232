"""Logging set-up, with secrets redacted from every record whoever logs it."""

from __future__ import annotations

import logging
import re

_SECRET_URL_ARGS = re.compile(r"((?:[?&]|%26|\\u0026)(?:TK|PW|SK|MPW)(?:=|%3D))[^&\s\"'<>%]+", re.IGNORECASE)
_SECRET_FIELDS = re.compile(
    r"((?:password|sessionTicket|ticket|hostMeetingURL)[\"']?\s*[:=>]\s*[\"']?)[^\s\"'<&,}]+", re.IGNORECASE
)
_installed = False


def redact(text: str) -> str:
    return _SECRET_FIELDS.sub(r"\1***", _SECRET_URL_ARGS.sub(r"\1***", text))


def install_redaction() -> None:
    """Make every log record redact login tickets, passwords and host URLs, for every handler."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not format is left as it is
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_redaction()

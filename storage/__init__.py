"""The SQLite store (sqlite-utils): links, meetings, idempotency keys, settings, audit log."""

from .store import Link, MeetingRecord, Reminder, Store

__all__ = ["Link", "MeetingRecord", "Reminder", "Store"]

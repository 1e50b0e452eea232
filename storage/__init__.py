"""The SQLite store (sqlite-utils): links, meetings, durable intents, idempotency keys, reminders,
settings, audit log."""

from .store import Intent, Link, MeetingRecord, Reminder, Store

__all__ = ["Intent", "Link", "MeetingRecord", "Reminder", "Store"]

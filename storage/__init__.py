"""The store (SQLite by default, or PostgreSQL): links, meetings, durable intents, idempotency keys,
reminders, settings, secrets, audit log; versioned migrations for both engines."""

from .errors import StoreUnavailable
from .store import Intent, Link, MeetingRecord, Reminder, Store, WebexConnectionRecord

__all__ = ["Intent", "Link", "MeetingRecord", "Reminder", "Store", "StoreUnavailable", "WebexConnectionRecord"]

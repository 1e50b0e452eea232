"""The SQLite store: account links, meetings made through the bot, idempotency keys, audit log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .migrations import migrations


@dataclass(frozen=True)
class Link:
    team_id: str
    slack_user_id: str
    webex_id: str
    email: str
    verified_by: str
    linked_at: str


@dataclass(frozen=True)
class MeetingRecord:
    meeting_key: str
    team_id: str
    channel_id: str
    card_ts: str
    host_webex_id: str
    host_slack_user_id: str
    topic: str
    start: str
    duration_minutes: int
    created_by: str
    status: str
    created_at: str
    kind: str = "meeting"
    invitees: str = "[]"  # JSON list of Slack user ids
    started_at: str | None = None
    ended_at: str | None = None

    @property
    def invitee_ids(self) -> tuple[str, ...]:
        return tuple(json.loads(self.invitees or "[]"))


@dataclass(frozen=True)
class Reminder:
    id: int
    meeting_key: str
    slack_user_id: str
    role: str  # host or invitee
    due_at: str
    sent_at: str | None


AuditListener = Callable[[str, str, str, str, dict[str, object]], None]


class Store:
    """One SQLite file in WAL mode; calls are short and run inline on the event loop.

    `on_audit`, when set, hears every audit entry (team, actor, action, subject, detail) as it is written.
    """

    on_audit: AuditListener | None = None

    def __init__(self, path: str | Path) -> None:
        connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 5000")
        if str(path) != ":memory:":
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        self.db = Database(connection)
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.conn.close()

    def pending_migrations(self) -> list[str]:
        return [m.name for m in migrations.pending(self.db)]

    # -- links ---------------------------------------------------------------------------

    def link_for(self, team_id: str, slack_user_id: str) -> Link | None:
        row = self._one("select * from links where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
        return Link(**row) if row else None

    def slack_user_for(self, team_id: str, webex_id: str) -> str | None:
        rows = self.db.table("links").rows_where(
            "team_id = ? and lower(webex_id) = lower(?)", [team_id, webex_id], limit=1
        )
        return next((row["slack_user_id"] for row in rows), None)

    def link(self, team_id: str, slack_user_id: str, webex_id: str, email: str, verified_by: str, actor: str) -> Link:
        """Link a Slack user to a Webex account, replacing the user's earlier link and any other
        user's link to the same account."""
        now = _now()
        with self.db.atomic():
            self.db.execute(
                "delete from links where team_id = ? and lower(webex_id) = lower(?) and slack_user_id != ?",
                [team_id, webex_id, slack_user_id],
            )
            self.db.table("links").upsert(
                {
                    "team_id": team_id,
                    "slack_user_id": slack_user_id,
                    "webex_id": webex_id,
                    "email": email,
                    "verified_by": verified_by,
                    "linked_at": now,
                },
                pk=("team_id", "slack_user_id"),
            )
            self._audit(team_id, actor, "link", slack_user_id, {"webex_id": webex_id, "verified_by": verified_by})
        link = self.link_for(team_id, slack_user_id)
        assert link is not None
        return link

    def unlink(self, team_id: str, slack_user_id: str, actor: str) -> Link | None:
        link = self.link_for(team_id, slack_user_id)
        if link is None:
            return None
        with self.db.atomic():
            self.db.table("links").delete((team_id, slack_user_id))
            self._audit(team_id, actor, "unlink", slack_user_id, {"webex_id": link.webex_id})
        return link

    def links(self, team_id: str) -> list[Link]:
        return [Link(**row) for row in self.db.table("links").rows_where("team_id = ?", [team_id], order_by="webex_id")]

    # -- meetings ------------------------------------------------------------------------

    def record_meeting(self, record: MeetingRecord, actor: str) -> None:
        fields = record.__dict__
        columns = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        with self.db.atomic():
            self.db.execute(f"insert or replace into meetings ({columns}) values ({marks})", list(fields.values()))
            self._audit(
                record.team_id,
                actor,
                "create_meeting",
                record.meeting_key,
                {"topic": record.topic, "start": record.start},
            )

    def meeting(self, meeting_key: str) -> MeetingRecord | None:
        row = self._one("select * from meetings where meeting_key = ?", [meeting_key])
        return MeetingRecord(**row) if row else None

    def set_card(self, meeting_key: str, channel_id: str, card_ts: str) -> None:
        self.db.execute(
            "update meetings set channel_id = ?, card_ts = ? where meeting_key = ?", [channel_id, card_ts, meeting_key]
        )

    def set_status(self, meeting_key: str, status: str, actor: str, team_id: str) -> None:
        with self.db.atomic():
            if self.meeting(meeting_key) is not None:
                self.db.table("meetings").update(meeting_key, {"status": status})
            self._audit(team_id, actor, f"meeting_{status}", meeting_key, {})

    def tracked_meetings(self) -> list[MeetingRecord]:
        """Meetings made through the bot that have not ended or been cancelled, in every team."""
        rows = self._rows("select * from meetings where status in ('scheduled', 'live') order by start", [])
        return [MeetingRecord(**row) for row in rows]

    def move_meeting(self, meeting_key: str, start: str, duration_minutes: int) -> None:
        self.db.execute(
            "update meetings set start = ?, duration_minutes = ? where meeting_key = ?",
            [start, duration_minutes, meeting_key],
        )

    def mark_live(self, meeting_key: str, at: str) -> None:
        self.db.execute("update meetings set status = 'live', started_at = ? where meeting_key = ?", [at, meeting_key])

    def mark_ended(self, meeting_key: str, at: str) -> None:
        self.db.execute("update meetings set status = 'ended', ended_at = ? where meeting_key = ?", [at, meeting_key])

    def meetings(self, team_id: str) -> list[MeetingRecord]:
        rows = self.db.table("meetings").rows_where("team_id = ?", [team_id], order_by="start")
        return [MeetingRecord(**row) for row in rows]

    # -- reminders -----------------------------------------------------------------------

    def add_reminders(self, meeting_key: str, recipients: list[tuple[str, str]], due_at: str) -> None:
        """One reminder per (Slack user, role), due at `due_at` (ISO 8601, UTC)."""
        with self.db.atomic():
            for user_id, role in recipients:
                self.db.execute(
                    "insert into reminders (meeting_key, slack_user_id, role, due_at) values (?, ?, ?, ?)",
                    [meeting_key, user_id, role, due_at],
                )

    def due_reminders(self, now: str) -> list[Reminder]:
        cursor = self.db.execute(
            "select id, meeting_key, slack_user_id, role, due_at, sent_at from reminders"
            " where sent_at is null and due_at <= ? order by due_at, id",
            [now],
        )
        return [Reminder(*row) for row in cursor.fetchall()]

    def claim_reminder(self, reminder_id: int, now: str) -> bool:
        """Mark a reminder sent; False when another delivery got there first."""
        cursor = self.db.execute(
            "update reminders set sent_at = ? where id = ? and sent_at is null", [now, reminder_id]
        )
        return cursor.rowcount == 1

    def release_reminder(self, reminder_id: int) -> None:
        """Undo a claim whose message could not be sent, so the next round tries again."""
        self.db.execute("update reminders set sent_at = null where id = ?", [reminder_id])

    def drop_reminders(self, meeting_key: str) -> None:
        self.db.execute("delete from reminders where meeting_key = ? and sent_at is null", [meeting_key])

    def move_reminders(self, meeting_key: str, due_at: str) -> None:
        self.db.execute(
            "update reminders set due_at = ? where meeting_key = ? and sent_at is null", [due_at, meeting_key]
        )

    # -- settings ------------------------------------------------------------------------

    def setting(self, team_id: str, name: str) -> str | None:
        row = self._one("select value from settings where team_id = ? and name = ?", [team_id, name])
        return str(row["value"]) if row else None

    def set_setting(self, team_id: str, name: str, value: str, actor: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "insert or replace into settings (team_id, name, value) values (?, ?, ?)", [team_id, name, value]
            )
            self._audit(team_id, actor, "setting", name, {"value": value})

    def counts(self, team_id: str) -> dict[str, int]:
        links = self._one("select count(*) as n from links where team_id = ?", [team_id])
        meetings = self._one("select count(*) as n from meetings where team_id = ?", [team_id])
        return {"links": int(links["n"]) if links else 0, "meetings": int(meetings["n"]) if meetings else 0}

    # -- idempotency ---------------------------------------------------------------------

    def claim(self, key: str) -> bool:
        """True the first time `key` is claimed, False for every later delivery of it."""
        cursor = self.db.execute(
            "insert or ignore into idempotency_keys (key, created_at, result) values (?, ?, '')", [key, _now()]
        )
        return cursor.rowcount == 1

    # -- audit ---------------------------------------------------------------------------

    def audit(self, team_id: str, actor: str, action: str, subject: str, detail: dict[str, object]) -> None:
        self._audit(team_id, actor, action, subject, detail)

    def _audit(self, team_id: str, actor: str, action: str, subject: str, detail: dict[str, object]) -> None:
        self.db.execute(
            "insert into audit_log (at, team_id, actor, action, subject, detail) values (?, ?, ?, ?, ?, ?)",
            [_now(), team_id, actor, action, subject, json.dumps(detail, sort_keys=True)],
        )
        if self.on_audit is not None:
            self.on_audit(team_id, actor, action, subject, detail)

    def _rows(self, sql: str, params: list[str]) -> list[dict[str, Any]]:
        """Rows as dicts: the hot paths skip sqlite-utils' table introspection."""
        cursor = self.db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _one(self, sql: str, params: list[str]) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def audit_log(self, team_id: str) -> list[dict[str, object]]:
        return list(self.db.table("audit_log").rows_where("team_id = ?", [team_id], order_by="id"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

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
    join_url: str = ""
    intent_key: str = ""  # the request that made it
    recurrence: str | None = None  # a series' RRULE; `start` is its first meeting
    time_zone: str = ""  # the host's IANA zone when it was made: a series repeats at that wall time

    @property
    def invitee_ids(self) -> tuple[str, ...]:
        return tuple(json.loads(self.invitees or "[]"))


@dataclass(frozen=True)
class Invitation:
    """The direct message that invited someone to a meeting."""

    meeting_key: str
    slack_user_id: str
    channel_id: str
    ts: str


@dataclass(frozen=True)
class Reminder:
    id: int
    meeting_key: str
    slack_user_id: str
    role: str  # host or invitee
    due_at: str
    sent_at: str | None  # when Slack took it to deliver
    channel_id: str | None = None
    scheduled_id: str | None = None
    retract: int = 0


@dataclass(frozen=True)
class Intent:
    """An acknowledged request that will write to Webex, recorded before any Webex call."""

    key: str
    team_id: str
    user_id: str
    channel_id: str
    action: str
    payload: str  # JSON
    state: str = "pending"  # pending, running, done, failed
    attempts: int = 0
    meeting_key: str = ""
    progress: str = "{}"  # JSON
    outcome: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def args(self) -> dict[str, Any]:
        value = json.loads(self.payload or "{}")
        return value if isinstance(value, dict) else {}

    @property
    def done_steps(self) -> dict[str, Any]:
        value = json.loads(self.progress or "{}")
        return value if isinstance(value, dict) else {}


UNFINISHED = ("pending", "running")


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
            self.db.execute("delete from unlinked where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
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

    def holder_of(self, team_id: str, webex_id: str, other_than: str) -> Link | None:
        """Another Slack user's link to this Webex account, if someone else holds it."""
        row = self._one(
            "select * from links where team_id = ? and lower(webex_id) = lower(?) and slack_user_id != ?",
            [team_id, webex_id, other_than],
        )
        return Link(**row) if row else None

    def stay_unlinked(self, team_id: str, slack_user_id: str, reason: str) -> None:
        """Remember that this person must not be linked by email again until they link themselves."""
        self.db.table("unlinked").upsert(
            {"team_id": team_id, "slack_user_id": slack_user_id, "reason": reason, "at": _now()},
            pk=("team_id", "slack_user_id"),
        )

    def unlinked_because(self, team_id: str, slack_user_id: str) -> str | None:
        """Why this person stays unlinked ("unlinked", "taken"), or None."""
        row = self._one("select reason from unlinked where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
        return str(row["reason"]) if row else None

    def links(self, team_id: str) -> list[Link]:
        return [Link(**row) for row in self.db.table("links").rows_where("team_id = ?", [team_id], order_by="webex_id")]

    # -- meetings ------------------------------------------------------------------------

    def record_meeting(self, record: MeetingRecord, actor: str) -> None:
        """Store a meeting Webex has made; its intent (when it has one) learns the key in the same transaction."""
        fields = record.__dict__
        columns = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        with self.db.atomic():
            self.db.execute(f"insert or replace into meetings ({columns}) values ({marks})", list(fields.values()))
            if record.intent_key:
                self.db.execute(
                    "update intents set meeting_key = ?, updated_at = ? where key = ?",
                    [record.meeting_key, _now(), record.intent_key],
                )
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

    def meetings_inviting(self, team_id: str, slack_user_id: str) -> list[MeetingRecord]:
        """Meetings made through the bot, not ended or cancelled, that invite this Slack user."""
        rows = self._rows(
            "select * from meetings where team_id = ? and status in ('scheduled', 'live') and exists "
            "(select 1 from json_each(meetings.invitees) where value = ?) order by start",
            [team_id, slack_user_id],
        )
        return [MeetingRecord(**row) for row in rows]

    def record_invitation(self, invitation: Invitation) -> None:
        self.db.table("invitations").upsert(invitation.__dict__, pk=("meeting_key", "slack_user_id"))

    def invitations_of(self, meeting_key: str) -> list[Invitation]:
        rows = self._rows("select * from invitations where meeting_key = ? order by slack_user_id", [meeting_key])
        return [Invitation(**row) for row in rows]

    # -- reminders -----------------------------------------------------------------------

    def add_reminders(self, meeting_key: str, recipients: list[tuple[str, str]], due_at: str) -> None:
        """One reminder per (Slack user, role), due at `due_at` (ISO 8601, UTC)."""
        with self.db.atomic():
            for user_id, role in recipients:
                self.db.execute(
                    "insert into reminders (meeting_key, slack_user_id, role, due_at) values (?, ?, ?, ?)",
                    [meeting_key, user_id, role, due_at],
                )

    # Slack holds each reminder (chat.scheduleMessage) once it is handed over: `sent_at` is when the bot began
    # handing it over, `scheduled_id` what Slack answered. A reminder with `retract` set is deleted from Slack,
    # then forgotten. bot/reminders.py carries these states out.

    def reminders_of(self, meeting_key: str) -> list[Reminder]:
        return self._reminders("where meeting_key = ? and retract = 0 order by id", [meeting_key])

    def reminders_to_hand_over(self, until: str) -> list[Reminder]:
        """Reminders Slack does not hold yet, due before `until`, oldest first."""
        return self._reminders(
            "where scheduled_id is null and retract = 0 and due_at <= ? order by due_at, id", [until]
        )

    def reminders_to_retract(self) -> list[Reminder]:
        return self._reminders("where retract = 1 order by id", [])

    def handing_over(self, reminder_id: int, channel_id: str, at: str) -> None:
        self.db.execute("update reminders set channel_id = ?, sent_at = ? where id = ?", [channel_id, at, reminder_id])

    def handed_over(self, reminder_id: int, scheduled_id: str) -> None:
        self.db.execute("update reminders set scheduled_id = ? where id = ?", [scheduled_id, reminder_id])

    def forget_reminder(self, reminder_id: int) -> None:
        self.db.execute("delete from reminders where id = ?", [reminder_id])

    def drop_reminders(self, meeting_key: str) -> None:
        """A cancelled meeting's reminders: those Slack holds are retracted, the others forgotten."""
        with self.db.atomic():
            self.db.execute(
                "update reminders set retract = 1 where meeting_key = ? and sent_at is not null", [meeting_key]
            )
            self.db.execute("delete from reminders where meeting_key = ? and sent_at is null", [meeting_key])

    def reminders_handed_over(self, due_before: str) -> list[Reminder]:
        """Reminders Slack holds (or has posted) that were due before `due_before`."""
        return self._reminders(
            "where scheduled_id is not null and retract = 0 and due_at <= ? order by due_at, id", [due_before]
        )

    def next_reminder(self, reminder: Reminder, due_at: str) -> None:
        """A series: the reminder of its next meeting takes the place of one Slack has posted."""
        with self.db.atomic():
            self.forget_reminder(reminder.id)
            self.add_reminders(reminder.meeting_key, [(reminder.slack_user_id, reminder.role)], due_at)

    def move_reminders(self, meeting_key: str, due_at: str) -> None:
        """A moved meeting's reminders: new ones at `due_at`, those Slack holds at the old time retracted."""
        with self.db.atomic():
            recipients = [(r.slack_user_id, r.role) for r in self.reminders_of(meeting_key)]
            self.drop_reminders(meeting_key)
            self.add_reminders(meeting_key, recipients, due_at)

    def _reminders(self, where: str, params: list[str]) -> list[Reminder]:
        rows = self._rows(f"select * from reminders {where}", params)
        return [Reminder(**row) for row in rows]

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

    # -- secrets (tokens the bot renews itself); never audited, never logged ----------------

    def secret(self, name: str) -> str | None:
        row = self._one("select value from secrets where name = ?", [name])
        return str(row["value"]) if row else None

    def put_secret(self, name: str, value: str) -> None:
        self.db.execute(
            "insert or replace into secrets (name, value, updated_at) values (?, ?, ?)", [name, value, _now()]
        )

    # -- idempotency ---------------------------------------------------------------------

    def claim(self, key: str) -> bool:
        """True the first time `key` is claimed, False for every later delivery of it."""
        cursor = self.db.execute(
            "insert or ignore into idempotency_keys (key, created_at, result) values (?, ?, '')", [key, _now()]
        )
        return cursor.rowcount == 1

    def prune(self, before: str) -> int:
        """Forget idempotency keys and finished intents older than `before` (ISO 8601, UTC)."""
        with self.db.atomic():
            keys = self.db.execute("delete from idempotency_keys where created_at < ?", [before]).rowcount
            done = self.db.execute(
                "delete from intents where state in ('done', 'failed') and updated_at < ?", [before]
            ).rowcount
        return int(keys) + int(done)

    # -- intents -------------------------------------------------------------------------

    def record_intent(self, intent: Intent) -> bool:
        """Claim the request and record what it will do, in one transaction. False for a repeated delivery."""
        now = _now()
        with self.db.atomic():
            if not self.claim(intent.key):
                return False
            self.db.execute(
                "insert into intents (key, team_id, user_id, channel_id, action, payload, state, created_at,"
                " updated_at) values (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                [
                    intent.key,
                    intent.team_id,
                    intent.user_id,
                    intent.channel_id,
                    intent.action,
                    intent.payload,
                    now,
                    now,
                ],
            )
        return True

    def intent(self, key: str) -> Intent | None:
        row = self._one("select * from intents where key = ?", [key])
        return Intent(**row) if row else None

    def begin_intent(self, key: str) -> Intent:
        """Mark an intent running and count the attempt."""
        self.db.execute(
            "update intents set state = 'running', attempts = attempts + 1, updated_at = ? where key = ?",
            [_now(), key],
        )
        intent = self.intent(key)
        assert intent is not None
        return intent

    def intent_progress(self, key: str, step: str, value: object = True) -> None:
        """Remember that one reply of the intent has gone out, so a resumed run does not repeat it."""
        intent = self.intent(key)
        if intent is None:
            return
        progress = {**intent.done_steps, step: value}
        self.db.execute(
            "update intents set progress = ?, updated_at = ? where key = ?", [json.dumps(progress), _now(), key]
        )

    def finish_intent(self, key: str, state: str, outcome: str) -> None:
        """Record how it went; a meeting password it carried is not kept past this point."""
        intent = self.intent(key)
        if intent is None:
            return
        args = intent.args
        if state in ("done", "failed"):
            args = {name: value for name, value in args.items() if name != "password"}
            if isinstance(args.get("new"), dict):
                args["new"] = {**args["new"], "password": None}
        self.db.execute(
            "update intents set state = ?, outcome = ?, payload = ?, updated_at = ? where key = ?",
            [state, outcome, json.dumps(args), _now(), key],
        )

    def meeting_for_intent(self, intent_key: str) -> MeetingRecord | None:
        row = self._one("select * from meetings where intent_key = ?", [intent_key]) if intent_key else None
        return MeetingRecord(**row) if row else None

    def unfinished_intents(self) -> list[Intent]:
        rows = self._rows("select * from intents where state in ('pending', 'running') order by created_at", [])
        return [Intent(**row) for row in rows]

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

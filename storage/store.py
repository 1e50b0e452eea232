"""The store: account links, meetings made through the bot, durable intents, idempotency keys, reminders,
settings, secrets, audit log. Each query is written once, in portable SQL, and runs on either engine."""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine import Engine, Params, Row, open_engine
from .errors import StoreUnavailable
from .sqlite_engine import SqliteEngine
from .versions import migrate, pending

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger("webexbot")


@dataclass(frozen=True)
class Link:
    team_id: str
    slack_user_id: str
    webex_id: str
    email: str
    verified_by: str
    linked_at: str


@dataclass(frozen=True)
class WebexConnectionRecord:
    """A workspace's own Webex connection; `data` holds its credentials, sealed by the caller."""

    team_id: str
    api: str
    site_url: str
    site_name: str
    connected_by: str
    connected_at: str
    version: int
    data: str = field(repr=False)


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

    team_id: str
    meeting_key: str
    slack_user_id: str
    channel_id: str
    ts: str


@dataclass(frozen=True)
class Reminder:
    id: int
    team_id: str
    meeting_key: str
    slack_user_id: str
    role: str  # host or invitee
    due_at: str
    sent_at: str | None  # when Slack took it to deliver
    channel_id: str | None = None
    scheduled_id: str | None = None
    retract: int = 0
    owner: str | None = None  # the process handing it over or retracting it (see Store.claim_reminders)
    lease_until: float | None = None


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
    owner: str | None = None  # the process carrying it out, while its lease lasts (see Store.claim_intent)
    lease_until: float | None = None

    @property
    def args(self) -> dict[str, Any]:
        value = json.loads(self.payload or "{}")
        return value if isinstance(value, dict) else {}

    @property
    def done_steps(self) -> dict[str, Any]:
        value = json.loads(self.progress or "{}")
        return value if isinstance(value, dict) else {}


UNFINISHED = ("pending", "running")
SERVING_CHECKPOINT_PAGES = 10_000  # SQLite's default is 1000 (4 MB of log)


AuditListener = Callable[[str, str, str, str, dict[str, object]], None]


class Store:
    """WEBEXBOT_DB's database: a SQLite file (calls are short and run inline on the event loop) or PostgreSQL
    (pooled; a database it cannot reach raises storage.StoreUnavailable quickly). Opening it migrates it.

    `on_audit`, when set, hears every audit entry (team, actor, action, subject, detail) as it is written.
    """

    on_audit: AuditListener | None = None

    def __init__(
        self, target: str | Path, *, engine: Engine | None = None, process: int = 0, identity: str = ""
    ) -> None:
        """`identity`: the name to claim work under, when not this process's own (a serving process's worker,
        bot/worker.py, claims under its serving process's name and `.work`)."""
        self.engine = engine or open_engine(target)
        self.identity = identity or _identity(self.engine, process)
        migrate(self.engine)

    @property
    def db(self) -> Database:
        """SQLite only: the file through sqlite-utils."""
        assert isinstance(self.engine, SqliteEngine)
        return self.engine.db

    def leave_checkpoints_to_worker(self) -> None:
        """The serving process of a bot with a worker: the worker, which commits far more, runs the database's
        checkpoints, not this process's acks (which run one only if the log grows to 10 000 pages without one,
        as when no worker is running)."""
        self.engine.checkpoint_seldom(SERVING_CHECKPOINT_PAGES)

    def close(self) -> None:
        self.engine.close()

    def pending_migrations(self) -> list[str]:
        return [f"{m.version:04d}_{m.name}" for m in pending(self.engine)]

    def problem(self) -> str | None:
        """Why the database cannot be used right now, or None when it answers."""
        try:
            self.engine.rows("select 1 as ok", [], retry=False)
        except StoreUnavailable as error:
            return error.reason
        return None

    # -- links ---------------------------------------------------------------------------

    def link_for(self, team_id: str, slack_user_id: str) -> Link | None:
        row = self._one("select * from links where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
        return Link(**row) if row else None

    def slack_user_for(self, team_id: str, webex_id: str) -> str | None:
        row = self._one(
            "select slack_user_id from links where team_id = ? and lower(webex_id) = lower(?) limit 1",
            [team_id, webex_id],
        )
        return str(row["slack_user_id"]) if row else None

    def link(self, team_id: str, slack_user_id: str, webex_id: str, email: str, verified_by: str, actor: str) -> Link:
        """Link a Slack user to a Webex account, replacing the user's earlier link and any other
        user's link to the same account."""
        with self.engine.atomic():
            self._write(
                "delete from links where team_id = ? and lower(webex_id) = lower(?) and slack_user_id != ?",
                [team_id, webex_id, slack_user_id],
            )
            self._write(
                "insert into links (team_id, slack_user_id, webex_id, email, verified_by, linked_at)"
                " values (?, ?, ?, ?, ?, ?) on conflict (team_id, slack_user_id) do update set"
                " webex_id = excluded.webex_id, email = excluded.email, verified_by = excluded.verified_by,"
                " linked_at = excluded.linked_at",
                [team_id, slack_user_id, webex_id, email, verified_by, _now()],
            )
            self._audit(team_id, actor, "link", slack_user_id, {"webex_id": webex_id, "verified_by": verified_by})
            self._write("delete from unlinked where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
        link = self.link_for(team_id, slack_user_id)
        assert link is not None
        return link

    def unlink(self, team_id: str, slack_user_id: str, actor: str) -> Link | None:
        link = self.link_for(team_id, slack_user_id)
        if link is None:
            return None
        with self.engine.atomic():
            self._write("delete from links where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
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
        self._write(
            "insert into unlinked (team_id, slack_user_id, reason, at) values (?, ?, ?, ?)"
            " on conflict (team_id, slack_user_id) do update set reason = excluded.reason, at = excluded.at",
            [team_id, slack_user_id, reason, _now()],
            retry=True,
        )

    def unlinked_because(self, team_id: str, slack_user_id: str) -> str | None:
        """Why this person stays unlinked ("unlinked", "taken"), or None."""
        row = self._one("select reason from unlinked where team_id = ? and slack_user_id = ?", [team_id, slack_user_id])
        return str(row["reason"]) if row else None

    def links(self, team_id: str) -> list[Link]:
        return [Link(**row) for row in self._rows("select * from links where team_id = ? order by webex_id", [team_id])]

    # -- meetings ------------------------------------------------------------------------

    def record_meeting(
        self, record: MeetingRecord, actor: str, reminders: Sequence[tuple[str, str]] = (), due_at: str = ""
    ) -> None:
        """Store a meeting Webex has made; its intent (when it has one) learns the key, and its `reminders`
        ((Slack user, role) each, due at `due_at`) are added, in the same transaction."""
        fields = record.__dict__
        columns = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        updates = ", ".join(f"{name} = excluded.{name}" for name in fields if name not in ("team_id", "meeting_key"))
        with self.engine.atomic():
            self._write(
                f"insert into meetings ({columns}) values ({marks})"
                f" on conflict (team_id, meeting_key) do update set {updates}",
                list(fields.values()),
            )
            if record.intent_key:
                self._write(
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
            if reminders:
                self.add_reminders(record.team_id, record.meeting_key, reminders, due_at)

    def meeting(self, team_id: str, meeting_key: str) -> MeetingRecord | None:
        """The workspace's meeting of that number (another workspace's, on its own site, is another meeting)."""
        row = self._one("select * from meetings where team_id = ? and meeting_key = ?", [team_id, meeting_key])
        return MeetingRecord(**row) if row else None

    def meeting_elsewhere(self, team_id: str, meeting_key: str) -> bool:
        """Another workspace on the same Webex site (its own connection's, or the environment's for both) has
        this meeting: the asking workspace must be told it does not exist."""
        row = self._one(
            f"select 1 as found from meetings where meeting_key = ? and team_id != ? and {_SITE_OF_MEETING} = ("
            "select coalesce(max(api || ' ' || site_url), '') from webex_connections where team_id = ?) limit 1",
            [meeting_key, team_id, team_id],
        )
        if row is not None:
            log.warning("workspace %s asked for meeting %s of another workspace: answered as not found", team_id,
                        meeting_key)  # fmt: skip
        return row is not None

    def meetings_on_default_site(self, meeting_key: str) -> list[MeetingRecord]:
        """The meetings of this number of every workspace without a Webex connection of its own (those the
        environment's connection serves, as its Webex webhooks tell of them)."""
        rows = self._rows(
            "select * from meetings where meeting_key = ?"
            " and team_id not in (select team_id from webex_connections) order by team_id",
            [meeting_key],
        )
        return [MeetingRecord(**row) for row in rows]

    def _of_team(self, team_id: str, record: MeetingRecord | None, what: str) -> MeetingRecord | None:
        if record is not None and record.team_id != team_id:
            log.warning("workspace %s asked for %s of another workspace: answered as not found", team_id, what)
            return None
        return record

    def set_card(self, team_id: str, meeting_key: str, channel_id: str, card_ts: str) -> None:
        self._write(
            "update meetings set channel_id = ?, card_ts = ? where team_id = ? and meeting_key = ?",
            [channel_id, card_ts, team_id, meeting_key],
            retry=True,
        )

    def set_status(self, team_id: str, meeting_key: str, status: str, actor: str) -> bool:
        """False when the meeting has that status already (another replica got there first): nothing is done."""
        with self.engine.atomic():
            changed = self._write(
                "update meetings set status = ? where team_id = ? and meeting_key = ? and status != ?",
                [status, team_id, meeting_key, status],
            )
            if not changed and self.meeting(team_id, meeting_key) is not None:
                return False
            self._audit(team_id, actor, f"meeting_{status}", meeting_key, {})
        return True

    def tracked_meetings(self) -> list[MeetingRecord]:
        """Meetings made through the bot that have not ended or been cancelled, in every team."""
        rows = self._rows("select * from meetings where status in ('scheduled', 'live') order by start", [])
        return [MeetingRecord(**row) for row in rows]

    def move_meeting(self, team_id: str, meeting_key: str, start: str, duration_minutes: int) -> None:
        self._write(
            "update meetings set start = ?, duration_minutes = ? where team_id = ? and meeting_key = ?",
            [start, duration_minutes, team_id, meeting_key],
            retry=True,
        )

    # A meeting goes scheduled -> live -> ended once: of several replicas seeing it, one update wins (True),
    # and only that one edits the card.

    def mark_live(self, team_id: str, meeting_key: str, at: str) -> bool:
        return self._write(
            "update meetings set status = 'live', started_at = ?"
            " where team_id = ? and meeting_key = ? and status = 'scheduled'",
            [at, team_id, meeting_key],
        ) == 1

    def mark_ended(self, team_id: str, meeting_key: str, at: str) -> bool:
        return self._write(
            "update meetings set status = 'ended', ended_at = ?"
            " where team_id = ? and meeting_key = ? and status = 'live'",
            [at, team_id, meeting_key],
        ) == 1

    def meetings(self, team_id: str) -> list[MeetingRecord]:
        rows = self._rows("select * from meetings where team_id = ? order by start", [team_id])
        return [MeetingRecord(**row) for row in rows]

    def meetings_inviting(self, team_id: str, slack_user_id: str) -> list[MeetingRecord]:
        """Meetings made through the bot, not ended or cancelled, that invite this Slack user."""
        rows = self._rows(
            "select * from meetings where team_id = ? and status in ('scheduled', 'live') and invitees like ?"
            " order by start",
            [team_id, f'%"{slack_user_id}"%'],  # invitees is a JSON list of Slack user ids, which have no % or "
        )
        return [MeetingRecord(**row) for row in rows]

    def record_invitation(self, invitation: Invitation) -> None:
        self._write(
            "insert into invitations (team_id, meeting_key, slack_user_id, channel_id, ts) values (?, ?, ?, ?, ?)"
            " on conflict (team_id, meeting_key, slack_user_id) do update set channel_id = excluded.channel_id,"
            " ts = excluded.ts",
            list(astuple(invitation)),
            retry=True,
        )

    def invitations_of(self, team_id: str, meeting_key: str) -> list[Invitation]:
        rows = self._rows(
            "select * from invitations where team_id = ? and meeting_key = ? order by slack_user_id",
            [team_id, meeting_key],
        )
        return [Invitation(**row) for row in rows]

    # -- reminders -----------------------------------------------------------------------

    def add_reminders(self, team_id: str, meeting_key: str, recipients: Sequence[tuple[str, str]], due_at: str) -> None:
        """One reminder per (Slack user, role), due at `due_at` (ISO 8601, UTC)."""
        with self.engine.atomic():
            for user_id, role in recipients:
                self._write(
                    "insert into reminders (team_id, meeting_key, slack_user_id, role, due_at) values (?, ?, ?, ?, ?)",
                    [team_id, meeting_key, user_id, role, due_at],
                )

    # Slack holds each reminder (chat.scheduleMessage) once it is handed over: `sent_at` is when the bot began
    # handing it over, `scheduled_id` what Slack answered. A reminder with `retract` set is deleted from Slack,
    # then forgotten. bot/reminders.py carries these states out.

    def reminders_of(self, team_id: str, meeting_key: str) -> list[Reminder]:
        return self._reminders(
            "where team_id = ? and meeting_key = ? and retract = 0 order by id", [team_id, meeting_key]
        )

    def reminders_to_hand_over(self, until: str) -> list[Reminder]:
        """Reminders Slack does not hold yet, due before `until`, oldest first."""
        return self._reminders(
            "where scheduled_id is null and retract = 0 and due_at <= ? order by due_at, id", [until]
        )

    def reminders_to_retract(self) -> list[Reminder]:
        return self._reminders("where retract = 1 order by id", [])

    def claim_reminders(self, until: str, owner: str, lease_s: float) -> tuple[list[Reminder], list[Reminder]]:
        """The reminders to retract and those to hand over (as in the two lists above), claimed for `owner`
        for `lease_s` seconds, so that no other replica works on them meanwhile."""
        retract = self._claim_reminders("retract = 1", [], owner, lease_s)
        due = "scheduled_id is null and retract = 0 and due_at <= ?"
        hand_over = self._claim_reminders(due, [until], owner, lease_s)
        return sorted(retract, key=lambda r: r.id), sorted(hand_over, key=lambda r: (r.due_at, r.id))

    def _claim_reminders(self, where: str, params: Params, owner: str, lease_s: float) -> list[Reminder]:
        now = self.engine.now
        rows = self.engine.rows(
            f"update reminders set owner = ?, lease_until = {now} + ? where id in (select id from reminders"
            f" where {where} and (owner is null or owner = ? or lease_until < {now}) order by id limit 200"
            f" {self.engine.skip_locked}) returning *",
            [owner, lease_s, *params, owner],
            retry=False,
        )
        return [Reminder(**row) for row in rows]

    def handing_over(self, reminder_id: int, channel_id: str, at: str) -> None:
        self._write(
            "update reminders set channel_id = ?, sent_at = ? where id = ?", [channel_id, at, reminder_id], retry=True
        )

    def handed_over(self, reminder_id: int, scheduled_id: str) -> None:
        self._write(
            "update reminders set scheduled_id = ?, owner = null, lease_until = null where id = ?",
            [scheduled_id, reminder_id],
            retry=True,
        )

    def forget_reminder(self, reminder_id: int) -> None:
        self._write("delete from reminders where id = ?", [reminder_id], retry=True)

    def drop_reminders(self, team_id: str, meeting_key: str) -> None:
        """A cancelled meeting's reminders: those Slack holds are retracted, the others forgotten."""
        mine, key = "team_id = ? and meeting_key = ?", [team_id, meeting_key]
        with self.engine.atomic():
            self._write(f"update reminders set retract = 1 where {mine} and sent_at is not null", key)
            self._write(f"delete from reminders where {mine} and sent_at is null", key)

    def reminders_handed_over(self, due_before: str) -> list[Reminder]:
        """Reminders Slack holds (or has posted) that were due before `due_before`."""
        return self._reminders(
            "where scheduled_id is not null and retract = 0 and due_at <= ? order by due_at, id", [due_before]
        )

    def next_reminder(self, reminder: Reminder, due_at: str) -> None:
        """A series: the reminder of its next meeting takes the place of one Slack has posted (once, whichever
        replica gets there first)."""
        with self.engine.atomic():
            if self._write("delete from reminders where id = ?", [reminder.id]):
                recipient = [(reminder.slack_user_id, reminder.role)]
                self.add_reminders(reminder.team_id, reminder.meeting_key, recipient, due_at)

    def move_reminders(self, team_id: str, meeting_key: str, due_at: str) -> None:
        """A moved meeting's reminders: new ones at `due_at`, those Slack holds at the old time retracted."""
        with self.engine.atomic():
            recipients = [(r.slack_user_id, r.role) for r in self.reminders_of(team_id, meeting_key)]
            self.drop_reminders(team_id, meeting_key)
            self.add_reminders(team_id, meeting_key, recipients, due_at)

    def _reminders(self, where: str, params: Params) -> list[Reminder]:
        rows = self._rows(f"select * from reminders {where}", params)
        return [Reminder(**row) for row in rows]

    # -- settings ------------------------------------------------------------------------

    def setting(self, team_id: str, name: str) -> str | None:
        row = self._one("select value from settings where team_id = ? and name = ?", [team_id, name])
        return str(row["value"]) if row else None

    def set_setting(self, team_id: str, name: str, value: str, actor: str) -> None:
        with self.engine.atomic():
            self._write(
                "insert into settings (team_id, name, value) values (?, ?, ?)"
                " on conflict (team_id, name) do update set value = excluded.value",
                [team_id, name, value],
            )
            self._audit(team_id, actor, "setting", name, {"value": value})

    def setting_values(self, name: str) -> list[str]:
        """One setting's distinct values across every team (the admin channels, say)."""
        rows = self._rows("select distinct value from settings where name = ? order by value", [name])
        return [str(row["value"]) for row in rows]

    def setting_places(self, name: str) -> list[tuple[str, str]]:
        """(team, value) of one setting in every team that has it (each workspace's admin channel, say)."""
        rows = self._rows("select team_id, value from settings where name = ? order by team_id", [name])
        return [(str(row["team_id"]), str(row["value"])) for row in rows]

    def counts(self, team_id: str) -> dict[str, int]:
        links = self._one("select count(*) as n from links where team_id = ?", [team_id])
        meetings = self._one("select count(*) as n from meetings where team_id = ?", [team_id])
        return {"links": int(links["n"]) if links else 0, "meetings": int(meetings["n"]) if meetings else 0}

    # -- secrets (tokens the bot renews itself); never audited, never logged ----------------

    def secret(self, name: str) -> str | None:
        row = self._one("select value from secrets where name = ?", [name])
        return str(row["value"]) if row else None

    def put_secret(self, name: str, value: str) -> None:
        self._write(
            "insert into secrets (name, value, updated_at) values (?, ?, ?)"
            " on conflict (name) do update set value = excluded.value, updated_at = excluded.updated_at",
            [name, value, _now()],
            retry=True,
        )

    # -- each workspace's Webex connection (OAuth mode); its credentials sealed by the caller -----------

    def save_webex_connection(
        self, team_id: str, api: str, site_url: str, site_name: str, actor: str, data: str
    ) -> WebexConnectionRecord:
        """Connect the workspace (or replace its connection); the version grows, so every replica rebuilds."""
        with self.engine.atomic():
            self._write(
                "insert into webex_connections (team_id, api, site_url, site_name, connected_by, connected_at,"
                " version, data) values (?, ?, ?, ?, ?, ?, 1, ?) on conflict (team_id) do update set"
                " api = excluded.api, site_url = excluded.site_url, site_name = excluded.site_name,"
                " connected_by = excluded.connected_by, connected_at = excluded.connected_at,"
                " version = webex_connections.version + 1, data = excluded.data",
                [team_id, api, site_url, site_name, actor, _now(), data],
            )
            self._audit(team_id, actor, "webex_connected", team_id, {"api": api, "site_url": site_url})
        saved = self.webex_connection(team_id)
        assert saved is not None
        return saved

    def webex_connection(self, team_id: str) -> WebexConnectionRecord | None:
        row = self._one("select * from webex_connections where team_id = ?", [team_id])
        if row is None:
            return None
        return WebexConnectionRecord(**{name: row[name] for name in WebexConnectionRecord.__dataclass_fields__})

    def webex_connection_version(self, team_id: str) -> int:
        """0 when the workspace has no connection of its own."""
        row = self._one("select version from webex_connections where team_id = ?", [team_id])
        return int(row["version"]) if row else 0

    # -- Slack installations (OAuth mode): slack_sdk's models as opaque (encrypted) JSON ------------

    def save_installation(self, enterprise_id: str, team_id: str, user_id: str, org_wide: bool, data: str) -> None:
        """One installing user's installation of a workspace ('' team for org-wide); the latest replaces theirs."""
        self._write(
            "insert into slack_installations (enterprise_id, team_id, user_id, is_enterprise_install, data,"
            " installed_at) values (?, ?, ?, ?, ?, ?) on conflict (enterprise_id, team_id, user_id) do update"
            " set is_enterprise_install = excluded.is_enterprise_install, data = excluded.data,"
            " installed_at = excluded.installed_at",
            [enterprise_id, team_id, user_id, int(org_wide), data, _epoch()],
            retry=True,
        )

    def installation_data(self, enterprise_id: str, team_id: str, user_id: str | None = None) -> str | None:
        """The latest installation of the workspace (by this user, when given)."""
        by_user, params = ("and user_id = ?", [user_id]) if user_id is not None else ("", [])
        row = self._one(
            f"select data from slack_installations where enterprise_id = ? and team_id = ? {by_user}"
            " order by installed_at desc limit 1",
            [enterprise_id, team_id, *params],
        )
        return str(row["data"]) if row else None

    def save_bot(self, enterprise_id: str, team_id: str, org_wide: bool, data: str) -> None:
        self._write(
            "insert into slack_bots (enterprise_id, team_id, is_enterprise_install, data, installed_at)"
            " values (?, ?, ?, ?, ?) on conflict (enterprise_id, team_id) do update"
            " set is_enterprise_install = excluded.is_enterprise_install, data = excluded.data,"
            " installed_at = excluded.installed_at",
            [enterprise_id, team_id, int(org_wide), data, _epoch()],
            retry=True,
        )

    def bot_data(self, enterprise_id: str, team_id: str) -> str | None:
        row = self._one("select data from slack_bots where enterprise_id = ? and team_id = ?", [enterprise_id, team_id])
        return str(row["data"]) if row else None

    def delete_bot(self, enterprise_id: str, team_id: str) -> int:
        return self._write(
            "delete from slack_bots where enterprise_id = ? and team_id = ?", [enterprise_id, team_id], retry=True
        )

    def delete_installations(self, enterprise_id: str, team_id: str, user_id: str | None = None) -> int:
        """The workspace's installations (only this user's, when given)."""
        by_user, params = ("and user_id = ?", [user_id]) if user_id is not None else ("", [])
        return self._write(
            f"delete from slack_installations where enterprise_id = ? and team_id = ? {by_user}",
            [enterprise_id, team_id, *params],
            retry=True,
        )

    def installed_teams(self) -> list[tuple[str, str]]:
        """(enterprise id, team id) of every installed bot, '' where there is none."""
        rows = self._rows("select enterprise_id, team_id from slack_bots order by enterprise_id, team_id", [])
        return [(str(row["enterprise_id"]), str(row["team_id"])) for row in rows]

    def remember_organization(self, team_id: str, enterprise_id: str, org_wide: bool) -> None:
        """The Grid organization a workspace belongs to, and whether the bot is installed org-wide there."""
        self._write(
            "insert into slack_workspaces (team_id, enterprise_id, is_enterprise_install) values (?, ?, ?)"
            " on conflict (team_id) do update set enterprise_id = excluded.enterprise_id,"
            " is_enterprise_install = excluded.is_enterprise_install",
            [team_id, enterprise_id, int(org_wide)],
            retry=True,
        )

    def organization_of(self, team_id: str) -> tuple[str, bool] | None:
        """(enterprise id, org-wide install?) of a Grid workspace the bot has served; None for any other."""
        row = self._one("select * from slack_workspaces where team_id = ?", [team_id])
        return (str(row["enterprise_id"]), bool(row["is_enterprise_install"])) if row else None

    def forget_workspace_work(self, team_id: str, why: str) -> tuple[int, int]:
        """A workspace the bot can no longer reach (uninstalled): its reminders are forgotten and its unfinished
        intents failed with `why`. How many of each."""
        with self.engine.atomic():
            reminders = self._write("delete from reminders where team_id = ?", [team_id])
            intents = self._write(
                "update intents set state = 'failed', outcome = ?, updated_at = ?, owner = null, lease_until = null"
                " where team_id = ? and state in ('pending', 'running')",
                [why, _now(), team_id],
            )
        return reminders, intents

    # -- OAuth states: each handed out once, consumed at most once, before it expires -------------

    def issue_state(self, state: str, expires_at: float) -> None:
        self._write("insert into oauth_states (state, expires_at) values (?, ?)", [state, expires_at])

    def consume_state(self, state: str, now: float) -> bool:
        """True once for a state issued and not yet expired; expired states are swept on the way."""
        with self.engine.atomic():
            used = self._write("delete from oauth_states where state = ? and expires_at >= ?", [state, now])
            self._write("delete from oauth_states where expires_at < ?", [now])
        return used == 1

    # -- idempotency ---------------------------------------------------------------------

    def claim(self, key: str) -> bool:
        """True the first time `key` is claimed, False for every later delivery of it."""
        count = self._write(
            "insert into idempotency_keys (key, created_at, result) values (?, ?, '') on conflict (key) do nothing",
            [key, _now()],
        )
        return count == 1

    def prune(self, before: str) -> int:
        """Forget idempotency keys and finished intents older than `before` (ISO 8601, UTC)."""
        with self.engine.atomic():
            keys = self._write("delete from idempotency_keys where created_at < ?", [before])
            done = self._write("delete from intents where state in ('done', 'failed') and updated_at < ?", [before])
        return keys + done

    # -- intents -------------------------------------------------------------------------

    def record_intent(self, intent: Intent, owner: str | None = None, lease_s: float = 0) -> bool:
        """Claim the request and record what it will do, in one transaction (on PostgreSQL one statement: one
        round trip on the ack path). False for a repeated delivery. `owner`, when given, will carry it out: it
        holds the intent's lease for `lease_s` seconds."""
        now = _now()
        values = [intent.team_id, intent.user_id, intent.channel_id, intent.action, intent.payload, now, now, owner]
        insert = (
            "insert into intents (key, team_id, user_id, channel_id, action, payload, state, created_at,"
            " updated_at, owner, lease_until)"
        )
        if self.engine.writes_in_with:
            return self._write(
                "with claimed as (insert into idempotency_keys (key, created_at, result) values (?, ?, '')"
                f" on conflict (key) do nothing returning key) {insert}"
                f" select key, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, {self.engine.now} + ? from claimed",
                [intent.key, now, *values, lease_s],
            ) == 1
        with self.engine.atomic():
            if not self.claim(intent.key):
                return False
            self._write(
                f"{insert} values (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, {self.engine.now} + ?)",
                [intent.key, *values, lease_s],
            )
        return True

    def claim_intent(self, key: str, owner: str, lease_s: float) -> Intent | None:
        """Mark an unfinished intent running for `owner` and count the attempt, unless another process holds
        its lease (None then, as for an intent that is finished or gone)."""
        now = self.engine.now
        rows = self.engine.rows(
            "update intents set state = 'running', attempts = attempts + 1, updated_at = ?, owner = ?,"
            f" lease_until = {now} + ? where key = ? and state in ('pending', 'running')"
            f" and (owner is null or owner = ? or lease_until < {now}) returning *",
            [_now(), owner, lease_s, key, owner],
            retry=False,
        )
        return Intent(**rows[0]) if rows else None

    def renew_intents(self, owner: str, keys: list[str], lease_s: float) -> int:
        """Extend `owner`'s leases of the intents `keys` (those it is carrying out: its heartbeat); how many."""
        if not keys:
            return 0
        marks = ", ".join("?" for _ in keys)
        return self._write(
            f"update intents set lease_until = {self.engine.now} + ? where owner = ? and key in ({marks})"
            " and state in ('pending', 'running')",
            [lease_s, owner, *keys],
            retry=True,
        )

    def release_intents(self, owner: str) -> int:
        """End `owner`'s leases of unfinished intents (it is stopping): another replica may take them at once."""
        return self._write(
            "update intents set lease_until = 0 where owner = ? and state in ('pending', 'running')",
            [owner],
            retry=True,
        )

    def intents_to_take_over(self, owner: str) -> list[Intent]:
        """Unfinished intents no live process holds (or `owner` holds already), oldest first."""
        rows = self._rows(
            "select * from intents where state in ('pending', 'running')"
            f" and (owner is null or owner = ? or lease_until < {self.engine.now}) order by created_at, key",
            [owner],
        )
        return [Intent(**row) for row in rows]

    def intent(self, key: str) -> Intent | None:
        row = self._one("select * from intents where key = ?", [key])
        return Intent(**row) if row else None

    def begin_intent(self, key: str) -> Intent:
        """Mark an intent running and count the attempt."""
        self._write(
            "update intents set state = 'running', attempts = attempts + 1, updated_at = ? where key = ?", [_now(), key]
        )
        intent = self.intent(key)
        assert intent is not None
        return intent

    def intent_progress(self, key: str, step: str, value: object = True) -> None:
        """Remember that one reply of the intent has gone out, so a resumed run does not repeat it."""
        intent = self.intent(key)
        if intent is not None:
            self.set_intent_progress(key, {**intent.done_steps, step: value})

    def set_intent_progress(self, key: str, progress: dict[str, Any]) -> None:
        """The replies of the intent that have gone out, all of them (its runner knows them: one write)."""
        self._write(
            "update intents set progress = ?, updated_at = ? where key = ?",
            [json.dumps(progress), _now(), key],
            retry=True,
        )

    def finish_intent(self, key: str, state: str, outcome: str, intent: Intent | None = None) -> None:
        """Record how it went; a meeting password it carried is not kept past this point. `intent`: the row as
        its runner claimed it (its payload is what is kept), which saves reading it again."""
        intent = intent or self.intent(key)
        if intent is None:
            return
        args = intent.args
        if state in ("done", "failed"):
            args = {name: value for name, value in args.items() if name != "password"}
            if isinstance(args.get("new"), dict):
                args["new"] = {**args["new"], "password": None}
        self._write(
            "update intents set state = ?, outcome = ?, payload = ?, updated_at = ?, owner = null, lease_until = null"
            " where key = ?",
            [state, outcome, json.dumps(args), _now(), key],
            retry=True,
        )

    def meeting_for_intent(self, team_id: str, intent_key: str) -> MeetingRecord | None:
        row = self._one("select * from meetings where intent_key = ?", [intent_key]) if intent_key else None
        return self._of_team(team_id, MeetingRecord(**row) if row else None, f"the meeting of request {intent_key}")

    def unfinished_intents(self) -> list[Intent]:
        rows = self._rows("select * from intents where state in ('pending', 'running') order by created_at, key", [])
        return [Intent(**row) for row in rows]

    # -- leases: work that one process does at a time (the poll of Webex), timed by the database's clock ------

    def take_lease(self, name: str, owner: str, lease_s: float) -> bool:
        """Take the lease `name` for `lease_s` seconds, or extend it when `owner` holds it already. False while
        another process holds it."""
        now = self.engine.now
        return self._write(
            f"insert into leases (name, owner, held_until) values (?, ?, {now} + ?) on conflict (name) do update"
            " set owner = excluded.owner, held_until = excluded.held_until"
            f" where leases.owner = excluded.owner or leases.held_until < {now}",
            [name, owner, lease_s],
        ) == 1

    def lease_holder(self, name: str) -> str | None:
        row = self._one(f"select owner from leases where name = ? and held_until >= {self.engine.now}", [name])
        return str(row["owner"]) if row else None

    def drop_lease(self, name: str, owner: str) -> None:
        self._write("delete from leases where name = ? and owner = ?", [name, owner], retry=True)

    # -- audit ---------------------------------------------------------------------------

    def audit(self, team_id: str, actor: str, action: str, subject: str, detail: dict[str, object]) -> None:
        self._audit(team_id, actor, action, subject, detail)

    def audit_log(self, team_id: str) -> list[dict[str, object]]:
        return self._rows("select * from audit_log where team_id = ? order by id", [team_id])

    def _audit(self, team_id: str, actor: str, action: str, subject: str, detail: dict[str, object]) -> None:
        self._write(
            "insert into audit_log (at, team_id, actor, action, subject, detail) values (?, ?, ?, ?, ?, ?)",
            [_now(), team_id, actor, action, subject, json.dumps(detail, sort_keys=True)],
        )
        if self.on_audit is not None:
            self.on_audit(team_id, actor, action, subject, detail)

    # -- the engine ----------------------------------------------------------------------

    def _rows(self, sql: str, params: Params) -> list[Row]:
        return self.engine.rows(sql, params)

    def _one(self, sql: str, params: Params) -> Row | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _write(self, sql: str, params: Params, *, retry: bool = False) -> int:
        """`retry`: running it twice does no harm, so it may be retried once on a dropped connection."""
        return self.engine.execute(sql, params, retry=retry)


# The Webex site of a meeting's workspace: its own connection's API and address, '' for the environment's.
_SITE_OF_MEETING = (
    "(select coalesce(max(api || ' ' || site_url), '') from webex_connections"
    " where webex_connections.team_id = meetings.team_id)"
)


def _identity(engine: Engine, process: int) -> str:
    """The name this process claims work under. Replicas on PostgreSQL each have their own. A SQLite file is
    served from one machine, so each of its serving processes has a fixed name, from its place among them
    (`process`): a restarted process holds its predecessor's leases at once."""
    if engine.name == "sqlite":
        return f"local.{process}" if process else "local"
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _epoch() -> float:
    return datetime.now(UTC).timestamp()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

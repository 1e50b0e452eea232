"""The schema, as sqlite-utils migrations applied in order at start."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("webexbot")


@migrations()
def create_links(db: Database) -> None:
    db.table("links").create(
        {
            "team_id": str,
            "slack_user_id": str,
            "webex_id": str,
            "email": str,
            "verified_by": str,  # "email-match", "auto-email" or "admin"
            "linked_at": str,
        },
        pk=("team_id", "slack_user_id"),
    )
    db.table("links").create_index(["team_id", "webex_id"], unique=True)


@migrations()
def create_meetings(db: Database) -> None:
    db.table("meetings").create(
        {
            "meeting_key": str,
            "team_id": str,
            "channel_id": str,
            "card_ts": str,
            "host_webex_id": str,
            "host_slack_user_id": str,
            "topic": str,
            "start": str,  # ISO 8601 with offset
            "duration_minutes": int,
            "created_by": str,
            "status": str,  # scheduled, live, ended, cancelled
            "created_at": str,
        },
        pk="meeting_key",
    )
    db.table("meetings").create_index(["team_id", "host_webex_id"])


@migrations()
def create_idempotency_keys(db: Database) -> None:
    db.table("idempotency_keys").create({"key": str, "created_at": str, "result": str}, pk="key")


@migrations()
def create_audit_log(db: Database) -> None:
    db.table("audit_log").create(
        {
            "id": int,
            "at": str,
            "team_id": str,
            "actor": str,
            "action": str,
            "subject": str,
            "detail": str,
        },
        pk="id",
    )
    db.table("audit_log").create_index(["team_id", "at"])


@migrations()
def create_settings(db: Database) -> None:
    db.table("settings").create({"team_id": str, "name": str, "value": str}, pk=("team_id", "name"))


@migrations()
def add_meeting_kind(db: Database) -> None:
    db.table("meetings").add_column("kind", str, not_null_default="meeting")


@migrations()
def track_meetings_and_reminders(db: Database) -> None:
    meetings = db.table("meetings")
    meetings.add_column("invitees", str, not_null_default="[]")  # JSON list of Slack user ids
    meetings.add_column("started_at", str)
    meetings.add_column("ended_at", str)
    db.table("reminders").create(
        {
            "id": int,
            "meeting_key": str,
            "slack_user_id": str,
            "role": str,  # host or invitee
            "due_at": str,  # ISO 8601, UTC
            "sent_at": str,
        },
        pk="id",
    )
    db.table("reminders").create_index(["sent_at", "due_at"])
    db.table("reminders").create_index(["meeting_key"])


@migrations()
def durable_intents(db: Database) -> None:
    db.table("intents").create(
        {
            "key": str,  # the Slack request's idempotency key: the claim and the intent are one row
            "team_id": str,
            "user_id": str,
            "channel_id": str,
            "action": str,  # what was asked: schedule, now, cancel, reschedule, ...
            "payload": str,  # JSON: everything needed to carry it out again after a restart
            "state": str,  # pending, running, done, failed
            "attempts": int,
            "meeting_key": str,  # once Webex has the meeting
            "progress": str,  # JSON: which replies have gone out
            "outcome": str,  # what the user was told
            "created_at": str,
            "updated_at": str,
        },
        pk="key",
        not_null={"state"},
        defaults={"state": "pending", "attempts": 0, "meeting_key": "", "progress": "{}", "outcome": ""},
    )
    db.table("intents").create_index(["state"])
    db.table("meetings").add_column("join_url", str, not_null_default="")
    db.table("meetings").add_column("intent_key", str, not_null_default="")
    db.table("meetings").create_index(["intent_key"])
    reminders = db.table("reminders")
    reminders.add_column("channel_id", str)  # the direct-message channel Slack holds it in
    reminders.add_column("scheduled_id", str)  # chat.scheduleMessage's id, to delete or move it
    reminders.add_column("retract", int, not_null_default=0)  # 1: delete it from Slack, then forget it
    db.table("idempotency_keys").create_index(["created_at"])


@migrations()
def create_secrets(db: Database) -> None:
    db.table("secrets").create({"name": str, "value": str, "updated_at": str}, pk="name")

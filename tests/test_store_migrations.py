"""Versioned migrations: files made by the old sqlite-utils migrations upgrade in place, and processes
starting at once on one database migrate it exactly once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from sqlite_utils import Database

from storage import Store
from storage.engine import open_engine
from storage.migrations import migrations as legacy
from storage.versions import CREATE, available


def legacy_file(path: Path, stop_before: str | None = None) -> None:
    """A database as the sqlite-utils migrations made it before versioned SQL migrations, with data."""
    db = Database(sqlite3.connect(path, isolation_level=None))
    legacy.apply(db, stop_before=stop_before)
    db["links"].insert({"team_id": "T1", "slack_user_id": "U1", "webex_id": "ana", "email": "a@x", "linked_at": "t"})
    db["meetings"].insert({"meeting_key": "100", "team_id": "T1", "topic": "Standup", "start": "2030-01-01"})
    db.conn.close()


def test_a_file_made_by_the_old_migrations_opens_with_its_data(tmp_path: Path):
    path = tmp_path / "old.db"
    legacy_file(path)
    store = Store(path)
    assert store.link_for("T1", "U1").webex_id == "ana"  # type: ignore[union-attr]
    assert store.meeting("T1", "100").topic == "Standup"  # type: ignore[union-attr]
    assert store.pending_migrations() == []
    rows = store.engine.rows("select version from schema_migrations order by version", [])
    assert [row["version"] for row in rows] == [m.version for m in available("sqlite")]  # 1 adopted, the rest run
    assert store.claim("new")
    store.close()


def test_a_file_part_way_through_the_old_migrations_is_finished_first(tmp_path: Path):
    path = tmp_path / "older.db"
    legacy_file(path, stop_before="durable_intents")
    store = Store(path)
    assert store.meeting("T1", "100").join_url == ""  # type: ignore[union-attr]  # a column the rest added
    store.put_secret("token", "t")
    assert store.secret("token") == "t" and store.pending_migrations() == []
    store.close()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_processes_starting_at_once_migrate_once(engine: str, tmp_path: Path, request: pytest.FixtureRequest):
    target = str(tmp_path / "shared.db") if engine == "sqlite" else str(request.getfixturevalue("pg_url"))
    opening = "import sys; from storage import Store; Store(sys.argv[1]).close()"
    starts = [subprocess.Popen([sys.executable, "-c", opening, target], stderr=subprocess.PIPE) for _ in range(4)]
    failures = [p.stderr.read().decode() for p in starts if p.wait(timeout=60) != 0]  # type: ignore[union-attr]
    assert failures == []
    versions = [m.version for m in available(engine)]
    if engine == "sqlite":
        with sqlite3.connect(target) as db:
            rows = db.execute("select version from schema_migrations order by version").fetchall()
    else:
        with psycopg.connect(target) as db:
            rows = db.execute("select version from schema_migrations order by version").fetchall()
    assert [row[0] for row in rows] == versions


def database_at(target: str, engine_name: str, version: int) -> None:
    """A database migrated up to `version` (as a release that had no later migrations left it), with a meeting,
    its reminder and invitation, and another workspace's meeting."""
    engine = open_engine(target)
    with engine.atomic():
        engine.execute(CREATE, [])
        for migration in available(engine_name)[:version]:
            for statement in migration.statements():
                engine.execute(statement, [])
            engine.execute("insert into schema_migrations (version, name) values (?, ?)", [migration.version, "x"])
    for key, team in (("100", "T1"), ("200", "T2")):
        engine.execute("insert into meetings (meeting_key, team_id, topic) values (?, ?, ?)", [key, team, f"M{key}"])
        engine.execute(
            "insert into reminders (meeting_key, slack_user_id, role, due_at) values (?, 'U1', 'host', '2030')", [key]
        )
        engine.execute(
            "insert into invitations (meeting_key, slack_user_id, channel_id, ts) values (?, 'U2', 'D', '1')", [key]
        )
    engine.close()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_meetings_reminders_and_invitations_take_their_workspace_when_meetings_are_keyed_by_it(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
):
    target = str(tmp_path / "v6.db") if engine == "sqlite" else str(request.getfixturevalue("pg_url"))
    database_at(target, engine, 6)
    store = Store(target)
    assert store.pending_migrations() == []
    assert store.meeting("T1", "100").topic == "M100" and store.meeting("T2", "100") is None  # type: ignore[union-attr]
    assert [(r.team_id, r.slack_user_id) for r in store.reminders_of("T2", "200")] == [("T2", "U1")]
    assert [i.team_id for i in store.invitations_of("T1", "100")] == ["T1"] and store.invitations_of("T1", "200") == []
    new = store.meeting("T1", "100")
    assert new is not None
    store.record_meeting(replace(new, team_id="T2", topic="T2's own 100"), "U9")  # the same number, elsewhere
    assert store.meeting("T1", "100").topic == "M100"  # type: ignore[union-attr]
    assert store.meeting("T2", "100").topic == "T2's own 100"  # type: ignore[union-attr]
    store.close()


def test_both_engines_have_the_same_versions():
    assert [(m.version, m.name) for m in available("sqlite")] == [(m.version, m.name) for m in available("postgresql")]

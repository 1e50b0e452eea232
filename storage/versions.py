"""Versioned schema migrations for both engines: numbered SQL files in storage/schema/<engine>/
(NNNN_name.sql), applied in order, each recorded in `schema_migrations`. Processes starting at once
migrate one at a time (inside one transaction holding the engine's lock), so each version runs once.

SQLite files made before this (by the sqlite-utils migrations in storage/migrations.py, recorded in
`_sqlite_migrations`) are brought up to date by those, then adopt version 1 without running it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING

from .engine import Engine

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLE = "schema_migrations"
LEGACY_TABLE = "_sqlite_migrations"
CREATE = f"create table if not exists {TABLE} (version integer primary key, name text not null, applied_at text)"
FILE = re.compile(r"(\d{4})_(\w+)\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements (split at a `;` ending a line; no comments in the result)."""
        lines = [line for line in self.sql.splitlines() if not line.lstrip().startswith("--")]
        return [s.strip() for s in re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE) if s.strip()]


def available(engine_name: str) -> list[Migration]:
    folder = resources.files("storage") / "schema" / engine_name
    found = []
    for entry in folder.iterdir():
        match = FILE.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def applied_versions(engine: Engine) -> set[int]:
    """Read only: the versions the database has (a legacy SQLite file fully migrated counts as version 1)."""
    versions = set()
    if engine.has_table(TABLE):
        versions = {int(row["version"]) for row in engine.rows(f"select version from {TABLE}", [])}
    if not versions and _legacy_current(engine):
        versions.add(1)
    return versions


def pending(engine: Engine) -> list[Migration]:
    done = applied_versions(engine)
    return [m for m in available(engine.name) if m.version not in done]


def migrate(engine: Engine) -> list[str]:
    """Applies what is pending and returns the names applied."""
    _finish_legacy(engine)
    with engine.atomic():
        engine.lock_for_migrations()
        engine.execute(CREATE, [])
        todo = pending(engine)
        if 1 in applied_versions(engine) and not engine.rows(f"select 1 from {TABLE} where version = 1", []):
            _record(engine, Migration(1, "baseline", ""))  # adopted from a legacy file
        for migration in todo:
            for statement in migration.statements():
                engine.execute(statement, [])
            _record(engine, migration)
    return [f"{m.version:04d}_{m.name}" for m in todo]


def _record(engine: Engine, migration: Migration) -> None:
    engine.execute(
        f"insert into {TABLE} (version, name, applied_at) values (?, ?, ?)",
        [migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")],
    )


def _legacy_db(engine: Engine) -> Database | None:
    """The sqlite-utils view of a SQLite file that the old migrations made, else None."""
    return getattr(engine, "db", None) if engine.name == "sqlite" and engine.has_table(LEGACY_TABLE) else None


def _legacy_current(engine: Engine) -> bool:
    db = _legacy_db(engine)
    return db is not None and not _legacy_pending(db)


def _finish_legacy(engine: Engine) -> None:
    """A SQLite file part-way through the old migrations gets the rest of them first."""
    db = _legacy_db(engine)
    if db is not None and _legacy_pending(db):
        from .migrations import migrations as legacy

        legacy.apply(db)


def _legacy_pending(db: Database) -> bool:
    from .migrations import migrations as legacy  # sqlite-utils: imported only for such files

    return bool(legacy.pending(db))

"""`webexbot migrate` and `webexbot doctor`'s database check, on both engines; the password of a
PostgreSQL URL is never shown."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from bot.doctor import run_checks
from bot.settings import Settings
from storage import Store
from storage.migrations import migrations as legacy
from storage.versions import available
from tests.conftest import stack_env
from tests.test_cli import cli
from tests.test_doctor import by_name, sites  # noqa: F401  (a fixture)

PASSWORD = "hunter2-secret"  # what tests.pg's pg_url carries


def test_migrate_applies_once_on_postgresql_and_hides_the_password(pg_url: str):
    first = cli("migrate", env={"WEBEXBOT_DB": pg_url})
    assert first.returncode == 0 and "applied 0001_baseline" in first.stdout
    again = cli("migrate", env={"WEBEXBOT_DB": pg_url})
    assert again.returncode == 0 and "already up to date" in again.stdout
    assert "postgres:***@" in again.stdout and PASSWORD not in first.stdout + again.stdout + again.stderr


def test_migrate_upgrades_an_old_sqlite_file_and_says_when_it_cannot_reach_postgresql(tmp_path: Path):
    old = tmp_path / "old.db"
    legacy.apply(Database(sqlite3.connect(old, isolation_level=None)))
    upgraded = cli("migrate", env={"WEBEXBOT_DB": f"sqlite:///{old}"})
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(old) as db:  # the old file adopted version 1 as it was, then took the rest
        assert db.execute("select version from schema_migrations order by version").fetchall() == [
            (m.version,) for m in available("sqlite")
        ]
    down = cli("migrate", env={"WEBEXBOT_DB": f"postgresql://bot:{PASSWORD}@127.0.0.1:9/none"})
    assert down.returncode == 1 and "unreachable" in down.stderr and PASSWORD not in down.stdout + down.stderr


async def test_doctor_checks_postgresql_without_changing_it(sites, pg_url: str, tmp_path: Path):  # noqa: F811
    webex, slack = sites
    env = stack_env(webex, slack, tmp_path / "unused.db", WEBEXBOT_DB=pg_url)
    fresh = by_name(await run_checks(Settings.from_env(env)))["database"]
    assert fresh.ok and f"{len(available('postgresql'))} update(s) will be applied" in fresh.detail
    assert "will be applied" in by_name(await run_checks(Settings.from_env(env)))["database"].detail  # unchanged
    Store(pg_url).close()
    ready = by_name(await run_checks(Settings.from_env(env)))["database"]
    assert ready.ok and ready.detail.endswith("answers and is up to date") and PASSWORD not in ready.detail
    wrong = env | {"WEBEXBOT_DB": pg_url.rsplit("/", 1)[0] + "/no_such_db"}
    missing = by_name(await run_checks(Settings.from_env(wrong)))["database"]
    assert not missing.ok and "no_such_db" in missing.detail and missing.fix and PASSWORD not in missing.detail
    assert not (tmp_path / "unused.db").exists()

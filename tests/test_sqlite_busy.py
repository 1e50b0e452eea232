"""SQLite with another writer: a statement waits for the other connection's write lock (a worker's, a
replica's) in short pauses and goes through once it is free; it gives up, leaving nothing half-done, only after
its whole wait."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from storage.sqlite_engine import SqliteEngine


@contextmanager
def write_locked(path: Path, for_s: float | None) -> Iterator[list[float]]:
    """Another connection holds the write lock, releasing it after `for_s` (None: for the whole block); yields a
    list that gets the time it let go."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("begin immediate")
    released: list[float] = []

    def release() -> None:
        other.execute("commit")
        released.append(time.monotonic())

    timer = threading.Timer(for_s, release) if for_s is not None else None
    if timer is not None:
        timer.start()
    try:
        yield released
    finally:
        if timer is not None:
            timer.join()
        else:
            release()
        other.close()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "busy.db"
    engine = SqliteEngine.open(str(path))
    engine.execute("create table notes (text text)", [])
    engine.close()
    return path


def test_a_write_waits_for_the_other_writer_and_then_goes_through(database: Path):
    engine = SqliteEngine.open(str(database))
    with write_locked(database, for_s=0.2) as released:
        assert engine.execute("insert into notes values (?)", ["waited"]) == 1
        done = time.monotonic()
    assert released and done >= released[0]
    with engine.atomic():  # a transaction's begin waits the same way
        engine.execute("insert into notes values (?)", ["in a transaction"])
    assert [row["text"] for row in engine.rows("select text from notes", [])] == ["waited", "in a transaction"]


def test_a_transaction_waits_for_the_other_writer(database: Path):
    engine = SqliteEngine.open(str(database))
    with write_locked(database, for_s=0.2) as released, engine.atomic():
        engine.execute("insert into notes values (?)", ["after the lock"])
        assert released
    assert engine.rows("select text from notes", []) == [{"text": "after the lock"}]


def test_a_write_gives_up_after_its_wait_and_changes_nothing(database: Path):
    engine = SqliteEngine.open(str(database), busy_wait_s=0.2)
    with write_locked(database, for_s=None):
        began = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            engine.execute("insert into notes values (?)", ["never"])
        assert time.monotonic() - began >= 0.2
        with pytest.raises(sqlite3.OperationalError, match="locked"), engine.atomic():
            engine.execute("insert into notes values (?)", ["never either"])
    assert not engine.conn.in_transaction
    assert engine.rows("select text from notes", []) == []


def test_a_serving_process_with_a_worker_leaves_checkpoints_to_it(tmp_path: Path) -> None:
    """The worker's connection checkpoints at SQLite's 1000 pages of log; the serving process's only at 10 000, so
    none lands on its acks while the worker runs; a log that grows that long without a worker is still bounded."""
    from storage import Store

    path = tmp_path / "bot.db"
    serving, worker = Store(path), Store(path)
    try:
        serving.leave_checkpoints_to_worker()
        autocheckpoint = "PRAGMA wal_autocheckpoint"
        assert serving.engine.rows(autocheckpoint, []) == [{"wal_autocheckpoint": 10_000}]
        assert worker.engine.rows(autocheckpoint, []) == [{"wal_autocheckpoint": 1000}]
    finally:
        serving.close()
        worker.close()

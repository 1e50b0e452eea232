"""SQLite: one file in WAL mode; calls are microseconds and run inline on the event loop. The bot's two loops
(the ack's and the work's, bot/work_loop.py) share one connection: a lock holds it for each statement, and for
the whole of a transaction. While another process (a worker, a replica) holds the write lock, a statement is
retried after short pauses: SQLite's own busy handler sleeps 1, 2, 5 ms..., long beside the tens of
microseconds a commit holds the lock, and the sleep blocks the loop the acks are answered on."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from .engine import Params, Row

BUSY_WAIT_S = 5.0  # how long a statement waits by default for another process's write lock before it fails
FIRST_PAUSE_S = 0.0001
LONGEST_PAUSE_S = 0.005

if TYPE_CHECKING:
    from sqlite_utils import Database


class SqliteEngine:
    name = "sqlite"
    now = "((julianday('now') - 2440587.5) * 86400.0)"
    skip_locked = ""  # `begin immediate` lets one writer in at a time
    writes_in_with = False

    def __init__(self, connection: sqlite3.Connection, *, busy_wait_s: float = BUSY_WAIT_S) -> None:
        self.conn = connection
        self.busy_wait_s = busy_wait_s
        self.lock = threading.RLock()  # the transaction's thread may go on with statements inside it

    @cached_property
    def db(self) -> Database:
        """The file through sqlite-utils, for the migrations that made older files (imported only for them)."""
        from sqlite_utils import Database

        return Database(self.conn)

    @classmethod
    def open(cls, path: str, *, busy_wait_s: float = BUSY_WAIT_S) -> SqliteEngine:
        connection = sqlite3.connect(path, timeout=0, check_same_thread=False, isolation_level=None)
        engine = cls(connection, busy_wait_s=busy_wait_s)
        if path != ":memory:":
            engine._execute("PRAGMA journal_mode = WAL", [])
        engine._execute("PRAGMA synchronous = NORMAL", [])
        return engine

    def rows(self, sql: str, params: Params, *, retry: bool = True) -> list[Row]:
        with self.lock:
            cursor = self._execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, sql: str, params: Params, *, retry: bool = False) -> int:
        with self.lock:
            return int(self._execute(sql, params).rowcount)

    def _execute(self, sql: str, params: Params) -> sqlite3.Cursor:
        """The statement, retried while the database is busy (another process writing), for up to busy_wait_s."""
        deadline = time.monotonic() + self.busy_wait_s
        pause = FIRST_PAUSE_S
        while True:
            try:
                return self.conn.execute(sql, params)
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self.lock:
            if self.conn.in_transaction:
                yield
                return
            self._execute("begin immediate", [])  # take the write lock now: no upgrade deadlock between processes
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("rollback")
                raise
            self._execute("commit", [])

    def has_table(self, name: str) -> bool:
        return bool(self.rows("select 1 from sqlite_master where type = 'table' and name = ?", [name]))

    def lock_for_migrations(self) -> None:
        """`begin immediate` already keeps other writers out."""

    def checkpoint_seldom(self, pages: int) -> None:
        """A checkpoint runs in the commit that takes the WAL past the connection's limit, so it lands on whatever
        that commit was doing; with a higher limit here, another connection's lower one comes first."""
        with self.lock:
            self._execute(f"PRAGMA wal_autocheckpoint = {int(pages)}", [])

    def close(self) -> None:
        self.conn.close()

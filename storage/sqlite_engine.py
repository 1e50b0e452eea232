"""SQLite: one file in WAL mode; calls are microseconds and run inline on the event loop. The bot's two loops
(the ack's and the work's, bot/work_loop.py) share one connection: a lock holds it for each statement, and for
the whole of a transaction."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from .engine import Params, Row

if TYPE_CHECKING:
    from sqlite_utils import Database


class SqliteEngine:
    name = "sqlite"
    now = "((julianday('now') - 2440587.5) * 86400.0)"
    skip_locked = ""  # `begin immediate` lets one writer in at a time
    writes_in_with = False

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.conn = connection
        self.lock = threading.RLock()  # the transaction's thread may go on with statements inside it

    @cached_property
    def db(self) -> Database:
        """The file through sqlite-utils, for the migrations that made older files (imported only for them)."""
        from sqlite_utils import Database

        return Database(self.conn)

    @classmethod
    def open(cls, path: str) -> SqliteEngine:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 5000")
        if path != ":memory:":
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        return cls(connection)

    def rows(self, sql: str, params: Params, *, retry: bool = True) -> list[Row]:
        with self.lock:
            cursor = self.conn.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, sql: str, params: Params, *, retry: bool = False) -> int:
        with self.lock:
            return int(self.conn.execute(sql, params).rowcount)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self.lock:
            if self.conn.in_transaction:
                yield
                return
            self.conn.execute("begin immediate")  # take the write lock now: no upgrade deadlock between processes
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("rollback")
                raise
            self.conn.execute("commit")

    def has_table(self, name: str) -> bool:
        return bool(self.rows("select 1 from sqlite_master where type = 'table' and name = ?", [name]))

    def lock_for_migrations(self) -> None:
        """`begin immediate` already keeps other writers out."""

    def close(self) -> None:
        self.conn.close()

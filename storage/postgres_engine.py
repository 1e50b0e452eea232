"""PostgreSQL through psycopg 3 and a bounded psycopg_pool.ConnectionPool. Calls stay synchronous and short:
connections are checked before use (without a round trip), waits and statements have timeouts of a couple of
seconds, and once the server is seen down, calls fail at once (StoreUnavailable) for a moment instead of each
waiting again."""

from __future__ import annotations

import select
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from .engine import Params, Row
from .errors import StoreUnavailable

T = TypeVar("T")
Connection = psycopg.Connection[Any]
DISCONNECTED = (psycopg.OperationalError, psycopg.InterfaceError)  # incl. PoolTimeout, server shutdown
MIGRATION_LOCK = 0x77656265  # pg_advisory_xact_lock key: one migrating process per database
FAIL_FAST_S = 1.0  # after a failure, calls fail at once for this long
WAIT_S = 2.0  # longest wait for a pooled connection
WAIT_WHILE_DOWN_S = 0.5


class PostgresEngine:
    name = "postgresql"
    now = "extract(epoch from clock_timestamp())::float8"
    skip_locked = "for update skip locked"
    writes_in_with = True

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8, statement_timeout_ms: int = 2000) -> None:
        options = {
            "autocommit": True,
            "row_factory": dict_row,
            "connect_timeout": 2,
            "options": f"-c statement_timeout={statement_timeout_ms}",
            "application_name": "webexbot",
        }
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            kwargs=options,
            min_size=min_size,
            max_size=max_size,
            timeout=WAIT_S,
            check=_still_open,
            name="webexbot",
            open=False,
        )
        self.pool.open(wait=False)
        self._local = threading.local()  # the connection of the transaction this thread is in
        self._failed_at: float | None = None

    def rows(self, sql: str, params: Params, *, retry: bool = True) -> list[Row]:
        def run(conn: Connection) -> list[Row]:
            return conn.execute(_query(sql), params).fetchall()

        return self._call(run, retry)

    def execute(self, sql: str, params: Params, *, retry: bool = False) -> int:
        return self._call(lambda conn: conn.execute(_query(sql), params).rowcount, retry)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        if self._current() is not None:
            yield
            return
        self._fail_fast()
        try:
            with self.pool.connection(timeout=self._wait_s()) as conn, conn.transaction():
                self._local.conn = conn
                try:
                    yield
                finally:
                    self._local.conn = None
        except DISCONNECTED as error:
            raise self._failed(error) from error
        self._failed_at = None

    def has_table(self, name: str) -> bool:
        return bool(self.rows("select to_regclass(?) is not null as found", [name])[0]["found"])

    def lock_for_migrations(self) -> None:
        self.rows("select pg_advisory_xact_lock(?)", [MIGRATION_LOCK])

    def checkpoint_seldom(self, pages: int) -> None:
        """PostgreSQL checkpoints on its own."""

    def close(self) -> None:
        self.pool.close()

    def _call(self, run: Callable[[Connection], T], retry: bool) -> T:
        current = self._current()
        if current is not None:
            return run(current)  # errors end the whole transaction, in atomic()
        self._fail_fast()
        for attempt in (1, 2):
            try:
                with self.pool.connection(timeout=self._wait_s()) as conn:
                    result = run(conn)
            except DISCONNECTED as error:
                if attempt == 2 or not retry or isinstance(error, psycopg.errors.QueryCanceled):
                    raise self._failed(error) from error
                continue
            self._failed_at = None
            return result
        raise AssertionError("unreachable")

    def _current(self) -> Connection | None:
        return getattr(self._local, "conn", None)

    def _fail_fast(self) -> None:
        if self._failed_at is not None and time.monotonic() - self._failed_at < FAIL_FAST_S:
            raise StoreUnavailable()

    def _wait_s(self) -> float:
        return WAIT_WHILE_DOWN_S if self._failed_at is not None else WAIT_S

    def _failed(self, error: Exception) -> StoreUnavailable:
        self._failed_at = time.monotonic()
        if isinstance(error, psycopg.errors.QueryCanceled):
            return StoreUnavailable("the database did not answer in time")
        return StoreUnavailable()


@lru_cache(maxsize=256)
def _query(sql: str) -> str:
    """Portable SQL (`?` placeholders) as psycopg takes it (`%s`, with a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _still_open(conn: Connection) -> None:
    """The pool's check before lending a connection, without a round trip: an idle connection the server has
    closed (a restart, pg_terminate_backend) has something to read, its farewell or end of file."""
    if not conn.closed and select.select([conn.fileno()], [], [], 0)[0]:
        conn.close()  # so that the pool discards it rather than lend it again
    if conn.closed:
        raise psycopg.OperationalError("the server closed this connection")

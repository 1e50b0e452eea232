"""What the store needs of a database, and the choice of one from WEBEXBOT_DB: a PostgreSQL URL, or a SQLite
file (a path, or sqlite:///path)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"

Row = dict[str, Any]
Params = list[Any]


class Engine(Protocol):
    """SQL is written once, portable, with `?` placeholders; an engine runs it on its database."""

    name: str  # "sqlite" or "postgresql": also the folder of its migrations
    now: str  # SQL for the database's clock, in seconds since 1970: leases are timed by it
    skip_locked: str  # ends a `select` inside a claim: rows another transaction has locked are passed over
    writes_in_with: bool  # a `with` clause may insert (a data-modifying CTE): several writes in one statement

    def rows(self, sql: str, params: Params, *, retry: bool = True) -> list[Row]: ...

    def execute(self, sql: str, params: Params, *, retry: bool = False) -> int:
        """Runs one statement and returns its row count. `retry`: it may run twice (idempotent)."""
        ...

    def atomic(self) -> AbstractContextManager[None]:
        """One transaction; nested blocks join the outer one."""
        ...

    def has_table(self, name: str) -> bool: ...

    def lock_for_migrations(self) -> None:
        """Inside `atomic()`: wait until no other process is migrating this database."""
        ...

    def checkpoint_seldom(self, pages: int) -> None:
        """This connection leaves the log's checkpoints to others until the log is `pages` long (SQLite's WAL;
        nothing elsewhere)."""
        ...

    def close(self) -> None: ...


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(POSTGRES_SCHEMES)


def sqlite_path(target: str | Path) -> str:
    """sqlite:///relative.db or sqlite:////absolute.db (SQLAlchemy's form), or a plain path."""
    return str(target).removeprefix(SQLITE_SCHEME)


def open_engine(target: str | Path) -> Engine:
    if is_postgres(target):
        from .postgres_engine import PostgresEngine

        return PostgresEngine(str(target))
    from .sqlite_engine import SqliteEngine

    return SqliteEngine.open(sqlite_path(target))


def masked(target: str | Path) -> str:
    """WEBEXBOT_DB fit to show: a URL's password is replaced by ***."""
    text = str(target)
    if not is_postgres(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))

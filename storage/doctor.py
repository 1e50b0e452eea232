"""`webexbot doctor`'s look at the database, whichever engine, without creating or changing anything.
Each check is (ok, what was found, how to fix it); the URL is shown with its password masked."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from .engine import is_postgres, masked, sqlite_path
from .errors import StoreUnavailable
from .sqlite_engine import SqliteEngine
from .versions import pending

Found = tuple[bool, str, str]
PG_FIX = "check WEBEXBOT_DB (host, port, user, password, database name) and that the server is running"


def check(target: str) -> Found:
    return _postgres(target) if is_postgres(target) else _sqlite(Path(sqlite_path(target)))


def _postgres(url: str) -> Found:
    shown = masked(url)
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        password = urlsplit(url).password
        if password:
            reason = reason.replace(password, "***")
        return False, f"cannot reach {shown}: {reason}", PG_FIX
    from .postgres_engine import PostgresEngine

    engine = PostgresEngine(url, min_size=1, max_size=1)
    try:
        todo = pending(engine)
    except StoreUnavailable as error:
        return False, f"{shown}: {error.reason}", PG_FIX
    finally:
        engine.close()
    if todo:
        return True, f"{shown} answers; {len(todo)} update(s) will be applied at start (or by `webexbot migrate`)", ""
    return True, f"{shown} answers and is up to date", ""


def _sqlite(path: Path) -> Found:
    """A missing file is fine if its folder is writable: it is created at first start."""
    folder = path.parent
    fix = "set WEBEXBOT_DB to a file in a folder this user can write to (the folder must exist)"
    if not folder.is_dir():
        return False, f"the folder {folder} does not exist", fix
    if not os.access(folder, os.W_OK | os.X_OK):
        return False, f"cannot write in the folder {folder}", fix
    if not path.exists():
        return True, f"{path} will be created at first start", ""
    if not os.access(path, os.R_OK | os.W_OK):
        return False, f"{path} is not readable and writable by this user", fix
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            todo = pending(SqliteEngine(connection))
    except sqlite3.DatabaseError:
        return False, f"{path} is not a SQLite database", "point WEBEXBOT_DB at another file"
    if todo:
        return True, f"{path} is writable; {len(todo)} update(s) will be applied at start", ""
    return True, f"{path} is writable and up to date", ""


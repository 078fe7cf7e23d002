"""Open a database for reading only: a viewer (the web pages) can look but never write."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote as url_quote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from quotes.config import database_url

from .db import DatabaseError, open_database


def _sqlite_readonly(path: str) -> Engine:
    """SQLite opened with mode=ro: the file cannot be written through it (temporary tables, which
    filtered stats build, live elsewhere and still can; PRAGMA query_only would forbid those too)."""
    target = f"file:{url_quote(str(Path(path).resolve()))}?mode=ro"
    # threads of a web server share the pool, one connection at a time each
    engine = create_engine("sqlite://", creator=lambda: _connect(target))

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # one snapshot per transaction: a page's several queries see the same data
        connection.exec_driver_sql("BEGIN")

    return engine


def _connect(target: str):
    import sqlite3

    connection = sqlite3.connect(target, uri=True, check_same_thread=False)
    connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def open_readonly(db: str | None = None) -> Engine:
    """Engine for --db / QUOTES_DB / the default that cannot write: SQLite's read-only mode, other
    backends' read-only transactions.

    The database must exist; one whose schema is behind is brought up to date first (the one write,
    done by quotes' own migrations before any viewer reads).
    """
    engine = open_database(db, create=False)  # refuses a missing file; migrates an old one
    url = engine.url
    engine.dispose()
    try:
        parsed = make_url(database_url(db))
    except ArgumentError as exc:  # open_database has already said so; kept for clarity
        raise DatabaseError(str(exc)) from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise DatabaseError("an in-memory database cannot be opened read-only by another connection")
        readonly = _sqlite_readonly(parsed.database)
    else:
        readonly = create_engine(url).execution_options(postgresql_readonly=True)
    try:
        with readonly.connect():
            pass
    except SQLAlchemyError as exc:
        readonly.dispose()
        raise DatabaseError(f"cannot open {parsed.database or url} read-only: {getattr(exc, 'orig', exc)}") from exc
    return readonly

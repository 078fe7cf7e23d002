"""Open the database, bringing its schema up to date (Alembic ``upgrade head``) on first use."""
from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import sqlite3
import sys
import threading
import time
from functools import cache
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from quotes.config import cache_dir, database_url

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest schema revision. A database already at it is opened without importing Alembic (a third
#: of a query command's start-up); tests/test_migrations.py keeps this equal to the scripts' head.
SCHEMA_HEAD = "0011"

#: Execution option naming the SQLite BEGIN mode of a transaction ("IMMEDIATE" for writers).
BEGIN_MODE_OPTION = "quotes_sqlite_begin"


#: How long a connection waits for another process's write lock before SQLite says "database is locked":
#: long enough for another writer's article, or most of a large `import`; the store then retries with
#: backoff (storing.RETRIES).
BUSY_TIMEOUT_SECONDS = 60.0


class DatabaseError(Exception):
    """The database cannot be used: it cannot be opened, is not ours, or is newer than this code."""


def _create(parsed, url: str, **kwargs) -> Engine:
    """create_engine, with an unknown scheme or a driver that is not installed a DatabaseError."""
    backend = parsed.get_backend_name()
    try:
        return create_engine(parsed, **kwargs)
    except ImportError as exc:  # the dialect imports its DBAPI module here
        raise DatabaseError(f"--db {parsed.render_as_string(hide_password=True)}: the {backend} driver "
                            f"{parsed.get_driver_name()!r} is not installed (no module {exc.name!r}); "
                            f"install it with pip") from None
    except ArgumentError as exc:  # NoSuchModuleError: no dialect of that name
        raise DatabaseError(f"--db {parsed.render_as_string(hide_password=True)}: unknown database kind "
                            f"{parsed.drivername!r} ({exc})") from None


#: What a PostgreSQL URL needs installed, said in one line when it is missing.
POSTGRES_DRIVER_HINT = "PostgreSQL needs the psycopg driver: pip install 'quotes[postgres]'"


def get_engine(url: str) -> Engine:
    """Create an engine; on SQLite turn on foreign keys, WAL and real transactions."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return _postgres_engine(parsed)
    if backend != "sqlite":
        return _create(parsed, url)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:  # one shared connection, or every checkout would see a new empty database
        engine = _create(parsed, url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = _create(parsed, url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling skips BEGIN before DDL and breaks SAVEPOINT;
        # with it off, SQLAlchemy emits BEGIN itself (the documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        if not in_memory:
            _set_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer that read first cannot take the write lock once another process has written;
        # IMMEDIATE takes it up front (waiting up to busy_timeout) instead of failing half-way.
        mode = connection.get_execution_options().get(BEGIN_MODE_OPTION, "")
        connection.exec_driver_sql(f"BEGIN {mode}" if mode in ("IMMEDIATE", "EXCLUSIVE") else "BEGIN")

    return engine


def _postgres_engine(parsed) -> Engine:
    """An engine on PostgreSQL through psycopg 3 (a bare ``postgresql://`` URL means it too)."""
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername != "postgresql+psycopg":
        raise DatabaseError(f"{parsed.drivername}: quotes talks to PostgreSQL through psycopg 3 "
                            "(postgresql+psycopg://USER@HOST/DB)")
    try:
        import psycopg  # noqa: F401  (only to say what is missing in one line)
    except ImportError:
        raise DatabaseError(POSTGRES_DRIVER_HINT) from None
    # pool_pre_ping: a long ingest outlives a server restart or an idle timeout on the way
    return create_engine(parsed, pool_pre_ping=True)


#: Key of the PostgreSQL advisory lock every writer holds for its transaction: writers take turns, as on
#: SQLite (BEGIN IMMEDIATE), so two resolving the same new speaker never both create it; readers never wait.
WRITER_LOCK = 0x71756F74  # "quot"
#: Key of the advisory lock the one process migrating a PostgreSQL database holds.
MIGRATION_LOCK = 0x71756F75


def begin_write(session: Session) -> None:
    """Start ``session``'s next transaction as a writer (SQLite: BEGIN IMMEDIATE; PostgreSQL: the writers'
    advisory lock, held until it ends).

    Commits whatever transaction the session had open first.
    """
    session.commit()
    connection = session.connection(execution_options={BEGIN_MODE_OPTION: "IMMEDIATE"})
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


def reset_sequences(session: Session, table_names) -> None:
    """After rows were inserted with their ids (an import), make the next ids follow the largest one."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite's next rowid is always one past the largest
    for name in table_names:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"))


def migrations_path() -> Path:
    """The Alembic script folder: the installed ``quotes.migrations``, else the checkout's migrations/."""
    try:
        return Path(str(importlib.resources.files("quotes.migrations")))
    except ModuleNotFoundError:  # running from a source checkout that was not installed
        return Path(__file__).resolve().parents[2] / "migrations"


def alembic_config() -> "Config":
    """An Alembic config for the packaged migrations, with no ini file (so no logging setup)."""
    from alembic.config import Config

    # Config's default stdout is bound when alembic.config is first imported, which may be inside a
    # redirected stream that is closed by now: hand it today's
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(migrations_path()).replace("%", "%%"))
    return config


def _describe(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _current(connection) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def _up_to_date(engine: Engine) -> bool:
    """Whether the database is at SCHEMA_HEAD, asked with one plain query."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))} == {SCHEMA_HEAD}


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision; refuse databases that are newer or not ours."""
    if _up_to_date(engine):
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    with engine.connect() as connection:  # the usual case, up to date, needs no write lock
        if _current(connection) == heads:
            return
    where = _describe(engine)
    with engine.connect() as connection:
        connection = connection.execution_options(**{BEGIN_MODE_OPTION: "IMMEDIATE"})
        with connection.begin():  # one migrator at a time; the others find it done
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            current = _current(connection)
            if current == heads:
                return
            for revision in current:
                try:
                    script.get_revision(revision)
                except CommandError:
                    raise DatabaseError(
                        f"{where}: the database has schema revision {revision}, which this version "
                        f"of quotes does not know (it was written by a newer version); upgrade quotes"
                    ) from None
            if not current and inspect(connection).get_table_names():
                raise DatabaseError(f"{where}: not a quotes database (it has tables but no schema version)")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


# How long a new connection keeps asking for WAL mode while another one holds the file (first use only).
WAL_WAIT_SECONDS = 10.0


def _set_wal(cursor) -> None:
    """Put the database in WAL mode. Switching needs the file to itself and SQLite answers "locked" at once
    rather than waiting, so several processes opening a new database together take turns."""
    deadline = time.monotonic() + WAL_WAIT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _unique() -> str:
    """A name part no other process or thread uses at the same time."""
    return f"{os.getpid()}-{threading.get_ident()}"


@cache
def _migrations_digest() -> str:
    """A digest of the migration scripts, read once per process (their files do not change under it)."""
    digest = hashlib.sha256()
    for script in sorted((migrations_path() / "versions").glob("*.py")) + [migrations_path() / "env.py"]:
        digest.update(script.name.encode() + b"\0" + script.read_bytes())
    return digest.hexdigest()[:16]


def _template_path() -> Path:
    """The cache file of a migrated empty database, named by the migrations' digest (so a changed or added
    migration builds a new one)."""
    return cache_dir() / f"empty-{SCHEMA_HEAD}-{_migrations_digest()}.sqlite"


def _build_template(template: Path) -> None:
    """Migrate a new database in the cache folder and move it into place (atomically: a process copying the
    template never sees half of one)."""
    template.parent.mkdir(parents=True, exist_ok=True)
    tmp = template.with_suffix(f".{_unique()}.tmp")
    try:
        engine = get_engine(f"sqlite:///{tmp}")
        try:
            migrate(engine)
        finally:
            engine.dispose()  # its connections closed, so that the journal mode can change
        connection = sqlite3.connect(tmp)
        try:  # one self-contained file: the -wal folded in
            connection.execute("PRAGMA journal_mode=DELETE")
        finally:
            connection.close()
        tmp.replace(template)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def create_from_template(path: Path) -> bool:
    """Create the new SQLite database ``path`` as a copy of a migrated empty one kept in the cache folder,
    sparing each new database Alembic's import and the migrations (0.2 s of a short ingest). False, and
    nothing created, where that cannot be done (no writable cache, no hard links, the file appeared
    meanwhile): the caller then migrates as usual."""
    try:
        template = _template_path()
        if not template.exists():
            _build_template(template)
        tmp = path.with_name(f".{path.name}.{_unique()}.new")
        shutil.copyfile(template, tmp)
        try:
            if not _at_head(tmp):  # a damaged template: built again by the next new database
                template.unlink(missing_ok=True)
                return False
            os.link(tmp, path)  # fails if another process created the database meanwhile: it wins
        finally:
            tmp.unlink()
    except (OSError, SQLAlchemyError, DatabaseError):
        return False
    return True


def _at_head(path: Path) -> bool:
    """Whether the SQLite file ``path`` reads as a quotes database at SCHEMA_HEAD."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def open_database(db: str | None = None, *, create: bool = True) -> Engine:
    """Engine for --db / QUOTES_DB / the default, migrated to the current schema.

    ``create=False``: a SQLite file that does not exist is a DatabaseError, not a new database.
    """
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {url!r}") from exc
    if (parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
            and not Path(parsed.database).exists()):
        if not create:
            raise DatabaseError(f"{parsed.database}: no such database")
        if not parsed.query:  # a plain path, not a URI filename (?uri=true) SQLite would read otherwise
            create_from_template(Path(parsed.database))
    engine = get_engine(url)
    try:
        migrate(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseError(f"cannot open database {_describe(engine)}: {reason}") from exc
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)

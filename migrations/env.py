"""Alembic environment: runs migrations on the connection quotes.db hands over, or on a URL."""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from quotes.config import database_url
from quotes.store.db import get_engine
from quotes.store.models import (
    FTS_TABLE, PG_ARTICLE_ORDER_INDEX, PG_NEWEST_INDEX, PG_RANK_INDEX, PG_SEARCH_COLUMN, PG_SEARCH_INDEX, Base,
)

config = context.config

# Only the alembic command line has an ini file; quotes.db runs us quietly without one.
if config.config_file_name is not None and not config.attributes.get("connection"):
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    """Leave the full-text indexes out of autogenerate: the FTS5 table and its shadow tables
    (quotes_fts_data, ...) on SQLite, the tsvector column, its GIN and RUM indexes, the newest-first date index
    and the article-order index on PostgreSQL (made by the PostgreSQL-only migrations 0007, 0009 and 0011)."""
    if type_ == "table" and name is not None:
        return not name.startswith(FTS_TABLE)
    if type_ == "column":
        return not (name == PG_SEARCH_COLUMN and parent_names.get("table_name") == "quotes")
    if type_ == "index":
        return name not in (PG_SEARCH_INDEX, PG_NEWEST_INDEX, PG_ARTICLE_ORDER_INDEX, PG_RANK_INDEX)
    return True


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
        include_name=include_name,
        compare_type=True,
        **kwargs,
    )


def _url() -> str:
    """`alembic -x db=PATH`, else sqlalchemy.url, else QUOTES_DB / the default database."""
    x_db = context.get_x_argument(as_dictionary=True).get("db")
    if x_db:
        return database_url(x_db)
    return config.get_main_option("sqlalchemy.url") or database_url()


def run_migrations_offline() -> None:
    """Emit SQL instead of running it (alembic upgrade --sql)."""
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live connection.

    Connections come from quotes.db.get_engine, which makes SQLite emit real BEGINs, so DDL is
    transactional there too: a failed upgrade leaves the database as it was.
    """
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = get_engine(_url())
    try:
        with engine.connect() as connection:
            _configure(connection=connection, transactional_ddl=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Opening databases: pragmas, migrate on first use, refusing what is not ours, FTS kept in sync."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text

from quotes.query import fulltext

from quotes.store.db import DatabaseError, open_database
from quotes.store.models import Article, Quote


def test_first_use_creates_the_schema_with_foreign_keys_and_wal(tmp_path):
    path = tmp_path / "new.db"
    engine = open_database(str(path))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
    assert {"articles", "quotes", "speakers", "quotes_fts", "alembic_version"} <= names
    engine.dispose()
    open_database(str(path)).dispose()  # second open: already at head, nothing to do


def test_in_memory_database_keeps_its_schema_across_connections():
    engine = open_database("sqlite://")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM quotes")).scalar() == 0


def test_database_newer_than_the_code_is_refused(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff0000future'")
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(str(db_path))


def test_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some text, long enough to have a header of sorts " * 20)
    with pytest.raises(DatabaseError, match="cannot open database"):
        open_database(str(path))


def test_unreachable_path_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="cannot open database"):
        open_database(str(tmp_path / "missing-folder" / "q.db"))


def test_foreign_sqlite_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(DatabaseError, match="not a quotes database"):
        open_database(str(path))


def _schema(path) -> set[tuple]:
    """Every table, index, trigger and view, with its SQL's lines sorted: Alembic's batch mode writes a
    recreated table's constraints in no fixed order."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        return {(kind, name, table, tuple(sorted(line.strip().rstrip(",") for line in (sql or "").splitlines())))
                for kind, name, table, sql in rows}


def test_a_new_database_is_a_copy_of_the_migrated_template(tmp_path, monkeypatch):
    from quotes.store import db

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    open_database(str(first)).dispose()  # builds the template, then copies it
    template = db._template_path()
    assert template.exists() and template.parent == tmp_path / "cache" / "quotes"

    def no_alembic(engine):  # a second new database needs no migration at all
        raise AssertionError("migrated a database the template should have given")

    monkeypatch.setattr(db, "_build_template", no_alembic)
    with monkeypatch.context() as m:
        m.setattr("alembic.command.upgrade", no_alembic)
        engine = open_database(str(second))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == db.SCHEMA_HEAD
    engine.dispose()
    migrated = tmp_path / "migrated.db"  # the same schema as Alembic gives, FTS tables and triggers included
    db.migrate(db.get_engine(f"sqlite:///{migrated}"))
    assert _schema(second) == _schema(migrated)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".new", ".tmp"))]


def test_a_database_that_appears_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    from quotes.store import db

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "q.db"
    path.write_bytes(b"another process's database")
    assert db.create_from_template(path) is False
    assert path.read_bytes() == b"another process's database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "q.db"]  # no copy left beside it


def test_a_damaged_template_is_dropped_and_the_database_migrated(tmp_path, monkeypatch):
    from quotes.store import db

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template = db._template_path()
    template.parent.mkdir(parents=True)
    template.write_bytes(b"SQLite format 3\x00" + bytes(100))  # cut short, say by a full disk
    engine = open_database(str(tmp_path / "new.db"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == db.SCHEMA_HEAD
    engine.dispose()
    assert not template.exists() or db._at_head(template)
    open_database(str(tmp_path / "next.db")).dispose()  # the next new one builds a sound template again
    assert db._at_head(template)


def test_a_uri_filename_is_left_to_sqlite(tmp_path, monkeypatch):
    from quotes.store import db

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    engine = open_database(f"sqlite:///file:{tmp_path / 'u.db'}?uri=true")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM quotes")).scalar() == 0
    engine.dispose()
    assert (tmp_path / "u.db").exists()  # where the URI points, not a file named after the URI itself
    assert not list(tmp_path.glob("file:*")) and not list(tmp_path.glob("*/file:*"))
    assert not db._template_path().exists()


def test_without_a_writable_cache_a_new_database_is_migrated_as_before(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    engine = open_database(str(tmp_path / "new.db"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM quotes")).scalar() == 0
    engine.dispose()


def _fts_ids(session, query):
    """Ids of the quotes the full-text index finds for ``query`` (FTS5 on SQLite, the tsvector on PostgreSQL)."""
    m = fulltext.match(session, query)
    return set(session.execute(select(m.quote_id).select_from(m.source).where(m.where)).scalars())


def test_fts_index_follows_inserts_updates_and_cascading_deletes(session):
    article = Article(content_hash="x" * 64, text="Rivers rise. Bridges hold.", source="a.txt")
    first = Quote(article=article, text="Rivers rise", kind="direct", start=0, end=11)
    second = Quote(article=article, text="Bridges hold", kind="direct", start=13, end=25)
    session.add_all([article, first, second])
    session.commit()
    assert _fts_ids(session, "rivers") == {first.id}
    assert _fts_ids(session, "bridges") == {second.id}

    second.text = "Bridges sway"
    session.commit()
    assert _fts_ids(session, "hold") == set()
    assert _fts_ids(session, "sway") == {second.id}

    session.delete(article)  # the quotes go by ON DELETE CASCADE, and the triggers still fire
    session.commit()
    assert session.execute(text("SELECT count(*) FROM quotes")).scalar() == 0
    assert _fts_ids(session, "rivers OR sway") == set()


def test_deleting_an_article_in_sql_cascades_to_its_quotes(session):
    article = Article(content_hash="y" * 64, text="Words.", source="b.txt")
    session.add_all([article, Quote(article=article, text="Words", kind="direct", start=0, end=5)])
    session.commit()
    session.execute(text("DELETE FROM articles"))
    session.commit()
    assert session.execute(text("SELECT count(*) FROM quotes")).scalar() == 0
    assert _fts_ids(session, "words") == set()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request, tmp_path):
    """Where a new, empty database is to be: a SQLite path, or an empty PostgreSQL database (each backend)."""
    if request.param == "sqlite":
        yield str(tmp_path / "race.db")
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database(migrated=False)
    yield url
    server.drop(url)


def test_simultaneous_first_use_migrates_once(new_database):
    from concurrent.futures import ThreadPoolExecutor

    path = new_database
    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _: open_database(path), range(4)))
    from alembic.script import ScriptDirectory

    from quotes.store.db import alembic_config

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    with engines[0].connect() as conn:  # one row, the newest revision: migrated once, to the end
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == heads
    for engine in engines:
        engine.dispose()


def test_postgresql_without_its_driver_is_a_one_line_error(tmp_path):
    """A PostgreSQL URL with psycopg not importable: the command says what to install, in one line."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['psycopg'] = None\n"  # as if it were not installed
            "from quotes.cli import main\n"
            "main(['--db', 'postgresql://someone@127.0.0.1:1/quotes', 'list'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'quotes[postgres]'" in lines[0], done.stderr


def test_a_url_of_another_postgresql_driver_is_refused_in_one_line():
    with pytest.raises(DatabaseError, match="psycopg 3"):
        open_database("postgresql+psycopg2://someone@127.0.0.1:1/quotes")

"""Concurrent writers: several processes storing into one database end as one serial run would."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.store import db as dbmod
from quotes.store import storing

from .corpus import write_articles

QUOTES = [sys.executable, "-m", "quotes"]


def speakers_json(db: str) -> list[dict]:
    """`quotes speakers --format json` without the ids, which depend on the order of storing."""
    result = CliRunner().invoke(main, ["--db", db, "speakers", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    for row in rows:
        row.pop("id")
    return sorted(rows, key=lambda r: r["name"])


def quotes_json(db: str) -> list[tuple]:
    """Every stored quote as (file, start, end, kind, speaker, country), in a fixed order."""
    result = CliRunner().invoke(main, ["--db", db, "list", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    return sorted((r["file"], r["start"], r["end"], r["kind"], r["speaker"] or "", r["country"] or "") for r in rows)


def test_concurrent_ingests_of_overlapping_batches_equal_a_serial_ingest(tmp_path):
    paths = [str(p) for p in write_articles(tmp_path, 12)]
    serial = str(tmp_path / "serial.db")
    subprocess.run([*QUOTES, "--db", serial, "ingest", *paths], check=True, capture_output=True)

    shared = str(tmp_path / "shared.db")
    batches = [paths[:8], paths[4:], paths[::-1]]  # every article in two or three batches
    procs = [subprocess.Popen([*QUOTES, "--db", shared, "ingest", *batch], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for batch in batches]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, err
    assert speakers_json(shared) == speakers_json(serial)
    expected = quotes_json(serial)
    assert len(expected) >= 36 and quotes_json(shared) == expected
    with sqlite3.connect(shared) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 12
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_SECONDS", 0.1)
    monkeypatch.setattr(storing, "RETRIES", 3)
    monkeypatch.setattr(storing, "BACKOFF_SECONDS", 0.05)


def _hold_write_lock(path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    return con


def test_a_lock_held_past_every_retry_is_one_line_for_the_article(db_path, quick_retries, make_extraction):
    from quotes.store.db import open_database, session_factory

    engine = open_database(str(db_path))
    extraction = make_extraction('"It will rain," said Ann Vale.', [("It will rain,", "Ann Vale", "direct")],
                                 source="late.txt")
    holder = _hold_write_lock(db_path)
    try:
        with session_factory(engine)() as session:
            with pytest.raises(storing.StoreError) as caught:
                storing.store_extraction(session, extraction)
    finally:
        holder.rollback()
        holder.close()
    message = str(caught.value)
    assert message.startswith("late.txt: not stored after 3 tries") and "locked" in message and "\n" not in message
    with session_factory(engine)() as session:  # the lock gone, the same session stores it
        assert storing.store_extraction(session, extraction).status == "added"
    engine.dispose()


def test_a_lock_released_while_waiting_is_retried_and_stored(db_path, quick_retries, make_extraction):
    from quotes.store.db import open_database, session_factory

    engine = open_database(str(db_path))
    extraction = make_extraction('"It will rain," said Ann Vale.', [("It will rain,", "Ann Vale", "direct")])
    holder = _hold_write_lock(db_path)
    release = threading.Timer(0.15, lambda: (holder.rollback(), holder.close()))
    release.start()
    try:
        with session_factory(engine)() as session:
            assert storing.store_extraction(session, extraction).status == "added"
    finally:
        release.join()
    engine.dispose()


def test_a_read_only_database_is_one_line_per_article_and_for_curation(tmp_path, db_path):
    (tmp_path / "a.txt").write_text('"It will rain," said Ann Vale.', encoding="utf-8")
    url = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    result = subprocess.run([*QUOTES, "--db", url, "ingest", str(tmp_path / "a.txt")], capture_output=True,
                            text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a.txt: cannot write the database (attempt to write a readonly database)" in result.stderr
    result = subprocess.run([*QUOTES, "--db", url, "rename-speaker", "1", "Someone"], capture_output=True,
                            text=True)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("url, words", [
    ("nosuchdb://host/x", "unknown database kind 'nosuchdb'"),
    ("postgresql+nosuchdriver://u@localhost/x", "through psycopg 3"),
    ("mysql+mysqldb://u:secret@localhost/x", "driver 'mysqldb' is not installed"),
])
def test_an_unknown_scheme_or_missing_driver_is_one_line(url, words):
    pytest.importorskip("sqlalchemy")
    if "mysql" in url:
        try:
            import MySQLdb  # noqa: F401
            pytest.skip("the MySQL driver is installed here")
        except ImportError:
            pass
    result = CliRunner().invoke(main, ["--db", url, "speakers"])
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output, result.output
    assert "secret" not in result.output


def test_a_unique_conflict_is_retried_and_another_constraint_is_one_line_at_once(session, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    monkeypatch.setattr(storing, "BACKOFF_SECONDS", 0.01)
    calls = []

    def conflicting():
        calls.append(1)
        if len(calls) < 3:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: speaker_aliases.alias"))
        return "stored"

    assert storing.retried(session, "a.txt", conflicting) == "stored" and len(calls) == 3

    def broken():
        calls.append(1)
        raise IntegrityError("INSERT", {}, Exception("CHECK constraint failed: kind"))

    calls.clear()
    with pytest.raises(storing.StoreError, match=r"^a.txt: cannot be stored \(CHECK constraint failed: kind\)$"):
        storing.retried(session, "a.txt", broken)
    assert len(calls) == 1


def test_an_ingest_waits_for_a_writer_holding_the_database_longer_than_the_old_timeout(tmp_path, db_path):
    """A writer holding the lock past 10 s (a large import) made the other ingest store none of its batch."""
    paths = [str(p) for p in write_articles(tmp_path, 3)]
    holder = _hold_write_lock(db_path)
    proc = subprocess.Popen([*QUOTES, "--db", str(db_path), "ingest", *paths], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(20)  # past the old 10 s timeout however soon the ingest reaches its first article
    finally:
        holder.rollback()
        holder.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "3 articles added" in err, err


def test_reprocess_ingest_import_and_curation_at_once_all_succeed(tmp_path):
    paths = [str(p) for p in write_articles(tmp_path, 10, seed=5)]
    shared, other = str(tmp_path / "shared.db"), str(tmp_path / "other.db")
    subprocess.run([*QUOTES, "--db", shared, "ingest", *paths[:5]], check=True, capture_output=True)
    subprocess.run([*QUOTES, "--db", other, "ingest", *paths[8:]], check=True, capture_output=True)
    export = tmp_path / "other.jsonl"
    export.write_text(subprocess.run([*QUOTES, "--db", other, "export"], check=True, capture_output=True,
                                     text=True).stdout)
    before = quotes_json(shared)
    commands = [["reprocess"], ["ingest", *paths[5:8]], ["import", str(export)], ["set-country", "1", "IE"]]
    procs = [subprocess.Popen([*QUOTES, "--db", shared, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for args in commands]
    for args, proc in zip(commands, procs):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, (args, err)
    after = quotes_json(shared)
    spans = {row[:4] for row in after}  # (file, start, end, kind): set-country changes the rest
    assert {row[:4] for row in before} <= spans and len({row[0] for row in after}) == 10

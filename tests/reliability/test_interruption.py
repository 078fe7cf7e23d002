"""Interruption: Ctrl-C, SIGTERM or kill -9 during `ingest --workers 2` leave no worker and no half article."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .corpus import write_articles

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if entry.name.isdigit() and f"PPid:\t{pid}\n" in status and "zombie" not in status:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def start_ingest(tmp_path):
    paths = [str(p) for p in write_articles(tmp_path, 120)]
    db = tmp_path / "q.db"
    proc = subprocess.Popen([sys.executable, "-m", "quotes", "--db", str(db), "ingest", "--workers", "2", *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # a guard against a hang, not a timing
    while len(children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    return proc, db


def check_database(db: Path) -> None:
    """Every stored article has all its quotes: the counter the triggers keep equals the rows."""
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT a.n_quotes, (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) "
                           "FROM articles a").fetchall()
    assert all(n == count and n > 0 for n, count in rows), rows


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_workers_prints_one_line_and_exits_128_plus_it(tmp_path, signum, code):
    proc, db = start_ingest(tmp_path)
    workers = children(proc.pid)
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("skipped", "\r"))]
    assert len([line for line in lines if "quotes:" in line]) == 1 and len(lines) <= 2, err
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)]
    check_database(db)


def test_no_worker_outlives_a_killed_parent(tmp_path):
    proc, db = start_ingest(tmp_path)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while [pid for pid in workers if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)]
    check_database(db)

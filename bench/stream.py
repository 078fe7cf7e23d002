"""Query commands with no limit on a large database: rows out at once, memory flat, whatever the result size.

    python bench/stream.py [--db PATH] [--quotes 1000000] [--repeat R] [--json]
    python bench/stream.py --db /tmp/bench.db      # bench/query_speed.py --db /tmp/bench.db builds it once

On bench/query_speed.py's synthetic database (built in a temporary folder unless --db names one to build
or reuse: 1,000,000 quotes by default, about 50 s), each command runs as a whole process writing to a pipe,
--repeat times (default 3, medians): the time to its first byte of output, the time to its last, and its peak
memory (VmHWM). The baseline, in the same run, is a python process running one hand-written sqlite3 query
that returns the same rows and writing each as a JSON line. Also, in this process, the time a library
call (quotes.query.iter_*) takes to give its first row. Targets: 72,265 rows of ``search minister`` (the
word in about 1 quote of 14) in < 1.5 s and < 80 MiB, as JSON lines, CSV and JSON; first row < 100 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from query_speed import COUNTRY_SPEAKERS, QUOTE_COLUMNS, QUOTE_FROM, build  # noqa: E402

#: Appended to a child's code: its peak resident memory (VmHWM, not inherited from this process) on stderr.
_PEAK = ("import atexit, sys\n"
         "def _peak():\n"
         "    for line in open('/proc/self/status'):\n"
         "        if line.startswith('VmHWM:'):\n"
         "            sys.stderr.write('\\nPEAK ' + line.split()[1] + '\\n')\n"
         "atexit.register(_peak)\n")


def _quotes_code(args: list[str]) -> str:
    return _PEAK + f"import runpy\nsys.argv = ['quotes', *{args!r}]\nrunpy.run_module('quotes', run_name='__main__')\n"


def _bare_code(db: Path, sql: str, params: tuple) -> str:
    return _PEAK + (f"import sqlite3, json\nc = sqlite3.connect({str(db)!r})\nw = sys.stdout.write\n"
                    f"for row in c.execute({sql!r}, {params!r}):\n    w(json.dumps(row, ensure_ascii=False) + '\\n')\n")


def _run(code: str) -> dict:
    """Whole-process figures of ``python -c code``: first byte, last byte, rows (lines), peak MiB."""
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="120")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first, lines = None, 0
    while True:
        chunk = proc.stdout.read1(1 << 16)
        if not chunk:
            break
        if first is None:
            first = time.perf_counter() - t0
        lines += chunk.count(b"\n")
    err = proc.stderr.read().decode()
    proc.wait()
    total = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"failed: {err[-400:]}")
    peak = next((int(line.split()[1]) / 1024 for line in err.splitlines() if line.startswith("PEAK ")), None)
    return {"first_s": first, "total_s": total, "lines": lines, "peak_mib": peak}


def cases(db: Path, word: str, country: str) -> list[tuple[str, list[str], str, tuple]]:
    search_sql = (f"SELECT {QUOTE_COLUMNS}, page.rank, page.snippet FROM (SELECT rowid AS id, rank, "
                  f"snippet(quotes_fts, 0, '**', '**', '…', 24) AS snippet FROM quotes_fts WHERE quotes_fts MATCH ? "
                  f"ORDER BY rank, rowid) page JOIN quotes q ON q.id = page.id JOIN articles a ON a.id = q.article_id "
                  f"LEFT JOIN speakers s ON s.id = q.speaker_id ORDER BY page.rank, page.id")
    list_sql = (f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM} WHERE q.speaker_id IN ({COUNTRY_SPEAKERS.replace(':c', '?')}) "
                f"ORDER BY q.article_id, q.start, q.id")
    speakers_sql = ("SELECT s.id, s.name, s.kind, s.country, s.n_quotes, s.n_articles, (SELECT group_concat(alias) "
                    "FROM speaker_aliases WHERE speaker_id = s.id), (SELECT group_concat(DISTINCT coalesce(f.title, '') "
                    "|| '|' || coalesce(o.name, '')) FROM affiliations f LEFT JOIN organizations o ON "
                    "o.id = f.organization_id WHERE f.speaker_id = s.id) FROM speakers s WHERE s.named "
                    "ORDER BY s.n_quotes DESC, s.name, s.id")
    d = ["--db", str(db)]
    return [
        (f"search {word} --format jsonl", [*d, "search", word, "--format", "jsonl"], search_sql, (word,)),
        (f"search {word} --format csv", [*d, "search", word, "--format", "csv"], search_sql, (word,)),
        (f"search {word} --format json", [*d, "search", word, "--format", "json"], search_sql, (word,)),
        (f"search {word} (table)", [*d, "search", word], search_sql, (word,)),
        (f"list --country {country} --format jsonl", [*d, "list", "--country", country, "--format", "jsonl"],
         list_sql, (country,) * 3),
        ("speakers --format jsonl", [*d, "speakers", "--format", "jsonl"], speakers_sql, ()),
    ]


def first_rows(db: Path, word: str, country: str) -> dict[str, float]:
    """Seconds a library call takes to give its first row (this process, warm)."""
    from quotes import query
    from quotes.store.db import open_database, session_factory

    engine = open_database(str(db))
    out = {}
    with session_factory(engine)() as session:
        calls = {f"iter_search({word!r})": lambda: query.iter_search(session, word),
                 f"iter_quotes(country={country!r})": lambda: query.iter_quotes(session, country=country),
                 "iter_speakers()": lambda: query.iter_speakers(session)}
        for name, call in calls.items():
            next(call())  # warm-up: compiled statements, page cache
            session.rollback()
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                rows = call()
                next(rows)
                times.append(time.perf_counter() - t0)
                rows.close() if hasattr(rows, "close") else None
                session.rollback()
            out[name] = round(statistics.median(times) * 1000, 1)
    engine.dispose()
    return out


def measure(db: Path, repeat: int, word: str = "minister") -> dict:
    import sqlite3

    conn = sqlite3.connect(db)
    country = conn.execute("SELECT country FROM speakers WHERE country IS NOT NULL GROUP BY country "
                           "ORDER BY sum(n_quotes) DESC LIMIT 1").fetchone()[0]
    conn.close()
    rows = []
    for name, args, sql, params in cases(db, word, country):
        ours, bare = [], []
        _run(_quotes_code(args)), _run(_bare_code(db, sql, params))  # warm-up, not timed: caches, the first of a series
        for _ in range(repeat):  # interleaved
            ours.append(_run(_quotes_code(args)))
            bare.append(_run(_bare_code(db, sql, params)))
        med = {k: round(statistics.median(r[k] for r in ours), 3) for k in ("first_s", "total_s", "peak_mib")}
        base = {k: round(statistics.median(r[k] for r in bare), 3) for k in ("first_s", "total_s", "peak_mib")}
        rows.append({"command": f"quotes {name}", "lines": ours[0]["lines"], "bare_lines": bare[0]["lines"],
                     **med, "bare": base, "ratio_total": round(med["total_s"] / base["total_s"], 2),
                     "ratio_peak": round(med["peak_mib"] / base["peak_mib"], 2)})
        print(f"  {name} done", file=sys.stderr)
    return {"commands": rows, "first_row_ms": first_rows(db, word, country), "repeat": repeat}


def render(r: dict) -> str:
    lines = [f"whole processes writing to a pipe, medians of {r['repeat']}; baseline: python + sqlite3 running one "
             f"query for the same rows, printing JSON lines",
             f"{'command':42} {'lines':>7} {'first s':>8} {'total s':>8} {'peak MiB':>9}   bare: {'first':>6} "
             f"{'total':>6} {'MiB':>5}   x total  x peak"]
    for c in r["commands"]:
        b = c["bare"]
        lines.append(f"{c['command']:42} {c['lines']:>7} {c['first_s']:>8.3f} {c['total_s']:>8.2f} {c['peak_mib']:>9.0f}"
                     f"         {b['first_s']:>6.3f} {b['total_s']:>6.2f} {b['peak_mib']:>5.0f}   {c['ratio_total']:>7.2f}"
                     f"  {c['ratio_peak']:>6.2f}")
    lines.append("first row of a library call (ms, in process, warm): "
                 + ", ".join(f"{k} {v}" for k, v in r["first_row_ms"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="build the database here (kept), or reuse it if it exists")
    ap.add_argument("--quotes", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    folder = None
    path = args.db
    if path is None:
        folder = Path(tempfile.mkdtemp(prefix="quotes-stream-"))
        path = folder / "bench.db"
    try:
        if not path.exists():
            print(f"building {args.quotes:,} quotes in {path} ...", file=sys.stderr)
            build(path, args.quotes, max(1, args.quotes // 10), max(1, args.quotes // 50))
        result = measure(path, max(1, args.repeat))
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=1) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

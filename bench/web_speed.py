"""Time every page of `quotes serve` on a large synthetic database, and weigh what a browser downloads.

    python bench/web_speed.py [--quotes N] [--articles N] [--speakers N] [--db PATH] [--repeat R] [--json]

Builds the database of bench/query_speed.py (by default 1,000,000 quotes over 100,000 articles and
20,000 speakers; --db names a file to build or reuse), opens it read-only as `quotes serve` does, and
asks the application for each page in-process (FastAPI's test client: the server's own time, no
network), --repeat times after one warm-up, interleaved. Prints the median and the slowest time per
page, the warm-up's time (the first request: cold caches, the counts of all quotes not yet kept), the
page's size (HTML, and gzipped), and the weight of the assets every page loads. No spaCy.

Two baselines are timed in the same rounds, so that a loaded machine shows as such: the application
serving its stylesheet (the framework's own time, no database), and a bare sqlite3 query of the 21
newest quotes with their article and speaker (what the first page needs at the least). Each page's
median is also given as a multiple of the second.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout, package not installed

#: Pages slower than this (median) fail the run.
BUDGET_MS = 200.0
STATIC = "the stylesheet served by the application"
BARE = "sqlite3: the 21 newest quotes with article and speaker"
BARE_SQL = ("SELECT q.id, q.text, q.kind, q.confidence, a.title, a.outlet, a.published, a.url, s.name, s.country "
            "FROM articles a JOIN quotes q ON q.article_id = a.id + 0 LEFT JOIN speakers s ON s.id = q.speaker_id "
            "ORDER BY a.published DESC, a.id DESC, q.start LIMIT 21")  # "+ 0": articles lead, in date order


def _query_speed():
    spec = importlib.util.spec_from_file_location("query_speed", REPO / "bench" / "query_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(db: Path) -> list[tuple[str, str]]:
    """(what, URL) for each page, with arguments taken from the data so that each finds something."""
    conn = sqlite3.connect(db)
    one = lambda sql, *p: conn.execute(sql, p).fetchone()  # noqa: E731
    top_speaker = one("SELECT id FROM speakers ORDER BY n_quotes DESC LIMIT 1")[0]
    # a speaker ranked 300th of 20,000 (proportionally in a smaller database)
    n_speakers = one("SELECT count(*) FROM speakers")[0]
    mid_speaker = one("SELECT id FROM speakers ORDER BY n_quotes DESC LIMIT 1 OFFSET ?", n_speakers * 3 // 200)[0]
    top_country = one("SELECT country FROM speakers WHERE country IS NOT NULL GROUP BY country "
                      "ORDER BY sum(n_quotes) DESC LIMIT 1")[0]
    country = one("SELECT country FROM speakers WHERE country IS NOT NULL GROUP BY country "
                  "ORDER BY sum(n_quotes) DESC LIMIT 1 OFFSET 10")[0]
    org = one("SELECT organization_id FROM speaker_organizations GROUP BY organization_id "
              "ORDER BY count(*) DESC LIMIT 1")[0]
    article = one("SELECT id FROM articles ORDER BY n_quotes DESC LIMIT 1")[0]
    n_quotes = one("SELECT count(*) FROM quotes")[0]
    # a word in 1 quote of 400
    word = one("SELECT term FROM quotes_fts_vocab WHERE length(term) > 4 ORDER BY abs(doc - ?), term LIMIT 1",
               n_quotes / 400)[0]
    quote_id, text = one("SELECT id, text FROM quotes WHERE id = (SELECT max(id) / 3 FROM quotes)")
    month = one("SELECT substr(published, 1, 7) FROM articles WHERE published IS NOT NULL "
                "ORDER BY published DESC LIMIT 1")[0]
    conn.close()
    phrase = " ".join(text.split()[:6])
    return [
        ("overview", "/"),
        ("quotes, no filter", "/quotes"),
        ("quotes, page 500", "/quotes?page=500"),
        (f"quotes, top country {top_country}", f"/quotes?country={top_country}"),
        (f"quotes, country {country} + direct + month", f"/quotes?country={country}&kind=direct&month={month}"),
        ("quotes, speaker #ID", f"/quotes?speaker=%23{mid_speaker}"),
        ("quotes, min confidence 0.9", "/quotes?min_confidence=0.9"),
        (f"search '{word}'", f"/quotes?q={word}"),
        ("search 'minister'", "/quotes?q=minister"),
        ("search prefix + country", f"/quotes?q={word[:4]}*&country={top_country}"),
        ("who-said", "/who-said?phrase=" + phrase.replace(" ", "+")),
        ("article", f"/articles/{article}"),
        ("quote", f"/quotes/{quote_id}"),
        ("speaker (most quoted)", f"/speakers/{top_speaker}"),
        ("speaker", f"/speakers/{mid_speaker}"),
        ("organisation (most people)", f"/organizations/{org}"),
        (f"country (most quoted: {top_country})", f"/countries/{top_country}"),
        ("speakers", "/speakers"),
        ("organisations", "/organizations"),
        ("countries", "/countries"),
        ("JSON: quotes, top country", f"/api/quotes?country={top_country}"),
        ("JSON: speaker (most quoted)", f"/api/speakers/{top_speaker}"),
        ("JSON: overview", "/api/overview"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--speakers", type=int, default=20_000)
    parser.add_argument("--db", type=Path, help="database to build, or reuse when it exists")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from fastapi.testclient import TestClient

    from quotes.web.app import create_app

    folder = None
    if args.db is None:
        folder = tempfile.TemporaryDirectory()
        args.db = Path(folder.name) / "bench.db"
    built = None
    if not args.db.exists():
        built = _query_speed().build(args.db, args.quotes, args.articles, args.speakers)
    client = TestClient(create_app(str(args.db)))
    cases = pages(args.db)
    times: dict[str, list[float]] = {what: [] for what, _ in cases}
    sizes: dict[str, tuple[int, int]] = {}
    first: dict[str, float] = {}  # the warm-up round: caches cold, counts of all quotes not yet kept
    bare = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    baselines: dict[str, list[float]] = {STATIC: [], BARE: []}
    for round_ in range(args.repeat + 1):  # the first round warms caches and is not counted
        start = time.perf_counter()
        client.get("/static/style.css")
        static_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        bare.execute(BARE_SQL).fetchall()
        bare_ms = (time.perf_counter() - start) * 1000
        if round_:
            baselines[STATIC].append(static_ms)
            baselines[BARE].append(bare_ms)
        for what, url in cases:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url}: status {response.status_code}: {response.text[:300]}")
            if round_:
                times[what].append(elapsed)
            else:
                first[what] = elapsed
            sizes[what] = (len(response.content), len(gzip.compress(response.content)))
    home = client.get("/").text
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', home)))
    weights = {a: len(client.get(a).content) for a in assets}
    bare.close()
    base = {k: round(statistics.median(v), 2) for k, v in baselines.items()}
    rows = [{"page": what, "url": url, "median_ms": round(statistics.median(times[what]), 1),
             "max_ms": round(max(times[what]), 1), "first_ms": round(first[what], 1), "x_bare_query": round(statistics.median(times[what]) / base[BARE], 1),
             "html_bytes": sizes[what][0], "gzip_bytes": sizes[what][1]}
            for what, url in cases]
    result = {"database": {"path": str(args.db), "quotes": args.quotes if built else None, "built": built},
              "baselines_ms": base, "pages": rows, "assets": weights, "budget_ms": BUDGET_MS}
    if folder is not None:
        client.close()
        folder.cleanup()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        width = max(len(r["page"]) for r in rows)
        for what, ms in base.items():
            print(f"baseline, {what}: {ms:.2f} ms (median)")
        print(f"{'page':<{width}}  median ms  max ms  first ms  x bare  HTML KB  gzip KB")
        for r in rows:
            print(f"{r['page']:<{width}}  {r['median_ms']:>9.1f}  {r['max_ms']:>6.1f}  {r['first_ms']:>8.1f}"
                  f"  {r['x_bare_query']:>6.1f}"
                  f"  {r['html_bytes'] / 1024:>7.1f}  {r['gzip_bytes'] / 1024:>7.1f}")
        print("assets every page loads: " + ", ".join(f"{a} {n / 1024:.1f} KB" for a, n in weights.items())
              + " (no script, no fonts)")
    return int(any(r["median_ms"] > BUDGET_MS for r in rows))


if __name__ == "__main__":
    raise SystemExit(main())

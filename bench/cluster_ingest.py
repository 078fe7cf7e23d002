"""Ingest the same articles with local worker processes and with a local Dask cluster, side by side.

    python bench/cluster_ingest.py GOLD.jsonl [--limit N] [--workers 2] [--db-url URL] [--json]

Each mode stores every article of GOLD.jsonl (its texts) into a new database, as ``quotes ingest`` does
(store_extraction with what the database knows applied in its transaction, one per article): ``--workers N`` (forked processes,
results in input order) and ``--cluster local:N`` (dask.distributed, results in order of completion; the
cluster's start-up, N spaCy loads, is counted). For each: articles per second, the share of the ingesting
process's wall time spent waiting for extractions and spent storing, and the writer's own rate (articles
stored per second of storing): the single writer keeps up while its busy share stays well under 1, and the
ratio of its rate to the extraction rate says how many times more extraction workers it could serve.

Databases are new SQLite files in a temporary folder, or with --db-url a PostgreSQL server URL (a
maintenance database: a database per mode is created there and dropped). No speed claim is asserted here:
the figures are printed with the baseline (--workers) measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, package not installed

from quotes.pipeline.evaluate import load_gold  # noqa: E402
from quotes.records import Article  # noqa: E402


def _timed_iter(iterator, clock: dict) -> object:
    """Items of ``iterator``, the time spent waiting for each added to clock["wait"]."""
    iterator = iter(iterator)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            clock["wait"] += time.perf_counter() - t0
            return
        clock["wait"] += time.perf_counter() - t0
        yield item


def ingest(articles: list[Article], url: str, extractions) -> dict:
    """Store ``articles`` into the database at ``url`` from ``extractions(articles)``; the timings."""
    from quotes.store.db import open_database, session_factory
    from quotes.store.storing import store_extraction

    engine = open_database(url)
    clock = {"wait": 0.0, "store": 0.0}
    stored = failed = n_quotes = 0
    started = time.perf_counter()
    with session_factory(engine)() as session:
        for extraction in _timed_iter(extractions(articles), clock):
            if extraction.error:
                failed += 1
                continue
            t0 = time.perf_counter()
            result = store_extraction(session, extraction, knowledge=True)
            clock["store"] += time.perf_counter() - t0
            stored += 1
            n_quotes += result.n_quotes
    wall = time.perf_counter() - started
    engine.dispose()
    return {"articles": stored, "failed": failed, "quotes": n_quotes, "wall_s": round(wall, 1),
            "articles_per_s": round(stored / wall, 2), "wait_share": round(clock["wait"] / wall, 3),
            "store_share": round(clock["store"] / wall, 3),
            "writer_articles_per_s": round(stored / clock["store"], 1) if clock["store"] else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold JSONL file (its texts are ingested)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--workers", type=int, default=2, help="processes / Dask workers (default 2)")
    parser.add_argument("--db-url", help="PostgreSQL maintenance URL (default: SQLite files)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    from quotes.extraction.nlp import load_pipeline
    from quotes.pipeline import cluster
    from quotes.pipeline.extract import extract_many

    articles = [Article(text=d["text"], source=d["doc_id"], title=d.get("title")) for d in load_gold(args.gold, args.limit)]
    n = args.workers
    nlp = load_pipeline()  # the --workers mode forks this process: loaded before its clock starts, as in ingest

    def local(items):
        return extract_many(items, nlp, workers=n)

    def on_cluster(items):
        client = cluster.connect(local_workers=n)  # counted: the cluster starts and its workers load spaCy
        try:
            yield from cluster.extract_on_cluster(items, client)
        finally:
            cluster.close(client)

    with tempfile.TemporaryDirectory() as tmp:
        urls = _databases(args.db_url, tmp)
        try:
            results = {f"--workers {n}": ingest(articles, urls[0], local),
                       f"--cluster local:{n}": ingest(articles, urls[1], on_cluster)}
        finally:
            _drop(args.db_url, urls)
    base = results[f"--workers {n}"]["articles_per_s"]
    for figures in results.values():
        figures["x_workers"] = round(figures["articles_per_s"] / base, 2)
    if args.json:
        print(json.dumps({"articles": len(articles), "backend": "postgresql" if args.db_url else "sqlite",
                          "results": results}, indent=2))
        return
    print(f"{len(articles)} articles, {n} workers, {'PostgreSQL' if args.db_url else 'SQLite'}")
    print(f"{'mode':<20} {'art/s':>6} {'x':>5} {'wait':>6} {'store':>6} {'writer art/s':>13} {'quotes':>7} {'failed':>6}")
    for mode, f in results.items():
        print(f"{mode:<20} {f['articles_per_s']:>6} {f['x_workers']:>5} {f['wait_share']:>6.1%} "
              f"{f['store_share']:>6.1%} {f['writer_articles_per_s']:>13} {f['quotes']:>7} {f['failed']:>6}")


def _databases(server: str | None, tmp: str) -> list[str]:
    if server is None:
        return [str(Path(tmp) / "workers.db"), str(Path(tmp) / "cluster.db")]
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    urls = []
    with admin.connect() as connection:
        for name in ("quotes_bench_workers", "quotes_bench_cluster"):
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
            urls.append(make_url(server).set(database=name).render_as_string(hide_password=False))
    admin.dispose()
    return urls


def _drop(server: str | None, urls: list[str]) -> None:
    if server is None:
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for url in urls:
            connection.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))
    admin.dispose()


if __name__ == "__main__":
    main()

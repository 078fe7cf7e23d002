"""bench/query_speed.py on PostgreSQL: the query commands against bare psycopg queries doing the same work.

    python bench/query_speed_postgres.py URL [--quotes N] [--articles N] [--speakers N] [--repeat R] [--keep]

URL is a PostgreSQL maintenance URL (``eval "$(bash .ci/postgres.sh start)"`` gives $QUOTES_TEST_PG_URL): a
database quotes_bench is created there (dropped after unless --keep; reused if it exists), migrated by
the project's migrations, and filled by COPY with the same synthetic rows as bench/query_speed.py (same
seed, same sizes), its triggers set aside during the load and their counters rebuilt after (and the RUM
index of migration 0011, where the server has RUM, made after the load). Then each query command's function
(quotes.query) and a hand-written SQL statement returning the same rows (for who-said, a function running
its tiers' statements in turn) run interleaved, --repeat times; the medians, their ratio and the database
size per quote are printed. Where the RUM index is, ranked searches without a phrase run twice: through it
(as `quotes search` does) and, for comparison, with ts_rank over the GIN index ("(GIN)" rows), each against
its own bare statement.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import query_speed as qs  # noqa: E402

from quotes.store.models import name_key  # noqa: E402

DATABASE = "quotes_bench"
RUM_INDEX = "ix_quotes_text_search_rum"  # quotes.store.models.PG_RANK_INDEX
#: The RUM index's expression (migration 0011): the tsvector weighted by the quote's length in four classes.
RANK_VECTOR = ("setweight(q.text_search, CASE WHEN length(q.text_search) <= 8 THEN 'A' WHEN length(q.text_search) "
               "<= 16 THEN 'B' WHEN length(q.text_search) <= 32 THEN 'C' ELSE 'D' END::\"char\")")
#: The suffix of a search's comparison row: ranked with ts_rank over GIN, as without RUM.
GIN = " (GIN)"
COLUMNS = {
    "organizations": "id, name, key, kind, country, created_at",
    "organization_aliases": "organization_id, alias, key",
    "speakers": "id, name, key, kind, country, created_at",
    "speaker_aliases": "speaker_id, alias, key",
    "articles": "id, content_hash, text, title, outlet, url, published, author, source, ingested_at, updated_at",
    "affiliations": "speaker_id, organization_id, title, article_id, seen_on",
    "quotes": 'id, article_id, speaker_id, text, kind, start, "end", cue, speaker_mention, speaker_start, '
              "speaker_end, confidence, method, sentence_start, sentence_end",
}
SOURCES = {"organizations": "orgs", "organization_aliases": "org_aliases", "speakers": "speakers",
           "speaker_aliases": "speaker_aliases", "articles": "articles", "affiliations": "affiliations",
           "quotes": "quotes"}


def build(url: str, n_quotes: int, n_articles: int, n_speakers: int) -> dict:
    """Migrate the database at ``url`` and load the synthetic rows by COPY."""
    import psycopg

    from quotes.store.db import open_database

    open_database(url).dispose()
    t0 = time.perf_counter()
    data = qs.generate(n_quotes, n_articles, n_speakers)
    migration = _migration_0007()
    with psycopg.connect(_plain(url)) as conn:
        # the RUM index is made after the load, as a restore would: one sorted build, not 1M inserts
        rum = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", (RUM_INDEX,)).fetchone()
        if rum:
            conn.execute(f"DROP INDEX {RUM_INDEX}")
        conn.execute("SET session_replication_role = replica")  # no triggers, no FK checks: rows come in order
        for table, columns in COLUMNS.items():
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in data[SOURCES[table]]:
                    copy.write_row(row)
        conn.execute("SET session_replication_role = DEFAULT")
        for statement in migration.BACKFILL:
            conn.execute(statement)
        for table in ("organizations", "speakers", "articles", "affiliations", "quotes", "speaker_aliases",
                      "organization_aliases"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
        if rum:
            conn.execute("SET maintenance_work_mem = '256MB'")
            conn.execute(rum[0])
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"quotes": len(data["quotes"]), "articles": len(data["articles"]), "speakers": len(data["speakers"]),
            "affiliations": len(data["affiliations"]), "build_seconds": round(time.perf_counter() - t0, 1)}


def _migration_0007():
    import importlib.util

    [file] = (qs.REPO / "migrations" / "versions").glob("*_0007_*.py")
    spec = importlib.util.spec_from_file_location(file.stem, file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(url: str) -> str:
    """A libpq URL from an SQLAlchemy one."""
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", url)


def _pg(sql: str) -> str:
    """The SQLite statement's parameters (:name) as psycopg's (%(name)s); % doubled."""
    sql = sql.replace("%", "%%").replace("CROSS JOIN quotes q ON", "JOIN quotes q ON")  # SQLite's join-order hint
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


def pick(conn) -> dict:
    """Arguments for the queries, as bench/query_speed.py picks them (word counts from the tsvectors)."""
    one = lambda sql, *p: conn.execute(sql, p).fetchone()  # noqa: E731
    n_quotes, n_speakers, n_orgs = one("SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM speakers), "
                                       "(SELECT count(*) FROM organizations)")
    speaker = one("SELECT name FROM speakers WHERE kind = 'person' ORDER BY n_quotes DESC, id LIMIT 1 OFFSET %s",
                  n_speakers * 3 // 200)[0]
    country, top_country = (one("SELECT country FROM speakers WHERE country IS NOT NULL GROUP BY country "
                                "ORDER BY sum(n_quotes) DESC LIMIT 1 OFFSET %s", offset)[0] for offset in (2, 0))
    org = one("SELECT o.name FROM organizations o JOIN affiliations f ON f.organization_id = o.id "
              "GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1 OFFSET %s", n_orgs // 40)[0]
    outlet = one("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet LIMIT 1 OFFSET 5")[0]
    # ts_stat over a sample: a word in about 1 quote of 400
    word = one("SELECT word FROM ts_stat('SELECT text_search FROM quotes WHERE id %% 20 = 0') "
               "WHERE length(word) > 4 ORDER BY abs(ndoc * 20 - %s), word LIMIT 1", n_quotes / 400)[0]
    phrase_quote = one("SELECT text FROM quotes WHERE id = (SELECT max(id) / 3 FROM quotes)")[0]
    words = name_key(phrase_quote).split()
    return {"speaker": speaker, "country": country, "top_country": top_country, "org": org, "outlet": outlet,
            "word": word, "common": "minister", "phrase": " ".join(words[1:4]), "said": " ".join(words[:6]),
            "said_changed": " ".join(words[:2] + ["notaword"] + words[3:6]), "prefix": word[:4] + "*",
            "quote_id": one("SELECT max(id) / 2 FROM quotes")[0], "offset": n_quotes // 10,
            "rum": one("SELECT to_regclass(%s) IS NOT NULL", RUM_INDEX)[0]}


def _ranked(tsquery: str, rum: bool) -> tuple[str, str]:
    """The rank of a quote q and its ORDER BY: RUM's distance alone (the index's order, ties in it), or
    -ts_rank (normalisation 1) then the id."""
    if rum:
        return f"{RANK_VECTOR} <=> {tsquery} AS rank", "rank"
    return f"-ts_rank(q.text_search, {tsquery}, 1) AS rank", "rank, q.id"


def _matching(tsquery: str, rum: bool) -> str:
    """The match of a quote q: on the RUM index's expression where ranked by it."""
    return f"{RANK_VECTOR} @@ {tsquery}" if rum else f"q.text_search @@ {tsquery}"


def _search(tsquery: str, where: str = "", params: dict | None = None, rum: bool = False) -> tuple[str, dict]:
    extra = f" AND {where}" if where else ""
    rank, order = _ranked(tsquery, rum)
    return (f"WITH page AS (SELECT q.id, {rank} FROM quotes q "
            f"WHERE {_matching(tsquery, rum)}{extra} ORDER BY {order} LIMIT 20) "
            f"SELECT {qs.QUOTE_COLUMNS}, page.rank, ts_headline('quotes_text', q.text, {tsquery}, "
            f"'StartSel=**, StopSel=**, MaxWords=24, MinWords=12, MaxFragments=1') "
            f"FROM page JOIN quotes q ON q.id = page.id JOIN articles a ON a.id = q.article_id "
            f"LEFT JOIN speakers s ON s.id = q.speaker_id ORDER BY page.rank, q.id", params or {})


def cases(a: dict) -> list[tuple[str, object, str | None, dict]]:
    """query_speed's cases with PostgreSQL's bare statements (None: no bare statement written here)."""
    base = {command: (command, ours, sql, params) for command, ours, sql, params in qs.cases(a)}
    out = []
    since, until = date(2020, 1, 1), date(2020, 6, 30)
    for command, ours, sql, params in base.values():
        if command.startswith(("search", "who-said", "stats", "speakers")):
            continue
        if "since" in command:
            params = {**params, "s": since, "u": until}
        out.append((command, ours, _pg(sql), params))
    cfg = "'quotes_text'::regconfig"
    country = f"q.speaker_id IN ({qs.COUNTRY_SPEAKERS})"
    rum = a["rum"]
    for command, ours, *_ in base.values():
        searches = []
        if command == f"search {a['word']}":
            searches = [(f"to_tsquery({cfg}, %(w)s)", "", {"w": a["word"]})]
        elif command == f"search {a['common']}":
            searches = [(f"to_tsquery({cfg}, %(w)s)", "", {"w": a["common"]})]
        # a phrase, a prefix, and who-said's tiers (phrases, prefixes): ts_rank over GIN, RUM or not
        # (fulltext.py says why)
        elif command.startswith("search '\""):
            out.append((command, ours, *_search(f"phraseto_tsquery({cfg}, %(w)s)", params={"w": a["phrase"]})))
        elif command.startswith("search '"):
            out.append((command, ours, *_search(f"to_tsquery({cfg}, %(w)s)", _pg(country),
                                                {"w": a["prefix"][:-1] + ":*", "c": a["top_country"]})))
        elif command.startswith("who-said"):
            out.append((command, ours, _who_said(command.split("'")[1]), {}))
        elif command == "speakers --limit 20":
            out.append((command, ours,
                        "SELECT s.id, s.name, s.n_quotes, s.n_articles, (SELECT string_agg(alias, ',') FROM "
                        "speaker_aliases WHERE speaker_id = s.id), (SELECT string_agg(DISTINCT coalesce(f.title, '') "
                        "|| '|' || coalesce(o.name, ''), ',') FROM affiliations f LEFT JOIN organizations o ON "
                        "o.id = f.organization_id WHERE f.speaker_id = s.id) FROM speakers s WHERE s.named "
                        "ORDER BY s.n_quotes DESC, s.name, s.id LIMIT 20", {}))
        elif command == "stats":
            out.append((command, ours, _pg(_stats_sql()), {}))
        elif command.startswith("stats --speaker"):
            sql, params = qs._stats_of_speaker(a["speaker"])
            sql = sql.replace("SELECT 'total', count(*), count(DISTINCT article_id)",
                              "SELECT 'total', count(*)::text, count(DISTINCT article_id)")
            sql = sql.replace("SELECT 'day', a.published,", "SELECT 'day', a.published::text,")
            out.append((command, ours, _pg(sql), params))
        for tsquery, where, params in searches:
            out.append((command, ours, *_search(tsquery, where, params, rum)))
            if rum:  # the same search ranked as without RUM, for comparison
                out.append((command + GIN, _over_gin(ours), *_search(tsquery, where, params, False)))
    return out


def _over_gin(ours):
    """A query function run with search ranking by ts_rank over the GIN index, as without RUM."""
    from quotes.query import fulltext

    def run(session):
        fulltext.use_rank_index(session, False)
        try:
            return ours(session)
        finally:
            fulltext.use_rank_index(session, None)

    return run


def _who_said(phrase: str):
    """query_speed's who-said tiers in PostgreSQL's terms, one statement each until one finds something: the
    phrase (its last word a prefix), all its words, then any two of its rarest words, each word's quotes
    counted up to NEAR_MATCHES + 1 by the GIN index."""
    from quotes.query import search

    words = phrase.split()
    distinct = list(dict.fromkeys(words))
    term = lambda w: w + (":*" if len(w) >= search.PREFIX_FROM else "")  # noqa: E731
    last = words[-1] + (":*" if len(words[-1]) >= search.PREFIX_FROM else "")
    first = [" <-> ".join(words[:-1] + [last]), " & ".join(term(w) for w in distinct)]
    tsquery = "to_tsquery('quotes_text'::regconfig, %s)"
    page = (f"WITH hits AS (SELECT id, -ts_rank(text_search, {tsquery}, 1) AS rank FROM quotes "
            f"WHERE text_search @@ {tsquery} ORDER BY rank, id LIMIT 50) SELECT {qs.QUOTE_COLUMNS}, hits.rank "
            f"{qs.QUOTE_FROM} JOIN hits ON hits.id = q.id ORDER BY hits.rank")
    count = (f"SELECT count(*) FROM (SELECT 1 FROM quotes WHERE text_search @@ {tsquery} LIMIT "
             f"{search.NEAR_MATCHES + 1}) t")

    def run(conn) -> list:
        for expression in first:
            rows = conn.execute(page, (expression, expression)).fetchall()
            if rows:
                return rows
        counts = {w: n for w in distinct if (n := conn.execute(count, (w,)).fetchone()[0])}
        chosen, bound = [], 0
        for w in sorted(counts, key=lambda w: (counts[w], distinct.index(w))):
            bound += sum(counts[c] for c in chosen)
            if len(chosen) >= 2 and bound > search.NEAR_MATCHES:
                break
            chosen.append(w)
        if not chosen:
            return []
        pairs = [f"({term(a)} & {term(b)})" for i, a in enumerate(chosen) for b in chosen[i + 1:]] or [term(chosen[0])]
        near = " | ".join(pairs)
        return conn.execute(page, (near, near)).fetchall()

    return run


def _stats_sql() -> str:
    """query_speed's bare stats statement in PostgreSQL's terms (subqueries named, one type per column)."""
    return ("SELECT 'speaker', name, n_quotes FROM (SELECT name, n_quotes FROM speakers WHERE n_quotes > 0 AND named "
            " ORDER BY n_quotes DESC, name LIMIT 10) t1 "
            "UNION ALL SELECT 'country', * FROM (SELECT country, sum(n_quotes) n FROM speakers WHERE n_quotes > 0 "
            " GROUP BY country ORDER BY n DESC LIMIT 10) t2 "
            "UNION ALL SELECT 'organization', * FROM (SELECT o.name, sum(s.n_quotes) n FROM ("
            "  SELECT organization_id AS org, speaker_id AS sid FROM speaker_organizations "
            "  UNION SELECT organization_id, id FROM speakers "
            "  WHERE organization_id IS NOT NULL) p JOIN speakers s ON s.id = p.sid "
            "  JOIN organizations o ON o.id = p.org WHERE s.n_quotes > 0 GROUP BY o.id ORDER BY n DESC LIMIT 10) t3 "
            "UNION ALL SELECT 'outlet', * FROM (SELECT outlet, sum(n_quotes) n FROM articles WHERE n_quotes > 0 "
            " GROUP BY outlet ORDER BY n DESC LIMIT 10) t4 "
            "UNION ALL SELECT 'day', * FROM (SELECT published::text, sum(n_quotes) FROM articles WHERE n_quotes > 0 "
            " GROUP BY published) t5 "
            "UNION ALL SELECT 'total', sum(n_quotes)::text, count(*) FILTER (WHERE n_quotes > 0) FROM articles "
            "UNION ALL SELECT 'speakers', count(*)::text, 0 FROM speakers WHERE n_quotes > 0")


def time_queries(url: str, repeat: int) -> list[dict]:
    import psycopg

    from quotes.store.db import open_database, session_factory

    engine = open_database(url)
    session = session_factory(engine)()
    conn = psycopg.connect(_plain(url), autocommit=True)
    out = []
    for command, ours, sql, params in cases(pick(conn)):
        ours(session)
        session.rollback()
        mine, bare = [], []
        rows: list = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = ours(session)
            mine.append(time.perf_counter() - t0)
            session.rollback()
            if sql is not None:
                t0 = time.perf_counter()
                rows = sql(conn) if callable(sql) else conn.execute(sql, params).fetchall()
                bare.append(time.perf_counter() - t0)
        n = len(result) if isinstance(result, list) else len(result.get("speaker", result))
        out.append({"command": f"quotes {command}", "ours_ms": qs._median_ms(mine),
                    "bare_ms": qs._median_ms(bare) if bare else None,
                    "ratio": round(statistics.median(mine) / max(statistics.median(bare), 1e-6), 2) if bare else None,
                    "rows": n, "bare_rows": len(rows) if bare else None})
    session.close()
    engine.dispose()
    conn.close()
    return out


def size(url: str, n_quotes: int) -> dict:
    import psycopg

    with psycopg.connect(_plain(url)) as conn:
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        parts = conn.execute("SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
                             "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
                             "ORDER BY 2 DESC LIMIT 5").fetchall()
        search = conn.execute("SELECT pg_relation_size('ix_quotes_text_search')").fetchone()[0]
        rum = conn.execute("SELECT pg_relation_size(to_regclass(%s))", (RUM_INDEX,)).fetchone()[0]
    return {"bytes": total, "bytes_per_quote": round(total / max(n_quotes, 1)),
            "largest": {name: round(b / max(n_quotes, 1)) for name, b in parts},
            "gin_index_per_quote": round(search / max(n_quotes, 1)),
            "rum_index_per_quote": round(rum / max(n_quotes, 1)) if rum is not None else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="PostgreSQL maintenance URL (the bench database is created there)")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--speakers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    url = make_url(args.url).set(database=DATABASE).render_as_string(hide_password=False)
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}).first()
        if not exists:
            connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    try:
        if exists:
            import psycopg

            with psycopg.connect(_plain(url)) as conn:
                built = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                         for t in ("quotes", "articles", "speakers", "affiliations")}
        else:
            print(f"building {args.quotes:,} quotes in {DATABASE} ...", file=sys.stderr)
            built = build(url, args.quotes, args.articles, args.speakers)
        timings = time_queries(url, args.repeat)
        sized = size(url, built["quotes"])
    finally:
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        admin.dispose()
    print(f"PostgreSQL: {built['quotes']:,} quotes, {built['articles']:,} articles, {built['speakers']:,} speakers"
          f" (built in {built.get('build_seconds', '-')} s)")
    print(f"size: {sized['bytes'] / 2 ** 20:,.0f} MiB, {sized['bytes_per_quote']:,} bytes per quote ("
          + ", ".join(f"{k} {v}" for k, v in sized["largest"].items())
          + f"; GIN index {sized['gin_index_per_quote']}"
          + (f", RUM index {sized['rum_index_per_quote']}" if sized["rum_index_per_quote"] is not None
             else "; no RUM index: the server has no rum extension")
          + ")\n")
    width = max(len(t["command"]) for t in timings)
    print(f"{'command':<{width}}  {'ours ms':>8}  {'bare ms':>8}  {'ratio':>5}  rows")
    for t in timings:
        flag = ("  OVER BUDGET" + (" (comparison only)" if t["command"].endswith(GIN) else "")
                if t["ours_ms"] > qs.BUDGET_MS else "")
        bare = f"{t['bare_ms']:>8.1f}  {t['ratio']:>5.2f}" if t["bare_ms"] is not None else f"{'-':>8}  {'-':>5}"
        print(f"{t['command']:<{width}}  {t['ours_ms']:>8.1f}  {bare}  {t['rows']}{flag}")
    # the exit status: whether the commands as they run here keep the budget (not the GIN comparison rows)
    return 1 if any(t["ours_ms"] > qs.BUDGET_MS for t in timings if not t["command"].endswith(GIN)) else 0


if __name__ == "__main__":
    sys.exit(main())

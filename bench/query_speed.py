"""Time the query commands on a large synthetic database against bare sqlite3 queries doing the same work.

    python bench/query_speed.py [--quotes N] [--articles N] [--speakers N] [--repeat R] [--db PATH] [--json]

Builds (in a temporary folder, unless --db names a file to build or reuse) a database through the
project's own migrations and fills it with plain SQL: by default 1,000,000 quotes over 100,000
articles and 20,000 speakers. Then, for each query command, it times the query function the command
calls (quotes.query, results turned into dicts as the command prints them) and a hand-written
sqlite3 query returning the same rows, interleaved, --repeat times, and prints the medians, their
ratio, and the database size per quote. No spaCy is loaded.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout, package not installed

from quotes.store.models import name_key  # noqa: E402

#: Queries slower than this (median, our function) fail the run.
BUDGET_MS = 100.0

COUNTRIES = ("US GB FR DE IT ES PL UA RU CN JP IN BR MX CA AU ZA NG EG TR IR IL SA AE PK AF IQ SY "
             "KR KP VN TH ID PH MY AR CL CO PE VE NO SE FI DK NL BE CH AT CZ HU RO GR PT IE AM AZ GE "
             "KZ").split()
#: Frequent English words, so full-text queries meet long posting lists as in real news text.
FUNCTION_WORDS = ("the of and to a in that is for it on was with he as we be at by this have not are "
                  "from or they but his an will has all were would their there been one our can more "
                  "said about people who if new what which time year government minister country "
                  "president war peace police today week state law public world city").split()
ORG_SUFFIXES = ("Party", "Ministry", "Council", "Union", "Agency", "Bank", "Institute", "Group", "Front",
                "Commission")
ORG_KINDS = ("party", "government", "government", "other", "government", "company", "other", "company",
             "party", "international")
TITLES = ("minister", "spokesperson", "president", "director", "chairman", "adviser", "analyst",
          "secretary", "mayor", "senator")
KINDS = ("direct",) * 5 + ("partial",) * 2 + ("indirect",) * 3
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "is", "us"]


class Names:
    """Pseudo-words from syllables, unique per instance."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()

    def word(self, lo: int = 2, hi: int = 3) -> str:
        while True:
            w = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(lo, hi)))
            if w not in self.seen:
                self.seen.add(w)
                return w


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


def _migration(number: int):
    """The module of revision ``number`` (its SQL constants), loaded from migrations/versions."""
    import importlib.util

    [file] = (REPO / "migrations" / "versions").glob(f"*_{number:04d}_*.py")
    spec = importlib.util.spec_from_file_location(file.stem, file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(n_quotes: int, n_articles: int, n_speakers: int, seed: int = 7) -> dict[str, list[tuple]]:
    """The synthetic rows of every table, the same for a seed whichever database they go to."""
    rng = random.Random(seed)
    names = Names(rng)

    vocab = [names.word(2, 4) for _ in range(30_000)]
    vocab_cum = _zipf_cum(len(vocab), 1.05)
    firsts = [names.word(2, 3).capitalize() for _ in range(700)]
    lasts = [names.word(2, 4).capitalize() for _ in range(6000)]
    country_cum = _zipf_cum(len(COUNTRIES), 0.8)
    now = "2025-01-01 00:00:00.000000"

    def pick_country() -> str:
        return COUNTRIES[bisect.bisect(country_cum, rng.random() * country_cum[-1])]

    # organisations: (id, name, key, kind, country)
    n_orgs = max(10, n_speakers // 10)
    orgs = []
    for i in range(1, n_orgs + 1):
        k = rng.randrange(len(ORG_SUFFIXES))
        name = f"{names.word().capitalize()} {ORG_SUFFIXES[k]}"
        country = None if ORG_KINDS[k] == "international" else pick_country()
        orgs.append((i, name, name_key(name), ORG_KINDS[k], country, now))
    org_aliases = [(o[0], o[1], o[2]) for o in orgs]

    # speakers: 85% people (with a home organisation and title for most), 15% organisations
    speakers, speaker_aliases, home = [], [], {}
    seen_names: set[str] = set()
    for i in range(1, n_speakers + 1):
        if rng.random() < 0.15:
            name = f"{names.word().capitalize()} {rng.choice(ORG_SUFFIXES)}"
            kind = "organization"
            aliases = [name]
        else:
            while True:
                name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
                if name not in seen_names:
                    break
            kind = "person"
            aliases = [name, name.split()[-1]]
            if rng.random() < 0.7:
                home[i] = (rng.randrange(1, n_orgs + 1), rng.choice(TITLES))
        seen_names.add(name)
        speakers.append((i, name, name_key(name), kind, pick_country() if rng.random() < 0.85 else None, now))
        speaker_aliases.extend((i, a, name_key(a)) for a in aliases)
    speaker_cum = _zipf_cum(n_speakers, 0.9)
    speaker_name = {s[0]: s[1] for s in speakers}

    outlets = [f"The {names.word().capitalize()} {rng.choice(('Times', 'Post', 'Herald', 'News', 'Daily'))}"
               for _ in range(50)]
    outlet_cum = _zipf_cum(len(outlets), 0.7)
    day0, days = date(2015, 1, 1), (date(2024, 12, 31) - date(2015, 1, 1)).days

    # quotes per article: n_quotes spread as evenly as possible, with some variation
    per_article = [n_quotes // n_articles] * n_articles
    for i in range(n_quotes - sum(per_article)):
        per_article[i % n_articles] += 1
    for _ in range(n_articles // 2):  # move quotes between articles: 1..19 per article instead of 10
        a, b = rng.randrange(n_articles), rng.randrange(n_articles)
        move = rng.randint(0, per_article[a] - 1)
        per_article[a] -= move
        per_article[b] += move

    words = iter(rng.choices(vocab, cum_weights=vocab_cum, k=n_quotes * 16))
    fwords = iter(rng.choices(FUNCTION_WORDS, k=n_quotes * 8))
    articles, quotes, affiliations = [], [], []
    qid = 0
    for aid in range(1, n_articles + 1):
        published = None if rng.random() < 0.03 else (day0 + timedelta(days=rng.randrange(days))).isoformat()
        parts: list[str] = []
        pos = 0
        title = " ".join(next(words) for _ in range(6)).capitalize()
        parts.append(title + "\n\n")
        pos += len(parts[-1])
        seen_here: set[int] = set()
        for _ in range(per_article[aid - 1]):
            qid += 1
            n = rng.randint(6, 22)
            tokens = [next(fwords) if rng.random() < 0.35 else next(words) for _ in range(n)]
            text = " ".join(tokens).capitalize()
            attributed = rng.random() < 0.9
            sid = bisect.bisect(speaker_cum, rng.random() * speaker_cum[-1]) + 1 if attributed else None
            who = speaker_name[sid] if sid else "someone"
            kind = KINDS[rng.randrange(len(KINDS))]
            lead = "“" if kind == "direct" else ("He called it “" if kind == "partial" else "")
            start = pos + len(lead)
            end = start + len(text)
            tail = ("”" if kind != "indirect" else "") + f", said {who}. "
            sentence = lead + text + tail
            s_start = pos
            parts.append(sentence)
            pos += len(sentence)
            mention_start = end + tail.index(who)
            quotes.append((qid, aid, sid, text, kind, start, end, "said", who if sid else None,
                           mention_start if sid else None, mention_start + len(who) if sid else None,
                           round(rng.uniform(0.3, 1.0), 3), "synthetic", s_start, pos - 1))
            if sid in home and sid not in seen_here:
                seen_here.add(sid)
                org_id, title_ = home[sid]
                affiliations.append((sid, org_id, title_, aid, published))
        text = "".join(parts).rstrip()
        outlet = outlets[bisect.bisect(outlet_cum, rng.random() * outlet_cum[-1])]
        articles.append((aid, f"{aid:064x}", text, title, outlet, f"https://news.example/{aid}", published,
                         None, f"synthetic/{aid}.txt", now, now))
    return {"orgs": orgs, "org_aliases": org_aliases, "speakers": speakers, "speaker_aliases": speaker_aliases,
            "articles": articles, "affiliations": affiliations, "quotes": quotes}


def build(path: Path, n_quotes: int, n_articles: int, n_speakers: int, seed: int = 7) -> dict:
    """Create the database at ``path`` through the migrations and fill it; returns what was built."""
    from quotes.store.db import open_database

    open_database(str(path)).dispose()
    t0 = time.perf_counter()
    data = generate(n_quotes, n_articles, n_speakers, seed)
    orgs, org_aliases, speakers, speaker_aliases = (data[k] for k in ("orgs", "org_aliases", "speakers",
                                                                      "speaker_aliases"))
    articles, affiliations, quotes = data["articles"], data["affiliations"], data["quotes"]

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")  # rows come in dependency order; checked at the end
    conn.execute("BEGIN")
    # the migrations' triggers (full-text index, counters) would run per row: set them aside, load,
    # then rebuild what they maintain in one pass each and put them back
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.executemany("INSERT INTO organizations (id, name, key, kind, country, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", orgs)
    conn.executemany("INSERT INTO organization_aliases (organization_id, alias, key) VALUES (?, ?, ?)",
                     org_aliases)
    conn.executemany("INSERT INTO speakers (id, name, key, kind, country, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     speakers)
    conn.executemany("INSERT INTO speaker_aliases (speaker_id, alias, key) VALUES (?, ?, ?)", speaker_aliases)
    conn.executemany("INSERT INTO articles (id, content_hash, text, title, outlet, url, published, author, "
                     "source, ingested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
    conn.executemany("INSERT INTO affiliations (speaker_id, organization_id, title, article_id, seen_on) "
                     "VALUES (?, ?, ?, ?, ?)", affiliations)
    conn.executemany(
        'INSERT INTO quotes (id, article_id, speaker_id, text, kind, start, "end", cue, speaker_mention, '
        "speaker_start, speaker_end, confidence, method, sentence_start, sentence_end) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", quotes)
    conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')")
    for statement in (*_migration(3).COUNT_BACKFILL, *_migration(3).PAIR_BACKFILL, *_migration(5).KIND_BACKFILL):
        conn.execute(statement)
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise SystemExit(f"synthetic data breaks foreign keys: {problems[:3]}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"quotes": len(quotes), "articles": len(articles), "speakers": len(speakers),
            "organizations": len(orgs), "affiliations": len(affiliations),
            "build_seconds": round(time.perf_counter() - t0, 1)}


# -- the queries ----------------------------------------------------------------------------------

QUOTE_COLUMNS = ("q.id, q.article_id, q.text, q.kind, q.start, q.\"end\", q.confidence, q.speaker_mention, "
                 "a.source, a.title, a.outlet, a.published, a.url, s.name, s.kind, s.country, "
                 "(SELECT f.title FROM affiliations f WHERE f.speaker_id = q.speaker_id "
                 " AND f.article_id = q.article_id ORDER BY f.id LIMIT 1), "
                 "(SELECT o.name FROM affiliations f JOIN organizations o ON o.id = f.organization_id "
                 " WHERE f.speaker_id = q.speaker_id AND f.article_id = q.article_id ORDER BY f.id LIMIT 1)")
QUOTE_FROM = "FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN speakers s ON s.id = q.speaker_id"
COUNTRY_SPEAKERS = ("SELECT id FROM speakers WHERE country = :c UNION SELECT f.speaker_id FROM affiliations f "
                    "JOIN organizations o ON o.id = f.organization_id WHERE o.country = :c "
                    "UNION SELECT s.id FROM speakers s JOIN organizations o ON o.id = s.organization_id "
                    "WHERE o.country = :c")


def pick(conn: sqlite3.Connection) -> dict:
    """Arguments for the queries, taken from the data so that each finds something."""
    one = lambda sql, *p: conn.execute(sql, p).fetchone()  # noqa: E731
    n_quotes, n_speakers, n_orgs = one("SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM speakers), "
                                       "(SELECT count(*) FROM organizations)")
    # a speaker ranked 300th of 20,000 by quotes, the third country, the 50th organisation of 2,000
    speaker = one("SELECT name FROM speakers WHERE kind = 'person' ORDER BY n_quotes DESC LIMIT 1 OFFSET ?",
                  n_speakers * 3 // 200)[0]
    country, top_country = (one("SELECT country FROM speakers WHERE country IS NOT NULL GROUP BY country "
                                "ORDER BY sum(n_quotes) DESC LIMIT 1 OFFSET ?", offset)[0] for offset in (2, 0))
    org = one("SELECT o.name FROM organizations o JOIN affiliations f ON f.organization_id = o.id "
              "GROUP BY o.id ORDER BY count(*) DESC LIMIT 1 OFFSET ?", n_orgs // 40)[0]
    outlet = one("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC LIMIT 1 OFFSET 5")[0]
    # a word in 1 quote of 400, and a frequent one (in about 1 of 14)
    word = one("SELECT term FROM quotes_fts_vocab WHERE length(term) > 4 ORDER BY abs(doc - ?), term LIMIT 1",
               n_quotes / 400)[0]
    common = one("SELECT term FROM quotes_fts_vocab WHERE term = 'minister'")[0]
    phrase_quote = one("SELECT text FROM quotes WHERE id = (SELECT max(id) / 3 FROM quotes)")[0]
    phrase_words = name_key(phrase_quote).split()
    return {
        "speaker": speaker, "country": country, "top_country": top_country, "org": org, "outlet": outlet, "word": word, "common": common,
        "phrase": " ".join(phrase_words[1:4]),
        "said": " ".join(phrase_words[:6]),
        "said_changed": " ".join(phrase_words[:2] + ["notaword"] + phrase_words[3:6]),
        "prefix": word[:4] + "*",
        "quote_id": one("SELECT max(id) / 2 FROM quotes")[0],
        "offset": n_quotes // 10,
    }


def cases(a: dict) -> list[tuple[str, Callable, str | Callable, dict]]:
    """(command, our function on a session, the bare SQL (or a function running it on a
    connection), its parameters) for each query command."""
    from quotes import query as queries

    page = f"SELECT {QUOTE_COLUMNS} {QUOTE_FROM}"
    since, until = date(2020, 1, 1), date(2020, 6, 30)
    return [
        ("list --limit 20", lambda s: queries.list_quotes(s, limit=20),
         f"{page} ORDER BY q.article_id, q.start, q.id LIMIT 20", {}),
        (f"list --speaker '{a['speaker']}' --limit 20", lambda s: queries.list_quotes(s, speaker=a["speaker"], limit=20),
         f"{page} WHERE q.speaker_id IN (SELECT speaker_id FROM speaker_aliases WHERE ' ' || key || ' ' LIKE :k) "
         "ORDER BY q.article_id + 0, q.start, q.id LIMIT 20", {"k": f"% {name_key(a['speaker'])} %"}),
        (f"list --country {a['country']} --limit 20", lambda s: queries.list_quotes(s, country=a["country"], limit=20),
         f"{page} WHERE q.speaker_id + 0 IN ({COUNTRY_SPEAKERS}) ORDER BY q.article_id, q.start, q.id LIMIT 20",
         {"c": a["country"]}),
        (f"list --org '{a['org']}' --limit 20", lambda s: queries.list_quotes(s, org=a["org"], limit=20),
         f"{page} WHERE q.speaker_id IN (SELECT f.speaker_id FROM affiliations f WHERE f.organization_id IN "
         "(SELECT organization_id FROM organization_aliases WHERE ' ' || key || ' ' LIKE :k)) "
         "ORDER BY q.article_id + 0, q.start, q.id LIMIT 20", {"k": f"% {name_key(a['org'])} %"}),
        (f"list --outlet '{a['outlet']}' --since 2020 --until 2020-06 --limit 20",
         lambda s: queries.list_quotes(s, outlet=a["outlet"], since=since, until=until, limit=20),
         f"{page} WHERE a.outlet = :o AND a.published BETWEEN :s AND :u ORDER BY q.article_id + 0, q.start, q.id "
         "LIMIT 20", {"o": a["outlet"], "s": since.isoformat(), "u": until.isoformat()}),
        ("list --min-confidence 0.9 --attributed --sort confidence --limit 20",
         lambda s: queries.list_quotes(s, min_confidence=0.9, attributed=True, sort="confidence", limit=20),
         f"{page} WHERE q.confidence + 0 >= 0.9 AND q.speaker_id IS NOT NULL ORDER BY q.confidence DESC, q.id DESC "
         "LIMIT 20", {}),
        ("list --sort newest --limit 20", lambda s: queries.list_quotes(s, sort="newest", limit=20),
         f"SELECT {QUOTE_COLUMNS} FROM articles a CROSS JOIN quotes q ON q.article_id = a.id "
         "LEFT JOIN speakers s ON s.id = q.speaker_id ORDER BY a.published DESC, a.id DESC, q.start, q.id LIMIT 20", {}),
        (f"list --country {a['country']} --sort oldest --limit 20",
         lambda s: queries.list_quotes(s, country=a["country"], sort="oldest", limit=20),
         f"SELECT {QUOTE_COLUMNS} FROM articles a CROSS JOIN quotes q ON q.article_id = a.id "
         f"LEFT JOIN speakers s ON s.id = q.speaker_id WHERE a.published IS NOT NULL AND q.speaker_id + 0 IN "
         f"({COUNTRY_SPEAKERS}) ORDER BY a.published, a.id, q.start, q.id LIMIT 20", {"c": a["country"]}),
        (f"list --limit 20 --offset {a['offset']}", lambda s: queries.list_quotes(s, limit=20, offset=a["offset"]),
         f"{page} ORDER BY q.article_id, q.start, q.id LIMIT 20 OFFSET :o", {"o": a["offset"]}),
        (f"search {a['word']}", lambda s: queries.search_quotes(s, a["word"], limit=20), *_search(a["word"])),
        (f"search {a['common']}", lambda s: queries.search_quotes(s, a["common"], limit=20), *_search(a["common"])),
        (f"search '\"{a['phrase']}\"'", lambda s: queries.search_quotes(s, f'"{a["phrase"]}"', limit=20),
         *_search(f'"{a["phrase"]}"')),
        (f"search '{a['prefix']}' --country {a['top_country']}",
         lambda s: queries.search_quotes(s, a["prefix"], country=a["top_country"], limit=20),
         *_search(a["prefix"], f"q.speaker_id IN ({COUNTRY_SPEAKERS})", {"c": a["top_country"]})),
        (f"who-said '{a['said']}'", lambda s: queries.who_said(s, a["said"]), *_who_said(a["said"])),
        (f"who-said '{a['said_changed']}'", lambda s: queries.who_said(s, a["said_changed"]),
         *_who_said(a["said_changed"])),
        ("speakers --limit 20", lambda s: queries.speakers(s, limit=20),
         "SELECT s.id, s.name, s.n_quotes, s.n_articles, (SELECT group_concat(alias) FROM speaker_aliases "
         "WHERE speaker_id = s.id), (SELECT group_concat(DISTINCT coalesce(f.title, '') || '|' || "
         "coalesce(o.name, '')) FROM affiliations f LEFT JOIN organizations o ON o.id = f.organization_id "
         "WHERE f.speaker_id = s.id) FROM speakers s WHERE s.named ORDER BY s.n_quotes DESC, s.name, s.id LIMIT 20",
         {}),
        ("stats", lambda s: queries.stats(s), *_stats()),
        (f"stats --speaker '{a['speaker']}'", lambda s: queries.stats(s, speaker=a["speaker"]),
         *_stats_of_speaker(a["speaker"])),
        (f"show {a['quote_id']}", lambda s: queries.show_quote(s, a["quote_id"]),
         f"SELECT {QUOTE_COLUMNS}, a.text {QUOTE_FROM} WHERE q.id = :i", {"i": a["quote_id"]}),
    ]


def _search(expression: str, where: str = "", params: dict | None = None) -> tuple[str, dict]:
    extra = f" AND {where}" if where else ""
    join = " JOIN quotes q ON q.id = quotes_fts.rowid" if where else ""
    return (f"WITH page AS (SELECT quotes_fts.rowid AS id, rank FROM quotes_fts{join} "
            f"WHERE quotes_fts MATCH :e{extra} ORDER BY rank, quotes_fts.rowid LIMIT 20) "
            f"SELECT {QUOTE_COLUMNS}, page.rank, snippet(quotes_fts, 0, '**', '**', '…', 24) "
            f"FROM page JOIN quotes q ON q.id = page.id JOIN articles a ON a.id = q.article_id "
            f"LEFT JOIN speakers s ON s.id = q.speaker_id JOIN quotes_fts ON quotes_fts.rowid = q.id "
            f"WHERE quotes_fts MATCH :e ORDER BY page.rank, q.id", {"e": expression, **(params or {})})


def _who_said(phrase: str) -> tuple[Callable, dict]:
    """The same full-text tiers as who_said, one statement each, until one finds something."""
    from quotes.query import search

    words = phrase.split()
    distinct = list(dict.fromkeys(words))
    first = ['"' + " ".join(words) + '"' + (" *" if len(words[-1]) >= search.PREFIX_FROM else ""),
             " AND ".join(search._term(w) for w in distinct)]
    page = (f"WITH hits AS (SELECT rowid AS id, rank FROM quotes_fts WHERE quotes_fts MATCH ? "
            f"ORDER BY rank, rowid LIMIT 50) SELECT {QUOTE_COLUMNS}, hits.rank {QUOTE_FROM} "
            f"JOIN hits ON hits.id = q.id ORDER BY hits.rank")

    def run(conn: sqlite3.Connection) -> list:
        for expression in first:
            rows = conn.execute(page, (expression,)).fetchall()
            if rows:
                return rows
        counts = dict(conn.execute(f"SELECT term, doc FROM quotes_fts_vocab WHERE term IN "
                                   f"({','.join('?' * len(distinct))})", distinct).fetchall())
        chosen, bound = [], 0
        for w in sorted((w for w in distinct if counts.get(w)), key=lambda w: counts[w]):
            bound += sum(counts[c] for c in chosen)
            if len(chosen) >= 2 and bound > search.NEAR_MATCHES:
                break
            chosen.append(w)
        return conn.execute(page, (search._near(chosen),)).fetchall() if chosen else []

    return run, {}


def _stats() -> tuple[str, dict]:
    return ("SELECT 'speaker', name, n_quotes FROM (SELECT name, n_quotes FROM speakers WHERE n_quotes > 0 AND named "
            " ORDER BY n_quotes DESC, name LIMIT 10) "
            "UNION ALL SELECT 'country', * FROM (SELECT country, sum(n_quotes) n FROM speakers WHERE n_quotes > 0 "
            " GROUP BY country ORDER BY n DESC LIMIT 10) "
            "UNION ALL SELECT 'organization', * FROM (SELECT o.name, sum(s.n_quotes) n FROM ("
            "  SELECT organization_id AS org, speaker_id AS sid FROM speaker_organizations "
            "  UNION SELECT organization_id, id FROM speakers "
            "  WHERE organization_id IS NOT NULL) p JOIN speakers s ON s.id = p.sid "
            "  JOIN organizations o ON o.id = p.org WHERE s.n_quotes > 0 GROUP BY o.id ORDER BY n DESC LIMIT 10) "
            "UNION ALL SELECT 'outlet', * FROM (SELECT outlet, sum(n_quotes) n FROM articles WHERE n_quotes > 0 "
            " GROUP BY outlet ORDER BY n DESC LIMIT 10) "
            "UNION ALL SELECT 'day', * FROM (SELECT published, sum(n_quotes) FROM articles WHERE n_quotes > 0 "
            " GROUP BY published) "
            "UNION ALL SELECT 'total', sum(n_quotes), count(*) FILTER (WHERE n_quotes > 0) FROM articles "
            "UNION ALL SELECT 'speakers', count(*), 0 FROM speakers WHERE n_quotes > 0", {})


def _stats_of_speaker(name: str) -> tuple[str, dict]:
    matched = ("SELECT speaker_id, article_id FROM quotes WHERE speaker_id IN (SELECT speaker_id FROM speaker_aliases "
               "WHERE ' ' || key || ' ' LIKE :k)")
    return (f"WITH m AS MATERIALIZED ({matched}), ps AS (SELECT speaker_id AS id, count(*) n FROM m "
            "GROUP BY speaker_id), pa AS (SELECT article_id AS id, count(*) n FROM m GROUP BY article_id) "
            "SELECT 'speaker', s.name, ps.n FROM ps JOIN speakers s ON s.id = ps.id "
            "UNION ALL SELECT 'country', s.country, sum(ps.n) FROM ps JOIN speakers s ON s.id = ps.id GROUP BY s.country "
            "UNION ALL SELECT 'organization', o.name, sum(ps.n) FROM (SELECT organization_id AS org, "
            " speaker_id AS sid FROM speaker_organizations WHERE speaker_id IN (SELECT id FROM ps)) p "
            " JOIN ps ON ps.id = p.sid JOIN organizations o ON o.id = p.org "
            " GROUP BY o.id "
            "UNION ALL SELECT 'outlet', a.outlet, sum(pa.n) FROM pa JOIN articles a ON a.id = pa.id GROUP BY a.outlet "
            "UNION ALL SELECT 'day', a.published, sum(pa.n) FROM pa JOIN articles a ON a.id = pa.id "
            " GROUP BY a.published "
            "UNION ALL SELECT 'total', count(*), count(DISTINCT article_id) FROM m",
            {"k": f"% {name_key(name)} %"})


# -- timing ---------------------------------------------------------------------------------------

def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def time_queries(path: Path, repeat: int) -> list[dict]:
    """Median ms of each query command: our function and the bare query, interleaved."""
    from quotes.store.db import open_database, session_factory

    engine = open_database(str(path))
    session = session_factory(engine)()
    conn = sqlite3.connect(path)
    args = pick(conn)
    out = []
    for command, ours, sql, params in cases(args):
        ours(session)  # warm-up: caches, compiled statements, lazy imports
        session.rollback()
        mine, bare = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = ours(session)
            mine.append(time.perf_counter() - t0)
            session.rollback()  # a fresh read transaction each time, as each command has
            t0 = time.perf_counter()
            rows = sql(conn) if callable(sql) else conn.execute(sql, params).fetchall()
            bare.append(time.perf_counter() - t0)
        n = len(result) if isinstance(result, list) else len(result.get("speaker", result))
        out.append({"command": f"quotes {command}", "ours_ms": _median_ms(mine), "sqlite3_ms": _median_ms(bare),
                    "ratio": round(statistics.median(mine) / max(statistics.median(bare), 1e-6), 2),
                    "rows": n, "bare_rows": len(rows)})
    session.close()
    engine.dispose()
    conn.close()
    return out


def startup(path: Path, repeat: int) -> dict:
    """Wall time of a whole `quotes list` process against a python process running the bare query."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    ours = [sys.executable, "-m", "quotes", "--db", str(path), "list", "--limit", "20", "--format", "json"]
    bare = [sys.executable, "-c", f"import sqlite3, json; c = sqlite3.connect({str(path)!r}); "
            f"print(json.dumps(c.execute('SELECT {QUOTE_COLUMNS.replace(chr(39), chr(34))} {QUOTE_FROM} "
            f"ORDER BY q.article_id, q.start, q.id LIMIT 20').fetchall()))"]
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for _ in range(repeat):
        for name, cmd in (("ours", ours), ("bare", bare)):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            times[name].append(time.perf_counter() - t0)
            if done.returncode:
                raise SystemExit(f"{' '.join(cmd[:4])} failed: {done.stderr.strip()[-300:]}")
    return {"command": "quotes list --limit 20 (whole process)", "ours_ms": _median_ms(times["ours"]),
            "sqlite3_ms": _median_ms(times["bare"]),
            "ratio": round(statistics.median(times["ours"]) / statistics.median(times["bare"]), 2)}


def sizes(path: Path, n_quotes: int) -> dict:
    """Database size per quote, and the biggest tables and indexes."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = path.stat().st_size
    try:
        parts = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        parts = []
    conn.close()
    return {"bytes": total, "bytes_per_quote": round(total / max(n_quotes, 1)),
            "largest": {name: round(size / max(n_quotes, 1)) for name, size in parts}}


def report(built: dict, timings: list[dict], start: dict, size: dict) -> str:
    """The figures as text."""
    lines = [f"database: {built['quotes']:,} quotes, {built['articles']:,} articles, {built['speakers']:,} speakers, "
             f"{built['affiliations']:,} affiliations (built in {built.get('build_seconds', '-')} s)",
             f"size: {size['bytes'] / 2 ** 20:,.0f} MiB, {size['bytes_per_quote']:,} bytes per quote"
             + (" (" + ", ".join(f"{k} {v}" for k, v in size["largest"].items()) + ")" if size["largest"] else ""),
             ""]
    width = max(len(t["command"]) for t in timings + [start])
    lines.append(f"{'command':<{width}}  {'ours ms':>8}  {'sqlite3 ms':>10}  {'ratio':>5}  rows")
    for t in timings:
        flag = "  OVER BUDGET" if t["ours_ms"] > BUDGET_MS else ""
        lines.append(f"{t['command']:<{width}}  {t['ours_ms']:>8.1f}  {t['sqlite3_ms']:>10.1f}  {t['ratio']:>5.2f}  "
                     f"{t['rows']}{flag}")
    lines.append(f"{start['command']:<{width}}  {start['ours_ms']:>8.0f}  {start['sqlite3_ms']:>10.0f}  "
                 f"{start['ratio']:>5.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--speakers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query (default 15)")
    parser.add_argument("--db", type=Path, help="build the database here (kept), or reuse it if it exists")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    folder = None
    if args.db is None:
        folder = Path(tempfile.mkdtemp(prefix="quotes-bench-"))
        path = folder / "bench.db"
    else:
        path = args.db
    try:
        if path.exists():
            conn = sqlite3.connect(path)
            count = lambda t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731
            built = {t: count(t) for t in ("quotes", "articles", "speakers", "affiliations")}
            conn.close()
        else:
            print(f"building {args.quotes:,} quotes in {path} ...", file=sys.stderr)
            built = build(path, args.quotes, args.articles, args.speakers)
        timings = time_queries(path, args.repeat)
        start = startup(path, max(3, args.repeat // 3))
        size = sizes(path, built["quotes"])
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps({"built": built, "size": size, "queries": timings, "startup": start}, indent=1))
    else:
        print(report(built, timings, start, size))
    return 1 if any(t["ours_ms"] > BUDGET_MS for t in timings) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the query commands on a large synthetic database against bare sqlite3 queries doing the same work.

    python bench/query_speed.py [--quotes N] [--articles N] [--speakers N] [--repeat R] [--db PATH] [--json]

Builds (in a temporary folder, unless --db names a file to build or reuse) a database through the
project's own migrations and fills it with plain SQL: by default 1,000,000 quotes over 100,000
articles and 20,000 speakers. Then, for each query command, it times the query function the command
calls (quotes.queries, results turned into dicts as the command prints them) and a hand-written
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

from quotes.models import name_key  # noqa: E402

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


def build(path: Path, n_quotes: int, n_articles: int, n_speakers: int, seed: int = 7) -> dict:
    """Create the database at ``path`` through the migrations and fill it; returns what was built."""
    from quotes.db import open_database

    open_database(str(path)).dispose()
    rng = random.Random(seed)
    names = Names(rng)
    t0 = time.perf_counter()

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

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")  # rows come in dependency order; checked at the end
    conn.execute("BEGIN")
    # the migrations' triggers (full-text index, counters) would run per row: set them aside, load,
    # then rebuild what they maintain in one pass each and put them back
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = 'quotes'").fetchall()
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
    for statement in _migration(3).COUNT_BACKFILL:
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

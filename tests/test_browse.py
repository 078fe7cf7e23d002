"""Browsing queries (facet counts, pages' data) and the database as the field's tools see it: the
full-text index Datasette and sqlite-utils detect, the browse_quotes view, the migration that upgrades
an existing database, and Datasette with quotes' metadata."""
from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter

import pytest
from alembic import command

from quotes import query
from quotes.query import browse, listing
from quotes.store.db import get_engine, session_factory
from quotes.store.readonly import open_readonly


@pytest.fixture(scope="module")
def reader(seeded_db_template):
    engine = open_readonly(str(seeded_db_template))
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


FILTERS = [{}, {"country": "AZ"}, {"kind": "partial"}, {"org": "European Union"}, {"outlet": "Fjord Courier"},
           {"since": __import__("datetime").date(2023, 10, 1)}, {"min_confidence": 0.9, "attributed": True}]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_facet_counts_agree_with_the_listed_quotes(reader, filters):
    listed = query.list_quotes(reader, **filters)
    found = browse.counts(reader, top=None, **filters)
    assert found["counted"] and found["total"] == len(listed)
    assert {k["value"]: k["count"] for k in found["kind"]} == dict(Counter(q["kind"] for q in listed))
    by_speaker = Counter(q["speaker"] for q in listed if q["speaker"])
    assert all(by_speaker[s["label"]] == s["count"] for s in found["speaker"])
    countries = Counter(q["country"] for q in listed if q["country"])
    assert {c["value"]: c["count"] for c in found["country"]} == dict(countries)
    months = Counter(q["published"][:7] for q in listed if q["published"])
    assert {m["value"]: m["count"] for m in found["month"]["series"]} == dict(months)
    assert [c["count"] for c in found["min_confidence"]] == [
        sum(q["confidence"] >= step for q in listed) for step in browse.CONFIDENCE_STEPS]
    # without temporary tables (a read-only PostgreSQL transaction cannot make them) the same counts
    assert browse.counts(reader, top=None, materialize=False, **filters) == found


@pytest.mark.parametrize("filters", [{"since": __import__("datetime").date(2023, 9, 1), "country": "AZ"},
                                     {"until": __import__("datetime").date(2023, 9, 19), "kind": "direct"}])
def test_facet_counts_of_few_dates_read_from_their_articles_are_the_same(reader, monkeypatch, filters):
    listed = query.list_quotes(reader, **filters)
    assert listed
    monkeypatch.setattr(listing, "NARROW_DATES", -1)  # the other filters' indexes find the quotes
    wide = browse.counts(reader, top=None, **filters)
    monkeypatch.setattr(listing, "NARROW_DATES", 10 ** 9)  # the dates' articles lead
    narrow = browse.counts(reader, top=None, **filters)
    assert narrow == wide and narrow["total"] == len(listed)


def test_facet_counts_of_a_search_and_a_filter_by_id(reader):
    found = browse.counts(reader, '"ferry to nowhere"')
    assert found["total"] == 1 and found["speaker"][0]["label"] == "Odd Brekke"
    speaker = found["speaker"][0]["value"]
    assert speaker.startswith("#")
    assert {q["speaker"] for q in query.list_quotes(reader, speaker=speaker)} == {"Odd Brekke"}
    with pytest.raises(query.QueryError):
        browse.counts(reader, '"unbalanced')


def test_counting_over_its_budget_gives_up_and_leaves_the_session_usable(reader, monkeypatch):
    over = browse.counts(reader, budget=0.0, kind="partial")
    assert over == {"total": None, "counted": False, "skipped": list(browse.FACETS)}
    # filters on speakers: speakers, countries and organisations still come from the speakers' counters
    partly = browse.counts(reader, budget=0.0, country="AZ")
    whole = browse.counts(reader, country="AZ")
    assert partly["counted"] and sorted(partly["skipped"]) == ["kind", "min_confidence", "month", "outlet"]
    assert {k: partly[k] for k in ("total", "speaker", "country", "organization")} == \
        {k: whole[k] for k in ("total", "speaker", "country", "organization")}
    # with time, months, kinds and confidence come from speaker_month_counts; outlets need a pass
    monkeypatch.setattr(browse, "_quote_counts", lambda *a: pytest.fail("a pass over the quotes"))
    timed = browse.counts(reader, by=("month", "kind", "min_confidence"), budget=5.0, country="AZ")
    assert {k: timed[k] for k in ("month", "kind", "min_confidence")} == \
        {k: whole[k] for k in ("month", "kind", "min_confidence")}
    assert whole["counted"] and not whole["skipped"] and whole["kind"]


def test_a_pass_too_long_for_the_time_left_is_not_begun(reader, monkeypatch):
    whole = browse.counts(reader, country="AZ")
    assert browse.counts(reader, budget=10.0, country="AZ") == whole  # time enough
    monkeypatch.setattr(browse, "COUNTED_PER_SECOND", whole["total"] / 20.0 - 0.01)  # 20 s for these
    begun = []
    monkeypatch.setattr(browse, "_quote_counts", lambda *a: begun.append(a) or {})
    skipped = browse.counts(reader, budget=10.0, country="AZ")
    assert not begun and skipped["skipped"] == ["outlet"]
    assert skipped["total"] == whole["total"] and skipped["country"] == whole["country"]


@pytest.mark.parametrize("filters", [{"kind": "partial"}, {"min_confidence": 0.9}, {"min_confidence": 0.75},
                                     {"country": "AZ"}, {"country": "AZ", "kind": "direct"},
                                     {"since": __import__("datetime").date(2023, 9, 20)}])
def test_counting_is_not_begun_only_when_every_counter_shows_too_many(reader, filters):
    real = browse.counts(reader, **filters)["total"]
    assert real > 0
    assert browse._too_many(reader, None, filters, real - 1)  # every bound is at least the real count
    exact = len(filters) == 1 and filters.get("min_confidence") != 0.75  # 0.75: bounded by those at 0.7
    assert browse._too_many(reader, None, filters, real) != exact
    # a text, or a filter no counter bounds, is always tried
    assert not browse._too_many(reader, "ferry", filters, 0)
    assert not browse._too_many(reader, None, {**filters, "outlet": "Test Wire"}, 0)


def test_a_page_with_too_many_quotes_to_count_in_time_skips_its_facets(reader, monkeypatch):
    monkeypatch.setattr(browse, "COUNTED_PER_SECOND", 0.001)
    monkeypatch.setattr(browse, "_matched_counts", lambda *a: pytest.fail("counting was begun"))
    assert browse.counts(reader, budget=5.0, kind="partial") == {
        "total": None, "counted": False, "skipped": list(browse.FACETS)}
    monkeypatch.setattr(browse, "_matched_counts", lambda *a: {"total": 3})
    assert browse.counts(reader, kind="partial")["total"] == 3  # no budget: counted whatever it takes


def test_weeks_start_on_monday_and_pages_gather_their_data(reader):
    weeks = browse.counts(reader, by=("week",))["week"]["series"]
    assert [w["value"] for w in weeks] == ["2023-09-18", "2023-10-02"]
    overview = browse.overview(reader)
    assert overview["total"]["quotes"] == sum(w["count"] for w in weeks)
    assert overview["speakers"][0]["n_quotes"] >= overview["speakers"][-1]["n_quotes"]
    country = browse.country_page(reader, "Norway")
    assert country["code"] == "NO" and "Mira Solberg" in {p["name"] for p in country["people"]}
    with pytest.raises(query.QueryError):
        browse.country_page(reader, "Atlantis")
    with pytest.raises(query.QueryError):
        browse.article_page(reader, 9999)


def _fts_declaration(path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = 'quotes_fts'").fetchone()[0]


def test_sqlite_utils_and_datasette_detect_the_full_text_index(seeded_db_template):
    import sqlite_utils
    from datasette.app import Datasette

    db = sqlite_utils.Database(seeded_db_template)
    assert db["quotes"].detect_fts() == "quotes_fts"
    hits = list(db["quotes"].search("corridors"))
    assert hits and all("corridors" in h["text"] for h in hits)

    async def detected():
        ds = Datasette([str(seeded_db_template)])
        return await ds.get_database("seeded").fts_table("quotes")
    assert asyncio.run(detected()) == "quotes_fts"


def test_the_migration_upgrades_an_existing_database(seeded_db, alembic_run):
    engine = get_engine(f"sqlite:///{seeded_db}")
    with sqlite3.connect(seeded_db) as conn:
        before = conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'ferry' ORDER BY rowid").fetchall()
    alembic_run(engine, command.downgrade, "0004")  # as a database written before this revision
    assert "content='quotes'" in _fts_declaration(seeded_db)
    import sqlite_utils

    assert sqlite_utils.Database(seeded_db)["quotes"].detect_fts() is None  # the bug the issue describes
    alembic_run(engine, command.upgrade, "head")
    engine.dispose()
    assert 'content="quotes"' in _fts_declaration(seeded_db)
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'ferry' ORDER BY rowid").fetchall() \
            == before
        assert conn.execute("SELECT count(*) FROM quotes_fts_vocab").fetchone()[0] > 0
        conn.execute("INSERT INTO quotes (article_id, text, kind, start, \"end\", confidence, method) "
                     "VALUES (1, 'a brand new zeppelin route', 'direct', 0, 5, 0.5, 'test')")
        # the triggers of 0001 keep the redeclared index in step
        assert conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'zeppelin'").fetchone()[0] == 1


def test_the_browse_view_has_one_row_per_quote_with_speaker_organisation_and_article(seeded_db_template, reader):
    with sqlite3.connect(seeded_db_template) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM browse_quotes")}
    listed = {q["id"]: q for q in query.list_quotes(reader)}
    assert rows.keys() == listed.keys()
    for qid, q in listed.items():
        row = rows[qid]
        assert (row["quote"], row["speaker"], row["speaker_country"], row["title"], row["organization"],
                row["article_title"], row["outlet"], row["published"], row["url"]) == \
            (q["text"], q["speaker"], q["country"], q["title"], q["organization"], q["article_title"], q["outlet"],
             q["published"], q["url"])
        assert row["month"] == (q["published"] or "")[:7] or row["month"] is None


def test_datasette_with_quotes_metadata_hides_internals_and_facets_the_view(seeded_db_template):
    from datasette.app import Datasette

    from quotes.web.datasette import metadata

    async def visit():
        ds = Datasette([str(seeded_db_template)], metadata=metadata("seeded"))
        await ds.invoke_startup()
        tables = (await ds.client.get("/seeded.json")).json()["tables"]
        hidden = {t["name"] for t in tables if t["hidden"]}
        view = (await ds.client.get("/seeded/browse_quotes.json?_search=ferry&_shape=objects")).json()
        return hidden, view
    hidden, view = asyncio.run(visit())
    assert {"alembic_version", "curation_rules", "speaker_organizations", "quotes_fts_vocab"} <= hidden
    assert view["rows"] and all("ferry" in r["quote"].lower() for r in view["rows"])
    assert {f for f in view["facet_results"]} >= {"speaker_country", "kind", "outlet", "month"}


def test_organisation_rows_are_those_of_the_orgs_command(reader):
    everything = query.organizations(reader)
    assert browse.organization_rows(reader, limit=5) == everything[:5]
    assert browse.organization_rows(reader, limit=1000) == everything
    assert browse.organization_rows(reader, country="AZ", limit=3) == query.organizations(reader, country="AZ")[:3]


def test_quote_counts_follow_inserts_updates_and_deletes(seeded_db):
    def recount(conn):
        kept = dict(((k, b), n) for k, b, n in conn.execute("SELECT kind, band, n FROM quote_counts WHERE n > 0"))
        real = dict(((k, b), n) for k, b, n in conn.execute(
            "SELECT kind, (confidence >= 0.5) + (confidence >= 0.7) + (confidence >= 0.9), count(*) FROM quotes "
            "GROUP BY 1, 2"))
        return kept, real

    with sqlite3.connect(seeded_db) as conn:
        kept, real = recount(conn)
        assert kept == real and sum(real.values()) > 0
        conn.execute("UPDATE quotes SET confidence = 0.95, kind = 'direct' WHERE id IN (1, 2, 3)")
        conn.execute("DELETE FROM quotes WHERE article_id = 2")
        kept, real = recount(conn)
        assert kept == real
    from quotes.store.models import CONFIDENCE_STEPS

    assert CONFIDENCE_STEPS == (0.5, 0.7, 0.9) == browse.CONFIDENCE_STEPS  # the triggers' bands


def test_a_speakers_dates_latest_quotes_and_articles_are_the_same_walking_the_articles(reader, monkeypatch):
    from quotes.query import people

    ids = [int(s["value"][1:]) for s in browse.counts(reader, top=None)["speaker"]]
    direct = [browse.speaker_page(reader, f"#{i}", recent=1, articles=1) for i in ids]
    monkeypatch.setattr(people, "WALK_ARTICLES_FROM", 0)  # as for a speaker in thousands of articles
    walked = [browse.speaker_page(reader, f"#{i}", recent=1, articles=1) for i in ids]
    assert walked == direct
    assert any(p["n_articles"] > 1 and p["first_seen"] != p["last_seen"] for p in walked)


def test_counts_of_all_quotes_are_kept_until_quotes_articles_or_corrections_change(seeded_db, monkeypatch):
    from quotes.store.curation import set_country

    engine = get_engine(f"sqlite:///{seeded_db}")
    with session_factory(engine)() as session:
        first = browse.overview(session)
        top = first["countries"][0]
        first["countries"].clear()  # callers get copies: changing one leaves what is kept alone
        assert browse.overview(session)["countries"][0] == top
        facets = browse.counts(session)
        with sqlite3.connect(seeded_db) as conn:  # a change no counter sees (as a people import would make)
            conn.execute("UPDATE speakers SET country = 'IS' WHERE country = ?", (top["value"],))
        session.rollback()  # a new transaction sees it (as each request's session does)
        assert browse.counts(session) == facets  # kept a while
        monkeypatch.setattr(browse, "KEEP_SECONDS", 0.0)
        assert top["value"] not in {c["value"] for c in browse.counts(session)["country"]}
        monkeypatch.setattr(browse, "KEEP_SECONDS", 60.0)
        before = browse.overview(session)
        speaker = browse.counts(session)["speaker"][0]
        set_country(session, speaker["value"], "FI")  # a correction: seen at once
        after = browse.counts(session)
        assert "FI" in {c["value"] for c in after["country"]} and browse.overview(session) != before
        session.execute(browse.Quote.__table__.delete().where(browse.Quote.id == 1))
        session.commit()
        assert browse.counts(session)["total"] == after["total"] - 1
    engine.dispose()


def test_speaker_month_counts_follow_quotes_articles_and_speakers(seeded_db):
    def recount(conn):
        kept = {(s, m, k, b): n for s, m, k, b, n in conn.execute(
            "SELECT speaker_id, month, kind, band, n FROM speaker_month_counts WHERE n != 0")}
        real = {(s, m, k, b): n for s, m, k, b, n in conn.execute(
            "SELECT q.speaker_id, coalesce(substr(a.published, 1, 7), ''), q.kind, "
            "(q.confidence >= 0.5) + (q.confidence >= 0.7) + (q.confidence >= 0.9), count(*) "
            "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_id IS NOT NULL GROUP BY 1, 2, 3, 4")}
        return kept, real

    with sqlite3.connect(seeded_db) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        kept, real = recount(conn)
        assert kept == real and len({m for _, m, _, _ in real}) > 1
        steps = [
            "UPDATE quotes SET confidence = 0.95, kind = 'direct' WHERE id IN (1, 2, 3)",
            "UPDATE quotes SET speaker_id = (SELECT max(speaker_id) FROM quotes) WHERE id IN (4, 5)",
            "UPDATE quotes SET speaker_id = NULL WHERE id = 6",
            "UPDATE articles SET published = '2024-02-29' WHERE id = 1",
            "UPDATE articles SET published = NULL WHERE id = 2",
            "DELETE FROM quotes WHERE id IN (7, 8)",
            "DELETE FROM speakers WHERE id = (SELECT speaker_id FROM quotes WHERE speaker_id IS NOT NULL LIMIT 1)",
            "DELETE FROM articles WHERE id = 1",
        ]
        for step in steps:
            conn.execute(step)
            kept, real = recount(conn)
            assert kept == real, step
        assert real

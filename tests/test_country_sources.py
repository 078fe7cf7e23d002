"""Where a speaker's country came from: stored (country_source), shown, filtered (--no-guesses),
curated, exported and migrated (hand-made extractions and invented names: no spaCy)."""
from __future__ import annotations

import json
import sqlite3

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import select

from quotes import query
from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store import curation
from quotes.store.db import get_engine, open_database, session_factory
from quotes.store.models import Affiliation, Organization, Speaker
from quotes.store.storing import store_extraction

# Four articles set in Norway. Only two speakers' Norwegian country rests on something the text says:
# Ola Dahl ("Norwegian") and Per Lunde (his party's). The interior ministry and Kari Moen's government
# are the article's setting, guessed.
ARTICLES = [
    ("“Checks at the border will double,” the interior ministry said.",
     [("Checks at the border will double", "Interior Ministry", "direct")],
     [Sp("Interior Ministry", "organization", country="NO", country_source="article")]),
    ("“The ferry fleet is too old,” said Ola Dahl, a Norwegian engineer.",
     [("The ferry fleet is too old", "Ola Dahl", "direct")],
     [Sp("Ola Dahl", aliases=["Dahl"], title="engineer", country="NO", country_source="stated")]),
    ("“The budget is balanced,” Prime Minister Kari Moen said of the fleet.",
     [("The budget is balanced", "Kari Moen", "direct")],
     [Sp("Kari Moen", aliases=["Moen"], title="Prime Minister", organization="Government of Norway",
         country="NO", country_source="article")]),
    ("Per Lunde of the Harbour Party said the fleet budget was balanced for now.",
     [("the fleet budget was balanced for now", "Per Lunde", "indirect")],
     [Sp("Per Lunde", aliases=["Lunde"], organization="Harbour Party", country="NO",
         country_source="organisation")]),
]
EVIDENCE = {"Ola Dahl", "Per Lunde"}
EVERYONE = {"Interior Ministry", "Ola Dahl", "Kari Moen", "Per Lunde"}


def _store(session, make_extraction):
    for n, (text, quotes, speakers) in enumerate(ARTICLES, 1):
        store_extraction(session, make_extraction(text, quotes, speakers, source=f"{n}.txt"))


@pytest.fixture
def db(db_path, make_extraction):
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        _store(session, make_extraction)
    engine.dispose()
    return str(db_path)


@pytest.fixture
def stored(db):
    engine = open_database(db)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def speakers_in(stdout: str) -> set[str]:
    return {row["speaker"] for row in json.loads(stdout)}


# -- what is stored --------------------------------------------------------------------------------

def test_rows_keep_where_their_country_came_from(stored):
    rows = {s.name: (s.country, s.country_source) for s in stored.scalars(select(Speaker))}
    assert rows == {
        "Interior Ministry": ("NO", "article"),  # an organisation keeps its guessed country, flagged
        "Ola Dahl": ("NO", "stated"),
        "Kari Moen": (None, None),               # a person's guess is never stored on the person
        "Per Lunde": ("NO", "organisation"),
    }
    orgs = {o.name: (o.country, o.country_source) for o in stored.scalars(select(Organization))}
    assert orgs["Government of Norway"] == ("NO", "stated")   # the wording names the country
    assert orgs["Harbour Party"] == ("NO", "organisation")    # the member's country, and its source
    assert orgs["Interior Ministry"] == ("NO", "article")     # a country-less wording placed by a guess
    inferred = {a.speaker.name: a.inferred for a in stored.scalars(select(Affiliation))}
    assert inferred == {"Ola Dahl": False, "Kari Moen": True, "Per Lunde": False}


def test_a_country_said_later_upgrades_a_guessed_one(stored, make_extraction):
    store_extraction(stored, make_extraction(
        "Norway's interior ministry said the border checks would end.",
        [("the border checks would end", "Norway's interior ministry", "indirect")],
        [Sp("Norway's interior ministry", "organization", country="NO", country_source="stated")],
        source="5.txt"))
    ministry = stored.scalars(select(Speaker).where(Speaker.kind == "organization")).one()
    assert (ministry.name, ministry.country, ministry.country_source) == ("Interior Ministry", "NO", "stated")
    assert stored.scalars(select(Organization.country_source).where(
        Organization.name == "Interior Ministry")).one() == "stated"


def test_a_country_without_a_source_counts_as_stated(session, make_extraction):
    store_extraction(session, make_extraction(
        "“Nets are empty,” said Lise Vik.", [("Nets are empty", "Lise Vik", "direct")],
        [Sp("Lise Vik", country="IS")]))
    assert session.execute(select(Speaker.country, Speaker.country_source)).one() == ("IS", "stated")


def test_curation_sets_curated(stored):
    curation.set_country(stored, "Ola Dahl", "DK")
    curation.set_organization_country(stored, "Interior Ministry", "SE")
    rows = {s.name: (s.country, s.country_source) for s in stored.scalars(select(Speaker))}
    assert rows["Ola Dahl"] == ("DK", "curated")
    assert rows["Interior Ministry"] == ("SE", "curated")
    org = stored.scalars(select(Organization).where(Organization.name == "Interior Ministry")).one()
    assert (org.country, org.country_source) == ("SE", "curated")
    curation.set_country(stored, "Ola Dahl", "-")
    assert stored.execute(select(Speaker.country, Speaker.country_source)
                          .where(Speaker.name == "Ola Dahl")).one() == (None, None)


# -- what is shown ---------------------------------------------------------------------------------

def test_quote_rows_carry_country_source_right_after_country(db):
    rows = json.loads(ok(run("--db", db, "list", "--format", "json")).stdout)
    keys = list(rows[0])
    assert keys[keys.index("country") + 1] == "country_source"
    assert {r["speaker"]: r["country_source"] for r in rows} == {
        "Interior Ministry": "article", "Ola Dahl": "stated", "Kari Moen": None, "Per Lunde": "organisation"}
    header = ok(run("--db", db, "list", "--format", "csv")).stdout.splitlines()[0].split(",")
    assert header[header.index("country") + 1] == "country_source"


def test_show_speaker_and_speakers_print_the_source(db):
    dahl = next(r for r in json.loads(run("--db", db, "list", "--format", "json").stdout)
                if r["speaker"] == "Ola Dahl")
    shown = ok(run("--db", db, "show", str(dahl["id"]))).stdout
    assert "Speaker: Ola Dahl (person, NO, stated) - engineer" in shown
    assert "Ola Dahl (#" in ok(run("--db", db, "speaker", "Ola Dahl")).stdout
    assert "Norway (NO, stated)" in run("--db", db, "speaker", "Ola Dahl").stdout
    assert json.loads(run("--db", db, "speaker", "Interior Ministry", "--format", "json").stdout)[
        "country_source"] == "article"
    listed = json.loads(ok(run("--db", db, "speakers", "--format", "json")).stdout)
    assert {s["name"]: s["country_source"] for s in listed} == {
        "Interior Ministry": "article", "Ola Dahl": "stated", "Kari Moen": None, "Per Lunde": "organisation"}


# -- --no-guesses ------------------------------------------------------------------------------------

def test_no_guesses_keeps_countries_resting_on_evidence(stored):
    assert {r["speaker"] for r in query.list_quotes(stored, country="NO")} == EVERYONE
    assert {r["speaker"] for r in query.list_quotes(stored, country="NO", no_guesses=True)} == EVIDENCE
    assert {r["speaker"] for r in query.search_quotes(stored, "fleet", country="Norway", no_guesses=True)} == \
        {"Ola Dahl", "Per Lunde"}
    assert {s["name"] for s in query.speakers(stored, country="NO", no_guesses=True)} == EVIDENCE
    assert {o["name"] for o in query.organizations(stored, country="NO")} == {
        "Interior Ministry", "Government of Norway", "Harbour Party"}
    assert {o["name"] for o in query.organizations(stored, country="NO", no_guesses=True)} == {
        "Government of Norway", "Harbour Party"}


@pytest.mark.parametrize("command", [
    ["list"], ["search", "balanced OR fleet OR border"], ["who-said", "the budget is balanced"],
])
def test_every_quote_command_filters_alike(db, command):
    everyone = speakers_in(ok(run("--db", db, *command, "--country", "NO", "--format", "json")).stdout)
    sure = speakers_in(ok(run("--db", db, *command, "--country", "NO", "--no-guesses", "--format", "json")).stdout)
    assert "Kari Moen" in everyone and sure and sure <= EVIDENCE
    if command[0] != "who-said":  # who-said goes on to looser matches when the exact one is filtered out
        assert sure == everyone & EVIDENCE


def test_stats_and_export_filter_alike(db):
    stats = json.loads(ok(run("--db", db, "stats", "--country", "NO", "--no-guesses", "--format", "json")).stdout)
    assert stats["total"]["quotes"] == 2
    assert {r["value"] for r in stats["speaker"]} == EVIDENCE
    lines = ok(run("--db", db, "export", "--country", "NO", "--no-guesses")).stdout.splitlines()
    quotes = [json.loads(line) for line in lines[1:] if json.loads(line).get("_table") == "quotes"]
    assert len(quotes) == 2
    csv_rows = ok(run("--db", db, "export", "--country", "NO", "--no-guesses", "--format", "csv")).stdout
    assert len(csv_rows.splitlines()) == 3 and "Kari Moen" not in csv_rows


def test_no_guesses_without_a_country_is_a_one_line_error(db):
    result = run("--db", db, "list", "--no-guesses")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Error: --no-guesses applies to a country: give --country too"]


# -- export and import -------------------------------------------------------------------------------

def test_export_round_trips_country_sources_and_an_old_export_still_imports(db, tmp_path):
    exported = ok(run("--db", db, "export")).stdout
    copy = str(tmp_path / "copy.db")
    ok(run("--db", copy, "import", "-", input=exported))
    assert run("--db", copy, "list", "--format", "json").stdout == run("--db", db, "list", "--format", "json").stdout
    # an export of schema 0003 has none of the new columns
    old = []
    for n, line in enumerate(exported.splitlines()):
        row = json.loads(line)
        if n == 0:
            row["schema"] = "0003"
        for column in ("country_source", "wikidata_id", "inferred"):
            row.pop(column, None)
        old.append(json.dumps(row))
    older = str(tmp_path / "older.db")
    ok(run("--db", older, "import", "-", input="\n".join(old) + "\n"))
    rows = {r["speaker"]: r["country_source"]
            for r in json.loads(run("--db", older, "list", "--format", "json").stdout)}
    assert rows == {"Interior Ministry": "stated", "Ola Dahl": "stated", "Kari Moen": None, "Per Lunde": "stated"}


# -- the migration -----------------------------------------------------------------------------------

def test_migration_0004_backfills_sources_and_keeps_posts_and_counts(tmp_path, alembic_run):
    path = tmp_path / "old.db"
    engine = get_engine(f"sqlite:///{path}")
    alembic_run(engine, command.upgrade, "0003")
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            INSERT INTO articles (id, content_hash, text, source, ingested_at, updated_at)
                VALUES (1, 'h', 'text', 'a.txt', '2026-01-01', '2026-01-01');
            INSERT INTO organizations (id, name, key, kind, country, created_at, curated)
                VALUES (1, 'Harbour Party', 'harbour party', 'party', 'NO', '2026-01-01', 0),
                       (2, 'Lake Board', 'lake board', 'other', NULL, '2026-01-01', 0);
            INSERT INTO speakers (id, name, key, kind, country, created_at, named, curated)
                VALUES (1, 'Ola Dahl', 'ola dahl', 'person', 'NO', '2026-01-01', 1, 0),
                       (2, 'Kari Moen', 'kari moen', 'person', 'SE', '2026-01-01', 1, 1),
                       (3, 'Per Lunde', 'per lunde', 'person', NULL, '2026-01-01', 1, 0);
            INSERT INTO affiliations (id, speaker_id, organization_id, title, article_id)
                VALUES (1, 1, 1, 'leader', 1), (2, 3, 1, NULL, 1);
        """)
    alembic_run(engine, command.upgrade, "head")
    alembic_run(engine, command.check)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name, country_source FROM speakers ORDER BY id").fetchall() == [
            ("Ola Dahl", "stated"), ("Kari Moen", "curated"), ("Per Lunde", None)]
        assert conn.execute("SELECT country_source FROM organizations ORDER BY id").fetchall() == [
            ("stated",), (None,)]
        assert conn.execute("SELECT id, article_id, inferred FROM affiliations ORDER BY id").fetchall() == [
            (1, 1, 0), (2, 1, 0)]
        # the pair counters' triggers came back with the recreated table
        conn.execute("INSERT INTO affiliations (speaker_id, organization_id, title, article_id) "
                     "VALUES (2, 1, NULL, NULL)")
        assert conn.execute("SELECT speaker_id, n_affiliations FROM speaker_organizations "
                            "ORDER BY speaker_id").fetchall() == [(1, 1), (2, 1), (3, 1)]
    alembic_run(engine, command.downgrade, "0003")
    with sqlite3.connect(path) as conn:  # back where it was, less the post given without an article
        assert conn.execute("SELECT id, article_id FROM affiliations ORDER BY id").fetchall() == [(1, 1), (2, 1)]
        assert conn.execute("SELECT speaker_id, n_affiliations FROM speaker_organizations "
                            "ORDER BY speaker_id").fetchall() == [(1, 1), (3, 1)]
        assert "country_source" not in {r[1] for r in conn.execute("PRAGMA table_info(speakers)")}
    engine.dispose()

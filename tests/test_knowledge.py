"""What the database already knows fills in what an article leaves open (store.knowledge), read-only;
`quotes ingest` and `quotes extract --db` use it. Invented names and sentences throughout."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store import curation
from quotes.store.exchange import tables
from quotes.store.knowledge import apply_knowledge
from quotes.store.models import Speaker
from quotes.store.storing import store_extraction


def said(make_extraction, *speakers: Sp, n: int = 0):
    """One article in which each speaker says one thing; ``n`` makes the article distinct."""
    parts, quotes = [], []
    for i, sp in enumerate(speakers):
        parts.append(f"“Line {i} of story {n} stands,” {sp.name} said.")
        quotes.append((f"Line {i} of story {n} stands", sp.name, "direct"))
    return make_extraction(" ".join(parts), quotes, speakers, source=f"story{n}.txt")


def known(session, make_extraction, *speakers: Sp, n: int = 99) -> dict[str, Sp]:
    """The speakers of a new article as the database completes them."""
    return apply_knowledge(session, said(make_extraction, *speakers, n=n)).speakers


def dump(session) -> dict[str, list]:
    connection = session.connection()
    return {t.name: connection.exec_driver_sql(f"SELECT * FROM {t.name} ORDER BY id").all() for t in tables()}


# -- countries -------------------------------------------------------------------------------------

def test_a_person_known_from_one_article_lends_the_next_their_country(session, make_extraction):
    store_extraction(session, said(make_extraction, Sp("Lise Vik", aliases=["Vik"], country="IS",
                                                       country_source="stated"), n=1))
    second = known(session, make_extraction, Sp("Lise Vik"), Sp("Odd Hauge"))
    assert (second["Lise Vik"].country, second["Lise Vik"].country_source) == ("IS", "knowledge")
    assert second["Odd Hauge"].country is None  # nobody the database knows
    guessed = known(session, make_extraction, Sp("Lise Vik", country="SE", country_source="article"))
    assert (guessed["Lise Vik"].country, guessed["Lise Vik"].country_source) == ("IS", "knowledge")
    stated = known(session, make_extraction, Sp("Lise Vik", country="IS", country_source="title"))
    assert stated["Lise Vik"].country_source == "title"  # what the text says is kept
    # stored, the filled-in mention is the same person, and the row keeps its own source
    store_extraction(session, said(make_extraction, Sp("Lise Vik", country="SE", country_source="article"), n=2))
    assert session.execute(select(Speaker.name, Speaker.country, Speaker.country_source)).all() == [
        ("Lise Vik", "IS", "stated")]


def test_never_across_namesakes(session, make_extraction):
    store_extraction(session, said(make_extraction, Sp("Lise Vik", country="IS", country_source="stated"),
                                   Sp("Karl Vik", country="FO", country_source="stated"), n=1))
    new = known(session, make_extraction, Sp("Anna Vik"), Sp("Vik", country="NO", country_source="article"),
                Sp("Karl Vik", organization="Harbour Party", country="DK", country_source="stated"))
    assert (new["Anna Vik"].country, new["Anna Vik"].country_source) == (None, None)  # another given name
    assert (new["Vik"].country, new["Vik"].country_source) == ("NO", "article")       # two Viks: unknown
    assert new["Karl Vik"].country == "DK"  # a stated country keeps a namesake apart


def test_a_curated_country_wins(session, make_extraction):
    store_extraction(session, said(make_extraction, Sp("Lise Vik", country="IS", country_source="stated"), n=1))
    curation.set_country(session, "Lise Vik", "FO")
    new = known(session, make_extraction, Sp("Lise Vik"))
    assert (new["Lise Vik"].country, new["Lise Vik"].country_source) == ("FO", "curated")
    # the curated row owns its name: even a country the text states gives way, as it does in the store
    stated = known(session, make_extraction, Sp("Lise Vik", country="IS", country_source="stated"))
    assert (stated["Lise Vik"].country, stated["Lise Vik"].country_source) == ("FO", "curated")
    store_extraction(session, said(make_extraction, Sp("Lise Vik", country="IS", country_source="stated"), n=2))
    assert session.execute(select(Speaker.country, Speaker.country_source)).all() == [("FO", "curated")]


def test_bodies(session, make_extraction):
    store_extraction(session, said(
        make_extraction, Sp("Fjord Shipping Company", "organization", country="NO", country_source="stated"),
        Sp("Interior Ministry", "organization", country="NO", country_source="stated"),
        Sp("European Union", "organization"), n=1))
    new = known(session, make_extraction,
                Sp("Fjord Shipping Company", "organization", country="SE", country_source="article"),
                Sp("Interior Ministry", "organization", country="SE", country_source="article"),
                Sp("European Union", "organization"))
    assert (new["Fjord Shipping Company"].country, new["Fjord Shipping Company"].country_source) == ("NO", "knowledge")
    # "the interior ministry" of an article set in Sweden is Sweden's as likely as the stored Norway's
    assert (new["Interior Ministry"].country, new["Interior Ministry"].country_source) == ("SE", "article")
    assert new["European Union"].country is None


def test_knowledge_reads_only(session, make_extraction):
    # a bare surname row, which resolution would complete with the full name, and a new organisation
    store_extraction(session, said(make_extraction, Sp("Vik", country="IS", country_source="stated"), n=1))
    before = dump(session)
    new = known(session, make_extraction, Sp("Lise Vik", organization="Glacier Trust"),
                Sp("Glacier Trust", "organization"))
    assert (new["Lise Vik"].country, new["Lise Vik"].country_source) == ("IS", "knowledge")
    session.flush()
    assert dump(session) == before
    assert not session.new and not session.dirty


# -- organisations a person gave -------------------------------------------------------------------

def test_an_organisation_a_person_gave_fills_a_missing_or_guessed_one(session, make_extraction, tmp_path):
    from quotes.store.people import import_people, read_people

    people = tmp_path / "people.csv"
    people.write_text("name,country,organization,title\nIda Strand,NO,Harbour Party,party leader\n"
                      "Odd Hauge,,Glacier Trust,\n", encoding="utf-8")
    with people.open(encoding="utf-8") as stream:
        import_people(session, read_people(stream, "people.csv"))
    new = known(session, make_extraction,
                Sp("Ida Strand", title="Prime Minister", organization="Government of Sweden", country="SE",
                   country_source="article"),
                Sp("Odd Hauge", title="chairman"),
                Sp("Per Lunde", title="Prime Minister", organization="Government of Sweden", country="SE",
                   country_source="article"))
    strand, hauge, lunde = new["Ida Strand"], new["Odd Hauge"], new["Per Lunde"]
    assert (strand.country, strand.country_source, strand.organization) == ("NO", "curated", "Harbour Party")
    assert (hauge.country, hauge.organization, hauge.title) == (None, "Glacier Trust", "chairman")
    assert (lunde.country, lunde.organization) == ("SE", "Government of Sweden")  # unknown: as extracted
    stated = known(session, make_extraction, Sp("Odd Hauge", organization="Coastal Council"))
    assert stated["Odd Hauge"].organization == "Coastal Council"  # what the text says is kept


# -- the commands ----------------------------------------------------------------------------------

ARTICLE = ("Ferry strike spreads to three ports\n\n"
           "GOTHENBURG — Swedish dock workers walked out on Monday as the ferry strike spread.\n\n"
           "“We will not accept the new rota,” said Lars Ek, a Swedish union organiser.\n\n"
           "Prime Minister Ida Strand said the talks would resume on Friday. “Nobody wins a long strike,” "
           "Strand told reporters in Gothenburg.\n")


def run(*args, input=None, env=None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def by_speaker(jsonl: str) -> dict[str, tuple]:
    rows = [json.loads(line) for line in jsonl.splitlines()]
    return {r["speaker"]: (r["country"], r["country_source"], r["organization"]) for r in rows}


@pytest.fixture
def article(tmp_path, nlp):  # nlp: the pipeline is loaded once for the run, and the commands reuse it
    path = tmp_path / "strike.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return str(path)


def test_extract_without_a_database_opens_none_and_with_one_reads_it(article, db_path, tmp_path, monkeypatch):
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.delenv("QUOTES_DB", raising=False)
    plain = run("extract", article)
    assert plain.exit_code == 0, plain.output
    assert by_speaker(plain.stdout)["Ida Strand"][1] in (None, "article")  # the article says no country
    assert list(here.iterdir()) == []  # no quotes.db (nor anything else) made
    missing = run("extract", article, "--db", str(tmp_path / "nowhere.db"))
    assert missing.exit_code == 1 and missing.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'nowhere.db'}: no such database"]
    assert not (tmp_path / "nowhere.db").exists()

    people = tmp_path / "people.csv"
    people.write_text("name,aliases,country,organization,wikidata\nIda Strand,Strand,Norway,Harbour Party,Q90001\n",
                      encoding="utf-8")
    imported = run("--db", str(db_path), "people", "import", str(people))
    assert imported.exit_code == 0 and imported.stderr.strip() == "1 person imported: 1 added, 0 updated"
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM speakers").fetchone()
    with_db = run("extract", article, "--db", str(db_path))
    assert by_speaker(with_db.stdout)["Ida Strand"] == ("NO", "curated", "Harbour Party")
    assert by_speaker(with_db.stdout)["Lars Ek"] == ("SE", "stated", None)
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM speakers").fetchone() == before  # nothing stored
    from_env = run("extract", article, env={"QUOTES_DB": str(db_path)})
    assert from_env.stdout == with_db.stdout


def test_ingest_stores_what_the_database_knew(article, db_path, tmp_path):
    people = tmp_path / "people.jsonl"
    people.write_text(json.dumps({"name": "Ida Strand", "country": "NO", "organization": "Harbour Party"}) + "\n",
                      encoding="utf-8")
    db = str(db_path)
    assert run("--db", db, "people", "import", str(people)).exit_code == 0
    assert run("--db", db, "ingest", article).exit_code == 0
    rows = json.loads(run("--db", db, "list", "--format", "json").stdout)
    assert {(r["speaker"], r["country"], r["country_source"], r["organization"]) for r in rows} == {
        ("Lars Ek", "SE", "stated", None), ("Ida Strand", "NO", "curated", "Harbour Party")}
    norway = json.loads(run("--db", db, "list", "--country", "NO", "--no-guesses", "--format", "json").stdout)
    assert {r["speaker"] for r in norway} == {"Ida Strand"}
    sweden = json.loads(run("--db", db, "list", "--country", "SE", "--format", "json").stdout)
    assert {r["speaker"] for r in sweden} == {"Lars Ek"}  # no longer Sweden's guessed prime minister


def test_knowledge_applied_in_the_storing_transaction_stores_what_applying_it_first_does(
        make_extraction, db_path, tmp_path):
    """store_extraction(knowledge=True), as `quotes ingest` stores, reads with the resolver that stores the
    article; the rows are those of apply_knowledge followed by store_extraction."""
    import shutil

    from quotes.store.db import open_database, session_factory

    articles = [said(make_extraction, Sp("Lise Vik", aliases=["Vik"], country="IS", country_source="stated"),
                     Sp("Odd Hauge", title="director", organization="Fjord Fisheries Agency", country="NO",
                        country_source="stated"), n=1),
                said(make_extraction, Sp("Lise Vik", country="SE", country_source="article"),
                     Sp("Odd Hauge", organization="Fjord Fisheries Agency"), Sp("Kari Dahl"), n=2),
                said(make_extraction, Sp("Kari Dahl", country="IS", country_source="stated"),
                     Sp("Fjord Fisheries Agency", "organization"), n=3)]
    other = tmp_path / "first.db"
    shutil.copyfile(db_path, other)
    dumps = []
    for path, inside in ((db_path, True), (other, False)):
        engine = open_database(str(path))
        try:
            with session_factory(engine)() as session:
                for extraction in articles:
                    if inside:
                        store_extraction(session, extraction, knowledge=True)
                    else:
                        store_extraction(session, apply_knowledge(session, extraction))
                dumps.append({name: [tuple(v for k, v in row._mapping.items()
                                           if k not in ("created_at", "ingested_at", "updated_at")) for row in rows]
                              for name, rows in dump(session).items()})
                countries = session.execute(select(Speaker.name, Speaker.country, Speaker.country_source)
                                            .where(Speaker.name == "Lise Vik")).all()
        finally:
            engine.dispose()
        assert countries == [("Lise Vik", "IS", "stated")]  # the second article's guess gave way
    assert dumps[0] == dumps[1]
    assert dumps[0]["speakers"] and dumps[0]["affiliations"]

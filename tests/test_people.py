"""`quotes people import` and `quotes people export`: records checked first, resolved like speakers
across articles, kept as curated rows; bad files refused whole. Invented names only (no spaCy)."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store.db import open_database, session_factory
from quotes.store.models import Affiliation, Organization, Speaker
from quotes.store.resolution import collect_orphans
from quotes.store.storing import reprocess_extraction, store_extraction

CSV = """name,aliases,kind,country,organization,title,wikidata
Ida Strand,Strand;I. Strand,person,Norway,Harbour Party,party leader,Q90001
Odd Hauge,,,IS,,,http://www.wikidata.org/entity/Q90002
Coastal Council,the council,organization,NO,,,
"""
JSONL = "\n".join(json.dumps(r) for r in [
    {"name": "Ida Strand", "aliases": ["Strand", "I. Strand"], "country": "NO", "organization": "Harbour Party",
     "title": "party leader", "wikidata": "Q90001"},
    {"name": "Odd Hauge", "country": "Iceland", "wikidata": "Q90002"},
    {"name": "Coastal Council", "aliases": ["the council"], "kind": "organization", "country": "NO"},
]) + "\n"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name, kind, country, country_source, curated, wikidata_id FROM speakers "
                            "ORDER BY id").fetchall()


def dump(path) -> dict[str, list]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall()
                for t in ("speakers", "speaker_aliases", "organizations", "affiliations", "corrections")}


@pytest.mark.parametrize("fmt, text", [("csv", CSV), ("jsonl", JSONL)])
def test_import_adds_curated_people_and_bodies(db_path, tmp_path, fmt, text):
    path = tmp_path / f"people.{fmt}"
    path.write_text(text, encoding="utf-8")
    result = ok(run("--db", str(db_path), "people", "import", str(path)))
    assert result.stderr.strip() == "3 people imported: 3 added, 0 updated"
    assert rows(db_path) == [("Ida Strand", "person", "NO", "curated", 1, "Q90001"),
                             ("Odd Hauge", "person", "IS", "curated", 1, "Q90002"),
                             ("Coastal Council", "organization", "NO", "curated", 1, None)]
    profile = json.loads(ok(run("--db", str(db_path), "speaker", "Strand", "--format", "json")).stdout)
    assert profile["aliases"] == ["I. Strand", "Strand"] and profile["wikidata_id"] == "Q90001"
    assert [(a["title"], a["organization"], a["curated"], a["articles"]) for a in profile["affiliations"]] == [
        ("party leader", "Harbour Party", True, [])]
    text = ok(run("--db", str(db_path), "speaker", "Strand")).stdout
    assert "Wikidata: Q90001" in text and "party leader of Harbour Party (NO) - curated" in text
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name, country, country_source, curated FROM organizations ORDER BY id").fetchall() == [
            ("Harbour Party", "NO", "curated", 0), ("Coastal Council", "NO", "curated", 1)]
    assert "people-import" in ok(run("--db", str(db_path), "corrections")).stdout


def test_import_updates_whom_the_database_knows_by_the_rules_of_resolution(db_path, make_extraction):
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        for n, sp in enumerate([Sp("Ida Strand", aliases=["Strand"], country="NO", country_source="stated"),
                                Sp("Karl Strand", country="SE", country_source="stated"),
                                Sp("Odd Hauge")]):
            text = f"“Story {n} is true,” {sp.name} said."
            store_extraction(session, make_extraction(text, [(f"Story {n} is true", sp.name, "direct")], [sp],
                                                      source=f"{n}.txt"))
    engine.dispose()
    people = ("name,country,organization\nI. Strand,NO,Harbour Party\nAnna Strand,FI,\n"
              "Karl Strand,DK,\nOdd Hauge,IS,\nStrand,,\n")
    result = ok(run("--db", str(db_path), "people", "import", "-", input=people))
    # Ida (an initial fits) and Odd are updated; Anna has another given name, the Danish Karl another
    # country than the Swedish one; "Strand" alone fits several people: each a new row, as in an article
    assert result.stderr.strip() == "5 people imported: 3 added, 2 updated"
    assert rows(db_path) == [("Ida Strand", "person", "NO", "curated", 1, None),
                             ("Karl Strand", "person", "SE", "stated", 0, None),
                             ("Odd Hauge", "person", "IS", "curated", 1, None),
                             ("Anna Strand", "person", "FI", "curated", 1, None),
                             ("Karl Strand", "person", "DK", "curated", 1, None),
                             ("Strand", "person", None, None, 1, None)]
    strand = json.loads(ok(run("--db", str(db_path), "speaker", "#1", "--format", "json")).stdout)
    assert "I. Strand" in strand["aliases"]  # a full name never gives way to a shorter one
    assert [(a["organization"], a["curated"]) for a in strand["affiliations"]] == [("Harbour Party", True)]


def test_a_wikidata_id_finds_its_person_and_tells_namesakes_apart(db_path):
    ok(run("--db", str(db_path), "people", "import", "-", input="name,country,wikidata\nEva Lund,SE,Q90003\n"))
    result = ok(run("--db", str(db_path), "people", "import", "-",
                    input="name,aliases,wikidata\nEva Maria Lund,Eva Lund,Q90003\nEva Lund,,Q90004\n"))
    assert result.stderr.strip() == "2 people imported: 1 added, 1 updated"
    assert rows(db_path) == [("Eva Maria Lund", "person", "SE", "curated", 1, "Q90003"),
                             ("Eva Lund", "person", None, None, 1, "Q90004")]


def test_imported_rows_outlast_their_quotes_and_reprocessing(db_path, make_extraction):
    ok(run("--db", str(db_path), "people", "import", "-",
           input="name,country,organization,title\nIda Strand,NO,Harbour Party,party leader\n"))
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        ex = make_extraction("“We sail at dawn,” said Ida Strand.", [("We sail at dawn", "Ida Strand", "direct")],
                             [Sp("Ida Strand", title="captain", country="SE", country_source="article")])
        stored = store_extraction(session, ex)
        ex = make_extraction(ex.article.text, [], [], source="article.txt")  # extraction now finds nothing
        reprocess_extraction(session, stored.article_id, ex)
        row = session.scalars(select(Speaker)).one()
        assert (row.name, row.country, row.country_source, row.n_quotes) == ("Ida Strand", "NO", "curated", 0)
        assert [(a.title, a.article_id) for a in session.scalars(select(Affiliation))] == [("party leader", None)]
        assert collect_orphans(session, [row.id], [o.id for o in session.scalars(select(Organization))]) == 0
    engine.dispose()


BAD = [
    ("name,country\nIda Strand,NO\nOdd Hauge,Narnia\n", "people.csv:3: unknown country 'Narnia'"),
    ("name,contry\nIda Strand,NO\n", "people.csv:1: unknown column 'contry'"),
    ("aliases,country\nStrand,NO\n", "people.csv:1: no name column"),
    ("name,kind\nIda Strand,person\n,person\n", "people.csv:3: no name"),
    ("name,kind\nIda Strand,robot\n", "people.csv:2: unknown kind 'robot'"),
    ("name,wikidata\nIda Strand,P31\n", "people.csv:2: wikidata 'P31' is not a Wikidata item id"),
    ("name,wikidata\nIda Strand,Q1\nI. Strand,Q1\n", "people.csv:3: Q1 is given again (first at line 2)"),
    ("name,kind,country\nEuropean Union,organization,BE\n", "people.csv:2: European Union is a supranational body"),
    ("name,kind,title\nCoastal Council,organization,chair\n", "people.csv:2: Coastal Council is an organization"),
    ("name,country\nIda Strand,NO,extra\n", "people.csv:2: 3 cells, but the header has 2 columns"),
    ('{"name": "Ida Strand"}\n{"name": "Odd Hauge", "age": 40}\n', "people.csv:2: unknown field 'age'"),
    ('{"name": "Ida Strand"}\n{"name": "Odd\n', "people.csv:2: invalid JSON"),
    ('{"name": "Ida Strand", "country": 47}\n', "people.csv:1: country must be text"),
    ("", "people.csv: empty file"),
]


@pytest.mark.parametrize("text, error", BAD)
def test_a_bad_file_is_refused_whole_with_its_line(db_path, tmp_path, text, error):
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    before = dump(db_path)
    result = run("--db", str(db_path), "people", "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {tmp_path}/{error}"), result.stderr
    assert dump(db_path) == before  # nothing stored, not even the good lines before the bad one


def test_unreadable_files_are_one_line_errors(db_path, tmp_path):
    missing = run("--db", str(db_path), "people", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and len(missing.stderr.strip().splitlines()) == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\nBjørn Ås\n".encode("latin-1"))
    result = run("--db", str(db_path), "people", "import", str(latin))
    assert result.exit_code == 1 and "latin.csv: not UTF-8 text" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_then_import_gives_the_same_people(db_path, tmp_path, make_extraction, fmt):
    source = str(db_path)
    ok(run("--db", source, "people", "import", "-", input=CSV))
    engine = open_database(source)
    with session_factory(engine)() as session:  # and people the extractor found, one with a guessed post
        text = "“Nets are empty,” said Per Lunde. “Fish will return,” said Prime Minister Kari Moen."
        store_extraction(session, make_extraction(
            text, [("Nets are empty", "Per Lunde", "direct"), ("Fish will return", "Kari Moen", "direct")],
            [Sp("Per Lunde", aliases=["Lunde"], title="skipper", organization="Glacier Trust", country="IS",
                country_source="stated"),
             Sp("Kari Moen", title="Prime Minister", organization="Government of Norway", country="NO",
                country_source="article")]))
    engine.dispose()
    exported = ok(run("--db", source, "people", "export", "--format", fmt)).stdout
    records = ([json.loads(line) for line in exported.splitlines()] if fmt == "jsonl"
               else exported.splitlines())
    if fmt == "jsonl":
        moen = next(r for r in records if r["name"] == "Kari Moen")
        assert (moen["country"], moen["organization"], moen["title"]) == (None, None, "Prime Minister")
    else:
        assert records[0] == "name,aliases,kind,country,organization,title,wikidata"
        assert "Ida Strand,Strand;I. Strand,person,NO,Harbour Party,party leader,Q90001" in records
    copy = str(tmp_path / "copy.db")
    result = ok(run("--db", copy, "people", "import", "-", input=exported))
    assert result.stderr.strip() == "5 people imported: 5 added, 0 updated"
    assert ok(run("--db", copy, "people", "export", "--format", fmt)).stdout == exported
    curated = ok(run("--db", source, "people", "export", "--curated", "-o", str(tmp_path / "mine.csv")))
    assert curated.stderr.strip() == f"exported 3 people to {tmp_path / 'mine.csv'}"
    assert "Per Lunde" not in (tmp_path / "mine.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["people"], ["people", "import"], ["people", "export"]])
def test_help_has_an_example(args):
    result = ok(run(*args, "--help"))
    assert "Example:" in result.stdout and "quotes people" in result.stdout


def test_a_full_export_keeps_posts_given_without_an_article(db_path, tmp_path):
    source = str(db_path)
    ok(run("--db", source, "people", "import", "-", input=CSV))
    exported = ok(run("--db", source, "export")).stdout
    copy = str(tmp_path / "copy.db")
    ok(run("--db", copy, "import", "-", input=exported))
    assert dump(copy) == dump(source)
    again = ok(run("--db", copy, "import", "-", input=exported))  # merging into itself adds nothing
    assert "0 affiliations (1 already there)" in again.stderr and dump(copy)["affiliations"] == dump(source)["affiliations"]

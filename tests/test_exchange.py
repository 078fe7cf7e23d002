"""Export and import: the round trip loses nothing; merging into a database with data; errors."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store.db import open_database, session_factory
from quotes.store.exchange import tables
from quotes.store.models import Correction
from quotes.store.storing import store_extraction

TEXTS = [
    ('“The dam will hold,” said Ilse Varga, the water minister. Engineers called it “sound”.',
     [("The dam will hold", "Ilse Varga", "direct"), ("sound", None, "partial")],
     dict(outlet="River News", published=date(2022, 4, 1), url="https://river.example/1", author="A. Writer")),
    ('Varga said the reservoir was full. The Lake Union said fishing would stop.',
     [("the reservoir was full", "Ilse Varga", "indirect"), ("fishing would stop", "Lake Union", "indirect")],
     dict(outlet="Valley Daily", published=date(2022, 5, 2))),
    ('“Nobody asked us,” said Tomas Rell of the Farmers League.',
     [("Nobody asked us", "Tomas Rell", "direct")], dict()),
]
SPEAKERS = {"Nora Quist": Sp("Nora Quist"), "Ilse Varga": Sp("Ilse Varga", aliases=["Varga"], title="water minister",
                             organization="Ministry of Water", country="HU"),
            "Lake Union": Sp("Lake Union", "organization", country="HU"),
            "Tomas Rell": Sp("Tomas Rell", aliases=["Rell"], organization="Farmers League")}


def fill(path, make_extraction, texts=TEXTS, corrections=True):
    engine = open_database(str(path))
    with session_factory(engine)() as session:
        for n, (body, quotes, meta) in enumerate(texts, 1):
            names = {q[1] for q in quotes if q[1]}
            store_extraction(session, make_extraction(body, quotes, [SPEAKERS[n_] for n_ in sorted(names)],
                                                      source=f"in/{n}.txt", title=f"Story {n}", **meta))
        if corrections:
            session.add(Correction(action="rename-speaker", target="speaker #1",
                                   detail=json.dumps({"old": "I. Varga", "new": "Ilse Varga"}),
                                   created_at=datetime(2024, 1, 2, 3, 4, 5, 678901)))
            session.commit()
    engine.dispose()
    return str(path)


@pytest.fixture
def source(tmp_path, make_extraction):
    return fill(tmp_path / "source.db", make_extraction)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def dump(path) -> dict[str, list[tuple]]:
    """Every row of every table, by id."""
    with sqlite3.connect(path) as conn:
        return {t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY id").fetchall() for t in tables()}


def without_time(export: str) -> list[str]:
    lines = export.splitlines()
    head = json.loads(lines[0])
    head.pop("exported_at")
    return [json.dumps(head)] + lines[1:]


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_round_trip_into_an_empty_database_loses_nothing(source, tmp_path, fmt):
    exported = tmp_path / f"all.{fmt}"
    result = run("--db", source, "export", "--format", fmt, "-o", str(exported))
    assert result.exit_code == 0, result.output
    assert "exported 5 quotes" in result.stderr
    copy = str(tmp_path / "copy.db")
    imported = run("--db", copy, "import", str(exported))
    assert imported.exit_code == 0, imported.output
    assert "5 quotes" in imported.stderr and "already" not in imported.stderr
    original, again = dump(source), dump(copy)
    assert set(original) == set(again)
    for name in original:
        assert again[name] == original[name], name  # every column, ids and counters included
    assert all(original[name] for name in ("articles", "speakers", "quotes", "affiliations", "speaker_aliases",
                                           "organizations", "organization_aliases", "corrections"))
    # the copy is a working database: full-text search and the listing agree
    assert json.loads(run("--db", copy, "search", "reservoir", "--format", "json").stdout)[0]["speaker"] == "Ilse Varga"
    assert run("--db", copy, "list", "--format", "json").stdout == run("--db", source, "list", "--format", "json").stdout
    # and exporting the copy gives the same export
    second = run("--db", copy, "export", "--format", "jsonl").stdout
    first = run("--db", source, "export", "--format", "jsonl").stdout
    assert without_time(second) == without_time(first)


def test_jsonl_export_names_each_row_table_parents_first(source):
    lines = [json.loads(line) for line in run("--db", source, "export").stdout.splitlines()]
    head, rows, end = lines[0], lines[1:-1], lines[-1]
    assert head["format"] == "quotes-export" and head["version"] == 1 and head["schema"] and head["end_line"]
    assert end == {"_end": True, "counts": {t.name: sum(r["_table"] == t.name for r in rows) for t in tables()}}
    order = [t.name for t in tables()]
    seen = [r["_table"] for r in rows]
    assert seen == sorted(seen, key=order.index)
    quote = next(r for r in rows if r["_table"] == "quotes" and r["text"] == "The dam will hold")
    article = next(r for r in rows if r["_table"] == "articles" and r["id"] == quote["article_id"])
    assert article["text"][quote["start"]:quote["end"]] == quote["text"]
    assert article["published"] == "2022-04-01" and article["author"] == "A. Writer"
    assert "n_quotes" not in article  # counters are the database's own


def test_importing_into_the_same_database_adds_nothing(source, tmp_path):
    exported = tmp_path / "all.jsonl"
    run("--db", source, "export", "-o", str(exported))
    before = dump(source)
    result = run("--db", source, "import", str(exported))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("imported 0 articles (3 already there); 0 corrections (1 already there)")
    after = dump(source)
    for name in ("articles", "speakers", "quotes", "affiliations", "organizations"):
        assert after[name] == before[name], name


def test_importing_into_a_database_with_data_merges_and_renumbers(source, tmp_path, make_extraction):
    other = fill(tmp_path / "other.db", make_extraction, texts=[
        ('Ilse Varga said the river would be cleaned. “It is a start,” said Ada Moor.',
         [("the river would be cleaned", "Ilse Varga", "indirect"), ("It is a start", None, "direct")],
         dict(outlet="River News")),
        TEXTS[2],  # the same article as in the source
    ], corrections=False)
    exported = tmp_path / "all.jsonl"
    run("--db", source, "export", "-o", str(exported))
    result = run("--db", other, "import", str(exported))
    assert result.exit_code == 0, result.output
    rows = json.loads(run("--db", other, "list", "--format", "json").stdout)
    texts = [r["text"] for r in rows]
    assert len(texts) == 3 + 4 and texts.count("Nobody asked us") == 1  # the shared article once
    vargas = json.loads(run("--db", other, "speakers", "--speaker", "Varga", "--format", "json").stdout)
    assert [(s["name"], s["n_quotes"], s["n_articles"]) for s in vargas] == [("Ilse Varga", 3, 3)]
    for r in rows:  # references followed the new ids
        if r["text"] == "The dam will hold":
            assert (r["speaker"], r["title"], r["organization"]) == ("Ilse Varga", "water minister", "Ministry of Water")
    assert json.loads(run("--db", other, "search", "dam", "--format", "json").stdout)[0]["text"] == "The dam will hold"


def test_filtered_export_holds_those_quotes_and_what_they_need(source, tmp_path):
    exported = tmp_path / "varga.jsonl"
    run("--db", source, "export", "--speaker", "Varga", "-o", str(exported))
    rows = [json.loads(line) for line in exported.read_text().splitlines()[1:-1]]  # without the end line
    by_table: dict[str, list] = {}
    for r in rows:
        by_table.setdefault(r["_table"], []).append(r)
    assert {q["text"] for q in by_table["quotes"]} == {"The dam will hold", "the reservoir was full"}
    assert [s["name"] for s in by_table["speakers"]] == ["Ilse Varga"]
    assert {a["id"] for a in by_table["articles"]} == {q["article_id"] for q in by_table["quotes"]}
    assert {o["name"] for o in by_table["organizations"]} == {"Ministry of Water"}
    copy = str(tmp_path / "copy.db")
    assert run("--db", copy, "import", str(exported)).exit_code == 0
    mine = json.loads(run("--db", copy, "list", "--format", "json").stdout)
    theirs = json.loads(run("--db", source, "list", "--speaker", "Varga", "--format", "json").stdout)
    assert mine == theirs


def test_csv_export_is_one_row_per_quote_and_cannot_be_imported(source, tmp_path):
    out = run("--db", source, "export", "--format", "csv", "--country", "HU").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["text"] for r in rows} == {"The dam will hold", "the reservoir was full", "fishing would stop"}
    dam = next(r for r in rows if r["text"] == "The dam will hold")
    assert (dam["speaker"], dam["outlet"], dam["published"], dam["organization"]) == (
        "Ilse Varga", "River News", "2022-04-01", "Ministry of Water")
    path = tmp_path / "hu.csv"
    path.write_text(out)
    result = run("--db", str(tmp_path / "new.db"), "import", str(path))
    assert result.exit_code == 1 and "csv exports cannot be imported" in result.stderr


def test_import_from_standard_input(source, tmp_path):
    exported = run("--db", source, "export").stdout
    copy = str(tmp_path / "copy.db")
    result = run("--db", copy, "import", "-", input=exported)
    assert result.exit_code == 0, result.output
    assert dump(copy)["quotes"] == dump(source)["quotes"]


def _broken(export: str, how: str) -> str:
    lines = export.splitlines()
    if how == "not json":
        return "this is not an export\n"
    if how == "other json":
        return json.dumps({"hello": "world"}) + "\n"
    if how == "newer schema":
        head = json.loads(lines[0])
        head["schema"] = "9999future"
        return "\n".join([json.dumps(head)] + lines[1:]) + "\n"
    if how == "bad line":
        return "\n".join(lines[:3] + ["{not json"] + lines[3:]) + "\n"
    if how == "unknown column":
        row = json.loads(lines[-2])  # the last row, before the end line
        row["colour"] = "blue"
        return "\n".join(lines[:-2] + [json.dumps(row), lines[-1]]) + "\n"
    if how == "bad date":
        rows = [json.loads(line) for line in lines]
        for row in rows:
            if row.get("_table") == "articles":
                row["published"] = "the fifth of May"
        return "\n".join(json.dumps(r) for r in rows) + "\n"
    if how == "unknown table":
        return "\n".join(lines[:-1] + [json.dumps({"_table": "recipes", "id": 1}), lines[-1]]) + "\n"
    raise AssertionError(how)


@pytest.mark.parametrize("how, words", [
    ("not json", ["not a quotes export"]), ("other json", ["not a quotes export"]),
    ("newer schema", ["9999future", "upgrade"]), ("bad line", [":4:", "invalid JSON"]),
    ("unknown column", ["colour"]), ("bad date", ["published", "not a valid value"]),
    ("unknown table", ["recipes"]),
])
def test_a_broken_export_is_a_one_line_error_and_imports_nothing(source, tmp_path, how, words):
    path = tmp_path / "broken.jsonl"
    path.write_text(_broken(run("--db", source, "export").stdout, how))
    target = str(tmp_path / "target.db")
    result = run("--db", target, "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    assert all(not rows for rows in dump(target).values())  # all or nothing


def test_missing_file_is_a_one_line_error(tmp_path):
    result = run("--db", str(tmp_path / "x.db"), "import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code != 0 and "nope.jsonl" in result.stderr and "Traceback" not in result.output


def test_sqlite_to_postgresql_and_back_loses_nothing_and_the_ids_go_on(source, tmp_path, pg_url, make_extraction):
    """An export moves a database between backends; after an import keeping the ids, PostgreSQL's id
    sequences follow them, so the next article stored gets new ids instead of a duplicate key."""
    exported = tmp_path / "all.jsonl"
    assert run("--db", source, "export", "-o", str(exported)).exit_code == 0
    imported = run("--db", pg_url, "import", str(exported))
    assert imported.exit_code == 0, imported.output
    back = tmp_path / "back.jsonl"
    assert run("--db", pg_url, "export", "-o", str(back)).exit_code == 0
    assert without_time(back.read_text()) == without_time(exported.read_text())  # dates, counters, ids alike
    assert run("--db", pg_url, "list", "--format", "json").stdout == run("--db", source, "list", "--format", "json").stdout
    fill(pg_url, make_extraction, texts=[('“We start on Monday,” said Nora Quist.', [("We start on Monday", "Nora Quist",
                                                                                       "direct")], dict())],
         corrections=True)
    rows = json.loads(run("--db", pg_url, "list", "--format", "json").stdout)
    assert len(rows) == 6 and len({r["id"] for r in rows}) == 6

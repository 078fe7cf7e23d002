"""The command line, through click's CliRunner on temporary databases."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store.db import open_database, session_factory
from quotes.store.storing import store_extraction

REPO = Path(__file__).resolve().parent.parent

TEXT_1 = ('“The bridge will open in spring,” said Mira Holt, the transport minister of Norway. '
          'Critics were unconvinced. “It is a bridge to nowhere,” said Pavel Sykes of the Harbour Party.')
TEXT_2 = ('Holt repeated that the bridge was “fully funded”. The Coastal Council said the costs '
          'had doubled.')


@pytest.fixture
def populated(database, make_extraction):
    """A database with two articles, three speakers and four quotes, on each backend; returns its path or
    URL."""
    engine = open_database(database)
    with session_factory(engine)() as session:
        store_extraction(session, make_extraction(
            TEXT_1, [("The bridge will open in spring", "Mira Holt", "direct"),
                     ("It is a bridge to nowhere", "Pavel Sykes", "direct")],
            [Sp("Mira Holt", aliases=["Holt"], title="transport minister",
                organization="Norwegian Ministry of Transport", country="NO"),
             Sp("Pavel Sykes", aliases=["Sykes"], organization="Harbour Party")],
            source="one.txt", title="Bridge to open"))
        store_extraction(session, make_extraction(
            TEXT_2, [("fully funded", "Holt", "partial"),
                     ("the costs had doubled", "Coastal Council", "indirect")],
            [Sp("Holt"), Sp("Coastal Council", "organization", country="NO")], source="two.txt"))
    engine.dispose()
    return database


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def assert_one_line_error(result, *words):
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("command", ["ingest", "extract", "list", "search", "speakers", "show", "eval"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"quotes {command}" in result.stdout


def test_list_table_is_aligned_and_fits_the_terminal(populated):
    result = run("--db", populated, "list", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 4
    assert all(len(line) <= 60 for line in lines)
    assert lines[0].split() == ["id", "article", "speaker", "country", "kind", "quote"]
    assert "…" in result.stdout  # long quotes were cut to fit


def test_list_json_is_one_array_with_the_contract_fields(populated):
    result = run("--db", populated, "list", "--format", "json")
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 4
    assert rows[0]["file"] == "one.txt" and rows[0]["speaker"] == "Mira Holt"
    assert rows[0]["title"] == "transport minister" and rows[0]["country"] == "NO"
    assert {r["speaker"] for r in rows} == {"Mira Holt", "Pavel Sykes", "Coastal Council"}


def test_list_jsonl_and_csv(populated):
    lines = run("--db", populated, "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["direct", "direct", "partial", "indirect"]
    table = list(csv.DictReader(io.StringIO(run("--db", populated, "list", "--format", "csv").stdout)))
    assert [row["text"] for row in table] == [json.loads(line)["text"] for line in lines]


@pytest.mark.parametrize("args, speakers", [
    (["--speaker", "holt"], {"Mira Holt"}),
    (["--country", "Norway"], {"Mira Holt", "Coastal Council"}),
    (["--country", "no"], {"Mira Holt", "Coastal Council"}),
    (["--org", "harbour party"], {"Pavel Sykes"}),
    (["--org", "Coastal Council"], {"Coastal Council"}),
    (["--kind", "partial"], {"Mira Holt"}),
    (["--speaker", "Holt", "--kind", "direct"], {"Mira Holt"}),
])
def test_list_filters(populated, args, speakers):
    rows = json.loads(run("--db", populated, "list", *args, "--format", "json").stdout)
    assert {r["speaker"] for r in rows} == speakers


def test_list_article_and_limit(populated):
    rows = json.loads(run("--db", populated, "list", "--article", "2", "--format", "json").stdout)
    assert {r["file"] for r in rows} == {"two.txt"}
    assert len(json.loads(run("--db", populated, "list", "--limit", "1", "--format", "json").stdout)) == 1


def test_unknown_country_is_one_line_error(populated):
    assert_one_line_error(run("--db", populated, "list", "--country", "Atlantis"), "Atlantis")


def test_empty_result_says_so_on_stderr(populated):
    result = run("--db", populated, "list", "--speaker", "nobody")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No quotes found" in result.stderr
    assert run("--db", populated, "list", "--speaker", "nobody", "--format", "json").stdout.strip() == "[]"


def test_search_finds_words_and_respects_filters(populated):
    rows = json.loads(run("--db", populated, "search", "bridge", "--format", "json").stdout)
    assert {r["speaker"] for r in rows} == {"Mira Holt", "Pavel Sykes"}
    rows = json.loads(run("--db", populated, "search", "bridge", "--speaker", "Sykes",
                          "--format", "json").stdout)
    assert [r["text"] for r in rows] == ["It is a bridge to nowhere"]


def test_malformed_search_is_one_line_error(populated):
    assert_one_line_error(run("--db", populated, "search", '"bridge'), "cannot search")


def test_speakers_lists_each_speaker_once(populated):
    rows = json.loads(run("--db", populated, "speakers", "--format", "json").stdout)
    assert [r["name"] for r in rows] == ["Mira Holt", "Coastal Council", "Pavel Sykes"]
    assert rows[0]["n_quotes"] == 2 and rows[0]["n_articles"] == 2
    assert rows[0]["organizations"] == ["Norwegian Ministry of Transport"]
    org_rows = json.loads(run("--db", populated, "speakers", "--org", "Harbour", "--format", "json").stdout)
    assert [r["name"] for r in org_rows] == ["Pavel Sykes"]
    assert "Mira Holt" in run("--db", populated, "speakers", "--country", "NO").stdout


def test_show_one_quote_as_text_and_json(populated):
    result = run("--db", populated, "show", "2")
    assert result.exit_code == 0
    assert "It is a bridge to nowhere" in result.stdout
    assert "Pavel Sykes" in result.stdout and "one.txt" in result.stdout
    shown = json.loads(run("--db", populated, "show", "2", "--format", "json").stdout)
    assert shown["id"] == 2 and shown["article"]["title"] == "Bridge to open"
    assert shown["context"] == TEXT_1  # one paragraph, no sentence bounds stored
    assert_one_line_error(run("--db", populated, "show", "99"), "no quote with id 99")


def test_db_option_after_the_command_and_from_the_environment(populated):
    assert len(json.loads(run("list", "--db", populated, "--format", "json").stdout)) == 4
    assert len(json.loads(run("list", "--format", "json", env={"QUOTES_DB": populated}).stdout)) == 4


def test_database_newer_than_the_code_is_one_line_error(populated):
    engine = open_database(populated)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'abc999future'"))
    engine.dispose()
    assert_one_line_error(run("--db", populated, "list"), "newer version")


def test_file_that_is_not_a_database_is_one_line_error(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database at all " * 50)
    assert_one_line_error(run("--db", str(bogus), "speakers"), "cannot open database")


def test_query_commands_never_import_spacy(populated):
    code = (
        "import sys\n"
        "from quotes.cli import main\n"
        f"for args in (['list'], ['search', 'bridge'], ['speakers'], ['show', '1']):\n"
        f"    try:\n"
        f"        main(['--db', {populated!r}, *args, '--format', 'json'])\n"
        f"    except SystemExit as exc:\n"
        f"        assert not exc.code, exc.code\n"
        "assert 'spacy' not in sys.modules, 'spacy was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": ""}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("[") >= 3


# -- commands that run the extractor (real pipeline, loaded once by the nlp fixture) -------------

ARTICLE = ('Harbour fees rise again\n\n'
           '“We have no other way to pay for the new quay,” said Tove Lindqvist, the harbour director. '
           'She said the fees would be reviewed next year.\n\n'
           'Fishermen disagreed. “This will drive boats away,” said Erik Sand, a trawler captain.\n')


def _write_articles(folder: Path) -> list[str]:
    (folder / "news").mkdir()
    (folder / "news" / "fees.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "news" / "other.txt").write_text(ARTICLE.replace("quay", "pier").replace("Sand", "Berge"),
                                               encoding="utf-8")
    return ["news/fees.txt", "news/other.txt"]


def test_ingest_stores_articles_reports_bad_files_and_skips_known_ones(nlp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = _write_articles(tmp_path)
    db = str(tmp_path / "ingest.db")

    result = run("--db", db, "ingest", *paths, "missing.txt")
    assert result.exit_code == 1  # one file failed; the others were stored
    assert "missing.txt" in result.stderr
    assert "2 articles added" in result.stderr and "1 skipped" in result.stderr

    again = run("ingest", "--db", db, "news")
    assert again.exit_code == 0, again.output
    assert "2 unchanged" in again.stderr and "0 articles added" in again.stderr

    rows = json.loads(run("--db", db, "list", "--format", "json").stdout)
    assert {r["file"] for r in rows} <= set(paths)
    with sqlite3.connect(db) as conn:  # every stored quote is verbatim article text
        for start, end, text, article_text in conn.execute(
                "SELECT q.start, q.end, q.text, a.text FROM quotes q JOIN articles a ON a.id = q.article_id"):
            assert article_text[start:end] == text
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_extract_prints_the_contract_without_storing(nlp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = _write_articles(tmp_path)
    result = run("extract", paths[0])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    keys = ["file", "start", "end", "text", "kind", "speaker", "speaker_mention", "speaker_start",
            "speaker_end", "speaker_kind", "title", "organization", "country", "country_source", "cue", "confidence"]
    for row in rows:
        assert list(row)[:len(keys)] == keys
        assert row["file"] == "news/fees.txt"
        assert row["text"] in ARTICLE
    as_json = json.loads(run("extract", paths[0], "--format", "json").stdout)
    assert as_json == rows
    assert not list(tmp_path.glob("*.db"))

    bad = run("extract", paths[0], "nope.txt")
    assert bad.exit_code == 1 and "nope.txt" in bad.stderr


def test_eval_prints_the_scores_as_json(nlp, tmp_path):
    start = ARTICLE.index("We have")
    end = ARTICLE.index(",” said Tove")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "d1", "text": ARTICLE, "quotes": [
        {"start": start, "end": end, "text": ARTICLE[start:end], "kind": "direct",
         "speaker": "Tove Lindqvist"}]}) + "\n")
    result = run("eval", str(gold))
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["docs"] == 1
    assert {"quoted", "all"} <= set(scores)


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_tables_fit_the_width_and_give_the_quote_the_most_room(width):
    from quotes.query import output

    rows = [{"id": i, "speaker": "Somebody With A Very Long Name " * 2, "kind": "indirect",
             "text": "words " * 60} for i in range(3)]
    lines = output.table(rows, ["id", "speaker", "kind", "text"], width=width, stretch="text")
    assert all(len(line) <= width for line in lines)
    id_width, speaker_width, kind_width, quote_width = map(len, lines[1].split())
    assert quote_width >= speaker_width and kind_width == len("indirect")
    assert output.table(rows[:1], ["id", "kind"], width=width) == ["id  kind", "--  --------", " 0  indirect"]


def test_an_article_that_fails_extraction_is_reported_and_the_rest_goes_in(tmp_path, db_path, nlp, monkeypatch):
    """A crash inside extraction for one article skips that article only, with a one-line reason."""
    from click.testing import CliRunner

    import quotes.pipeline.extract as extract_module
    from quotes.cli import main

    real = extract_module.quotes_in_doc

    def flaky(article, doc):
        if "boom" in article.text:
            raise ValueError("synthetic failure")
        return real(article, doc)

    monkeypatch.setattr(extract_module, "quotes_in_doc", flaky)
    (tmp_path / "a.txt").write_text('“We will win,” Maria Lopez said.\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text('boom “This fails,” Carl Berg said.\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(db_path), "ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 1
    assert "b.txt: extraction failed (ValueError: synthetic failure)" in result.output
    listed = CliRunner().invoke(main, ["--db", str(db_path), "list", "--format", "json"])
    assert [q["speaker"] for q in __import__("json").loads(listed.output)] == ["Maria Lopez"]


def test_extract_offsets_point_into_the_file_as_given(tmp_path, nlp):
    """Normalisation changes the text (here a non-breaking space and CRLF line ends); the printed
    offsets and text still match the file."""
    import json

    from click.testing import CliRunner

    from quotes.cli import main

    raw = 'Notice\u200b board\r\n\r\n“We\u00a0will win,” Maria Lopez said.\r\n'
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    text = path.read_bytes().decode("utf-8")
    assert text[row["start"]:row["end"]] == row["text"] == "We\u00a0will win,"
    assert text[row["speaker_start"]:row["speaker_end"]] == row["speaker_mention"] == "Maria Lopez"

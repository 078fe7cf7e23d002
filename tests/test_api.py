"""The public Python API: quotes.extract / extract_many, quotes.open's facade, records and to_records."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import quotes
from quotes.cli import main

REPO = Path(__file__).resolve().parents[1]
TEXT = ("“We will build the bridge next year,” said Transport Minister Ana Lima on Monday. "
        "The opposition leader Tom Reed said the plan was “a waste of money”.")
#: A headline, the story, and a line of page furniture that the clean-up drops.
PAGE = f"Bridge plan divides the coast\n\n{TEXT}\n\nShare this article"


def _mojibake(text: str) -> str:
    """``text`` as UTF-8 bytes wrongly decoded as Windows-1252 (what a mis-set charset gives)."""
    import ftfy.bad_codecs  # noqa: F401 (registers sloppy-windows-1252, which maps every byte)

    return text.encode("utf-8").decode("sloppy-windows-1252")


def test_extract_a_string_gives_typed_records_with_offsets_into_it(nlp):
    found = quotes.extract(TEXT, nlp=nlp)
    assert all(isinstance(q, quotes.QuoteRecord) for q in found)
    assert [(q.speaker, q.kind) for q in found][:1] == [("Ana Lima", "direct")]
    assert {q.speaker for q in found} == {"Ana Lima", "Tom Reed"}
    for q in found:
        assert TEXT[q.start:q.end] == q.text
        assert TEXT[q.speaker_start:q.speaker_end] == q.speaker_mention
    assert found[0].title == "Transport Minister" and found[0].cue == "said" and 0 < found[0].confidence <= 1


def test_offsets_map_back_to_mojibake_as_given(nlp):
    broken = _mojibake(PAGE)
    assert "â€œ" in broken
    clean, dirty = quotes.extract(PAGE, nlp=nlp), quotes.extract(broken, nlp=nlp)
    assert len(dirty) == len(clean) > 0
    for a, b in zip(clean, dirty):
        assert broken[b.start:b.end] == b.text  # the text as given, mojibake and all
        assert _mojibake(a.text) == b.text  # the same quote as in the clean text
        assert (b.speaker, b.kind, b.speaker_mention) == (a.speaker, a.kind, a.speaker_mention)
        assert broken[b.speaker_start:b.speaker_end] == b.speaker_mention


def test_extract_cleans_as_the_command_line_does(nlp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    broken = _mojibake(PAGE)
    Path("page.txt").write_text(broken, encoding="utf-8")
    cli = json.loads(CliRunner().invoke(main, ["extract", "page.txt", "--json"]).stdout)
    api = quotes.to_records(quotes.extract({"text": broken, "source": "page.txt"}, nlp=nlp), flat=False)
    stored_only = {"id", "article_id", "article_title", "outlet", "published", "url"}
    assert [{k: v for k, v in row.items() if k not in stored_only} for row in api] == cli != []


def test_extract_takes_articles_and_records(nlp):
    article = quotes.Article(TEXT, source="a.txt", outlet="Coast News")
    assert [q.file for q in quotes.extract(article, nlp=nlp)] == ["a.txt"] * len(quotes.extract(TEXT, nlp=nlp))
    record = {"text": TEXT, "source": "r1", "published": "2024-05-01"}
    assert [q.text for q in quotes.extract(record, nlp=nlp)] == [q.text for q in quotes.extract(article, nlp=nlp)]
    with pytest.raises(quotes.ExtractionError, match=r"input 1: .*not int"):
        quotes.extract(42, nlp=nlp)
    with pytest.raises(quotes.ExtractionError, match="needs a \"text\" string"):
        quotes.extract({"body": TEXT}, nlp=nlp)


def test_nothing_left_to_read_is_no_quotes(nlp):
    assert quotes.extract("", nlp=nlp) == [] and quotes.extract("Share this article\n", nlp=nlp) == []


def test_extract_many_keeps_input_order_empty_inputs_included(nlp):
    other = "“Prices will fall,” said Mira Holt."
    many = list(quotes.extract_many([TEXT, "", other, "  ", TEXT], nlp=nlp))
    assert [len(found) for found in many] == [len(quotes.extract(TEXT, nlp=nlp)), 0,
                                              len(quotes.extract(other, nlp=nlp)), 0, len(many[0])]
    assert many[2][0].speaker == "Mira Holt" and many[4] == many[0]
    # one article a chunk: enough chunks that two forked workers do the work
    assert list(quotes.extract_many([TEXT, "", other, "  ", TEXT, other], nlp=nlp, workers=2, batch_size=1)) == [
        *many, many[2]]


def test_to_records_gives_flat_rows_of_plain_values(nlp):
    rows = quotes.to_records(quotes.extract_many([TEXT, TEXT], nlp=nlp))
    assert len(rows) == 2 * len(quotes.extract(TEXT, nlp=nlp))
    assert all(list(row) == list(rows[0]) for row in rows)  # one set of columns: a DataFrame's
    assert all(v is None or isinstance(v, (str, int, float)) for row in rows for v in row.values())
    speaker = quotes.SpeakerRecord(1, "Ana Lima", "person", titles=("Minister", "Senator"))
    assert quotes.to_records(speaker)[0]["titles"] == "Minister; Senator"
    assert quotes.to_records([speaker], flat=False)[0]["titles"] == ["Minister", "Senator"]
    assert quotes.to_records({"a": 1}) == [{"a": 1}]


# -- quotes.open --------------------------------------------------------------------------------------

@pytest.fixture
def database(nlp, db_path):
    with quotes.open(db_path) as db:
        result = db.ingest([TEXT, {"text": "“Prices will fall,” said Mira Holt, the Norwegian finance minister.",
                                   "source": "b", "published": date(2024, 5, 2), "outlet": "Coast News"}],
                           nlp=nlp)
        assert (result.added, result.skipped) == (2, [])
        yield db


def test_the_facade_gives_records_not_rows(database):
    listed = list(database.list())
    assert listed and all(isinstance(q, quotes.QuoteRecord) and q.id is not None for q in listed)
    assert {q.speaker for q in listed} >= {"Ana Lima", "Mira Holt"}
    assert [q.outlet for q in database.list(speaker="Mira Holt")] == ["Coast News"]
    assert [q.published for q in database.list(speaker="Mira Holt")] == ["2024-05-02"]
    hits = list(database.search("bridge"))
    assert [h.speaker for h in hits] == ["Ana Lima"] and "bridge" in hits[0].extra["snippet"].lower()
    assert database.who_said("prices will fall")[0].speaker == "Mira Holt"
    people = list(database.speakers())
    assert all(isinstance(p, quotes.SpeakerRecord) for p in people)
    assert {p.name for p in people} >= {"Ana Lima", "Mira Holt", "Tom Reed"}
    assert database.speaker("Mira Holt")["country"] == "NO"
    assert database.stats()["total"]["quotes"] == len(listed)


def test_the_facade_raises_query_errors(database):
    with pytest.raises(quotes.QueryError, match="cannot sort"):
        list(database.list(sort="relevance"))
    with pytest.raises(quotes.QueryError):
        database.speaker("Nobody At All")


def test_ingest_skips_what_is_stored_and_names_what_fails(database, nlp, tmp_path):
    (tmp_path / "c.txt").write_text("“Ferries are late again,” said Ida Strand.", encoding="utf-8")
    result = database.ingest([TEXT, tmp_path / "c.txt", tmp_path / "missing.txt", 7], nlp=nlp)
    assert (result.added, result.unchanged) == (1, 1) and result.quotes >= 1
    assert len(result.skipped) == 2 and "missing.txt" in result.skipped[0] and "input 4" in result.skipped[1]
    assert [q.file for q in database.list(speaker="Ida Strand")] == [str(tmp_path / "c.txt")]


def test_export_writes_what_the_command_writes(database, db_path, tmp_path):
    out = io.StringIO()
    counts = database.export(out, "tsv")
    lines = out.getvalue().splitlines()
    assert counts["quotes"] == len(lines) - 1 == len(list(database.list()))
    database.export(tmp_path / "all.jsonl")
    cli = CliRunner().invoke(main, ["--db", str(db_path), "export"]).stdout
    strip = lambda text: [json.loads(line) for line in text.splitlines()[1:]]  # noqa: E731 (header: a timestamp)
    assert strip((tmp_path / "all.jsonl").read_text(encoding="utf-8")) == strip(cli)


def test_open_without_create_needs_the_file(tmp_path):
    from quotes.store.db import DatabaseError

    with pytest.raises(DatabaseError, match="no such database"):
        quotes.open(tmp_path / "none.db", create=False)


# -- the package itself -------------------------------------------------------------------------------

def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, cwd=REPO, check=True)
    return {m.split(".")[0] for m in json.loads(done.stdout.splitlines()[-1])}


def test_import_quotes_is_light_and_each_name_loads_what_it_needs():
    assert not {"sqlalchemy", "spacy", "click"} & _modules_after("import quotes; quotes.__version__")
    opened = _modules_after("import quotes; quotes.open")
    assert "sqlalchemy" in opened and "spacy" not in opened
    assert not {"sqlalchemy", "spacy"} & _modules_after("import quotes; quotes.extract")  # spaCy: when it runs


def test_every_public_name_resolves_and_is_typed():
    for name in quotes.__all__:
        assert getattr(quotes, name) is not None
    assert set(dir(quotes)) >= set(quotes.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        quotes.nope  # noqa: B018
    assert (REPO / "quotes" / "py.typed").exists()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"quotes" = ["py.typed"]' in pyproject

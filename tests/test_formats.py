"""Ingesting each input format through the command line: HTML pages, JSON, JSON Lines, standard
input, field names, per-run metadata, and a changed article at a known URL."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.reading.batch import count_articles

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
  <meta charset="utf-8">
  <title>Pier to be rebuilt by June | Coast | The Sample Courier</title>
  <meta property="og:title" content="Pier to be rebuilt by June">
  <meta property="og:site_name" content="The Sample Courier">
  <meta name="author" content="Robin Placeholder">
  <meta property="article:published_time" content="2022-09-14T10:00:00Z">
  <link rel="canonical" href="https://courier.example/coast/pier">
  <script>var ads = "never part of the text";</script>
</head><body>
  <nav><a href="/">Home</a> <a href="/coast">Coast</a> <a href="/weather">Weather</a></nav>
  <article>
    <h1>Pier to be rebuilt by June</h1>
    <p>The old pier, closed since a storm in the spring, will be rebuilt before the summer season, the town said on Wednesday.</p>
    <p>“We will rebuild the pier by June, and it will be stronger than before,” said Nora Lind, the harbour director.</p>
    <p>Boat owners said they had lost months of trade while the pier was closed and asked for help from the town.</p>
  </article>
  <footer>© 2022 The Sample Courier. <a href="/privacy">Privacy</a></footer>
</body></html>
"""

STORY = ('Ferries will run every hour from May, the operator said.\n\n'
         '“More boats mean fewer cars on the bridge,” said Karl Osk, the operator’s chief executive.')
OTHER = ('The library will stay open late on Thursdays.\n\n'
         '“Students asked for it and we listened,” said Vera Nyl, the head librarian.')


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def articles(db) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(
            "SELECT id, title, outlet, url, published, author, source, text, n_quotes FROM articles ORDER BY id")]


def quotes(db) -> list[dict]:
    return json.loads(run("--db", db, "list", "--format", "json").stdout)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "q.db")


def test_html_page_main_text_and_metadata(nlp, tmp_path, db):
    page = tmp_path / "pier.html"
    page.write_text(PAGE, encoding="utf-8")
    result = run("--db", db, "ingest", str(page))
    assert result.exit_code == 0, result.output
    assert "1 articles added" in result.stderr
    [art] = articles(db)
    assert (art["title"], art["outlet"], art["author"], art["published"], art["url"]) == (
        "Pier to be rebuilt by June", "The Sample Courier", "Robin Placeholder", "2022-09-14",
        "https://courier.example/coast/pier")
    assert "never part of the text" not in art["text"] and "Weather" not in art["text"]
    [quote] = [q for q in quotes(db) if q["kind"] == "direct"]
    assert quote["text"].startswith("We will rebuild the pier by June")
    assert quote["speaker"] == "Nora Lind" and quote["outlet"] == "The Sample Courier"
    assert quote["published"] == "2022-09-14"


def test_json_lines_json_and_field_names(nlp, tmp_path, db):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([
        json.dumps({"body": STORY, "headline": "Hourly ferries", "meta": {"date": "2023-04-01", "site": "Isle Post"},
                    "link": "https://isle.example/ferries", "by": ["Ann One", "Bo Two"]}),
        "{broken",
        json.dumps({"body": OTHER, "headline": "Late library", "meta": {"date": "2023-04-02"}}),
    ]) + "\n", encoding="utf-8")
    result = run("--db", db, "ingest", str(feed), "--field", "text=body", "--field", "title=headline",
                 "--field", "published=meta.date", "--field", "outlet=meta.site", "--field", "url=link",
                 "--field", "author=by")
    assert result.exit_code == 1  # one bad line; the two good records are in
    assert "feed.jsonl#2" in result.stderr and "2 articles added" in result.stderr
    first, second = articles(db)
    assert (first["title"], first["outlet"], first["published"], first["url"], first["author"]) == (
        "Hourly ferries", "Isle Post", "2023-04-01", "https://isle.example/ferries", "Ann One, Bo Two")
    assert (second["title"], second["published"], second["source"]) == ("Late library", "2023-04-02",
                                                                        f"{feed}#3")
    assert {q["speaker"] for q in quotes(db) if q["kind"] == "direct"} == {"Karl Osk", "Vera Nyl"}

    records = tmp_path / "records.json"
    records.write_text(json.dumps([{"text": STORY.replace("hour", "half hour"), "outlet": "Ferry Weekly"}]))
    assert run("--db", db, "ingest", str(records)).exit_code == 0
    assert articles(db)[-1]["outlet"] == "Ferry Weekly"


def test_standard_input_text_and_records_with_run_metadata(nlp, db):
    result = run("--db", db, "ingest", "-", "--outlet", "Desk Wire", "--published", "2021-12-24",
                 "--url", "https://wire.example/ferries", input=STORY)
    assert result.exit_code == 0, result.output
    [art] = articles(db)
    assert (art["source"], art["outlet"], art["published"], art["url"]) == (
        "<stdin>", "Desk Wire", "2021-12-24", "https://wire.example/ferries")
    lines = "\n".join(json.dumps({"text": t, "outlet": "Own Outlet"}) for t in (OTHER,)) + "\n"
    result = run("--db", db, "ingest", "-", "--outlet", "Override", input=lines)
    assert result.exit_code == 0, result.output
    assert articles(db)[-1]["outlet"] == "Override"  # the run's metadata wins over the record's


def test_a_known_url_with_new_text_is_updated_not_added(nlp, tmp_path, db):
    url = "https://isle.example/ferries"
    first = tmp_path / "v1.txt"
    first.write_text(STORY, encoding="utf-8")
    assert run("--db", db, "ingest", str(first), "--url", url).exit_code == 0
    assert any("on the bridge" in q["text"] for q in quotes(db))
    second = tmp_path / "v2.txt"
    second.write_text(STORY.replace("More boats mean fewer cars on the bridge",
                                    "More boats mean fewer cars and less noise"), encoding="utf-8")
    result = run("--db", db, "ingest", str(second), "--url", url)
    assert result.exit_code == 0, result.output
    assert "0 articles added, 1 updated" in result.stderr
    [art] = articles(db)
    assert "less noise" in art["text"] and art["source"] == str(second)
    texts = [q["text"] for q in quotes(db)]
    assert any("less noise" in t for t in texts) and not any("on the bridge" in t for t in texts)
    assert art["n_quotes"] == len(texts)
    # the same text again is left alone
    assert "1 unchanged" in run("--db", db, "ingest", str(second), "--url", url).stderr


def test_url_for_several_articles_is_refused(tmp_path, db):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    result = run("--db", db, "ingest", str(tmp_path), "--url", "https://x.example/1")
    assert result.exit_code == 2 and "--url names one article, but the input holds 2" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, words", [
    (["--field", "body"], ["NAME=KEY"]),
    (["--field", "colour=body"], ["unknown field", "colour"]),
    (["--published", "2021-13-01"], ["--published", "YYYY-MM-DD"]),
    (["--published", "2021"], ["--published"]),
])
def test_bad_ingest_options_are_one_line_errors(tmp_path, db, args, words):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    result = run("--db", db, "ingest", str(tmp_path / "a.txt"), *args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert any(all(w in line for w in words) for line in result.stderr.splitlines()), result.stderr


def test_extract_takes_the_same_input_options(nlp, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"body": STORY}) + "\n", encoding="utf-8")
    result = run("extract", str(feed), "--field", "text=body", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("file,start,end,text,kind,speaker,")
    assert "Karl Osk" in result.stdout


def test_summary_reports_counts_and_rate(nlp, tmp_path, db):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    result = run("--db", db, "ingest", str(tmp_path / "a.txt"))
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("1 articles added, 0 updated, 0 unchanged;")
    assert " in " in summary and "articles/s" in summary


def test_count_articles_sizes_up_a_batch_for_the_progress_bar(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("x")
    (tmp_path / "news" / "b.html").write_text("<p>x</p>")
    (tmp_path / "news" / "notes.md").write_text("not picked up from a folder")
    (tmp_path / "news" / ".hidden.txt").write_text("x")
    (tmp_path / "feed.jsonl").write_text('{"text": "a"}\n\n{"text": "b"}\n{bad\n')
    (tmp_path / "list.json").write_text('[{"text": "a"}, {"text": "b"}]')
    (tmp_path / "broken.json").write_text('[{"text": ')
    (tmp_path / "empty").mkdir()
    paths = [str(tmp_path / p) for p in ("news", "feed.jsonl", "list.json", "broken.json", "empty", "missing.txt")]
    assert count_articles(paths) == 2 + 3 + 2 + 1 + 1 + 1
    assert count_articles(["-"]) is None

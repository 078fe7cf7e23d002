"""Input people actually have: legacy encodings read (and said), dates as feeds and CMS exports write them."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.reading.sources import parse_date

STORY = '"Les cr\u00eapes sont pr\u00eates," said Chef Ren\u00e9e Dubois of the caf\u00e9.'


def test_a_cp1252_text_file_is_read_and_the_encoding_said(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(STORY.replace('"', "\u201c", 1).replace('," ', ",\u201d ").encode("cp1252"))
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert f"{path}: not UTF-8; read as cp1252" in result.stderr
    [quote] = [json.loads(line) for line in result.stdout.splitlines()]
    assert quote["text"] == "Les cr\u00eapes sont pr\u00eates," and quote["speaker"] == "Ren\u00e9e Dubois"


def test_a_latin1_jsonl_feed_is_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    records = [json.dumps({"text": STORY.replace("Dubois", name)}, ensure_ascii=False)
               for name in ("Dubois", "L\u00e9ger")]
    path.write_bytes(("\n".join(records) + "\n").encode("latin-1"))
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("not UTF-8; read as cp1252") == 1  # once for the file, not per record
    speakers = [json.loads(line)["speaker"] for line in result.stdout.splitlines()]
    assert speakers == ["Ren\u00e9e Dubois", "Ren\u00e9e L\u00e9ger"]


@pytest.mark.parametrize("written", [
    "Tue, 19 Sep 2023 10:00:00 GMT", "Tue, 19 Sep 2023 23:30:00 -0500", "September 19, 2023", "19 September 2023",
    "Sept. 19, 2023", "2023-09-19T10:00:00+02:00", "2023-09-19T10:00:00Z", "2023-09-19", "19/09/2023",
    "2023/09/19",
])
def test_dates_as_feeds_write_them(written):
    assert parse_date(written) == date(2023, 9, 19)


@pytest.mark.parametrize("written", ["September 2023", "2023", "19 September", "2023-13-01", "last Tuesday",
                                     "1" * 500, "Tue, 99 Foo 2023"])
def test_what_is_not_a_whole_date_is_refused(written):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(written)


def test_a_feed_date_is_stored_and_an_unreadable_one_names_the_record_and_field(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"text": STORY, "published": "Tue, 19 Sep 2023 10:00:00 GMT", "url": "https://example.org/1"},
        {"text": STORY.replace("Dubois", "Martin"), "published": "the day after", "url": "https://example.org/2"},
    ]) + "\n", encoding="utf-8")
    db = str(tmp_path / "q.db")
    result = CliRunner().invoke(main, ["--db", db, "ingest", str(path)])
    assert result.exit_code == 1
    assert f"skipped {path}#2: field 'published': not a date: 'the day after'" in result.stderr
    listed = CliRunner().invoke(main, ["--db", db, "list", "--format", "jsonl"])
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["published"] == "2023-09-19"

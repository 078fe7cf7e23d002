"""Hostile input: each file is refused in one line or handled in bounded time, and the rest of the batch goes in."""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.pipeline import bounds
from quotes.pipeline.extract import extract_many
from quotes.records import Article

GOOD = '"We are ready for the storm," said Mayor Jane Porter.'


def extract_all(nlp, texts, **kw):
    return list(extract_many([Article(t, f"{i}.txt") for i, t in enumerate(texts)], nlp, **kw))


def test_a_run_of_quotation_marks_is_refused_at_once_and_the_rest_extracted(nlp):
    started = time.perf_counter()
    bad, good = extract_all(nlp, ['He said "hi". ' + '"' * 20_000 + " end.", GOOD])
    assert time.perf_counter() - started < 10  # it took 51 s to tokenize before
    assert "20,002" in bad.error and "punctuation" in bad.error and "\n" not in bad.error
    assert good.error is None and [q.speaker for q in good.quotes] == ["Jane Porter"]


def test_long_runs_without_spaces_are_tokenized_in_slices_with_the_same_text(nlp):
    text = "Look at this: " + "ab-" * 2_000 + ' and "that is all," she said.'
    doc = bounds.bounded(nlp)(text)
    assert doc.text == text
    assert max(len(t.text) for t in doc) <= bounds.RUN_CHARS


def test_a_run_of_marks_below_the_limit_is_still_read(nlp):
    [ex] = extract_all(nlp, ["!" * 500 + "\n\n" + GOOD])
    assert ex.error is None and [q.speaker for q in ex.quotes] == ["Jane Porter"]


def test_a_long_sentence_is_extracted_in_bounded_time(nlp):
    text = "The mayor said that " + " ".join(["word"] * 10_000) + ".\n\n" + GOOD
    started = time.perf_counter()
    [ex] = extract_all(nlp, [text])
    assert time.perf_counter() - started < 30
    assert ex.error is None and "Jane Porter" in [q.speaker for q in ex.quotes]


def test_an_article_over_its_time_budget_fails_alone(nlp):
    slow = " ".join(["The committee met again."] * 4_000)
    slow_ex, good_ex = extract_all(nlp, [slow, GOOD], seconds=0.05)
    assert slow_ex.error and "time budget of 0.05 s" in slow_ex.error
    assert good_ex.error is None


@pytest.mark.parametrize("raw", ["abc", "-1"])
def test_a_bad_time_limit_in_the_environment_is_a_clear_error(monkeypatch, raw):
    monkeypatch.setenv(bounds.TIME_LIMIT_ENV, raw)
    if raw == "abc":
        with pytest.raises(ValueError, match="QUOTES_TIME_LIMIT"):
            bounds.time_limit()
    else:
        assert bounds.time_limit() == 0.0


def test_a_speaker_without_letters_is_no_speaker(nlp):
    [ex] = extract_all(nlp, ['"We will win the election next year and everyone knows it," \U0001F600 said on Tuesday.'])
    assert ex.error is None and ex.quotes
    assert all(q.speaker is None and q.speaker_mention is None for q in ex.quotes)


def test_hostile_files_in_a_batch_are_skipped_in_one_line_each(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "deepline.jsonl").write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    (tmp_path / "bigint.jsonl").write_text(json.dumps({"text": GOOD, "published": 2 ** 63}) + "\n"
                                           + '{"text": "x", "n": ' + "9" * 5_000 + "}\n")
    (tmp_path / "marks.txt").write_text('"' * 5_000)
    (tmp_path / "good.txt").write_text(GOOD)
    db = str(tmp_path / "q.db")
    result = CliRunner().invoke(main, ["--db", db, "ingest", *sorted(str(p) for p in tmp_path.iterdir()
                                                                    if p.suffix != ".db")])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 5, result.output
    assert any("deep.json: JSON nested too deeply" in line for line in skipped)
    assert any("bigint.jsonl#1" in line and "published" in line for line in skipped)
    assert any("bigint.jsonl#2" in line and "digits" in line for line in skipped), skipped
    speakers = CliRunner().invoke(main, ["--db", db, "speakers", "--format", "json"])
    assert "Jane Porter" in speakers.output


def test_the_time_limit_option_is_checked(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.txt"), "--time-limit", "-3"])
    assert result.exit_code == 2 and "--time-limit" in result.output


HUGE = str(2 ** 63)


@pytest.mark.parametrize("args", [
    ["show", HUGE], ["speaker", HUGE], ["speaker", "#" + HUGE], ["set-speaker", HUGE, "X"],
    ["set-country", HUGE, "DE"], ["rename-speaker", HUGE, "X"], ["merge-speakers", HUGE, "1"],
    ["list", "--limit", HUGE], ["list", "--offset", HUGE], ["list", "--article", HUGE],
    ["reprocess", "--article", HUGE], ["corrections", "--limit", HUGE], ["rename-org", HUGE, "X"],
])
def test_numbers_too_large_for_the_database_are_one_line_errors(db_path, args):
    result = CliRunner().invoke(main, ["--db", str(db_path), *args])
    assert result.exit_code in (1, 2) and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output


def test_a_speaker_name_without_letters_from_anywhere_is_stored_unattributed(session, make_extraction):
    from quotes.records import Speaker
    from quotes.store.storing import store_extraction

    text = '"We will win," \U0001F600 said. "So will we," said Ann Vale.'
    quotes = [("We will win,", "\U0001F600", "direct"), ("So will we,", "Ann Vale", "direct")]
    extraction = make_extraction(text, quotes, [Speaker("\U0001F600"), Speaker("Ann Vale")])
    result = store_extraction(session, extraction)
    assert result.status == "added" and result.n_quotes == 2 and result.speakers == ["Ann Vale"]

"""Writing rows: any iterable streams, and the output is that of the whole list."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from quotes.query import output

ROWS = [{"id": i, "text": "word " * (i % 7) + "“x”\nnext", "names": ["a", "b"][: i % 3], "none": None,
         "score": i / 3, "nested": {"k": [i]}} for i in range(25)]


def _write(rows, fmt, **kwargs):
    out = io.StringIO()
    n = output.write(rows, fmt, out, **kwargs)
    return out.getvalue(), n


@pytest.mark.parametrize("rows", [[], ROWS[:1], ROWS])
def test_json_is_json_dump_of_the_list(rows):
    text, n = _write(iter(rows), "json")
    expected = io.StringIO()
    json.dump(rows, expected, ensure_ascii=False, indent=2, default=str)
    assert text == expected.getvalue() + "\n" and n == len(rows)


@pytest.mark.parametrize("every", [1, 2, 7])
def test_json_in_batches_is_json_dump_of_the_list(monkeypatch, every):
    monkeypatch.setattr(output, "FLUSH_EVERY", every)
    out = _Flushes()
    assert output.write(iter(ROWS), "json", out) == 25
    expected = io.StringIO()
    json.dump(ROWS, expected, ensure_ascii=False, indent=2, default=str)
    assert out.getvalue() == expected.getvalue() + "\n" and len(out.flushed_at) == 1 + -(-24 // every)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table", "json"])
def test_a_generator_writes_what_the_list_writes(fmt):
    kwargs = dict(columns=("id", "text", "score"), headers=("id", "quote", "score"), stretch="text")
    assert _write((r for r in ROWS), fmt, **kwargs) == _write(ROWS, fmt, **kwargs)


def test_json_values_as_the_standard_library_writes_them():
    rows = [{"day": date(2024, 2, 29), "at": datetime(2024, 2, 29, 13, 5, tzinfo=timezone.utc), "n": Decimal("1.50"),
             "text": "Ünïcode “quoted” \u2028 \x00", "pair": ("a", 1), "big": 2**53, "none": None}]
    expected = json.loads(json.dumps(rows, default=str))
    assert json.loads(_write(rows, "json")[0]) == expected
    assert [json.loads(line) for line in _write(rows, "jsonl")[0].split("\n")[:-1]] == expected
    assert expected[0]["at"] == "2024-02-29 13:05:00+00:00" and "Ünïcode “quoted”" in _write(rows, "jsonl")[0]


def test_jsonl_and_csv_rows():
    text, n = _write(iter(ROWS), "jsonl")
    assert [json.loads(line) for line in text.splitlines()] == ROWS and n == 25
    text, n = _write(iter(ROWS), "csv")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == 25 == n and parsed[2]["names"] == "a; b" and parsed[0]["none"] == ""
    assert _write(iter([]), "csv", columns=("id", "text")) == ("id,text\n", 0)


def test_a_long_table_is_sized_on_its_first_rows(monkeypatch):
    monkeypatch.setattr(output, "TABLE_SAMPLE", 3)
    rows = [{"id": 1, "text": "ab"}, {"id": 2, "text": "abc"}, {"id": 3, "text": "a"},
            {"id": 40, "text": "a much longer text"}]
    text, n = _write(iter(rows), "table", columns=("id", "text"))
    lines = text.splitlines()
    assert n == 4 and lines[0] == "id  text" and lines[1] == "--  ----"
    assert lines[-1] == "40  a m…"  # cut to the width measured on the first three rows
    monkeypatch.setattr(output, "TABLE_SAMPLE", 1000)
    assert _write(iter(rows), "table", columns=("id", "text"))[0].splitlines()[-1] == "40  a much longer text"


class _Flushes(io.StringIO):
    def __init__(self):
        super().__init__()
        self.flushed_at: list[int] = []

    def flush(self):
        self.flushed_at.append(self.getvalue().count("\n"))


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
@pytest.mark.parametrize("rows", [[], ROWS])
def test_json_to_a_utf8_stream_is_what_text_would_be_after_what_was_written_before(fmt, rows):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    out.write("before\n")  # still in the text layer: it must come first
    n = output.write(iter(rows), fmt, out)
    out.write("after\n")
    out.flush()
    text, m = _write(rows, fmt)
    assert raw.getvalue().decode("utf-8") == "before\n" + text + "after\n" and n == m == len(rows)


def test_json_to_a_stream_of_another_encoding_goes_through_its_text_layer():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-16", newline="\n")
    output.write(iter(ROWS), "jsonl", out)
    out.flush()
    assert raw.getvalue().decode("utf-16") == _write(ROWS, "jsonl")[0]


def test_rows_are_flushed_as_they_come(monkeypatch):
    monkeypatch.setattr(output, "FLUSH_EVERY", 10)
    out = _Flushes()
    output.write(iter(ROWS), "jsonl", out)
    assert out.flushed_at[:3] == [1, 10, 20]  # the first row at once, then every FLUSH_EVERY


def test_numbers_after_the_sized_rows_are_never_cut(monkeypatch):
    monkeypatch.setattr(output, "TABLE_SAMPLE", 2)
    rows = [{"id": 7, "n": 1}, {"id": 8, "n": 2}, {"id": 12345, "n": 3}]
    lines = _write(iter(rows), "table", columns=("id", "n"))[0].splitlines()
    assert lines[2] == " 7  1" and lines[-1] == "12345  3"  # wider than its column, whole

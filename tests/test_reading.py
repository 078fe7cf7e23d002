"""Reading files, folders and standard input: documents out, one-line errors for bad input."""
from __future__ import annotations

import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from quotes.reading import sources
from quotes.reading.sources import InputError, RawDocument, read_paths

FIXTURES = Path(__file__).parent / "fixtures"


def read(*paths, **kw):
    return list(read_paths([str(p) for p in paths], **kw))


def only_error(results) -> InputError:
    assert len(results) == 1 and isinstance(results[0], InputError), results
    err = results[0]
    assert "\n" not in str(err)
    assert str(err) == f"{err.source}: {err.problem}"
    return err


def test_plain_text():
    [doc] = read(FIXTURES / "plain.txt")
    assert isinstance(doc, RawDocument)
    assert doc.source == str(FIXTURES / "plain.txt")
    assert doc.text.startswith("Council approves new cycle lanes")
    assert doc.title is None  # plain text carries no metadata; normalize() finds the title


def test_plain_text_with_bom_and_unknown_extension(tmp_path):
    path = tmp_path / "article.md"
    path.write_bytes(b"\xef\xbb\xbfHeadline here\n\nBody text.\n")
    [doc] = read(path)
    assert doc.text == "Headline here\n\nBody text.\n"


def test_html_text_and_metadata():
    [doc] = read(FIXTURES / "article.html")
    assert isinstance(doc, RawDocument), doc
    assert doc.title == "Harbour bridge reopens after repairs"
    assert doc.published == date(2021, 3, 4)
    assert doc.author == "Jane Placeholder"
    assert doc.outlet == "The Example Gazette"
    assert doc.url == "https://gazette.example/city/harbour-bridge-reopens"
    paragraphs = doc.text.split("\n\n")
    assert any(p.startswith("“We are delighted") for p in paragraphs)
    assert any(p.startswith("Commuters had faced") for p in paragraphs)
    assert "tracking" not in doc.text and "Privacy" not in doc.text and "Sport" not in doc.text


def test_html_in_a_declared_legacy_charset(tmp_path):
    body = "<p>" + "Der Bürgermeister sagte, die Brücke sei wieder offen und alle seien froh darüber. " * 3 + "</p>"
    html = f'<html><head><meta charset="iso-8859-1"><title>Brücke</title></head><body><article>{body}</article></body></html>'
    path = tmp_path / "page.htm"
    path.write_bytes(html.encode("latin-1"))
    [doc] = read(path)
    assert isinstance(doc, RawDocument), doc
    assert "Bürgermeister" in doc.text


def test_jsonl_records_and_sources():
    path = FIXTURES / "records.jsonl"
    first, second = read(path)
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert first.title == "Ferries sail again"
    assert first.url == "https://news.example/ferries"
    assert first.published == date(2022, 5, 10)
    assert first.outlet == "Example News" and first.author == "Chris Writer"
    assert "\n\n“We are glad" in first.text
    assert second.published == date(2022, 5, 11) and second.title is None


def test_json_array_and_single_object():
    path = FIXTURES / "records.json"
    a, b = read(path)
    assert (a.source, a.title) == (f"{path}#1", "Pass closed again")
    assert b.published == date(2020, 12, 1)
    [single] = read(FIXTURES / "single.json")
    assert single.source == str(FIXTURES / "single.json")
    assert (single.title, single.outlet) == ("River floods streets", "Valley Post")


def test_json_field_mapping():
    fields = {"text": "body", "title": "headline", "published": "date", "outlet": "meta.site"}
    [doc] = read(FIXTURES / "mapped.jsonl", fields=fields)
    assert isinstance(doc, RawDocument), doc
    assert doc.text.startswith("A new library opened")
    assert (doc.title, doc.published, doc.outlet) == ("Library opens", date(2023, 1, 14), "Harbour Times")
    # without the mapping the record has no text field, and the error names the one it looked for
    err = only_error(read(FIXTURES / "mapped.jsonl"))
    assert err.source.endswith("mapped.jsonl#1") and "'text'" in err.problem and "body" in err.problem


def test_unknown_field_name_is_a_usage_error():
    with pytest.raises(ValueError, match="bogus"):
        read_paths(["x"], fields={"bogus": "y"})


def test_folder_recursive_sorted_known_extensions(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article text.")
    (tmp_path / "a.txt").write_text("First article text.")
    (tmp_path / "c.jsonl").write_text('{"text": "Third article text."}\n')
    (tmp_path / "README.md").write_text("Not an article.")
    (tmp_path / "notes.csv").write_text("x,y")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    docs = read(tmp_path)
    assert [d.text for d in docs] == ["First article text.", "Third article text.", "Second article text."]
    assert docs[0].source == os.path.join(str(tmp_path), "a.txt")


def test_folder_with_one_bad_file_among_good_ones(tmp_path):
    (tmp_path / "1.txt").write_text("Good one.")
    (tmp_path / "2.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "3.txt").write_text("Good two.")
    results = read(tmp_path)
    assert [type(r).__name__ for r in results] == ["RawDocument", "InputError", "RawDocument"]
    assert results[1].source.endswith("2.txt") and "binary" in results[1].problem


def test_empty_folder(tmp_path):
    err = only_error(read(tmp_path))
    assert err.source == str(tmp_path) and "no article files" in err.problem


def test_several_paths_keep_order_and_go_on_after_errors(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Some article.")
    results = read(tmp_path / "missing.txt", good, FIXTURES / "single.json")
    assert isinstance(results[0], InputError) and "no such file" in results[0].problem
    assert [r.text[:4] for r in results[1:]] == ["Some", "The "]


@pytest.mark.parametrize("content, expected", [
    (b"", "empty file"),
    (b"  \n\t\n", "only whitespace"),
    (b"text\x00with NUL", "binary file"),
])
def test_empty_and_binary_files(tmp_path, content, expected):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    err = only_error(read(path))
    assert err.source == str(path) and expected in err.problem


def test_latin1_is_read_and_the_encoding_said(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Line one\nCaf\u00e9 au lait".encode("latin-1"))
    [doc] = read(path)
    assert doc.text == "Line one\nCaf\u00e9 au lait" and doc.encoding == "cp1252"


def test_invalid_utf8_that_no_encoding_reads_says_where(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(b"Line one\nabc" + bytes(range(128, 256)) * 3)
    err = only_error(read(path))
    assert "UTF-8" in err.problem and "offset 12" in err.problem and "line 2" in err.problem


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    err = only_error(read(path, max_chars=50))
    assert "too large" in err.problem and "500" in err.problem
    [doc] = read(path, max_chars=500)
    assert isinstance(doc, RawDocument)
    # far over the limit: refused from its size, without reading it
    err = only_error(read(path, max_chars=10))
    assert "too large" in err.problem


def test_too_large_json_record(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"text": "short"}\n{"text": "%s"}\n' % ("x" * 100))
    ok, err = read(path, max_chars=50)
    assert isinstance(ok, RawDocument) and isinstance(err, InputError)
    assert err.source == f"{path}#2" and "too large" in err.problem


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_permissions(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("text")
    path.chmod(0)
    try:
        err = only_error(read(path))
    finally:
        path.chmod(0o644)
    assert "permission denied" in err.problem


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("text")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(sources, "open", denied, raising=False)
    err = only_error(read(path))
    assert err.source == str(path) and "permission denied" in err.problem


def test_missing_path_and_non_regular_file(tmp_path):
    err = only_error(read(tmp_path / "nope.txt"))
    assert err.source == str(tmp_path / "nope.txt") and "no such file" in err.problem
    if shutil.which("mkfifo") or hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)
        assert "not a regular file" in only_error(read(fifo)).problem


def test_html_without_article_text(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a> <a href='/b'>Sport</a></nav>"
                    "<footer>Contact us</footer></body></html>")
    err = only_error(read(path))
    assert err.source == str(path) and "no article text" in err.problem


def test_malformed_json_names_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"text": "fine"},\n  {"text": "broken" "x"}\n]\n')
    err = only_error(read(path))
    assert err.source == str(path) and "invalid JSON at line 3" in err.problem


def test_malformed_jsonl_line_others_still_read(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "one"}\n\n{"text": oops}\n{"title": "no text"}\n[1, 2]\n{"text": "five"}\n')
    results = read(path)
    assert [r.text for r in results if isinstance(r, RawDocument)] == ["one", "five"]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [e.source for e in errors] == [f"{path}#3", f"{path}#4", f"{path}#5"]
    assert "invalid JSON on line 3" in errors[0].problem
    assert "no 'text' field" in errors[1].problem and "title" in errors[1].problem
    assert "not a JSON object" in errors[2].problem
    assert all("\n" not in str(e) for e in errors)


@pytest.mark.parametrize("record, expected", [
    ('{"text": 42}', "not a string"),
    ('{"text": "   "}', "empty"),
    ('{"text": "ok", "published": "last Tuesday"}', "not a date"),
    ('{"text": "ok", "title": ["a"]}', "'title'"),
])
def test_bad_record_fields(tmp_path, record, expected):
    path = tmp_path / "r.jsonl"
    path.write_text(record + "\n")
    err = only_error(read(path))
    assert err.source == f"{path}#1" and expected in err.problem


def test_json_that_is_not_records(tmp_path):
    path = tmp_path / "n.json"
    path.write_text("42")
    assert "expected a JSON object" in only_error(read(path)).problem
    path.write_text("[]")
    assert "no records" in only_error(read(path)).problem


def test_published_datetime_forms():
    assert sources.parse_date("2021-03-04T08:15:00+02:00") == date(2021, 3, 4)
    assert sources.parse_date("2021-03-04 08:15") == date(2021, 3, 4)
    assert sources.parse_date("2021-03-04T08:15:00.123Z") == date(2021, 3, 4)
    assert sources.parse_date(None) is None
    with pytest.raises(ValueError):
        sources.parse_date("March 4")


def test_stdin_plain_text():
    [doc] = read("-", stdin=io.StringIO("Headline\n\nBody of the article."))
    assert doc.source == "<stdin>" and doc.text == "Headline\n\nBody of the article."


def test_stdin_jsonl_and_json():
    lines = '{"text": "first"}\n{"text": "second", "title": "T"}\n'
    docs = read("-", stdin=io.StringIO(lines))
    assert [(d.source, d.text) for d in docs] == [("<stdin>#1", "first"), ("<stdin>#2", "second")]
    docs = read("-", stdin=io.StringIO('{\n  "body": "pretty printed"\n}\n'), fields={"text": "body"})
    assert [d.text for d in docs] == ["pretty printed"]


def test_stdin_bytes_are_checked_like_files():
    binary = io.TextIOWrapper(io.BytesIO(b"abc\x00def"), encoding="utf-8")
    assert "binary" in only_error(read("-", stdin=binary)).problem
    latin = io.TextIOWrapper(io.BytesIO("caf\u00e9 cr\u00e8me".encode("latin-1")), encoding="utf-8")
    [doc] = read("-", stdin=latin)
    assert doc.text == "caf\u00e9 cr\u00e8me" and doc.encoding == "cp1252"
    noise = io.TextIOWrapper(io.BytesIO(b"abc" + bytes(range(128, 256)) * 3), encoding="utf-8")
    err = only_error(read("-", stdin=noise))
    assert err.source == "<stdin>" and "offset 3" in err.problem
    assert "empty" in only_error(read("-", stdin=io.StringIO(""))).problem


def test_input_error_pickles():
    import pickle

    err = pickle.loads(pickle.dumps(InputError("a.txt", "empty file")))
    assert (err.source, err.problem, str(err)) == ("a.txt", "empty file", "a.txt: empty file")

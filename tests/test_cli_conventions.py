"""Command-line conventions shared with sqlite-utils and csvkit: format shortcuts, --no-headers, --width,
-q, -V, tables measured in terminal cells, and a closed pipe ending a command quietly."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store.db import open_database, session_factory
from quotes.store.storing import store_extraction

TEXT = ('“The bridge will open in spring,” said Mira Holt, the transport minister of Norway. '
        '“It is a bridge to nowhere and it will cost the harbour towns far more than anyone admits,” '
        'said Pavel Sykes of the Harbour Party.')
#: Chinese (two cells a character), Arabic with its vowel marks (none), emoji (two), and plain text.
WIDE = [("我们要坚持和平发展道路，这是中国人民的选择", "习近平", "CN"),
        ("مَرْحَبًا بِكُمْ فِي الْمُؤْتَمَرِ الصَّحَفِيِّ الْيَوْمَ", "مُحَمَّد عَلِيّ", "EG"),
        ("We 🎉 celebrate 🚀 every launch 🌍 together with the whole crew", "Ana 🎉 Lima", "BR"),
        ("plain words for a plain quote that runs on", "Tom Reed", "GB")]


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def db(db_path, make_extraction):
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        store_extraction(session, make_extraction(
            TEXT, [("The bridge will open in spring", "Mira Holt", "direct"),
                   ("It is a bridge to nowhere and it will cost the harbour towns far more than anyone admits",
                    "Pavel Sykes", "direct")],
            [Sp("Mira Holt", country="NO"), Sp("Pavel Sykes", organization="Harbour Party")], source="one.txt"))
    engine.dispose()
    return str(db_path)


@pytest.fixture
def wide_db(db_path, make_extraction):
    """Quotes and speakers in Chinese, Arabic with marks, with emoji, and in ASCII."""
    text = " ".join(f"{name} said: “{quote}”." for quote, name, _ in WIDE)
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        store_extraction(session, make_extraction(
            text, [(quote, name, "direct") for quote, name, _ in WIDE],
            [Sp(name, country=country) for _, name, country in WIDE], source="wide.txt"))
    engine.dispose()
    return str(db_path)


@pytest.mark.parametrize("shortcut, fmt", [("--csv", "csv"), ("--tsv", "tsv"), ("--json", "json"), ("--nl", "jsonl")])
@pytest.mark.parametrize("command", [["list"], ["search", "bridge"], ["speakers"], ["stats"]])
def test_each_shortcut_is_its_format(db, command, shortcut, fmt):
    short = run("--db", db, *command, shortcut)
    assert short.exit_code == 0, short.output
    assert short.stdout == run("--db", db, *command, "--format", fmt).stdout != ""


def test_tsv_is_tab_separated_with_a_header(db):
    out = run("--db", db, "list", "--format", "tsv").stdout
    rows = list(csv.DictReader(io.StringIO(out), delimiter="\t"))
    assert out.splitlines()[0].startswith("id\tarticle_id\t")
    assert [r["speaker"] for r in rows] == ["Mira Holt", "Pavel Sykes"]
    assert rows[0]["text"] == "The bridge will open in spring"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "table"])
def test_no_headers_leaves_only_the_rows(db, fmt):
    with_header = run("--db", db, "list", "--format", fmt, "--width", "0").stdout.splitlines()
    without = run("--db", db, "list", "--format", fmt, "--width", "0", "--no-headers").stdout.splitlines()
    assert without == with_header[2 if fmt == "table" else 1:] and len(without) == 2


def test_export_tsv_and_no_headers(db):
    out = run("--db", db, "export", "--tsv").stdout.splitlines()
    assert out[0].split("\t")[:3] == ["id", "text", "kind"] and len(out) == 3
    assert run("--db", db, "export", "--tsv", "--no-headers").stdout.splitlines() == out[1:]
    assert run("--db", db, "export", "--csv").stdout == run("--db", db, "export", "--format", "csv").stdout


def test_extract_and_show_take_the_shortcuts_of_their_formats(db):
    assert json.loads(run("--db", db, "show", "1", "--json").stdout)["speaker"] == "Mira Holt"
    assert "--tsv" in run("extract", "--help").stdout
    assert "--width" not in run("show", "--help").stdout  # not a table: no widths, no headers
    assert run("--db", db, "show", "1", "--csv").exit_code == 2  # show writes no csv


@pytest.mark.parametrize("args", [["--csv", "--json"], ["--nl", "--format", "csv"]])
def test_conflicting_formats_are_a_usage_error(db, args):
    result = run("--db", db, "list", *args)
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_a_shortcut_agreeing_with_format_is_fine(db):
    assert run("--db", db, "list", "--csv", "--format", "csv").exit_code == 0


def test_tables_are_not_cut_off_a_terminal_unless_asked(db):
    long_quote = "It is a bridge to nowhere and it will cost the harbour towns far more than anyone admits"
    piped = run("--db", db, "list").stdout  # CliRunner's stdout is no terminal, and COLUMNS is unset
    assert long_quote in piped and "…" not in piped
    narrow = run("--db", db, "list", "--width", "50").stdout.splitlines()
    assert all(len(line) <= 50 for line in narrow) and narrow[-1].endswith("…")
    assert run("--db", db, "list", "--width", "0", env={"COLUMNS": "50"}).stdout == piped
    assert all(len(line) <= 50 for line in run("--db", db, "list", env={"COLUMNS": "50"}).stdout.splitlines())


def _cells_before(line: str, value: str) -> int:
    return wcswidth(line[:line.index(value)])


@pytest.mark.parametrize("width", ["0", "70", "52"])
def test_wide_characters_line_up_in_terminal_cells(wide_db, width):
    lines = run("--db", wide_db, "list", "--width", width).stdout.splitlines()
    assert len(lines) == 2 + len(WIDE)
    header, body = lines[0], lines[2:]
    # every row's country and kind columns start at the header's cell, whatever the script before them
    for (quote, name, country), line in zip(WIDE, body):
        assert _cells_before(line, f"  {country}  ") == _cells_before(header, "  country")
        assert _cells_before(line, "direct") == _cells_before(header, "kind")
        assert width == "0" or wcswidth(line) <= int(width)
        assert (quote in line) == (width == "0")
    # a cut quote fills its column, or leaves one cell where a two-cell character would not fit
    assert all(wcswidth(lines[1]) - 1 <= wcswidth(line) <= wcswidth(lines[1]) for line in body if line.endswith("…"))


def test_a_cut_arabic_cell_keeps_its_marks_with_their_letters():
    from quotes.query.output import _clip, text_width

    word = "مَرْحَبًا بِكُمْ"
    assert text_width(word) == 9 and len(word) == 16
    cut = _clip(word, 5)
    assert cut.endswith("…") and text_width(cut) <= 5
    assert cut[:-1] == word[:len(cut) - 1] and not "\u064b" <= word[len(cut) - 1] <= "\u0652"  # no orphan mark


def test_quiet_drops_the_summaries(db, tmp_path):
    out = tmp_path / "all.jsonl"
    loud = run("--db", db, "export", "-o", str(out))
    assert "exported 2 quotes" in loud.stderr
    assert run("--db", db, "export", "-o", str(out), "-q").stderr == ""
    copy = str(tmp_path / "copy.db")
    assert run("--db", copy, "import", str(out), "--quiet").stderr == ""
    assert len(json.loads(run("--db", copy, "list", "--json").stdout)) == 2
    people = tmp_path / "people.csv"
    people.write_text("name,country\nIda Strand,NO\n", encoding="utf-8")
    assert run("--db", copy, "people", "import", str(people), "-q").stderr == ""
    assert run("--db", copy, "people", "import", str(tmp_path / "none.csv"), "-q").exit_code == 1  # failures stay


def test_quiet_ingest_reports_failures_only(nlp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "q.db")
    result = run("--db", db, "ingest", "a.txt", "-q")
    assert result.exit_code == 0 and result.stderr == ""
    result = run("--db", db, "ingest", "a.txt", "missing.txt", "--quiet")
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        line for line in result.stderr.splitlines() if "missing.txt" in line] != []
    assert "articles added" in run("--db", db, "ingest", "a.txt").stderr


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_short_version_flag(flag):
    assert run(flag).stdout == "quotes, version 0.1.0\n"
    done = subprocess.run([sys.executable, "-m", "quotes", flag], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "quotes, version 0.1.0\n"


# -- a reader that goes away ---------------------------------------------------------------------------

def _into_closed_pipe(args: list[str], cwd) -> subprocess.CompletedProcess:
    """Run ``quotes ARGS`` with stdout a pipe whose reader is already gone: every write fails (EPIPE)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "quotes", *args], stdout=write, stderr=subprocess.PIPE,
                              text=True, cwd=cwd, timeout=120)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [["list"], ["list", "--format", "jsonl"], ["export"], ["export", "--csv"],
                                  ["speakers"], ["stats"], ["search", "bridge"], ["show", "1"], ["--help"],
                                  ["list", "--help"], ["--version"], ["people", "export"]])
def test_a_closed_pipe_ends_every_command_quietly(db, tmp_path, args):
    done = _into_closed_pipe(["--db", db, *args] if args != ["--version"] else args, tmp_path)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.fixture
def big_db(db_path, make_extraction):
    """One article of 3,000 quotes: far more output than a pipe holds, so the writer is still writing when
    ``head`` leaves."""
    sentences = [f"“Point number {i} is that the bridge must wait,” said Mira Holt." for i in range(3000)]
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        store_extraction(session, make_extraction(
            " ".join(sentences), [(s.split("“")[1].split(",”")[0], "Mira Holt", "direct") for s in sentences],
            [Sp("Mira Holt", country="NO")], source="long.txt"))
    engine.dispose()
    return str(db_path)


@pytest.mark.parametrize("command", ["list", "export"])
def test_head_takes_one_line_and_the_command_exits_0(big_db, tmp_path, command):
    script = f'set -o pipefail; "{sys.executable}" -m quotes --db "{big_db}" {command} | head -1'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    assert len(done.stdout.splitlines()) == 1
    if command == "list":
        assert done.stdout.split()[:2] == ["id", "article"]
    else:
        assert json.loads(done.stdout)["format"] == "quotes-export"

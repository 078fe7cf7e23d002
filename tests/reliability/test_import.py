"""Import refuses a truncated or inconsistent export whole, with one line naming the line; nothing is stored."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.records import Speaker
from quotes.store.db import open_database, session_factory
from quotes.store.storing import store_extraction

TEXTS = [('"The road will open in June," said Rosa Kline, the transport chief.', "The road will open in June,"),
         ('"Prices must fall," Aldo Brisk told the council on Monday.', "Prices must fall,")]


@pytest.fixture
def export_lines(tmp_path, make_extraction) -> list[str]:
    path = tmp_path / "source.db"
    engine = open_database(str(path))
    with session_factory(engine)() as session:
        for n, (body, quoted) in enumerate(TEXTS):
            name = "Rosa Kline" if n == 0 else "Aldo Brisk"
            store_extraction(session, make_extraction(body, [(quoted, name, "direct")], [Speaker(name)],
                                                      source=f"{n}.txt"))
    engine.dispose()
    result = CliRunner().invoke(main, ["--db", str(path), "export", "--format", "jsonl"])
    assert result.exit_code == 0
    return result.stdout.splitlines()


def import_text(tmp_path, text: str):
    path = tmp_path / "broken.jsonl"
    path.write_text(text, encoding="utf-8")
    target = tmp_path / "target.db"
    result = CliRunner().invoke(main, ["--db", str(target), "import", str(path)])
    with sqlite3.connect(target) as con:
        stored = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "quotes", "speakers"))
    return result, stored


def edit(lines: list[str], table: str, **changes) -> list[str]:
    """The lines with the first row of ``table`` changed."""
    out, done = [], False
    for line in lines:
        row = json.loads(line)
        if not done and row.get("_table") == table:
            row.update(changes)
            done = True
            line = json.dumps(row)
        out.append(line)
    return out


def line_of(lines: list[str], table: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if json.loads(line).get("_table") == table)


CASES = {
    "cut at a line end": (lambda ls: ls[:-3], ["truncated export", "stops after line", "cut short"]),
    "cut in a line": (lambda ls: ls[:-2] + [ls[-2][: len(ls[-2]) // 2]], ["invalid JSON", "cut short"]),
    "a row lost": (lambda ls: [ls[0]] + ls[2:], ["inconsistent export", "counts"]),
    "a bad kind": (lambda ls: edit(ls, "quotes", kind="shout"), ["quotes.kind 'shout'", "not one of"]),
    "a text start": (lambda ls: edit(ls, "quotes", start="5"), ["quotes.start '5'", "not an integer"]),
    "a huge number": (lambda ls: edit(ls, "quotes", speaker_start=2 ** 63), ["too large"]),
    "offsets off the text": (lambda ls: edit(ls, "quotes", start=1, end=5), ["does not match its article"]),
    "a row after the end": (lambda ls: ls + [ls[-2]], ["after the export's end line"]),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_export_is_refused_whole_in_one_line(tmp_path, export_lines, case):
    change, words = CASES[case]
    broken = change(list(export_lines))
    result, stored = import_text(tmp_path, "\n".join(broken) + ("" if case == "cut in a line" else "\n"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.jsonl" in lines[0], lines
    for word in words:
        assert word in lines[0], lines[0]
    if case in ("a bad kind", "a text start", "a huge number", "offsets off the text"):
        assert f"broken.jsonl:{line_of(export_lines, 'quotes')}:" in lines[0]
    assert stored == 0


def test_the_same_export_whole_imports(tmp_path, export_lines):
    result, stored = import_text(tmp_path, "\n".join(export_lines) + "\n")
    assert result.exit_code == 0, result.output
    assert stored == 2 + 2 + 2


def test_an_export_from_before_end_lines_still_imports(tmp_path, export_lines):
    head = json.loads(export_lines[0])
    del head["end_line"]
    result, stored = import_text(tmp_path, "\n".join([json.dumps(head)] + export_lines[1:-1]) + "\n")
    assert result.exit_code == 0, result.output
    assert stored == 6


def test_a_json_export_whose_counts_disagree_is_refused(tmp_path, export_lines):
    head = json.loads(export_lines[0])
    rows = [json.loads(line) for line in export_lines[1:-1]]
    tables = {}
    for row in rows:
        tables.setdefault(row.pop("_table"), []).append(row)
    counts = {name: len(rs) for name, rs in tables.items()}
    tables["quotes"].pop()
    path_text = json.dumps({**head, "counts": counts, "tables": tables}, indent=1)
    result, stored = import_text(tmp_path, path_text)
    assert result.exit_code == 1 and "counts 2 quotes rows" in result.stderr and stored == 0

"""The README's Python section runs as written."""
from __future__ import annotations

import re
from pathlib import Path

import spacy

from quotes.config import model_name

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    """The ```python blocks of the README's "## Python" section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Python\n"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def test_the_python_section_runs(nlp, tmp_path, monkeypatch, capsys):
    blocks = python_blocks()
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    if not spacy.util.is_package("en_core_web_sm"):  # the example names the usual model; run it on the installed one
        blocks[1] = blocks[1].replace('"en_core_web_sm"', repr(model_name()))
    for block in blocks:
        exec(compile(block, str(README), "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out.splitlines()
    # a comment after a print() says what it prints
    shown = re.findall(r"print\(.*\)  # (.*)$", blocks[0], re.MULTILINE)
    assert len(shown) == 4 and all(line in printed for line in shown), (shown, printed)
    assert (tmp_path / "example.db").exists()
    assert printed[-1].startswith("The ferry will run all winter, | Ida Strand direct said")

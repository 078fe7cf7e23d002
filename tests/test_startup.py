"""What a command imports before it runs: --version nothing heavy, --help no SQLAlchemy, queries no spaCy."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("click", "sqlalchemy", "alembic", "spacy", "tqdm", "ftfy", "trafilatura", "nameparser", "pycountry")


def _imported(args: list[str], tmp_path: Path) -> tuple[str, set[str]]:
    """Run the quotes command line in a fresh interpreter; its output and the heavy libraries it imported."""
    code = ("import sys, json, io\n"
            f"sys.argv = ['quotes', *{args!r}]\n"
            "from quotes.__main__ import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            f"sys.stderr.write(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "100",
                               "XDG_CACHE_HOME": str(tmp_path / "cache")})
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_version_imports_nothing_heavy(tmp_path):
    out, heavy = _imported(["--version"], tmp_path)
    assert out == "quotes, version 0.1.0\n" and heavy == set()


@pytest.mark.parametrize("args", [["--help"], ["list", "--help"], ["search", "--help"], ["ingest", "--help"]])
def test_help_needs_only_click(tmp_path, args):
    out, heavy = _imported(args, tmp_path)
    assert "Usage: quotes" in out and heavy == {"click"}


def test_a_query_loads_no_spacy(tmp_path):
    out, heavy = _imported(["--db", str(tmp_path / "q.db"), "list", "--format", "json"], tmp_path)
    # the first new database on a machine is migrated (and kept in the cache as a template)
    assert out == "[]\n" and "sqlalchemy" in heavy and "spacy" not in heavy and "alembic" in heavy
    out, heavy = _imported(["--db", str(tmp_path / "q.db"), "list", "--format", "json"], tmp_path)
    assert out == "[]\n" and "alembic" not in heavy  # up to date: opened without Alembic
    out, heavy = _imported(["--db", str(tmp_path / "other.db"), "list", "--format", "json"], tmp_path)
    assert out == "[]\n" and "alembic" not in heavy  # a new one: a copy of the template, no migration


def _run_then(args: list[str], tmp_path: Path, report: str) -> tuple[str, Any]:
    """Run the quotes command line with ``args`` in a fresh interpreter, then the code ``report`` there, which
    sets ``result``: the command's output and that result."""
    code = ("import sys, json\n"
            f"sys.argv = ['quotes', *{args!r}]\n"
            "from quotes.__main__ import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            f"{report}\nsys.stderr.write(json.dumps(result))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def _collector_after(args: list[str], tmp_path: Path) -> dict:
    """The garbage collector's state at the end of a quotes process run with ``args``."""
    return _run_then(args, tmp_path, "import gc\nresult = {'frozen': gc.get_freeze_count(), "
                     "'threshold': gc.get_threshold(), 'full': gc.get_stats()[2]['collections']}")[1]


def test_a_query_process_freezes_what_it_set_up_and_makes_no_full_collection(tmp_path):
    import gc

    db = str(tmp_path / "q.db")
    _collector_after(["--db", db, "list"], tmp_path)  # created and migrated
    state = _collector_after(["--db", db, "list", "--format", "json"], tmp_path)
    assert state["frozen"] > 10_000 and state["full"] == 0
    assert state["threshold"][:2] == list(gc.get_threshold()[:2]) and state["threshold"][2] > 10**6


def test_extraction_brings_full_collections_back(tmp_path):
    import gc

    page = tmp_path / "a.txt"
    page.write_text('"We will rebuild the bridge," said Mayor Jane Porter.\n', encoding="utf-8")
    state = _collector_after(["extract", str(page)], tmp_path)
    assert state["threshold"] == list(gc.get_threshold())


def test_extraction_leaves_out_spacys_command_line_which_still_loads_when_asked_for(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text('"We will rebuild the bridge," said Mayor Jane Porter.\n', encoding="utf-8")
    out, (left_out, cli_loaded, download, info) = _run_then(["extract", str(page)], tmp_path, (
        "left_out = [m for m in ('spacy.cli', 'spacy.cli.info', 'requests', 'weasel') if m in sys.modules]\n"
        "import spacy, spacy.cli\n"
        "from spacy.cli import download\n"
        "result = [left_out, 'spacy.cli' in sys.modules, callable(download), sorted(spacy.info(markdown=False, "
        "silent=True))]"))
    assert json.loads(out.splitlines()[0])["speaker"] == "Jane Porter"
    assert left_out == [] and cli_loaded and download and "spacy_version" in info


@pytest.fixture
def deferred():
    """Start-up deferral in this process, undone whatever the test does."""
    import gc

    from quotes import startup

    before = gc.get_threshold()
    startup.defer_full_collections()
    yield startup
    startup.resume_full_collections()
    gc.set_threshold(*before)


def test_deferral_holds_back_only_full_collections_and_resume_restores(deferred):
    import gc

    normal = deferred._normal
    assert gc.get_threshold() == (*normal[:2], deferred._DEFERRED) and deferred._watch in gc.callbacks
    deferred.resume_full_collections()
    assert gc.get_threshold() == normal and deferred._watch not in gc.callbacks
    deferred.resume_full_collections()  # twice is harmless
    assert gc.get_threshold() == normal


def test_deferral_ends_by_itself_after_its_cpu_budget(deferred, monkeypatch):
    import gc

    normal = deferred._normal
    monkeypatch.setattr(deferred, "START_UP_CPU_SECONDS", -1.0)
    gc.collect(0)
    assert gc.get_threshold() == normal and deferred._watch not in gc.callbacks


def test_freezing_needs_the_command_lines_start_up(monkeypatch):
    import gc

    from quotes import startup

    monkeypatch.setattr(startup, "_frozen", False)
    count = gc.get_freeze_count()
    startup.freeze_start_up()  # a program importing the package: nothing is frozen
    assert gc.get_freeze_count() == count


def test_extraction_after_start_up_keeps_normal_thresholds(deferred, nlp):
    import gc

    from quotes.pipeline.extract import quotes_in_doc
    from quotes.records import Article

    normal = deferred._normal
    text = '"It is done," said Jane Porter.'
    quotes_in_doc(Article(text, "a.txt"), nlp(text))
    assert gc.get_threshold() == normal

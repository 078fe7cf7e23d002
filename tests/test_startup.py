"""What a command imports before it runs: --version nothing heavy, --help no SQLAlchemy, queries no spaCy."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "100"})
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
    assert out == "[]\n" and "sqlalchemy" in heavy and "spacy" not in heavy and "alembic" in heavy  # new: migrated
    out, heavy = _imported(["--db", str(tmp_path / "q.db"), "list", "--format", "json"], tmp_path)
    assert out == "[]\n" and "alembic" not in heavy  # up to date: opened without Alembic

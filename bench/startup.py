"""How long a query command takes to start, against importing what it cannot do without.

    python bench/startup.py [--db PATH] [--repeat R] [--json]

Runs each command as a whole process (``python -m quotes ...`` from this checkout), interleaved, --repeat
times (default 15), and reports the median CPU time of each process (user + system, os.wait4) and its
ratio to the baselines measured in the same run: ``python -c "import sqlalchemy, click"`` for a query
(target: ``list --limit 1`` <= 1.5 times it), ``python -c "import click"`` for ``--help`` and
``python -c pass`` for ``--version``. It also lists the heavy libraries each command imported. Without --db
a small synthetic database (bench/query_speed.py's, 2,000 quotes) is built in a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

HEAVY = ("click", "sqlalchemy", "alembic", "spacy", "tqdm", "ftfy", "nameparser", "pycountry")


def _cpu_of(cmd: list[str], env: dict) -> float:
    """CPU seconds (user + system) of one whole process."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd[:6])} failed: {err.decode()[-300:]}")
    return usage.ru_utime + usage.ru_stime


def _imported(args: list[str], env: dict) -> list[str]:
    code = ("import sys\n"
            f"sys.argv = ['quotes', *{args!r}]\n"
            "from quotes.__main__ import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return eval(done.stderr.strip().splitlines()[-1])  # noqa: S307  (our own repr of a list of names)


def measure(db: Path, repeat: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="100")
    py = sys.executable
    quotes = [py, "-m", "quotes"]
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import click'": [py, "-c", "import click"],
        "python -c 'import sqlalchemy, click'": [py, "-c", "import sqlalchemy, click"],
        "quotes --version": [*quotes, "--version"],
        "quotes --help": [*quotes, "--help"],
        "quotes list --help": [*quotes, "list", "--help"],
        "quotes list --limit 1": [*quotes, "--db", str(db), "list", "--limit", "1"],
        "quotes search X --limit 1": [*quotes, "--db", str(db), "search", "the", "--limit", "1"],
        "quotes speakers --limit 1": [*quotes, "--db", str(db), "speakers", "--limit", "1"],
    }
    for cmd in commands.values():  # warm-up: byte-code caches, the database migrated
        _cpu_of(cmd, env)
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            runs[name].append(_cpu_of(cmd, env))
    median = {name: statistics.median(r) for name, r in runs.items()}
    baseline = {"quotes --version": "python -c pass", "quotes --help": "python -c 'import click'",
                "quotes list --help": "python -c 'import click'"}
    rows = []
    for name in commands:
        base = baseline.get(name, "python -c 'import sqlalchemy, click'") if name.startswith("quotes") else None
        rows.append({"command": name, "cpu_ms": round(median[name] * 1000, 1), "baseline": base,
                     "ratio": round(median[name] / median[base], 3) if base else None,
                     "imports": _imported(commands[name][3:], env) if name.startswith("quotes") else None})
    return {"repeat": repeat, "commands": rows}


def render(result: dict) -> str:
    lines = [f"median CPU of a whole process over {result['repeat']} interleaved runs",
             f"{'command':38} {'CPU ms':>7}  {'ratio':>6}  baseline / heavy libraries imported"]
    for r in result["commands"]:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else ""
        extra = f"x {r['baseline']}; imports {', '.join(r['imports']) or 'none of them'}" if r["baseline"] else ""
        lines.append(f"{r['command']:38} {r['cpu_ms']:7.1f}  {ratio:>6}  {extra}")
    q = next(r for r in result["commands"] if r["command"] == "quotes list --limit 1")
    lines.append(f"query start-up: quotes list --limit 1 = x{q['ratio']} import sqlalchemy, click (target <= 1.5)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="database to query (default: a small synthetic one)")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    folder = None
    try:
        db = args.db
        if db is None:
            from query_speed import build

            folder = Path(tempfile.mkdtemp(prefix="quotes-startup-"))
            db = folder / "small.db"
            build(db, 2000, 200, 100)
        result = measure(db, max(1, args.repeat))
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=1) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time quotes' extraction against the bare spaCy parse it rests on.

    python bench/speed.py GOLD.jsonl|FOLDER [--limit N] [--workers N] [--repeat R] [--process] [--json]

On the same articles: the parse alone (nlp.pipe of quotes' pipeline), the full extraction
(extract_many, one process), their ratio (target <= 1.1), words per second, the CPU of storing the
extractions into a new database as ingest does (store_extraction(knowledge=True)) against that of
extracting them, peak memory (ru_maxrss), and with --workers N > 1 the speed-up of
extract_many(workers=N) over workers=1.
Each timing is the best of --repeat runs, parse and extraction interleaved, after a warm-up.

With --process, whole processes on the articles written as .txt files to a temporary folder, interleaved,
CPU time (user + system of the process and its workers, os.wait4): ``quotes extract FILES`` against a
bare parse process (load the pipeline, read the files, nlp.pipe them; target <= 1.08), ``quotes ingest
FILES`` into a new database against ``quotes extract`` (target <= 1.08), and with --workers N the wall-time
speed-up of ``extract -w N`` and ``ingest -w N`` over ``-w 1`` (target >= 1.7 with 2 workers on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, package not installed

from quotes.pipeline.evaluate import load_gold  # noqa: E402
from quotes.records import Article  # noqa: E402

#: extract_many's default batch size; the bare parse uses the same so both do the same work.
BATCH_SIZE = 16


def read_articles(path: Path, limit: int | None) -> list[Article]:
    """Articles from a gold JSONL file (its texts) or from the .txt files of a folder."""
    if path.is_dir():
        files = sorted(path.glob("*.txt"))[:limit or None]
        return [Article(text=f.read_text(encoding="utf-8"), source=str(f)) for f in files]
    return [Article(text=d["text"], source=d["doc_id"]) for d in load_gold(path, limit)]


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


def measure(articles: list[Article], workers: int, repeat: int) -> dict:
    """Run the timings and return the figures."""
    from quotes.pipeline.extract import extract_many
    from quotes.extraction.nlp import load_pipeline

    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline()
    mem = dict(after_load_mib=_maxrss_mib())

    def parse() -> None:
        for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass

    def extract(n: int = 1) -> Callable[[], None]:
        def run() -> None:
            for _ in extract_many(articles, nlp=nlp, workers=n, batch_size=BATCH_SIZE):
                pass
        return run

    # warm-up: first calls pay for lazy initialisation (vectors, lexicon tables, regexes)
    warm = articles[: min(len(articles), 4)]
    for _ in nlp.pipe([a.text for a in warm]):
        pass
    for _ in extract_many(warm, nlp=nlp):
        pass

    extractions = list(extract_many(articles, nlp=nlp, batch_size=BATCH_SIZE))

    def store() -> float:
        """CPU seconds of storing the extractions into a new database, as ingest does (what the database
        knows applied first), the database's creation not counted."""
        from quotes.store import storing
        from quotes.store.db import open_database, session_factory

        folder = Path(tempfile.mkdtemp(prefix="quotes-store-"))
        try:
            engine = open_database(str(folder / "store.db"))
            with session_factory(engine)() as session:
                t0 = time.process_time()
                for extraction in extractions:
                    storing.store_extraction(session, extraction, knowledge=True)
                spent = time.process_time() - t0
            engine.dispose()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return spent

    store()  # warm-up: SQLAlchemy's statement cache, imports
    parse_s, extract_s, extract_cpu, store_cpu = [], [], [], []
    for _ in range(repeat):  # interleaved, so load from other processes hits both alike
        parse_s.append(_timed(parse))
        mem.setdefault("after_parse_mib", _maxrss_mib())
        c0 = time.process_time()
        extract_s.append(_timed(extract(1)))
        extract_cpu.append(time.process_time() - c0)
        store_cpu.append(store())
    mem["after_extract_mib"] = _maxrss_mib()

    out = dict(articles=len(articles), words=words, repeat=repeat,
               parse=_timing(parse_s, words), extract=_timing(extract_s, words),
               ratio_best=round(min(extract_s) / min(parse_s), 3),
               ratio_median=round(statistics.median(extract_s) / statistics.median(parse_s), 3),
               store=dict(best_cpu_s=round(min(store_cpu), 3), median_cpu_s=round(statistics.median(store_cpu), 3),
                          ingest_over_extract=round((min(extract_cpu) + min(store_cpu)) / min(extract_cpu), 3)),
               memory=mem)
    if workers > 1:
        multi_s = [_timed(extract(workers)) for _ in range(repeat)]
        out["workers"] = dict(n=workers, **_timing(multi_s, words),
                              speedup=round(min(extract_s) / min(multi_s), 3),
                              children_maxrss_mib=_maxrss_mib(resource.RUSAGE_CHILDREN))
    return out


BARE_PARSE = """
import sys
from quotes.extraction.nlp import load_pipeline
nlp = load_pipeline()
texts = [open(f, encoding="utf-8").read() for f in sys.argv[1:]]
for _ in nlp.pipe(texts, batch_size=16):
    pass
"""


def _process(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one whole process and the workers it waited for."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(map(str, cmd[:5]))} failed: {err.decode()[-400:]}")
    return usage.ru_utime + usage.ru_stime, wall


def _parallel_bare(cmds: list[list[str]], cwd: Path) -> tuple[float, float]:
    """(CPU, wall) of several bare-parse processes started together, each on its share of the files: what
    this machine's cores give two processes that share nothing (the ceiling of any worker speed-up)."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    t0 = time.perf_counter()
    procs = [subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL) for cmd in cmds]
    cpu = 0.0
    for proc in procs:
        _, _, usage = os.wait4(proc.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
    return cpu, time.perf_counter() - t0


def measure_processes(articles: list[Article], workers: int, repeat: int) -> dict:
    """Whole-process CPU of extract against a bare parse and of ingest against extract; worker speed-ups."""
    folder = Path(tempfile.mkdtemp(prefix="quotes-speed-"))
    try:
        names = []
        for i, a in enumerate(articles):
            name = f"{i:04d}_{Path(a.source).name or 'article'}"[:120].removesuffix(".txt") + ".txt"
            (folder / name).write_text(a.text, encoding="utf-8")
            names.append(name)
        py, quotes = sys.executable, [sys.executable, "-m", "quotes"]
        runs: dict[str, list[tuple[float, float]]] = {}

        def run(name: str, cmd: list[str]) -> None:
            for db in folder.glob("bench.db*"):
                db.unlink()
            runs.setdefault(name, []).append(_process(cmd, folder))

        plan = [("bare parse", [py, "-c", BARE_PARSE, *names]),
                ("extract", [*quotes, "extract", "--format", "jsonl", *names]),
                ("ingest", [*quotes, "ingest", *names, "--db", "bench.db"])]
        if workers > 1:
            plan += [(f"extract -w {workers}", [*quotes, "extract", "--format", "jsonl", "-w", str(workers), *names]),
                     (f"ingest -w {workers}", [*quotes, "ingest", *names, "--db", "bench.db", "-w", str(workers)])]
        shares = [[py, "-c", BARE_PARSE, *names[i::workers]] for i in range(workers)]
        run("warm-up", plan[1][1])
        for _ in range(repeat):
            for name, cmd in plan:
                run(name, cmd)
            if workers > 1:
                runs.setdefault(f"bare parse, {workers} processes", []).append(_parallel_bare(shares, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def med(name: str, k: int) -> float:
        return statistics.median(r[k] for r in runs[name])

    shown = [name for name, _ in plan] + ([f"bare parse, {workers} processes"] if workers > 1 else [])
    out = {name: {"cpu_s": round(med(name, 0), 3), "wall_s": round(med(name, 1), 3),
                  "best_cpu_s": round(min(r[0] for r in runs[name]), 3)} for name in shown}
    out["extract_over_parse_cpu"] = round(med("extract", 0) / med("bare parse", 0), 3)
    out["ingest_over_extract_cpu"] = round(med("ingest", 0) / med("extract", 0), 3)
    # best of the runs too: on a shared VM noise only ever adds CPU time, so the least is the steadiest figure
    out["extract_over_parse_best_cpu"] = round(out["extract"]["best_cpu_s"] / out["bare parse"]["best_cpu_s"], 3)
    out["ingest_over_extract_best_cpu"] = round(out["ingest"]["best_cpu_s"] / out["extract"]["best_cpu_s"], 3)
    if workers > 1:
        out["extract_speedup"] = round(med("extract", 1) / med(f"extract -w {workers}", 1), 3)
        out["ingest_speedup"] = round(med("ingest", 1) / med(f"ingest -w {workers}", 1), 3)
        out["machine_speedup"] = round(med("bare parse", 1) / med(f"bare parse, {workers} processes", 1), 3)
    out["repeat"] = repeat
    out["load_average"] = os.getloadavg()[0]
    return out


def render_processes(p: dict, workers: int) -> str:
    lines = [f"whole processes, medians of {p['repeat']} interleaved runs (load average at the end {p['load_average']:.2f})",
             f"{'process':24} {'CPU s':>8} {'wall s':>8} {'best CPU s':>10}"]
    for name, r in p.items():
        if isinstance(r, dict):
            lines.append(f"{name:24} {r['cpu_s']:8.2f} {r['wall_s']:8.2f} {r['best_cpu_s']:10.2f}")
    lines.append(f"quotes extract / bare parse, CPU   x{p['extract_over_parse_cpu']} on medians, "
                 f"x{p['extract_over_parse_best_cpu']} on the best runs (target <= 1.08)")
    lines.append(f"quotes ingest / quotes extract, CPU x{p['ingest_over_extract_cpu']} on medians, "
                 f"x{p['ingest_over_extract_best_cpu']} on the best runs (target <= 1.08)")
    if workers > 1:
        lines.append(f"-w {workers} speed-up, wall: extract x{p['extract_speedup']}, ingest x{p['ingest_speedup']} "
                     f"(target >= 1.7); the bare parse split over {workers} processes at once: x{p['machine_speedup']} "
                     f"(what this machine gives)")
    return "\n".join(lines)


def _timing(runs: Sequence[float], words: int) -> dict:
    best = min(runs)
    return dict(best_s=round(best, 3), median_s=round(statistics.median(runs), 3),
                words_per_s=round(words / best) if best else None)


def render(r: dict) -> str:
    """The text report."""
    p, e, m = r["parse"], r["extract"], r["memory"]
    lines = [
        f"{r['articles']} articles, {r['words']} words; best (median) of {r['repeat']} runs",
        f"parse (nlp.pipe)        {p['best_s']:8.3f} s ({p['median_s']:.3f})  {p['words_per_s']} words/s",
        f"extract_many workers=1  {e['best_s']:8.3f} s ({e['median_s']:.3f})  {e['words_per_s']} words/s",
        f"ratio extract/parse     {r['ratio_best']:8.3f}   ({r['ratio_median']:.3f} on medians; target <= 1.1)",
        f"storing (ingest's part) {r['store']['best_cpu_s']:8.3f} s CPU ({r['store']['median_cpu_s']:.3f}): "
        f"extract + store / extract = {r['store']['ingest_over_extract']:.3f} (CPU, best; target <= 1.08)",
        f"peak RSS (ru_maxrss)    after load {m['after_load_mib']} MiB, after parse {m['after_parse_mib']} MiB, "
        f"after extract {m['after_extract_mib']} MiB",
    ]
    if "workers" in r:
        w = r["workers"]
        lines.append(f"extract_many workers={w['n']}  {w['best_s']:8.3f} s ({w['median_s']:.3f})  "
                     f"{w['words_per_s']} words/s, speed-up x{w['speedup']} over workers=1, "
                     f"worker peak RSS {w['children_maxrss_mib']} MiB")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path, help="gold JSONL file or folder of .txt articles")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--workers", type=int, default=1, help="also time extract_many(workers=N)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (best and median reported)")
    ap.add_argument("--process", action="store_true",
                    help="time whole processes (extract against a bare parse, ingest against extract, workers)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = ap.parse_args(argv)
    try:
        articles = read_articles(args.path, args.limit)
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8, or not gold JSONL
        print(f"{args.path}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}", file=sys.stderr)
        return 1
    if not articles:
        print(f"{args.path}: no articles", file=sys.stderr)
        return 1
    if args.process:
        result = measure_processes(articles, max(1, args.workers), max(1, args.repeat))
        print(json.dumps(result, indent=1) if args.json else render_processes(result, args.workers))
        return 0
    result = measure(articles, max(1, args.workers), max(1, args.repeat))
    print(json.dumps(result, indent=1) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

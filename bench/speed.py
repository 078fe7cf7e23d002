"""Time quotes' extraction against the bare spaCy parse it rests on.

    python bench/speed.py GOLD.jsonl|FOLDER [--limit N] [--workers N] [--repeat R] [--json]

On the same articles: the parse alone (nlp.pipe of quotes' pipeline), the full extraction
(extract_many, one process), their ratio (target <= 1.1), words per second, peak memory
(ru_maxrss), and with --workers N > 1 the speed-up of extract_many(workers=N) over workers=1.
Each timing is the best of --repeat runs, parse and extraction interleaved, after a warm-up.
"""
from __future__ import annotations

import argparse
import json
import resource
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

    parse_s, extract_s = [], []
    for _ in range(repeat):  # interleaved, so load from other processes hits both alike
        parse_s.append(_timed(parse))
        mem.setdefault("after_parse_mib", _maxrss_mib())
        extract_s.append(_timed(extract(1)))
    mem["after_extract_mib"] = _maxrss_mib()

    out = dict(articles=len(articles), words=words, repeat=repeat,
               parse=_timing(parse_s, words), extract=_timing(extract_s, words),
               ratio_best=round(min(extract_s) / min(parse_s), 3),
               ratio_median=round(statistics.median(extract_s) / statistics.median(parse_s), 3),
               memory=mem)
    if workers > 1:
        multi_s = [_timed(extract(workers)) for _ in range(repeat)]
        out["workers"] = dict(n=workers, **_timing(multi_s, words),
                              speedup=round(min(extract_s) / min(multi_s), 3),
                              children_maxrss_mib=_maxrss_mib(resource.RUSAGE_CHILDREN))
    return out


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
    result = measure(articles, max(1, args.workers), max(1, args.repeat))
    print(json.dumps(result, indent=1) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

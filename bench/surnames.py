"""What settling bare surnames costs when storing: invented articles sharing one surname, against the same
number of articles whose speakers are all full names (nothing to settle), in the same run.

    python bench/surnames.py [--sizes 1000 2000] [--per-article]

Each article quotes "Holm" (every tenth "Maja Holm") and one person of its own; the baseline's articles
quote two people of their own. Both are stored as `quotes ingest` stores them (`settle=False`, one
`storing.settle` at the end, counted in); `--per-article` also times storing the shared-surname articles
with `settle=True` (each settling as it goes: what a batch avoids). Prints CPU seconds and
the ratio to the baseline for each size (target <= 1.15), and the growth from the first size to the last
against the growth of the baseline (linear storing: the same).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quotes.records import Article, Extraction, Quote, Speaker  # noqa: E402
from quotes.store import storing  # noqa: E402
from quotes.store.db import open_database, session_factory  # noqa: E402


def article(i: int, shared: bool) -> Extraction:
    """Article ``i``: a quote of the shared surname (or, for the baseline, of a person of its own) and one of
    another person of its own."""
    who = ("Maja Holm" if i % 10 == 0 else "Holm") if shared else f"Alma{i} Berg{i}"
    other = f"Person{i} Name{i}"
    text = f'"Item {i} is settled," said {who}. "Also {i}," said {other}.'
    quotes = []
    for quoted, speaker in ((f"Item {i} is settled,", who), (f"Also {i},", other)):
        start = text.index(quoted)
        quotes.append(Quote(start, start + len(quoted), quoted, "direct", speaker=speaker, confidence=0.8,
                            method="bench"))
    return Extraction(Article(text=text, source=f"{i}.txt"), quotes,
                      {who: Speaker(who, title="Minister"), other: Speaker(other)})


def store(n: int, shared: bool, batch: bool = True) -> float:
    """CPU seconds to store ``n`` articles into a new database (and settle them)."""
    extractions = [article(i, shared) for i in range(n)]
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"{folder}/bench.db")
        with session_factory(engine)() as session:
            started = time.process_time()
            for extraction in extractions:
                storing.store_extraction(session, extraction, settle=not batch)
            if batch:
                storing.settle(session)
            spent = time.process_time() - started
        engine.dispose()
    return spent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--per-article", action="store_true", help="also store one article at a time, settling each")
    args = parser.parse_args(argv)
    print("CPU seconds: all full names (baseline) / one shared surname, settled at the end = ratio")
    rows = []
    for n in args.sizes:
        base, shared = store(n, False), store(n, True)
        rows.append((n, base, shared))
        line = f"{n:>6} articles: {base:.2f} / {shared:.2f} = {shared / base:.2f}"
        if args.per_article:
            line += f"; settled after every article {store(n, True, batch=False):.2f}"
        print(line)
    if len(rows) > 1:
        (n0, b0, s0), (n1, b1, s1) = rows[0], rows[-1]
        print(f"from {n0} to {n1} articles: baseline x{b1 / b0:.2f}, shared surname x{s1 / s0:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

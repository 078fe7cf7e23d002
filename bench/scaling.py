"""Does extraction cost grow with a document's length, or faster? And its memory?

    python bench/scaling.py GOLD.jsonl [--sizes 1,2,5,10,21,42,84] [--repeat R] [--long-chars N] [--json]
    python bench/scaling.py ../shared/eval/polnear/dev.jsonl

For each size k, the first k articles of the gold file are extracted twice in the same run: as k separate
documents (the baseline) and joined (blank lines between them) into one document. Reported for each, in CPU
seconds (time.process_time, best of --repeat, the two interleaved): ``paragraph_sentences`` alone (on the
tokenised texts), the parse (extraction.nlp.parse_many: long texts in bounded pieces), and the rules
(pipeline.extract.quotes_in_doc on the parses), with the ratio one document / separate documents (target
<= 1.15 at k = all articles). Then peak memory (ru_maxrss of a fresh process that loads the pipeline and
extracts; VmHWM): a normal batch (every article as its own document, extract_many's batches) against one article of
--long-chars characters (default 300,000: the articles joined until that long), target <= 1.2.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout, package not installed

from quotes.pipeline.evaluate import load_gold  # noqa: E402
from quotes.records import Article  # noqa: E402

JOIN = "\n\n"


def _cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def scaling(texts: list[str], sizes: Sequence[int], repeat: int) -> list[dict]:
    from quotes.extraction.nlp import load_pipeline, paragraph_sentences, parse_many
    from quotes.pipeline.extract import quotes_in_doc

    nlp = load_pipeline()
    list(parse_many(nlp, [(t, None) for t in texts[:2]]))  # warm-up: lazy tables, first-call costs
    for doc, text in parse_many(nlp, [(t, t) for t in texts[:2]]):
        quotes_in_doc(Article(text), doc)
    out = []
    for k in sizes:
        parts = texts[:k]
        whole = JOIN.join(parts)
        timings: dict[str, dict[str, list[float]]] = {m: {"separate": [], "one": []}
                                                      for m in ("paragraph_sentences", "parse", "rules")}
        for _ in range(repeat):
            for how, batch in (("separate", parts), ("one", [whole])):
                made = [nlp.make_doc(t) for t in batch]
                timings["paragraph_sentences"][how].append(_cpu(lambda: [paragraph_sentences(d) for d in made]))
                docs: list = []
                timings["parse"][how].append(_cpu(lambda: docs.extend(parse_many(nlp, [(t, t) for t in batch]))))
                timings["rules"][how].append(_cpu(lambda: [quotes_in_doc(Article(t), d) for d, t in docs]))
        row = {"articles": k, "chars": len(whole), "tokens": sum(len(d) for d in made)}
        for measure, t in timings.items():
            sep, one = min(t["separate"]), min(t["one"])
            row[measure] = {"separate_s": round(sep, 3), "one_s": round(one, 3),
                            "ratio": round(one / sep, 3) if sep else None}
        out.append(row)
        print(f"  {k} articles done", file=sys.stderr)
    return out


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent that
    started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _memory_child(gold: str, mode: str, long_chars: int) -> None:
    """In a fresh process: load the pipeline, extract, print the peak RSS in MiB."""
    from quotes.extraction.nlp import load_pipeline
    from quotes.pipeline.extract import extract_many

    texts = [d["text"] for d in load_gold(Path(gold))]
    nlp = load_pipeline()
    loaded = peak_mib()
    if mode == "batch":
        articles = [Article(t) for t in texts]
    else:
        joined, i = [], 0  # the articles joined (again from the first if need be) until long_chars
        while sum(map(len, joined)) + len(JOIN) * len(joined) < long_chars:
            joined.append(texts[i % len(texts)])
            i += 1
        articles = [Article(JOIN.join(joined)[:long_chars])]
    n = sum(len(e.quotes) for e in extract_many(articles, nlp))
    print(json.dumps({"loaded_mib": loaded, "peak_mib": peak_mib(),
                      "chars": max(len(a.text) for a in articles), "articles": len(articles), "quotes": n}))


def memory(gold: Path, long_chars: int) -> dict:
    out = {}
    for mode in ("batch", "long"):
        done = subprocess.run([sys.executable, __file__, str(gold), "--memory-child", mode,
                               "--long-chars", str(long_chars)], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr[-500:])
        out[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    out["ratio"] = round(out["long"]["peak_mib"] / out["batch"]["peak_mib"], 3)
    return out


def render(rows: list[dict], mem: dict | None) -> str:
    lines = ["CPU seconds, best of the runs: k articles as separate documents (baseline) / as one document = ratio",
             f"{'articles':>8} {'chars':>9} {'tokens':>7}  {'paragraph_sentences':>26}  {'parse':>24}  {'rules':>22}"]
    for r in rows:
        cells = [f"{r[m]['separate_s']:.3f} / {r[m]['one_s']:.3f} = {r[m]['ratio']:.2f}"
                 for m in ("paragraph_sentences", "parse", "rules")]
        lines.append(f"{r['articles']:>8} {r['chars']:>9} {r['tokens']:>7}  {cells[0]:>26}  {cells[1]:>24}  {cells[2]:>22}")
    last = rows[-1]
    lines.append(f"all {last['articles']} articles as one document: paragraph_sentences x{last['paragraph_sentences']['ratio']}, "
                 f"parse x{last['parse']['ratio']}, rules x{last['rules']['ratio']} (target <= 1.15 each)")
    if mem:
        b, long = mem["batch"], mem["long"]
        lines.append(f"peak RSS: {b['articles']} articles as separate documents {b['peak_mib']} MiB (pipeline loaded: "
                     f"{b['loaded_mib']}); one article of {long['chars']:,} characters {long['peak_mib']} MiB: "
                     f"x{mem['ratio']} (target <= 1.2)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, help="gold JSONL file")
    ap.add_argument("--sizes", default="1,2,5,10,21,42,84", help="numbers of articles (comma-separated)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--long-chars", type=int, default=300_000, help="length of the long article (memory)")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    ap.add_argument("--memory-child", choices=("batch", "long"), help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.memory_child:
        _memory_child(str(args.gold), args.memory_child, args.long_chars)
        return 0
    texts = [d["text"] for d in load_gold(args.gold)]
    sizes = sorted({min(int(s), len(texts)) for s in args.sizes.split(",") if s.strip()})
    rows = scaling(texts, sizes, max(1, args.repeat))
    mem = None if args.no_memory else memory(args.gold, args.long_chars)
    print(json.dumps({"scaling": rows, "memory": mem}, indent=1) if args.json else render(rows, mem))
    return 0


if __name__ == "__main__":
    sys.exit(main())

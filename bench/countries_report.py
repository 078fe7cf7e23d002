"""How good is each source of a speaker's country? Precision per country_source, and organisation accuracy.

    python bench/countries_report.py GOLD.jsonl [GOLD.jsonl ...] [--track all|quoted] [--errors] [--json]

Runs the extractor on the gold documents and matches predictions with the evaluation protocol
(quotes.pipeline.evaluate, the shared score.py's). For every prediction that is correct and rightly
attributed, and whose gold quote gives a country: was the predicted country right, counted by where it came
from (stated, title, organisation, place, article, ... or none). A source is worth keeping when what it
says is right (the README asks for >= 0.95 for every source kept); a wrong country is worse than none.
--errors lists each wrong or missing country and organisation with its document.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, package not installed

from quotes.pipeline.evaluate import TRACKS, load_gold, match_document, org_match, predict  # noqa: E402

#: Every source kept must be at least this precise.
MIN_PRECISION = 0.95


def report(docs: list[dict], preds: dict[str, list[dict]], track: str) -> dict:
    """Per-source country counts and organisation accuracy, with the errors behind them."""
    by_source: dict[str, Counter] = defaultdict(Counter)
    orgs = Counter()
    errors: list[dict] = []
    for doc in docs:
        match = match_document(doc, preds.get(doc["doc_id"], []), TRACKS[track])
        for pm in match.predictions:
            if pm.gold is None or not pm.speaker_ok:
                continue
            gold, pred = doc["quotes"][pm.gold], pm.quote
            if "country" in gold and gold.get("speaker"):
                said = pred.get("country") or None
                source = pred.get("country_source") or "none" if said else "none"
                right = said == gold.get("country")
                by_source[source]["right" if right else "wrong"] += 1
                if not right:
                    errors.append(dict(doc=doc["doc_id"], what="country", speaker=gold["speaker"],
                                       gold=gold.get("country"), predicted=said, source=source,
                                       title=pred.get("title"), organization=pred.get("organization")))
            if gold.get("organization") and gold.get("speaker") and gold.get("speaker_kind") == "person":
                right = org_match(pred.get("organization"), gold["organization"])
                orgs["right" if right else "wrong"] += 1
                if not right:
                    errors.append(dict(doc=doc["doc_id"], what="organization", speaker=gold["speaker"],
                                       gold=gold["organization"], predicted=pred.get("organization"),
                                       title=pred.get("title")))
    sources = {}
    for source, n in sorted(by_source.items(), key=lambda kv: -sum(kv[1].values())):
        total = n["right"] + n["wrong"]
        sources[source] = dict(n=total, right=n["right"],
                               precision=round(n["right"] / total, 3) if source != "none" else None)
    counted = sum(s["n"] for s in sources.values())
    right = sum(s["right"] for s in sources.values())
    org_n = orgs["right"] + orgs["wrong"]
    return dict(track=track, country_acc=round(right / counted, 3) if counted else None, countries=counted,
                sources=sources, org_acc=round(orgs["right"] / org_n, 3) if org_n else None, organizations=org_n,
                errors=errors)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+", help="gold JSONL files (e.g. ../shared/eval/wikinews/dev.jsonl)")
    ap.add_argument("--track", choices=sorted(TRACKS), default="all")
    ap.add_argument("--errors", action="store_true", help="list every wrong country and organisation")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from quotes.pipeline.extract import extract_many

    status = 0
    for path in args.gold:
        docs = load_gold(path)
        preds, _ = predict(docs, lambda articles: extract_many(articles))
        result = report(docs, preds, args.track)
        if not args.errors:
            result.pop("errors")
        weak = [s for s, v in result["sources"].items() if v["precision"] is not None and v["precision"] < MIN_PRECISION]
        status |= bool(weak)
        if args.json:
            print(json.dumps({"gold": path, **result}, ensure_ascii=False))
            continue
        print(f"{path} ({args.track} track): country_acc {result['country_acc']} on {result['countries']}, "
              f"org_acc {result['org_acc']} on {result['organizations']}")
        print(f"  {'source':<14}{'n':>5}{'right':>7}{'precision':>11}")
        for source, v in result["sources"].items():
            flag = "  < %.2f" % MIN_PRECISION if source in weak else ""
            precision = "-" if v["precision"] is None else f"{v['precision']:.3f}"
            print(f"  {source:<14}{v['n']:>5}{v['right']:>7}{precision:>11}{flag}")
        for e in result.get("errors", []):
            detail = f"{e['gold']!r} <- {e['predicted']!r}" + (f" [{e['source']}]" if e.get("source") else "")
            print(f"  {e['doc']}  {e['what']:<12} {e['speaker']!r}: {detail}  title={e.get('title')!r}"
                  + (f" org={e['organization']!r}" if e.get("organization") and e["what"] == "country" else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())

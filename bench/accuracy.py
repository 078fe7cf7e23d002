"""Score quotes' extractor, and textacy's direct_quotations beside it, on gold JSONL files.

    python bench/accuracy.py GOLD.jsonl [GOLD2.jsonl ...] [--limit N] [--no-peer] [--json]

Per gold file: P/R/F1, speaker_acc, e2e_f1 and country_acc for each system and track (quoted,
all), recall and attribution by gold kind, and the precision of our predictions by confidence band.
The protocol is quotes.pipeline.evaluate (the shared scorer's). textacy is optional (bench/requirements.txt).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, package not installed

from quotes.pipeline.evaluate import TRACKS, GoldFormatError, load_gold, match_document, predict, report  # noqa: E402
from quotes.records import Article, Extraction, Quote  # noqa: E402

METRICS = ("precision", "recall", "f1", "speaker_acc", "e2e_f1", "country_acc")
HEADERS = ("P", "R", "F1", "spk_acc", "e2e_F1", "country")
#: Lower bounds of the confidence bands of our predictions.
BANDS = (0.0, 0.5, 0.7, 0.9)
#: Stripped from the ends of textacy's content span, which includes the quotation marks.
_MARKS = "“”\"‘’«»'` \t\n"

Predictor = Callable[[list[Article]], list[Extraction]]


def ours() -> Predictor:
    """quotes' own extractor."""
    from quotes.pipeline.extract import extract_many

    return lambda articles: list(extract_many(articles))


def textacy_peer() -> tuple[Predictor | None, str]:
    """textacy's direct_quotations on the configured spaCy model, or None and why it is unavailable."""
    try:
        import spacy
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        return None, f"textacy is not installed ({exc.name}); see bench/README.md"
    from quotes.config import model_name

    # The full pipeline: textacy finds cue verbs by lemma, and quotes' pipeline drops the lemmatizer.
    nlp = spacy.load(model_name())
    label = f"textacy 0.13 direct_quotations on {model_name()} {nlp.meta.get('version', '')}".strip()

    def run(articles: list[Article]) -> list[Extraction]:
        out = []
        for doc, article in nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16):
            ex = Extraction(article)
            try:
                triples = list(direct_quotations(doc))
            except ValueError:  # an odd number of quotation marks: textacy gives up on the document
                triples = []
            ex.quotes.extend(_triple_quote(doc, t) for t in triples)
            out.append(ex)
        return out

    return run, label


def _triple_quote(doc, triple) -> Quote:
    """Map a textacy DQTriple to a Quote: content without its marks, speaker and cue from the tokens."""
    start, end = triple.content.start_char, triple.content.end_char
    raw = doc.text[start:end]
    start += len(raw) - len(raw.lstrip(_MARKS))
    end -= len(raw) - len(raw.rstrip(_MARKS))
    speaker = triple.speaker
    return Quote(
        start, end, doc.text[start:end], "direct",
        speaker=" ".join(t.text for t in speaker),
        speaker_mention=" ".join(t.text for t in speaker),
        speaker_start=min(t.idx for t in speaker),
        speaker_end=max(t.idx + len(t) for t in speaker),
        cue=" ".join(t.text for t in triple.cue),
        method="textacy",
    )


def by_kind(docs: Sequence[dict], preds: dict[str, list[dict]]) -> dict[str, dict]:
    """Recall and attribution per gold kind, in the all track (mixed found by its whole or its quoted part)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for doc in docs:
        for gm in match_document(doc, preds.get(doc["doc_id"], []), TRACKS["all"]).golds:
            if gm.counted:
                c = counts[gm.quote.get("kind")]
                c[0] += 1
                c[1] += gm.found
                c[2] += gm.attributed
    return {kind: dict(gold=n, found=f, attributed=a, recall=_share(f, n), speaker_acc=_share(a, f),
                       attributed_share=_share(a, n))
            for kind, (n, f, a) in sorted(counts.items())}


def by_confidence(docs: Sequence[dict], preds: dict[str, list[dict]]) -> dict[str, dict]:
    """Per confidence band: how many predictions, and the share correct and correct with the right speaker."""
    counts = {b: [0, 0, 0] for b in BANDS}
    for doc in docs:
        for pm in match_document(doc, preds.get(doc["doc_id"], []), TRACKS["all"]).predictions:
            conf = max(pm.quote.get("confidence") or 0.0, 0.0)
            c = counts[max(b for b in BANDS if conf >= b)]
            c[0] += 1
            c[1] += pm.correct
            c[2] += pm.correct and pm.speaker_ok
    uppers = [*BANDS[1:], None]
    return {_band_name(lo, hi): dict(predicted=n, correct=_share(ok, n), attributed=_share(att, n))
            for (lo, (n, ok, att)), hi in zip(counts.items(), uppers)}


def by_method(docs: Sequence[dict], preds: dict[str, list[dict]]) -> dict[str, dict]:
    """Per attribution rule: predictions, share correct, share correct with the right speaker (the figure its
    confidence in ``quotes.extraction.attributions.CONFIDENCE`` is set from, on PolNeAR train), and that confidence."""
    from quotes.extraction.attributions import CONFIDENCE

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for doc in docs:
        for pm in match_document(doc, preds.get(doc["doc_id"], []), TRACKS["all"]).predictions:
            c = counts[pm.quote.get("method") or "?"]
            c[0] += 1
            c[1] += pm.correct
            c[2] += pm.correct and pm.speaker_ok
    return {m: dict(predicted=n, correct=_share(ok, n), attributed=_share(att, n), confidence=CONFIDENCE.get(m))
            for m, (n, ok, att) in sorted(counts.items(), key=lambda kv: -kv[1][0])}


def _band_name(lo: float, hi: float | None) -> str:
    if hi is None:
        return f">={lo}"
    return f"<{hi}" if lo == 0 else f"{lo}-{hi}"


def _share(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def evaluate(path: str, systems: dict[str, Predictor], limit: int | None) -> dict:
    """Run every system on one gold file and collect its scores and breakdowns."""
    docs = load_gold(path, limit)
    out: dict = dict(gold=path, systems={})
    for name, fn in systems.items():
        print(f"{path}: running {name} on {len(docs)} documents", file=sys.stderr)
        preds, wall = predict(docs, fn)
        result = report(docs, preds, wall)
        result["by_kind"] = by_kind(docs, preds)
        if name == "quotes":
            result["by_confidence"] = by_confidence(docs, preds)
            result["by_method"] = by_method(docs, preds)
        out["systems"][name] = result
    return out


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _table(headers: Sequence[str], rows: list[Sequence]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render(result: dict) -> str:
    """The text report of one gold file."""
    systems = result["systems"]
    first = next(iter(systems.values()))
    parts = [f"== {result['gold']}: {first['docs']} docs, {first['words']} words"]
    rows = [[f"{name} / {track}", *(r[track][m] for m in METRICS), r[track]["predicted"], r[track]["gold"]]
            for name, r in systems.items() for track in ("quoted", "all")]
    parts.append(_table(("system / track", *HEADERS, "pred", "gold"), rows))
    rows = [[f"{name} / {kind}", k["gold"], k["recall"], k["speaker_acc"], k["attributed_share"]]
            for name, r in systems.items() for kind, k in r["by_kind"].items()]
    parts.append("by gold kind (all track)\n"
                 + _table(("system / kind", "gold", "recall", "spk_acc", "attributed/gold"), rows))
    if "by_confidence" in systems.get("quotes", {}):
        rows = [[band, b["predicted"], b["correct"], b["attributed"]]
                for band, b in systems["quotes"]["by_confidence"].items()]
        parts.append("quotes by confidence (all track)\n"
                     + _table(("confidence", "pred", "correct", "correct+speaker"), rows))
    if "by_method" in systems.get("quotes", {}):
        rows = [[m, b["predicted"], b["correct"], b["attributed"], b["confidence"]]
                for m, b in systems["quotes"]["by_method"].items()]
        parts.append("quotes by rule (all track)\n"
                     + _table(("rule", "pred", "correct", "correct+speaker", "confidence"), rows))
    speed = ", ".join(f"{name} {r['wall_s']} s ({r['words_per_s']} words/s)" for name, r in systems.items())
    parts.append(f"wall time (parse included): {speed}")
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="+", help="gold JSONL files (one document per line)")
    ap.add_argument("--limit", type=int, help="score only the first N documents of each file")
    ap.add_argument("--no-peer", action="store_true", help="skip textacy")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = ap.parse_args(argv)

    systems: dict[str, Predictor] = {"quotes": ours()}
    peer_note = "peer skipped (--no-peer)"
    if not args.no_peer:
        peer, peer_note = textacy_peer()
        if peer is not None:
            systems["textacy"] = peer

    results, failed = [], False
    for path in args.gold:
        try:
            results.append(evaluate(path, systems, args.limit))
        except (OSError, GoldFormatError) as exc:
            print(f"{path}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}", file=sys.stderr)
            failed = True
    if args.json:
        print(json.dumps(dict(peer=peer_note, results=results), indent=1))
    else:
        print(f"peer: {peer_note}\n")
        print("\n\n".join(render(r) for r in results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

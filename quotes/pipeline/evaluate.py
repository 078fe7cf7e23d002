"""Score extracted quotes against gold JSONL with the evaluation protocol (coverage matching).

The protocol is the one of the shared evaluation scorer: each prediction goes to the gold content
it overlaps most and is *correct* when at least half of it lies there; a gold quote is *found*
when the predictions assigned to it cover at least half of it, and *attributed* when most of those
covering characters come from predictions with the right speaker. Quotation marks never count.
Two tracks: ``quoted`` (quoted gold, judged on its characters inside quotation marks, against
direct/partial predictions) and ``all`` (every attribution against every prediction).
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from quotes.records import Article, Extraction

#: Pronouns never identify a speaker by name.
PRONOUNS = frozenset("he she they it we i you his her their its him them us me".split())
#: Words ignored when comparing names.
STOPWORDS = frozenset("the a an of and to in for on at by with said says mr mrs ms dr".split())
#: Words too generic to identify a speaker when the gold gives canonical names and aliases.
GENERIC_WORDS = frozenset(
    "ministry government officials official administration council president minister foreign "
    "affairs state spokesman spokeswoman".split()
)
#: Words too generic to tell one organisation from another ("Government of Germany" vs "of France" differ).
ORG_GENERIC_WORDS = GENERIC_WORDS | frozenset(
    "united national department office party agency police service republic people new international union "
    "committee commission".split()
)
QUOTE_MARKS = frozenset("“”\"‘’«»'")
#: Characters stripped from a quote's text before looking it up in the article.
_TEXT_STRIP = " “”\"'‘’"
#: A closing single curly quote followed by a letter is an apostrophe, not the end of a quote.
_QUOTE_PAIR = re.compile(r'“[^”]*”|"[^"\n]*"|‘[^’]*’(?!\w)|«[^»]*»')
_WORD = re.compile(r"[a-z0-9]+")

Spans = Iterable[Sequence[int]]
ExtractFn = Callable[[list[Article]], Iterable[Extraction]]


class GoldFormatError(ValueError):
    """A gold file line that is not a gold document."""


@dataclass(frozen=True)
class Track:
    """Which gold and predicted kinds a track compares, and whether gold is cut to its quoted part."""

    gold_kinds: frozenset[str]
    pred_kinds: frozenset[str]
    quoted_only: bool


TRACKS: dict[str, Track] = {
    "quoted": Track(frozenset({"direct", "mixed", "partial"}), frozenset({"direct", "partial", "mixed"}), True),
    "all": Track(frozenset({"direct", "mixed", "partial", "indirect"}),
                 frozenset({"direct", "partial", "mixed", "indirect"}), False),
}


@dataclass
class PredictionMatch:
    """How one prediction fared: the gold it was assigned to (when correct) and its speaker verdict."""

    quote: dict
    gold: int | None  # index into the document's gold quotes; None when not correct
    speaker_ok: bool = False

    @property
    def correct(self) -> bool:
        """At least half of the prediction lies in the gold content it overlaps most."""
        return self.gold is not None


@dataclass
class GoldMatch:
    """How one gold quote fared in a track; ``counted`` is False for quotes the track leaves out."""

    quote: dict
    counted: bool
    found: bool = False
    attributed: bool = False


@dataclass
class DocumentMatch:
    """The matching of one document's predictions against its gold, in one track."""

    predictions: list[PredictionMatch]
    golds: list[GoldMatch]


def load_gold(path: str | Path, limit: int | None = None) -> list[dict]:
    """Read gold documents (one JSON object per line), the first ``limit`` of them when given."""
    docs: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except ValueError as exc:
                raise GoldFormatError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            if not isinstance(doc, dict) or not {"doc_id", "text", "quotes"} <= doc.keys():
                raise GoldFormatError(f"{path}:{lineno}: a gold document needs doc_id, text and quotes")
            docs.append(doc)
            if limit and len(docs) >= limit:
                break
    return docs


def char_set(spans: Spans) -> set[int]:
    """Character positions covered by ``[start, end)`` spans."""
    out: set[int] = set()
    for start, end in spans:
        out.update(range(start, end))
    return out


def name_words(name: str | None) -> set[str]:
    """Lower-cased words of a name that can tell speakers apart (no stop words, no single letters)."""
    return {w for w in _WORD.findall((name or "").lower()) if len(w) > 1 and w not in STOPWORDS}


def locate(quote: dict, text: str) -> set[int]:
    """Characters a predicted quote covers: its offsets when they agree with its text, else where its text occurs."""
    start, end, said = quote.get("start"), quote.get("end"), quote.get("text") or ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        inner = text[start:end]
        if not said or said.strip(_TEXT_STRIP) in inner or inner.strip(_TEXT_STRIP) in said:
            return set(range(start, end))
    core = said.strip(_TEXT_STRIP)
    at = text.find(core) if core else -1
    return set(range(at, at + len(core))) if at >= 0 else set()


def gold_speaker_spans(gold: dict) -> list[Sequence[int]]:
    """The gold source mention(s), from ``speaker_spans`` or ``speaker_start``/``speaker_end``."""
    if gold.get("speaker_spans"):
        return gold["speaker_spans"]
    if gold.get("speaker_start") is not None:
        return [[gold["speaker_start"], gold["speaker_end"]]]
    return []


def speaker_ok(pred: dict, gold: dict) -> bool:
    """Whether a prediction names the gold speaker.

    Gold with ``aliases`` (hand-made: canonical names) wants a distinctive shared name word;
    gold without them (PolNeAR: the mention itself) accepts an overlapping mention or a shared
    non-pronoun name word.
    """
    if "aliases" in gold:
        if gold.get("speaker") is None:  # nobody to get wrong
            return True
        wanted: set[str] = set()
        for name in [gold["speaker"], *(gold.get("aliases") or [])]:
            wanted |= name_words(name)
        return bool((wanted - PRONOUNS - GENERIC_WORDS) & (name_words(pred.get("speaker")) - PRONOUNS - GENERIC_WORDS))
    mention = char_set(gold_speaker_spans(gold))
    start, end = pred.get("speaker_start"), pred.get("speaker_end")
    if mention and isinstance(start, int) and isinstance(end, int) and mention & set(range(start, end)):
        return True
    wanted = name_words(gold.get("speaker")) - PRONOUNS
    return bool(wanted & (name_words(pred.get("speaker")) - PRONOUNS))


def org_match(pred: str | None, gold: str | None) -> bool:
    """Right organisation for a person whose gold names one: a distinctive word, or a five-letter stem of one,
    in common ("Hungarian Government" ~ "Government of Hungary"; generic words such as "ministry" don't count)."""
    if not gold:
        return not pred
    wanted, given = name_words(gold) - ORG_GENERIC_WORDS, name_words(pred) - ORG_GENERIC_WORDS
    if not wanted:
        return bool(pred)
    return bool(wanted & given) or bool({w[:5] for w in wanted if len(w) >= 5} & {w[:5] for w in given if len(w) >= 5})


def quoted_chars(text: str, chars: set[int]) -> set[int]:
    """The part of ``chars`` inside a pair of quotation marks lying within (or just around) them."""
    if not chars:
        return set()
    lo, hi = min(chars), max(chars) + 1
    inside: set[int] = set()
    # Only pairs within one character of the content count, so a quote is judged on its own marks.
    for m in _QUOTE_PAIR.finditer(text, max(0, lo - 1), min(len(text), hi + 1)):
        inside.update(range(m.start(), m.end()))
    return inside & (chars | {lo - 1, hi})


def _assign(pchars: set[int], gold_chars: Sequence[set[int]]) -> int | None:
    """Index of the gold that a prediction's characters overlap most (ties: the smallest gold)."""
    best, best_key = None, (0, 0)
    for gi, gchars in enumerate(gold_chars):
        key = (len(pchars & gchars), -len(gchars))
        if key[0] and key > best_key:
            best, best_key = gi, key
    return best


def match_document(doc: dict, preds: Sequence[dict], track: Track) -> DocumentMatch:
    """Assign one document's predictions to its gold quotes and judge each gold quote, in ``track``."""
    text, golds = doc["text"], doc["quotes"]
    marks = {i for i, ch in enumerate(text) if ch in QUOTE_MARKS}
    content = [char_set(g.get("spans") or [[g["start"], g["end"]]]) - marks for g in golds]
    quoted = [quoted_chars(text, c) - marks for c in content]
    # per gold: covered character -> whether some prediction covering it has the right speaker
    cover: list[dict[int, bool]] = [{} for _ in golds]

    matches = []
    for pred in preds:
        if (pred.get("kind") or "direct") not in track.pred_kinds:
            continue
        pchars = locate(pred, text) - marks
        gi = _assign(pchars, content)
        if gi is None or 2 * len(pchars & content[gi]) < len(pchars):
            matches.append(PredictionMatch(pred, None))
            continue
        ok = speaker_ok(pred, golds[gi])
        matches.append(PredictionMatch(pred, gi, ok))
        for c in pchars & content[gi]:
            cover[gi][c] = cover[gi].get(c, False) or ok

    outcomes = []
    for gi, gold in enumerate(golds):
        target = quoted[gi] if track.quoted_only else content[gi]
        counted = gold.get("kind") in track.gold_kinds and gold.get("required") is not False and bool(target)
        outcome = GoldMatch(gold, counted)
        if counted:
            # mixed gold is also found through its quoted part alone
            alt = quoted[gi] if not track.quoted_only and gold.get("kind") == "mixed" else set()
            covered = cover[gi].keys()
            outcome.found = _half_covered(target, covered) or bool(alt and _half_covered(alt, covered))
            right = sum(cover[gi].values())
            outcome.attributed = outcome.found and 2 * right > len(cover[gi])
        outcomes.append(outcome)
    return DocumentMatch(matches, outcomes)


def _half_covered(chars: set[int], covered: Iterable[int]) -> bool:
    """At least half of ``chars`` is covered."""
    return 2 * len(chars & set(covered)) >= len(chars)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(docs: Sequence[dict], preds_by_doc: Mapping[str, Sequence[dict]], track: str) -> dict:
    """Score predictions (quote dicts keyed by doc_id) against gold documents in track 'quoted' or 'all'."""
    spec = TRACKS[track]
    npred = correct = ngold = found = attributed = 0
    country_n = country_ok = org_n = org_ok = 0
    for doc in docs:
        m = match_document(doc, preds_by_doc.get(doc["doc_id"], []), spec)
        npred += len(m.predictions)
        for pm in m.predictions:
            if not pm.correct:
                continue
            correct += 1
            gold = doc["quotes"][pm.gold]
            if pm.speaker_ok and "country" in gold and gold.get("speaker"):
                country_n += 1
                country_ok += (pm.quote.get("country") or None) == gold.get("country")
            if pm.speaker_ok and gold.get("organization") and gold.get("speaker") and gold.get("speaker_kind") == "person":
                org_n += 1
                org_ok += org_match(pm.quote.get("organization"), gold["organization"])
        for gm in m.golds:
            ngold += gm.counted
            found += gm.found
            attributed += gm.attributed
    p, r, acc = _ratio(correct, npred), _ratio(found, ngold), _ratio(attributed, found)
    # end to end: a prediction counts only when also rightly attributed
    e2e = _f1(p * acc, _ratio(attributed, ngold))
    return dict(predicted=npred, correct=correct, gold=ngold, found=found, attributed=attributed,
                precision=round(p, 3), recall=round(r, 3), f1=round(_f1(p, r), 3),
                speaker_acc=round(acc, 3), e2e_f1=round(e2e, 3),
                country_acc=round(country_ok / country_n, 3) if country_n else None,
                org_acc=round(org_ok / org_n, 3) if org_n else None)


def predict(docs: Sequence[dict], extract_fn: ExtractFn) -> tuple[dict[str, list[dict]], float]:
    """Run ``extract_fn`` on the gold texts; return quote dicts by doc_id and the wall time in seconds."""
    articles = [Article(text=d["text"], source=d["doc_id"]) for d in docs]
    t0 = time.perf_counter()
    extractions = list(extract_fn(articles))
    wall = time.perf_counter() - t0
    if len(extractions) != len(docs):
        raise ValueError(f"the extractor returned {len(extractions)} results for {len(docs)} articles")
    return {d["doc_id"]: ex.quote_dicts() for d, ex in zip(docs, extractions)}, wall


def report(docs: Sequence[dict], preds_by_doc: Mapping[str, Sequence[dict]], wall: float) -> dict:
    """The scorer's result object: corpus size, speed and both tracks."""
    words = sum(len(d["text"].split()) for d in docs)
    return dict(docs=len(docs), words=words, wall_s=round(wall, 2),
                words_per_s=round(words / wall) if wall else None, unparsable_lines=0,
                quoted=score(docs, preds_by_doc, "quoted"), all=score(docs, preds_by_doc, "all"))


def evaluate_file(gold_path: str | Path, extract_fn: ExtractFn, limit: int | None = None) -> dict:
    """Extract the gold file's documents with ``extract_fn`` and score them as the shared scorer does."""
    docs = load_gold(gold_path, limit)
    preds, wall = predict(docs, extract_fn)
    return report(docs, preds, wall)

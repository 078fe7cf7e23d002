"""The scoring protocol on small hand-made documents, and agreement with the shared reference scorer."""
from __future__ import annotations

import importlib.util
import json
import random
import re
from pathlib import Path

import pytest

from quotes.pipeline.evaluate import GoldFormatError, evaluate_file, load_gold, score, speaker_ok
from quotes.records import Extraction, Quote, Speaker

REFERENCE_SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "score.py"


def at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``part`` in ``text``."""
    starts = [m.start() for m in re.finditer(re.escape(part), text)]
    return starts[nth], starts[nth] + len(part)


def gold(text: str, part: str, kind: str = "direct", speaker: str | None = "Jane Roe", **extra) -> dict:
    """A gold quote on ``part`` in the hand-made (aliases) style."""
    start, end = at(text, part)
    q = dict(start=start, end=end, text=part, kind=kind, speaker=speaker, aliases=[])
    q.update(extra)
    return q


def pred(text: str, part: str, speaker: str | None = "Jane Roe", kind: str = "direct", **extra) -> dict:
    """A predicted quote on ``part``."""
    start, end = at(text, part)
    q = dict(start=start, end=end, text=part, kind=kind, speaker=speaker)
    q.update(extra)
    return q


def run(text: str, golds: list[dict], preds: list[dict], track: str = "quoted") -> dict:
    return score([dict(doc_id="d", text=text, quotes=golds)], {"d": preds}, track)


TEXT = "Jane Roe said: “We will win this vote easily.” Later she added: “Nobody can stop us now.”"
Q1 = "We will win this vote easily."
Q2 = "Nobody can stop us now."


def test_exact_quotes_rightly_attributed_score_one():
    r = run(TEXT, [gold(TEXT, Q1), gold(TEXT, Q2)], [pred(TEXT, Q1), pred(TEXT, Q2, speaker="Roe")])
    assert (r["predicted"], r["correct"], r["gold"], r["found"], r["attributed"]) == (2, 2, 2, 2, 2)
    assert r["precision"] == r["recall"] == r["f1"] == r["speaker_acc"] == r["e2e_f1"] == 1.0


def test_quotation_marks_in_predicted_span_are_ignored():
    with_marks = pred(TEXT, "“" + Q1 + "”")
    r = run(TEXT, [gold(TEXT, Q1)], [with_marks])
    assert (r["correct"], r["found"]) == (1, 1)


def test_wrong_speaker_is_found_but_not_attributed():
    # p = 1, r = 1/2, speaker_acc = 0 -> e2e 0
    r = run(TEXT, [gold(TEXT, Q1), gold(TEXT, Q2)], [pred(TEXT, Q1, speaker="John Doe")])
    assert (r["precision"], r["recall"], r["f1"]) == (1.0, 0.5, 0.667)
    assert (r["speaker_acc"], r["e2e_f1"]) == (0.0, 0.0)


def test_precision_recall_e2e_hand_computed():
    # three predictions: Q1 right speaker, Q2 wrong speaker, one outside any gold
    preds = [pred(TEXT, Q1), pred(TEXT, Q2, speaker="Ann Other"), pred(TEXT, "Jane Roe said")]
    r = run(TEXT, [gold(TEXT, Q1), gold(TEXT, Q2)], preds)
    # p = 2/3, r = 1, acc = 1/2; e2e: p' = 2/3 * 1/2 = 1/3, r' = 1/2 -> 2 * (1/6) / (5/6) = 0.4
    assert (r["precision"], r["recall"], r["f1"]) == (0.667, 1.0, 0.8)
    assert (r["speaker_acc"], r["e2e_f1"]) == (0.5, 0.4)


def test_partial_coverage_needs_half_of_the_gold():
    short, longer = "We will", "We will win this vote"  # 7 and 21 of 29 characters
    r = run(TEXT, [gold(TEXT, Q1)], [pred(TEXT, short)])
    assert (r["correct"], r["found"]) == (1, 0)  # inside the gold, but covers under half of it
    r = run(TEXT, [gold(TEXT, Q1)], [pred(TEXT, longer)])
    assert (r["correct"], r["found"]) == (1, 1)


def test_prediction_mostly_outside_the_gold_is_wrong_and_covers_nothing():
    # "Jane Roe said: “We will": 7 characters inside the gold, 15 before it
    text = TEXT
    start = 0
    end = text.index("We will") + len("We will")
    p = dict(start=start, end=end, text=text[start:end], kind="direct", speaker="Jane Roe")
    r = run(text, [gold(text, Q1)], [p])
    assert (r["predicted"], r["correct"], r["found"]) == (1, 0, 0)


def test_attribution_follows_most_covering_characters():
    # Q1 split over two predictions: "We will" (7 chars) right speaker, the rest (21 chars) wrong
    rest = "win this vote easily."
    r = run(TEXT, [gold(TEXT, Q1)], [pred(TEXT, "We will"), pred(TEXT, rest, speaker="John Doe")])
    assert (r["found"], r["attributed"]) == (1, 0)
    r = run(TEXT, [gold(TEXT, Q1)], [pred(TEXT, "We will", speaker="John Doe"), pred(TEXT, rest)])
    assert (r["found"], r["attributed"]) == (1, 1)


def test_required_false_is_neither_rewarded_nor_punished():
    golds = [gold(TEXT, Q1), gold(TEXT, Q2, required=False)]
    r = run(TEXT, golds, [pred(TEXT, Q1), pred(TEXT, Q2)])
    assert (r["predicted"], r["correct"], r["gold"], r["found"]) == (2, 2, 1, 1)
    r = run(TEXT, golds, [pred(TEXT, Q1)])
    assert (r["gold"], r["recall"]) == (1, 1.0)


MIXED = "The minister said the agreement was “a real step forward” for both countries."
CLAUSE = "the agreement was “a real step forward” for both countries"
FRAGMENT = "a real step forward"


def test_mixed_gold_is_judged_on_its_quoted_part_in_the_quoted_track():
    g = gold(MIXED, CLAUSE, kind="mixed", speaker="Anna Minister")
    r = run(MIXED, [g], [pred(MIXED, FRAGMENT, speaker="Anna Minister", kind="partial")], "quoted")
    assert (r["gold"], r["found"], r["attributed"]) == (1, 1, 1)
    # the unquoted part alone does not find it in the quoted track
    r = run(MIXED, [g], [pred(MIXED, "the agreement was", speaker="Anna Minister")], "quoted")
    assert (r["correct"], r["found"]) == (1, 0)


def test_mixed_gold_is_found_by_its_quoted_part_or_its_whole_in_the_all_track():
    g = gold(MIXED, CLAUSE, kind="mixed", speaker="Anna Minister")
    # the fragment is under half the clause, but all of its quoted part
    r = run(MIXED, [g], [pred(MIXED, FRAGMENT, speaker="Anna Minister", kind="partial")], "all")
    assert (r["gold"], r["found"]) == (1, 1)
    r = run(MIXED, [g], [pred(MIXED, CLAUSE, speaker="Anna Minister", kind="indirect")], "all")
    assert (r["gold"], r["found"]) == (1, 1)
    r = run(MIXED, [g], [pred(MIXED, "the agreement was", speaker="Anna Minister", kind="indirect")], "all")
    assert (r["correct"], r["found"]) == (1, 0)


def test_gold_fragments_in_spans_replace_start_end():
    # a mixed gold given as two fragments around its cue
    text = "“We are ready,” she said, “and we will not wait for anyone.”"
    a, b = at(text, "We are ready,"), at(text, "and we will not wait for anyone.")
    g = dict(start=a[0], end=b[1], spans=[list(a), list(b)], text="", kind="direct", speaker="Jane Roe",
             aliases=[])
    r = run(text, [g], [pred(text, "and we will not wait for anyone.")])
    assert (r["correct"], r["found"]) == (1, 1)  # 32 of 45 content characters
    r = run(text, [g], [pred(text, "she said")])
    assert r["correct"] == 0  # the cue lies between the fragments, not in the content


def test_track_kinds():
    text = "Officials said the talks had failed. “It is over,” one aide said."
    golds = [gold(text, "the talks had failed", kind="indirect", speaker=None),
             gold(text, "It is over,", speaker=None)]
    preds = [pred(text, "the talks had failed", kind="indirect"), pred(text, "It is over,")]
    quoted, everything = run(text, golds, preds, "quoted"), run(text, golds, preds, "all")
    assert (quoted["predicted"], quoted["gold"], quoted["found"]) == (1, 1, 1)
    assert (everything["predicted"], everything["gold"], everything["found"]) == (2, 2, 2)
    # a prediction without a kind counts as direct
    r = run(text, golds, [dict(start=at(text, "It is over,")[0], end=at(text, "It is over,")[1],
                              text="It is over,", speaker=None)], "quoted")
    assert r["predicted"] == 1


def test_overlapping_golds_go_to_the_smaller_one():
    # a partial record inside an indirect record: the fragment is assigned to the partial gold only
    golds = [gold(MIXED, FRAGMENT, kind="partial", speaker="Anna Minister"),
             gold(MIXED, CLAUSE, kind="indirect", speaker="Anna Minister")]
    r = run(MIXED, golds, [pred(MIXED, FRAGMENT, speaker="Anna Minister", kind="partial")], "all")
    assert (r["gold"], r["found"]) == (2, 1)


def test_alias_mode_speaker_matching():
    g = dict(speaker="Jane Roe", aliases=["Roe", "the prime minister"])
    assert speaker_ok({"speaker": "Ms Roe"}, g)  # honorific ignored, surname shared
    assert speaker_ok({"speaker": "the prime minister"}, g)  # through an alias ("prime" is distinctive)
    assert not speaker_ok({"speaker": "she"}, g)
    assert not speaker_ok({"speaker": None}, g)
    assert not speaker_ok({"speaker": "the minister"}, g)  # generic word only
    ministry = dict(speaker="Ministry of Foreign Affairs", aliases=["foreign ministry"])
    assert not speaker_ok({"speaker": "Foreign Ministry officials"}, ministry)
    assert speaker_ok({"speaker": "anyone"}, dict(speaker=None, aliases=[]))  # no gold speaker
    # offsets do not matter in alias mode
    assert not speaker_ok({"speaker": "John Doe", "speaker_start": 0, "speaker_end": 8},
                          dict(speaker="Jane Roe", aliases=[], speaker_start=0, speaker_end=8))


def test_span_mode_speaker_matching():
    g = dict(speaker="he", speaker_start=40, speaker_end=42)
    assert speaker_ok({"speaker": None, "speaker_start": 41, "speaker_end": 50}, g)
    assert not speaker_ok({"speaker": "he", "speaker_start": 10, "speaker_end": 12}, g)  # pronouns never match
    named = dict(speaker="Senator Bob Smith", speaker_spans=[[5, 22]])
    assert speaker_ok({"speaker": "Smith", "speaker_start": 100, "speaker_end": 105}, named)
    assert speaker_ok({"speaker": "the senator"}, named)  # no generic-word filter in this mode
    assert not speaker_ok({"speaker": "Jones"}, named)


def test_country_accuracy_counts_rightly_attributed_named_speakers():
    text = "“We stay,” said Paul Dupont. “We go,” said Marie Curie. “Maybe,” said someone. “No,” said X Y."
    golds = [gold(text, "We stay,", speaker="Paul Dupont", country="FR"),
             gold(text, "We go,", speaker="Marie Curie", country="FR"),
             gold(text, "Maybe,", speaker=None, country=None),
             gold(text, "No,", speaker="Xavier Yves", country="FR")]
    preds = [pred(text, "We stay,", speaker="Paul Dupont", country="FR"),
             pred(text, "We go,", speaker="Marie Curie", country=None),
             pred(text, "Maybe,", speaker="Someone", country="US"),  # no gold speaker: not counted
             pred(text, "No,", speaker="Nobody", country="FR")]  # wrong speaker: not counted
    r = run(text, golds, preds)
    assert r["country_acc"] == 0.5
    assert run(text, golds[:1], preds[:1])["country_acc"] == 1.0
    assert run(text, golds[2:3], preds[2:3])["country_acc"] is None


def test_prediction_located_by_its_text_when_offsets_disagree():
    p = dict(start=0, end=5, text="“" + Q2 + "”", kind="direct", speaker="Jane Roe")
    r = run(TEXT, [gold(TEXT, Q2)], [p])
    assert (r["correct"], r["found"]) == (1, 1)
    lost = dict(start=None, end=None, text="words that are not there", kind="direct", speaker="Jane Roe")
    r = run(TEXT, [gold(TEXT, Q2)], [lost])
    assert (r["predicted"], r["correct"]) == (1, 0)


def test_empty_inputs_score_zero():
    r = run(TEXT, [], [])
    assert (r["precision"], r["recall"], r["f1"], r["e2e_f1"], r["country_acc"]) == (0.0, 0.0, 0.0, 0.0, None)


def write_gold(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_evaluate_file_runs_the_extractor_in_order(tmp_path):
    other = "“Never again,” the mayor said."
    docs = [dict(doc_id="a", text=TEXT, quotes=[gold(TEXT, Q1), gold(TEXT, Q2)]),
            dict(doc_id="b", text=other, quotes=[gold(other, "Never again,", speaker="Sam Mayor", country="US")])]
    path = write_gold(tmp_path / "gold.jsonl", docs)
    seen = []

    def extract_fn(articles):
        for art in articles:
            seen.append(art.source)
            ex = Extraction(art)
            for m in re.finditer(r"“([^”]*)”", art.text):
                name = "Jane Roe" if art.source == "a" else "Sam Mayor"
                ex.quotes.append(Quote(m.start(1), m.end(1), m.group(1), "direct", speaker=name))
                ex.speakers[name] = Speaker(name, country="US")
            yield ex

    result = evaluate_file(path, extract_fn)
    assert seen == ["a", "b"]
    assert set(result) == {"docs", "words", "wall_s", "words_per_s", "unparsable_lines", "quoted", "all"}
    assert (result["docs"], result["words"], result["unparsable_lines"]) == (2, 22, 0)
    assert (result["quoted"]["gold"], result["quoted"]["found"], result["quoted"]["attributed"]) == (3, 3, 3)
    # countries only in doc b's gold: one rightly attributed quote, country US
    assert result["quoted"]["country_acc"] == 1.0
    assert evaluate_file(path, extract_fn, limit=1)["docs"] == 1


def test_evaluate_file_rejects_a_short_extractor(tmp_path):
    path = write_gold(tmp_path / "gold.jsonl", [dict(doc_id="a", text=TEXT, quotes=[])] * 2)
    with pytest.raises(ValueError, match="1 results for 2 articles"):
        evaluate_file(path, lambda arts: [Extraction(arts[0])])


def test_load_gold_names_the_bad_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(dict(doc_id="a", text="x", quotes=[])) + "\n\n{oops\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"gold\.jsonl:3: not valid JSON"):
        load_gold(path)
    assert len(load_gold(path, limit=1)) == 1
    path.write_text(json.dumps(dict(doc_id="a", quotes=[])) + "\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"gold\.jsonl:1: .*needs doc_id, text and quotes"):
        load_gold(path)


# --- agreement with the reference scorer -------------------------------------------------------

NAMES = ["Jane Roe", "Roe", "John Doe", "the minister", "Foreign Ministry", "he", "Ann Other", None]
WORDS = "the talks on trade were hard but we agreed a deal that works for all of us".split()


#: Organisation names for the random gold: distinctive words, stems, and generic words only.
ORGANIZATIONS = ["Government of Hungary", "Hungarian Government", "Government of France", "Ministry of Defence",
                 "University of Oslo", "Oslo City Council", "National Police Agency"]


def random_doc(rng: random.Random, doc_id: str, aliases: bool) -> tuple[dict, list[dict]]:
    """A random document with quotation marks, random gold (in one of the two speaker modes) and predictions."""
    parts = []
    for _ in range(rng.randint(15, 40)):
        w = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.08:
            w = "“" + w
        elif roll < 0.16:
            w = w + "”"
        elif roll < 0.2:
            w = '"' + w + '"'
        elif roll < 0.23:
            w = "‘" + w + "’"
        parts.append(w)
    text = " ".join(parts)
    n = len(text)

    def span() -> tuple[int, int]:
        a = rng.randrange(n - 1)
        return a, rng.randint(a + 1, min(n, a + 40))

    golds = []
    for _ in range(rng.randint(0, 6)):
        s, e = span()
        g = dict(start=s, end=e, text=text[s:e], kind=rng.choice(["direct", "partial", "mixed", "indirect"]),
                 speaker=rng.choice(NAMES))
        if rng.random() < 0.3:
            s2, e2 = span()
            g["spans"] = [[s, e], [s2, e2]]
        if aliases:
            g["aliases"] = rng.sample(["Roe", "Mr Doe", "the ministry"], rng.randint(0, 2))
            if rng.random() < 0.8:
                g["country"] = rng.choice(["FR", "US", None])
            g["speaker_kind"] = rng.choice(["person", "person", "organization"])
            if rng.random() < 0.6:
                g["organization"] = rng.choice(ORGANIZATIONS)
        else:
            ss = rng.randrange(n - 1)
            if rng.random() < 0.5:
                g["speaker_start"], g["speaker_end"] = ss, ss + rng.randint(1, 10)
            elif rng.random() < 0.5:
                g["speaker_spans"] = [[ss, ss + 5], [ss + 7, ss + 9]]
        roll = rng.random()
        if roll < 0.2:
            g["required"] = False
        elif roll < 0.4:
            g["required"] = True
        golds.append(g)

    preds = []
    for _ in range(rng.randint(0, 7)):
        s, e = span()
        p = dict(file=doc_id + ".txt", start=s, end=e, text=text[s:e],
                 kind=rng.choice(["direct", "partial", "indirect", None]), speaker=rng.choice(NAMES),
                 country=rng.choice(["FR", "US", None]), organization=rng.choice(ORGANIZATIONS + [None]))
        if rng.random() < 0.5:
            ss = rng.randrange(n - 1)
            p["speaker_start"], p["speaker_end"] = ss, ss + rng.randint(1, 10)
        roll = rng.random()
        if roll < 0.1:  # offsets out of range: located by text
            p["start"], p["end"] = n + 5, n + 9
        elif roll < 0.15:  # text that is nowhere
            p["text"] = "zzz qqq"
        preds.append(p)
    return dict(doc_id=doc_id, text=text, quotes=golds), preds


def load_reference():
    if not REFERENCE_SCORER.exists():
        pytest.skip(f"reference scorer not found at {REFERENCE_SCORER}")
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("aliases", [True, False], ids=["alias-mode", "span-mode"])
def test_same_figures_as_the_reference_scorer(aliases):
    ref = load_reference()
    rng = random.Random(20240611 + aliases)
    docs, preds = [], {}
    for i in range(300):
        doc, p = random_doc(rng, f"doc_{i:03d}", aliases)
        docs.append(doc)
        preds[doc["doc_id"]] = p
    # the hand-made documents above, scored both ways too
    docs.append(dict(doc_id="hand_mixed", text=MIXED, quotes=[
        gold(MIXED, FRAGMENT, kind="partial", speaker="Anna Minister", country="AT"),
        gold(MIXED, CLAUSE, kind="mixed", speaker="Anna Minister", country="AT")]))
    preds["hand_mixed"] = [pred(MIXED, FRAGMENT, speaker="Minister Anna", kind="partial", country="AT"),
                           pred(MIXED, "the agreement was", speaker="Anna", kind="indirect")]
    for track, (gk, pk, quoted_only) in {
        "quoted": ({"direct", "mixed", "partial"}, {"direct", "partial", "mixed"}, True),
        "all": ({"direct", "mixed", "partial", "indirect"}, {"direct", "partial", "mixed", "indirect"}, False),
    }.items():
        expected = ref.score(docs, preds, gk, pk, quoted_only=quoted_only)
        ours = score(docs, preds, track)
        assert ours == expected, track
        assert expected["found"] > 0 and expected["attributed"] > 0  # the random data exercises the protocol
        assert not aliases or expected["org_acc"] not in (None, 0.0, 1.0)  # and the organisation check, both ways

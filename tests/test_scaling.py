"""Long documents parsed in pieces, sentence starts set in one pass, quoted shares by bisection, and the whole
extraction in worker processes: each gives what the plain way gives."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from spacy.attrs import SENT_START

from quotes.extraction import nlp as nlp_module
from quotes.extraction.clauses import quoted_share
from quotes.extraction.marks import Quoted, find_quoted
from quotes.pipeline import extract as extract_module
from quotes.pipeline import parallel
from quotes.pipeline.extract import extract_many
from quotes.reading.normalize import normalize
from quotes.reading.sources import read_paths
from quotes.records import Article, Extraction

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seed_articles():
    return [normalize(r) for r in read_paths([str(SEEDS)])]


def _brute_share(start, end, quoted):
    inside = sum(max(0, min(end, q.end) - max(start, q.start)) for q in quoted)
    return inside / max(1, end - start)


def test_quoted_share_is_the_overlap_of_every_span():
    rng = random.Random(7)
    for trial in range(500):
        spans, pos = [], 0
        for _ in range(rng.randint(0, 8)):
            a = pos + rng.randint(0, 20)
            b = a + rng.randint(0, 30)
            spans.append(Quoted(a, b, max(a - 1, 0), b, 0, 1000))
            pos = b + rng.randint(-5 if trial % 3 == 0 else 0, 10)  # some overlap
        if trial % 5 == 0:
            rng.shuffle(spans)  # out of order: every span is looked at
        for _ in range(10):
            start = rng.randint(-5, 300)
            end = start + rng.randint(-3, 100)
            assert quoted_share(start, end, spans) == _brute_share(start, end, spans)


def test_quoted_share_on_a_real_text():
    text = 'He said “we will go” and then “we stay here” while she said “no”.\nNext “line”.'
    quoted = find_quoted(text)
    assert len(quoted) == 4
    for start in range(0, len(text), 3):
        for end in range(start, len(text), 5):
            assert quoted_share(start, end, quoted) == _brute_share(start, end, quoted)


def test_paragraph_sentences_starts_a_sentence_after_each_line_break(nlp):
    doc = nlp.make_doc("Title here\n\nFirst paragraph goes on and\non here.\nLast")
    nlp_module.paragraph_sentences(doc)
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Title", "First", "on", "Last"]
    # a paragraph's second word never starts a sentence; the others are left to the parser
    assert [t.text for t in doc if t.is_sent_start is False] == ["here", "paragraph", "here"]
    assert doc[5].text == "goes" and doc[5].is_sent_start is None


def test_a_paragraph_after_a_headline_with_no_full_stop_is_not_cut_after_its_first_word(run):
    ex = run("Turkey and Greece agree to extend truce\n\nTurkey and Greece agreed on Monday to extend their truce in "
             "Gaza by two days, Qatar's foreign ministry said.")
    q = next(q for q in ex.quotes if q.speaker_mention == "Qatar's foreign ministry")
    assert q.text == "Turkey and Greece agreed on Monday to extend their truce in Gaza by two days"


def test_pieces_join_back_exactly_and_end_after_paragraphs():
    paragraph = "A sentence of some words. Another one, longer than that, follows it here.\n\n"
    text = paragraph * 40 + "x" * 300 + " tail"
    parts = nlp_module.pieces(text, size=400)
    assert "".join(parts) == text
    assert all(len(p) <= 400 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:3])  # cut after a paragraph's end
    glued = nlp_module.pieces("word " * 100, size=52)
    assert "".join(glued) == "word " * 100 and all(p.endswith(" ") for p in glued[:-1])
    assert nlp_module.pieces("y" * 25, size=10) == ["y" * 10, "y" * 10, "y" * 5]


def test_a_long_text_is_parsed_in_pieces_into_one_doc(nlp, seed_articles, monkeypatch):
    monkeypatch.setattr(nlp_module, "LONG_TEXT_CHARS", 3000)
    monkeypatch.setattr(nlp_module, "PIECE_CHARS", 2000)
    short = "The minister said “it works”.\n\nShe left."
    long_text = "\n\n".join(a.text for a in seed_articles)
    assert len(nlp_module.pieces(long_text, 2000)) > 4
    out = list(nlp_module.parse_many(nlp, [(short, "a"), (long_text, "b"), (short, "c")], batch_size=3,
                                     batch_chars=5000))
    assert [context for _, context in out] == ["a", "b", "c"]
    doc = out[1][0]
    assert doc.text == long_text  # offsets into the text hold
    assert doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB")
    assert len(doc.ents) > 20 and len(list(doc.sents)) > 40
    for tok in doc[:-1]:  # no sentence runs over a line break
        if tok.is_space and "\n" in tok.text:
            assert doc[tok.i + 1].is_sent_start
    # a text below the bound is parsed whole, whatever the batch
    assert out[0][0].to_json() == nlp(short).to_json()
    assert out[0][0].to_array([SENT_START]).tolist() == nlp(short).to_array([SENT_START]).tolist()


def test_extraction_of_a_long_article_in_pieces(nlp, seed_articles, monkeypatch):
    monkeypatch.setattr(nlp_module, "LONG_TEXT_CHARS", 3000)
    monkeypatch.setattr(nlp_module, "PIECE_CHARS", 2000)
    text = "\n\n".join(a.text for a in seed_articles)
    [ex] = extract_many([Article(text, "long.txt")], nlp)
    assert ex.error is None and len(ex.quotes) > 40
    for q in ex.quotes:
        assert text[q.start:q.end] == q.text
    # a speaker named in the first article and quoted again in the second is one speaker
    assert any(q.speaker == "Hikmet Hajiyev" and q.start > len(seed_articles[0].text) for q in ex.quotes)


def _rows(extractions):
    return [(e.article.source, e.error, e.quote_dicts()) for e in extractions]


def test_workers_give_what_one_process_gives(nlp, seed_articles, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_ARTICLES", 1)  # an article a chunk, and one chunk a worker is enough
    monkeypatch.setattr(parallel, "MIN_CHUNKS", 1)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 2)  # workers even on a machine with one CPU
    articles = seed_articles + [Article("He said “fine”.", "short.txt")]
    serial = _rows(extract_many(articles, nlp))
    assert _rows(extract_many(articles, nlp, workers=2)) == serial


def test_a_failing_article_is_reported_and_skipped_by_workers(nlp, seed_articles, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNKS", 1)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 2)
    real = extract_module.quotes_in_doc

    def failing(article, doc):
        if article.source == "bad.txt":
            raise ValueError("broken")
        return real(article, doc)

    monkeypatch.setattr(extract_module, "quotes_in_doc", failing)  # the forked workers inherit it
    articles = [seed_articles[0], Article("She said “no”.", "bad.txt"), seed_articles[1]]
    out = list(extract_many(articles, nlp, workers=2))
    assert [e.article.source for e in out] == [a.source for a in articles]
    assert out[1].error == "extraction failed (ValueError: broken)" and not out[1].quotes
    assert out[0].quotes and out[2].quotes and out[0].error is None


def test_a_parse_failure_costs_only_its_article(nlp, monkeypatch):
    real = nlp_module.parse_many

    def parse(nlp_, pairs, **kwargs):
        pairs = list(pairs)
        if any(text.startswith("BOOM") for text, _ in pairs):
            raise RuntimeError("parser broke")
        return real(nlp_, pairs, **kwargs)

    monkeypatch.setattr(extract_module, "parse_many", parse)
    articles = [Article("He said “yes”.", "a.txt"), Article("BOOM he said “x”.", "b.txt"),
                Article("She said “no”.", "c.txt")]
    out = extract_module.extract_chunk(articles, nlp)
    assert [e.article.source for e in out] == ["a.txt", "b.txt", "c.txt"]
    assert out[1].error == "parsing failed (RuntimeError: parser broke)"
    assert out[0].error is None and out[2].error is None and out[0].quotes


def test_a_small_input_needs_no_workers(nlp, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("no worker should start for so little")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(parallel, "CHUNK_ARTICLES", 1)
    articles = [Article("He said “yes”.", f"{i}.txt") for i in range(2 * parallel.MIN_CHUNKS - 1)]
    out = list(extract_many(articles, nlp, workers=2))
    assert all(isinstance(e, Extraction) and e.quotes for e in out) and len(out) == len(articles)


def test_chunks_are_bounded_by_articles_and_characters():
    articles = [Article("x" * n, str(i)) for i, n in enumerate((10, 10, 10, 50, 10, 100, 5))]
    sizes = [[a.source for a in c] for c in parallel.chunks(articles, size=3, chars=60)]
    assert sizes == [["0", "1", "2"], ["3", "4"], ["5"], ["6"]]


CTRL_C = r"""
import os, signal, sys, time
# as at a terminal, even when the suite runs in the background (where SIGINT is inherited as ignored)
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from quotes.pipeline import parallel
from quotes.pipeline.extract import extract_many
from quotes.records import Article

parallel.CHUNK_ARTICLES, parallel.MIN_CHUNKS = 1, 1
parallel._usable_cpus = lambda: 2
articles = (Article("The minister said “we will build it” on Monday.", f"{i}.txt") for i in range(10_000))
try:
    for n, extraction in enumerate(extract_many(articles, workers=2)):
        if n == 0:
            print("running", flush=True)
        time.sleep(0.01)
except KeyboardInterrupt:
    time.sleep(0.5)
    me = str(os.getpid())
    alive = [p.name for p in Path("/proc").iterdir() if p.name.isdigit() and (p / "status").exists()
             and f"PPid:\t{me}\n" in (p / "status").read_text() and "zombie" not in (p / "status").read_text()]
    print("interrupted, workers alive:", len(alive), flush=True)
"""


def test_ctrl_c_ends_the_workers_at_once(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C], stdout=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(repo)})
    try:
        assert proc.stdout.readline().strip() == "running"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)  # a guard against a hang, not a timing
    finally:
        proc.kill()
    assert out.strip() == "interrupted, workers alive: 0"


def test_no_more_workers_than_cpus(nlp, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("one CPU: no worker should start")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 1)
    monkeypatch.setattr(parallel, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNKS", 1)
    articles = [Article("He said “yes”.", f"{i}.txt") for i in range(4)]
    assert [e.article.source for e in extract_many(articles, nlp, workers=4)] == ["0.txt", "1.txt", "2.txt", "3.txt"]

"""The spaCy component "quotes": found through its entry point, on a pipeline the test builds."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc

import quotes
from quotes.api.component import QuotesComponent

TEXT = ("“We will build the bridge next year,” said Transport Minister Ana Lima on Monday. "
        "The opposition leader Tom Reed said the plan was “a waste of money”.")
OTHER = "“Prices will fall,” said Mira Holt, the finance minister."


@pytest.fixture(scope="module")
def pipeline(nlp):
    """A plain English pipeline (the session model's tagger, parser and NER, without the tokenizer
    changes and sentence rule quotes adds for itself), with the component added by name."""
    built = spacy.blank("en")
    for name in nlp.pipe_names:
        if name != "paragraph_sentences":
            built.add_pipe(name, source=nlp)
    built.add_pipe("quotes")
    return built


def test_doc_quotes_are_spans_with_speaker_kind_cue_and_confidence(pipeline):
    doc = pipeline(TEXT)
    spans = doc._.quotes
    assert [s.text for s in spans][0] == "We will build the bridge next year,"
    first = spans[0]
    assert (first._.speaker, first._.kind, first._.cue) == ("Ana Lima", "direct", "said")
    assert 0 < first._.confidence <= 1 and first._.speaker_span.text == "Transport Minister Ana Lima"
    assert {s._.speaker for s in spans} == {"Ana Lima", "Tom Reed"}
    assert all(s.doc is doc and s._.quote["start"] >= s.start_char for s in spans)


def test_the_component_finds_what_quotes_extract_finds(pipeline, nlp):
    by_component = [(s._.quote["start"], s._.quote["end"], s._.speaker, s._.kind) for s in pipeline(TEXT)._.quotes]
    by_api = [(q.start, q.end, q.speaker, q.kind) for q in quotes.extract(TEXT, nlp=nlp)]
    assert by_component == by_api


def test_min_confidence_drops_weaker_attributions(nlp):
    built = spacy.blank("en")
    for name in ("tok2vec", "tagger", "parser", "attribute_ruler", "ner"):
        if name in nlp.pipe_names:
            built.add_pipe(name, source=nlp)
    built.add_pipe("quotes", config={"min_confidence": 0.95})
    kept = built(TEXT)._.quotes
    assert kept and all(s._.confidence >= 0.95 for s in kept)


def test_a_doc_with_no_parse_is_a_clear_error():
    blank = spacy.blank("en")
    blank.add_pipe("quotes")
    with pytest.raises(ValueError, match="needs a parsed Doc"):
        blank(TEXT)


def test_the_data_is_plain_and_survives_serialisation(pipeline):
    doc = pipeline(TEXT)
    again = Doc(pipeline.vocab).from_bytes(doc.to_bytes())
    assert [(s.text, s._.speaker) for s in again._.quotes] == [(s.text, s._.speaker) for s in doc._.quotes]
    assert pickle.loads(pickle.dumps(QuotesComponent("q", 0.5))).min_confidence == 0.5


def test_nlp_pipe_with_two_processes(pipeline):
    texts = [TEXT, OTHER, TEXT, OTHER]
    one = [[(s.text, s._.speaker) for s in doc._.quotes] for doc in pipeline.pipe(texts)]
    two = [[(s.text, s._.speaker) for s in doc._.quotes] for doc in pipeline.pipe(texts, n_process=2, batch_size=1)]
    assert two == one and one[1] == [("Prices will fall,", "Mira Holt")]


def test_the_entry_point_registers_the_factory_without_importing_quotes():
    # a program that never names the package; spaCy reads its factories' entry points when it makes a Language
    code = ("import sys, spacy\n"
            "assert 'quotes' not in sys.modules\n"
            "nlp = spacy.blank('en')\n"
            "nlp.add_pipe('quotes')\n"
            "print(nlp.pipe_names, sorted(m for m in sys.modules if m.startswith('quotes.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert done.returncode == 0, done.stderr
    # and what every spaCy program with quotes installed then imports is small: no rules, no store
    assert done.stdout.strip() == "['quotes'] ['quotes.api', 'quotes.api.component', 'quotes.records']"

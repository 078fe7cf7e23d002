"""Run the whole extraction on articles: parse, find quote spans, attribute, describe speakers."""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.language import Language

from .nlp import load_pipeline
from .records import Article, Extraction, Quote

# Placeholder extractor (pairs curly quotes only) until the real one lands.
_PAIR = re.compile(r"“([^”]*)”")


def _from_doc(article: Article, doc) -> Extraction:
    ex = Extraction(article)
    for m in _PAIR.finditer(article.text):
        ex.quotes.append(Quote(m.start(1), m.end(1), m.group(1), "direct", confidence=0.1, method="marks"))
    return ex


def extract(article: Article, nlp: Language | None = None) -> Extraction:
    """Extract the quotes of one article."""
    nlp = nlp or load_pipeline()
    return _from_doc(article, nlp(article.text))


def extract_many(articles: Iterable[Article], nlp: Language | None = None, workers: int = 1,
                 batch_size: int = 16) -> Iterator[Extraction]:
    """Extract the quotes of many articles, in order, parsing with ``workers`` processes."""
    nlp = nlp or load_pipeline()
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=workers, batch_size=batch_size):
        yield _from_doc(article, doc)

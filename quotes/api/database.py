"""quotes.open: a database, and the command line's queries on it, giving records rather than rows."""
from __future__ import annotations

import builtins
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from quotes import query
from quotes.query.people import AmbiguousName
from quotes.store.lookup import QueryError
from quotes.records import Article
from quotes.store.db import open_database, session_factory

from .extracting import ExtractionError, Input, _prepared
from .records import QuoteRecord, SpeakerRecord

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class IngestResult:
    """What ingest did: articles added, updated (a known URL with a new text) and unchanged (a known
    text), quotes stored, and one line for each input skipped."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    quotes: int = 0
    skipped: builtins.list[str] = field(default_factory=list)


class Database:
    """A quotes database (SQLite file or SQLAlchemy URL), migrated to the current schema when opened.

    Its methods are the command line's queries and take the same filters as keyword arguments
    (speaker, country, org, article_id, kind, outlet, since, until, min_confidence, attributed,
    no_guesses, sort, limit, offset); a bad filter raises quotes.QueryError. Iterators read the
    database as they are consumed. Use it as a context manager, or call close().
    """

    def __init__(self, db: str | os.PathLike | None = None, *, create: bool = True):
        self._engine = open_database(None if db is None else os.fspath(db), create=create)
        self._session = session_factory(self._engine)()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session and the engine's connections."""
        self._session.close()
        self._engine.dispose()

    def list(self, **filters: Any) -> Iterator[QuoteRecord]:
        """Quotes passing ``filters``, in ``sort`` order (article, newest, oldest, confidence)."""
        return map(QuoteRecord.from_dict, query.iter_quotes(self._session, **filters))

    def search(self, text: str, **filters: Any) -> Iterator[QuoteRecord]:
        """Quotes matching a full-text expression (words, "a phrase", OR, NOT, prefix*), best first; each
        record's ``extra["snippet"]`` shows the match."""
        return map(QuoteRecord.from_dict, query.iter_search(self._session, text, **filters))

    def who_said(self, phrase: str, *, limit: int = 10, **filters: Any) -> builtins.list[QuoteRecord]:
        """Quotes holding ``phrase`` or something close to it, best first."""
        return [QuoteRecord.from_dict(row) for row in query.who_said(self._session, phrase, limit=limit, **filters)]

    def speakers(self, **filters: Any) -> Iterator[SpeakerRecord]:
        """Speakers (filters: country, org, speaker, limit, unnamed, no_guesses), most quoted first."""
        return map(SpeakerRecord.from_dict, query.iter_speakers(self._session, **filters))

    def speaker(self, name: str, *, recent: int = 5) -> dict[str, Any]:
        """Everything known of one speaker (a name, alias or id), as ``quotes speaker --format json``
        gives it; raises quotes.AmbiguousName (``candidates``) when the name fits several."""
        return query.speaker_profile(self._session, name, recent=recent)

    def stats(self, *, by: Iterable[str] = query.STATS_DIMENSIONS, top: int | None = 10,
              **filters: Any) -> dict[str, Any]:
        """Quote counts by speaker, country, organisation, outlet and month, as ``quotes stats --json``."""
        return query.stats(self._session, by=tuple(by), top=top, **filters)

    def export(self, out: str | os.PathLike | TextIO, fmt: str = "jsonl", **filters: Any) -> dict[str, int]:
        """Write what ``quotes export`` writes (jsonl, json, csv, tsv) to a path or an open text file;
        the number of rows written per table."""
        from quotes.store import exchange

        if isinstance(out, (str, os.PathLike)):
            with builtins.open(out, "w", encoding="utf-8") as stream:
                return exchange.export(self._session, stream, fmt, **filters)
        return exchange.export(self._session, out, fmt, **filters)

    def ingest(self, items: Iterable[Input | Path], *, nlp: Language | None = None, workers: int = 1) -> IngestResult:
        """Extract and store texts, Articles, records (see quotes.extract) and files or folders (given as
        pathlib.Path: read as ``quotes ingest`` reads them); a text already stored is not parsed again.
        An input that cannot be read or extracted is skipped and named in the result."""
        from quotes.pipeline.extract import extract_many
        from quotes.store import storing
        from quotes.store.knowledge import apply_knowledge

        result = IngestResult()
        for extraction in extract_many(self._fresh(items, result), nlp, workers=workers):
            if extraction.error:
                result.skipped.append(f"{extraction.article.source or 'a text'}: {extraction.error}")
                continue
            try:
                stored = storing.store_extraction(self._session, apply_knowledge(self._session, extraction),
                                                  settle=False)
            except storing.StoreError as exc:
                result.skipped.append(str(exc))
                continue
            setattr(result, stored.status, getattr(result, stored.status) + 1)
            result.quotes += stored.n_quotes
        storing.settle(self._session)  # who bare surnames are, over every article: once for the batch
        return result

    def _fresh(self, items: Iterable[Input | Path], result: IngestResult) -> Iterator[Article]:
        """The articles of ``items`` that are not stored yet; the rest counted or named in ``result``."""
        from quotes.reading.batch import read_articles
        from quotes.store.storing import find_article

        for n, item in enumerate(items, 1):
            if isinstance(item, Path):
                articles = []
                for found in read_articles([os.fspath(item)]):
                    if isinstance(found, Article):
                        articles.append(found)
                    else:
                        result.skipped.append(str(found))
            else:
                try:
                    prepared = _prepared(item, n)
                except ExtractionError as exc:
                    result.skipped.append(str(exc))
                    continue
                articles = [] if prepared is None else [prepared[0]]
            for article in articles:
                if find_article(self._session, article) is not None:
                    result.unchanged += 1
                else:
                    yield article


def open(db: str | os.PathLike | None = None, *, create: bool = True) -> Database:  # noqa: A001 (quotes.open)
    """The database at ``db`` (a SQLite path or an SQLAlchemy URL; default $QUOTES_DB or quotes.db),
    created and migrated when needed (``create=False``: a missing SQLite file is an error)."""
    return Database(db, create=create)


__all__ = ["AmbiguousName", "Database", "IngestResult", "QueryError", "open"]

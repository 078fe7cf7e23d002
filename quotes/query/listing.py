"""List quotes by filters in a chosen order, and show one quote in its context."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from time import perf_counter
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quotes.store.lookup import (QUOTE_EXTRA, QueryError, filtering, quote_dicts, quote_filter, quotes_select, stream,
                                 stream_quote_dicts)
from quotes.store.models import Article, Quote

from .choices import SORTS



#: With filters, list first counts matches up to this many. Fewer are fetched and sorted; with
#: more, quotes are read in the order of an index (articles by date for newest/oldest) until the
#: page is full, unless that takes longer than INDEX_ORDER_BUDGET seconds (the matches sit far down
#: the index), and then they too are fetched and sorted. The budget is wall time: on a busy machine
#: 30 ms ran out for walks of a few ms of CPU, and sorting 219,645 matches instead took 2 to 4 s.
DENSE_MATCHES = 2000
INDEX_ORDER_BUDGET = 0.1
#: Past this many rows skipped, a page's quote ids are found first and then their rows: the skipped rows
#: are then never built (their article, speaker and post), nor sorted whole within an article's date.
DEEP_OFFSET = 1000
#: Sorted by date with dates that hold at most this many quotes (the articles' counters say), the
#: articles of those dates are walked in order: the dates bound the walk, and no count is needed.
NARROW_DATES = 20_000


def _dense(session: Session, filters: dict[str, Any]) -> bool:
    """Do at least DENSE_MATCHES quotes pass ``filters``? (Counting stops there.)"""
    probe = quote_filter(select(Quote.id), session=session, **filters).limit(DENSE_MATCHES).subquery()
    return session.scalar(select(func.count()).select_from(probe)) >= DENSE_MATCHES


def _page(session: Session, stmt: Select, limit: int | None, offset: int | None,
          ids_from: Select | None = None) -> Iterator[list]:
    """The rows of ``stmt`` (ordered) from ``offset`` on, at most ``limit``, read as stream does;
    ``ids_from``: the same quotes' ids in the same order, from fewer tables."""
    if limit is None or not offset or offset < DEEP_OFFSET:
        return stream(session, stmt.limit(limit).offset(offset or None))
    if ids_from is None:
        ids_from = stmt.with_only_columns(Quote.__table__.c.id)
    ids = list(session.scalars(ids_from.limit(limit).offset(offset)))
    # looked up by id (quotes first), then put back in the page's order
    rows = session.connection().execute(quotes_select().where(Quote.__table__.c.id.in_(ids))).all()
    place = {qid: i for i, qid in enumerate(ids)}
    return iter([sorted(rows, key=lambda row: place[row[0]])] if rows else [])


def narrow_dates(session: Session, since: date | None, until: date | None) -> bool:
    """Do articles dated from ``since`` to ``until`` (one at least given) hold at most NARROW_DATES quotes?"""
    if since is None and until is None:
        return False
    held = select(func.coalesce(func.sum(Article.n_quotes), 0))  # through ix_articles_published_n_quotes
    if since is not None:
        held = held.where(Article.published >= since)
    if until is not None:
        held = held.where(Article.published <= until)
    return session.scalar(held) <= NARROW_DATES


def ordered(stmt: Select, sort: str, in_index_order: bool, dialect: str = "sqlite") -> Select:
    """``stmt`` (quotes joined to articles) in ``sort`` order.

    SQLite's planner does not weigh LIMIT: left alone it may fetch and sort every match, or walk a
    whole index for a few. ``in_index_order`` orders by the plain indexed columns, so SQLite reads
    them in index order and stops when the page is full; otherwise an expression ("+ 0", "|| ''")
    hides that index, so the filters' indexes find the matches, which are then sorted. ``dialect`` is the
    database's: undated articles come last in newest order on each.
    """
    q, a = Quote.__table__.c, Article.__table__.c  # Core columns: no ORM compile for an unfiltered list
    if sort == "article":
        article_id = q.article_id if in_index_order else q.article_id + 0
        return stmt.order_by(article_id, q.start, q.id)
    if sort in ("newest", "oldest"):  # in index order: ``stmt`` is quotes_select(articles_first=True)
        published = a.published if in_index_order else a.published.op("||")("")  # text: not "+ 0"
        if sort == "newest":  # SQLite puts NULL first when ascending, last when descending
            newest = published.desc() if dialect == "sqlite" else published.desc().nulls_last()
            return stmt.order_by(newest, a.id.desc(), q.start, q.id)
        if in_index_order and dialect != "sqlite":  # PostgreSQL's index has them last, as the order wants
            return stmt.order_by(published.asc().nulls_last(), a.id, q.start, q.id)
        if in_index_order:  # the caller reads dated articles, then undated ones
            return stmt.order_by(published, a.id, q.start, q.id)
        return stmt.order_by(published.is_(None), published, a.id, q.start, q.id)
    if sort == "confidence":
        confidence = q.confidence if in_index_order else q.confidence + 0
        return stmt.order_by(confidence.desc(), q.id.desc())
    raise QueryError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")


def _within(session: Session, seconds: float, run: Callable[[], Any]) -> Any:
    """``run()``, interrupted by SQLite after ``seconds``: then None."""
    dbapi = session.connection().connection.dbapi_connection
    if not hasattr(dbapi, "set_progress_handler"):  # not SQLite: no budget
        return run()
    deadline = perf_counter() + seconds
    dbapi.set_progress_handler(lambda: perf_counter() > deadline, 20_000)
    try:
        return run()
    except OperationalError as exc:
        if "interrupted" not in str(exc.orig):
            raise
        return None
    finally:
        dbapi.set_progress_handler(None, 0)


def list_quotes(session: Session, **filters: Any) -> list[dict[str, Any]]:
    """iter_quotes as a list."""
    return list(iter_quotes(session, **filters))


def iter_quotes(session: Session, *, speaker: str | None = None, country: str | None = None,
                org: str | None = None, article_id: int | None = None, kind: str | None = None,
                outlet: str | None = None, since: date | None = None, until: date | None = None,
                min_confidence: float | None = None, attributed: bool = False, no_guesses: bool = False,
                sort: str = "article", limit: int | None = None,
                offset: int | None = None) -> Iterator[dict[str, Any]]:
    """Quotes matching every filter given, in ``sort`` order (see SORTS), ``offset`` rows skipped.

    ``no_guesses`` (with ``country``) keeps speakers whose country rests on evidence (lookup.quote_filter).
    The filters are checked at once (a QueryError is raised here); the quotes are read from the database
    as the returned iterator is consumed, a chunk at a time.
    """
    if sort not in SORTS or sort == "relevance":
        raise QueryError(f"cannot sort a list by {sort!r} (one of {', '.join(SORTS[1:])})"
                         + (": relevance needs a search text" if sort == "relevance" else ""))
    filters = dict(speaker=speaker, country=country, org=org, article_id=article_id, kind=kind,
                   outlet=outlet, since=since, until=until, min_confidence=min_confidence,
                   attributed=attributed, no_guesses=no_guesses)

    by_date = sort in ("newest", "oldest")
    dialect = session.get_bind().dialect.name
    if dialect != "sqlite":
        # PostgreSQL's planner weighs the LIMIT: given plain columns (no SQLite hints) and the speakers' ids
        # (lookup._among), it chooses between walking the sort's index and sorting the matches itself
        plain = quote_filter(quotes_select(), session=session, joined=by_date, **filters)
        # not by date, the conditions are on quotes alone: a deep page's ids come from quotes (and its index)
        ids = None if by_date else ordered(select(Quote.__table__.c.id).where(
            *([plain.whereclause] if plain.whereclause is not None else [])), sort, True, dialect)
        return stream_quote_dicts(session, _page(session, ordered(plain, sort, True, dialect), limit, offset, ids))

    def query(in_index_order: bool) -> Select:
        # in index order by date, articles lead and their own conditions narrow the date index scan
        base = quotes_select(articles_first=in_index_order and by_date)
        return quote_filter(base, session=session, joined=by_date or not in_index_order,
                             indexed=not in_index_order, **filters)

    indexed, sorted_ = query(True), query(False)  # built now: a bad filter fails before any output

    def in_index_order() -> Iterator[list]:
        if sort != "oldest":
            yield from _page(session, ordered(indexed, sort, True, dialect), limit, offset)
            return
        # ascending, the date index has undated articles first: read the dated ones, then the others
        dated = indexed.where(Article.published.is_not(None))
        n = 0
        for chunk in _page(session, ordered(dated, sort, True, dialect), limit, offset):
            n += len(chunk)
            yield chunk
        if limit is not None and n >= limit:
            return
        skip = max(0, (offset or 0) - session.scalar(select(func.count()).select_from(dated.subquery()))) \
            if not n else 0
        undated = sorted_.where(Article.published.is_(None)).order_by(Article.id, Quote.start, Quote.id)
        more = None if limit is None else limit - n
        yield from stream(session, undated.limit(more).offset(skip or None))

    def by_sorting() -> Iterator[list]:
        return _page(session, ordered(sorted_, sort, False, dialect), limit, offset)

    if not filtering(filters) or (by_date and narrow_dates(session, since, until)):
        chunks: Iterable[list] = in_index_order()
    elif not _dense(session, filters):
        chunks = by_sorting()
    elif limit is None:  # every match is read anyway: in index order the first ones come at once
        chunks = in_index_order()
    else:
        page = _within(session, INDEX_ORDER_BUDGET, lambda: [row for c in in_index_order() for row in c])
        chunks = [page] if page is not None else by_sorting()
    return stream_quote_dicts(session, chunks)


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the paragraph(s) holding ``start:end`` (lines are paragraphs in normalised text)."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right == -1 else right


def show_quote(session: Session, quote_id: int) -> dict[str, Any]:
    """One quote with its sentence (or paragraph) and its article."""
    row = session.execute(quotes_select(Quote.sentence_start, Quote.sentence_end, Quote.corrected, Article)
                          .where(Quote.id == quote_id)).first()
    if row is None:
        raise QueryError(f"no quote with id {quote_id}")
    sentence_start, sentence_end, corrected, article = row[QUOTE_EXTRA:]
    out = quote_dicts(session, [row])[0]
    start, end = out["start"], out["end"]
    if sentence_start is not None and sentence_end is not None:
        left, right = min(sentence_start, start), max(sentence_end, end)
    else:
        left, right = _paragraph(article.text, start, end)
    out.update({
        "corrected": corrected,
        "context": article.text[left:right],
        "context_start": left,
        "context_end": right,
        "article": {
            "id": article.id,
            "title": article.title,
            "outlet": article.outlet,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
            "author": article.author,
            "source": article.source,
        },
    })
    return out

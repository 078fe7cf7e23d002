"""Full-text search of what was said, and who said a phrase (or something close to it)."""
from __future__ import annotations

import itertools
from datetime import date
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quotes.store.lookup import QUOTE_EXTRA, STREAM_CHUNK, QueryError, filtering, quote_dicts, quote_filter, quotes_select
from quotes.store.models import Quote, name_key

from . import fulltext
from .choices import SORTS
from .fulltext import SNIPPET_CLOSE, SNIPPET_ELLIPSIS, SNIPPET_OPEN, SNIPPET_WORDS  # noqa: F401  (the API's names)
from .listing import ordered


#: SQLite errors that mean the database, not the search expression, is the problem.
_DATABASE_TROUBLE = ("database is locked", "disk", "no such table", "readonly", "malformed", "busy")

_SYNTAX_HELP = ("words must all occur; \"a phrase\" in double quotes; OR, NOT, AND in capitals; prefix*; "
                "quote words with punctuation: '\"U.S.\"'")


def _match(session: Session, text: str) -> fulltext.Match:
    """The search expression against the index; a malformed one is a QueryError saying how to fix it."""
    try:
        return fulltext.match(session, text)
    except QueryError as exc:
        raise QueryError(f"cannot search for {text!r}: {exc} ({_SYNTAX_HELP})") from None


def _run_search(session: Session, stmt, text: str, stream: bool = False):
    """Execute a full-text query (all its rows, or with ``stream`` a result to read them from); a malformed
    expression becomes a QueryError that says how to fix it."""
    try:
        if stream:
            return session.connection().execute(stmt.execution_options(yield_per=STREAM_CHUNK))
        return session.execute(stmt).all()
    except OperationalError as exc:
        message = " ".join(str(exc.orig).split())
        if any(trouble in message for trouble in _DATABASE_TROUBLE):
            raise
        session.rollback()
        raise QueryError(f"cannot search for {text!r}: {message} ({_SYNTAX_HELP})") from None


#: A search asking for more rows than this (or for all) streams: the matches are read a chunk at a time,
#: with their snippets computed in the same pass over the full-text index.
STREAM_FROM = 2000


def search_quotes(session: Session, text: str, **kwargs: Any) -> list[dict[str, Any]]:
    """iter_search as a list."""
    return list(iter_search(session, text, **kwargs))


def iter_search(session: Session, text: str, *, speaker: str | None = None, country: str | None = None,
                org: str | None = None, article_id: int | None = None, kind: str | None = None,
                outlet: str | None = None, since: date | None = None, until: date | None = None,
                min_confidence: float | None = None, attributed: bool = False, no_guesses: bool = False,
                sort: str = "relevance", limit: int | None = None, offset: int | None = None,
                snippets: bool = True) -> Iterator[dict[str, Any]]:
    """Quotes matching an FTS5 expression (words, "a phrase", OR, NOT, prefix*), best first (bm25).

    Each has ``rank`` (bm25: lower is better) and, with ``snippets``, ``snippet``: the matching
    words between SNIPPET_OPEN and SNIPPET_CLOSE. The expression and the filters are checked at once
    (QueryError); with no limit or one above STREAM_FROM, the quotes are read as the iterator is consumed.
    """
    if not text or not text.strip():
        raise QueryError("empty search text")
    filters = dict(speaker=speaker, country=country, org=org, article_id=article_id, kind=kind,
                   outlet=outlet, since=since, until=until, min_confidence=min_confidence,
                   attributed=attributed, no_guesses=no_guesses)
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
    streaming = limit is None or limit > STREAM_FROM
    m = _match(session, text)
    with_snippets = (m.snippet.label("snippet"),) if streaming and snippets else ()
    if sort == "relevance":
        # the page's ids first, from the full-text index (and quotes, to filter): ranking every
        # match is the cost, and the full rows are fetched for the page only
        page = select(m.quote_id.label("quote_id"), m.rank.label("rank"), *with_snippets).select_from(m.source) \
            .where(m.where)
        if filtering(filters):
            if m.joins_quotes:
                page = page.join(Quote, Quote.id == m.quote_id)
            page = quote_filter(page, session=session, **filters)
        if streaming:
            return _sorted_chunks(session, _ranked_rows(session, m, page, text, snippets, limit, offset), snippets)
        ranked = _ranked_page(session, m, page, text, limit, offset)
        ranks = dict(ranked)
        fetched = {r[0]: r for r in session.execute(quotes_select().where(Quote.__table__.c.id.in_(ranks)))} \
            if ranks else {}
        rows = [fetched[i] for i in sorted(ranks, key=lambda i: (ranks[i], i))]  # a page's ties by id, as ever
    else:  # all the matches, then sorted
        stmt = quotes_select(m.rank.label("rank"), *with_snippets)
        if m.joins_quotes:
            stmt = stmt.join(m.source, m.quote_id == Quote.id)
        stmt = stmt.where(m.where)
        stmt = ordered(quote_filter(stmt, session=session, joined=True, **filters), sort,
                       in_index_order=False, dialect=session.get_bind().dialect.name).limit(limit).offset(offset or None)
        if streaming:
            return _sorted_chunks(session, _run_search(session, stmt, text, stream=True).partitions(STREAM_CHUNK),
                                  snippets)
        rows = _run_search(session, stmt, text)
        ranks = {r[0]: r[QUOTE_EXTRA] for r in rows}
    out = quote_dicts(session, rows)
    for row in out:
        row["rank"] = round(ranks[row["id"]], 3)
    if not out or not snippets:
        return iter(out)
    # snippets for the page only: computing them for every match before the LIMIT would cost more.
    # (Not rank here: per row, bm25 would count each term's matches all over again.)
    found = dict(_run_search(session, select(m.quote_id, m.snippet).select_from(m.source)
                             .where(m.where, m.quote_id.in_([row["id"] for row in out])), text))
    for row in out:
        row["snippet"] = found.get(row["id"], row["text"])
    return iter(out)


#: Where the index gives equal ranks in its own order, a page reads this many matches past its end in that order,
#: for the run of equal ranks at its end to end among them (ranking every match again with the ids is the other way).
TIE_WINDOW = 500


def _ranked_page(session: Session, m: fulltext.Match, page, text: str, limit: int, offset: int | None) -> list:
    """Rows of ``page`` (quote id, rank, ...) from ``offset`` to ``offset + limit`` in (rank, id) order. Where the
    index gives equal ranks in its own order, pages cut by OFFSET from one plan and then another would repeat some
    tied matches and leave out others: the matches up to the page's end and TIE_WINDOW more are read in the index's
    order and sorted here, or, if the run of equal ranks at the page's end goes on past them, ranked again with
    the ids (which ranks every match)."""
    full = page.order_by(m.rank, m.quote_id).limit(limit).offset(offset or None)
    if m.orders_ties:
        return _run_search(session, full, text)
    end = (offset or 0) + limit
    rows = _run_search(session, page.order_by(*m.order).limit(end + TIE_WINDOW), text)
    if len(rows) < end + TIE_WINDOW or rows[end - 1][1] != rows[-1][1]:  # every match, or the run ends among them
        return sorted(rows, key=lambda row: (row[1], row[0]))[offset or 0:end]
    return _run_search(session, full, text)


#: Matches in the first chunk of a streamed ranking (read through the index's quick order, where it has one).
QUICK_ROWS = 100


def _ranked_rows(session: Session, m: fulltext.Match, page, text: str, snippets: bool, limit: int | None,
                 offset: int | None) -> Iterator[list]:
    """Chunks of quote rows (quotes_select's, then rank[, snippet]) for the matches of ``page``, best first, read
    as they are consumed; the first chunk through the index's quick order where it has one, so that it comes
    at once instead of after every match's row is built and sorted. The first statement runs before this
    returns, so that a malformed expression fails at once."""
    def rows(ranked):  # one statement: each ranked match's quote row, best first (ties by id)
        sub = ranked.subquery()
        stmt = quotes_select(sub.c.rank, *((sub.c.snippet,) if snippets else ()), ids_from=sub.c.quote_id)
        return stmt.order_by(sub.c.rank, sub.c.quote_id)

    def rest(done: int) -> Iterator[list]:
        if not m.orders_ties and (limit is not None or offset):  # ties in the index's order: see _ranked_page
            if limit is None:  # all from the offset on: the full order, the rows before it skipped here
                chunks = _run_search(session, rows(page), text, stream=True).partitions(STREAM_CHUNK)
                return _skipped(chunks, (offset or 0) + done)
            ranked = _ranked_page(session, m, page.with_only_columns(*list(page.selected_columns)[:2]), text,
                                  limit - done, (offset or 0) + done)
            chosen = page.where(m.quote_id.in_([quote_id for quote_id, _ in ranked]))
            return _run_search(session, rows(chosen), text, stream=True).partitions(STREAM_CHUNK)
        if limit is None and not offset:
            # the quotes read in the index's order and sorted once, the ones given already skipped here: a
            # ranking limited first has them looked up in rank order, a third slower for every match, and
            # SQLite's OFFSET on a sort makes it slower by a tenth
            chunks = _run_search(session, rows(page.order_by(*m.order)), text, stream=True).partitions(STREAM_CHUNK)
            return _skipped(chunks, done)
        stmt = rows(page.order_by(*m.order).limit(None if limit is None else limit - done)
                    .offset((offset or 0) + done or None))
        return _run_search(session, stmt, text, stream=True).partitions(STREAM_CHUNK)

    if m.quick_order is None or offset:
        return rest(0)
    first = _run_search(session, rows(page.order_by(*m.quick_order).limit(QUICK_ROWS)), text)
    if len(first) < QUICK_ROWS:  # every match
        return iter([first[:limit]])
    # ties came in the index's order: the last run of equal ranks may go on past this chunk, so it is left to
    # the rest, which is read in the full order from the first match after the ones given here
    done = len(first)
    while done and first[done - 1][QUOTE_EXTRA] == first[-1][QUOTE_EXTRA]:
        done -= 1
    return itertools.chain([first[:done]], _later(lambda: rest(done)))


def _skipped(chunks: Iterable[list], n: int) -> Iterator[list]:
    """``chunks`` without their first ``n`` rows."""
    for chunk in chunks:
        if n >= len(chunk):
            n -= len(chunk)
            continue
        yield chunk[n:] if n else chunk
        n = 0


def _later(start: Callable[[], Iterator[list]]) -> Iterator[list]:
    """The chunks ``start()`` gives, started when the first is asked for."""
    yield from start()


def _sorted_chunks(session: Session, chunks: Iterable[list], snippets: bool) -> Iterator[dict[str, Any]]:
    """Quotes for chunks of quote rows ending in rank[, snippet]."""
    for chunk in chunks:
        for row, hit in zip(quote_dicts(session, chunk), chunk):
            row["rank"] = round(hit[QUOTE_EXTRA], 3)
            if snippets:
                row["snippet"] = hit[QUOTE_EXTRA + 1]
            yield row


#: who-said reads this many full-text candidates per result asked for, from each search tier.
WHO_SAID_POOL = 5
#: The least share of the phrase's words a quote must hold, in order, to be offered as a match.
MIN_SIMILARITY = 0.5
#: The loosest tier asks for any two of the phrase's rarest words, taking words while the quotes
#: holding a pair of them may number at most this many: common words would make every quote a
#: candidate, and ranking them all is what costs.
NEAR_MATCHES = 20_000


#: Runs of fewer characters in common do not count towards a who-said match.
MIN_RUN = 3
#: Words at least this long are also searched as prefixes ("corridor" finds "corridors").
PREFIX_FROM = 5


def _similarity(words: list[str], text: str) -> float:
    """Share of the phrase's characters that ``text`` holds in the same order, in runs of MIN_RUN
    or more (1.0: the whole phrase, word endings aside); case, accents and punctuation ignored."""
    from difflib import SequenceMatcher  # only who-said needs it

    phrase = " ".join(words)
    matcher = SequenceMatcher(None, phrase, name_key(text), autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks() if b.size >= MIN_RUN) / len(phrase)


def _term(word: str) -> str:
    return f'"{word}"' + (" *" if len(word) >= PREFIX_FROM else "")


def _rarest(session: Session, words: list[str], budget: int) -> list[str]:
    """The rarest of ``words`` (two at least, when there are) while the quotes that can hold two of
    them number at most ``budget``; words in no quote are left out."""
    counts = fulltext.term_counts(session, words, budget)
    chosen: list[str] = []
    bound = 0  # a pair's quotes are at most those of its rarer word
    for word in sorted((w for w in words if counts.get(w)), key=lambda w: (counts[w], words.index(w))):
        bound += sum(counts[w] for w in chosen)
        if len(chosen) >= 2 and bound > budget:
            break
        chosen.append(word)
    return chosen


def _near(words: list[str]) -> str:
    """FTS5 expression: any two of ``words`` (the one word, if alone)."""
    from itertools import combinations

    if len(words) == 1:
        return _term(words[0])
    return " OR ".join(f"({_term(a)} AND {_term(b)})" for a, b in combinations(words, 2))


def who_said(session: Session, phrase: str, *, limit: int = 10, **filters: Any) -> list[dict[str, Any]]:
    """Quotes holding ``phrase`` or something close to it, with their speaker and article, best first.

    Tiers of full-text search, each tried only when the ones before found nothing close enough: the
    phrase; all of its words in any order; any two of its rarest words (NEAR_MATCHES); words of
    PREFIX_FROM letters or more match as prefixes. A candidate's ``score`` is _similarity (1.0: the
    whole phrase); at least MIN_SIMILARITY to be kept; ties go to the better full-text rank.
    ``filters`` are search_quotes'.
    """
    words = name_key(phrase or "").split()  # unicode61's tokens, folded the way the index folds them
    if not words:
        raise QueryError("the phrase has no words to look for")
    distinct = list(dict.fromkeys(words))
    pool = limit * WHO_SAID_POOL
    found: dict[int, dict[str, Any]] = {}
    # the phrase with its last word as a prefix, so that an inflected ending still matches
    tiers = ['"' + " ".join(words) + '"' + (" *" if len(words[-1]) >= PREFIX_FROM else ""),
             " AND ".join(_term(w) for w in distinct), None]
    for expression in tiers:
        if expression is None:
            rare = _rarest(session, distinct, NEAR_MATCHES)
            if not rare:
                break
            expression = _near(rare)
        for row in search_quotes(session, expression, limit=pool, snippets=False, **filters):
            if row["id"] not in found:
                row["score"] = round(_similarity(words, row["text"]), 3)
                found[row["id"]] = row
        if any(r["score"] >= MIN_SIMILARITY for r in found.values()) or len(distinct) == 1:
            break
    best = sorted((r for r in found.values() if r["score"] >= MIN_SIMILARITY),
                  key=lambda r: (-r["score"], r["rank"], r["id"]))
    return best[:limit]

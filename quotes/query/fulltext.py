"""The full-text index on each backend, one function per backend side by side: what matches a search
expression, its rank and snippet (SQLite: FTS5 MATCH, bm25, snippet; PostgreSQL: a tsvector with a GIN
index, websearch_to_tsquery, ts_rank, or with a RUM index its distance operator, ts_headline), and how many
quotes hold a word (who-said's vocabulary).

A search expression is FTS5's query syntax on both: words (all must occur), "a phrase", OR, NOT, AND,
prefix*, parentheses. On PostgreSQL it is parsed here and built from websearch_to_tsquery for its words
and phrases (which tokenises and folds them as the index does) and to_tsquery for prefixes, joined with
tsquery_and/or/not: what SQLite rejects is rejected here too, with the same message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, Float, FromClause, Integer, column, func, literal, literal_column, select, table
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from quotes.store.lookup import QueryError
from quotes.store.models import FTS_TABLE, PG_RANK_INDEX, PG_SEARCH_COLUMN, PG_SEARCH_CONFIG, Quote

#: Highlighting in search snippets, and how many words a snippet keeps around the matches.
SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS = "**", "**", "…"
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class Match:
    """A search expression against the index: ``where`` selects the matching quotes from ``source`` (the
    index's own table, whose ``quote_id`` is the quote's id, or quotes itself), ``rank`` orders them
    (lower is better), ``snippet`` highlights the matches; ``joins_quotes``: ``source`` is not quotes,
    which a query filtering on quote columns must join; ``order``: the ORDER BY of the best first
    (rank, then the quote's id; rank alone where the index supplies that order and ties come in its own);
    ``quick_order``: an ORDER BY the index serves sooner for the first few matches (ties in its own order)."""

    source: FromClause
    quote_id: ColumnElement[int]
    rank: ColumnElement[float]
    snippet: ColumnElement[str]
    where: ColumnElement[bool]
    joins_quotes: bool
    order: tuple[ColumnElement, ...]
    quick_order: tuple[ColumnElement, ...] | None = None

    @property
    def orders_ties(self) -> bool:
        """Whether ``order`` puts equal ranks in the quotes' id order (else in the index's, which need not hold from
        one statement to the next: a plan that sorts may give them in another)."""
        return len(self.order) > 1


def match(session: Session, text: str) -> Match:
    """The expression ``text`` against this database's full-text index (QueryError if it is malformed,
    on PostgreSQL at once, on SQLite when the statement runs)."""
    if session.get_bind().dialect.name == "postgresql":
        return _match_postgresql(text, ranks_by_index(session))
    return _match_sqlite(text)


#: The FTS5 table as a selectable: rowid is quotes.id, rank is bm25 (lower is better).
_fts = table(FTS_TABLE, column("rowid", Integer), column("rank"))


def _match_sqlite(text: str) -> Match:
    snippet = func.snippet(literal_column(FTS_TABLE), 0, SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS,
                           SNIPPET_WORDS)
    # ORDER BY rank alone, FTS5 sorts the matches itself and works the snippets out only for the rows read;
    # with the rowid as well, SQLite works out every match's snippet before its sort can give a row.
    return Match(_fts, _fts.c.rowid, _fts.c.rank, snippet, literal_column(FTS_TABLE).op("MATCH")(text), True,
                 (_fts.c.rank, _fts.c.rowid), (_fts.c.rank,))


#: The generated tsvector of quotes (migration 0007); not a model column, so the ORM never reads it.
_tsvector = literal_column(f"quotes.{PG_SEARCH_COLUMN}")
#: The RUM index's expression (migration 0011, which says why; only statements naming it read the index): the
#: tsvector, its positions weighted by the quote's length in four classes.
_RANK_VECTOR = ("setweight(quotes.text_search, CASE WHEN length(quotes.text_search) <= 8 THEN 'A' "
                "WHEN length(quotes.text_search) <= 16 THEN 'B' WHEN length(quotes.text_search) <= 32 THEN 'C' "
                "ELSE 'D' END::\"char\")")
_ranked_tsvector = literal_column(_RANK_VECTOR)
_config = literal_column(f"'{PG_SEARCH_CONFIG}'::regconfig")
#: ts_headline's options: about SNIPPET_WORDS words around the matches, in one fragment.
_HEADLINE = (f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords={SNIPPET_WORDS}, "
             f"MinWords={SNIPPET_WORDS // 2}, MaxFragments=1, FragmentDelimiter={SNIPPET_ELLIPSIS}")
#: ts_rank normalisation 1: divided by 1 + the log of the quote's length, so that, as with bm25, a short
#: quote holding the words ranks above a long one. (RUM's distance, where the RUM index is, is computed from
#: the words' positions and their weights alone: 1 / ts_rank_cd's cover density score, without
#: normalisation, more occurrences and words closer together ranking higher. The quote's length comes in
#: as the positions' weight, in four classes (_RANK_VECTOR): within a class, quotes holding the words as
#: often and as close tie.)
_RANK_NORMALISATION = 1


def _match_postgresql(text: str, rum: bool) -> Match:
    tree = _parse(text)
    query = _tsquery(tree, text)
    quotes = Quote.__table__
    snippet = func.ts_headline(_config, quotes.c.text, query, _HEADLINE)
    if rum and _words_only(tree):
        # RUM's distance (1 / its score, lower is better): the index scan hands the matches over in this
        # order, so a page of a common word's matches costs the page. Ordering by the id as well would
        # make PostgreSQL rank every match again (a sort, not the index's order): ties stay in RUM's order.
        # Words only: with a phrase RUM checks the positions of every quote holding any of its words (130
        # to 250 ms for three common words at 1M quotes, GIN 10), with a prefix beside other words it
        # merges every word the prefix begins (120 ms, GIN 5); a prefix alone, where RUM is as fast as
        # GIN, ranks as the others with a prefix do.
        rank = _ranked_tsvector.op("<=>", return_type=Float)(query)
        return Match(quotes, quotes.c.id, rank, snippet, _ranked_tsvector.op("@@")(query), False, (rank,))
    rank = -func.ts_rank(_tsvector, query, _RANK_NORMALISATION)  # negated: lower is better, as bm25
    return Match(quotes, quotes.c.id, rank, snippet, _tsvector.op("@@")(query), False, (rank, quotes.c.id))


#: Per engine, whether its database has the RUM index (migration 0011): looked up once, on first search.
_RANK_INDEX: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def ranks_by_index(session: Session) -> bool:
    """Whether PostgreSQL search ranks through the RUM index (the database has it), else with ts_rank over
    the GIN index; asked of the catalog once per engine (use_rank_index changes the answer)."""
    engine = _engine(session)
    known = _RANK_INDEX.get(engine)
    if known is None:
        known = _RANK_INDEX[engine] = bool(session.scalar(sql("SELECT to_regclass(:name) IS NOT NULL"),
                                                          {"name": PG_RANK_INDEX}))
    return known


def use_rank_index(session: Session, use: bool | None) -> None:
    """Rank searches on this session's engine through the RUM index (True, which must exist) or with ts_rank
    (False); None: ask the catalog again (after the index was made or dropped while the process ran)."""
    engine = _engine(session)
    if use is None:
        _RANK_INDEX.pop(engine, None)
    else:
        _RANK_INDEX[engine] = use


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


# -- who-said's vocabulary: how many quotes hold each word ------------------------------------------

def term_counts(session: Session, words: list[str], cap: int) -> dict[str, int]:
    """How many quotes hold each of ``words`` (name_key words), counted up to ``cap`` at least; a word in
    no quote has no entry."""
    return _COUNTERS[session.get_bind().dialect.name](session, words, cap)


#: fts5vocab table over quotes_fts (migration 0003): each term's number of quotes.
FTS_VOCAB = "quotes_fts_vocab"


def _term_counts_sqlite(session: Session, words: list[str], cap: int) -> dict[str, int]:
    vocab = table(FTS_VOCAB, column("term"), column("doc"))
    return dict(session.execute(select(vocab.c.term, vocab.c.doc).where(vocab.c.term.in_(words))).all())


#: A word PostgreSQL's statistics put in more than this many times ``cap`` quotes is not counted: it is in
#: more than cap (the margin covers the statistics' sample and their age).
COMMON_MARGIN = 2


def _term_counts_postgresql(session: Session, words: list[str], cap: int) -> dict[str, int]:
    # PostgreSQL keeps no count per lexeme; the GIN index finds each word's quotes, counted up to cap + 1
    # (enough to rank the words: more than cap ends who-said's choice of words at once)
    common = _common_words(session, words, COMMON_MARGIN * cap)
    counts = {word: cap + 1 for word in common}
    for word in dict.fromkeys(words):
        if word in common:  # counting a common word's first cap quotes cost 10 to 50 ms at 1M quotes
            continue
        hits = select(literal(1)).select_from(Quote.__table__).where(
            _tsvector.op("@@")(func.websearch_to_tsquery(_config, word))).limit(cap + 1).subquery()
        n = session.scalar(select(func.count()).select_from(hits))
        if n:
            counts[word] = n
    return counts


def _common_words(session: Session, words: list[str], bound: int) -> set[str]:
    """Those of ``words`` that the planner's statistics (ANALYZE's most common lexemes of quotes' tsvector,
    with the share of quotes holding each) put in more than ``bound`` quotes; none without statistics."""
    return set(session.scalars(sql(
        "SELECT e.word FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) "
        "AS e(word, freq) WHERE s.schemaname = current_schema() AND s.tablename = 'quotes' "
        "AND s.attname = :column AND e.word = ANY(:words) "
        "AND e.freq * (SELECT reltuples FROM pg_class WHERE oid = 'quotes'::regclass) > :bound"),
        {"column": PG_SEARCH_COLUMN, "words": list(words), "bound": bound}))


_COUNTERS = {"sqlite": _term_counts_sqlite, "postgresql": _term_counts_postgresql}


# -- FTS5's query syntax, read for PostgreSQL ---------------------------------------------------------

#: FTS5's barewords: ASCII letters, digits and "_", and every character beyond ASCII.
_BAREWORD = re.compile(r"[A-Za-z0-9_\x80-\U0010ffff]+")
_KEYWORDS = ("AND", "OR", "NOT")


def _tokens(text: str) -> list[tuple[str, Any]]:
    """(kind, value) tokens of an FTS5 expression: word, phrase, (, ), *, AND, OR, NOT."""
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = i + 1
            parts = []
            while True:  # "" inside a string is a double quote
                close = text.find('"', end)
                if close == -1:
                    raise _syntax("unterminated string")
                parts.append(text[end:close])
                if text.startswith('"', close + 1):
                    parts.append('"')
                    end = close + 2
                    continue
                i = close + 1
                break
            out.append(("phrase", "".join(parts)))
        elif c in "()*":
            out.append((c, c))
            i += 1
        else:
            word = _BAREWORD.match(text, i)
            if word is None:
                raise _syntax(f'syntax error near "{c}"')
            value = word.group()
            i = word.end()
            if value in _KEYWORDS:
                out.append((value, value))
            elif text.startswith("(", i) and value == "NEAR":
                raise _syntax("NEAR groups are not supported")
            else:
                out.append(("word", value))
    return out


def _syntax(message: str) -> QueryError:
    return QueryError(f"fts5: {message}")


@dataclass(frozen=True)
class _Term:
    words: str  # the word, or the phrase's text
    prefix: bool
    phrase: bool


class _Parser:
    """FTS5's grammar: OR binds loosest, then AND (or words side by side), then NOT."""

    def __init__(self, tokens: list[tuple[str, Any]]):
        self.tokens, self.i = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self):
        node = self.or_()
        if self.peek() is not None:
            raise _syntax(f'syntax error near "{self.tokens[self.i][1]}"')
        return node

    def or_(self):
        node = self.and_()
        while self.peek() == "OR":
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek() in ("AND", "word", "phrase", "("):
            if self.peek() == "AND":
                self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self):
        node = self.primary()
        while self.peek() == "NOT":
            self.take()
            node = ("not", node, self.primary())
        return node

    def primary(self):
        kind = self.peek()
        if kind is None:
            raise _syntax("syntax error near end of expression")
        if kind == "(":
            self.take()
            node = self.or_()
            if self.peek() != ")":
                raise _syntax("syntax error: unbalanced parentheses")
            self.take()
            return node
        if kind in ("word", "phrase"):
            _, value = self.take()
            prefix = self.peek() == "*"
            if prefix:
                self.take()
            return _Term(value, prefix, kind == "phrase")
        raise _syntax(f'syntax error near "{self.tokens[self.i][1]}"')


def _parse(text: str):
    return _Parser(_tokens(text)).parse()


def _words_only(node) -> bool:
    """Whether a parsed expression is words alone: no prefix, no phrase of several words (a word with
    punctuation is one too)."""
    if isinstance(node, _Term):
        return not node.prefix and len(_BAREWORD.findall(node.words)) == 1
    return all(_words_only(child) for child in node[1:])


def _tsquery(node, text: str) -> ColumnElement:
    """The tsquery of a parsed expression: words and phrases through websearch_to_tsquery (in double quotes:
    its operators are not ours), prefixes through to_tsquery's ":*"."""
    if isinstance(node, _Term):
        words = node.words.split()
        if not words:
            raise QueryError(f"fts5: empty phrase in {text!r}")
        if not node.prefix:
            return func.websearch_to_tsquery(_config, '"' + " ".join(words) + '"')
        last = func.to_tsquery(_config, "'" + words[-1].replace("\\", "\\\\").replace("'", "''") + "':*")
        if len(words) == 1:
            return last
        return func.tsquery_phrase(func.websearch_to_tsquery(_config, '"' + " ".join(words[:-1]) + '"'), last)
    op, left, right = node
    a, b = _tsquery(left, text), _tsquery(right, text)
    if op == "and":
        return func.tsquery_and(a, b)
    if op == "or":
        return func.tsquery_or(a, b)
    return func.tsquery_and(a, func.tsquery_not(b))

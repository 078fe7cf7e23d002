"""Read the database: quotes by speaker, country, organisation or words; speakers; one quote in context."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from time import perf_counter
from typing import Any

from sqlalchemy import (
    Column, ColumnElement, Integer, MetaData, Select, String, Table, column, func, insert, literal,
    literal_column, or_, select, table, type_coerce, union,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quotes.entities.countries import country_name, resolve_country_arg
from quotes.store.models import (
    FTS_TABLE, ORGANIZATION_KINDS, QUOTE_KINDS, Affiliation, Article, Correction, Organization,
    OrganizationAlias, Quote, Speaker, SpeakerAlias, SpeakerOrganization, name_key,
)

#: The FTS5 table as a selectable: rowid is quotes.id, rank is bm25 (lower is better).
_fts = table(FTS_TABLE, column("rowid"), column("rank"))


class QueryError(ValueError):
    """A filter or search expression that cannot be run; the message is meant for the user."""


def _words_in(col, key: str) -> ColumnElement[bool]:
    """``key``'s words appear together, as whole words, in the name_key column ``col``."""
    # name_key values contain only word characters and single spaces: no LIKE wildcards to escape
    return (literal(" ") + col + literal(" ")).like(f"% {key} %")


def _key(value: str, what: str) -> str:
    key = name_key(value or "")
    if not key:
        raise QueryError(f"{what} {value!r} has no letters or digits to match")
    return key


def speakers_named(value: str) -> Select:
    """Ids of speakers whose name or an alias contains the words of ``value`` (case/accents ignored)."""
    key = _key(value, "speaker")
    return select(SpeakerAlias.speaker_id).where(_words_in(SpeakerAlias.key, key))


def speakers_of_country(value: str) -> Select:
    """Ids of speakers of a country (code or name), directly or through an organisation of theirs."""
    code = resolve_country_arg(value)
    if code is None:
        raise QueryError(f"unknown country {value!r} (give an ISO code such as FR, or a name)")
    return union(
        select(Speaker.id).where(Speaker.country == code),
        select(Affiliation.speaker_id).join(Organization, Affiliation.organization_id == Organization.id)
        .where(Organization.country == code),
        select(Speaker.id).join(Organization, Speaker.organization_id == Organization.id)
        .where(Organization.country == code),
    )


def organizations_named(value: str) -> Select:
    """Ids of organisations a name, wording or code (EU, UN) stands for (see resolution.org_identity)."""
    from quotes.store.resolution import org_identity

    key = _key(value, "organisation")
    keys = {key}
    ident = org_identity(value)
    if ident.canon.startswith("@"):  # "EU" -> "European Union"
        keys.add(name_key(ident.name))
    return select(OrganizationAlias.organization_id).where(
        or_(OrganizationAlias.canon == ident.canon, *(_words_in(OrganizationAlias.key, k) for k in keys)))


def speakers_of_org(value: str) -> Select:
    """Ids of speakers affiliated with an organisation named ``value``, or that are that organisation."""
    key = _key(value, "organisation")
    orgs = organizations_named(value)
    return union(
        select(Affiliation.speaker_id).where(Affiliation.organization_id.in_(orgs)),
        select(Speaker.id).where(Speaker.organization_id.in_(orgs)),
        select(SpeakerAlias.speaker_id).join(Speaker, SpeakerAlias.speaker_id == Speaker.id)
        .where(Speaker.kind == "organization", _words_in(SpeakerAlias.key, key)),
    )


def _filter(stmt: Select, speaker_col, *, speaker: str | None = None, country: str | None = None,
            org: str | None = None) -> Select:
    if speaker:
        stmt = stmt.where(speaker_col.in_(speakers_named(speaker)))
    if country:
        stmt = stmt.where(speaker_col.in_(speakers_of_country(country)))
    if org:
        stmt = stmt.where(speaker_col.in_(speakers_of_org(org)))
    return stmt


def outlets_named(session: Session, value: str) -> list[str]:
    """Outlet names, as stored, that contain the words of ``value`` (case/accents/punctuation ignored)."""
    key = _key(value, "outlet")
    # few distinct outlets, read off the (outlet, n_quotes) index; matched as speakers' names are
    names = session.scalars(select(Article.outlet).where(Article.outlet.is_not(None)).distinct())
    return [name for name in names if f" {key} " in f" {name_key(name)} "]


def _quote_filter(stmt: Select, *, speaker=None, country=None, org=None, article_id=None,
                  kind=None, outlet: str | None = None, since: date | None = None,
                  until: date | None = None, min_confidence: float | None = None,
                  attributed: bool = False, session: Session | None = None, joined: bool = False,
                  indexed: bool = True) -> Select:
    """``stmt`` restricted to quotes that pass every filter given (``outlet`` needs ``session``).

    ``joined``: ``stmt`` joins articles, so article conditions apply to its columns (an index on
    them can drive the query); else they are article-id subqueries, and no join is needed.
    ``indexed=False`` words the quote conditions so that SQLite cannot use their indexes ("+ 0"),
    leaving it to read quotes in the order of the index the query sorts by.
    """
    speaker_id = Quote.speaker_id if indexed else Quote.speaker_id + 0
    stmt = _filter(stmt, speaker_id, speaker=speaker, country=country, org=org)
    if article_id is not None:
        stmt = stmt.where((Quote.article_id if indexed else Quote.article_id + 0) == article_id)
    if kind:
        if kind not in QUOTE_KINDS:
            raise QueryError(f"unknown quote kind {kind!r} (one of {', '.join(QUOTE_KINDS)})")
        stmt = stmt.where((Quote.kind if indexed else Quote.kind.concat("")) == kind)
    if since and until and since > until:
        raise QueryError(f"--since {since.isoformat()} is after --until {until.isoformat()}")
    articles = []
    if outlet:
        if session is None:
            raise TypeError("the outlet filter needs a session")
        articles.append(Article.outlet.in_(outlets_named(session, outlet)))
    if since:
        articles.append(Article.published >= since)
    if until:
        articles.append(Article.published <= until)
    if articles:
        quote_article = Quote.article_id if indexed else Quote.article_id + 0
        stmt = stmt.where(*articles) if joined else stmt.where(
            quote_article.in_(select(Article.id).where(*articles)))
    if min_confidence is not None:
        stmt = stmt.where((Quote.confidence if indexed else Quote.confidence + 0) >= min_confidence)
    if attributed:
        stmt = stmt.where(Quote.speaker_id.is_not(None))
    return stmt


def _quotes_select(*extra, articles_first: bool = False) -> Select:
    """Quotes with their article's fields and speaker; ``articles_first`` makes SQLite read articles
    first (in an index's order) and find their quotes, instead of the other way round."""
    stmt = select(Quote, Article.source, Article.title, Speaker, Article.outlet, Article.published,
                  Article.url, *extra)
    if articles_first:  # "+ 0": no index can find an article from a quote, so articles lead
        stmt = stmt.select_from(Article).join(Quote, Quote.article_id == Article.id + 0)
    else:
        stmt = stmt.join(Article, Quote.article_id == Article.id)
    return stmt.outerjoin(Speaker, Quote.speaker_id == Speaker.id)


def _as_dicts(session: Session, rows) -> list[dict[str, Any]]:
    """Rows of (Quote, source, title, Speaker, ...) as dicts in the extract contract, plus ids."""
    articles = {r[0].article_id for r in rows if r[0].speaker_id is not None}
    seen_as: dict[tuple[int, int], tuple[str | None, str | None]] = {}
    if articles:
        affs = session.execute(
            select(Affiliation.speaker_id, Affiliation.article_id, Affiliation.title, Organization.name)
            .outerjoin(Organization, Affiliation.organization_id == Organization.id)
            .where(Affiliation.article_id.in_(articles)).order_by(Affiliation.id))
        for speaker_id, article_id, title, org in affs:
            seen_as.setdefault((speaker_id, article_id), (title, org))
    out = []
    for q, source, article_title, sp, outlet, published, url, *_ in rows:
        title, org = seen_as.get((q.speaker_id, q.article_id), (None, None))
        out.append({
            "id": q.id,
            "article_id": q.article_id,
            "article_title": article_title,
            "outlet": outlet,
            "published": published.isoformat() if published else None,
            "url": url,
            "file": source,
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "kind": q.kind,
            "speaker": sp.name if sp else None,
            "speaker_mention": q.speaker_mention,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "speaker_kind": sp.kind if sp else None,
            "title": title,
            "organization": org,
            "country": sp.country if sp else None,
            "cue": q.cue,
            "confidence": round(q.confidence, 3),
            "method": q.method,
        })
    return out


#: Orders of list and search. relevance: best full-text match first (search only); article: by
#: article, then position (list's default); newest / oldest: by the article's date, undated last;
#: confidence: most confident first.
SORTS = ("relevance", "article", "newest", "oldest", "confidence")

#: With filters, list first counts matches up to this many. Fewer are fetched and sorted; with
#: more, quotes are read in the order of an index (articles by date for newest/oldest) until the
#: page is full, unless that takes longer than INDEX_ORDER_BUDGET seconds (the matches sit far down
#: the index), and then they too are fetched and sorted.
DENSE_MATCHES = 2000
INDEX_ORDER_BUDGET = 0.03


def _filtering(filters: dict[str, Any]) -> bool:
    return any(v is not None and v is not False and v != "" for v in filters.values())


def _dense(session: Session, filters: dict[str, Any]) -> bool:
    """Do at least DENSE_MATCHES quotes pass ``filters``? (Counting stops there.)"""
    probe = _quote_filter(select(Quote.id), session=session, **filters).limit(DENSE_MATCHES).subquery()
    return session.scalar(select(func.count()).select_from(probe)) >= DENSE_MATCHES


def _ordered(stmt: Select, sort: str, in_index_order: bool) -> Select:
    """``stmt`` (quotes joined to articles) in ``sort`` order.

    SQLite's planner does not weigh LIMIT: left alone it may fetch and sort every match, or walk a
    whole index for a few. ``in_index_order`` orders by the plain indexed columns, so SQLite reads
    them in index order and stops when the page is full; otherwise an expression ("+ 0", "|| ''")
    hides that index, so the filters' indexes find the matches, which are then sorted.
    """
    if sort == "article":
        article_id = Quote.article_id if in_index_order else Quote.article_id + 0
        return stmt.order_by(article_id, Quote.start, Quote.id)
    if sort in ("newest", "oldest"):  # in index order: ``stmt`` is _quotes_select(articles_first=True)
        published = Article.published if in_index_order else Article.published.op("||")("")  # text: not "+ 0"
        if sort == "newest":  # SQLite puts NULL first when ascending, last when descending
            return stmt.order_by(published.desc(), Article.id.desc(), Quote.start, Quote.id)
        if in_index_order:  # the caller reads dated articles, then undated ones
            return stmt.order_by(published, Article.id, Quote.start, Quote.id)
        return stmt.order_by(published.is_(None), published, Article.id, Quote.start, Quote.id)
    if sort == "confidence":
        confidence = Quote.confidence if in_index_order else Quote.confidence + 0
        return stmt.order_by(confidence.desc(), Quote.id.desc())
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


def list_quotes(session: Session, *, speaker: str | None = None, country: str | None = None,
                org: str | None = None, article_id: int | None = None, kind: str | None = None,
                outlet: str | None = None, since: date | None = None, until: date | None = None,
                min_confidence: float | None = None, attributed: bool = False, sort: str = "article",
                limit: int | None = None, offset: int | None = None) -> list[dict[str, Any]]:
    """Quotes matching every filter given, in ``sort`` order (see SORTS), ``offset`` rows skipped."""
    if sort not in SORTS or sort == "relevance":
        raise QueryError(f"cannot sort a list by {sort!r} (one of {', '.join(SORTS[1:])})"
                         + (": relevance needs a search text" if sort == "relevance" else ""))
    filters = dict(speaker=speaker, country=country, org=org, article_id=article_id, kind=kind,
                   outlet=outlet, since=since, until=until, min_confidence=min_confidence,
                   attributed=attributed)

    by_date = sort in ("newest", "oldest")

    def query(in_index_order: bool) -> Select:
        # in index order by date, articles lead and their own conditions narrow the date index scan
        base = _quotes_select(articles_first=in_index_order and by_date)
        return _quote_filter(base, session=session, joined=by_date or not in_index_order,
                             indexed=not in_index_order, **filters)

    def in_index_order() -> list:
        stmt = query(True)
        if sort != "oldest":
            return session.execute(_ordered(stmt, sort, True).limit(limit).offset(offset or None)).all()
        # ascending, the date index has undated articles first: read the dated ones, then the others
        dated = stmt.where(Article.published.is_not(None))
        rows = session.execute(_ordered(dated, sort, True).limit(limit).offset(offset or None)).all()
        if limit is not None and len(rows) >= limit:
            return rows
        skip = max(0, (offset or 0) - session.scalar(select(func.count()).select_from(dated.subquery()))) \
            if not rows else 0
        undated = query(False).where(Article.published.is_(None)).order_by(Article.id, Quote.start, Quote.id)
        more = None if limit is None else limit - len(rows)
        return rows + session.execute(undated.limit(more).offset(skip or None)).all()

    if not _filtering(filters):
        rows = in_index_order()
    else:
        rows = None
        if _dense(session, filters):
            rows = _within(session, INDEX_ORDER_BUDGET, in_index_order)
        if rows is None:
            rows = session.execute(_ordered(query(False), sort, False).limit(limit).offset(offset or None)).all()
    return _as_dicts(session, rows)


#: Highlighting in search snippets, and how many words a snippet keeps around the matches.
SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS = "**", "**", "…"
SNIPPET_WORDS = 24
_MATCH = literal_column(FTS_TABLE).op("MATCH")
#: SQLite errors that mean the database, not the search expression, is the problem.
_DATABASE_TROUBLE = ("database is locked", "disk", "no such table", "readonly", "malformed", "busy")


def _run_search(session: Session, stmt, text: str):
    """Execute a full-text query; a malformed expression becomes a QueryError that says how to fix it."""
    try:
        return session.execute(stmt).all()
    except OperationalError as exc:
        message = " ".join(str(exc.orig).split())
        if any(trouble in message for trouble in _DATABASE_TROUBLE):
            raise
        session.rollback()
        raise QueryError(
            f"cannot search for {text!r}: {message} (words must all occur; \"a phrase\" in double "
            f"quotes; OR, NOT, AND in capitals; prefix*; quote words with punctuation: '\"U.S.\"')"
        ) from None


def search_quotes(session: Session, text: str, *, speaker: str | None = None, country: str | None = None,
                  org: str | None = None, article_id: int | None = None, kind: str | None = None,
                  outlet: str | None = None, since: date | None = None, until: date | None = None,
                  min_confidence: float | None = None, attributed: bool = False,
                  sort: str = "relevance", limit: int | None = None, offset: int | None = None,
                  snippets: bool = True) -> list[dict[str, Any]]:
    """Quotes matching an FTS5 expression (words, "a phrase", OR, NOT, prefix*), best first (bm25).

    Each has ``rank`` (bm25: lower is better) and, with ``snippets``, ``snippet``: the matching
    words between SNIPPET_OPEN and SNIPPET_CLOSE.
    """
    if not text or not text.strip():
        raise QueryError("empty search text")
    filters = dict(speaker=speaker, country=country, org=org, article_id=article_id, kind=kind,
                   outlet=outlet, since=since, until=until, min_confidence=min_confidence,
                   attributed=attributed)
    if sort == "relevance":
        # the page's ids first, from the full-text index (and quotes, to filter): ranking every
        # match is the cost, and the full rows are fetched for the page only
        page = select(_fts.c.rowid, _fts.c.rank).where(_MATCH(text))
        if _filtering(filters):
            page = _quote_filter(page.join(Quote, Quote.id == _fts.c.rowid), session=session, **filters)
        ranked = _run_search(session, page.order_by(_fts.c.rank, _fts.c.rowid)
                             .limit(limit).offset(offset or None), text)
        ranks = dict(ranked)
        fetched = {r[0].id: r for r in session.execute(_quotes_select().where(Quote.id.in_(ranks)))} \
            if ranks else {}
        rows = [fetched[i] for i in ranks]
    elif sort in SORTS:  # all the matches, then sorted
        stmt = _quotes_select(_fts.c.rank).join(_fts, _fts.c.rowid == Quote.id).where(_MATCH(text))
        stmt = _ordered(_quote_filter(stmt, session=session, joined=True, **filters), sort,
                        in_index_order=False)
        rows = _run_search(session, stmt.limit(limit).offset(offset or None), text)
        ranks = {r[0].id: r[-1] for r in rows}
    else:
        raise QueryError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
    out = _as_dicts(session, rows)
    for row in out:
        row["rank"] = round(ranks[row["id"]], 3)
    if not out or not snippets:
        return out
    # snippets for the page only: computing them for every match before the LIMIT would cost more.
    # (Not rank here: per row, bm25 would count each term's matches all over again.)
    snippet = func.snippet(literal_column(FTS_TABLE), 0, SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS,
                           SNIPPET_WORDS)
    found = dict(_run_search(session, select(_fts.c.rowid, snippet)
                             .where(_MATCH(text), _fts.c.rowid.in_([row["id"] for row in out])), text))
    for row in out:
        row["snippet"] = found.get(row["id"], row["text"])
    return out


def speakers(session: Session, *, country: str | None = None, org: str | None = None,
             speaker: str | None = None, limit: int | None = None,
             unnamed: bool = False) -> list[dict[str, Any]]:
    """Each speaker once with what is known of them, most quoted first.

    Descriptions ("a source", one row per article) are left out unless ``unnamed``.
    """
    n_quotes = Speaker.n_quotes  # counters kept by triggers: no pass over the quotes
    stmt = select(Speaker, n_quotes, Speaker.n_articles)
    stmt = _filter(stmt, Speaker.id, speaker=speaker, country=country, org=org)
    if not unnamed:
        stmt = stmt.where(Speaker.named.is_(True))
    rows = session.execute(stmt.order_by(n_quotes.desc(), Speaker.name, Speaker.id).limit(limit)).all()
    ids = [sp.id for sp, *_ in rows]
    aliases: dict[int, list[str]] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    orgs: dict[int, list[str]] = defaultdict(list)
    if ids:
        for speaker_id, alias in session.execute(
                select(SpeakerAlias.speaker_id, SpeakerAlias.alias)
                .where(SpeakerAlias.speaker_id.in_(ids)).order_by(SpeakerAlias.id)):
            aliases[speaker_id].append(alias)
        # a much-quoted speaker has an affiliation row per article: distinct posts, read off
        # ix_affiliations_speaker_id_organization_id_title, in the order they were first seen
        posts = (select(Affiliation.speaker_id, Affiliation.title, Affiliation.organization_id,
                        func.min(Affiliation.id).label("first"))
                 .where(Affiliation.speaker_id.in_(ids))
                 .group_by(Affiliation.speaker_id, Affiliation.organization_id, Affiliation.title).subquery())
        for speaker_id, title, org_name in session.execute(
                select(posts.c.speaker_id, posts.c.title, Organization.name)
                .outerjoin(Organization, posts.c.organization_id == Organization.id).order_by(posts.c.first)):
            if title and title not in titles[speaker_id]:
                titles[speaker_id].append(title)
            if org_name and org_name not in orgs[speaker_id]:
                orgs[speaker_id].append(org_name)
    return [{
        "id": sp.id,
        "name": sp.name,
        "kind": sp.kind,
        "country": sp.country,
        "titles": titles[sp.id],
        "organizations": orgs[sp.id],
        "aliases": [a for a in aliases[sp.id] if a != sp.name],
        "n_quotes": nq,
        "n_articles": na,
    } for sp, nq, na in rows]


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the paragraph(s) holding ``start:end`` (lines are paragraphs in normalised text)."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right == -1 else right


def show_quote(session: Session, quote_id: int) -> dict[str, Any]:
    """One quote with its sentence (or paragraph) and its article."""
    row = session.execute(_quotes_select(Article).where(Quote.id == quote_id)).first()
    if row is None:
        raise QueryError(f"no quote with id {quote_id}")
    q, article = row[0], row[-1]
    out = _as_dicts(session, [row])[0]
    if q.sentence_start is not None and q.sentence_end is not None:
        left, right = min(q.sentence_start, q.start), max(q.sentence_end, q.end)
    else:
        left, right = _paragraph(article.text, q.start, q.end)
    out.update({
        "corrected": q.corrected,
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


# -- entities: finding speakers and organisations by name, profiles, organisations, corrections --

class AmbiguousName(QueryError):
    """A name that fits several rows; ``candidates`` describes each of them."""

    def __init__(self, message: str, candidates: list[dict[str, Any]]):
        super().__init__(message)
        self.candidates = candidates


_ID_REF = re.compile(r"#?(\d+)")


def find_speakers(session: Session, ref: str, *, words: bool = True) -> list[Speaker]:
    """Speakers ``ref`` names: #ID; else the exact name; else an exact alias; else (``words``) a
    name or alias containing its words, or another wording of an organisation. Descriptions
    ("officials") only when no named speaker fits."""
    ref = ref.strip()
    by_id = _ID_REF.fullmatch(ref)
    if by_id:
        row = session.get(Speaker, int(by_id.group(1)))
        return [row] if row is not None else []
    key = _key(ref, "speaker")
    exact = select(Speaker).where(or_(
        Speaker.key == key, Speaker.id.in_(select(SpeakerAlias.speaker_id).where(SpeakerAlias.key == key))))
    by_words = select(Speaker).where(or_(
        Speaker.id.in_(speakers_named(ref)),
        # an organisation's other wordings ("the Azerbaijani defence ministry") find its speaker
        Speaker.organization_id.in_(
            select(OrganizationAlias.organization_id).where(OrganizationAlias.canon == _canon(ref)))))
    for named in (True, False):  # a description ("Armenia" as a vague subject) only when no name fits
        found = list(session.scalars(exact.where(Speaker.named.is_(named)).order_by(Speaker.id)))
        if len(found) == 1 or (found and not words):
            return found
        if words:  # no exact match, or several: everyone the words fit is a candidate
            found = list(session.scalars(by_words.where(Speaker.named.is_(named)).order_by(Speaker.id)))
        if found:
            return found
    return []


def _canon(value: str) -> str:
    from quotes.store.resolution import org_identity

    return org_identity(value).canon


def find_organizations(session: Session, ref: str) -> list[Organization]:
    """Organisations ``ref`` names: #ID; else the exact name or a wording of it (EU, the Azerbaijani
    defence ministry); else a name containing its words."""
    from quotes.store.resolution import org_identity

    ref = ref.strip()
    by_id = _ID_REF.fullmatch(ref)
    if by_id:
        row = session.get(Organization, int(by_id.group(1)))
        return [row] if row is not None else []
    key = _key(ref, "organisation")
    aliases = select(OrganizationAlias.organization_id)
    tiers = [select(Organization).where(Organization.key == key),
             select(Organization).where(Organization.id.in_(aliases.where(OrganizationAlias.key == key))),
             select(Organization).where(Organization.id.in_(
                 aliases.where(OrganizationAlias.canon == org_identity(ref).canon))),
             select(Organization).where(Organization.id.in_(organizations_named(ref)))]
    for stmt in tiers:
        found = list(session.scalars(stmt.order_by(Organization.id)))
        if found:
            return found
    return []


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _speaker_brief(sp: Speaker, n_quotes: int | None = None) -> dict[str, Any]:
    out = {"id": sp.id, "name": sp.name, "kind": sp.kind, "country": sp.country, "named": sp.named}
    if n_quotes is not None:
        out["n_quotes"] = n_quotes
    return out


def _quote_counts(session: Session, speaker_ids) -> dict[int, int]:
    ids = list(speaker_ids)
    if not ids:
        return {}
    return dict(session.execute(select(Quote.speaker_id, func.count(Quote.id))
                                .where(Quote.speaker_id.in_(ids)).group_by(Quote.speaker_id)).all())


def speaker_profile(session: Session, ref: str, *, recent: int = 5) -> dict[str, Any]:
    """Everything known of one speaker: names, country, posts over time, counts, recent quotes.

    Raises AmbiguousName (with the candidates) when ``ref`` fits several speakers.
    """
    found = find_speakers(session, ref)
    if not found:
        raise QueryError(f"no speaker matches {ref!r}")
    if len(found) > 1:
        counts = _quote_counts(session, (s.id for s in found))
        candidates = [_speaker_brief(s, counts.get(s.id, 0)) for s in found]
        raise AmbiguousName(f"{ref!r} matches {len(found)} speakers; give one as #ID", candidates)
    sp = found[0]
    stats = session.execute(
        select(func.count(Quote.id), func.count(Quote.article_id.distinct()),
               func.min(Article.published), func.max(Article.published))
        .join(Article, Quote.article_id == Article.id).where(Quote.speaker_id == sp.id)).one()
    seen = session.execute(
        select(func.min(Affiliation.seen_on), func.max(Affiliation.seen_on))
        .where(Affiliation.speaker_id == sp.id)).one()
    dates = [d for d in (stats[2], stats[3], *seen) if d is not None]

    posts: dict[tuple, dict[str, Any]] = {}
    for aff, org in session.execute(
            select(Affiliation, Organization).outerjoin(Organization, Affiliation.organization_id == Organization.id)
            .where(Affiliation.speaker_id == sp.id).order_by(Affiliation.seen_on, Affiliation.article_id)):
        ident = (aff.organization_id, (aff.title or "").casefold())
        post = posts.setdefault(ident, {
            "title": aff.title, "organization": org.name if org else None,
            "organization_id": aff.organization_id, "organization_country": org.country if org else None,
            "articles": [], "first_seen": None, "last_seen": None})
        if aff.article_id not in post["articles"]:
            post["articles"].append(aff.article_id)
        if aff.seen_on:
            post["first_seen"] = min(filter(None, (post["first_seen"], _iso(aff.seen_on))))
            post["last_seen"] = max(filter(None, (post["last_seen"], _iso(aff.seen_on))))
    org = session.get(Organization, sp.organization_id) if sp.organization_id else None
    members: list[dict[str, Any]] = []
    if org is not None:
        people = list(session.scalars(
            select(Speaker).where(Speaker.id.in_(
                select(Affiliation.speaker_id).where(Affiliation.organization_id == org.id)))
            .order_by(Speaker.name)))
        counts = _quote_counts(session, (p.id for p in people))
        members = sorted((_speaker_brief(p, counts.get(p.id, 0)) for p in people),
                         key=lambda m: -m["n_quotes"])
    quotes = session.execute(
        select(Quote, Article.published).join(Article, Quote.article_id == Article.id)
        .where(Quote.speaker_id == sp.id)
        .order_by(Article.published.desc().nulls_last(), Quote.article_id.desc(), Quote.start)
        .limit(recent)).all()
    return {
        **_speaker_brief(sp),
        "country_name": country_name(sp.country) if sp.country else None,
        "curated": sp.curated,
        "organization": ({"id": org.id, "name": org.name, "kind": org.kind, "country": org.country}
                         if org else None),
        "aliases": sorted({a.alias for a in sp.aliases} - {sp.name}),
        "affiliations": [{**p, "n_articles": len(p["articles"])} for p in posts.values()],
        "members": members,
        "n_quotes": stats[0],
        "n_articles": stats[1],
        "first_seen": _iso(min(dates)) if dates else None,
        "last_seen": _iso(max(dates)) if dates else None,
        "recent_quotes": [{"id": q.id, "article_id": q.article_id, "published": _iso(published),
                           "kind": q.kind, "text": q.text} for q, published in quotes],
    }


def organizations(session: Session, *, country: str | None = None, kind: str | None = None,
                  org: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Organisations with their people (members, and the speaker that is the body) and quote counts,
    most quoted first."""
    stmt = select(Organization)
    if country:
        code = resolve_country_arg(country)
        if code is None:
            raise QueryError(f"unknown country {country!r} (give an ISO code such as FR, or a name)")
        stmt = stmt.where(Organization.country == code)
    if kind:
        if kind not in ORGANIZATION_KINDS:
            raise QueryError(f"unknown organisation kind {kind!r} (one of {', '.join(ORGANIZATION_KINDS)})")
        stmt = stmt.where(Organization.kind == kind)
    if org:
        stmt = stmt.where(Organization.id.in_(organizations_named(org)))
    orgs = list(session.scalars(stmt))
    ids = [o.id for o in orgs]
    people: dict[int, set[int]] = defaultdict(set)
    voices: dict[int, set[int]] = defaultdict(set)
    if ids:
        for org_id, speaker_id in session.execute(
                select(Affiliation.organization_id, Affiliation.speaker_id)
                .where(Affiliation.organization_id.in_(ids)).distinct()):
            people[org_id].add(speaker_id)
        for org_id, speaker_id in session.execute(
                select(Speaker.organization_id, Speaker.id).where(Speaker.organization_id.in_(ids))):
            voices[org_id].add(speaker_id)
    everyone = set().union(*people.values(), *voices.values()) if ids else set()
    counts = _quote_counts(session, everyone)
    names = dict(session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(everyone))).all()) \
        if everyone else {}
    rows = []
    for o in orgs:
        members = sorted(people[o.id] - voices[o.id], key=lambda i: (-counts.get(i, 0), names[i]))
        rows.append({
            "id": o.id,
            "name": o.name,
            "kind": o.kind,
            "country": o.country,
            "aliases": sorted({a.alias for a in o.aliases} - {o.name}),
            "n_people": len(members),
            "people": [names[i] for i in members],
            "own_quotes": sum(counts.get(i, 0) for i in voices[o.id]),
            "n_quotes": sum(counts.get(i, 0) for i in people[o.id] | voices[o.id]),
        })
    rows.sort(key=lambda r: (-r["n_quotes"], -r["n_people"], r["name"], r["id"]))
    return rows[:limit] if limit else rows


def _summary(action: str, detail: dict[str, Any]) -> str:
    if action in ("merge-speakers", "merge-orgs"):
        moved = f", {detail['quotes']} quotes" if "quotes" in detail else ""
        return f"{detail.get('from')} into {detail.get('into')}{moved}"
    if action == "set-speaker":
        return f"{detail.get('previous') or 'nobody'} -> {detail.get('speaker') or 'nobody'}"
    if "old" in detail or "new" in detail:
        return f"{detail.get('old') or '-'} -> {detail.get('new') or '-'}"
    return json.dumps(detail, ensure_ascii=False)


def corrections(session: Session, *, action: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The manual corrections, oldest first (with ``limit``: the latest ``limit`` of them)."""
    stmt = select(Correction)
    if action:
        stmt = stmt.where(Correction.action == action)
    rows = list(session.scalars(stmt.order_by(Correction.id.desc()).limit(limit)))[::-1]
    out = []
    for c in rows:
        detail = json.loads(c.detail) if c.detail else {}
        out.append({"id": c.id, "created_at": c.created_at.isoformat(sep=" ", timespec="seconds"),
                    "action": c.action, "target": c.target, "summary": _summary(c.action, detail),
                    "detail": detail})
    return out


# -- who said it, and counts ------------------------------------------------------------------------

#: who-said reads this many full-text candidates per result asked for, from each search tier.
WHO_SAID_POOL = 5
#: The least share of the phrase's words a quote must hold, in order, to be offered as a match.
MIN_SIMILARITY = 0.5
#: The loosest tier asks for any two of the phrase's rarest words, taking words while the quotes
#: holding a pair of them may number at most this many: common words would make every quote a
#: candidate, and ranking them all is what costs.
NEAR_MATCHES = 20_000
#: fts5vocab table over quotes_fts (migration 0003): each term's number of quotes.
FTS_VOCAB = "quotes_fts_vocab"


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
    vocab = table(FTS_VOCAB, column("term"), column("doc"))
    counts = dict(session.execute(select(vocab.c.term, vocab.c.doc).where(vocab.c.term.in_(words))).all())
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


#: What stats counts quotes by.
STATS_DIMENSIONS = ("speaker", "country", "organization", "outlet", "month")


def stats(session: Session, *, by: tuple[str, ...] | list[str] = STATS_DIMENSIONS, top: int | None = 10,
          **filters: Any) -> dict[str, Any]:
    """Quote counts by speaker, country, organisation, outlet and month, of the quotes passing
    ``filters`` (those of list_quotes).

    Returns ``{"total": {...}, "<dimension>": [{"value", "quotes", "share"}, ...]}``: the ``top``
    values of each dimension (all with None or 0), most quoted first; months in time order, the
    latest ``top``. A speaker's country and organisations are counted for each quote they said.
    Without filters the counts come from the counters that triggers keep, not from the quotes.
    """
    unknown = [d for d in by if d not in STATS_DIMENSIONS]
    if unknown:
        raise QueryError(f"cannot count by {unknown[0]!r} (one of {', '.join(STATS_DIMENSIONS)})")
    if _filtering(filters):
        # the matching quotes are found once, into temporary tables the counts below then read
        connection = session.connection()
        for t in _STATS_TABLES.sorted_tables:
            t.drop(connection, checkfirst=True)
            t.create(connection)
        matched, per_speaker, per_article = (_STATS_TABLES.tables[n] for n in _STATS_TABLE_NAMES)
        session.execute(insert(matched).from_select(
            ["speaker_id", "article_id"],
            _quote_filter(select(Quote.speaker_id, Quote.article_id), session=session, **filters)))
        session.execute(insert(per_speaker).from_select(
            ["id", "n"], select(matched.c.speaker_id, func.count()).where(matched.c.speaker_id.is_not(None))
            .group_by(matched.c.speaker_id)))
        session.execute(insert(per_article).from_select(
            ["id", "n"], select(matched.c.article_id, func.count()).group_by(matched.c.article_id)))
        speaker_n, article_n = per_speaker.c.n, per_article.c.n

        def speakers_from(stmt: Select) -> Select:
            return stmt.join(per_speaker, per_speaker.c.id == Speaker.id)

        def articles_from(stmt: Select) -> Select:
            return stmt.select_from(per_article).join(Article, Article.id == per_article.c.id)

        total = session.execute(select(select(func.count()).select_from(matched).scalar_subquery(),
                                       select(func.count()).select_from(per_article).scalar_subquery(),
                                       select(func.count()).select_from(per_speaker).scalar_subquery())).one()
        try:
            return _counts(session, by, top, total, speaker_n, article_n, speakers_from, articles_from,
                           speaker_ids=select(per_speaker.c.id))
        finally:
            for t in reversed(_STATS_TABLES.sorted_tables):
                t.drop(connection, checkfirst=True)
    else:
        speaker_n, article_n = Speaker.n_quotes, Article.n_quotes

        def speakers_from(stmt: Select) -> Select:
            return stmt.where(Speaker.n_quotes > 0)

        def articles_from(stmt: Select) -> Select:
            return stmt.where(Article.n_quotes > 0)

        total = session.execute(select(func.coalesce(func.sum(Article.n_quotes), 0),
                                       func.count().filter(Article.n_quotes > 0),
                                       select(func.count()).where(Speaker.n_quotes > 0).scalar_subquery())
                                ).one()
        return _counts(session, by, top, total, speaker_n, article_n, speakers_from, articles_from)


#: Temporary tables of filtered stats: the matching quotes, and their counts by speaker and article.
_STATS_TABLE_NAMES = ("stats_matched", "stats_speakers", "stats_articles")
_STATS_TABLES = MetaData()
Table(_STATS_TABLE_NAMES[0], _STATS_TABLES, Column("speaker_id", Integer), Column("article_id", Integer),
      prefixes=["TEMPORARY"])
for _name in _STATS_TABLE_NAMES[1:]:
    Table(_name, _STATS_TABLES, Column("id", Integer, primary_key=True), Column("n", Integer),
          prefixes=["TEMPORARY"])


def _counts(session: Session, by, top, total, speaker_n, article_n, speakers_from, articles_from,
            speaker_ids: Select | None = None) -> dict[str, Any]:
    """The counts of stats(), from per-speaker and per-article quote counts (``speaker_n``,
    ``article_n``) that ``speakers_from`` and ``articles_from`` bring into a query."""
    n_total = total[0]
    out: dict[str, Any] = {"total": {"quotes": n_total, "articles": total[1], "speakers": total[2]}}

    def rows(pairs) -> list[dict[str, Any]]:
        return [{"value": value, "quotes": n, "share": round(n / n_total, 4) if n_total else 0.0}
                for value, n in pairs]

    n = func.sum(speaker_n).label("n")
    if "speaker" in by:
        stmt = speakers_from(select(Speaker.name, speaker_n.label("n"))).where(Speaker.named.is_(True))
        out["speaker"] = rows(session.execute(
            stmt.order_by(speaker_n.desc(), Speaker.name, Speaker.id).limit(top or None)))
    if "country" in by:
        stmt = speakers_from(select(Speaker.country, n)).group_by(Speaker.country)
        out["country"] = rows(session.execute(stmt.order_by(n.desc(), Speaker.country).limit(top or None)))
    if "organization" in by:
        # each speaker once per organisation: its members (affiliations) and the speaker that is it
        # members through speaker_organizations (the affiliations' pairs, kept by triggers)
        members = select(SpeakerOrganization.organization_id.label("org"), SpeakerOrganization.speaker_id.label("sid"))
        voices = select(Speaker.organization_id, Speaker.id).where(Speaker.organization_id.is_not(None))
        if speaker_ids is not None:
            members = members.where(SpeakerOrganization.speaker_id.in_(speaker_ids))
            voices = voices.where(Speaker.id.in_(speaker_ids))
        people = union(members, voices).subquery()
        stmt = speakers_from(select(Organization.name, n).select_from(people)
                             .join(Speaker, Speaker.id == people.c.sid)
                             .join(Organization, Organization.id == people.c.org)).group_by(Organization.id)
        out["organization"] = rows(session.execute(
            stmt.order_by(n.desc(), Organization.name).limit(top or None)))
    articles_n = func.sum(article_n).label("n")
    if "outlet" in by:
        stmt = articles_from(select(Article.outlet, articles_n)).group_by(Article.outlet)
        out["outlet"] = rows(session.execute(stmt.order_by(articles_n.desc(), Article.outlet).limit(top or None)))
    if "month" in by:
        # by day through the (published, n_quotes) index, folded into months here: no sort in SQL
        months: dict[str | None, int] = defaultdict(int)
        day = type_coerce(Article.published, String)  # the stored ISO text: no date objects needed
        for published, count in session.execute(articles_from(select(day, articles_n)).group_by(Article.published)):
            months[published[:7] if published else None] += count
        series = sorted(((m, c) for m, c in months.items() if m), key=lambda mc: mc[0])
        if top:
            series = series[-top:]
        if None in months:
            series.append((None, months[None]))  # undated articles, last
        out["month"] = rows(series)
    return out

"""Read the database: quotes by speaker, country, organisation or words; speakers; one quote in context."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Select, column, func, literal, literal_column, select, table, union
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .countries import resolve_country_arg
from .models import (
    FTS_TABLE, QUOTE_KINDS, Affiliation, Article, Organization, OrganizationAlias, Quote, Speaker,
    SpeakerAlias, name_key,
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
    )


def speakers_of_org(value: str) -> Select:
    """Ids of speakers affiliated with an organisation named ``value``, or that are that organisation."""
    key = _key(value, "organisation")
    orgs = select(OrganizationAlias.organization_id).where(_words_in(OrganizationAlias.key, key))
    return union(
        select(Affiliation.speaker_id).where(Affiliation.organization_id.in_(orgs)),
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


def _quote_filter(stmt: Select, *, speaker=None, country=None, org=None, article_id=None,
                  kind=None) -> Select:
    stmt = _filter(stmt, Quote.speaker_id, speaker=speaker, country=country, org=org)
    if article_id is not None:
        stmt = stmt.where(Quote.article_id == article_id)
    if kind:
        if kind not in QUOTE_KINDS:
            raise QueryError(f"unknown quote kind {kind!r} (one of {', '.join(QUOTE_KINDS)})")
        stmt = stmt.where(Quote.kind == kind)
    return stmt


def _quotes_select(*extra) -> Select:
    return (select(Quote, Article.source, Article.title, Speaker, *extra)
            .join(Article, Quote.article_id == Article.id)
            .outerjoin(Speaker, Quote.speaker_id == Speaker.id))


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
    for q, source, article_title, sp, *_ in rows:
        title, org = seen_as.get((q.speaker_id, q.article_id), (None, None))
        out.append({
            "id": q.id,
            "article_id": q.article_id,
            "article_title": article_title,
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


def list_quotes(session: Session, *, speaker: str | None = None, country: str | None = None,
                org: str | None = None, article_id: int | None = None, kind: str | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Quotes matching every filter given, in article and text order."""
    stmt = _quote_filter(_quotes_select(), speaker=speaker, country=country, org=org,
                         article_id=article_id, kind=kind)
    stmt = stmt.order_by(Quote.article_id, Quote.start, Quote.id).limit(limit)
    return _as_dicts(session, session.execute(stmt).all())


def search_quotes(session: Session, text: str, *, speaker: str | None = None, country: str | None = None,
                  org: str | None = None, article_id: int | None = None, kind: str | None = None,
                  limit: int | None = None) -> list[dict[str, Any]]:
    """Quotes matching an FTS5 expression (words, "a phrase", OR, NOT, prefix*), best first (bm25)."""
    if not text or not text.strip():
        raise QueryError("empty search text")
    stmt = (_quotes_select(_fts.c.rank).join(_fts, _fts.c.rowid == Quote.id)
            .where(literal_column(FTS_TABLE).op("MATCH")(text)))
    stmt = _quote_filter(stmt, speaker=speaker, country=country, org=org, article_id=article_id,
                         kind=kind)
    stmt = stmt.order_by(_fts.c.rank, Quote.id).limit(limit)
    try:
        rows = session.execute(stmt).all()
    except OperationalError as exc:
        message = str(exc.orig)
        if "fts5" in message or "no such column" in message or "unterminated" in message:
            session.rollback()
            raise QueryError(
                f"cannot search for {text!r}: {message} (put phrases and words with punctuation in "
                f"double quotes, e.g. '\"climate change\"')") from None
        raise
    return _as_dicts(session, rows)


def speakers(session: Session, *, country: str | None = None, org: str | None = None,
             speaker: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Each speaker once with what is known of them, most quoted first."""
    counts = (select(Quote.speaker_id, func.count(Quote.id).label("n_quotes"),
                     func.count(Quote.article_id.distinct()).label("n_articles"))
              .group_by(Quote.speaker_id).subquery())
    n_quotes = func.coalesce(counts.c.n_quotes, 0)
    stmt = (select(Speaker, n_quotes, func.coalesce(counts.c.n_articles, 0))
            .outerjoin(counts, counts.c.speaker_id == Speaker.id))
    stmt = _filter(stmt, Speaker.id, speaker=speaker, country=country, org=org)
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
        for speaker_id, title, org_name in session.execute(
                select(Affiliation.speaker_id, Affiliation.title, Organization.name)
                .outerjoin(Organization, Affiliation.organization_id == Organization.id)
                .where(Affiliation.speaker_id.in_(ids)).order_by(Affiliation.id)):
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

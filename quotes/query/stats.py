"""Count quotes by speaker, country, organisation, outlet and month."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Select, Table, func, insert, select, union
from sqlalchemy.orm import Session

from quotes.store.lookup import QueryError, filtering, iso_date, quote_filter
from quotes.store.models import Article, Organization, Quote, Speaker, SpeakerOrganization

from .choices import STATS_DIMENSIONS




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
    if filtering(filters):
        # the matching quotes are found once, into temporary tables the counts below then read
        connection = session.connection()
        for t in _STATS_TABLES.sorted_tables:
            t.drop(connection, checkfirst=True)
            t.create(connection)
        matched, per_speaker, per_article = (_STATS_TABLES.tables[n] for n in _STATS_TABLE_NAMES)
        session.execute(insert(matched).from_select(
            ["speaker_id", "article_id"],
            quote_filter(select(Quote.speaker_id, Quote.article_id), session=session, **filters)))
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
        day = iso_date(Article.published)  # ISO text: no date objects needed
        for published, count in session.execute(articles_from(select(day, articles_n)).group_by(Article.published)):
            months[published[:7] if published else None] += count
        series = sorted(((m, c) for m, c in months.items() if m), key=lambda mc: mc[0])
        if top:
            series = series[-top:]
        if None in months:
            series.append((None, months[None]))  # undated articles, last
        out["month"] = rows(series)
    return out

"""What browsing pages need besides the CLI's queries: facet counts, quotes per month and week, one
article with its quotes, a speaker's, an organisation's and a country's activity, and the overview."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy import (
    Column, Float, Integer, MetaData, String, Table, case, column, func, insert, literal_column, select, table,
    type_coerce, union,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quotes.entities.countries import country_name, resolve_country_arg
from quotes.store.lookup import QueryError, filtering, quote_filter
from quotes.store.models import (
    FTS_TABLE, Affiliation, Article, Organization, OrganizationAlias, Quote, Speaker, SpeakerOrganization,
)

from .listing import list_quotes
from .people import organizations, speaker_profile, speakers

#: What facets count quotes by.
FACETS = ("country", "organization", "speaker", "outlet", "kind", "month", "min_confidence")
#: The minimum-confidence facet's steps.
CONFIDENCE_STEPS = (0.5, 0.7, 0.9)

_fts = table(FTS_TABLE, column("rowid"))
_MATCH = literal_column(FTS_TABLE).op("MATCH")

#: Temporary tables of counted quotes on SQLite: the matches, and their counts by speaker and article.
_TEMP = MetaData()
_MATCHED = Table("browse_matched", _TEMP, Column("speaker_id", Integer), Column("article_id", Integer),
                 Column("kind", String(20)), Column("confidence", Float), prefixes=["TEMPORARY"])
_PER_SPEAKER = Table("browse_speakers", _TEMP, Column("id", Integer, primary_key=True), Column("n", Integer),
                     prefixes=["TEMPORARY"])
_PER_ARTICLE = Table("browse_articles", _TEMP, Column("id", Integer, primary_key=True), Column("n", Integer),
                     prefixes=["TEMPORARY"])


#: SQLite errors that mean the database, not the search expression, is the problem.
_DATABASE_TROUBLE = ("database is locked", "disk", "no such table", "readonly", "malformed", "busy")


class OverBudget(Exception):
    """Counting took longer than the time it was given."""


def _within(session: Session, seconds: float | None, run: Callable[[], Any]) -> Any:
    """``run()``, interrupted by SQLite after ``seconds`` (then OverBudget); no limit elsewhere."""
    dbapi = session.connection().connection.dbapi_connection
    if seconds is None or not hasattr(dbapi, "set_progress_handler"):
        return run()
    deadline = perf_counter() + seconds
    dbapi.set_progress_handler(lambda: perf_counter() > deadline, 1_000)
    try:
        return run()
    except OperationalError as exc:
        if "interrupted" not in str(exc.orig):
            raise
        raise OverBudget from None
    finally:
        dbapi.set_progress_handler(None, 0)


def _matches(session: Session, text: str | None, filters: dict[str, Any]):
    """The counted columns of the quotes that ``text`` (FTS5) and ``filters`` select."""
    cols = (Quote.speaker_id, Quote.article_id, Quote.kind, Quote.confidence)
    if text:
        stmt = select(*cols).select_from(_fts).join(Quote, Quote.id == _fts.c.rowid).where(_MATCH(text))
    else:
        stmt = select(*cols)
    return quote_filter(stmt, session=session, **filters)


def _month(value: Any) -> str | None:
    return str(value)[:7] if value else None


def _week(value: Any) -> str | None:
    """The Monday of ``value``'s ISO week, as YYYY-MM-DD."""
    if not value:
        return None
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return (day - timedelta(days=day.weekday())).isoformat()


def _series(pairs: Iterable[tuple[Any, int]], fold: Callable[[Any], str | None]) -> dict[str, Any]:
    """Counts by day folded into months or weeks, in time order, and the undated apart."""
    folded: dict[str | None, int] = defaultdict(int)
    for day, n in pairs:
        folded[fold(day)] += int(n or 0)
    undated = folded.pop(None, 0)
    return {"series": [{"value": k, "count": folded[k]} for k in sorted(folded)], "undated": undated}


def counts(session: Session, text: str | None = None, *, by: Iterable[str] = FACETS, top: int | None = 10,
           budget: float | None = None, materialize: bool | None = None, **filters: Any) -> dict[str, Any]:
    """Counts of the quotes that ``text`` (an FTS5 expression, or None) and ``filters`` (list_quotes')
    select: ``total`` and, for each dimension of ``by``, values with counts, most first (``top``).

    Dimensions: FACETS, and ``week``. ``speaker`` and ``organization`` values are "#ID" references with
    a ``label``; ``country`` has the country's name as ``label``; ``month`` and ``week`` are
    ``{"series": [...], "undated": n}`` in time order (the latest ``top`` months; all weeks);
    ``min_confidence`` counts quotes at or above each of CONFIDENCE_STEPS. With ``budget`` (seconds,
    SQLite) counting stops when it runs over: then ``counted`` is False and only ``total`` is known
    (None). Unfiltered counts come from the counters that triggers keep. ``materialize`` (default: on
    SQLite) keeps the matches in temporary tables for the counts; otherwise each count reads them anew.
    """
    by = tuple(by)
    unknown = [d for d in by if d not in FACETS + ("week",)]
    if unknown:
        raise QueryError(f"cannot count by {unknown[0]!r} (one of {', '.join(FACETS + ('week',))})")
    if materialize is None:
        materialize = session.get_bind().dialect.name == "sqlite"
    filtered = bool(text) or filtering(filters)
    made: list[Table] = []

    def work() -> dict[str, Any]:
        if not filtered:  # the counters: no pass over the quotes
            matched = select(*(c for c in (Quote.speaker_id, Quote.article_id, Quote.kind, Quote.confidence))).subquery()
            per_speaker = select(Speaker.id.label("id"), Speaker.n_quotes.label("n")).where(Speaker.n_quotes > 0).subquery()
            per_article = select(Article.id.label("id"), Article.n_quotes.label("n")).where(Article.n_quotes > 0).subquery()
            total = session.scalar(select(func.coalesce(func.sum(Article.n_quotes), 0)))
        elif materialize:
            connection = session.connection()
            for t in _TEMP.sorted_tables:
                t.drop(connection, checkfirst=True)
                t.create(connection)
                made.append(t)
            session.execute(insert(_MATCHED).from_select(["speaker_id", "article_id", "kind", "confidence"],
                                                         _matches(session, text, filters)))
            session.execute(insert(_PER_SPEAKER).from_select(
                ["id", "n"], select(_MATCHED.c.speaker_id, func.count()).where(_MATCHED.c.speaker_id.is_not(None))
                .group_by(_MATCHED.c.speaker_id)))
            session.execute(insert(_PER_ARTICLE).from_select(
                ["id", "n"], select(_MATCHED.c.article_id, func.count()).group_by(_MATCHED.c.article_id)))
            matched, per_speaker, per_article = _MATCHED, _PER_SPEAKER, _PER_ARTICLE
            total = session.scalar(select(func.count()).select_from(matched))
        else:
            matched = _matches(session, text, filters).subquery()
            per_speaker = (select(matched.c.speaker_id.label("id"), func.count().label("n"))
                           .where(matched.c.speaker_id.is_not(None)).group_by(matched.c.speaker_id).subquery())
            per_article = (select(matched.c.article_id.label("id"), func.count().label("n"))
                           .group_by(matched.c.article_id).subquery())
            total = session.scalar(select(func.count()).select_from(matched))
        out: dict[str, Any] = {"total": total, "counted": True}
        n = func.sum(per_speaker.c.n).label("n")
        if "speaker" in by:
            rows = session.execute(select(Speaker.id, Speaker.name, per_speaker.c.n)
                                   .join(Speaker, Speaker.id == per_speaker.c.id).where(Speaker.named.is_(True))
                                   .order_by(per_speaker.c.n.desc(), Speaker.name, Speaker.id).limit(top))
            out["speaker"] = [{"value": f"#{i}", "label": name, "count": c} for i, name, c in rows]
        if "country" in by:
            rows = session.execute(select(Speaker.country, n).join(Speaker, Speaker.id == per_speaker.c.id)
                                   .where(Speaker.country.is_not(None)).group_by(Speaker.country)
                                   .order_by(n.desc(), Speaker.country).limit(top))
            out["country"] = [{"value": code, "label": country_name(code), "count": c} for code, c in rows]
        if "organization" in by:
            # each speaker once per body: its members (affiliation pairs) and the speaker that is it
            people = union(select(SpeakerOrganization.organization_id.label("org"),
                                  SpeakerOrganization.speaker_id.label("sid")),
                           select(Speaker.organization_id, Speaker.id).where(Speaker.organization_id.is_not(None))
                           ).subquery()
            rows = session.execute(select(Organization.id, Organization.name, n).select_from(people)
                                   .join(per_speaker, per_speaker.c.id == people.c.sid)
                                   .join(Organization, Organization.id == people.c.org)
                                   .group_by(Organization.id, Organization.name)
                                   .order_by(n.desc(), Organization.name).limit(top))
            out["organization"] = [{"value": f"#{i}", "label": name, "count": c} for i, name, c in rows]
        articles_n = func.sum(per_article.c.n).label("n")
        if "outlet" in by:
            rows = session.execute(select(Article.outlet, articles_n).join(Article, Article.id == per_article.c.id)
                                   .where(Article.outlet.is_not(None)).group_by(Article.outlet)
                                   .order_by(articles_n.desc(), Article.outlet).limit(top))
            out["outlet"] = [{"value": o, "label": o, "count": c} for o, c in rows]
        if "month" in by or "week" in by:
            day = type_coerce(Article.published, String)  # ISO text on SQLite, a date elsewhere
            days = session.execute(select(day, articles_n).join(Article, Article.id == per_article.c.id)
                                   .group_by(Article.published)).all()
            if "month" in by:
                months = _series(days, _month)
                if top:
                    months["series"] = months["series"][-top:]
                out["month"] = months
            if "week" in by:
                out["week"] = _series(days, _week)
        if "kind" in by:
            rows = dict(session.execute(select(matched.c.kind, func.count()).group_by(matched.c.kind)).all())
            out["kind"] = [{"value": k, "label": k, "count": rows[k]}
                           for k in sorted(rows, key=lambda k: (-rows[k], k))]
        if "min_confidence" in by:
            sums = session.execute(select(*(func.coalesce(func.sum(case((matched.c.confidence >= step, 1),
                                                                        else_=0)), 0)
                                             for step in CONFIDENCE_STEPS))).one()
            out["min_confidence"] = [{"value": step, "label": f"≥ {step:.1f}", "count": c}
                                     for step, c in zip(CONFIDENCE_STEPS, sums)]
        return out

    try:
        return _within(session, budget, work)
    except OverBudget:
        return {"total": None, "counted": False}
    except OperationalError as exc:
        message = " ".join(str(exc.orig).split())
        if not text or any(trouble in message for trouble in _DATABASE_TROUBLE):
            raise
        made.clear()  # the rollback takes the temporary tables with it
        session.rollback()
        raise QueryError(f"cannot search for {text!r}: {message}") from None
    finally:
        if made:
            connection = session.connection()
            for t in reversed(made):
                t.drop(connection, checkfirst=True)


def speaker_links(session: Session, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quote rows (list, search, who-said) with ``speaker_id`` and ``organization_id`` added, for links."""
    rows = list(rows)
    ids = [r["id"] for r in rows]
    if not ids:
        return rows
    speaker_of = dict(session.execute(select(Quote.id, Quote.speaker_id).where(Quote.id.in_(ids))).all())
    pairs = {(speaker_of.get(r["id"]), r["article_id"]) for r in rows}
    org_of: dict[tuple[int, int], int | None] = {}
    for speaker_id, article_id, org_id in session.execute(
            select(Affiliation.speaker_id, Affiliation.article_id, Affiliation.organization_id)
            .where(Affiliation.article_id.in_({a for _, a in pairs}),
                   Affiliation.speaker_id.in_({s for s, _ in pairs if s is not None}))
            .order_by(Affiliation.id)):
        org_of.setdefault((speaker_id, article_id), org_id)  # the first post seen there, as quote rows
    for r in rows:
        r["speaker_id"] = speaker_of.get(r["id"])
        r["organization_id"] = org_of.get((r["speaker_id"], r["article_id"]))
    return rows


def article_page(session: Session, article_id: int) -> dict[str, Any]:
    """One article: its fields and text, its quotes in text order, and its speakers with their counts."""
    article = session.get(Article, article_id)
    if article is None:
        raise QueryError(f"no article with id {article_id}")
    quotes = speaker_links(session, list_quotes(session, article_id=article_id))
    count = Counter(q["speaker_id"] for q in quotes if q["speaker_id"] is not None)
    people: dict[int, dict[str, Any]] = {}
    for q in quotes:
        if q["speaker_id"] is not None and q["speaker_id"] not in people:
            people[q["speaker_id"]] = {
                "id": q["speaker_id"], "name": q["speaker"], "kind": q["speaker_kind"], "country": q["country"],
                "title": q["title"], "organization": q["organization"], "organization_id": q["organization_id"],
                "n_quotes": count[q["speaker_id"]]}
    return {
        "id": article.id, "title": article.title, "outlet": article.outlet, "url": article.url,
        "published": article.published.isoformat() if article.published else None, "author": article.author,
        "source": article.source, "text": article.text, "quotes": quotes, "speakers": list(people.values()),
    }


def speaker_page(session: Session, ref: str, *, recent: int = 10, articles: int = 50) -> dict[str, Any]:
    """A speaker's profile (``quotes speaker --format json``) with quotes by month and kind, recent quotes
    with their articles, and the articles they appear in, newest first."""
    profile = speaker_profile(session, ref, recent=recent)
    sid = profile["id"]
    found = counts(session, speaker=f"#{sid}", by=("month", "kind"), top=None)
    rows = session.execute(
        select(Article.id, Article.title, Article.outlet, Article.published, func.count(Quote.id))
        .join(Quote, Quote.article_id == Article.id).where(Quote.speaker_id == sid)
        .group_by(Article.id, Article.title, Article.outlet, Article.published)
        .order_by(Article.published.desc().nulls_last(), Article.id.desc()).limit(articles)).all()
    return {
        **profile,
        "months": found["month"],
        "kinds": found["kind"],
        "latest_quotes": speaker_links(session, list_quotes(session, speaker=f"#{sid}", sort="newest",
                                                            limit=recent)),
        "articles": [{"id": i, "title": t, "outlet": o, "published": p.isoformat() if p else None, "n_quotes": n}
                     for i, t, o, p, n in rows],
    }


def organization_page(session: Session, org_id: int, *, recent: int = 10) -> dict[str, Any]:
    """An organisation: names, kind, country, its people (members) and the speaker that is it, with
    quote counts, quotes per month and its latest quotes."""
    org = session.get(Organization, org_id)
    if org is None:
        raise QueryError(f"no organisation with id {org_id}")
    ref = f"#{org.id}"
    members = set(session.scalars(select(SpeakerOrganization.speaker_id)
                                  .where(SpeakerOrganization.organization_id == org.id)))
    voices = set(session.scalars(select(Speaker.id).where(Speaker.organization_id == org.id)))
    people = {sp.id: sp for sp in session.scalars(select(Speaker).where(Speaker.id.in_(members | voices)))}

    def brief(sp: Speaker) -> dict[str, Any]:
        return {"id": sp.id, "name": sp.name, "kind": sp.kind, "country": sp.country, "n_quotes": sp.n_quotes,
                "n_articles": sp.n_articles}

    found = counts(session, org=ref, by=("month", "kind"), top=None)
    aliases = sorted(session.scalars(select(OrganizationAlias.alias)
                                     .where(OrganizationAlias.organization_id == org.id)))
    return {
        "id": org.id, "name": org.name, "kind": org.kind, "country": org.country,
        "country_name": country_name(org.country) if org.country else None,
        "country_source": org.country_source if org.country else None, "curated": org.curated,
        "aliases": [a for a in aliases if a != org.name],
        "voices": [brief(people[i]) for i in sorted(voices, key=lambda i: -people[i].n_quotes)],
        "people": [brief(people[i]) for i in sorted(members - voices,
                                                     key=lambda i: (-people[i].n_quotes, people[i].name))],
        "n_quotes": found["total"],
        "months": found["month"],
        "kinds": found["kind"],
        "latest_quotes": speaker_links(session, list_quotes(session, org=ref, sort="newest", limit=recent)),
    }


def country_page(session: Session, value: str, *, top: int = 30) -> dict[str, Any]:
    """A country: its speakers (people and bodies) and organisations with quote counts, quotes per month,
    and the organisations and outlets its speakers are counted in."""
    code = resolve_country_arg(value or "")
    if code is None:
        raise QueryError(f"unknown country {value!r} (give an ISO code such as FR, or a name)")
    who = speakers(session, country=code, limit=top)
    found = counts(session, country=code, by=("month", "kind", "organization", "outlet"), top=None)
    return {
        "code": code, "name": country_name(code),
        "n_quotes": found["total"],
        "people": [s for s in who if s["kind"] == "person"],
        "bodies": [s for s in who if s["kind"] != "person"],
        "organizations": organizations(session, country=code, limit=top),
        "months": found["month"], "kinds": found["kind"],
        "outlets": found["outlet"][:10],
    }


def overview(session: Session, *, top: int = 10) -> dict[str, Any]:
    """Totals, the most quoted speakers, countries and organisations, and quotes per week and month."""
    found = counts(session, by=("country", "organization", "outlet", "kind", "week", "month"), top=top)
    found["month"] = counts(session, by=("month",), top=None)["month"]
    n_speakers = session.scalar(select(func.count()).where(Speaker.n_quotes > 0, Speaker.named.is_(True)))
    n_articles = session.scalar(select(func.count()).where(Article.n_quotes > 0))
    return {
        "total": {"quotes": found["total"], "articles": n_articles, "speakers": n_speakers},
        "speakers": speakers(session, limit=top),
        "countries": found["country"], "organizations": found["organization"],
        "outlets": found["outlet"], "kinds": found["kind"],
        "weeks": found["week"], "months": found["month"],
    }

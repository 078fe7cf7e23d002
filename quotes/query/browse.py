"""What browsing pages need besides the CLI's queries: facet counts, quotes per month and week, one
article with its quotes, a speaker's, an organisation's and a country's activity, and the overview."""
from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from time import monotonic, perf_counter
from typing import Any

from sqlalchemy import (
    Column, Float, Integer, MetaData, String, Table, case, cast, func, insert, literal, select, type_coerce, union,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quotes.entities.countries import country_name, resolve_country_arg
from quotes.store.lookup import QueryError, filter_speakers, filtering, quote_filter
from quotes.store.models import (
    CONFIDENCE_STEPS, Affiliation, Article, Correction, Organization, OrganizationAlias, Quote, QuoteCount,
    Speaker, SpeakerMonthCount, SpeakerOrganization,
)

from . import fulltext
from .listing import list_quotes, narrow_dates
from .people import newest_articles, organizations, speaker_profile, speakers

def _sum(column):
    """SUM as an integer on every backend (PostgreSQL's sum of a count is numeric: a Decimal in Python)."""
    return cast(func.sum(column), Integer)


#: What facets count quotes by.
FACETS = ("country", "organization", "speaker", "outlet", "kind", "month", "min_confidence")

#: Temporary tables of counted quotes on SQLite: the matches, and their counts by speaker.
_TEMP = MetaData()
_MATCHED = Table("browse_matched", _TEMP, Column("speaker_id", Integer), Column("article_id", Integer),
                 Column("kind", String(20)), Column("confidence", Float), prefixes=["TEMPORARY"])
_PER_SPEAKER = Table("browse_speakers", _TEMP, Column("id", Integer, primary_key=True), Column("n", Integer),
                     prefixes=["TEMPORARY"])


#: SQLite errors that mean the database, not the search expression, is the problem.
_DATABASE_TROUBLE = ("database is locked", "disk", "no such table", "readonly", "malformed", "busy")


class OverBudget(Exception):
    """Counting took longer than the time it was given."""


#: Counts of all quotes are kept this many seconds, and only while the database's quotes, articles and
#: corrections stay the same (other changes, such as a people import, show within that time).
KEEP_SECONDS = 60.0
_kept: dict[tuple, tuple[float, tuple, Any]] = {}


def _keep(session: Session, what: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or what it gave for the same ``what`` on the same, unchanged database a moment ago:
    the counts of all quotes read every article and speaker (about 0.1 s at a million quotes)."""
    state = session.execute(select(
        select(func.coalesce(_sum(QuoteCount.n), 0)).scalar_subquery(),
        select(func.max(Quote.id)).scalar_subquery(), select(func.max(Article.id)).scalar_subquery(),
        select(func.max(Correction.id)).scalar_subquery())).one()  # each from a counter or a key's end
    key = (str(session.get_bind().url), *what)
    now = monotonic()
    found = _kept.get(key)
    if found is not None and found[1] == tuple(state) and now - found[0] < KEEP_SECONDS:
        return found[2]
    value = compute()
    _kept[key] = (now, tuple(state), value)
    return value


def _within(session: Session, seconds: float | None, run: Callable[[], Any]) -> Any:
    """``run()``, interrupted by SQLite after ``seconds`` (then OverBudget); no limit elsewhere."""
    dbapi = session.connection().connection.dbapi_connection
    if seconds is None or not hasattr(dbapi, "set_progress_handler"):
        return run()
    if seconds <= 0:  # no time left: not begun (a small query could end before SQLite first asks)
        raise OverBudget
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
        m = fulltext.match(session, text)
        stmt = select(*cols).select_from(m.source)
        if m.joins_quotes:
            stmt = stmt.join(Quote, Quote.id == m.quote_id)
        stmt = stmt.where(m.where)
    elif narrow_dates(session, filters.get("since"), filters.get("until")):
        # a few dates' quotes: read them from their articles, each checked against the other filters
        stmt = select(*cols).select_from(Article).join(Quote, Quote.article_id == Article.id)
        return quote_filter(stmt, session=session, joined=True, indexed=False, **filters)
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


#: Quotes a pass by kind, confidence, outlet and date counts in a second, at best (51,659 of one speaker
#: in 0.12 to 0.3 s at a million quotes, by the machine's load): with a budget, a pass that could not
#: finish in the time left is not begun.
COUNTED_PER_SECOND = 400_000
#: Filters that concern the speaker only: their counts can come from the speakers' counters.
SPEAKER_FILTERS = ("speaker", "country", "org", "no_guesses", "attributed")
#: What is counted per quote (not per speaker): kind, confidence and the article's outlet and date.
QUOTE_DIMENSIONS = ("kind", "min_confidence", "outlet", "month", "week")


def _band(confidence) -> Any:
    """How many CONFIDENCE_STEPS lie at or below ``confidence`` (quote_counts' band)."""
    return sum((case((confidence >= step, 1), else_=0) for step in CONFIDENCE_STEPS), literal(0))


def _speaker_dimensions(session: Session, by: tuple[str, ...], top: int | None, per_speaker) -> dict[str, Any]:
    """Counts by speaker, country and organisation from ``per_speaker`` (a selectable of id, n)."""
    out: dict[str, Any] = {}
    n = _sum(per_speaker.c.n).label("n")
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
    return out


def _quote_dimensions(by: tuple[str, ...], top: int | None, rows: Iterable[tuple]) -> dict[str, Any]:
    """Counts by kind, confidence, outlet, month and week from (published, outlet, kind, band, n) rows."""
    kinds: Counter = Counter()
    bands: Counter = Counter()
    outlets: Counter = Counter()
    days: Counter = Counter()
    for published, outlet, kind, band, n in rows:
        n = int(n or 0)
        if kind is not None:
            kinds[kind] += n
        if band is not None:
            bands[int(band)] += n
        if outlet is not None:
            outlets[outlet] += n
        days[published] += n
    out: dict[str, Any] = {}
    if "kind" in by:
        out["kind"] = [{"value": k, "label": k, "count": c} for k, c in sorted(kinds.items(), key=lambda kc: (-kc[1], kc[0]))]
    if "min_confidence" in by:
        out["min_confidence"] = [{"value": step, "label": f"≥ {step:.1f}",
                                  "count": sum(c for b, c in bands.items() if b > i)}
                                 for i, step in enumerate(CONFIDENCE_STEPS)]
    if "outlet" in by:
        ranked = sorted(outlets.items(), key=lambda oc: (-oc[1], oc[0]))
        out["outlet"] = [{"value": o, "label": o, "count": c} for o, c in ranked[:top or None]]
    if "month" in by:
        months = _series(days.items(), _month)
        if top:
            months["series"] = months["series"][-top:]
        out["month"] = months
    if "week" in by:
        out["week"] = _series(days.items(), _week)
    return out


def _quote_counts(session: Session, by: tuple[str, ...], top: int | None, filters: dict[str, Any]) -> dict[str, Any]:
    """Counts by kind, confidence, date and outlet of the quotes ``filters`` select, each from a few
    grouped rows: kinds and bands, and articles' dates and outlets once per article, so that a speaker's
    quotes are read from ix_quotes_speaker_id_article_id_kind_confidence alone."""
    out: dict[str, Any] = {}
    if {"kind", "min_confidence"} & set(by):
        band = _band(Quote.confidence).label("band")
        rows = session.execute(quote_filter(select(Quote.kind, band, func.count()), session=session, **filters)
                               .group_by(Quote.kind, band)).all()
        out.update(_quote_dimensions(tuple(d for d in by if d in ("kind", "min_confidence")), top,
                                     [(None, None, k, b, n) for k, b, n in rows]))
    per_article = quote_filter(select(Quote.article_id, func.count().label("n")), session=session,
                               **filters).group_by(Quote.article_id).subquery()
    n = _sum(per_article.c.n)
    if {"month", "week"} & set(by):
        day = type_coerce(Article.published, String)
        rows = session.execute(select(day, n).select_from(per_article).join(Article, Article.id == per_article.c.article_id)
                               .group_by(Article.published)).all()
        out.update(_quote_dimensions(tuple(d for d in by if d in ("month", "week")), top,
                                     [(published, None, None, None, c) for published, c in rows]))
    if "outlet" in by:
        rows = session.execute(select(Article.outlet, n).select_from(per_article)
                               .join(Article, Article.id == per_article.c.article_id).group_by(Article.outlet)).all()
        out.update(_quote_dimensions(("outlet",), top, [(None, o, None, None, c) for o, c in rows]))
    return out


def _speaker_month_dimensions(session: Session, by: tuple[str, ...], top: int | None, per_speaker) -> dict[str, Any]:
    """Counts by month, kind and confidence of the speakers in ``per_speaker``, from speaker_month_counts."""
    by = tuple(d for d in by if d in ("month", "kind", "min_confidence"))
    if not by:
        return {}
    c = SpeakerMonthCount
    rows = session.execute(select(c.month, c.kind, c.band, _sum(c.n))  # IN: each speaker's range, no scan
                           .where(c.speaker_id.in_(select(per_speaker.c.id)), c.n > 0)
                           .group_by(c.month, c.kind, c.band)).all()
    return _quote_dimensions(by, top, [(month, None, kind, band, n) for month, kind, band, n in rows])


def _all_counts(session: Session, by: tuple[str, ...], top: int | None) -> dict[str, Any]:
    """counts() of all quotes: from the counters that triggers keep, no pass over the quotes."""
    by_speaker = tuple(d for d in by if d not in QUOTE_DIMENSIONS)
    by_quote = tuple(d for d in by if d in QUOTE_DIMENSIONS)
    out: dict[str, Any] = {"total": None, "counted": False, "skipped": []}
    per_speaker = select(Speaker.id.label("id"), Speaker.n_quotes.label("n")).where(Speaker.n_quotes > 0).subquery()
    out["total"] = session.scalar(select(func.coalesce(_sum(Article.n_quotes), 0)))
    out["counted"] = True
    out.update(_speaker_dimensions(session, by_speaker, top, per_speaker))
    day = type_coerce(Article.published, String)  # ISO text on SQLite, a date elsewhere
    if {"month", "week"} & set(by_quote):  # through ix_articles_published_n_quotes alone
        dated = session.execute(select(day, _sum(Article.n_quotes)).where(Article.n_quotes > 0)
                                .group_by(Article.published)).all()
        out.update(_quote_dimensions(tuple(d for d in by_quote if d in ("month", "week")), top,
                                     [(published, None, None, None, n) for published, n in dated]))
    if "outlet" in by_quote:  # through ix_articles_outlet_n_quotes alone
        outlets = session.execute(select(Article.outlet, _sum(Article.n_quotes)).where(Article.n_quotes > 0)
                                  .group_by(Article.outlet)).all()
        out.update(_quote_dimensions(("outlet",), top, [(None, o, None, None, n) for o, n in outlets]))
    if {"kind", "min_confidence"} & set(by_quote):
        kinds = session.execute(select(QuoteCount.kind, QuoteCount.band, QuoteCount.n).where(QuoteCount.n > 0)).all()
        out.update(_quote_dimensions(tuple(d for d in by_quote if d in ("kind", "min_confidence")), top,
                                     [(None, None, k, b, n) for k, b, n in kinds]))
    return out


def counts(session: Session, text: str | None = None, *, by: Iterable[str] = FACETS, top: int | None = 10,
           budget: float | None = None, materialize: bool | None = None, **filters: Any) -> dict[str, Any]:
    """Counts of the quotes that ``text`` (an FTS5 expression, or None) and ``filters`` (list_quotes')
    select: ``total`` and, for each dimension of ``by``, values with counts, most first (``top``).

    Dimensions: FACETS, and ``week``. ``speaker`` and ``organization`` values are "#ID" references with
    a ``label``; ``country`` has the country's name as ``label``; ``month`` and ``week`` are
    ``{"series": [...], "undated": n}`` in time order (the latest ``top`` months; all weeks);
    ``min_confidence`` counts quotes at or above each of CONFIDENCE_STEPS.

    Without filters the counts come from counters that triggers keep; with filters on speakers only
    (SPEAKER_FILTERS), those by speaker, country and organisation still do, and the others take one
    pass over the matching quotes; other filters and ``text`` read the matches (kept in temporary
    tables when ``materialize``, the default on SQLite). With ``budget`` (seconds, SQLite), counting
    stops when it runs over: dimensions not counted by then are listed in ``skipped``, and ``counted``
    is False when not even the total is known (None).
    """
    by = tuple(by)
    unknown = [d for d in by if d not in FACETS + ("week",)]
    if unknown:
        raise QueryError(f"cannot count by {unknown[0]!r} (one of {', '.join(FACETS + ('week',))})")
    if materialize is None:
        materialize = session.get_bind().dialect.name == "sqlite"
    filtered = bool(text) or filtering(filters)
    by_speaker = tuple(d for d in by if d not in QUOTE_DIMENSIONS)
    by_quote = tuple(d for d in by if d in QUOTE_DIMENSIONS)
    deadline = perf_counter() + budget if budget is not None else None
    out: dict[str, Any] = {"total": None, "counted": False, "skipped": []}

    def left() -> float | None:
        return None if deadline is None else max(deadline - perf_counter(), 0.0)

    if not filtered:  # the counters: no pass over the quotes
        return copy.deepcopy(_keep(session, ("counts", by, top), lambda: _all_counts(session, by, top)))

    speakers_only = not text and all(filters.get(k) in (None, False, "") for k in filters if k not in SPEAKER_FILTERS)
    try:
        if speakers_only:
            ids = filter_speakers(select(Speaker.id), Speaker.id, speaker=filters.get("speaker"),
                                  country=filters.get("country"), org=filters.get("org"),
                                  no_guesses=bool(filters.get("no_guesses")))
            chosen = select(Speaker.id.label("id"), Speaker.n_quotes.label("n")).where(Speaker.id.in_(ids),
                                                                                       Speaker.n_quotes > 0)
            if materialize:  # the speakers found once (a country's are a union of three lookups), not per count
                connection = session.connection()
                _PER_SPEAKER.drop(connection, checkfirst=True)
                _PER_SPEAKER.create(connection)
                session.execute(insert(_PER_SPEAKER).from_select(["id", "n"], chosen))
                per_speaker = _PER_SPEAKER
            else:
                per_speaker = chosen.subquery()
            try:
                out["total"] = session.scalar(select(func.coalesce(_sum(per_speaker.c.n), 0)))
                out["counted"] = True
                out.update(_speaker_dimensions(session, by_speaker, top, per_speaker))
                try:  # a row per speaker, month, kind and band: a country's many speakers may not fit in time
                    out.update(_within(session, left(), lambda: _speaker_month_dimensions(session, by_quote, top,
                                                                                          per_speaker)))
                except OverBudget:
                    out["skipped"] = [d for d in by_quote if d in ("month", "kind", "min_confidence")]
            finally:
                if materialize:
                    _PER_SPEAKER.drop(session.connection(), checkfirst=True)
            rest = tuple(d for d in by_quote if d not in out and d not in out["skipped"])  # a pass over quotes
            if rest and deadline is not None and out["total"] > COUNTED_PER_SECOND * left():
                out["skipped"] += rest  # more quotes than the time left can count: not begun
            elif rest:
                try:
                    out.update(_within(session, left(), lambda: _quote_counts(session, rest, top, filters)))
                except OverBudget:
                    out["skipped"] += [d for d in rest if d not in out]
            return out
        if deadline is not None and _too_many(session, text, filters, COUNTED_PER_SECOND * left()):
            raise OverBudget  # not begun: the counters say the time left cannot count them
        out.update(_within(session, left(), lambda: _matched_counts(session, text, filters, by, top, materialize)))
        out["counted"] = True
        return out
    except OverBudget:
        return {"total": None, "counted": False, "skipped": list(by)}
    except OperationalError as exc:
        message = " ".join(str(exc.orig).split())
        if not text or any(trouble in message for trouble in _DATABASE_TROUBLE):
            raise
        session.rollback()
        raise QueryError(f"cannot search for {text!r}: {message}") from None


def _too_many(session: Session, text: str | None, filters: dict[str, Any], most: float) -> bool:
    """Might ``filters`` select more than ``most`` quotes? Yes when the tightest of the counters' upper
    bounds (one per filter: quote_counts, the articles', the speakers') is over ``most``; no for a text
    search or a filter that no counter bounds (outlet, attributed), which may select few. At worst,
    facets that would have been counted in time are left out (two broad filters may share few quotes)."""
    if text or any(filters.get(k) for k in ("outlet", "attributed", "no_guesses")):
        return False
    kind, least = filters.get("kind"), filters.get("min_confidence")
    bounds = []
    if kind or least is not None:  # quote_counts: a few rows
        held = select(func.coalesce(_sum(QuoteCount.n), 0))
        if kind:
            held = held.where(QuoteCount.kind == kind)
        if least is not None:  # a confidence at or above ``least`` is in a band at least this high
            held = held.where(QuoteCount.band >= sum(step <= least for step in CONFIDENCE_STEPS))
        bounds.append(held)
    if filters.get("article_id") is not None:
        bounds.append(select(func.coalesce(_sum(Article.n_quotes), 0)).where(Article.id == filters["article_id"]))
    if filters.get("since") or filters.get("until"):  # ix_articles_published_n_quotes alone
        held = select(func.coalesce(_sum(Article.n_quotes), 0))
        if filters.get("since"):
            held = held.where(Article.published >= filters["since"])
        if filters.get("until"):
            held = held.where(Article.published <= filters["until"])
        bounds.append(held)
    if any(filters.get(k) for k in ("speaker", "country", "org")):  # the speakers' counters
        ids = filter_speakers(select(Speaker.id), Speaker.id, speaker=filters.get("speaker"),
                              country=filters.get("country"), org=filters.get("org"),
                              no_guesses=bool(filters.get("no_guesses")))
        bounds.append(select(func.coalesce(_sum(Speaker.n_quotes), 0)).where(Speaker.id.in_(ids)))
    return bool(bounds) and all(session.scalar(bound) > most for bound in bounds)  # stops at one within


def _matched_counts(session: Session, text: str | None, filters: dict[str, Any], by: tuple[str, ...],
                    top: int | None, materialize: bool) -> dict[str, Any]:
    """Counts read from the matching quotes themselves (kept in temporary tables when ``materialize``)."""
    made: list[Table] = []
    try:
        if materialize:
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
            matched, per_speaker = _MATCHED, _PER_SPEAKER
        else:
            matched = _matches(session, text, filters).subquery()
            per_speaker = (select(matched.c.speaker_id.label("id"), func.count().label("n"))
                           .where(matched.c.speaker_id.is_not(None)).group_by(matched.c.speaker_id).subquery())
        out: dict[str, Any] = {"total": session.scalar(select(func.count()).select_from(matched))}
        out.update(_speaker_dimensions(session, tuple(d for d in by if d not in QUOTE_DIMENSIONS), top, per_speaker))
        by_quote = tuple(d for d in by if d in QUOTE_DIMENSIONS)
        if by_quote:
            band = _band(matched.c.confidence).label("band")
            rows = session.execute(
                select(type_coerce(Article.published, String), Article.outlet, matched.c.kind, band, func.count())
                .select_from(matched).join(Article, Article.id == matched.c.article_id)
                .group_by(Article.published, Article.outlet, matched.c.kind, band)).all()
            out.update(_quote_dimensions(by_quote, top, rows))
        return out
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
            .where(Affiliation.article_id.in_({a for _, a in pairs}),  # "+ 0": by the articles' few posts,
                   (Affiliation.speaker_id + 0).in_({s for s, _ in pairs if s is not None}))  # not a speaker's many
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


def _articles_of(session: Session, speaker_id: int, limit: int) -> list[tuple]:
    """(id, title, outlet, published, quotes) of the newest ``limit`` articles quoting a speaker."""
    newest = (Article.published.desc().nulls_last(), Article.id.desc())
    ids = newest_articles(session, speaker_id, limit)
    n = func.count(Quote.id)
    return session.execute(
        select(Article.id, Article.title, Article.outlet, Article.published, n)
        .join(Quote, Quote.article_id == Article.id).where(Quote.speaker_id == speaker_id, Article.id.in_(ids))
        .group_by(Article.id, Article.title, Article.outlet, Article.published).order_by(*newest).limit(limit)).all()


def _remaining(started: float, budget: float | None) -> float | None:
    return None if budget is None else max(budget - (perf_counter() - started), 0.0)


def speaker_page(session: Session, ref: str, *, recent: int = 10, articles: int = 50,
                 budget: float | None = None) -> dict[str, Any]:
    """A speaker's profile (``quotes speaker --format json``) with quotes by month and kind, recent quotes
    with their articles, and the articles they appear in, newest first. With ``budget`` (seconds for
    the whole), months and kinds are None when no time is left to count them."""
    started = perf_counter()
    profile = speaker_profile(session, ref, recent=recent)
    sid = profile["id"]
    found = counts(session, speaker=f"#{sid}", by=("month", "kind"), top=None, budget=_remaining(started, budget))
    rows = _articles_of(session, sid, articles)
    return {
        **profile,
        "months": found.get("month"),
        "kinds": found.get("kind"),
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


def country_page(session: Session, value: str, *, top: int = 30, budget: float | None = None) -> dict[str, Any]:
    """A country: its speakers (people and bodies) and organisations with quote counts, and quotes per
    month and by kind (None when ``budget``, seconds for the whole, leaves no time to count them)."""
    started = perf_counter()
    code = resolve_country_arg(value or "")
    if code is None:
        raise QueryError(f"unknown country {value!r} (give an ISO code such as FR, or a name)")
    who = speakers(session, country=code, limit=top)
    bodies = organization_rows(session, country=code, limit=top)
    found = counts(session, country=code, by=("month", "kind"), top=None, budget=_remaining(started, budget))
    return {
        "code": code, "name": country_name(code),
        "n_quotes": found["total"],
        "people": [s for s in who if s["kind"] == "person"],
        "bodies": [s for s in who if s["kind"] != "person"],
        "organizations": bodies,
        "months": found.get("month"), "kinds": found.get("kind"),
    }


def overview(session: Session, *, top: int = 10) -> dict[str, Any]:
    """Totals, the most quoted speakers, countries and organisations, and quotes per week and month."""
    return copy.deepcopy(_keep(session, ("overview", top), lambda: _overview(session, top)))


def _overview(session: Session, top: int) -> dict[str, Any]:
    found = counts(session, by=("country", "organization", "outlet", "kind", "week", "month"), top=top)
    n_speakers = session.scalar(select(func.count()).where(Speaker.n_quotes > 0, Speaker.named.is_(True)))
    n_articles = session.scalar(select(func.count()).where(Article.n_quotes > 0))
    return {
        "total": {"quotes": found["total"], "articles": n_articles, "speakers": n_speakers},
        "speakers": speakers(session, limit=top),
        "countries": found["country"], "organizations": found["organization"],
        "outlets": found["outlet"], "kinds": found["kind"],
        "weeks": found["week"], "months": found["month"],
    }


def organization_rows(session: Session, *, country: str | None = None, kind: str | None = None,
                      org: str | None = None, limit: int | None = None, no_guesses: bool = False) -> list[dict[str, Any]]:
    """The rows of ``organizations`` (``quotes orgs --format json``: same fields, same order); without
    filters, ranked in SQL from the speakers' counters so that only the ``limit`` shown are filled in."""
    if limit is None or country or kind or org or no_guesses:
        return list(organizations(session, country=country, kind=kind, org=org, limit=limit, no_guesses=no_guesses))
    people = union(select(SpeakerOrganization.organization_id.label("org"), SpeakerOrganization.speaker_id.label("sid")),
                   select(Speaker.organization_id, Speaker.id).where(Speaker.organization_id.is_not(None))).subquery()
    members = _sum(case((Speaker.organization_id == people.c.org, 0), else_=1))
    totals = (select(people.c.org, _sum(Speaker.n_quotes).label("n"), members.label("people"))
              .join(Speaker, Speaker.id == people.c.sid).group_by(people.c.org).subquery())
    orgs = list(session.scalars(
        select(Organization).outerjoin(totals, totals.c.org == Organization.id)
        .order_by(func.coalesce(totals.c.n, 0).desc(), func.coalesce(totals.c.people, 0).desc(),
                  Organization.name, Organization.id).limit(limit)))
    ids = [o.id for o in orgs]
    pairs = session.execute(select(people.c.org, people.c.sid, Speaker.name, Speaker.n_quotes,
                                   Speaker.organization_id)
                            .join(Speaker, Speaker.id == people.c.sid).where(people.c.org.in_(ids))).all()
    aliases: dict[int, set[str]] = defaultdict(set)
    for org_id, alias in session.execute(select(OrganizationAlias.organization_id, OrganizationAlias.alias)
                                         .where(OrganizationAlias.organization_id.in_(ids))):
        aliases[org_id].add(alias)
    rows = []
    for o in orgs:
        mine = [(name, n, voice == o.id) for org_id, _, name, n, voice in pairs if org_id == o.id]
        people_here = sorted(((name, n) for name, n, voice in mine if not voice), key=lambda p: (-p[1], p[0]))
        rows.append({
            "id": o.id, "name": o.name, "kind": o.kind, "country": o.country,
            "country_source": o.country_source if o.country else None,
            "aliases": sorted(aliases[o.id] - {o.name}),
            "n_people": len(people_here), "people": [name for name, _ in people_here],
            "own_quotes": sum(n for _, n, voice in mine if voice), "n_quotes": sum(n for _, n, _ in mine),
        })
    return rows

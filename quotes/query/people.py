"""Speakers and organisations: lists with counts, one speaker's profile, and the log of corrections."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quotes.entities.countries import country_name, resolve_country_arg
from quotes.store.lookup import GUESSED, QueryError, filter_speakers, find_speakers, organizations_named, stream
from quotes.store.models import ORGANIZATION_KINDS, Affiliation, Article, Correction, Organization, Quote, Speaker, SpeakerAlias


def speakers(session: Session, **filters: Any) -> list[dict[str, Any]]:
    """iter_speakers as a list."""
    return list(iter_speakers(session, **filters))


def iter_speakers(session: Session, *, country: str | None = None, org: str | None = None,
                  speaker: str | None = None, limit: int | None = None,
                  unnamed: bool = False, no_guesses: bool = False) -> Iterator[dict[str, Any]]:
    """Each speaker once with what is known of them, most quoted first.

    Descriptions ("a source", one row per article) are left out unless ``unnamed``; ``no_guesses``
    (with ``country``) keeps those whose country rests on evidence. The filters are checked at once; the
    speakers are read a chunk at a time as the iterator is consumed.
    """
    s = Speaker.__table__.c  # Core columns: no ORM compile (and mapper configuration) for a plain list
    n_quotes = s.n_quotes  # counters kept by triggers: no pass over the quotes
    stmt = select(s.id, s.name, s.kind, s.country, s.country_source, n_quotes, s.n_articles)
    stmt = filter_speakers(stmt, s.id, speaker=speaker, country=country, org=org, no_guesses=no_guesses)
    if not unnamed:
        stmt = stmt.where(s.named.is_(True))
    chunks = stream(session, stmt.order_by(n_quotes.desc(), s.name, s.id).limit(limit))
    return (row for chunk in chunks for row in _speaker_rows(session, chunk))


def _speaker_rows(session: Session, rows: list) -> list[dict[str, Any]]:
    ids = [row[0] for row in rows]
    aliases: dict[int, list[str]] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    orgs: dict[int, list[str]] = defaultdict(list)
    if ids:
        a, f, o = SpeakerAlias.__table__.c, Affiliation.__table__.c, Organization.__table__.c
        for speaker_id, alias in session.connection().execute(
                select(a.speaker_id, a.alias).where(a.speaker_id.in_(ids)).order_by(a.id)):
            aliases[speaker_id].append(alias)
        # a much-quoted speaker has an affiliation row per article: distinct posts, read off
        # ix_affiliations_speaker_id_organization_id_title, in the order they were first seen
        posts = (select(f.speaker_id, f.title, f.organization_id, func.min(f.id).label("first"))
                 .where(f.speaker_id.in_(ids)).group_by(f.speaker_id, f.organization_id, f.title).subquery())
        for speaker_id, title, org_name in session.connection().execute(
                select(posts.c.speaker_id, posts.c.title, o.name)
                .outerjoin(Organization.__table__, posts.c.organization_id == o.id).order_by(posts.c.first)):
            if title and title not in titles[speaker_id]:
                titles[speaker_id].append(title)
            if org_name and org_name not in orgs[speaker_id]:
                orgs[speaker_id].append(org_name)
    return [{
        "id": sid,
        "name": name,
        "kind": kind,
        "country": country,
        "country_source": country_source if country else None,
        "titles": titles[sid],
        "organizations": orgs[sid],
        "aliases": [a for a in aliases[sid] if a != name],
        "n_quotes": nq,
        "n_articles": na,
    } for sid, name, kind, country, country_source, nq, na in rows]


class AmbiguousName(QueryError):
    """A name that fits several rows; ``candidates`` describes each of them."""

    def __init__(self, message: str, candidates: list[dict[str, Any]]):
        super().__init__(message)
        self.candidates = candidates


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _speaker_brief(sp: Speaker, n_quotes: int | None = None) -> dict[str, Any]:
    out = {"id": sp.id, "name": sp.name, "kind": sp.kind, "country": sp.country,
           "country_source": sp.country_source if sp.country else None, "named": sp.named}
    if n_quotes is not None:
        out["n_quotes"] = n_quotes
    return out


def _quote_counts(session: Session, speaker_ids) -> dict[int, int]:
    ids = list(speaker_ids)
    if not ids:
        return {}
    return dict(session.execute(select(Quote.speaker_id, func.count(Quote.id))
                                .where(Quote.speaker_id.in_(ids)).group_by(Quote.speaker_id)).all())


#: Speakers in more articles than this have their newest (or oldest) articles found by walking the
#: articles in date order, each checked in the speaker's index: they soon turn up. Fewer, and reading
#: the speaker's quotes directly is quicker than a walk that may cross most articles to find them.
WALK_ARTICLES_FROM = 2000


def newest_articles(session: Session, speaker_id: int, limit: int, n_articles: int | None = None) -> list[int]:
    """Ids of the ``limit`` newest articles quoting a speaker (undated last, then by id, newest first);
    all of them for a speaker in few articles (``n_articles``, counted when not given)."""
    if n_articles is None:
        n_articles = session.scalar(select(Speaker.n_articles).where(Speaker.id == speaker_id)) or 0
    if n_articles <= WALK_ARTICLES_FROM:
        return list(session.scalars(select(Quote.article_id).where(Quote.speaker_id == speaker_id).distinct()))
    quoted = select(Quote.id).where(Quote.speaker_id == speaker_id, Quote.article_id == Article.id).exists()
    return list(session.scalars(select(Article.id).where(quoted)
                                .order_by(Article.published.desc().nulls_last(), Article.id.desc()).limit(limit)))


def _date_range(session: Session, speaker_id: int, n_articles: int) -> tuple[date | None, date | None]:
    """The earliest and latest date of the articles quoting a speaker."""
    if n_articles <= WALK_ARTICLES_FROM:
        return session.execute(select(func.min(Article.published), func.max(Article.published))
                               .join(Quote, Quote.article_id == Article.id).where(Quote.speaker_id == speaker_id)).one()
    quoted = select(Quote.id).where(Quote.speaker_id == speaker_id, Quote.article_id == Article.id).exists()
    dated = select(Article.published).where(quoted, Article.published.is_not(None)).limit(1)
    return (session.scalar(dated.order_by(Article.published)),
            session.scalar(dated.order_by(Article.published.desc())))


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
    # counts from the speaker's index alone; the first and last dates without visiting every article
    n_quotes, n_articles = session.execute(
        select(func.count(Quote.id), func.count(Quote.article_id.distinct())).where(Quote.speaker_id == sp.id)).one()
    stats = (n_quotes, n_articles, *_date_range(session, sp.id, n_articles))
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
            "articles": [], "first_seen": None, "last_seen": None, "curated": False})
        if aff.article_id is None:  # given by a person (people import), not seen in an article
            post["curated"] = True
        elif aff.article_id not in post["articles"]:
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
    latest = select(Quote, Article.published).join(Article, Quote.article_id == Article.id).where(Quote.speaker_id == sp.id)
    if n_articles > WALK_ARTICLES_FROM:  # their newest articles first, not every quote sorted
        latest = latest.where(Article.id.in_(newest_articles(session, sp.id, recent, n_articles)))
    quotes = session.execute(
        latest
        .order_by(Article.published.desc().nulls_last(), Quote.article_id.desc(), Quote.start)
        .limit(recent)).all()
    return {
        **_speaker_brief(sp),
        "country_name": country_name(sp.country) if sp.country else None,
        "curated": sp.curated,
        "wikidata_id": sp.wikidata_id,
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
                  org: str | None = None, limit: int | None = None,
                  no_guesses: bool = False) -> list[dict[str, Any]]:
    """Organisations with their people (members, and the speaker that is the body) and quote counts,
    most quoted first; ``no_guesses`` (with ``country``): only those whose country is not a guess."""
    stmt = select(Organization).options(selectinload(Organization.aliases))  # not a query per organisation
    if no_guesses and not country:
        raise QueryError("--no-guesses applies to a country: give --country too")
    if country:
        code = resolve_country_arg(country)
        if code is None:
            raise QueryError(f"unknown country {country!r} (give an ISO code such as FR, or a name)")
        stmt = stmt.where(Organization.country == code)
        if no_guesses:
            stmt = stmt.where(func.coalesce(Organization.country_source, "") != GUESSED)
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
            "country_source": o.country_source if o.country else None,
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
    if action == "people-import":
        return f"{detail.get('added', 0)} added, {detail.get('updated', 0)} updated"
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

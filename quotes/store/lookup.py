"""Turn what a user types into rows of the store: filters on quotes, and references to speakers and bodies.

Query commands, curation and export share these: a speaker, country, organisation, outlet or date filter
becomes SQL over the models; "#12", a name, an alias or words of one become speaker or organisation rows;
quote rows become dicts in the ``quotes extract`` contract.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select, union
from sqlalchemy.orm import Session

from quotes.entities.countries import resolve_country_arg

from .models import (
    QUOTE_KINDS, Affiliation, Article, Organization, OrganizationAlias, Quote, Speaker, SpeakerAlias, name_key,
)


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
    """Ids of speakers whose name or an alias contains the words of ``value`` (case/accents ignored);
    "#12" is the speaker with id 12."""
    by_id = _ID_REF.fullmatch(value.strip()) if value.strip().startswith("#") else None
    if by_id:  # a page's link or a facet names one speaker exactly, whatever its namesakes
        return select(Speaker.id).where(Speaker.id == int(by_id.group(1)))
    key = _key(value, "speaker")
    return select(SpeakerAlias.speaker_id).where(_words_in(SpeakerAlias.key, key))


#: The country_source of a country guessed from the article's setting (records.COUNTRY_SOURCES).
GUESSED = "article"


def _evidence(source_col) -> ColumnElement[bool]:
    """The country in ``source_col``'s row rests on evidence: its source is not a guess."""
    return func.coalesce(source_col, "") != GUESSED


def speakers_of_country(value: str, *, guesses: bool = True) -> Select:
    """Ids of speakers of a country (code or name), directly or through an organisation of theirs.

    ``guesses=False`` leaves out countries guessed from an article's setting: a row whose
    country_source is "article", and a membership whose body's country was such a guess.
    """
    code = resolve_country_arg(value)
    if code is None:
        raise QueryError(f"unknown country {value!r} (give an ISO code such as FR, or a name)")
    own = [Speaker.country == code]
    member = [Organization.country == code]
    if not guesses:
        own.append(_evidence(Speaker.country_source))
        member.append(_evidence(Organization.country_source))
    return union(
        select(Speaker.id).where(*own),
        select(Affiliation.speaker_id).join(Organization, Affiliation.organization_id == Organization.id)
        .where(*member, *(() if guesses else (Affiliation.inferred.is_(False),))),
        select(Speaker.id).join(Organization, Speaker.organization_id == Organization.id).where(*member),
    )


def organizations_named(value: str) -> Select:
    """Ids of organisations a name, wording or code (EU, UN) stands for (see resolution.org_identity);
    "#7" is the organisation with id 7."""
    from quotes.store.resolution import org_identity

    by_id = _ID_REF.fullmatch(value.strip()) if value.strip().startswith("#") else None
    if by_id:
        return select(Organization.id).where(Organization.id == int(by_id.group(1)))
    key = _key(value, "organisation")
    keys = {key}
    ident = org_identity(value)
    if ident.canon.startswith("@"):  # "EU" -> "European Union"
        keys.add(name_key(ident.name))
    return select(OrganizationAlias.organization_id).where(
        or_(OrganizationAlias.canon == ident.canon, *(_words_in(OrganizationAlias.key, k) for k in keys)))


def speakers_of_org(value: str) -> Select:
    """Ids of speakers affiliated with an organisation named ``value``, or that are that organisation."""
    orgs = organizations_named(value)
    if value.strip().startswith("#") and _ID_REF.fullmatch(value.strip()):
        return union(select(Affiliation.speaker_id).where(Affiliation.organization_id.in_(orgs)),
                     select(Speaker.id).where(Speaker.organization_id.in_(orgs)))
    key = _key(value, "organisation")
    return union(
        select(Affiliation.speaker_id).where(Affiliation.organization_id.in_(orgs)),
        select(Speaker.id).where(Speaker.organization_id.in_(orgs)),
        select(SpeakerAlias.speaker_id).join(Speaker, SpeakerAlias.speaker_id == Speaker.id)
        .where(Speaker.kind == "organization", _words_in(SpeakerAlias.key, key)),
    )


def filter_speakers(stmt: Select, speaker_col, *, speaker: str | None = None, country: str | None = None,
                    org: str | None = None, no_guesses: bool = False) -> Select:
    """``stmt`` restricted to the speakers (``speaker_col``) a name, country and organisation fit;
    ``no_guesses``: their country X rests on evidence (see speakers_of_country)."""
    if no_guesses and not country:
        raise QueryError("--no-guesses applies to a country: give --country too")
    if speaker:
        stmt = stmt.where(speaker_col.in_(speakers_named(speaker)))
    if country:
        stmt = stmt.where(speaker_col.in_(speakers_of_country(country, guesses=not no_guesses)))
    if org:
        stmt = stmt.where(speaker_col.in_(speakers_of_org(org)))
    return stmt


def outlets_named(session: Session, value: str) -> list[str]:
    """Outlet names, as stored, that contain the words of ``value`` (case/accents/punctuation ignored)."""
    key = _key(value, "outlet")
    # few distinct outlets, read off the (outlet, n_quotes) index; matched as speakers' names are
    names = session.scalars(select(Article.outlet).where(Article.outlet.is_not(None)).distinct())
    return [name for name in names if f" {key} " in f" {name_key(name)} "]


def quote_filter(stmt: Select, *, speaker=None, country=None, org=None, article_id=None,
                  kind=None, outlet: str | None = None, since: date | None = None,
                  until: date | None = None, min_confidence: float | None = None,
                  attributed: bool = False, no_guesses: bool = False, session: Session | None = None,
                  joined: bool = False, indexed: bool = True) -> Select:
    """``stmt`` restricted to quotes that pass every filter given (``outlet`` needs ``session``).

    ``no_guesses`` (with ``country``): only speakers whose country rests on evidence, not on a guess
    from the article's setting.

    ``joined``: ``stmt`` joins articles, so article conditions apply to its columns (an index on
    them can drive the query); else they are article-id subqueries, and no join is needed.
    ``indexed=False`` words the quote conditions so that SQLite cannot use their indexes ("+ 0"),
    leaving it to read quotes in the order of the index the query sorts by.
    """
    speaker_id = Quote.speaker_id if indexed else Quote.speaker_id + 0
    stmt = filter_speakers(stmt, speaker_id, speaker=speaker, country=country, org=org, no_guesses=no_guesses)
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


def quotes_select(*extra, articles_first: bool = False) -> Select:
    """Quotes with their article's fields and speaker; ``articles_first`` makes SQLite read articles
    first (in an index's order) and find their quotes, instead of the other way round."""
    stmt = select(Quote, Article.source, Article.title, Speaker, Article.outlet, Article.published,
                  Article.url, *extra)
    if articles_first:  # "+ 0": no index can find an article from a quote, so articles lead
        stmt = stmt.select_from(Article).join(Quote, Quote.article_id == Article.id + 0)
    else:
        stmt = stmt.join(Article, Quote.article_id == Article.id)
    return stmt.outerjoin(Speaker, Quote.speaker_id == Speaker.id)


def quote_dicts(session: Session, rows) -> list[dict[str, Any]]:
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
            "country_source": sp.country_source if sp and sp.country else None,
            "cue": q.cue,
            "confidence": round(q.confidence, 3),
            "method": q.method,
        })
    return out


def filtering(filters: dict[str, Any]) -> bool:
    return any(v is not None and v is not False and v != "" for v in filters.values())


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

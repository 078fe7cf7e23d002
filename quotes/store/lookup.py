"""Turn what a user types into rows of the store: filters on quotes, and references to speakers and bodies.

Query commands, curation and export share these: a speaker, country, organisation, outlet or date filter
becomes SQL over the models; "#12", a name, an alias or words of one become speaker or organisation rows;
quote rows become dicts in the ``quotes extract`` contract.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, String, any_, func, literal, or_, select, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from quotes.entities.countries import resolve_country_arg

from .models import (
    QUOTE_KINDS, Affiliation, Article, Organization, OrganizationAlias, Quote, Speaker, SpeakerAlias, name_key,
)


class QueryError(ValueError):
    """A filter or search expression that cannot be run; the message is meant for the user."""


class iso_date(FunctionElement):
    """A date column as its ISO text (YYYY-MM-DD), as it is printed, with no date objects built."""

    type = String()
    name = "iso_date"
    inherit_cache = True


@compiles(iso_date, "sqlite")
def _iso_date_sqlite(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)  # SQLite stores dates as that text


@compiles(iso_date, "postgresql")
def _iso_date_postgresql(element, compiler, **kw) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


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
                    org: str | None = None, no_guesses: bool = False, session: Session | None = None) -> Select:
    """``stmt`` restricted to the speakers (``speaker_col``) a name, country and organisation fit;
    ``no_guesses``: their country X rests on evidence (see speakers_of_country). With a ``session`` on
    PostgreSQL the speakers are looked up first and given as a list (see _among)."""
    if no_guesses and not country:
        raise QueryError("--no-guesses applies to a country: give --country too")
    sets = []
    if speaker:
        sets.append(speakers_named(speaker))
    if country:
        sets.append(speakers_of_country(country, guesses=not no_guesses))
    if org:
        sets.append(speakers_of_org(org))
    for ids in sets:
        stmt = stmt.where(_among(session, speaker_col, ids))
    return stmt


def _among(session: Session | None, speaker_col, ids: Select) -> ColumnElement[bool]:
    """``speaker_col`` is one of ``ids`` (a subquery), or on PostgreSQL (with a ``session``) one of the ids
    it selects, looked up first."""
    # PostgreSQL cannot estimate how many speakers a union of LIKEs finds (it guessed 253 for 3), nor so how
    # many quotes they said: it then reads every quote (240 ms at 1M) where the index finds a few hundred.
    # Given the ids, it knows each one's quotes from its statistics (SQLite plans with its hints instead).
    if session is None or session.get_bind().dialect.name != "postgresql":
        return speaker_col.in_(ids)
    # one array parameter, not a parameter per id: a country has thousands of speakers
    return speaker_col == any_(literal(list(session.scalars(ids)), ARRAY(Integer)))


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
    stmt = filter_speakers(stmt, speaker_id, speaker=speaker, country=country, org=org, no_guesses=no_guesses,
                           session=session)
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


#: The tables themselves (Core columns, not the models' ORM attributes): a statement made of them compiles
#: without the ORM, which would configure every mapper on a process's first query.
_quotes, _articles, _speakers = Quote.__table__, Article.__table__, Speaker.__table__
_affiliations, _organizations = Affiliation.__table__, Organization.__table__


def _first_post(stmt: Select):
    """``stmt`` (reading affiliations) for the speaker's first post in the quote's article, as a scalar subquery of
    the quote (NULL where there is none): what the article calls them. Found through the article's few posts,
    not the speaker's many."""
    f = _affiliations.c
    return (stmt.where(f.article_id == _quotes.c.article_id, f.speaker_id + 0 == _quotes.c.speaker_id)
            .order_by(f.id).limit(1).correlate(_quotes).scalar_subquery())


def _seen_as(column):
    """``column`` of the speaker's first post in the quote's article (its title, or its organisation's name)."""
    return _first_post(select(column).select_from(_affiliations)
                       .outerjoin(_organizations, _affiliations.c.organization_id == _organizations.c.id))


#: That post, and its organisation, as tables to join (quotes_select's ``ids_from`` form).
_seen, _seen_org = _affiliations.alias("seen_post"), _organizations.alias("seen_post_organization")


def _seen_joined(stmt: Select) -> Select:
    """``stmt`` with the speaker's first post in the quote's article and its organisation joined, by the post's id:
    one look through the article's posts per quote, where a subquery for each column makes two. (Not for every
    statement: SQLite works out a join for the rows an OFFSET skips too, a column's subquery only for rows given.)"""
    first = _first_post(select(_affiliations.c.id))
    return stmt.outerjoin(_seen, _seen.c.id == first).outerjoin(_seen_org, _seen_org.c.id == _seen.c.organization_id)


_q, _a, _s = _quotes.c, _articles.c, _speakers.c
#: The columns quotes_select reads, in order: the quote's, its article's, its speaker's, and the title and
#: organisation it had in that article (plain values, no ORM objects: a million rows stream through
#: quote_dicts without building an object per row).
_QUOTE_FIELDS = (
    _q.id, _q.article_id, _q.speaker_id, _q.text, _q.kind, _q.start, _q.end,
    _q.speaker_mention, _q.speaker_start, _q.speaker_end, _q.cue, _q.confidence, _q.method,
    _a.source, _a.title, _a.outlet,
    iso_date(_a.published).label("published"),  # as it is printed
    _a.url, _s.name.label("speaker_name"), _s.kind.label("speaker_kind"),
    _s.country.label("speaker_country"), _s.country_source.label("speaker_country_source"),
)
_QUOTE_COLUMNS = (*_QUOTE_FIELDS, _seen_as(_affiliations.c.title).label("seen_title"),
                  _seen_as(_organizations.c.name).label("seen_organization"))
_QUOTE_COLUMNS_JOINED = (*_QUOTE_FIELDS, _seen.c.title.label("seen_title"), _seen_org.c.name.label("seen_organization"))
#: Where quotes_select's extra columns start in its rows.
QUOTE_EXTRA = len(_QUOTE_COLUMNS)


def quotes_select(*extra, articles_first: bool = False, ids_from=None) -> Select:
    """Quotes with their article's fields and speaker (the columns of _QUOTE_COLUMNS, then ``extra``, from
    QUOTE_EXTRA on; the quote's id first); ``articles_first`` makes SQLite read articles first (in an
    index's order) and find their quotes, instead of the other way round; ``ids_from``, a column of quote
    ids in a subquery, makes that subquery lead (the quotes are looked up in its order)."""
    if ids_from is not None:  # every row of the subquery is given: the post joined once, not looked up twice
        stmt = select(*_QUOTE_COLUMNS_JOINED, *extra).select_from(ids_from.table).join(_quotes, _q.id == ids_from)
        return _seen_joined(stmt.join(_articles, _q.article_id == _a.id).outerjoin(_speakers, _q.speaker_id == _s.id))
    stmt = select(*_QUOTE_COLUMNS, *extra)
    if articles_first:  # "+ 0": no index can find an article from a quote, so articles lead
        stmt = stmt.select_from(_articles).join(_quotes, _q.article_id == _a.id + 0)
    else:
        stmt = stmt.select_from(_quotes).join(_articles, _q.article_id == _a.id)
    return stmt.outerjoin(_speakers, _q.speaker_id == _s.id)


def quote_dicts(session: Session, rows) -> list[dict[str, Any]]:
    """Rows of quotes_select as dicts in the extract contract, plus ids."""
    out = []
    for (qid, article_id, speaker_id, text, kind, start, end, mention, mention_start, mention_end, cue, confidence,
         method, source, article_title, outlet, published, url, name, speaker_kind, country, country_source,
         title, org, *_) in rows:
        out.append({
            "id": qid,
            "article_id": article_id,
            "article_title": article_title,
            "outlet": outlet,
            "published": published or None,
            "url": url,
            "file": source,
            "start": start,
            "end": end,
            "text": text,
            "kind": kind,
            "speaker": name,
            "speaker_mention": mention,
            "speaker_start": mention_start,
            "speaker_end": mention_end,
            "speaker_kind": speaker_kind,
            "title": title,
            "organization": org,
            "country": country,
            "country_source": country_source if country else None,
            "cue": cue,
            "confidence": round(confidence, 3),
            "method": method,
        })
    return out


#: Rows read from the database at a time when results stream (and quote_dicts' affiliations per chunk).
STREAM_CHUNK = 1000


def stream(session: Session, stmt: Select) -> Iterator[list]:
    """The rows of ``stmt`` in chunks of STREAM_CHUNK, read as they are consumed (a cursor, not a list)."""
    # Core, not the ORM: the rows are plain columns, and the ORM's per-row loading costs more than SQLite
    yield from session.connection().execute(stmt.execution_options(yield_per=STREAM_CHUNK)).partitions()


def stream_quote_dicts(session: Session, chunks: Iterable[list]) -> Iterator[dict[str, Any]]:
    """quote_dicts of each chunk of rows in turn: what quote_dicts of all the rows gives, in constant memory."""
    for chunk in chunks:
        yield from quote_dicts(session, chunk)


def filtering(filters: dict[str, Any]) -> bool:
    return any(v is not None and v is not False and v != "" for v in filters.values())


_ID_REF = re.compile(r"#?(\d+)")
#: The largest id SQLite can hold: a larger number is no row's id (and would not fit a query).
MAX_ID = 2 ** 63 - 1


def _by_id(session: Session, model, digits: str):
    number = int(digits)
    return session.get(model, number) if number <= MAX_ID else None


def find_speakers(session: Session, ref: str, *, words: bool = True) -> list[Speaker]:
    """Speakers ``ref`` names: #ID; else the exact name; else an exact alias; else (``words``) a
    name or alias containing its words, or another wording of an organisation. Descriptions
    ("officials") only when no named speaker fits."""
    ref = ref.strip()
    by_id = _ID_REF.fullmatch(ref)
    if by_id:
        row = _by_id(session, Speaker, by_id.group(1))
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
        row = _by_id(session, Organization, by_id.group(1))
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

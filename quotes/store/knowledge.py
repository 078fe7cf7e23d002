"""What the database already knows of an article's speakers, filled in before the article is stored or printed.

A named speaker the database holds, found by the matching rules of cross-article resolution
(``SpeakerResolver.find``, which only reads), lends the extraction what the article leaves open:

- its country, when the article gives none or only a guess from its setting (``country_source``
  "article") and the row's country rests on evidence: the speaker gets it with the source
  "knowledge", or "curated" when a person set it (a curated country also outranks one the text
  states, as it does in the store);
- a person's organisation, when the article names none (or only the government of its guessed
  country) and a person gave one (``quotes people import``: a post with no article).

A body is looked up by its wording only where the wording identifies it: "the interior ministry"
placed in the article's country by a guess is every country's, so its guess stays a guess.
Supranational bodies (EU, UN, NATO …) stay without a country. A bare surname ("Holm") is lent nothing:
which person it is depends on the articles stored so far, and store.surnames settles it over all of
them. Nothing is written.
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes import records
from quotes.entities import countries

from .candidates import CHUNK
from .lookup import GUESSED
from .models import Affiliation, Organization, Speaker, name_key
from .resolution import PersonName, SpeakerResolver, org_identity

#: country_source of a country the database lends an extraction (records.COUNTRY_SOURCES).
KNOWLEDGE = "knowledge"
CURATED = "curated"


def apply_knowledge(session: Session, extraction: records.Extraction,
                    resolver: SpeakerResolver | None = None) -> records.Extraction:
    """``extraction`` with each named speaker completed from the database (a new Extraction; the
    quotes are shared, the given speakers are not changed); ``resolver`` the one that stores it next in the
    same transaction, if any, so that it has the rows read here already."""
    if not extraction.speakers:
        return extraction
    resolver = resolver or SpeakerResolver(session)
    resolver.preload(extraction.speakers.values())  # the rows its names can be, read at once
    found = {key: _stored_row(resolver, sp) for key, sp in extraction.speakers.items()}
    posts = _given_posts(session, [row.id for key, row in found.items()
                                   if row is not None and _asks_posts(extraction.speakers[key])])  # one query
    speakers = {key: _completed(sp, found[key], posts) for key, sp in extraction.speakers.items()}
    return replace(extraction, speakers=speakers)


def known_speaker(resolver: SpeakerResolver, sp: records.Speaker) -> records.Speaker:
    """``sp`` with what the database knows of it filled in (``sp`` itself when it knows nothing new)."""
    row = _stored_row(resolver, sp)
    asked = [row.id] if row is not None and _asks_posts(sp) else []
    return _completed(sp, row, _given_posts(resolver.session, asked))


def _stored_row(resolver: SpeakerResolver, sp: records.Speaker) -> Speaker | None:
    """The stored row ``sp`` is, where the database may lend it something; else None."""
    if not sp.named or not name_key(sp.name):
        return None
    if sp.kind == "person" and PersonName.parse(sp.name).first is None:
        return None  # who a bare surname is gets settled over every article (store.surnames), not lent now
    if sp.kind == "organization":
        if countries.supranational(sp.name):
            return None
        if sp.country_inferred and org_identity(sp.name, sp.country).hinted:
            return None  # which body is meant rests on the guessed country itself
    return resolver.find(sp)


def _completed(sp: records.Speaker, row: Speaker | None, posts: dict[int, set[str]]) -> records.Speaker:
    """``sp`` with what ``row`` knows filled in; ``posts`` the organisations of each row's posts with no article."""
    if row is None:
        return sp
    changes: dict = {}
    if row.country and row.country_source != GUESSED:
        source = CURATED if row.country_source == CURATED else KNOWLEDGE
        if sp.country is None or sp.country_inferred or (source == CURATED and sp.country != row.country):
            changes.update(country=row.country, country_source=source)
    if _asks_posts(sp):
        organization = _organization(sp, posts.get(row.id, set()), changes.get("country"))
        if organization is not None:
            changes["organization"] = organization
    return replace(sp, **changes) if changes else sp


def _guessed_government(sp: records.Speaker) -> bool:
    """Whether the organisation ``sp`` names is only the government of the country guessed for it."""
    return bool(sp.organization and sp.country_inferred and sp.organization == countries.government_name(sp.country))


def _asks_posts(sp: records.Speaker) -> bool:
    """Whether a person's posts with no article can give ``sp`` its organisation: it names none, or a guessed one."""
    return sp.kind == "person" and (not sp.organization or _guessed_government(sp))


def _given_posts(session: Session, speaker_ids: list[int]) -> dict[int, set[str]]:
    """The organisations of each speaker's posts with no article (those a person gave), by speaker id."""
    posts: dict[int, set[str]] = {}
    for start in range(0, len(speaker_ids), CHUNK):
        for speaker_id, name in session.execute(
                select(Affiliation.speaker_id, Organization.name)
                .join(Affiliation, Affiliation.organization_id == Organization.id)
                .where(Affiliation.speaker_id.in_(sorted(set(speaker_ids[start:start + CHUNK]))),
                       Affiliation.article_id.is_(None))):
            posts.setdefault(speaker_id, set()).add(name)
    return posts


def _organization(sp: records.Speaker, given: set[str], country: str | None) -> str | None:
    """The organisation to give a person: the one a person gave (a post with no article, if just one:
    ``given``) when the article names none or only the government of a country it guessed; with no such
    post, the government of the country the database lends in place of the guessed one; else None."""
    if len(given) == 1:
        return next(iter(given))
    if _guessed_government(sp) and country and country != sp.country:
        return countries.government_name(country)  # an official of the country now known, not the guessed one
    return None

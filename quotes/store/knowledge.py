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
    speakers = {key: known_speaker(resolver, sp) for key, sp in extraction.speakers.items()}
    return replace(extraction, speakers=speakers)


def known_speaker(resolver: SpeakerResolver, sp: records.Speaker) -> records.Speaker:
    """``sp`` with what the database knows of it filled in (``sp`` itself when it knows nothing new)."""
    if not sp.named or not name_key(sp.name):
        return sp
    if sp.kind == "person" and PersonName.parse(sp.name).first is None:
        return sp  # who a bare surname is gets settled over every article (store.surnames), not lent now
    if sp.kind == "organization":
        if countries.supranational(sp.name):
            return sp
        if sp.country_inferred and org_identity(sp.name, sp.country).hinted:
            return sp  # which body is meant rests on the guessed country itself
    row = resolver.find(sp)
    if row is None:
        return sp
    changes: dict = {}
    if row.country and row.country_source != GUESSED:
        source = CURATED if row.country_source == CURATED else KNOWLEDGE
        if sp.country is None or sp.country_inferred or (source == CURATED and sp.country != row.country):
            changes.update(country=row.country, country_source=source)
    if sp.kind == "person":
        organization = _organization(resolver.session, row, sp, changes.get("country"))
        if organization is not None:
            changes["organization"] = organization
    return replace(sp, **changes) if changes else sp


def _organization(session: Session, row: Speaker, sp: records.Speaker, country: str | None) -> str | None:
    """The organisation to give a person: the one a person gave (a post with no article, if just one)
    when the article names none or only the government of a country it guessed; with no such post,
    the government of the country the database lends in place of the guessed one; else None."""
    guessed = bool(sp.organization and sp.country_inferred
                   and sp.organization == countries.government_name(sp.country))
    if sp.organization and not guessed:
        return None
    given = set(session.scalars(
        select(Organization.name).join(Affiliation, Affiliation.organization_id == Organization.id)
        .where(Affiliation.speaker_id == row.id, Affiliation.article_id.is_(None))))
    if len(given) == 1:
        return given.pop()
    if guessed and country and country != sp.country:
        return countries.government_name(country)  # an official of the country now known, not the guessed one
    return None

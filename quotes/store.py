"""Keep extractions in the database: one transaction per article, speakers merged across articles."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from nameparser import HumanName
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import countries, records
from .db import begin_write
from .models import (
    QUOTE_KINDS, SPEAKER_KINDS, Affiliation, Article, Organization, OrganizationAlias, Quote, Speaker,
    SpeakerAlias, name_key,
)

#: Single words that name a kind of body rather than one body; never used alone to match organisations.
GENERIC_ORG_WORDS = frozenset(
    "ministry government army military police party company council court office agency department "
    "committee parliament commission administration authorities forces union group officials "
    "spokesman spokeswoman presidency cabinet embassy".split()
)

#: Organisation kinds that belong to one country, so a country-less name like "Ministry of Defense"
#: takes the country of whoever speaks for it and is not shared across countries.
NATIONAL_ORG_KINDS = frozenset({"government", "party"})


class StoreError(ValueError):
    """An extraction cannot be stored as it is (e.g. a quote's offsets do not match the text)."""


@dataclass
class StoreResult:
    """What storing one extraction did."""

    article_id: int
    status: Literal["added", "unchanged", "updated"]
    n_quotes: int = 0
    speakers: list[str] = field(default_factory=list)  # canonical names in the database
    new_speakers: int = 0

    @property
    def new(self) -> bool:
        """True when the article was not in the database before."""
        return self.status == "added"


def content_hash(text: str) -> str:
    """The article's identity: sha256 of its normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_article(session: Session, article: records.Article) -> Article | None:
    """The stored article with exactly this text, if any."""
    return session.scalar(select(Article).where(Article.content_hash == content_hash(article.text)))


def store_extraction(session: Session, extraction: records.Extraction) -> StoreResult:
    """Store one article with its quotes and speakers in its own transaction.

    The same text again adds nothing; a known URL with new text replaces that article's quotes.
    """
    begin_write(session)
    try:
        result = _store(session, extraction)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _check(extraction: records.Extraction) -> None:
    text = extraction.article.text
    where = extraction.article.source or "article"
    for q in extraction.quotes:
        if not (0 <= q.start <= q.end <= len(text)) or text[q.start:q.end] != q.text:
            raise StoreError(f"{where}: quote at {q.start}-{q.end} does not match the article text")
        if q.kind not in QUOTE_KINDS:
            raise StoreError(f"{where}: quote at {q.start}-{q.end} has unknown kind {q.kind!r}")
        if q.speaker is not None and not name_key(q.speaker):
            raise StoreError(f"{where}: quote at {q.start}-{q.end} has no usable speaker name")
    for sp in extraction.speakers.values():
        if sp.kind not in SPEAKER_KINDS or not name_key(sp.name):
            raise StoreError(f"{where}: speaker {sp.name!r} of kind {sp.kind!r} cannot be stored")


def _store(session: Session, extraction: records.Extraction) -> StoreResult:
    art = extraction.article
    digest = content_hash(art.text)
    existing = session.scalar(select(Article).where(Article.content_hash == digest))
    if existing is not None:
        return StoreResult(existing.id, "unchanged")
    _check(extraction)

    row = None
    if art.url:
        row = session.scalar(select(Article).where(Article.url == art.url).order_by(Article.id).limit(1))
    status: Literal["added", "updated"] = "added" if row is None else "updated"
    if row is None:
        row = Article(content_hash=digest, text=art.text)
        session.add(row)
    else:  # a new version of a known page: its old quotes and affiliations go
        row.quotes.clear()
        row.affiliations.clear()
        row.content_hash, row.text = digest, art.text
    row.title, row.outlet, row.url = art.title, art.outlet, art.url
    row.published, row.author, row.source = art.published, art.author, art.source
    session.flush()

    resolver = SpeakerResolver(session)
    described = dict(extraction.speakers)
    for q in extraction.quotes:  # a quote naming a speaker the extraction did not describe
        if q.speaker and q.speaker not in described:
            described[q.speaker] = records.Speaker(q.speaker)
    rows: dict[str, Speaker] = {}
    new_speakers = 0
    seen_affiliations: set[tuple] = set()
    for name, sp in described.items():
        speaker, created = resolver.resolve(sp)
        rows[name] = speaker
        new_speakers += created
        if sp.title or sp.organization:
            org = None
            if sp.organization and name_key(sp.organization) not in ("", speaker.key):
                org = resolver.organization(sp.organization, sp.country)
            ident = (speaker.id, org.id if org else None, sp.title)
            if ident not in seen_affiliations:
                seen_affiliations.add(ident)
                session.add(Affiliation(speaker=speaker, organization=org, title=sp.title, article=row,
                                        seen_on=art.published))

    for q in extraction.quotes:
        session.add(Quote(
            article=row, speaker=rows.get(q.speaker) if q.speaker else None, text=q.text, kind=q.kind,
            start=q.start, end=q.end, cue=q.cue, speaker_mention=q.speaker_mention,
            speaker_start=q.speaker_start, speaker_end=q.speaker_end, confidence=q.confidence,
            method=q.method, sentence_start=q.sentence_start, sentence_end=q.sentence_end))
    session.flush()
    names = list(dict.fromkeys(s.name for s in rows.values()))
    return StoreResult(row.id, status, len(extraction.quotes), names, new_speakers)


@dataclass(frozen=True)
class PersonName:
    """A person's name split for comparison; all parts in name_key form."""

    tokens: tuple[str, ...]
    first: str | None  # None for a bare name ("Smith")
    last: str

    @classmethod
    def parse(cls, name: str) -> PersonName:
        """Split ``name`` with nameparser (titles and suffixes dropped)."""
        parsed = HumanName(name)
        parts = [name_key(p) for p in (parsed.first, parsed.middle, parsed.last) if p]
        tokens = tuple(t for p in parts for t in p.split()) or tuple(name_key(name).split())
        last = name_key(parsed.last)
        if not last:  # nameparser calls a lone word a first name; in a mention it is a surname
            return cls(tokens, None, " ".join(tokens))
        return cls(tokens, name_key(parsed.first) or None, last)

    def compatible(self, other: PersonName) -> bool:
        """Could both names be one person? Never when surnames or given names differ."""
        if self.first is None or other.first is None:
            bare, full = (self, other) if self.first is None else (other, self)
            return bare.last == full.last or bare.last in full.tokens
        if self.tokens == other.tokens:
            return True
        short, long_ = sorted((self.last.split(), other.last.split()), key=len)
        if long_[len(long_) - len(short):] != short:  # "Lie" may stand for "Strøm-Lie", not "Dahl"
            return False
        a, b = self.first, other.first
        return (a == b or _initial_of(a, b) or _initial_of(b, a)
                or a in other.tokens or b in self.tokens)


def _initial_of(initial: str, name: str) -> bool:
    return len(initial) == 1 and name.startswith(initial)


def _conflict(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def _usable_org_alias(alias: str) -> bool:
    """Aliases that identify one organisation: several words, an acronym, or a distinctive name."""
    key = name_key(alias)
    if not key:
        return False
    if " " in key or (alias.isupper() and len(alias) >= 2):
        return True
    return alias[:1].isupper() and key not in GENERIC_ORG_WORDS


class SpeakerResolver:
    """Finds or creates the database speaker and organisation rows for one article's names."""

    def __init__(self, session: Session):
        self.session = session

    # -- speakers -------------------------------------------------------------------------------
    def resolve(self, sp: records.Speaker) -> tuple[Speaker, bool]:
        """The row for ``sp`` (an existing speaker when the match is unambiguous) and whether it is new."""
        if sp.kind == "organization":
            match = self._match_organization_speaker(sp)
        else:
            match = self._match_person(sp)
        created = match is None
        if match is None:
            match = Speaker(name=sp.name, key=name_key(sp.name), kind=sp.kind, country=sp.country)
            self.session.add(match)
        self._absorb(match, sp)
        self.session.flush()
        return match, created

    def _absorb(self, row: Speaker, sp: records.Speaker) -> None:
        if row.country is None and sp.country:
            row.country = sp.country
        known = {a.alias for a in row.aliases}
        for alias in (row.name, sp.name, *sp.aliases):
            alias = alias.strip()
            if alias and alias not in known and name_key(alias):
                known.add(alias)
                row.aliases.append(SpeakerAlias(alias=alias, key=name_key(alias)))

    def _speakers_with_alias(self, keys: set[str], kind: str) -> list[Speaker]:
        if not keys:
            return []
        return list(self.session.scalars(
            select(Speaker).join(SpeakerAlias).where(SpeakerAlias.key.in_(keys), Speaker.kind == kind)
            .distinct().order_by(Speaker.id)))

    def _persons_with_surname(self, surname: str) -> list[Speaker]:
        # key is name_key form (words and single spaces), so LIKE needs no escaping
        return list(self.session.scalars(
            select(Speaker).where(Speaker.kind == "person",
                                  (Speaker.key == surname) | Speaker.key.like(f"% {surname}"))
            .order_by(Speaker.id)))

    @staticmethod
    def _pick(candidates: list[Speaker], sp: records.Speaker) -> Speaker | None:
        """The one candidate, or the one with the same name or country among several; else none."""
        if len(candidates) == 1:
            return candidates[0]
        narrowers = [lambda s: s.key == name_key(sp.name)]
        if sp.country:
            narrowers.append(lambda s: s.country == sp.country)
        for narrow in narrowers:
            narrowed = [s for s in candidates if narrow(s)]
            if len(narrowed) == 1:
                return narrowed[0]
            if narrowed:
                candidates = narrowed
        return None

    def _match_person(self, sp: records.Speaker) -> Speaker | None:
        name = PersonName.parse(sp.name)
        keys = {name_key(sp.name)} | {k for k in map(name_key, sp.aliases) if " " in k}
        found = self._speakers_with_alias(keys, "person")
        if name.first is None:  # a surname alone: every known person of that surname is a candidate
            found += [s for s in self._persons_with_surname(name.last) if s not in found]
        found = [s for s in found
                 if not _conflict(s.country, sp.country) and name.compatible(PersonName.parse(s.name))]
        if found:
            return self._pick(found, sp)
        if name.first is None:
            return None
        # a full name where only the bare surname is known: the same person if nobody else has it
        same_surname = [s for s in self._persons_with_surname(name.last)
                        if not _conflict(s.country, sp.country)]
        if len(same_surname) == 1 and same_surname[0].key == name.last:
            row = same_surname[0]
            row.name, row.key = sp.name, name_key(sp.name)  # the fuller name becomes canonical
            return row
        return None

    def _match_organization_speaker(self, sp: records.Speaker) -> Speaker | None:
        keys = {name_key(sp.name)} | {name_key(a) for a in sp.aliases if _usable_org_alias(a)}
        found = [s for s in self._speakers_with_alias(keys, "organization")
                 if not _conflict(s.country, sp.country)]
        return self._pick(found, sp) if found else None

    # -- organisations --------------------------------------------------------------------------
    def organization(self, name: str, speaker_country: str | None = None) -> Organization:
        """The organisation row for ``name``, created when unknown."""
        key = name_key(name)
        kind = countries.organization_kind(name)
        country = countries.organization_country(name)
        if country is None and kind in NATIONAL_ORG_KINDS:
            country = speaker_country
        found = list(self.session.scalars(
            select(Organization).join(OrganizationAlias).where(OrganizationAlias.key == key)
            .distinct().order_by(Organization.id)))
        found = [o for o in found if not _conflict(o.country, country)]
        if found:
            same = [o for o in found if o.country == country]
            org = (same or found)[0]
            if org.country is None and country:
                org.country = country
        else:
            org = Organization(name=name.strip(), key=key, kind=kind, country=country)
            self.session.add(org)
        if name.strip() not in {a.alias for a in org.aliases}:
            org.aliases.append(OrganizationAlias(alias=name.strip(), key=key))
        self.session.flush()
        return org

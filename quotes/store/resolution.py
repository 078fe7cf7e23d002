"""Who is who across articles: one speaker row per person or body, one organisation row per body.

People are compared with ``nameparser`` (given names, middle names, surname, titles and suffixes
split apart): a full name never joins a person with another given name, middle name or suffix, nor
one with another country unless that person is well established and the country rests on a bare
descriptor (see ``ESTABLISHED_ARTICLES``); spellings that differ only by transliteration
(``data/transliteration.tsv``) join only with the same country or organisation as evidence. A
surname alone joins the one full-named person of that surname it can be, or the one who clearly
dominates it (see ``SpeakerResolver._surname_owner``), as far as the database knows when the article is
stored; ``store.surnames`` decides that again over every stored article at the end of each batch, so
that the order of articles does not decide it. Descriptions ("a source") get a row of their own in
every article.

Organisations are identified by their country and the set of their other words, after
``data/org_synonyms.tsv`` is applied and, for government bodies and parties, the country words are
taken out, so "Azerbaijan's Ministry of Defense", "the Azerbaijani defense ministry" and
"Azerbaijan's defence ministry" are one row (while "Bank of America" keeps its "America").
Supranational bodies (``countries.supranational``) are one row each, with no country.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from nameparser import HumanName
from nameparser.config import CONSTANTS
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from quotes import records
from quotes.entities import countries

from .candidates import Candidates, organization_id_of, row_order
from .models import (
    Affiliation, CurationRule, Organization, OrganizationAlias, Quote, Speaker, SpeakerAlias, name_key,
)
from .writing import next_ids

#: Single words that name a kind of body rather than one body; never used alone to match organisations.
GENERIC_ORG_WORDS = frozenset(
    "ministry government army military police party company council court office agency department "
    "committee parliament commission administration authorities forces union group officials "
    "spokesman spokeswoman presidency cabinet embassy".split()
)

#: Organisation kinds that belong to one country, so a country-less name like "Ministry of Defense"
#: takes the country of whoever speaks for it and is not shared across countries.
NATIONAL_ORG_KINDS = frozenset({"government", "party"})

#: Canonical-key country part for an organisation without a country.
NO_COUNTRY = "-"
#: Canonical-key prefix of a supranational body.
SUPRA_PREFIX = "@"

#: A bare surname ("Mr. Holm", "President Holm") goes to the best-known full-named person of that
#: surname only when no other is a plausible referent: that person is quoted in at least
#: DOMINANT_MIN_ARTICLES articles, and in DOMINANCE_RATIO times as many as all the others of the
#: surname together (each counted at least once). A spouse or son quoted once or twice beside a
#: head of state does not block it; two people of one surname both quoted often (a couple of
#: politicians, two brothers) always do, and their bare surname keeps a row of its own.
DOMINANT_MIN_ARTICLES = 5
DOMINANCE_RATIO = 10

def surname_owner(people: list[Speaker], articles: Mapping[int, int], said: Iterable[str],
                  posts: Callable[[], Mapping[int, set[str]]]) -> Speaker | None:
    """Which of ``people`` (full-named, all fitting a bare surname; in the caller's order, the first wins
    among equals) the surname stands for: one that is alone, or that dominates all the others together
    by DOMINANCE_RATIO with at least DOMINANT_MIN_ARTICLES of ``articles`` (each row's count), unless a
    post the mention was ``said`` with was seen with one of the others and never with it ("the son"
    beside the father; ``posts`` gives each row's posts, asked only then)."""
    if not people:
        return None
    top = max(people, key=lambda row: articles[row.id])
    rivals = [row for row in people if row is not top]
    if not rivals:
        return top
    theirs = sum(max(articles[row.id], 1) for row in rivals)  # a row is a person even if unquoted
    if articles[top.id] < max(DOMINANT_MIN_ARTICLES, DOMINANCE_RATIO * theirs):
        return None
    said = set(said)
    if said:
        seen = posts()
        for title in said - seen[top.id]:
            if any(title in seen[row.id] for row in rivals):
                return None
    return top


#: A person quoted under exactly one full name in this many articles, with a country, is not split
#: off by one mention stating another country through a descriptor alone ("the Russian ... Smith"
#: attached to the wrong name); a namesake with a body of that other country
#: ("a spokesman for the Swedish ministry") still gets a row of their own. Below it, a different
#: country is taken at its word: a namesake abroad is as likely as a wrong descriptor.
ESTABLISHED_ARTICLES = 10

#: Courtesy titles: they tell nothing about which of several people is meant (and the extractor
#: attaches them loosely), so they never count as a post.
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame madam madame".split())
_TITLE_FILLERS = frozenset("former then ex acting the".split())

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_REPEATS = re.compile(r"(\w)\1+")


def _read_pairs(filename: str) -> list[tuple[str, str]]:
    """Rows (from, to) of a two-column TSV in quotes/data, comments and blank lines skipped."""
    text = resources.files("quotes.data").joinpath(filename).read_text(encoding="utf-8")
    rows = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise ValueError(f"{filename} line {number}: want from<TAB>to")
        rows.append((parts[0].strip(), parts[1].strip()))
    return rows


@cache
def _transliterations() -> tuple[tuple[str, str], ...]:
    return tuple(_read_pairs("transliteration.tsv"))


@cache
def _org_rewrites() -> tuple[tuple[tuple[re.Pattern[str], str], ...], frozenset[str]]:
    rewrites, dropped = [], set()
    for source, target in _read_pairs("org_synonyms.tsv"):
        if source == "drop":
            dropped.add(name_key(target))
        else:
            rewrites.append((re.compile(rf"(?<!\w){re.escape(name_key(source))}(?!\w)"), name_key(target)))
    return tuple(rewrites), frozenset(dropped)


def fold_name(part: str) -> str:
    """A name part in name_key form with transliteration variants folded ('hajiyev' -> 'hajiev')."""
    words = []
    for word in part.split():
        for source, target in _transliterations():
            word = word.replace(source, target)
        words.append(_REPEATS.sub(r"\1", word))
    return " ".join(words)


# -- people -------------------------------------------------------------------------------------

Match = Literal["same", "variant"]


@dataclass(frozen=True)
class PersonName:
    """A person's name split by nameparser for comparison; all parts in name_key form."""

    tokens: tuple[str, ...]
    first: str | None  # None for a bare name ("Smith", "Senator Smith")
    last: str
    middle: tuple[str, ...] = ()
    suffix: str = ""

    @classmethod
    def parse(cls, name: str) -> PersonName:
        """Split ``name`` with nameparser (titles dropped, suffixes kept apart); the same name is parsed once
        per process (a PersonName is immutable, and an article's names come back in every later one)."""
        return _parse_person_name(name)

    @classmethod
    def _parse(cls, name: str) -> PersonName:
        parsed = HumanName(name)
        first, middle, last = (name_key(p) for p in (parsed.first, parsed.middle, parsed.last))
        suffix = name_key(parsed.suffix)
        if first and last and parsed.first.islower() and first in CONSTANTS.prefixes:  # "von der Leyen"
            first, last = "", f"{first} {last}"
        if not last:  # nameparser calls a lone word a first name; in a mention it is a surname
            last = " ".join(p for p in (first, middle) if p) or name_key(name)
            first, middle = "", ""
        tokens = tuple(t for p in (first, middle, last) for t in p.split())
        return cls(tokens, first or None, last, tuple(middle.split()), suffix)

    @property
    def surname_key(self) -> str:
        """The last surname word, transliteration-folded: what Speaker.surname holds."""
        words = self.last.split()
        return fold_name(words[-1]) if words else ""

    def _folded(self) -> PersonName:
        return PersonName(tuple(fold_name(t) for t in self.tokens),
                          fold_name(self.first) if self.first else None, fold_name(self.last),
                          tuple(fold_name(m) for m in self.middle), self.suffix)

    def _fits(self, other: PersonName) -> bool:
        if self.first is None or other.first is None:
            bare, full = (self, other) if self.first is None else (other, self)
            if bare.first is None and full.first is None:
                return bare.last == full.last
            return _ends_with(full.last.split(), bare.last.split())
        if not (_ends_with(self.last.split(), other.last.split())
                or _ends_with(other.last.split(), self.last.split())):
            return False  # "Lie" may stand for "Strøm-Lie", not "Dahl"
        if self.suffix != other.suffix:  # "Jr." tells a son from his father
            return False
        if self.middle and other.middle and not _initials_agree(self.middle, other.middle):
            return False  # George W. is not George H. W.
        a, b = self.first, other.first
        return (a == b or _initial_of(a, b) or _initial_of(b, a)
                or a in other.tokens or b in self.tokens)

    def match(self, other: PersonName) -> Match | None:
        """'same' when both names can be one person as spelt, 'variant' only after transliteration folding."""
        if self._fits(other):
            return "same"
        if self._folded()._fits(other._folded()):
            return "variant"
        return None

    def compatible(self, other: PersonName) -> bool:
        """Could both names be one person? Never when surnames, given names or suffixes differ."""
        return self.match(other) is not None


@lru_cache(maxsize=1 << 16)
def _parse_person_name(name: str) -> PersonName:
    return PersonName._parse(name)


def _ends_with(words: list[str], tail: list[str]) -> bool:
    return len(tail) <= len(words) and words[len(words) - len(tail):] == tail


def _initial_of(initial: str, name: str) -> bool:
    return len(initial) == 1 and name.startswith(initial)


def _initials_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(x == y or _initial_of(x, y) or _initial_of(y, x) for x, y in zip(a, b))


def _conflict(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def _title_key(title: str | None) -> str:
    """A post as compared across articles ("former President" -> "president"); "" for honorifics."""
    key = " ".join(w for w in name_key(title or "").split() if w not in _TITLE_FILLERS)
    return "" if key in HONORIFICS else key


def _person_keys(sp: records.Speaker) -> set[str]:
    """The name keys a person mention is looked up by: its name's, and its aliases' of more than one word."""
    return {name_key(sp.name)} | {k for k in map(name_key, sp.aliases) if " " in k}


def _is_bare(row: Speaker) -> bool:
    return PersonName.parse(row.name).first is None


@dataclass(frozen=True)
class _Evidence:
    """What a mention says of a person besides the name (for a bare-surname row: all its mentions)."""

    country: str | None = None
    country_inferred: bool = False  # the country is the article's setting, not said of the person
    org_ids: frozenset[int] = frozenset()
    titles: frozenset[str] = frozenset()  # _title_key()s
    # the body is the government of the article's setting, put with a bare post ("President"): no
    # more said of the person than the guessed country is
    org_inferred: bool = False
    # countries of the bodies in org_ids not stored yet (SpeakerResolver.find: read, never created)
    org_countries: frozenset[str] = frozenset()

    @classmethod
    def of(cls, sp: records.Speaker, org: Organization | _UnknownOrg | None) -> _Evidence:
        """The evidence of one mention, ``org`` the body it names the speaker with."""
        title = _title_key(sp.title)
        inferred = bool(org and sp.country_inferred and org.kind == "government"
                        and org.country == sp.country)
        unknown = frozenset({org.country} if isinstance(org, _UnknownOrg) and org.country else ())
        return cls(sp.country, sp.country_inferred, frozenset({org.id} if org else ()),
                   frozenset({title} if title else ()), inferred, unknown)


@dataclass(frozen=True)
class _UnknownOrg:
    """A body no row holds yet, as find() sees it: its id is none of any row's organisations."""

    country: str | None
    kind: str
    id: int = -1


# -- organisations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrgIdentity:
    """What an organisation's wording says about it: canonical key, country, kind and display name."""

    canon: str  # "AZ|defense ministry", "@european union", "-|council european foreign relations"
    country: str | None
    kind: str
    name: str
    hinted: bool = False  # the country is the hint (the speaker's), not in the wording


def _body_words(text: str) -> tuple[str, ...]:
    """The words of a name without its country, rewritten with the synonyms, fillers dropped, sorted."""
    rewrites, dropped = _org_rewrites()
    key = name_key(text)
    for pattern, target in rewrites:
        key = pattern.sub(target, key)
    return tuple(sorted({w for w in key.split() if w not in dropped}))


@lru_cache(maxsize=1 << 14)  # an OrgIdentity is immutable, and an article's bodies come back in later ones
def org_identity(name: str, country_hint: str | None = None) -> OrgIdentity:
    """Identify an organisation from its wording; ``country_hint`` is the speaker's country, used for
    government bodies and parties whose wording names no country ("the foreign ministry")."""
    display = _LEADING_THE.sub("", " ".join(name.split()))
    body = countries.supranational(display)
    if body:
        return OrgIdentity(SUPRA_PREFIX + name_key(body), None, "international", body)
    kind = countries.organization_kind(display)
    found = countries.find_countries(display)
    codes = {code for _, _, code in found}
    if len(codes) > 1:  # "the European Union, France and Germany": several bodies, taken as worded
        return OrgIdentity(f"{NO_COUNTRY}|{' '.join(sorted(set(name_key(display).split())))}",
                           None, kind, display)
    if codes and kind not in NATIONAL_ORG_KINDS:  # "Bank of America", "Washington Post": part of the name
        country = codes.pop()
        words = _body_words(display)
    elif codes:
        country = codes.pop()
        rest, last = [], 0
        for start, end, _ in found:
            rest.append(display[last:start])
            last = end
        rest.append(display[last:])
        words = _body_words(" ".join(rest))
        if not words:  # a country, capital or seat of government speaking: its government
            return OrgIdentity(f"{country}|government", country, "government",
                               countries.government_name(country))
    else:
        country = country_hint if kind in NATIONAL_ORG_KINDS else None
        words = _body_words(display) or tuple(name_key(display).split())
        return OrgIdentity(f"{country or NO_COUNTRY}|{' '.join(words)}", country, kind, display,
                           hinted=country is not None)
    return OrgIdentity(f"{country or NO_COUNTRY}|{' '.join(words)}", country, kind, display)


def usable_org_alias(alias: str) -> bool:
    """Aliases that name one organisation: capitalised, and an acronym, several words or a distinctive
    word ("NATO", "Defence Ministry", "Kremlin"; not "the ministry" or "Ministry")."""
    alias = _LEADING_THE.sub("", alias.strip())
    key = name_key(alias)
    if not key or not any(c.isupper() for c in alias):
        return False
    return " " in key or (alias.isupper() and len(alias) >= 2) or key not in GENERIC_ORG_WORDS


# -- the resolver -------------------------------------------------------------------------------

class SpeakerResolver:
    """Finds or creates the speaker and organisation rows for the names of one article."""

    def __init__(self, session: Session):
        self.session = session
        self.candidates = Candidates(session)
        self._orgs: dict[tuple[str, str | None], Organization] = {}
        # what this article says of its rows, before store writes it as affiliations (by row: a new row
        # has no id until the article's flush)
        self._pending: dict[Speaker, _Evidence] = {}

    # resolve(flush=False) leaves its rows unflushed, so that the article's speakers, aliases and posts go in
    # with one flush (a batch per table) rather than one or more each: the frequent questions are answered
    # with the pending rows (store.candidates), rarer ones flush first (_flushed).
    def _flushed(self) -> Session:
        """The session with everything pending written, for a query that reads more than rows and aliases
        (counts, posts, ids)."""
        self.session.flush()
        return self.session

    def _with_ids(self, rows: Iterable[Speaker]) -> Session:
        """The session, flushed first only if one of ``rows`` has no id yet (for a query by their ids)."""
        # what is read of stored rows (counters, posts, quotes) the article's pending rows do not change: the
        # counters follow quotes, written after resolving, and the article's posts are in _pending
        return self._flushed() if any(row.id is None for row in rows) else self.session

    def preload(self, speakers: Iterable[records.Speaker]) -> None:
        """Read at once the rows that resolving or finding ``speakers`` will ask about (store.candidates), rather
        than a query or two per speaker; valid until the transaction ends (the article's)."""
        keys: set[tuple[str, str]] = set()
        surnames: set[str] = set()
        canons: set[str] = set()
        for sp in speakers:
            if sp.organization and name_key(sp.organization):
                canons.add(org_identity(sp.organization, sp.country).canon)
            if not sp.named or not name_key(sp.name):
                continue
            if sp.kind == "organization":
                keys |= {("organization", k) for k in
                         {name_key(sp.name)} | {name_key(a) for a in sp.aliases if usable_org_alias(a)} if k}
                canons.add(org_identity(sp.name, sp.country).canon)
            else:
                keys |= {("person", k) for k in _person_keys(sp)}
                surnames.add(PersonName.parse(sp.name).surname_key)
        self.candidates.preload(keys, surnames, canons)

    # -- organisations ------------------------------------------------------------------------
    def organization(self, name: str, country_hint: str | None = None,
                     hint_source: str | None = None) -> Organization:
        """The organisation row for a wording, created when no wording of it is known yet.

        ``hint_source`` is where ``country_hint`` came from: the row's country_source when the
        wording itself names no country (a guessed hint makes a guessed country, "article").
        """
        cached = self._orgs.get((name, country_hint))
        if cached is None:
            ident = org_identity(name, country_hint)
            org = self._known_org(ident)
            if org is None:  # its id now, which its speakers and posts are compared by, rather than a flush
                org = Organization(id=next_ids(self.session, Organization, 1)[0], name=ident.name,
                                   key=name_key(ident.name), kind=ident.kind, country=ident.country)
                self.session.add(org)
            add_org_alias(org, ident.name, ident.canon)
            add_org_alias(org, name, ident.canon)
            self._orgs[(name, country_hint)] = cached = (org, ident)
        org, ident = cached
        if (not org.curated and ident.name != org.name and ident.canon == org_canon(org)
                and _org_name_rank(ident.name, org.country) > _org_name_rank(org.name, org.country)):
            org.name, org.key = ident.name, name_key(ident.name)  # the same whichever wording came first
            for speaker in self._flushed().scalars(select(Speaker).where(Speaker.organization_id == org.id,
                                                                      Speaker.curated.is_(False))):
                set_speaker_name(speaker, org.name)  # the body as a speaker goes by its name
        if ident.country is not None:
            confirm_country(org, ident.country, (hint_source or "stated") if ident.hinted else "stated")
        return org

    def _known_org(self, ident: OrgIdentity) -> Organization | None:
        return self.candidates.org_by_canon(ident.canon)

    def organizations_of(self, speaker: Speaker) -> set[int]:
        """Ids of the organisations a speaker is or was seen with."""
        ids = self.candidates.organizations_of(speaker)
        own = organization_id_of(speaker)
        if own:
            ids.add(own)
        if speaker in self._pending:
            ids |= self._pending[speaker].org_ids
        return ids

    # -- speakers -----------------------------------------------------------------------------
    # (a person's country guessed from one article's setting stays with that article: see _own_country)
    def resolve(self, sp: records.Speaker, *, flush: bool = True) -> tuple[Speaker, bool]:
        """The row for ``sp`` (an existing speaker when the match is unambiguous) and whether it is new.

        ``flush=False`` leaves the row and its names unflushed (no id yet): store does one flush per article.
        """
        org = affiliation = None
        if not sp.named:
            match = None
        elif sp.kind == "organization":
            org = self.organization(sp.name, sp.country, source_of(sp))
            match = self._match_organization_speaker(sp, org)
        else:
            affiliation = (self.organization(sp.organization, sp.country, source_of(sp))
                           if sp.organization and name_key(sp.organization) else None)
            match = self._match_person(sp, affiliation)
        created = match is None
        if match is None:
            country, source = _own_country(sp), source_of(sp)
            if org is not None and org.country:
                country, source = org.country, org.country_source
            match = Speaker(name=org.name if org else sp.name, kind=sp.kind, named=sp.named,
                            country=country, country_source=source if country else None, organization=org)
            set_speaker_name(match, match.name)
            self.session.add(match)
        self._absorb(match, sp, org)
        if flush:
            self.session.flush()
        if match.kind == "person" and match.named:
            seen = self._pending.get(match, _Evidence())
            said = _Evidence.of(sp, affiliation)
            self._pending[match] = _Evidence(org_ids=seen.org_ids | said.org_ids, titles=seen.titles | said.titles)
        return match, created

    def find(self, sp: records.Speaker) -> Speaker | None:
        """The existing row resolve() would give ``sp`` (the same rules), or None where it would make one.

        Reads only: no row is created or changed (a body no row holds yet counts as a new one).
        """
        if not sp.named or not name_key(sp.name):
            return None
        if sp.kind == "organization":
            ident = org_identity(sp.name, sp.country)
            org = self._known_org(ident)
            return self._match_organization_speaker(sp, org or _UnknownOrg(ident.country, ident.kind),
                                                    write=False)
        affiliation = None
        if sp.organization and name_key(sp.organization):
            ident = org_identity(sp.organization, sp.country)
            affiliation = self._known_org(ident) or _UnknownOrg(ident.country, ident.kind)
        return self._match_person(sp, affiliation, write=False)

    def _absorb(self, row: Speaker, sp: records.Speaker, org: Organization | None) -> None:
        if (row.kind == "person" and row.named and sp.named and not row.curated and sp.name != row.name
                and _preferred_name(sp.name, row.name)):
            set_speaker_name(row, sp.name)  # the old name stays an alias
        own = _own_country(sp)
        if own and row.kind == "person" and PersonName.parse(sp.name).first is None and not _is_bare(row):
            own = None  # a bare surname's country tells which person it is (store.surnames), not theirs
        if row.country is None and own and not row.curated:
            row.country, row.country_source = own, source_of(sp)
        elif own:
            confirm_country(row, own, source_of(sp))
        if org is not None and org.country:  # the body's speaker is as sure of it as the body
            confirm_country(row, org.country, org.country_source)
        names = (row.name, sp.name, *sp.aliases)
        if row.kind == "person" and PersonName.parse(sp.name).first is None and not _is_bare(row):
            names = (row.name,)  # store.surnames names the person so if the surname stays theirs
        for alias in names:
            add_speaker_alias(row, alias)
        if org is not None:
            for alias in sp.aliases:  # "Yerevan" or "NFU" for the body, never "the ministry"
                if usable_org_alias(alias):
                    self._claim(org, alias, org_identity(alias, sp.country))

    def _claim(self, org: Organization, alias: str, ident: OrgIdentity) -> None:
        """Route a further wording to ``org``, unless it already identifies another organisation."""
        if _conflict(ident.country, org.country):
            return
        owner = self.candidates.canon_owner(ident.canon)
        if owner is None or owner == org.id:
            add_org_alias(org, alias, ident.canon)

    def _with_alias(self, keys: Iterable[str], kind: str) -> list[Speaker]:
        return self.candidates.with_alias(keys, kind)

    def _match_person(self, sp: records.Speaker, org: Organization | _UnknownOrg | None, *,
                      write: bool = True) -> Speaker | None:
        name = PersonName.parse(sp.name)
        evidence = _Evidence.of(sp, org)
        org_id = org.id if org else None
        fits, same_surname = self._candidates(name, evidence, _person_keys(sp))
        if name.first is None:
            owner = self._surname_owner(evidence, fits)
            if owner is not None:
                return owner
        if fits:
            return self._pick(fits, sp, org_id)
        if name.first is None:
            return None
        # A full name where only the bare surname is known: the same person if nobody else has it.
        if len(same_surname) == 1 and _is_bare(same_surname[0]):
            row = same_surname[0]
            if self._fits(name, evidence, row, exact=False):
                if write and not row.curated:  # the fuller name becomes canonical
                    set_speaker_name(row, sp.name)
                    # its country and names were its bare mentions' (store.surnames may take them away)
                    row.country = row.country_source = None
                    for alias in row.aliases:
                        if PersonName.parse(alias.alias).first is None:
                            alias.settled = True
                return row
        return None

    def _candidates(self, name: PersonName, evidence: _Evidence, keys: set[str]) -> tuple[list[Speaker], list[Speaker]]:
        """The named people ``name`` can be (by alias or surname) given ``evidence``, and every named
        person of its surname."""
        by_alias = self._with_alias(keys, "person")
        same_surname = self.candidates.same_surname(name.surname_key, None)
        fits: list[Speaker] = []
        for row in dict.fromkeys(by_alias + same_surname):
            if name.first is not None and _is_bare(row) and not (row.curated and row in by_alias):
                # only completed in _match_person, when nobody else has the surname: taken as it is, even by an
                # alias ("Mr. Holm"), the row would keep its bare name (a curated row's aliases are vouched for)
                continue
            if self._fits(name, evidence, row, exact=row in by_alias):
                fits.append(row)
        return fits, same_surname

    def _fits(self, name: PersonName, evidence: _Evidence, row: Speaker, exact: bool) -> bool:
        """Whether ``row`` can be the person named ``name``: names agree and no context says otherwise."""
        level = name.match(PersonName.parse(row.name))
        vouched = exact and row.curated  # a curated row owns its aliases, whatever its name now is
        if level is None and not vouched:
            return False
        if (_conflict(row.country, evidence.country) and not vouched and not evidence.country_inferred
                and not (level == "same" and self._outweighs_country(name, row, evidence))):
            return False  # a country guessed from the article never keeps one person apart, a stated one may
        orgs = self.organizations_of(row) if evidence.org_ids else set()
        if level == "variant" and not vouched:  # spelling differs: only with the same country or body
            same_country = bool(row.country and row.country == evidence.country)
            if not (same_country or evidence.org_ids & orgs):
                return False
        surname_only = name.first is None or _is_bare(row)
        if (surname_only and evidence.org_ids and orgs and not evidence.org_ids & orgs
                and not evidence.org_inferred):
            return False  # a bare surname from another organisation is someone else
        return True

    def _outweighs_country(self, name: PersonName, row: Speaker, evidence: _Evidence) -> bool:
        """Whether ``row``, well established under exactly this full name (ESTABLISHED_ARTICLES), is
        still the person although the mention states another country, with no body of that country."""
        other = PersonName.parse(row.name)
        if name.first is None or (name.first, name.last) != (other.first, other.last):
            return False
        if evidence.org_ids and evidence.country in evidence.org_countries | set(self._flushed().scalars(
                select(Organization.country).where(Organization.id.in_(evidence.org_ids)))):
            return False
        return self._article_counts([row])[row.id] >= ESTABLISHED_ARTICLES

    def _article_counts(self, rows: Iterable[Speaker]) -> dict[int, int]:
        """Articles each row is quoted in, read afresh (the counters are kept by triggers)."""
        rows = list(rows)
        session = self._with_ids(rows)
        ids = [row.id for row in rows]
        counts = dict(session.execute(
            select(Speaker.id, Speaker.n_articles).where(Speaker.id.in_(ids))).all())
        return {i: counts.get(i) or 0 for i in ids}

    def _titles_of(self, rows: Iterable[Speaker]) -> dict[int, set[str]]:
        """The posts (_title_key) each row was seen with."""
        rows = list(rows)
        session = self._with_ids(rows)
        titles: dict[int, set[str]] = {row.id: set() for row in rows}
        for speaker_id, title in session.execute(
                select(Affiliation.speaker_id, Affiliation.title).distinct()
                .where(Affiliation.speaker_id.in_(list(titles)), Affiliation.title.is_not(None))):
            if _title_key(title):
                titles[speaker_id].add(_title_key(title))
        for row in rows:
            if row in self._pending:
                titles[row.id] |= self._pending[row].titles
        return titles

    def _surname_owner(self, evidence: _Evidence, candidates: list[Speaker]) -> Speaker | None:
        """The full-named person a bare surname with ``evidence`` stands for, if the choice is clear
        (surname_owner; among equals the row stored first). ``candidates`` are the rows the surname fits
        (country and organisation agree). Bare rows of the surname do not compete: they are this same
        question, asked when it was still open."""
        full = sorted((row for row in candidates if not _is_bare(row)), key=row_order)
        if not full:
            return None
        return surname_owner(full, self._article_counts(full), evidence.titles, lambda: self._titles_of(full))

    def _pick(self, candidates: list[Speaker], sp: records.Speaker, org_id: int | None) -> Speaker | None:
        """The one candidate, or the one singled out by name, country or organisation; else none."""
        if len(candidates) == 1:
            return candidates[0]
        key = name_key(sp.name)
        narrowers = [lambda s: s.key == key]
        if sp.country and not sp.country_inferred:
            narrowers.append(lambda s: s.country == sp.country)
        if org_id:
            narrowers.append(lambda s: org_id in self.organizations_of(s))
        for narrow in narrowers:
            narrowed = [s for s in candidates if narrow(s)]
            if len(narrowed) == 1:
                return narrowed[0]
            if narrowed:
                candidates = narrowed
        return self._best_known(candidates, sp)

    def _best_known(self, candidates: list[Speaker], sp: records.Speaker) -> Speaker | None:
        """Among rows that all bear the name of ``sp`` (its given and family name, or exactly its bare
        surname) and are kept apart by something the mention does not say, such as a country: the
        most quoted; else none.

        Such a name would otherwise start yet another row of that name, and each new row makes the
        next mention ambiguous too. A bare surname that fits people with different given names is
        real ambiguity ("Clinton") and gets no pick.
        """
        name = PersonName.parse(sp.name)
        key = name_key(sp.name)
        for row in candidates:
            other = PersonName.parse(row.name)
            same = row.key == key if name.first is None else (other.first, other.last) == (name.first, name.last)
            if not same:
                return None
        counts = dict(self._with_ids(candidates).execute(
            select(Quote.speaker_id, func.count()).where(Quote.speaker_id.in_([c.id for c in candidates]))
            .group_by(Quote.speaker_id)).all())
        return max(candidates, key=lambda c: (counts.get(c.id, 0), -c.id))

    def _match_organization_speaker(self, sp: records.Speaker, org: Organization | _UnknownOrg, *,
                                    write: bool = True) -> Speaker | None:
        row = self.candidates.org_speaker(org)
        if row is not None:
            return row
        # rows stored before organisations were linked to their speakers: link them on first sight
        keys = {name_key(sp.name)} | {name_key(a) for a in sp.aliases if usable_org_alias(a)}
        legacy = [s for s in self._with_alias(keys, "organization")
                  if organization_id_of(s) is None and not _conflict(s.country, org.country or sp.country)]
        if len(legacy) == 1:
            if write:
                legacy[0].organization = org
            return legacy[0]
        return None


# -- row helpers shared with curation -----------------------------------------------------------

def _preferred_name(new: str, current: str) -> bool:
    """Should ``new``, another full name of the person now called ``current``, become the canonical name?

    A rule on the two names alone, so that the canonical name is the same whichever article came first:
    a name without a title, not in capitals, with the most letters spelled out (initials do not count:
    "John Fitzgerald Lind" over "John F. Lind", "Donald Trump" over "Donald J. Trump"), the fewest
    words, then the first in alphabetical order.
    """
    a, b = PersonName.parse(new), PersonName.parse(current)
    if a.first is None or b.first is None or a.surname_key != b.surname_key:
        return False  # a bare surname never replaces a full name; another surname is not a variant
    ra, rb = _name_rank(new), _name_rank(current)
    return ra > rb or (ra == rb and new < current)


@lru_cache(maxsize=4096)
def _name_rank(name: str) -> tuple[bool, bool, int, int]:
    words = name.split()
    letters = [len(re.sub(r"\W", "", w)) for w in words]
    return (not HumanName(name).title, not name.isupper(), sum(n for n in letters if n > 1), -len(words))


_NAME_FILLERS = frozenset("of the and for on in at to de du des la le el".split())


@lru_cache(maxsize=4096)
def _org_name_rank(name: str, country: str | None) -> tuple[bool, bool, bool, int, str]:
    """How good a display name a wording is for its organisation: the country's government by its usual
    name; then a proper name (every word capitalised: "Interior Ministry" over "Norway's interior
    ministry"), one naming its country ("United States Senate" over "Senate"), the most letters, the
    first alphabetically."""
    usual = bool(country) and name == countries.government_name(country)
    proper = all(w[:1].isupper() or not w[:1].isalpha() for w in name.split() if w.lower() not in _NAME_FILLERS)
    return (usual, proper, bool(countries.find_countries(name)), len(re.sub(r"\W", "", name)),
            "".join(chr(0x10FFFF - ord(c)) for c in name))


def set_speaker_name(row: Speaker, name: str) -> None:
    """Make ``name`` the canonical name (kept as an alias too) and refresh the lookup keys."""
    row.name, row.key = name, name_key(name)
    row.surname = PersonName.parse(name).surname_key if row.kind == "person" else None
    add_speaker_alias(row, name)


def add_speaker_alias(row: Speaker, alias: str) -> None:
    """Keep ``alias`` among the speaker's names (once; blank or punctuation-only names are skipped)."""
    alias = alias.strip()
    for known in row.aliases:
        if known.alias == alias:
            if known.settled:  # said of the speaker itself now, not only with bare mentions (store.surnames)
                known.settled = False
            return
    if alias and name_key(alias):
        row.aliases.append(SpeakerAlias(alias=alias, key=name_key(alias)))


def org_canon(org: Organization) -> str:
    """The organisation's own canonical key: that of its name as first stored."""
    for alias in org.aliases:
        if alias.alias == org.name and alias.canon:
            return alias.canon
    return org_identity(org.name, org.country).canon


def add_org_alias(org: Organization, alias: str, canon: str | None = None) -> None:
    """Keep a wording of the organisation, with the canonical key later wordings are matched on."""
    alias = _LEADING_THE.sub("", " ".join(alias.split()))
    if alias and name_key(alias) and alias not in {a.alias for a in org.aliases}:
        org.aliases.append(OrganizationAlias(alias=alias, key=name_key(alias),
                                             canon=canon or org_identity(alias, org.country).canon))


def collect_orphans(session: Session, speaker_ids: Iterable[int | None] = (),
                    organization_ids: Iterable[int | None] = ()) -> int:
    """Delete those of the given speakers and organisations nothing refers to any more.

    Curated rows stay, and so do speakers a curation rule points at: both are a person's work.
    """
    speaker_ids = {i for i in speaker_ids if i is not None}
    organization_ids = {i for i in organization_ids if i is not None}
    session.flush()  # the deletes below are plain SQL, and expiring afterwards drops unflushed changes
    removed = 0
    if speaker_ids:
        organization_ids |= set(session.scalars(
            select(Speaker.organization_id).where(Speaker.id.in_(speaker_ids),
                                                  Speaker.organization_id.is_not(None))))
        removed += session.execute(delete(Speaker).where(
            Speaker.id.in_(speaker_ids), Speaker.curated.is_(False),
            ~exists().where(Quote.speaker_id == Speaker.id),
            ~exists().where(Affiliation.speaker_id == Speaker.id),
            ~exists().where(CurationRule.speaker_id == Speaker.id),
        ).execution_options(synchronize_session=False)).rowcount or 0
    if organization_ids:
        removed += session.execute(delete(Organization).where(
            Organization.id.in_(organization_ids), Organization.curated.is_(False),
            ~exists().where(Affiliation.organization_id == Organization.id),
            ~exists().where(Speaker.organization_id == Organization.id),
        ).execution_options(synchronize_session=False)).rowcount or 0
    if removed:
        session.expire_all()
    return removed


def _own_country(sp: records.Speaker) -> str | None:
    """The country to keep on a speaker's row: a person's only when the text stated it."""
    if sp.kind == "person" and sp.country_inferred:
        return None
    return sp.country


def source_of(sp: records.Speaker) -> str | None:
    """Where ``sp``'s country came from; "stated" for a country given with no source (hand-made records)."""
    if not sp.country:
        return None
    return sp.country_source if sp.country_source in records.COUNTRY_SOURCES else "stated"


def surer_source(a: str | None, b: str | None) -> str | None:
    """The surer of two country sources (records.COUNTRY_SOURCES is surest first); None is the least sure."""
    rank = {source: i for i, source in enumerate(records.COUNTRY_SOURCES)}
    return min((s for s in (a, b) if s in rank), key=rank.__getitem__, default=a or b)


def confirm_country(row: Speaker | Organization, country: str, source: str | None) -> None:
    """``country`` was seen for ``row`` again, from ``source``: the row keeps the surer source of it."""
    if row.country == country:
        row.country_source = surer_source(row.country_source, source)

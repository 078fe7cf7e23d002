"""Resolve speaker mentions to the article's people and organisations, with their titles and countries."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from . import countries
from .attribution import RELATIVE_PRONOUNS, Mention
from .lexicon import (ANONYMOUS_HEADS, ORGANIZATION_HEADS, PERSON_PRONOUNS, PERSON_TITLES,
                      THING_PRONOUNS, TITLE_ABBREVIATIONS)
from .records import Speaker

GENDERED_PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC"})
# Titles that make their holder an official of their country's government.
GOVERNMENT_TITLES = ("president", "prime minister", "minister", "chancellor", "secretary of state",
                     "foreign secretary", "home secretary", "premier", "king", "queen", "emir",
                     "crown prince", "vice president", "deputy prime minister", "supreme leader")
PERSON_NOUNS = PERSON_TITLES | ANONYMOUS_HEADS
_POSSESSIVE = ("'s", "’s", "'", "’")
_POSSESSIVE_INSIDE = re.compile(r"(?:'s|’s|'|’)\s")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"})


@lru_cache(maxsize=1)
def _gender_detector():
    """First-name genders (gender-guesser's offline name dictionary), loaded once."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


def fold(text: str) -> str:
    """Lowercase without diacritics, for comparing names."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).lower()


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive ("Azerbaijan's" -> "Azerbaijan")."""
    for p in _POSSESSIVE:
        if text.endswith(p) and len(text) > len(p) + 1:
            return text[: -len(p)]
    return text


def _name_words(text: str) -> list[str]:
    return [w for w in strip_possessive(text).replace("’", "'").split() if w]


def _is_title_word(word: str) -> bool:
    w = fold(word).rstrip(".")
    return w in PERSON_TITLES or w in TITLE_ABBREVIATIONS


def clean_person_name(text: str) -> str:
    """A person's name without leading titles, trailing possessive or punctuation."""
    words = _name_words(text)
    while len(words) > 1 and _is_title_word(words[0]):
        words.pop(0)
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()
    return " ".join(words).strip(" ,;:")


@dataclass
class Entity:
    """One person or organisation of the article, with every name it goes by and what is said of it."""

    kind: str  # person | organization
    names: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    country: str | None = None
    named: bool = True
    last_seen: int = -1  # character offset of the latest mention
    head_word: str = ""  # for descriptions: the noun they rest on ("head" in "head of the police")

    @property
    def canonical(self) -> str:
        """The fullest name the article gives."""
        return max(self.names, key=lambda n: (len(n.split()), len(n), -self.names.index(n)))

    @property
    def gender(self) -> str | None:
        """'male' or 'female' when the first name says so unambiguously, else None."""
        words = self.canonical.split()
        if self.kind != "person" or not self.named or len(words) < 2:
            return None
        guess = _gender_detector().get_gender(words[0])
        return guess if guess in ("male", "female") else None

    @property
    def surname(self) -> str:
        return fold(self.canonical.split()[-1]) if self.kind == "person" else ""


def corrected_entities(doc: Doc) -> list[Span]:
    """The recogniser's entities with labels fixed where country data or the article itself knows better."""
    out = []
    surnames = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            surnames.add(fold(strip_possessive(ent.text).split()[-1]))
    for ent in doc.ents:
        label = ent.label_
        bare = strip_possessive(ent.text)
        if label in ("PERSON", "ORG", "NORP", "GPE", "FAC", "LOC") and countries.country_code(bare):
            # "Azerbaijan" or "Baku" tagged as a person: a country, or a capital standing for one
            label = "GPE"
        elif label in ("ORG", "GPE", "NORP") and len(ent) == 1 and fold(bare) in surnames:
            label = "PERSON"  # a surname of someone named in full elsewhere
        elif (label in ("ORG", "GPE", "NORP", "FAC") and 2 <= len(ent) <= 3 and _is_first_name(ent[0].text)
              and all(t.text[:1].isupper() and t.is_alpha for t in ent)):
            label = "PERSON"  # "Nikki Haley" tagged as an organisation: it starts with a first name
        if label != ent.label_:
            ent = Span(doc, ent.start, ent.end, label=label)
        out.append(ent)
    return out


class Resolver:
    """Maps mentions in one document to entities, building the article's cast as it goes."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.ents = corrected_entities(doc)
        self.entities: list[Entity] = []
        self.person_spans: list[tuple[Span, Entity]] = []
        self.recent_speakers: list[tuple[int, Entity]] = []  # (char offset, entity)
        self.article_country = self._article_country()
        for ent in self.ents:
            if ent.label_ == "PERSON":
                name = clean_person_name(_name_part(ent).text)
                if name and any(c.isupper() for c in name):
                    entity = self._person(name, ent.start_char)
                    self.person_spans.append((ent, entity))
                    self._describe_person(ent, entity)

    # --- the cast -------------------------------------------------------------------------------
    def _person(self, name: str, at: int) -> Entity:
        words = name.split()
        key = fold(words[-1])
        best = None
        for e in self.entities:
            if e.kind != "person" or not e.named:
                continue
            if e.surname == key or any(fold(n) == fold(name) for n in e.names):
                if len(words) > 1:
                    full = [n for n in e.names if len(n.split()) > 1]
                    # a different first name is a different person
                    if full and not any(fold(n.split()[0]) == fold(words[0]) or len(n.split()[0]) <= 2
                                        for n in full):
                        continue
                if best is None or e.last_seen > best.last_seen:
                    best = e
            elif len(words) == 1 and any(fold(n.split()[0]) == key for n in e.names if len(n.split()) > 1):
                if best is None:
                    best = e
        if best is None:
            best = Entity("person")
            self.entities.append(best)
        if name not in best.names:
            best.names.append(name)
        best.last_seen = max(best.last_seen, at)
        return best

    def _organization(self, name: str, at: int, country: str | None = None) -> Entity:
        key = fold(name)
        for e in self.entities:
            if e.kind == "organization" and any(fold(n) == key for n in e.names):
                e.last_seen = max(e.last_seen, at)
                return e
        e = Entity("organization", [name], country=country)
        if country is None:
            e.country = countries.organization_country(name)
        self.entities.append(e)
        e.last_seen = at
        return e

    def _article_country(self) -> str | None:
        counts: dict[str, int] = {}
        for ent in self.ents:
            if ent.label_ in ("GPE", "NORP"):
                code = countries.country_code(strip_possessive(ent.text))
                if code:
                    counts[code] = counts.get(code, 0) + 1
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        code, n = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        return code if n >= 2 and n > runner_up else None

    # --- descriptions: titles, organisations, countries ------------------------------------------
    def _describe_person(self, ent: Span, entity: Entity) -> None:
        doc = self.doc
        root = ent.root
        pieces: list[Span] = []
        # premodifiers: "German Foreign Minister Annalena Baerbock", "U.S. Secretary of State Antony Blinken"
        lo = max(root.left_edge.i, ent.start - 8)
        for i in range(ent.start - 1, lo - 1, -1):
            t = doc[i]
            if t.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ") or t.text in (",", ";", ":", "(", ")", "“", "”", '"') \
                    or (t.ent_type_ == "PERSON" and t.i < ent.start):
                lo = i + 1
                break
        while lo < ent.start and doc[lo].pos_ in ("DET", "ADP", "PUNCT"):
            lo += 1
        if lo < ent.start:
            pieces.append(doc[lo:ent.start])
        # appositions: "Hikmet Hajiyev, a foreign policy adviser to …"
        for child in root.children:
            if child.dep_ == "appos":
                sub = list(child.subtree)
                span = doc[sub[0].i: sub[-1].i + 1]
                if len(span) <= 20 and '"' not in span.text and "“" not in span.text:
                    pieces.append(span)
        # postmodifiers: "President Hassan Rouhani of Iran", "Steve Peers of the University of Essex"
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from") and child.i >= ent.end:
                sub = list(child.subtree)
                if len(sub) <= 10:
                    pieces.append(doc[child.i + 1: sub[-1].i + 1])
        if root.dep_ == "appos" and root.head.i < ent.start:
            head = root.head
            sub = [t for t in head.subtree if t.i < ent.start and t.i >= head.left_edge.i]
            if sub and head.pos_ == "NOUN":
                span = doc[sub[0].i: head.i + 1]
                if len(span) <= 12:
                    pieces.append(span)
        for span in pieces:
            self._apply_descriptor(span, entity)

    def _apply_descriptor(self, span: Span, entity: Entity) -> None:
        text = span.text.strip(" ,")
        if not text or text in entity.descriptors:
            return
        entity.descriptors.append(text)
        org = None
        # an organisation may run on past the descriptor ("… Relations’ Wider Europe program")
        for ent in (e for e in self.ents if e.start < span.end and e.end > span.start):
            if ent.label_ == "ORG" and _title_of(ent):
                continue  # "Secretary of State Antony Blinken": a title, not an organisation
            if ent.label_ in ("ORG",) and ent.text:
                # "the European Council on Foreign Relations’ Wider Europe programme": the body is the owner
                name = _POSSESSIVE_INSIDE.split(ent.text, 1)[0]
                name = strip_possessive(name)
                if name.lower().startswith("the "):
                    name = name[4:]
                org = countries.supranational(name) or name
                break
        if org is None:
            for tok in span:
                if tok.dep_ == "poss" and fold(tok.text) in ORGANIZATION_HEADS:
                    # "the unrecognized government's foreign minister"
                    words = [t for t in tok.subtree if t.dep_ != "case" and t.lower_ not in _DETERMINERS]
                    if words:
                        org = self.doc[words[0].i:words[-1].i + 1].text
                    break
        code = None
        for start, _, c in countries.find_countries(text):
            if text[max(0, start - 5):start].lower().endswith(("pro-", "anti-")):
                continue  # "the pro-Beijing camp" says where a side stands, not where they are from
            code = c
            break
        if org and code is None:
            code = countries.organization_country(org)
        title = self._title_from(span)
        if title and entity.title is None:
            entity.title = title
        if org and entity.organization is None:
            entity.organization = org
        if entity.country is None and code:
            entity.country = code
        if entity.organization is None and entity.country and _holds_office(entity.title):
            entity.organization = countries.government_name(entity.country)

    def _title_from(self, span: Span) -> str | None:
        """The title in a descriptor: its head noun with its modifiers, minus countries, articles and names."""
        head = span.root
        if head.ent_type_ == "PERSON":
            # premodifier chain: title words are the non-name tokens before the name ("of State" included)
            words = [t for t in span if (t.ent_type_ not in ("PERSON", "GPE", "NORP", "ORG")
                                         or t.ent_type_ == "ORG" and t.i > span.start and span.doc[t.i - 1].lower_ == "of")
                     and t.pos_ not in ("DET", "PART", "PUNCT") and t.dep_ != "case"]
        else:
            # "a foreign policy adviser to …": everything left of the head noun in its own phrase
            owners = {t.i for c in head.lefts if c.dep_ == "poss" for t in c.subtree}
            words = [t for t in span.doc[max(span.start, head.left_edge.i):head.i]
                     if t.i not in owners and t.pos_ not in ("DET", "PART", "PUNCT", "ADP")
                     and t.ent_type_ not in ("GPE", "NORP", "ORG", "PERSON")] + [head]
            nxt = span.doc[head.i + 1:head.i + 3]
            if len(nxt) == 2 and nxt[0].lower_ == "of" and nxt.end <= span.end and nxt[1].text[:1].isupper() \
                    and nxt[1].ent_type_ != "GPE":
                words += list(nxt)  # "Secretary of State", "Minister of Defence", "Chief of Staff"
        words = [t for t in words if not countries.country_code(t.text)]
        if not words:
            return None
        words = sorted(words, key=lambda t: t.i)
        title = "".join(t.text + (t.whitespace_ if i + 1 < len(words) and words[i + 1].i == t.i + 1 else " ")
                        for i, t in enumerate(words)).strip(" ,")
        if not any(c.isalpha() for c in title):
            return None
        expanded = TITLE_ABBREVIATIONS.get(fold(title).rstrip("."))
        return expanded.capitalize() if expanded else title

    # --- resolving a mention ---------------------------------------------------------------------
    def resolve(self, mention: Mention) -> Entity | None:
        """The entity a speaker mention refers to, or an unnamed one built from its description."""
        doc = self.doc
        span = doc[mention.start:mention.end]
        head = doc[mention.head]
        at = span.start_char
        entity = self._resolve(span, head, at)
        if entity is not None:
            entity.last_seen = max(entity.last_seen, at)
            self.recent_speakers.append((at, entity))
        return entity

    def _ents_in(self, span: Span) -> list[Span]:
        return [e for e in self.ents if e.start >= span.start and e.end <= span.end]

    def _resolve(self, span: Span, head: Token, at: int) -> Entity | None:
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head.i < head.i:
            # "McConnell, who in 2010 said …": the noun the relative clause hangs from
            noun = head.head.head
            return self._resolve(self.doc[noun.left_edge.i:noun.i + 1], noun, at)
        ents = self._ents_in(span)
        persons = [e for e in ents if e.label_ == "PERSON"]
        if persons:
            ent = min(persons, key=lambda e: 0 if e.start <= head.i < e.end else 1)
            for s, entity in self.person_spans:
                if s.start == ent.start and s.end == ent.end:
                    return entity
            name = clean_person_name(ent.text)
            return self._person(name, at) if name else None
        if head.pos_ == "PRON":
            return self._antecedent(head, at)
        name = _titled_name(span, head)
        if name:
            return self._person(name, at)
        if fold(head.text) in ORGANIZATION_HEADS and any(
                t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "NORP", "ORG") for t in span if t.i < head.i):
            # "Armenia's foreign ministry": a body named by its owner, not an anaphor
            return self._organization(_phrase(span), at)
        orgs = [e for e in ents if e.label_ in ORG_LABELS and e.start <= head.i < e.end]
        if orgs:
            return self._org_mention(span, orgs[0], at)
        if head.pos_ == "PROPN" and head.ent_type_ == "":
            # a name the recogniser missed: a person who shares it, else a new person of that name
            for e in self.entities:
                if e.kind == "person" and e.surname == fold(head.text):
                    return e
            name = [t for t in span if t.pos_ == "PROPN" and t.text[:1].isupper()]
            if (name and name[-1].i == head.i and fold(head.text) not in ORGANIZATION_HEADS
                    and (len(name) > 1 or _is_first_name(head.text))
                    and not _is_title_word(head.text) and not countries.country_code(head.text)):
                return self._person(clean_person_name(self.doc[name[0].i:head.i + 1].text), at)
        words = span.text.split()
        if words and all(w.isalpha() and w.isupper() and len(w) > 1 for w in words) and len(words) <= 3:
            # a transcript label ("PENCE:") names a person, in capitals
            return self._person(" ".join(w.capitalize() for w in words), at)
        return self._description(span, head, at)

    def _org_mention(self, span: Span, ent: Span, at: int) -> Entity:
        name = strip_possessive(ent.text)
        if name.lower().startswith("the "):
            name = name[4:]
        supra = countries.supranational(name)
        if ent.label_ in ("GPE", "NORP") and fold(span.root.text) in (fold(t.text) for t in ent):
            code = countries.country_code(name)
            if code and not supra:
                # a country or its capital speaking: its government
                e = self._organization(countries.government_name(code), at, code)
                if name not in e.names:
                    e.names.append(name)
                return e
        if supra:
            return self._organization(supra, at, None)
        # the whole phrase names the body better than the entity alone: "Azerbaijan's Ministry of Defense"
        phrase = _phrase(span)
        if phrase and fold(span.root.text) in ORGANIZATION_HEADS | {fold(t.text) for t in ent}:
            name = phrase
        return self._organization(name, at)

    def _antecedent(self, pron: Token, at: int) -> Entity | None:
        word = pron.lower_
        want = "person" if word in PERSON_PRONOUNS else "organization" if word in THING_PRONOUNS else None
        if want is None:
            return None
        if word in ("i", "me", "we", "us", "you"):
            return None
        # the latest speaker of that kind, unless a person of that kind was the subject since
        last_speaker = next((e for pos, e in reversed(self.recent_speakers)
                             if e.kind == want and pos < at and (e.named or word not in GENDERED_PRONOUNS
                                                                 or e.head_word in PERSON_NOUNS)), None)
        last_subject = self._last_subject(want, at)
        if word == "they" and last_speaker is None and last_subject is None:
            return None
        candidates = [c for c in (last_speaker, last_subject) if c is not None]
        if not candidates:
            return None
        if last_speaker is not None and last_subject is not None and last_subject is not last_speaker:
            # a named subject in the same or previous sentence beats an older speaker
            if last_subject.last_seen > at - 400 and last_subject.last_seen > max(
                    pos for pos, e in self.recent_speakers if e is last_speaker):
                candidates.reverse()
        if word in GENDERED_PRONOUNS:
            # "she" skips a man: the first candidate whose first name does not contradict the pronoun,
            # trying the latest person named at all last
            last_named = next((e for s, e in reversed(self.person_spans) if s.start_char < at), None)
            pool = candidates + ([last_named] if last_named is not None else [])
            fitting = [c for c in pool if c.gender in (None, GENDERED_PRONOUNS[word])]
            if fitting:
                return fitting[0]
        return candidates[0]

    def _last_subject(self, kind: str, at: int) -> Entity | None:
        best, best_at = None, -1
        if kind == "person":
            for span, entity in self.person_spans:
                # subjects of subordinate clauses ("in which X became …") are rarely what "he" picks up
                if (span.start_char < at and span.root.dep_ in ("nsubj", "nsubjpass") and span.start_char > best_at
                        and span.root.head.dep_ not in ("relcl", "acl", "advcl", "pcomp")):
                    best, best_at = entity, span.start_char
        else:
            for e in self.entities:
                if e.kind == "organization" and e.last_seen < at and e.last_seen > best_at:
                    best, best_at = e, e.last_seen
        return best

    def _description(self, span: Span, head: Token, at: int) -> Entity | None:
        words = [t for t in span if t.lower_ not in _DETERMINERS]
        if not words:
            return None
        text = self.doc[words[0].i:span.end].text
        head_word = fold(head.text)
        is_org = head_word in ORGANIZATION_HEADS
        definite = span[0].lower_ in ("the", "this", "that") or span[0].dep_ == "poss"
        if definite and head_word not in ANONYMOUS_HEADS | {"source", "sources"}:
            # "the ministry", "the senator": the latest entity whose name or title has that word
            for e in sorted(self.entities, key=lambda e: -e.last_seen):
                if e.last_seen > at:
                    continue
                if (e.kind == "organization") != is_org:
                    continue  # "the court" is a body, not the judge described as "President of the court"
                hay = " ".join(e.names + ([e.title] if e.title else []) + e.descriptors)
                hay_words = {fold(w).rstrip(".") for w in hay.split()}
                hay_words |= {TITLE_ABBREVIATIONS.get(w, w) for w in hay_words}
                if head_word in hay_words or head_word.rstrip("s") in hay_words:
                    return e
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        kind = "organization" if is_org else "person"
        e = Entity(kind, [text], named=False, last_seen=at, head_word=head_word)
        for _, _, c in countries.find_countries(text):
            e.country = c
            break
        self.entities.append(e)
        return e

    def speaker_record(self, entity: Entity) -> Speaker:
        """The records.Speaker for an entity; a named person with no country of their own gets the article's."""
        canonical = entity.canonical
        country, inferred = entity.country, False
        organization = entity.organization
        if country is None and self.article_country:
            if (entity.kind == "person" and entity.named and entity.organization is None
                    and not _mentions_body(entity.descriptors)):
                # people the article names without a country are most likely the article's own; the
                # store keeps this per article (an official's government), never on the person
                country, inferred = self.article_country, True
                if _holds_office(entity.title):
                    organization = countries.government_name(country)
            elif (entity.kind == "organization" and not countries.supranational(canonical)
                  and countries.organization_kind(canonical) == "government"):
                country, inferred = self.article_country, True  # "police", "the court": where the story is
        aliases = [n for n in entity.names if n != canonical]
        return Speaker(name=canonical, kind=entity.kind, aliases=aliases, title=entity.title,
                       organization=organization, country=country, named=entity.named,
                       country_inferred=inferred)


def _holds_office(title: str | None) -> bool:
    """Whether a title makes its holder an official of their country's government."""
    return bool(title) and any(g in title.lower() for g in GOVERNMENT_TITLES)


def _title_of(ent: Span) -> bool:
    """Whether a one-word organisation is the tail of a title: `Secretary of State`, `Chief of Staff`."""
    return len(ent) == 1 and ent.start > 0 and ent.doc[ent.start - 1].lower_ == "of" \
        and ent.start > 1 and _is_title_word(ent.doc[ent.start - 2].text)


def _name_part(ent: Span) -> Span:
    """A PERSON entity without leading words the recogniser swept in ("Asserting Clinton", "Fascist X")."""
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].pos_ in ("VERB", "ADJ", "ADV", "DET", "PRON", "AUX") \
            and not _is_first_name(ent.doc[start].text):
        start += 1
    return ent.doc[start:ent.end]


def _mentions_body(descriptors: list[str]) -> bool:
    """Whether a person's descriptions name an organisation they belong to (a university, a party…)."""
    return any(fold(w).strip(".,’'s") in ORGANIZATION_HEADS for d in descriptors for w in d.split())


def _is_first_name(word: str) -> bool:
    """Whether a capitalised word is a first name in gender-guesser's dictionary."""
    return word[:1].isupper() and word.isalpha() and _gender_detector().get_gender(word) != "unknown"


def _titled_name(span: Span, head: Token) -> str | None:
    """`Former US Ambassador Nikki Haley` the recogniser missed: capitalised words after a title word."""
    if head.pos_ != "PROPN" or not head.text[:1].isupper():
        return None
    lo = head.i
    while lo > span.start and span.doc[lo - 1].pos_ == "PROPN" and not _is_title_word(span.doc[lo - 1].text):
        lo -= 1
    first = next((i for i in range(lo, head.i) if _is_first_name(span.doc[i].text)), None)
    if first is not None:
        lo = first  # "… to the United Nations Nikki Haley": the name starts at a known first name
    elif lo == span.start or not _is_title_word(span.doc[lo - 1].text) or head.i - lo > 3:
        return None
    words = [t.text for t in span.doc[lo:head.i + 1]]
    if len(words) < 2 or countries.country_code(" ".join(words)):
        return None
    return " ".join(words)


def _phrase(span: Span) -> str:
    words = [t.text_with_ws for t in span if not (t.i == span.start and t.lower_ in _DETERMINERS)]
    return "".join(words).strip()

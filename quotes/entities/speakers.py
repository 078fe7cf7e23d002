"""Resolve speaker mentions to the article's people and organisations, with their titles and countries."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy
from spacy.attrs import ENT_TYPE, POS
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span, Token

from quotes.extraction.cues import RELATIVE_PRONOUNS, Mention
from quotes.extraction.lexicon import (ANONYMOUS_HEADS, ORGANIZATION_HEADS, PERSON_NOUNS, PERSON_PRONOUNS, PERSON_TITLES,
                      THING_PRONOUNS, TITLE_ABBREVIATIONS, speech_verb_form, words)
from quotes.records import Speaker
from . import countries

POSSESSIVE_PRONOUNS = {"his": "he", "their": "they", "its": "it"}
GENDERED_PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC"})
# Titles that make their holder an official of their country's government.
GOVERNMENT_TITLES = ("president", "prime minister", "minister", "chancellor", "secretary of state",
                     "foreign secretary", "home secretary", "premier", "king", "queen", "emir",
                     "crown prince", "vice president", "deputy prime minister", "supreme leader")
# Government posts that only countries have (a president may preside over a supranational body).
NATIONAL_TITLES = ("prime minister", "minister", "chancellor", "foreign secretary", "home secretary", "premier")
STATEMENT_NOUNS = words("statement_documents")
KINSHIP_NOUNS = words("kinship_nouns")
BE_FORMS = frozenset({"is", "was", "are", "were", "be", "been", "being", "'s", "’s"})
ENVOY_TITLES = words("envoy_titles")
# How far back (characters) a "he" or "she" with no subject or speaker before it may find a name.
ANTECEDENT_REACH = 400
# Offices and public roles a definite description names its holder by ("the Texas senator", "the former
# governor"): with no one of that title in the cast, the person just named as a subject holds it. Roles
# that are usually someone else's (spokesman, aide, lawyer) are left out.
DESCRIBED_OFFICES = frozenset({
    "president", "senator", "governor", "mayor", "candidate", "nominee", "front-runner", "frontrunner",
    "congressman", "congresswoman", "representative", "judge", "justice", "chairman", "chairwoman",
    "secretary", "minister", "premier", "chancellor", "ambassador", "speaker", "leader", "businessman",
    "businesswoman", "billionaire", "mogul", "executive", "ceo", "founder", "commissioner", "sheriff",
    "legislator", "lawmaker", "politician", "challenger", "incumbent", "contender", "hopeful",
})
# Posts one person holds one at a time: a "President X" is not "the senator" (a candidate may be a senator).
HELD_POSTS = frozenset({
    "president", "senator", "governor", "mayor", "congressman", "congresswoman", "representative", "judge",
    "justice", "secretary", "minister", "premier", "chancellor", "ambassador", "speaker", "sheriff",
    "commissioner", "chairman", "chairwoman", "ceo",
})
_POSSESSIVE = ("'s", "’s", "'", "’")
_POSSESSIVE_INSIDE = re.compile(r"(?:'s|’s|'|’)\s")
# how an aside hangs on the noun it describes: "the princess, 67", "the mayor, a Democrat", "the ad, titled …"
_ASIDE_DEPS = frozenset({"appos", "amod", "acl", "npadvmod", "nummod", "advmod"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"})
# Words that make a body a breakaway region's own ("the unrecognized government", "separatist authorities");
# kept here rather than in the lexicon because some are two words ("de facto").
BREAKAWAY_WORDS = frozenset({"unrecognized", "unrecognised", "breakaway", "separatist", "secessionist",
                             "self-declared", "self-proclaimed", "self-styled", "de facto", "rebel", "renegade"})
REGION_NOUNS = words("region_nouns")
BREAKAWAY_BODIES = words("breakaway_bodies")
_BREAKAWAY = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w).replace(r"\-", r"\s*-\s*").replace(r"\ ", r"\s+")
                                                    for w in sorted(BREAKAWAY_WORDS)) + r")(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _gender_detector():
    """First-name genders (gender-guesser's offline name dictionary), loaded once."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


@lru_cache(maxsize=1 << 16)
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


# Characters that are never part of a name: soft hyphens, zero-width marks, brackets left by quotation edits.
_NAME_JUNK = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\[\](){}]")
# "Trump v. Trump", "Smith vs Jones": a court case, not a person.
_CASE_NAME = re.compile(r"\w\s+(?:v|vs|versus)\.?\s+[A-Z]")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Lower-case English content words (WordNet's lemma index shipped with the spaCy model), or nothing when
    the model has none: tells a word capitalised by headline style ("Fascist", "Billionaire") from a name."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    from quotes.config import model_name

    try:
        root = get_package_path(model_name())
    except Exception:  # not an installed package (a path, or missing): no lexicon, no guessing
        return frozenset()
    for path in sorted(root.glob("*/lemmatizer/lookups")):
        tables = Lookups().from_disk(path)
        if tables.has_table("lemma_index"):
            return frozenset(w for words in tables.get_table("lemma_index").values() for w in words)
    return frozenset()


def _is_common_word(word: str) -> bool:
    return word[:1].isupper() and word.lower() in _common_words()


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
    plural: bool = False  # a description of several ("aides", "analysts"): never a "he" or "she"

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
    labels = []
    for ent in doc.ents:
        label = ent.label_
        bare = strip_possessive(ent.text)
        if label in ("PERSON", "ORG", "NORP", "GPE", "FAC", "LOC") and countries.country_code(bare):
            # "Azerbaijan" or "Baku" tagged as a person: a country, or a capital standing for one
            label = "GPE"
        elif label == "PERSON" and len(ent) > 1 and fold(bare.split()[-1]) in ORGANIZATION_HEADS:
            label = "ORG"  # "The State Department", "Select Committee": a body
        elif (label in ("ORG", "GPE", "NORP", "FAC") and 2 <= len(ent) <= 3 and _is_first_name(ent[0].text)
              and all(t.text[:1].isupper() and t.is_alpha for t in ent)):
            label = "PERSON"  # "Nikki Haley" tagged as an organisation: it starts with a first name
        labels.append(label)
    surnames = {fold(strip_possessive(ent.text).split()[-1])
                for ent, label in zip(doc.ents, labels) if label == "PERSON" and len(ent) > 1}
    out = []
    for ent, label in zip(doc.ents, labels):
        if label in ("ORG", "GPE", "NORP") and len(ent) == 1 and fold(strip_possessive(ent.text)) in surnames:
            label = "PERSON"  # a surname of someone named in full elsewhere
        if label != ent.label_:
            ent = Span(doc, ent.start, ent.end, label=label)
        out.append(ent)
    return out


class Resolver:
    """Maps mentions in one document to entities, building the article's cast as it goes."""

    def __init__(self, doc: Doc):
        self.doc = doc
        # token arrays, not Token objects: only untagged proper nouns can be a name the recogniser missed
        arr = doc.to_array([POS, ENT_TYPE])
        self._propn = arr[:, 0] == PROPN
        self._untagged_propn = self._propn & (arr[:, 1] == 0)
        self.ents = corrected_entities(doc)
        self.ents += self._untagged_titled_names()
        self.entities: list[Entity] = []
        self.person_spans: list[tuple[Span, Entity]] = []
        self.recent_speakers: list[tuple[int, Entity]] = []  # (char offset, entity)
        self.country_ranking: list[str] = []  # countries the article names at least twice, most named first
        self.article_country = self._article_country()
        # every full name the article gives, for telling a glued common word from a first name
        self._full_names: set[str] = set()
        self._first_names: dict[str, set[str]] = {}  # surname -> first words it is seen with
        for ent in self.ents:
            if ent.label_ == "PERSON":
                words = clean_person_name(_NAME_JUNK.sub("", ent.text)).split()
                if len(words) > 1 and _is_first_name(words[0]):
                    self._full_names.add(fold(" ".join(words)))
                    self._first_names.setdefault(fold(words[-1]), set()).add(fold(words[0]))
        for ent in self.ents:
            if ent.label_ == "PERSON":
                name = self.person_name(_name_part(ent).text)
                if name and any(c.isupper() for c in name):
                    entity = self._person(name, ent.start_char)
                    self.person_spans.append((ent, entity))
                    self._describe_person(ent, entity)
        self._add_untagged_surnames()

    def _untagged_titled_names(self) -> list[Span]:
        """Names the recogniser missed after a title ("Princess Jane Roe"): two or more capitalised proper nouns,
        none a common word, that no entity holds, after a capitalised title that starts its noun phrase."""
        doc = self.doc
        out: list[Span] = []
        if len(doc) < 3:
            return out
        free, is_propn = self._untagged_propn, self._propn
        nxt = 0
        for i in numpy.flatnonzero(free[:len(doc) - 2]).tolist():
            tok = doc[i]
            if i < nxt or not (tok.text[:1].isupper() and _is_title_word(tok.text) and (i == 0 or not is_propn[i - 1])):
                continue
            j = i + 1
            while j < len(doc) and free[j] and doc[j].text[:1].isupper() and not _is_title_word(doc[j].text):
                j += 1
            # a headline's capitalised common words ("State Department Knew …") are no name
            if (j - i > 2 and fold(doc[j - 1].text) not in ORGANIZATION_HEADS
                    and not any(countries.country_code(t.text) or _is_common_word(t.text) for t in doc[i + 1:j])):
                out.append(Span(doc, i + 1, j, label="PERSON"))
            nxt = j
        return out

    def _add_untagged_surnames(self) -> None:
        """A lone surname the recogniser missed ("Pellow fired back") is still a mention of the one person
        the article names with it, so that "he" can pick it up."""
        tagged = {i for span, _ in self.person_spans for i in range(span.start, span.end)}
        by_surname: dict[str, list[Entity]] = {}
        for e in self.entities:
            if e.kind == "person" and e.named and len(e.canonical.split()) > 1:
                by_surname.setdefault(e.surname, []).append(e)
        if not by_surname:
            return
        added = False
        for i in numpy.flatnonzero(self._untagged_propn).tolist():
            tok = self.doc[i]
            if i in tagged or not tok.text[:1].isupper():
                continue
            owners = by_surname.get(fold(strip_possessive(tok.text)), [])
            if len(owners) == 1 and not (i + 1 < len(self.doc) and self._propn[i + 1]):
                self.person_spans.append((self.doc[tok.i:tok.i + 1], owners[0]))
                added = True
        if added:
            self.person_spans.sort(key=lambda se: se[0].start)

    # --- the cast -------------------------------------------------------------------------------
    def person_name(self, text: str) -> str | None:
        """A person's name from the words the recogniser tagged, or None when they cannot be one
        ("Trump v. Trump", "Pro-Clinton"): titles, brackets, stray dashes and glued common words dropped."""
        text = _NAME_JUNK.sub("", text)
        if _CASE_NAME.search(text):
            return None
        words = clean_person_name(text).split()
        while words and not words[0][:1].isalnum():
            words[0] = re.sub(r"^[\W_]+", "", words[0])  # "- Rubio", "-Craig Fehrman", "_x"
            if not words[0]:
                words.pop(0)
        if not words or re.match(r"(?i)(?:pro|anti|non)-", words[0]):
            return None
        if len(words) > 1 and _is_cue_form(words[0]):
            words.pop(0)  # "Continued Roe:" read as one name
        while len(words) > 1 and self._glued_word(words):
            words.pop(0)  # "Fascist Trump", "Billionaire Donald Trump"
            words = clean_person_name(" ".join(words)).split()
        return " ".join(words) or None

    def _glued_word(self, words: list[str]) -> bool:
        """Whether a name's first word is a common word the recogniser swept in rather than a first name:
        the rest is a full name, or the surname of someone the article names with a first name."""
        first, rest = words[0], words[1:]
        if _is_first_name(first) or not _is_common_word(first):
            return False
        if len(rest) > 1 and _is_first_name(rest[0]):
            return True
        if fold(" ".join(rest)) in self._full_names:
            return True
        return len(rest) == 1 and bool(self._first_names.get(fold(rest[0]), set()) - {fold(first)})

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
                    if any(not _middles_agree(name, n) for n in full):
                        continue  # George W. is not George H. W.
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
        self.country_ranking = [c for c, n in ranked if n >= 2]
        code, n = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        return code if n >= 2 and n > runner_up else None

    @cached_property
    def breakaway_region(self) -> str | None:
        """The region, not a country, that the article names under a region noun most often ("the breakaway
        region of X", "the X enclave"): where its "unrecognized government" or "separatist authorities" sit."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        marked: dict[str, int] = {}  # 2: under a breakaway word, 1: under a region noun
        for ent in self.ents:
            if ent.label_ in ("PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
                continue
            name = _body_name(ent.text)
            if not name[:1].isupper() or countries.country_code(name) or countries.supranational(name) \
                    or countries.find_countries(name) or fold(name.split()[-1]) in ORGANIZATION_HEADS:
                continue
            key = fold(name)
            counts[key] = counts.get(key, 0) + 1
            names.setdefault(key, name)
            mark = _region_mark(ent)
            if mark:
                marked[key] = max(marked.get(key, 0), mark)
        if not marked:
            return None
        best = max(marked, key=lambda k: (marked[k], counts[k], -list(names).index(k)))
        return names[best]

    def _breakaway_body(self, phrase: str) -> str:
        """A breakaway body named without its place gets the article's breakaway region ("the unrecognized
        government" -> "unrecognized government of X"); other wordings are returned as they are."""
        words = phrase.split()
        if not words or not _BREAKAWAY.search(phrase) or fold(words[-1]) not in BREAKAWAY_BODIES:
            return phrase
        if any(w[:1].isupper() for w in words) or countries.find_countries(phrase):
            return phrase  # "the breakaway Abkhaz government" says where it is
        region = self.breakaway_region
        return f"{phrase} of {region}" if region else phrase

    # --- descriptions: titles, organisations, countries ------------------------------------------
    def _describe_person(self, ent: Span, entity: Entity) -> None:
        doc = self.doc
        root = ent.root
        pieces: list[Span] = []
        # premodifiers: "German Foreign Minister Annalena Baerbock", "U.S. Secretary of State Antony Blinken"
        left = root.left_edge.i
        if (root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.i < root.head.i
                and fold(root.head.head.text) in ENVOY_TITLES and ent.start > 0
                and doc[ent.start - 1].ent_type_ in ("ORG", "GPE") and doc[ent.start - 1].i > root.head.i):
            # "Ambassador to the United Nations Nikki Haley", parsed as "to … Haley" (but "adviser to
            # President Obama" is about someone else)
            left = root.head.head.left_edge.i
        lo = max(left, ent.start - 8)
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
            if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):  # not a misparsed clause
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
        # "X is a Turkish national", "X, who was Trump's envoy": the predicate's own noun phrase, for the
        # country only (a predicate is too loose for a title: "X is a fan")
        verbs = [root.head] if root.dep_ in ("nsubj", "nsubjpass") and root.head.lower_ in BE_FORMS else []
        verbs += [c for c in root.children if c.dep_ == "relcl" and c.lower_ in BE_FORMS]
        for verb in verbs:
            for attr in (c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")):
                span = doc[attr.left_edge.i:attr.i + 1]
                if 0 < len(span) <= 8 and not any(t.ent_type_ == "PERSON" and t.i >= ent.start and t.i < ent.end
                                                  for t in span):
                    self._apply_descriptor(span, entity, country_only=True)

    def _apply_descriptor(self, span: Span, entity: Entity, country_only: bool = False) -> None:
        text = span.text.strip(" ,")
        if not text or text in entity.descriptors:
            return
        if country_only:
            code = self._descriptor_country(span, text)
            if entity.country is None and code:
                entity.country = code
            return
        entity.descriptors.append(text)
        org = None
        # an organisation may run on past the descriptor ("… Relations’ Wider Europe program")
        for ent in (e for e in self.ents if e.start < span.end and e.end > span.start):
            if ent.label_ == "ORG" and _title_of(ent):
                continue  # "Secretary of State Antony Blinken": a title, not an organisation
            if (ent.label_ == "ORG" and len(ent) == 1 and ent.end == span.end and ent.end < len(self.doc)
                    and self.doc[ent.end].ent_type_ == "PERSON"):
                continue  # one word glued to the name ("archbishop Monsenor X"): an honorific, not a body
            before = [t for t in self.doc[max(0, ent.start - 3):ent.start] if t.lower_ != "the"]
            if len(before) >= 2 and before[-1].lower_ == "to" and fold(before[-2].text) in ENVOY_TITLES:
                continue  # "Ambassador to the United Nations": where they are sent, not whom they serve
            if ent.label_ in ("ORG",) and ent.text:
                # "the European Council on Foreign Relations’ Wider Europe programme": the body is the owner
                name = _body_name(_POSSESSIVE_INSIDE.split(ent.text, 1)[0])
                org = countries.supranational(name) or name
                break
        if org is None:
            for tok in span:
                if tok.dep_ == "poss" and fold(tok.text) in ORGANIZATION_HEADS:
                    # "the unrecognized government's foreign minister"
                    words = [t for t in tok.subtree if t.dep_ != "case" and t.lower_ not in _DETERMINERS]
                    if words:
                        org = self._breakaway_body(self.doc[words[0].i:words[-1].i + 1].text)
                    break
        for tok in span if org is None else ():
            if fold(tok.text) in BREAKAWAY_BODIES and tok.pos_ == "NOUN":
                # "foreign minister of the unrecognized government": a breakaway region's body
                words = [t for t in self.doc[tok.left_edge.i:tok.i + 1] if t.lower_ not in _DETERMINERS]
                phrase = self.doc[words[0].i:tok.i + 1].text if words else ""
                named = self._breakaway_body(phrase)
                if named != phrase:
                    org = named
                    break
        code = self._descriptor_country(span, text)
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

    def _descriptor_country(self, span: Span, text: str) -> str | None:
        """The country a description gives its person: its first country word that says where they are from,
        else the country of the person whose post it is ("Putin's spokesman")."""
        head = span.root
        if fold(head.text) in KINSHIP_NOUNS:
            return None  # "the son of Dominican immigrants", "Dunn's mother": someone else's country
        found = countries.find_countries(text)
        for n, (start, end, c) in enumerate(found):
            if text[max(0, start - 5):start].lower().endswith(("pro-", "anti-")):
                continue  # "the pro-Beijing camp" says where a side stands, not where they are from
            if text[end:end + 1] == "-":
                if n + 1 < len(found) and found[n + 1][0] == end + 1:
                    continue  # "Cuban-American": the last part says where they are from
                if not text[end + 1:].lower().startswith("based"):
                    continue  # "Spanish-speaking", "Iranian-backed"; but "a US-based analyst"
            return c
        if fold(head.text) in PERSON_TITLES:
            for tok in head.children:
                owned = tok.dep_ == "poss" or any(c.dep_ == "case" for c in tok.children)
                if owned and tok.text[:1].isupper() and tok.ent_type_ in ("PERSON", ""):
                    key = fold(strip_possessive(tok.text))
                    owner = next((e for e in self.entities if e.kind == "person" and e.named and e.surname == key), None)
                    if owner is not None and owner.country:
                        return owner.country
        return None

    def _title_from(self, span: Span) -> str | None:
        """The title in a descriptor: its head noun with its modifiers, minus countries, articles and names."""
        head = span.root
        posted: set[int] = set()  # "to Canada" of "ambassador to Canada" stays in the title
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
            elif len(nxt) == 2 and nxt[0].lower_ == "to" and fold(head.text) in ENVOY_TITLES:
                end = next((t.i for t in span.doc[head.i + 2:span.end] if not (t.pos_ == "DET" or t.text[:1].isupper())),
                           span.end)
                if 1 < end - head.i <= 6 and span.doc[end - 1].text[:1].isupper():
                    words += list(span.doc[head.i + 1:end])  # "Ambassador to the United Nations"
                    posted = set(range(head.i + 1, end))
        words = [t for t in words if t.i in posted or not countries.country_code(t.text)]
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
        out = [e for e in self.ents if e.start >= span.start and e.end <= span.end]
        for e in self.ents:
            if (e.label_ == "PERSON" and e.start < span.start < e.end <= span.end
                    and all(t.pos_ == "PROPN" for t in self.doc[span.start:e.end])):
                # "Said Comey" taken for one name, where the mention starts after the cue: the part it holds
                out.append(Span(self.doc, span.start, e.end, label=e.label_))
        return out

    def _resolve(self, span: Span, head: Token, at: int) -> Entity | None:
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head.i < head.i:
            # "McConnell, who in 2010 said …": the noun the relative clause hangs from
            noun = head.head.head
            return self._resolve(self.doc[noun.left_edge.i:noun.i + 1], noun, at)
        ents = self._ents_in(span)
        persons = [e for e in ents if e.label_ == "PERSON"]
        if persons:
            # a mention holding no usable name ("Trump v. Trump") names nobody
            named = [(e, n) for e in persons if (n := self.person_name(_name_part(e).text))]
            if not named:
                return None
            ent, name = min(named, key=lambda en: 0 if en[0].start <= head.i < en[0].end else 1)
            for s, entity in self.person_spans:
                if s.start == ent.start and s.end == ent.end:
                    return entity
            return self._person(name, at)
        if head.pos_ == "PRON":
            return self._antecedent(head, at)
        name = _titled_name(span, head)
        name = self.person_name(name) if name else None
        if name:
            return self._person(name, at)
        body = next((e for e in ents if e.label_ in ORG_LABELS and e.start <= head.i < e.end), None)
        if body is not None and self._joint(head, body):
            # "the AP and the BBC": bodies speaking together are no one body, and none of them alone
            e = Entity("organization", [_phrase(span)], named=False, last_seen=at, head_word=fold(head.text))
            self.entities.append(e)
            return e
        if fold(head.text) in ORGANIZATION_HEADS and any(
                t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "NORP", "ORG") for t in span if t.i < head.i):
            # "Armenia's foreign ministry": a body named by its owner, not an anaphor
            return self._organization(_phrase(span), at)
        orgs = [e for e in ents if e.label_ in ORG_LABELS and e.start <= head.i < e.end]
        if orgs:
            return self._org_mention(span, orgs[0], at)
        misread = head.text[:1].isupper() and (
            head.pos_ in ("ADV", "ADJ", "VERB") and not head.is_sent_start
            # "Roe at the time said" with the surname tagged as a noun: the person of that surname
            or head.pos_ == "NOUN" and any(e.kind == "person" and e.named and e.surname == fold(head.text)
                                           for e in self.entities))
        if (head.pos_ == "PROPN" or misread) and head.ent_type_ == "":
            # a name the recogniser missed: a person who shares it, else a new person of that name
            for e in self.entities:
                if e.kind == "person" and e.named and e.surname == fold(head.text):
                    return e  # a description ("a Bloomberg poll") has no surname to share
            name = [t for t in span if t.pos_ == "PROPN" and t.text[:1].isupper()]
            if (name and name[-1].i == head.i and fold(head.text) not in ORGANIZATION_HEADS
                    and (len(name) > 1 or _is_first_name(head.text))
                    and not _is_title_word(head.text) and not countries.country_code(head.text)):
                name = self.person_name(self.doc[name[0].i:head.i + 1].text)
                if name:
                    return self._person(name, at)
        if head.lower_ in STATEMENT_NOUNS and head.pos_ == "NOUN":
            holder = self._statement_holder(head, at)
            if holder is None and span[0].lower_ in ("the", "this", "that"):
                # "the statement also said": the statement the article last gave an issuer for
                for tok in reversed(self.doc[max(0, head.i - 400):head.i]):
                    if tok.lower_ in STATEMENT_NOUNS and tok.pos_ == "NOUN":
                        holder = self._statement_holder(tok, at)
                        if holder is not None:
                            break
            if holder is not None:
                return holder
        words = span.text.split()
        if words and all(w.isalpha() and w.isupper() and len(w) > 1 for w in words) and len(words) <= 3:
            # a transcript label ("PENCE:") names a person, in capitals
            return self._person(" ".join(w.capitalize() for w in words), at)
        return self._description(span, head, at)

    def _statement_holder(self, noun: Token, at: int) -> Entity | None:
        """Who issued a statement: its owner ("the ministry's statement"), its author ("a statement released by
        the palace", "a statement from X"), its country ("the Turkish statement"), or whoever spoke "in" it
        ("Trump, in a statement, announced")."""
        doc = self.doc
        holders = [c for c in noun.children if c.dep_ == "poss"]
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                holders += [c for c in child.children if c.dep_ == "pobj"]
            elif child.dep_ == "acl":
                for agent in (c for c in child.children if c.dep_ == "agent" or c.lower_ in ("by", "from")):
                    holders += [c for c in agent.children if c.dep_ == "pobj"]
        if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "via", "through") and noun.head.head.pos_ == "VERB":
            holders += [c for c in noun.head.head.children if c.dep_ == "nsubj"]
        for holder in holders:
            if holder.pos_ in ("PRON", "DET"):
                continue
            left = min((t.i for t in holder.subtree if t.dep_ not in ("case",)), default=holder.i)
            right = max((t.i for t in holder.lefts), default=holder.i)
            entity = self._resolve(doc[left:max(right, holder.i) + 1], holder, at)
            if entity is not None:
                return entity
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE"):
                code = countries.country_code(child.text)
                if code:
                    e = self._organization(countries.government_name(code), at, code)
                    return e
        return None

    @staticmethod
    def _joint(head: Token, ent: Span) -> bool:
        """Whether the mention coordinates the body with another ("X and Y", "X and other agencies"), rather
        than naming one body whose name holds "and" ("Procter and Gamble")."""
        return any(c.dep_ == "conj" and not ent.start <= c.i < ent.end and c.pos_ in ("PROPN", "NOUN")
                   for c in head.children)

    def _org_mention(self, span: Span, ent: Span, at: int) -> Entity:
        name = _body_name(ent.text)
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
        # "his warning that …": a possessive stands for whom its subject form would
        word = POSSESSIVE_PRONOUNS.get(pron.lower_, pron.lower_)
        want = "person" if word in PERSON_PRONOUNS else "organization" if word in THING_PRONOUNS else None
        if want is None:
            return None
        if word in ("i", "me", "we", "us", "you"):
            return None
        # the latest speaker of that kind, unless a person of that kind was the subject since
        gendered = word in GENDERED_PRONOUNS
        last_speaker = next((e for pos, e in reversed(self.recent_speakers)
                             if e.kind == want and pos < at and (e.named or not gendered
                                                                 or e.head_word in PERSON_NOUNS and not e.plural)), None)
        last_subject = self._last_subject(want, at)
        if word == "they" and last_speaker is None and last_subject is None:
            return None
        candidates = [c for c in (last_speaker, last_subject) if c is not None]
        if not candidates:
            return self._nearest_named(word, at)
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
            if fitting and not fitting[0].named:
                return self._named_as_close(fitting[0], GENDERED_PRONOUNS[word], at) or fitting[0]
            if fitting:
                return fitting[0]
        return candidates[0]

    def _named_as_close(self, unnamed: Entity, gender: str, at: int) -> Entity | None:
        """`The senator declined to say whether a judge should speak. But X, he said, …`: a named person of
        the pronoun's gender mentioned since the sentence of the unnamed description's latest mention is the
        likelier antecedent (a description is often an aside about someone else)."""
        pos = max((p for p, e in self.recent_speakers if e is unnamed and p < at), default=unnamed.last_seen)
        if pos < 0:
            return None
        tok = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        since = tok.sent.start_char if tok is not None and len(tok) else pos
        # names, and descriptions resolved to a named person ("the Vermont senator"), latest first
        seen = [(s.start_char, e) for s, e in self.person_spans] + [(p, e) for p, e in self.recent_speakers if e.named]
        for start, entity in sorted(seen, key=lambda se: -se[0]):
            if start >= at:
                continue
            if start < since:
                return None
            if entity.named and entity.kind == "person" and entity.gender in (None, gender):
                return entity
        return None

    def _nearest_named(self, word: str, at: int) -> Entity | None:
        """`When Jane Roe was asked …, she laughed`: with no speaker or main-clause subject before it, "he" or
        "she" stands for the nearest person named before it in any role, when close and of a fitting gender."""
        if word not in GENDERED_PRONOUNS:
            return None
        for span, entity in reversed(self.person_spans):
            if span.start_char >= at:
                continue
            if at - span.start_char > ANTECEDENT_REACH:
                return None
            if entity.gender in (None, GENDERED_PRONOUNS[word]):
                return entity
        return None

    def _last_subject(self, kind: str, at: int) -> Entity | None:
        best, best_at = None, -1
        if kind == "person":
            for span, entity in self.person_spans:
                # subjects of subordinate clauses ("in which X became …") are rarely what "he" picks up
                # a name parsed as its sentence's root ("X, the lawyer, endorsed …" misread) is its subject too
                subject = span.root.dep_ in ("nsubj", "nsubjpass") or (
                    span.root.dep_ == "ROOT" and span.start == span.root.sent.start and span.end < len(self.doc)
                    and self.doc[span.end].text == "," and any(c.dep_ == "appos" and c.pos_ == "NOUN"
                                                               for c in span.root.children))
                if (span.start_char < at and subject and span.start_char > best_at
                        and span.root.head.dep_ not in ("relcl", "acl", "advcl", "pcomp")):
                    best, best_at = entity, span.start_char
        else:
            for e in self.entities:
                if e.kind == "organization" and e.last_seen < at and e.last_seen > best_at:
                    best, best_at = e, e.last_seen
        return best

    def _description(self, span: Span, head: Token, at: int) -> Entity | None:
        full = span
        span = _without_aside(span, head)
        words = [t for t in span if t.lower_ not in _DETERMINERS]
        if not words:
            return None
        text = self.doc[words[0].i:span.end].text
        head_word = fold(head.text)
        is_org = head_word in ORGANIZATION_HEADS
        definite = span[0].lower_ in ("the", "this", "that") or span[0].dep_ == "poss"
        if definite and head_word not in ANONYMOUS_HEADS | {"source", "sources"}:
            # "the ministry", "the senator": the latest entity whose name or title has that word
            # (an unnamed one only when it has the description's proper-noun modifiers too: "the Florida
            # senator" is not "the Vermont senator")
            marks = {fold(t.text) for t in span if t.i < head.i and t.pos_ == "PROPN"}
            places = {c for _, _, c in countries.find_countries(text)} if is_org else set()
            for e in sorted(self.entities, key=lambda e: -e.last_seen):
                if e.last_seen > at:
                    continue
                if places and e.country and e.country not in places:
                    continue  # "the government in Beijing" is not the German government the article named last
                if (e.kind == "organization") != is_org:
                    continue  # "the court" is a body, not the judge described as "President of the court"
                hay = " ".join(e.names + ([e.title] if e.title else []) + e.descriptors)
                hay_words = {fold(w).rstrip(".") for w in hay.split()}
                hay_words |= {TITLE_ABBREVIATIONS.get(w, w) for w in hay_words}
                if (head_word in hay_words or head_word.rstrip("s") in hay_words) and (e.named or marks <= hay_words):
                    return e
            body = self._named_body(head_word, text, at) if is_org else None
            if body is None and is_org and head.tag_ == "NN" and span[0].lower_ == "the":
                body = self._subject_body(head, at)
            if body is not None:
                return body
        plural = head.tag_ in ("NNS", "NNPS")
        if span[0].lower_ == "the" and not is_org and not plural and head_word in DESCRIBED_OFFICES:
            holder = self._office_holder(head, head_word)
            if holder is not None:
                return holder
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        kind = "organization" if is_org else "person"
        e = Entity(kind, [text], named=False, last_seen=at, head_word=head_word, plural=plural)
        for _, _, c in countries.find_countries(full.text):  # an aside may still say where they are from
            e.country = c
            break
        self.entities.append(e)
        return e

    def _office_holder(self, head: Token, head_word: str) -> Entity | None:
        """For "the Vermont senator" when no one in the cast has that title: the person named as a main-clause
        subject last, in the two sentences before ("X endorsed Y on Tuesday. The Vermont senator said …"),
        unless their title is another office ("President X … the senator" is someone else)."""
        sent = head.sent
        lo = sent.start
        for _ in range(2):  # a quote's own sentence may stand between ("X warned …. “…,” the senator said")
            lo = self.doc[lo - 1].sent.start if lo > 0 else lo
        best, best_at = None, -1
        for span, entity in self.person_spans:
            if span.start < lo:
                continue
            if span.start >= head.i:
                continue  # (untagged titled names come last in person_spans, out of order)
            if (entity.kind == "person" and entity.named and span.root.dep_ in ("nsubj", "nsubjpass")
                    and span.root.head.dep_ not in ("relcl", "acl", "advcl", "pcomp", "ccomp")):
                if span.start >= sent.start:
                    return None  # "X said the senator lied": a subject of the same sentence is someone else
                if best is None or span.start > best_at:
                    best, best_at = entity, span.start
        if best is None or not best.title:
            return best
        office = fold(best.title.split()[-1]).rstrip(".")
        office = TITLE_ABBREVIATIONS.get(office, office)
        return best if office == head_word or office not in HELD_POSTS else None

    def _subject_body(self, head: Token, at: int) -> Entity | None:
        """For "the office", "the group" when the article named no body by that word: the named body that is the
        subject of the sentence before ("The X Embassy closed its doors. The office asked …")."""
        sent = head.sent
        if sent.start == 0:
            return None
        before = self.doc[sent.start - 1].sent
        for ent in self.ents:
            if (ent.label_ == "ORG" and before.start <= ent.start and ent.end <= before.end
                    and ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.i == before.root.i):
                return self._org_mention(ent, ent, at)
        return None

    def _named_body(self, head_word: str, text: str, at: int) -> Entity | None:
        """For "the party", "the court": the body of that kind the article has named most before (the latest
        among equals), when the description names no other country than it."""
        seen: dict[str, list] = {}  # folded name -> [mentions, last offset, name]
        for ent in self.ents:
            if ent.label_ != "ORG" or ent.start_char >= at or fold(ent.root.text) != head_word:
                continue
            name = _body_name(ent.text)
            if countries.supranational(name) or not name[:1].isupper():
                continue
            entry = seen.setdefault(fold(name), [0, 0, name, None])
            entry[0] += 1
            entry[1] = ent.start_char
            after = self.doc[ent.end:ent.end + 2]
            if entry[3] is None and len(after) == 2 and after[0].lower_ in ("in", "of"):
                entry[3] = countries.country_code(after[1].text)  # "the Court of Session in Scotland"
        if not seen:
            return None
        count, _, name, where = max(seen.values(), key=lambda v: (v[0], v[1]))
        code = countries.organization_country(name) or where
        codes = {c for _, _, c in countries.find_countries(text)}
        if codes and code not in codes:
            return None  # "the Turkish party" is not the Greek one the article named
        return self._organization(name, at, code)

    def speaker_record(self, entity: Entity) -> Speaker:
        """The records.Speaker for an entity; a named person with no country of their own gets the article's."""
        canonical = entity.canonical
        country, inferred = entity.country, False
        organization = entity.organization
        if country is None and self.article_country:
            # a national post held before a supranational one: "Ex-Prime Minister X, President of the European Council"
            national = entity.organization is not None and bool(countries.supranational(entity.organization)) \
                and _holds_office(entity.title, NATIONAL_TITLES)
            if entity.kind == "person" and entity.named and (
                    national or entity.organization is None and not _mentions_body(entity.descriptors)):
                # people the article names without a country are most likely the article's own; the
                # store keeps this per article (an official's government), never on the person.
                # A post the article's country lacks (its "Prime Minister" in a US story) belongs to the
                # next country the article names that has it.
                country = self.article_country
                if entity.title and not countries.has_office(country, entity.title):
                    country = next((c for c in self.country_ranking if countries.has_office(c, entity.title)), None)
                inferred = country is not None
                if inferred and _holds_office(entity.title) and organization is None:
                    organization = countries.government_name(country)
            elif (entity.kind == "organization" and not countries.supranational(canonical)
                  and countries.organization_kind(canonical) == "government"):
                country, inferred = self.article_country, True  # "police", "the court": where the story is
            elif not entity.named and entity.head_word in PERSON_NOUNS and _names_local_body(canonical):
                # "the head of the police's investigators": a post in the story's own police or ministry
                country, inferred = self.article_country, True
        aliases = [n for n in entity.names if n != canonical]
        return Speaker(name=canonical, kind=entity.kind, aliases=aliases, title=entity.title,
                       organization=organization, country=country, named=entity.named,
                       country_inferred=inferred)


def _holds_office(title: str | None, posts: tuple[str, ...] = GOVERNMENT_TITLES) -> bool:
    """Whether a title makes its holder an official of their country's government."""
    return bool(title) and any(g in title.lower() for g in posts)


def _region_mark(ent: Span) -> int:
    """2 when an entity is named as a breakaway region ("the breakaway region of X", "separatist X"), 1 when
    as a region ("the region of X", "the X enclave"), else 0."""
    root = ent.root
    nouns = []
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("NOUN", "PROPN"):
        nouns.append(root.head.head)  # "the breakaway region of X"
    if root.dep_ in ("compound", "nmod", "amod") and root.head.i >= ent.end:
        nouns.append(root.head)  # "the X region"
    if root.dep_ == "appos" or any(c.dep_ == "appos" for c in root.children):
        nouns += [root.head] if root.dep_ == "appos" else [c for c in root.children if c.dep_ == "appos"]
    nouns = [n for n in nouns if fold(n.text) in REGION_NOUNS]
    if not nouns:
        return 2 if any(_BREAKAWAY.search(c.text) for c in root.lefts if c.i < ent.start) else 0
    for noun in nouns:
        left = ent.doc[noun.left_edge.i:noun.i + 1].text
        if _BREAKAWAY.search(left) or any(_BREAKAWAY.search(c.text) for c in root.lefts if c.i < ent.start):
            return 2
    return 1


def _title_of(ent: Span) -> bool:
    """Whether a one-word organisation is the tail of a title: `Secretary of State`, `Chief of Staff`."""
    return len(ent) == 1 and ent.start > 0 and ent.doc[ent.start - 1].lower_ == "of" \
        and ent.start > 1 and _is_title_word(ent.doc[ent.start - 2].text)


def _name_part(ent: Span) -> Span:
    """A PERSON entity without leading words the recogniser swept in ("Asserting Clinton", "Fascist X")."""
    doc = ent.doc
    start = ent.start + 1 if len(ent) > 1 and _inverted_cue(ent) else ent.start
    while start < ent.end - 1 and doc[start].pos_ in ("VERB", "ADJ", "ADV", "DET", "PRON", "AUX", "PART", "PUNCT") \
            and not _is_first_name(doc[start].text):
        start += 1
    return doc[start:ent.end]


def _inverted_cue(ent: Span) -> bool:
    """`Said Roe, “…”`: a sentence opening with a speech verb, then the name and a comma or colon before a
    quote; "Said" is a first name too, but not there."""
    doc, first = ent.doc, ent[0]
    return (first.is_sent_start and first.text[:1].isupper() and speech_verb_form(first.text) is not None
            and ent.end + 1 < len(doc) and doc[ent.end].text in (",", ":")
            and (first.pos_ == "VERB" or doc[ent.end + 1].is_quote))


def _body_name(text: str) -> str:
    """A body's name as the recogniser tagged it, without a possessive or a leading "the"."""
    name = strip_possessive(text)
    return name[4:] if name.lower().startswith("the ") else name


def _names_local_body(text: str) -> bool:
    """Whether a description names a public body as the story's own: "the police", "the ministry's"."""
    words = re.findall(r"[\w-]+", fold(text))
    return any(w == "the" and any(n in ORGANIZATION_HEADS and countries.organization_kind(n) == "government"
                                  for n in words[i + 1:i + 3])
               for i, w in enumerate(words))


def _mentions_body(descriptors: list[str]) -> bool:
    """Whether a person's descriptions name an organisation they belong to that may be from anywhere (a
    university, a company…); a country's own bodies ("police spokesman") say nothing against the article's."""
    return any(fold(w).strip(".,’'s") in ORGANIZATION_HEADS and countries.organization_kind(d) != "government"
               for d in descriptors for w in d.split())


def _is_first_name(word: str) -> bool:
    """Whether a capitalised word is a first name in gender-guesser's dictionary (never "The" or "This")."""
    return (word[:1].isupper() and word.isalpha() and word.lower() not in _DETERMINERS
            and _gender_detector().get_gender(word) != "unknown")


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


def _is_cue_form(word: str) -> bool:
    """A speech verb's regular past form ("Added", "Continued"), which no first name is; "Said" is one."""
    return word.lower().endswith("ed") and speech_verb_form(word) is not None


# Name suffixes that follow the surname: not middle names ("Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _middles(name: str) -> list[str]:
    """The middle names and initials of a full name, split at dots ("H.W." gives h, w)."""
    words = name.split()
    while len(words) > 2 and fold(words[-1]).strip(".,") in NAME_SUFFIXES:
        words.pop()
    return [p for w in words[1:-1] for p in fold(w).split(".") if p]


def _middles_agree(a: str, b: str) -> bool:
    """Whether two full names' middle names or initials can be the same ("H. W." and "H.W.", "W." and
    "Walker"); a name without any agrees with every other."""
    x, y = _middles(a), _middles(b)
    if not x or not y:
        return True
    return len(x) == len(y) and all(m == n or (min(len(m), len(n)) == 1 and m[0] == n[0]) for m, n in zip(x, y))


def _without_aside(span: Span, head: Token) -> Span:
    """A description without a comma-set aside on its head that describes rather than names ("the princess,
    67", "the senator, a Democrat", "the survey, conducted last week"), so it is matched like the bare noun."""
    if head.pos_ != "NOUN":
        return span
    for tok in span:
        if tok.i <= head.i or tok.text != "," or tok.i + 1 >= span.end:
            continue
        aside = next((c for c in head.rights if c.left_edge.i == tok.i + 1), None)
        # an aside with a name in it ("the minister, Jane Roe", "the survey, conducted by X") names someone
        if (aside is not None and aside.dep_ in _ASIDE_DEPS and aside.right_edge.i < span.end
                and not any(t.pos_ == "PROPN" and t.ent_type_ != "NORP" or t.ent_type_ in ("PERSON", "ORG")
                            for t in span.doc[tok.i + 1:span.end])):
            return span.doc[span.start:tok.i]
        return span
    return span


def _phrase(span: Span) -> str:
    words = [t.text_with_ws for t in span if not (t.i == span.start and t.lower_ in _DETERMINERS)]
    return "".join(words).strip()

"""The article's cast: every person and body it names, with every name each goes by.

The recogniser's entities, with labels corrected where country data or the article knows better, plus
names it missed (after a title, a lone surname of someone named in full); people are one entity per
person however the article names them (full name, surname, middle initial), bodies one per name.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy
from spacy.attrs import ENT_TYPE, POS
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span

from quotes.entities import countries
from quotes.extraction.cues import DATELINE
from quotes.extraction.lexicon import ORGANIZATION_HEADS, TITLE_ABBREVIATIONS, words
from quotes.extraction.marks import paragraphs

from .names import (CASE_NAME, body_name, NAME_JUNK, clean_person_name, fold, gender_of, is_common_word, is_cue_form,
                    is_first_name, is_title_word, joining_hyphen, middles_agree, name_part, strip_possessive)
from .places import find_places, place_country, windows


@dataclass
class Entity:
    """One person or organisation of the article, with every name it goes by and what is said of it."""

    kind: str  # person | organization
    names: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    country: str | None = None
    country_source: str | None = None  # records.COUNTRY_SOURCES: where the country came from
    named: bool = True
    last_seen: int = -1  # character offset of the latest mention
    head_word: str = ""  # for descriptions: the noun they rest on ("head" in "head of the police")
    # (number of names, canonical name) as last computed: names only grow, so a count says when it is stale
    _canonical: tuple[int, str] = field(default=(0, ""), repr=False, compare=False)
    _words: tuple[tuple, frozenset[str]] = field(default=((), frozenset()), repr=False, compare=False)
    plural: bool = False  # a description of several ("aides", "analysts"): never a "he" or "she"

    @property
    def canonical(self) -> str:
        """The fullest name the article gives."""
        if self._canonical[0] != len(self.names):
            best = max(self.names, key=lambda n: (len(n.split()), len(n), -self.names.index(n)))
            self._canonical = (len(self.names), best)
        return self._canonical[1]

    def words(self) -> frozenset[str]:
        """The folded words of its names, title and descriptions, abbreviated titles spelt out too."""
        key = (len(self.names), self.title, len(self.descriptors))
        if self._words[0] != key:
            hay = " ".join(self.names + ([self.title] if self.title else []) + self.descriptors)
            found = {fold(w).rstrip(".") for w in hay.split()}
            self._words = (key, frozenset(found | {TITLE_ABBREVIATIONS.get(w, w) for w in found}))
        return self._words[1]

    @property
    def gender(self) -> str | None:
        """'male' or 'female' when the first name says so unambiguously, else None."""
        words = self.canonical.split()
        if self.kind != "person" or not self.named or len(words) < 2:
            return None
        guess = gender_of(words[0])
        return guess if guess in ("male", "female") else None

    def set_country(self, code: str | None, source: str) -> None:
        """Take ``code`` as the country, from ``source``, unless one is known already: the first evidence wins."""
        if code and self.country is None:
            self.country, self.country_source = code, source

    @property
    def surname(self) -> str:
        return fold(self.canonical.split()[-1]) if self.kind == "person" else ""


def corrected_entities(doc: Doc, missed: Sequence[Span] = (), ents: Sequence[Span] | None = None,
                       text: str | None = None) -> list[Span]:
    """The recogniser's entities (``ents``, read from ``doc`` if not given) with labels fixed where country data
    or the article itself knows better, and the people it ``missed`` among them; ``text`` is the doc's, if known."""
    ents = _hyphenated_bodies(doc.ents if ents is None else ents)  # doc.ents builds its spans anew on each reading
    # a slice of the text the doc was made from is the span's text without making its tokens
    bares = [strip_possessive(ent.text if text is None else text[ent.start_char:ent.end_char]) for ent in ents]
    # the countries the article names as places: "Santa Ana" is a place (not a first name and more) in a
    # story that names El Salvador, though other countries have places of that name too
    context = {countries.country_code(bare) for ent, bare in zip(ents, bares) if ent.label_ in ("GPE", "NORP")} - {None}
    labels = []
    for ent, bare in zip(ents, bares):
        label = ent.label_
        if label in ("PERSON", "ORG", "NORP", "GPE", "FAC", "LOC") and countries.country_code(bare):
            # "Azerbaijan" or "Baku" tagged as a person: a country, or a capital standing for one
            label = "GPE"
        elif label == "PERSON" and len(ent) > 1 and fold(bare.split()[-1]) in ORGANIZATION_HEADS:
            label = "ORG"  # "The State Department", "Select Committee": a body
        elif (label == "PERSON" and len(ent) > 1 and countries.country_code(bare.split()[-1])
              and not is_first_name(ent[0].text)):
            label = "ORG"  # "Greenpeace Argentina": a body's branch in a country
        elif (label in ("ORG", "GPE", "NORP", "FAC") and 2 <= len(ent) <= 5 and is_first_name(ent[0].text)
              and all(t.text[:1].isupper() and t.is_alpha or t.i not in (ent.start, ent.end - 1)
                      and (t.lower_ in NAME_PARTICLES or joining_hyphen(t)) for t in ent)
              and fold(ent[-1].text) not in BODY_WORDS
              and sum(t.is_alpha and t.lower_ not in NAME_PARTICLES for t in ent) <= 3
              and not (label == "GPE" and place_country(bare, context))):  # "El Paso" is a city, though El is a name
            label = "PERSON"  # "Nikki Haley" tagged as an organisation: it starts with a first name
        elif (label in ("WORK_OF_ART", "PRODUCT") and 2 <= len(ent) <= 3 and ent.start > 0
              and doc[ent.start - 1].is_quote and is_first_name(ent[0].text)
              and all(t.text[:1].isupper() and t.is_alpha for t in ent)):
            label = "PERSON"  # "“…,” Jane Roe, the minister, said": a name after a quote taken for a title
        elif label == "PERSON" and not is_first_name(ent[0].text) and _beside_body_word(ent):
            label = "ORG"  # "the Swiss firm Novex", "Aidwell, Europe's largest charity,": a body's name
        elif (label in ("ORG", "GPE", "NORP", "FAC") and len(ent) == 2 and is_title_word(ent[0].text)
              and fold(ent[0].text) not in ORGANIZATION_HEADS and is_first_name(ent[1].text)):
            label = "PERSON"  # "Pope Anselm" tagged as an organisation: a title and a first name
        labels.append(label)
    surnames = {fold(t.text) for span in missed for t in span[1:]}  # "Rosselló" of "Ricardo Rosselló Nevares"
    ends = [_surname_left_out(ent) if label == "PERSON" else ent.end for ent, label in zip(ents, labels)]
    tails = set()  # "Robles Quintero" of "Ana María Robles Quintero": a double surname
    for ent, bare, label, end in zip(ents, bares, labels, ends):
        if label != "PERSON" or len(ent) < 2:
            continue
        words = bare.split() + [t.text for t in doc[ent.end:end]]
        if len(words) >= 3:
            tails.add(fold(" ".join(words[-2:])))
        if (words[0].isalpha() and gender_of(words[0]) in ("andy", "unknown")
                and not countries.country_code(words[0])):
            surnames.add(fold(words[0]))  # "Yoon" of "Yoon Suk Yeol": a surname written first
        surnames.add(fold(words[-1]))
        # and a middle one of a full name of three or four names (not a headline or two names run together)
        if (2 < len(words) <= 4 and all(w.isalpha() and w[:1].isupper() for w in words)
                and not _NAME_SUFFIX.fullmatch(words[-1])):  # not "Donald Trump Jr."
            surnames |= {fold(w) for w in words[1:-1] if not is_common_word(w)}
    named = {countries.country_code(bare) for bare, label in zip(bares, labels) if label in ("GPE", "NORP")} - {None}
    # words the recogniser also tags as a place or body somewhere in the article ("at Wynnum's ground")
    placed = {fold(bare) for bare, label in zip(bares, labels) if label in ("GPE", "LOC", "FAC", "ORG")}
    out = []
    for ent, bare, label, end in zip(ents, bares, labels, ends):
        if label == "ORG" and _post_of(ent):
            continue  # "Minister of Information and Culture" tagged as a body: a post, whose holder is the person
        split = _place_then_name(ent) if label in ("GPE", "ORG", "NORP", "FAC", "LOC") else None
        if split is not None:  # "Hong Kong Carrie Lam" as one place: the place, then the person
            out += [Span(doc, ent.start, split, label=label), Span(doc, split, ent.end, label="PERSON")]
            continue
        if label in ("ORG", "GPE", "NORP", "WORK_OF_ART", "PRODUCT") and (len(ent) == 1 and fold(bare) in surnames
                                                                         or len(ent) == 2 and fold(bare) in tails):
            label = "PERSON"  # a surname of someone named in full elsewhere
        elif (label == "PERSON" and len(ent) == 1 and fold(bare) not in surnames
              and fold(bare) in placed and not is_first_name(ent.text)
              and place_country(bare, named, strict=True)):
            label = "GPE"  # "Wynnum coach X": a town the article names alone, which no one named has for surname
        if label == "PERSON" and ent.label_ != "PERSON":
            end = _surname_left_out(ent)
        if label != ent.label_ or end != ent.end:
            ent = Span(doc, ent.start, end, label=label)
        out.append(ent)
    return sorted(out + list(missed), key=lambda e: e.start)


def _hyphenated_bodies(ents: Sequence[Span]) -> list[Span]:
    """The entities with a name joined to a country's by a hyphen made one body ("Météo-France", tagged as two
    places or as a work's title): a country's name glued to a word is no longer the country."""
    out: list[Span] = []
    for ent in ents:
        doc = ent.doc
        if out and out[-1].end + 1 == ent.start and joining_hyphen(doc[ent.start - 1]):
            pair = (out[-1], ent)
            if any(countries.country_code(e.text) for e in pair) and any(_misread_place(e) for e in pair):
                out[-1] = Span(doc, out[-1].start, ent.end, label="ORG")  # not "Israel-Hamas", "EU-China"
                continue
        if (ent.label_ in ("WORK_OF_ART", "PRODUCT") and any(joining_hyphen(t) for t in ent[1:-1])
                and not countries.country_code(ent.text)):
            parts = [t.text for t in ent if t.text != "-"]
            if (len(parts) == 2 and all(p[:1].isupper() for p in parts)
                    and sum(bool(countries.country_code(p)) for p in parts) == 1):
                ent = Span(doc, ent.start, ent.end, label="ORG")
        out.append(ent)
    return out


def _misread_place(ent: Span) -> bool:
    """A word the recogniser tagged as a place or nationality that is none ("Météo" of "Météo-France")."""
    return (ent.label_ in ("GPE", "LOC", "NORP") and len(ent) == 1 and not countries.country_code(ent.text)
            and not countries.supranational(ent.text) and not place_country(ent.text))


def _beside_body_word(ent: Span) -> bool:
    """Whether a name stands in apposition with a word for a body ("the firm X", "X, a Kenyan charity,")."""
    root = ent.root
    if root.dep_ == "appos" and root.head.i < ent.start:
        return root.head.pos_ == "NOUN" and fold(root.head.text) in ORGANIZATION_HEADS
    return any(c.dep_ == "appos" and c.i >= ent.end and c.pos_ == "NOUN" and fold(c.text) in ORGANIZATION_HEADS
               for c in root.children)


#: Title words ("House Speaker", "State Senator") that open the names of bodies too ("House of Commons").
BODY_TITLE_WORDS = frozenset({"house", "state"})


def _ends_with(name: str, tail: str) -> bool:
    """Whether a longer name ends with a shorter one that opens with no clear first name: its surnames."""
    parts, words = name.split(), tail.split()
    return (len(parts) > len(words) and gender_of(words[0]) not in ("male", "female")
            and [fold(w) for w in parts[-len(words):]] == [fold(w) for w in words])


def _post_of(ent: Span) -> bool:
    """Whether an organisation the recogniser found is a post with its portfolio: "Minister of Information and
    Culture", "Secretary of Defense" (but "Ministry of Defence" and "Office of the President" are bodies)."""
    words = [t for t in ent if t.lower_ != "the"]
    return (len(words) >= 3 and words[1].lower_ == "of" and words[0].tag_ == "NNP" and is_title_word(words[0].text)
            and fold(words[0].text) not in ORGANIZATION_HEADS | BODY_TITLE_WORDS)


#: Lower-case words inside a person's name ("Greta de Vries", "Hans van den Berg").
NAME_PARTICLES = words("name_particles")
#: The most surnames added to a name the recogniser cut short ("[José Luis] Ferrer Salgado").
MAX_SURNAMES_LEFT_OUT = 2


def _surname_left_out(ent: Span) -> int:
    """The end of a person's name where the recogniser left its surnames out ("Captain [Thomas] Richter", "[José
    Luis] Ferrer Salgado"): the untagged proper nouns the name's last word is a compound of, when none is a common,
    title or body word, and the name is a first name alone or stands in a sentence, not a headline."""
    doc = ent.doc
    end = ent.end
    if (end + 1 < len(doc) and joining_hyphen(doc[end]) and doc[end + 1].is_alpha and doc[end + 1].ent_type_ == ""
            and not is_common_word(doc[end + 1].text.capitalize())):
        return end + 2  # "[Han Duck]-soo": the rest of a hyphenated name (not "Roe-led")
    while end < len(doc) and end - ent.end < MAX_SURNAMES_LEFT_OUT:
        last, nxt = doc[end - 1], doc[end]
        if not (nxt.ent_type_ == "" and nxt.pos_ == "PROPN" and last.head.i == nxt.i and last.dep_ == "compound"
                and nxt.is_alpha and nxt.text[:1].isupper() and not nxt.text.isupper()
                and not is_common_word(nxt.text) and not is_title_word(nxt.text)
                and fold(nxt.text) not in ORGANIZATION_HEADS and not countries.country_code(nxt.text)):
            break
        end += 1
    if end == ent.end:
        return end
    if len(ent) == 1:
        return end if is_first_name(ent.text) else ent.end
    # a headline's capitalised words run on past a name ("Senator Roe Hammers Bank Chief"); a sentence has words
    # in lower case
    lower = sum(1 for t in ent.sent if t.is_lower and t.is_alpha and len(t) > 3)
    return end if lower >= 3 else ent.end


#: Last words of a body's name that say what kind of unit it is, not what body: "the police" may be named
#: "X Police Department".
GENERIC_BODY_HEADS = frozenset({"department", "service", "force", "agency", "office", "bureau", "directorate"})
#: How much more the article's setting must weigh than the next country for people it says nothing else
#: about to take it: a story between two countries (a tourist's trial abroad, one state's strike in another)
#: has people of both.
CLEAR_SETTING = 2
#: Prepositions that put something where a story happens ("in Oxfordshire", "near Toronto").
LOCATING_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "across", "around", "inside", "throughout"})
#: Last words of a body's name ("Haifa University" is no person, though Haifa is a first name).
BODY_WORDS = ORGANIZATION_HEADS | words("institution_heads")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z&]{1,6})\)\s*$")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,6}")
_NAME_SUFFIX = re.compile(r"(?:Jr|Sr|[IV]{2,3}|IV)\.?", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.I)
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "&"})


def initials(name: str) -> str:
    """The initials of a body's name, small words left out ("United States Geological Survey" -> "USGS")."""
    words = [w for w in re.split(r"[\s-]+", _LEADING_THE.sub("", name)) if w and w.lower() not in _SMALL_WORDS]
    return "".join(w[0] for w in words if w[0].isupper()) if len(words) > 1 else ""


def _place_then_name(ent: Span) -> int | None:
    """Where a place the recogniser ran into the name after it ends ("Hong Kong Carrie Lam"), else None: a
    country or place, then a first name and a capitalised word or two."""
    for k in range(max(1, len(ent) - 3), len(ent) - 1):  # the name after the place has two or three words
        rest = ent[k:]
        if not (is_first_name(rest[0].text) and all(t.is_alpha and t.text[:1].isupper() for t in rest)):
            continue  # (before the place's text is joined: few entities end in a name)
        head = ent[:k].text
        if countries.country_code(head) or place_country(head):
            return ent.start + k
    return None


class Cast:
    """The people and organisations of one document, found by name and added to as mentions are resolved."""

    def __init__(self, doc: Doc, text: str | None = None):
        self.doc = doc
        if text is not None:  # the text the Doc was made from, which Doc.text would join anew from its tokens
            self.text = text
        # token arrays, not Token objects: only untagged proper nouns can be a name the recogniser missed
        arr = doc.to_array([POS, ENT_TYPE])
        self._propn = arr[:, 0] == PROPN
        self._untagged_propn = self._propn & (arr[:, 1] == 0)
        ents = doc.ents  # read once for both: the property builds every span anew
        self.ents = corrected_entities(doc, self._untagged_full_names(ents), ents, text)
        self.ents += self._untagged_titled_names()
        self.ents += self._untagged_set_off_names()
        self.ents.sort(key=lambda e: e.start)
        self.entities: list[Entity] = []
        self.person_spans: list[tuple[Span, Entity]] = []
        self.country_ranking: list[str] = []  # countries the article names at least twice, most named first
        self.named_countries: frozenset[str] = frozenset()
        self.clear_setting = False  # the setting outweighs every other country CLEAR_SETTING times
        self._posts_named: dict[str, list[tuple[str, str]]] = {}  # post -> the places the article names it of
        self._places: dict[tuple[str, frozenset[str]], list[tuple[int, int, str]]] = {}
        self._labels: list[str] | None = None
        self._words: frozenset[str] | None = None
        self._acronyms: dict[str, str] | None = None
        self._bodies: dict[str, str] | None = None
        self._starts: tuple[list[int], list[int]] | None = None
        self._spans_by_start: tuple[list[int], list[int]] | None = None
        self._span_people: tuple[int, dict[tuple[int, int], Entity]] | None = None
        self.longest_ent = 0
        self._people: list[Entity] = []  # the named people, in the order they joined the cast
        self._word_index: dict[str, set[int]] = {}  # folded name word -> positions in _people
        self.article_country = self._article_country()
        # every full name the article gives, for telling a glued common word from a first name
        self._full_names: set[str] = set()
        self._first_names: dict[str, set[str]] = {}  # surname -> first words it is seen with
        self._person_names: dict[str, str | None] = {}
        for ent in self.ents:
            if ent.label_ == "PERSON":
                name = ent.text if text is None else text[ent.start_char:ent.end_char]  # no tokens joined
                words = clean_person_name(NAME_JUNK.sub("", name)).split()
                if len(words) > 1 and is_first_name(words[0]):
                    self._full_names.add(fold(" ".join(words)))
                    self._first_names.setdefault(fold(words[-1]), set()).add(fold(words[0]))

    def add_people(self, describe: Callable[[Span, Entity], None]) -> None:
        """Add every person the recogniser (or a title) names, in text order, calling ``describe`` on each
        name as it joins: a description may refer to a person named before it ("Putin's spokesman")."""
        for ent in self.ents:
            if ent.label_ == "PERSON":
                name = self.person_name(name_part(ent).text)
                if name and any(c.isupper() for c in name):
                    entity = self.person(name, ent.start_char)
                    self.person_spans.append((ent, entity))
                    describe(ent, entity)
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
            if i < nxt or not (tok.text[:1].isupper() and is_title_word(tok.text) and (i == 0 or not is_propn[i - 1])):
                continue
            j = i + 1
            while j < len(doc) and free[j] and doc[j].text[:1].isupper() and not is_title_word(doc[j].text):
                j += 1
            # a headline's capitalised common words ("State Department Knew …") are no name
            if (j - i > 2 and fold(doc[j - 1].text) not in ORGANIZATION_HEADS
                    and not any(countries.country_code(t.text) or is_common_word(t.text) for t in doc[i + 1:j])):
                out.append(Span(doc, i + 1, j, label="PERSON"))
            nxt = j
        return out

    def _untagged_set_off_names(self) -> list[Span]:
        """Names the recogniser missed beside a post, set off by commas ("The president of the federation, Ana
        Ruiz, said", "Dmytro Roe, the country's ombudsman, said"): two or three capitalised proper nouns, opening
        with a first name, that no entity holds, in apposition with a word for a post."""
        doc = self.doc
        out: list[Span] = []
        for i, j in self._capitalised_runs():
            if j == i or not (i == 0 or doc[i - 1].text == "," or doc[i].is_sent_start):
                continue
            last = doc[j - 1]
            after = last.dep_ == "appos" and last.head.pos_ == "NOUN" and is_title_word(last.head.text)
            before = any(c.dep_ == "appos" and c.i > j and c.pos_ == "NOUN" and is_title_word(c.text)
                         for c in last.children)
            if (2 <= j - i <= 3 and j < len(doc) and doc[j].text in (",", ")") and is_first_name(doc[i].text)
                    and (after and i > 0 and doc[i - 1].text == "," or before)
                    and not any(is_common_word(t.text) or countries.country_code(t.text) for t in doc[i + 1:j])):
                out.append(Span(doc, i, j, label="PERSON"))
        return out

    def _untagged_full_names(self, ents: Sequence[Span]) -> list[Span]:
        """Full names the recogniser missed ("Ricardo Rosselló Nevares, Puerto Rico's governor" after a dateline):
        two to four untagged capitalised proper nouns, opening with a first name, one of them a name the
        recogniser tags as a person elsewhere in the article."""
        doc = self.doc
        known = {fold(e.text) for e in ents if e.label_ in ("PERSON", "ORG") and len(e) == 1}
        out: list[Span] = []
        for i, j in self._capitalised_runs():
            if 2 <= j - i <= 4 and is_first_name(doc[i].text) and any(fold(t.text) in known for t in doc[i + 1:j]):
                out.append(Span(doc, i, j, label="PERSON"))
        return out

    def _capitalised_runs(self) -> Iterator[tuple[int, int]]:
        """(start, end) of each run of capitalised words that no entity holds, from an untagged proper noun on (the
        end the start where the noun itself is no such word)."""
        doc = self.doc
        # only the untagged proper nouns can open a name: visit them, not every word (and index a list, not the
        # numpy array, whose every item is a numpy scalar)
        free = self._untagged_propn.tolist()
        nxt = 0
        for i in numpy.flatnonzero(self._untagged_propn).tolist():
            if i < nxt:
                continue
            j = i
            while j < len(free) and free[j] and doc[j].is_alpha and doc[j].text[:1].isupper():
                j += 1
            nxt = max(j, i + 1)
            yield i, j

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

    def person_name(self, text: str) -> str | None:
        """A person's name from the words the recogniser tagged, or None when they cannot be one
        ("Trump v. Trump", "Pro-Clinton"): titles, brackets, stray dashes and glued common words dropped."""
        # once per wording: a person is named the same way many times, and the answer rests only on the text
        # and the full names the cast read when it was made
        if text not in self._person_names:
            self._person_names[text] = self._person_name(text)
        return self._person_names[text]

    def _person_name(self, text: str) -> str | None:
        text = NAME_JUNK.sub("", text)
        if CASE_NAME.search(text):
            return None
        words = clean_person_name(text).split()
        while words and not words[0][:1].isalnum():
            words[0] = re.sub(r"^[\W_]+", "", words[0])  # "- Rubio", "-Craig Fehrman", "_x"
            if not words[0]:
                words.pop(0)
        if not words or re.match(r"(?i)(?:pro|anti|non)-", words[0]):
            return None
        if len(words) > 1 and is_cue_form(words[0]):
            words.pop(0)  # "Continued Roe:" read as one name
        while len(words) > 1 and self._glued_word(words):
            words.pop(0)  # "Fascist Trump", "Billionaire Donald Trump"
            words = clean_person_name(" ".join(words)).split()
        return " ".join(words) or None

    def _glued_word(self, words: list[str]) -> bool:
        """Whether a name's first word is a common word the recogniser swept in rather than a first name:
        the rest is a full name, or the surname of someone the article names with a first name."""
        first, rest = words[0], words[1:]
        if is_first_name(first) or not is_common_word(first):
            return False
        if len(rest) > 1 and is_first_name(rest[0]):
            return True
        if fold(" ".join(rest)) in self._full_names:
            return True
        return len(rest) == 1 and bool(self._first_names.get(fold(rest[0]), set()) - {fold(first)})

    def person(self, name: str, at: int) -> Entity:
        """The person of that name (the latest one it fits), added to the cast when new."""
        words = name.split()
        key = fold(words[-1])
        best = None
        candidates = self._people_sharing(words)  # only people with a word of the name can be it
        for e in candidates:
            if e.surname == key or any(fold(n) == fold(name) for n in e.names):
                if len(words) > 1:
                    full = [n for n in e.names if len(n.split()) > 1]
                    # a different first name is a different person; a name opening with no clear first name may
                    # be the surnames a longer name ends with ("Robles Quintero" of "Ana María Robles Quintero")
                    if full and not any(fold(n.split()[0]) == fold(words[0]) or len(n.split()[0]) <= 2
                                        or _ends_with(n, name) or _ends_with(name, n) for n in full):
                        continue
                    if any(not middles_agree(name, n) for n in full):
                        continue  # George W. is not George H. W.
                if best is None or e.last_seen > best.last_seen:
                    best = e
            elif len(words) == 1 and any(fold(n.split()[0]) == key for n in e.names if len(n.split()) > 1):
                if best is None:
                    best = e
        if best is None and len(words) == 1:
            # "Rosselló" for "Ricardo Rosselló Nevares": a first surname, where two are given
            best = next((e for e in reversed(candidates) if any(
                key in map(fold, n.split()[1:-1]) for n in e.names if len(n.split()) > 2)), None)
        if best is None:
            best = Entity("person")
            self.entities.append(best)
            self._people.append(best)
        if name not in best.names:
            best.names.append(name)
            position = self._people.index(best) if best is not self._people[-1] else len(self._people) - 1
            for word in words:
                self._word_index.setdefault(fold(word), set()).add(position)
        best.last_seen = max(best.last_seen, at)
        return best

    def person_at(self, start: int, end: int) -> Entity | None:
        """The person the cast met as the name at tokens ``start``:``end``, if it did (the first such)."""
        if self._span_people is None or self._span_people[0] != len(self.person_spans):
            found: dict[tuple[int, int], Entity] = {}
            for span, entity in self.person_spans:
                found.setdefault((span.start, span.end), entity)
            self._span_people = (len(self.person_spans), found)
        return self._span_people[1].get((start, end))

    def people_of_surname(self, word: str) -> list[Entity]:
        """The named people whose surname ``word`` is, in the order they joined the cast."""
        key = fold(word)
        return [e for e in self._people_sharing([word]) if e.surname == key]

    def names_opening_with(self, word: str) -> bool:
        """Whether a named person's full name opens with ``word`` ("Yoon" of "Yoon Suk Yeol", surname first)."""
        key = fold(word)
        return any(len(n.split()) > 1 and fold(n.split()[0]) == key for e in self._people_sharing([word])
                   for n in e.names)

    def _people_sharing(self, words: list[str]) -> list[Entity]:
        """The named people of the cast with one of ``words`` in a name, in the order they joined it."""
        found: set[int] = set()
        for word in words:
            found |= self._word_index.get(fold(word), set())
        return [self._people[i] for i in sorted(found)]

    def organization(self, name: str, at: int, country: str | None = None) -> Entity:
        """The body of that name (or of its acronym's full name), added to the cast when new."""
        full, short = self.full_name(name), self.acronym_of(name)
        keys = {fold(n) for n in (full, short) if n}
        for e in self.entities:
            if e.kind == "organization" and any(fold(n) in keys for n in e.names):
                e.last_seen = max(e.last_seen, at)
                if short and short not in e.names:
                    e.names.append(short)
                return e
        e = Entity("organization", [full] + ([short] if short else []))
        name = full
        e.set_country(country or countries.organization_country(name), "stated")
        e.set_country(self.place_country(name), "place")
        e.set_country(self._described_bodies().get(fold(name)), "stated")  # "the Kenyan charity X", "X, a Kenyan NGO"
        self.entities.append(e)
        e.last_seen = at
        return e

    def named_body(self, head_word: str, before: int, labels: Collection[str] = ("ORG",)) -> tuple[str, str | None] | None:
        """The body of a kind ("party", "court", "palace") the article names most before offset ``before`` (the
        latest among equals), with the country a phrase after it gives ("the Court of Session in Scotland")."""
        seen: dict[str, list] = {}  # folded name -> [mentions, last offset, name, country]
        for ent in self.ents:
            if ent.label_ not in labels or ent.start_char >= before:
                continue
            root = fold(ent.root.text)
            if root != head_word and not (root in GENERIC_BODY_HEADS and head_word in {fold(t.text) for t in ent}):
                continue  # "the police": "Essex Police", "the Dover Police Department"
            name = body_name(ent.text)
            if countries.supranational(name) or not name[:1].isupper():
                continue
            entry = seen.setdefault(fold(name), [0, 0, name, None])
            entry[0] += 1
            entry[1] = ent.start_char
            after = self.doc[ent.end:ent.end + 2]
            if entry[3] is None and len(after) == 2 and after[0].lower_ in ("in", "of"):
                entry[3] = countries.country_code(after[1].text)
        if not seen:
            return None
        _, _, name, where = max(seen.values(), key=lambda v: (v[0], v[1]))
        return name, where

    def full_name(self, name: str) -> str:
        """A body's name without its acronym, or in full for an acronym the article spells out: "the Syrian
        Democratic Forces (SDF)" and "SDF" give "Syrian Democratic Forces"."""
        bare = _LEADING_THE.sub("", _ACRONYM_AFTER.sub("", name).strip())
        return self.acronyms().get(bare, bare)

    def acronym_of(self, name: str) -> str | None:
        """The acronym the article gives a body's name, if any."""
        found = _ACRONYM_AFTER.search(name)
        if found:
            return found.group(1)
        full = self.full_name(name)
        return next((short for short, long in self.acronyms().items() if long == full), None)

    def acronyms(self) -> dict[str, str]:
        """Acronym -> full name, as the article defines them: "the National Crime Agency (NCA)", or a body
        named in full and by its initials ("United States Geological Survey" ... "USGS")."""
        if self._acronyms is None:
            self._acronyms = {}
            bodies = [e for e in self.ents if e.label_ in ("ORG", "FAC")]  # countries have their own table
            doc = self.doc
            for ent in bodies:
                # "the National Crime Agency (NCA)": the acronym in brackets right after the name
                short = doc[ent.end + 1] if ent.end + 2 < len(doc) and len(ent) > 1 else None
                if short is not None and doc[ent.end].text == "(" and doc[ent.end + 2].text == ")" \
                        and _ACRONYM.fullmatch(short.text):
                    self._acronyms.setdefault(short.text, _LEADING_THE.sub("", ent.text))
            texts = [ent.text for ent in bodies]  # Span.text joins its tokens anew on each reading
            by_initials: dict[str, str] = {}
            for short in texts:
                by_initials.setdefault(initials(short), _LEADING_THE.sub("", short))
            for ent, short in zip(bodies, texts):
                if len(ent) == 1 and short.isupper() and 2 <= len(short) <= 6 and short not in self._acronyms:
                    if short in by_initials:
                        self._acronyms[short] = by_initials[short]
        return self._acronyms

    def person_spans_before(self, at: int) -> Iterator[tuple[Span, Entity]]:
        """The names of people that start before character ``at``, the latest first (in the order the cast
        met them where two start together)."""
        if self._spans_by_start is None or len(self._spans_by_start[1]) != len(self.person_spans):
            ranked = sorted(range(len(self.person_spans)), key=lambda k: (self.person_spans[k][0].start_char, -k))
            self._spans_by_start = ([self.person_spans[k][0].start_char for k in ranked], ranked)
        starts, ranked = self._spans_by_start
        for k in reversed(ranked[:bisect_left(starts, at)]):
            yield self.person_spans[k]

    def ents_starting(self, lo: int, hi: int) -> list[Span]:
        """The entities that start at tokens ``lo`` to ``hi - 1``, in the cast's order."""
        if self._starts is None:
            order = sorted(range(len(self.ents)), key=lambda k: self.ents[k].start)
            self._starts = ([self.ents[k].start for k in order], order)
            self.longest_ent = max((len(e) for e in self.ents), default=0)
        starts, order = self._starts
        found = order[bisect_left(starts, lo):bisect_left(starts, hi)]
        return [self.ents[k] for k in sorted(found)]

    def ents_around(self, i: int) -> list[Span]:
        """The entities that hold token ``i``, in the cast's order."""
        self.ents_starting(0, 0)  # the index, and the longest entity's length
        return [e for e in self.ents_starting(i - self.longest_ent + 1, i + 1) if e.end > i]

    def label(self, i: int) -> str:
        """The corrected entity label of token ``i`` ("" outside every entity)."""
        if self._labels is None:
            self._labels = [""] * len(self.doc)
            for ent in self.ents:
                for j in range(ent.start, ent.end):
                    self._labels[j] = ent.label_
        return self._labels[i]

    def mentions(self, word: str) -> bool:
        """Whether the article has ``word`` (any case)."""
        if self._words is None:
            self._words = frozenset(t.lower_ for t in self.doc)
        return word.lower() in self._words

    def body_starting(self, short: str) -> str | None:
        """The one body the article names in full whose name starts with ``short`` and ends in a body's head
        word ("Saint Mary" -> "Saint Mary Hospital"), else None."""
        short = fold(strip_possessive(short.strip()))
        if not short:
            return None
        found = {body_name(ent.text) for ent in self.ents
                 if fold(ent.text).startswith(short + " ") and fold(ent[-1].text) in BODY_WORDS}
        return found.pop() if len(found) == 1 else None

    def post_place(self, post: str, country: str | None) -> str | None:
        """The one place (not a country) the article names a ``post`` of: "the governor of X", "X's governor",
        "X regional governor"; None when it names none, or several, or one outside ``country``."""
        found = set()
        for name, code in self._post_places(post):
            if country is None or code == country:
                found.add(name)
        return found.pop() if len(found) == 1 else None

    def _post_places(self, post: str) -> list[tuple[str, str]]:
        """(place, country) for each place the article names a ``post`` of, read from its text once per post:
        a long document's text is costly to build and to scan for every official who holds one."""
        if post not in self._posts_named:
            places = []
            # the patterns are tried only around the post's word: a long text is scanned once, by str.find
            text, low, word = self.text, self.text.casefold(), post.casefold()
            found = []
            at = low.find(word)
            while at >= 0:
                found.append((at, at + len(word)))
                at = low.find(word, at + 1)
            for lo, hi in windows(found, POST_WINDOW, len(text)):
                for pattern in _post_patterns(post):
                    for match in pattern.finditer(text, lo, hi):
                        name = match.group("place")
                        places += [(name[s:e], code) for s, e, code in self.places(name)]
            self._posts_named[post] = places
        return self._posts_named[post]

    def _dateline_countries(self) -> list[str]:
        """The countries of the places a dateline opening one of the first paragraphs names ("BEIJING/SYDNEY —")."""
        text = self.text
        for lo, hi in itertools.islice(paragraphs(text), DATELINE_PARAGRAPHS):
            m = DATELINE.match(text, lo, hi)
            if m is None:
                continue
            names = m.group().split("(")[0].split(",")[0].strip(" —–-")  # "RENO, Nev. (AP) —": Reno
            found = [countries.country_code(name) or place_country(name)
                     for name in (n.strip().title() for n in names.split("/"))]
            return [code for code in found if code]
        return []

    def places(self, text: str) -> list[tuple[int, int, str]]:
        """``find_places`` in this article's context, once per text: the same names and descriptions come back
        for every mention of a person, and their scans are the cost."""
        key = (text, self.named_countries)
        found = self._places.get(key)
        if found is None:
            found = self._places[key] = list(find_places(text, self.named_countries))
        return found

    @cached_property
    def text(self) -> str:
        """The document's text (``Doc.text`` joins every token anew on each reading)."""
        return self.doc.text

    def place_country(self, text: str) -> str | None:
        """The country of the first place (city, state, region) named in ``text``, in this article's context."""
        return next((code for _, _, code in self.places(text)), None)

    def body_country(self, name: str) -> str | None:
        """An organisation's country from its name (a country word, else a place: "El Paso Police"), else from
        how the article describes it ("Justice Now, a Lagos-based rights group")."""
        return (countries.organization_country(name) or self.place_country(name)
                or self._described_bodies().get(fold(self.full_name(name))))

    def _described_bodies(self) -> dict[str, str]:
        """Folded body name -> the country its apposition gives ("X, a Lagos-based group", "X, a Kenyan NGO",
        "the Kenyan charity X")."""
        if self._bodies is None:
            self._bodies = {}
            for ent in self.ents:
                if ent.label_ != "ORG":
                    continue
                asides = [c for c in ent.root.children if c.dep_ == "appos" and c.i >= ent.end]
                root = ent.root
                if root.dep_ == "appos" and root.head.i < ent.start and fold(root.head.text) in ORGANIZATION_HEADS:
                    asides.append(root.head)  # the body word the name stands beside: its own modifiers only
                for aside in asides:
                    last = aside.right_edge.i if aside.i >= ent.end else aside.i
                    text = self.doc[aside.left_edge.i:last + 1].text
                    code = next((c for _, _, c in countries.find_countries(text)), None) or self.place_country(text)
                    if code:
                        self._bodies.setdefault(fold(self.full_name(body_name(ent.text))), code)
        return self._bodies

    def _article_country(self) -> str | None:
        """The country the article is set in: of those it names at least twice, the one its country words and
        places (cities, states) weigh most, places where things happen ("in Oxfordshire") double and seats of
        power ("the White House said") not at all, as they act rather than set the scene; a tie goes to the
        one the story names first. Sets ``named_countries`` (every country the article names, the context that
        settles ambiguous places), ``country_ranking`` (those named twice or more, most named first) and
        ``clear_setting``."""
        counts: dict[str, int] = {}
        weights: dict[str, int] = {}
        first: dict[str, int] = {}
        place_ents = []

        def count(code: str, ent: Span) -> None:
            counts[code] = counts.get(code, 0) + 1
            located = ent.start > 0 and self.doc[ent.start - 1].lower_ in LOCATING_PREPOSITIONS
            weights[code] = weights.get(code, 0) + (0 if countries.is_metonym(ent.text) else 2 if located else 1)
            first.setdefault(code, ent.start)

        for ent in self.ents:
            if ent.label_ in ("GPE", "NORP"):
                code = countries.country_code(strip_possessive(ent.text))
                if code:
                    count(code, ent)
                    continue
            if ent.label_ in ("GPE", "LOC", "FAC"):
                place_ents.append(ent)
        for code in self._dateline_countries():  # "NAIROBI —": where the story was filed, often tagged a body
            counts[code] = counts.get(code, 0) + 1
            weights[code] = weights.get(code, 0) + 2
            first.setdefault(code, 0)
        self.named_countries = frozenset(counts)
        for ent in place_ents:
            for _, _, code in self.places(ent.text):
                count(code, ent)
        if not counts:
            return None
        self.country_ranking = [c for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]])) if n >= 2]
        setting = sorted(self.country_ranking, key=lambda c: (-weights[c], first[c]))
        if not setting:
            return None
        self.clear_setting = len(setting) == 1 or weights[setting[0]] >= CLEAR_SETTING * weights[setting[1]]
        return setting[0]


#: How far around a post's word ("governor") its patterns look for the place named with it.
POST_WINDOW = 120
#: How many of an article's first paragraphs may open with its dateline (a headline and a subtitle before it).
DATELINE_PARAGRAPHS = 3


_PLACE_NAME = r"(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"


@cache
def _post_patterns(post: str) -> tuple[re.Pattern[str], ...]:
    """How news names a post with its place: "governor of X", "X's governor", "X (regional) governor"."""
    word = f"(?i:{re.escape(post)})"
    return (re.compile(rf"\b{word}\s+of\s+(?:the\s+)?{_PLACE_NAME}"),
            re.compile(rf"{_PLACE_NAME}(?:['’]s)?\s+(?:(?i:regional|state|provincial|city)\s+)?(?:(?i:deputy)\s+)?{word}\b"))

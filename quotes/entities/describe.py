"""What each speaker is: title, organisation and country, from how the article describes them.

Premodifiers ("German Foreign Minister X"), appositions ("X, an adviser to …"), postmodifiers ("X of the
University of Y") and predicates ("X is a Turkish national") give a person's title, organisation and country;
a breakaway region's bodies are named for the region; a named person with no country of their own gets the
article's, flagged as inferred.
"""
from __future__ import annotations

import re
from functools import cached_property

from spacy.tokens import Span, Token

from quotes.entities import countries
from quotes.extraction.lexicon import ORGANIZATION_HEADS, PERSON_TITLES, TITLE_ABBREVIATIONS, phrases, words
from quotes.records import Speaker

from .bodies import place_titles, title_body, title_word
from .cast import BODY_WORDS, Cast, Entity
from .names import DETERMINERS, body_name, fold, is_common_word, is_people_word, is_title_word, strip_possessive

GOVERNMENT_TITLES = phrases("government_titles")
HONORIFICS = words("honorifics")
PORTFOLIO_TITLES = words("portfolio_titles")
#: Countries whose every official works for their government: the Vatican's for the Holy See.
SEE_COUNTRIES = frozenset({"VA"})

SOURCE_WORDS = frozenset({"source", "sources"})
#: Titles of someone who always speaks for a body ("spokesman X" with no body named speaks for the one just named).
SPOKESPERSON_TITLES = frozenset({"spokesman", "spokeswoman", "spokesperson"})
#: Titles that, bare ("Chief executive X said"), speak for the body the story just named, as a spokesperson does.
BODY_HEAD_TITLES = SPOKESPERSON_TITLES | phrases("body_head_titles")
_PLACE_OR_BODY = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})
NATIONAL_TITLES = phrases("national_titles")
KINSHIP_NOUNS = words("kinship_nouns")
BE_FORMS = frozenset({"is", "was", "are", "were", "be", "been", "being", "'s", "’s"})
ENVOY_TITLES = words("envoy_titles")
_POSSESSIVE_INSIDE = re.compile(r"(?:'s|’s|'|’)\s")
BREAKAWAY_WORDS = phrases("breakaway_words")
REGION_NOUNS = words("region_nouns")
BREAKAWAY_BODIES = words("breakaway_bodies")
_BREAKAWAY = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w).replace(r"\-", r"\s*-\s*").replace(r"\ ", r"\s+")
                                                    for w in sorted(BREAKAWAY_WORDS)) + r")(?![\w-])", re.I)


class Describer:
    """Titles, organisations and countries of the cast's entities, and their records.Speaker."""

    def __init__(self, cast: Cast):
        self.cast = cast
        self.doc = cast.doc

    @cached_property
    def breakaway_region(self) -> str | None:
        """The region, not a country, that the article names under a region noun most often ("the breakaway
        region of X", "the X enclave"): where its "unrecognized government" or "separatist authorities" sit."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        marked: dict[str, int] = {}  # 2: under a breakaway word, 1: under a region noun
        for ent in self.cast.ents:
            if ent.label_ in ("PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
                continue
            name = body_name(ent.text)
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

    def describe_person(self, ent: Span, entity: Entity) -> None:
        """Read what the words around a person's name say of them into ``entity``."""
        doc = self.doc
        root = ent.root
        children = list(root.children)  # read three times below, and made anew on each reading
        pieces: list[Span] = []
        # premodifiers: "German Foreign Minister Annalena Baerbock", "U.S. Secretary of State Antony Blinken"
        left = root.left_edge.i
        if (root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.i < root.head.i
                and fold(root.head.head.text) in ENVOY_TITLES and ent.start > 0
                and doc[ent.start - 1].ent_type_ in ("ORG", "GPE") and doc[ent.start - 1].i > root.head.i):
            # "Ambassador to the United Nations Nikki Haley", parsed as "to … Haley" (but "adviser to
            # President Obama" is about someone else)
            left = root.head.head.left_edge.i
        elif (root.dep_ == "pobj" and root.head.lower_ in ("of", "for") and root.head.head.i < root.head.i
              and is_title_word(root.head.head.text) and ent.start > 0
              and self.cast.label(ent.start - 1) in ("GPE", "LOC") and doc[ent.start - 1].i > root.head.i):
            # "Chief Executive of Hong Kong Carrie Lam", parsed as "of … Lam"
            left = root.head.head.left_edge.i
        lo = max(left, ent.start - 8)
        i = ent.start - 1
        while i >= lo:
            t = doc[i]
            if (t.text == ")" and i - 2 >= max(left, ent.start - 11) and doc[i - 2].text == "("
                    and doc[i - 1].text.isupper()):
                lo = max(left, lo - 3)  # "Space Research Organisation (ISRO) chairman": the acronym is an aside
                i -= 3
                continue
            if t.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ") or t.text in (",", ";", ":", "(", ")", "“", "”", '"') \
                    or (self.cast.label(t.i) == "PERSON" and t.i < ent.start):
                lo = i + 1
                break
            i -= 1
        while lo < ent.start and doc[lo].pos_ in ("DET", "ADP", "PUNCT"):
            lo += 1
        if lo < ent.start:
            pieces.append(doc[lo:ent.start])
        before = self._set_off_before(ent)
        if before is not None:
            pieces.append(before)
        # appositions: "Hikmet Hajiyev, a foreign policy adviser to …"
        asides: list[Span] = []
        for child in children:
            if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):  # not a misparsed clause
                sub = list(child.subtree)
                span = doc[sub[0].i: sub[-1].i + 1]
                if asides and asides[-1].end == span.start and not doc[span.start - 1].whitespace_:
                    span = doc[asides.pop().start:span.end]  # "vice-president" parsed as three appositions
                asides.append(span)
        pieces += [span for span in asides if len(span) <= 20 and '"' not in span.text and "“" not in span.text]
        # postmodifiers: "President Hassan Rouhani of Iran", "Steve Peers of the University of Essex", and a
        # named place of work ("Dr. Roe at St Mary's Hospital"; not "Roe at the time")
        for child in children:
            if child.dep_ == "prep" and child.i >= ent.end and (child.lower_ in ("of", "from") or (
                    child.lower_ == "at" and any(self.cast.label(g.i) in ("ORG", "FAC", "GPE")
                                                 for g in child.children if g.dep_ == "pobj"))):
                sub = list(child.subtree)
                if len(sub) <= 10:
                    pieces.append(doc[child.i + 1: sub[-1].i + 1])
        if root.dep_ == "appos" and root.head.i < ent.start:
            head = root.head
            sub = [t for t in head.subtree if t.i < ent.start and t.i >= head.left_edge.i]
            while sub and sub[0].dep_ in ("preconj", "predet", "det"):
                sub = sub[1:]  # "both President X and Y": "both" is no part of a post
            # "calling it “a sham”, X …": a quoted word is what X called it, not X's post
            quoted = head.i + 1 < len(doc) and doc[head.i + 1].is_quote
            # a title the tagger took for a name counts too ("Kenya's Trade Minister, X,")
            if sub and (head.pos_ == "NOUN" or head.pos_ == "PROPN" and is_title_word(head.text)) and not quoted:
                span = doc[sub[0].i: head.i + 1]
                if len(span) <= 12:
                    pieces.append(span)
                # what follows the head up to the name ("the head physician of the center, X") may name the body
                tail = doc[head.i + 1:sub[-1].i + 1 if doc[sub[-1].i].text != "," else sub[-1].i]
                if 0 < len(tail) <= 16 and any(t.lower_ in ("of", "at") for t in tail):
                    org = self._body_named_before(tail)
                    if org and entity.organization is None:
                        entity.organization = org
        for span in pieces:
            self._apply_descriptor(span, entity)
        if entity.organization is None:
            entity.organization = self._body_at(root, ent)
            if entity.organization is not None and entity.country is None:
                entity.set_country(self.cast.body_country(entity.organization), "organisation")
        if entity.title is None:
            entity.title = _title_in_name(ent)
        if entity.organization is None:
            entity.organization = self._own_body(root) or self._own_party(root)
        # "X is a Turkish national", "X, who was Trump's envoy": the predicate's own noun phrase, for the
        # country only (a predicate is too loose for a title: "X is a fan")
        verbs = [root.head] if root.dep_ in ("nsubj", "nsubjpass") and root.head.lower_ in BE_FORMS else []
        verbs += [c for c in children if c.dep_ == "relcl" and c.lower_ in BE_FORMS]
        who = next((t for t in doc[ent.end:ent.end + 2] if t.lower_ == "who"), None)
        if who is not None and who.head.dep_ == "relcl" and who.head.lower_ in BE_FORMS and who.head not in verbs:
            verbs.append(who.head)  # "… with Mike Pompeo who is the secretary of state", hung on another noun
        for verb in verbs:
            for attr in (c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")):
                span = doc[attr.left_edge.i:attr.i + 1]
                if 0 < len(span) <= 8 and not any(t.ent_type_ == "PERSON" and t.i >= ent.start and t.i < ent.end
                                                  for t in span):
                    # "X, who is the secretary of state": a post, in full; "X is a Turkish fan": a country only
                    post = attr.dep_ == "attr" and verb.dep_ == "relcl" and is_title_word(attr.text)
                    if post:
                        span = doc[attr.left_edge.i:attr.right_edge.i + 1]
                    self._apply_descriptor(span, entity, country_only=not post)

    def _body_at(self, root: Token, ent: Span) -> str | None:
        """The body a short name after "at" stands for, when the article names one body in full that starts
        with it ("Dr. X at Saint Mary", with "Saint Mary Hospital" named before)."""
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ == "at" and child.i >= ent.end:
                objects = [g for g in child.children if g.dep_ == "pobj" and g.pos_ == "PROPN"]
                if objects:
                    sub = list(objects[0].subtree)
                    return self.cast.body_starting(self.doc[sub[0].i:sub[-1].i + 1].text)
        return None

    def _apply_descriptor(self, span: Span, entity: Entity, country_only: bool = False) -> None:
        text = span.text.strip(" ,")
        if not text or text in entity.descriptors:
            return
        if country_only:
            entity.set_country(*self._descriptor_country(span, text, self._owner(span)))
            return
        entity.descriptors.append(text)
        org = None
        owner = self._owner(span)
        # an organisation may run on past the descriptor ("… Relations’ Wider Europe program")
        self.cast.ents_starting(0, 0)  # (the index behind longest_ent)
        for ent in (e for e in self.cast.ents_starting(span.start - self.cast.longest_ent + 1, span.end)
                    if e.end > span.start):
            if ent.label_ == "ORG" and _title_of(ent):
                continue  # "Secretary of State Antony Blinken": a title, not an organisation
            if ent.label_ == "ORG" and _portfolio(ent):
                continue  # "Health Minister X": the minister's portfolio, not a body
            if ent.label_ == "ORG" and len(ent) == 1 and fold(ent.text) in KIND_WORDS:
                continue  # "Party chairman X": the kind of body, which _kind_before_title finds
            if ent.label_ == "ORG" and _only_a_post(list(ent)):
                continue  # "Detective Inspector" tagged as a body: a title
            if owner is not None and fold(strip_possessive(ent.text)) in {fold(n) for n in owner.names} | {owner.surname}:
                continue  # "Roe's chief of staff" with "Roe's" tagged as a body: the post is in Roe's office
            if (ent.label_ == "ORG" and len(ent) == 1 and ent.end == span.end and ent.end < len(self.doc)
                    and self.doc[ent.end].ent_type_ == "PERSON"):
                continue  # one word glued to the name ("archbishop Monsenor X"): an honorific, not a body
            before = [t for t in self.doc[max(0, ent.start - 3):ent.start] if t.lower_ != "the"]
            if len(before) >= 2 and before[-1].lower_ == "to" and fold(before[-2].text) in ENVOY_TITLES:
                continue  # "Ambassador to the United Nations": where they are sent, not whom they serve
            if ent.label_ in ("ORG",) and ent.text:
                # "the European Council on Foreign Relations’ Wider Europe programme": the body is the owner
                name = body_name(_POSSESSIVE_INSIDE.split(ent.text, 1)[0])
                org = countries.supranational(name) or self.cast.full_name(name)  # "USGS": in full where the article spells it out
                break
        if org is None:  # "its spokeswoman": the body the sentence before is about
            org = self._its_body(span)
        if org is None:  # "chief executive of the palace": the palace the article named
            org = self._body_named_before(span)
        if org is None:  # "president of the Spanish tennis federation": a body described, not named
            org = _body_described(span)
        if org is None:  # "X of RGS": an acronym the article spelt out, whatever the recogniser made of it
            org = next((self.cast.acronyms()[t.text] for t in span if t.text in self.cast.acronyms()), None)
        if org is None:
            for tok in span:
                if tok.dep_ == "poss" and fold(tok.text) in ORGANIZATION_HEADS:
                    # "the unrecognized government's foreign minister"
                    words = [t for t in tok.subtree if t.dep_ != "case" and t.lower_ not in DETERMINERS]
                    if words:
                        phrase = self.doc[words[0].i:words[-1].i + 1].text
                        org = self._breakaway_body(phrase)
                        if org == phrase and phrase.islower():  # "the union's general secretary": the union named
                            named = self.cast.named_body(fold(tok.text), tok.idx)
                            # else "the company's president": the body named just before, whatever its name says
                            org = named[0] if named else self._body_before(tok) or org
                    break
        for tok in span if org is None else ():
            if fold(tok.text) in BREAKAWAY_BODIES and tok.pos_ == "NOUN":
                # "foreign minister of the unrecognized government": a breakaway region's body
                words = [t for t in self.doc[tok.left_edge.i:tok.i + 1] if t.lower_ not in DETERMINERS]
                phrase = self.doc[words[0].i:tok.i + 1].text if words else ""
                named = self._breakaway_body(phrase)
                if named != phrase:
                    org = named
                    break
        title = self._title_from(span)
        post = _polity_post(text)
        if post is not None:  # "Chief Executive of Hong Kong", "the Secretary of Justice for Puerto Rico"
            title, code = post
            org = org or countries.government_name(code)
        if org is None:  # "Connecticut Governor X", "the El Paso mayor", "Pope Francis"
            org = title_body(title or entity.title, place=self._place_name(text))
        if org is None and owner is not None:
            org = owner.organization  # "the governor's chief of staff" works for the governor's government
        if org is None:
            org = self._served_government(span)  # "an adviser to Ruritanian President X"
        if org is None and not _holds_office(title):
            org = self._named_before_title(span)  # "Wynnum coach X", "ABS-CBN CEO X": the club, the company
        if org is None and not _holds_office(title):
            org = self._kind_before_title(span)  # "union spokesman X": the union the article named
        if (org is None and title and fold(title) in BODY_HEAD_TITLES and fold(text) == fold(title)
                and not (span.start > 0 and self.cast.label(span.start - 1) in ("PERSON", "ORG", "GPE", "NORP"))):
            # "The State Department called for an inquiry. “…,” spokesman X said": a spokesperson speaks for a
            # body, and one described by the bare title ("Stein spokeswoman" is Stein's) for the one just named
            org = self._body_before(span.root)
        code, source = self._descriptor_country(span, text, owner)
        if org and code is None:
            code, source = self.cast.body_country(org), "organisation"
        if title and entity.title is None:
            entity.title = title
        if org and entity.organization is None:
            entity.organization = org
        entity.set_country(code, source)
        if entity.organization is None and entity.country and _holds_office(entity.title):
            entity.organization = countries.government_name(entity.country)

    def _place_name(self, text: str) -> str | None:
        """The first city, state or region (not a country) a description names."""
        for start, end, _ in self.cast.places(text):
            return text[start:end]
        return None

    def _its_body(self, span: Span) -> str | None:
        """The body "its spokeswoman" or "their lawyer" belongs to: the latest named body before, in the same or
        the previous sentence."""
        head = span.root
        if fold(head.text) not in PERSON_TITLES or not any(
                c.dep_ == "poss" and c.lower_ in ("its", "their") for c in head.children):
            return None
        return self._body_before(head)

    def _body_before(self, tok: Token) -> str | None:
        """The latest body named before ``tok``, in its sentence or the one before; else one described there as a
        clause's subject ("The Ruritanian foreign ministry said …. Its minister of state, X, …")."""
        start = _sentence_before(tok)
        bodies = [e for e in self.cast.ents if e.label_ == "ORG" and start <= e.start and e.end <= tok.i]
        if bodies:
            return self.cast.full_name(body_name(bodies[-1].text))
        for noun in reversed(self.doc[start:tok.i]):
            if (noun.dep_ in ("nsubj", "nsubjpass") and (noun.pos_ == "NOUN" or noun.is_lower)
                    and fold(noun.text) in ORGANIZATION_HEADS):
                words = [t for t in self.doc[noun.left_edge.i:noun.i + 1] if t.lower_ not in DETERMINERS]
                if len(words) >= 2 and not any(t.pos_ == "PRON" or t.is_punct for t in words):
                    return " ".join(t.text for t in words)  # a named owner in it gives its country
        return None

    def _served_government(self, span: Span) -> str | None:
        """The government of the official a person serves, by how the description names that official:
        "an adviser to Ruritanian President X" works for the Ruritanian government."""
        head = span.root
        if fold(head.text) not in PERSON_TITLES:
            return None
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "to"):
            for served in (g for g in prep.children if g.dep_ == "pobj" and self.cast.label(g.i) == "PERSON"):
                before = self.doc[served.left_edge.i:served.i]
                found = countries.find_countries(before.text)
                if found and _holds_office(before.text) and not countries.supranational(before.text):
                    return countries.government_name(found[0][2])
        return None

    def _body_named_before(self, span: Span) -> str | None:
        """The body "the palace", "the center" stands for in a description ("head of the center"): the one of
        that kind the article named before."""
        for tok in span:
            word = fold(tok.text)
            if (tok.pos_ == "NOUN" and word in BODY_WORDS and tok.dep_ == "pobj"
                    and any(c.lower_ == "the" for c in tok.children)):
                found = self.cast.named_body(word, span.start_char, labels=("ORG", "FAC"))
                if found is not None:
                    return self.cast.full_name(found[0])
        return None

    def _own_body(self, root: Token) -> str | None:
        """A body the person's own sentence calls theirs: "Roe said his Labour Party was ready"."""
        if root.dep_ not in ("nsubj", "nsubjpass"):
            return None
        verb = root.head
        for body in self.cast.ents_starting(verb.left_edge.i, verb.right_edge.i + 1):
            if (body.label_ == "ORG" and body.end <= verb.right_edge.i + 1
                    and body.start > root.i and any(c.dep_ == "poss" and c.lower_ in ("his", "her")
                                                    for c in body.root.children)
                    and countries.organization_kind(body.text) in ("party", "company", "other", "ngo")):
                return self.cast.full_name(body_name(body.text))
        return None

    def _own_party(self, root: Token) -> str | None:
        """The party a person's name is the possessor of ("Jane Roe's Party for Renewal (PfR) won"): theirs."""
        head = root.head
        if root.dep_ != "poss" or fold(head.text) != "party" or not head.text[:1].isupper():
            return None
        end = head.right_edge.i + 1
        bracket = next((t.i for t in self.doc[head.i:end] if t.text == "("), end)  # the acronym after it aside
        name = self.doc[head.i:bracket]
        return name.text if name and not any(t.is_punct for t in name) else None

    def _set_off_before(self, ent: Span) -> Span | None:
        """A description set off by commas just before a name that the parser did not hang on it: "according to
        the El Paso mayor, Dee Margo, …", "a university expert and former official, Avinoam Idan, said"."""
        doc = self.doc
        if ent.start < 2 or doc[ent.start - 1].text != "," or ent.end >= len(doc) or doc[ent.end].text not in (",", ")"):
            return None
        head = doc[ent.start - 2]
        while head.head.i < ent.start - 1 and head.head.i != head.i:
            up = head.head
            if up.pos_ == "ADP" and up.head.pos_ in ("NOUN", "PROPN") and up.head.i < up.i:
                up = up.head  # "the director of Argentina's Amnesty International, X": the director
            elif up.pos_ not in ("NOUN", "PROPN"):
                break
            head = up
        owned = head.tag_ == "NN" and any(c.dep_ == "poss" and self.cast.label(c.i) in ("ORG", "GPE") for c in head.children)
        if head.pos_ != "NOUN" or not (is_title_word(head.text) or is_people_word(head.text) or owned):
            return None
        first = head.head if head.dep_ == "conj" and head.head.i < head.i else head  # "an expert and former official"
        span = doc[max(first.left_edge.i, ent.start - 16):ent.start - 1]
        while span and span[0].pos_ in ("ADP", "DET", "PUNCT"):
            span = span[1:]
        return span if len(span) and not any(self.cast.label(t.i) == "PERSON" for t in span) else None

    def _named_before_title(self, span: Span) -> str | None:
        """The body a name before a title stands for ("Wynnum coach", "ABS-CBN CEO"): a place or body name that
        opens the description and is followed by title words only; not a country, nationality or party."""
        toks = [t for t in span if not (t.pos_ == "DET" or t.dep_ == "case")]
        run = []
        for tok in toks:
            hyphen = tok.text == "-" and run and run[-1].i == tok.i - 1 and not run[-1].whitespace_  # "ABS-CBN"
            named = (tok.pos_ == "PROPN" or tok.pos_ == "NOUN" and tok.text.isupper() and len(tok.text) > 1  # "ABS"
                     # "Arsenal manager X", the club's name tagged as an adjective (not a nation's or a party's)
                     or tok.pos_ == "ADJ" and tok.text[:1].isupper() and not tok.ent_type_
                     and not countries.find_countries(tok.text)
                     and not (tok.is_sent_start and is_common_word(tok.text)))  # "Political scientist X" opening
            if hyphen or self.cast.label(tok.i) in ("GPE", "ORG", "FAC", "LOC") or (named and not self.cast.label(tok.i)):
                if run and tok.i != run[-1].i + 1:
                    break
                run.append(tok)
            else:
                break
        rest = toks[len(run):]
        # "Acme CEO": a title the tagger made a proper noun ends the name, unless the name is a place
        # ("Massachusetts Senator": the senate's) or a word ("City Attorney")
        taken_title = not rest and len(run) > 1 and is_title_word(run[-1].text)
        if taken_title:
            rest = [run.pop()]
        if not run or not rest or any((t.pos_ == "PROPN" or t.text[:1].isupper() and t.i != rest[0].i)
                                      and not is_title_word(t.text) for t in rest):
            return None
        if all(t.is_lower for t in run):
            return None  # "union spokesman" with the word tagged a proper noun: a kind of body, not its name
        name = strip_possessive(self.doc[run[0].i:run[-1].i + 1].text)
        key = fold(name)
        if taken_title and (self.cast.place_country(name) or countries.find_countries(name)
                            or len(run) == 1 and is_common_word(run[0].text)):
            return None  # "Massachusetts Senator", "U.S. District Judge", "City Attorney": no company
        if countries.is_metonym(name):
            return name  # "Kremlin spokesman": the seat of power speaks for its government
        if key in ORGANIZATION_HEADS:
            return None  # "Party chairman X" opening a sentence: a kind of body (see _kind_before_title)
        if (len(key) < 2 or len(key) < 3 and not name.isupper() or countries.country_code(name) or any(is_title_word(t.text) or is_people_word(t.text) for t in run)
                or any(e.kind == "person" and key in {fold(w) for n in e.names for w in n.split()} for e in self.cast.entities)):
            return None  # a country, a title ("Editor"), a party's initial, or a person ("Roe's aide")
        return name

    def _kind_before_title(self, span: Span) -> str | None:
        """The body a word for its kind before a title stands for ("union spokesman", "Party chairman" opening a
        sentence): one named in the sentence or the one before whose name holds the word or runs into it ("the
        Acme union"), else the one body of that kind the article named before (none where it named several)."""
        kind = next((t for t in span if t.dep_ == "compound" and t.pos_ in ("NOUN", "PROPN")
                     and (t.is_lower or t.is_sent_start and t.is_title)
                     and fold(t.text) in ORGANIZATION_HEADS and t.head.i > t.i and is_title_word(t.head.text)), None)
        if kind is None:
            return None
        word = fold(kind.text)
        start = _sentence_before(kind)
        for ent in reversed([e for e in self.cast.ents if e.label_ == "ORG" and start <= e.start and e.end <= kind.i]):
            if word in {fold(t.text) for t in ent} or ent.end < len(self.doc) and fold(self.doc[ent.end].text) == word:
                return self.cast.full_name(body_name(ent.text))
        for tok in reversed(self.doc[start:kind.i]):  # "The SNCTA union", its name not tagged
            if fold(tok.text) == word and tok.pos_ in ("NOUN", "PROPN"):
                names = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
                if names and names[-1].i == tok.i - 1:
                    return self.doc[names[0].i:tok.i + 1].text
        named = {fold(body_name(e.text)): body_name(e.text) for e in self.cast.ents
                 if e.label_ == "ORG" and e.end <= kind.i and fold(e.root.text) == word}
        return self.cast.full_name(next(iter(named.values()))) if len(named) == 1 else None

    def _owner(self, span: Span) -> Entity | None:
        """The person whose post a description names ("Putin's spokesman", "Roe's chief of staff")."""
        head = span.root
        if fold(head.text) not in PERSON_TITLES:
            return None
        # "Putin's spokesman", and "an adviser to President Aliyev"
        served = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                  if g.dep_ == "pobj" and self.cast.label(g.i) == "PERSON"]
        for tok in list(head.children) + served:
            owned = tok.dep_ == "poss" or any(c.dep_ == "case" for c in tok.children) or tok in served
            if owned and tok.text[:1].isupper() and self.cast.label(tok.i) in ("PERSON", "ORG", ""):
                key = fold(strip_possessive(tok.text))
                owner = next((e for e in self.cast.entities if e.kind == "person" and e.named
                              and (e.surname == key or any(key in fold(n).split() for n in e.names))), None)
                if owner is not None:
                    return owner
        return None

    def _descriptor_country(self, span: Span, text: str, owner: Entity | None = None) -> tuple[str | None, str]:
        """The country a description gives its person and where it came from: its first country word that
        says where they are from ("stated"), else the country of the person whose post it is ("title":
        "Putin's spokesman")."""
        head = span.root
        if fold(head.text) in KINSHIP_NOUNS:
            return None, ""  # "the son of Dominican immigrants", "Dunn's mother": someone else's country
        found = countries.find_countries(text)
        for n, (start, end, c) in enumerate(found):
            if text[max(0, start - 5):start].lower().endswith(("pro-", "anti-")):
                continue  # "the pro-Beijing camp" says where a side stands, not where they are from
            if text[end:end + 1] == "-":
                if n + 1 < len(found) and found[n + 1][0] == end + 1:
                    continue  # "Cuban-American": the last part says where they are from
                if not text[end + 1:].lower().startswith("based"):
                    continue  # "Spanish-speaking", "Iranian-backed"; but "a US-based analyst"
            return c, "stated"
        if owner is not None and owner.country:
            return owner.country, "title"
        for _, _, code in self.cast.places(text):
            return code, "place"  # "a Toronto lawyer", "X of Allen, Texas", "Wynnum coach X"
        return None, ""

    def _posts_taken_for_a_body(self, span: Span) -> set[int]:
        """Tokens of ``span`` the recogniser tagged as a body though they only make a title: "Detective
        Inspector", "Presidential Spokesperson" (title words and adjectives, no body's head word)."""
        tagged = [t for t in span if self.cast.label(t.i) == "ORG"]
        return {t.i for t in tagged} if _only_a_post(tagged) else set()

    def _title_from(self, span: Span) -> str | None:
        """The title in a descriptor: its head noun with its modifiers, minus countries, articles and names."""
        head = span.root
        left = head.left_edge.i
        if head.pos_ == "ADJ":  # "Chief executive X", both words hung on the name: the noun heads the title
            noun = next((t for t in reversed(span) if t.pos_ == "NOUN" and t.i > head.i), None)
            if noun is not None:
                head, left = noun, min(left, noun.left_edge.i)
        posts = self._posts_taken_for_a_body(span)
        if self.cast.label(head.i) in _PLACE_OR_BODY and head.i not in posts:
            # "Connecticut Governor X": both words hung on the name; the place is not the title
            loose = [t for t in span if not span.start <= t.head.i < span.end and self.cast.label(t.i) not in _PLACE_OR_BODY]
            head = loose[-1] if loose else head
            left = head.left_edge.i
            while left - 1 >= span.start and any(t.i == left - 1 for t in loose):
                left -= 1  # "Connecticut Attorney General X", every word hung on the name: the title's words
        posted: set[int] = set()  # "to Canada" of "ambassador to Canada" stays in the title
        if self.cast.label(head.i) == "PERSON":
            # premodifier chain: title words are the non-name tokens before the name ("of State" included)
            words = [t for t in span if (self.cast.label(t.i) not in ("PERSON", "GPE", "NORP", "ORG") or t.i in posts
                                         or self.cast.label(t.i) == "ORG" and t.i > span.start and span.doc[t.i - 1].lower_ == "of")
                     and t.pos_ not in ("DET", "PART", "PUNCT") and t.dep_ != "case"]
        else:
            # "a foreign policy adviser to …": everything left of the head noun in its own phrase
            owners = {t.i for c in head.lefts if c.dep_ == "poss" for t in c.subtree}
            words = [t for t in span.doc[max(span.start, min(left, head.left_edge.i)):head.i]
                     if t.i not in owners and t.pos_ not in ("DET", "PART", "PUNCT", "ADP")
                     and (self.cast.label(t.i) not in ("GPE", "NORP", "ORG", "PERSON") or t.i in posts)] + [head]
            while (head.i + 2 < span.end and not head.whitespace_ and span.doc[head.i + 1].text == "-"
                   and not span.doc[head.i + 1].whitespace_ and span.doc[head.i + 2].is_alpha):
                head = span.doc[head.i + 2]  # "vice-president", the parse hanging its pieces apart
                words += [span.doc[head.i - 1], head]
            nxt = span.doc[head.i + 1:head.i + 3]
            if len(nxt) == 2 and nxt[0].lower_ == "of" and nxt.end <= span.end and self.cast.label(nxt[1].i) != "GPE" \
                    and (nxt[1].text[:1].isupper() or fold(f"{head.text} of {nxt[1].text}") in GOVERNMENT_TITLES):
                words += list(nxt)  # "Secretary of State", "Minister of Defence", "Chief of Staff"
            elif len(nxt) == 2 and nxt[0].lower_ == "to" and fold(head.text) in ENVOY_TITLES:
                end = next((t.i for t in span.doc[head.i + 2:span.end] if not (t.pos_ == "DET" or t.text[:1].isupper())),
                           span.end)
                if 1 < end - head.i <= 6 and span.doc[end - 1].text[:1].isupper():
                    words += list(span.doc[head.i + 1:end])  # "Ambassador to the United Nations"
                    posted = set(range(head.i + 1, end))
        words = [t for t in words if t.i in posted or not countries.country_code(t.text)]
        if not words or all((self.cast.label(t.i) in _PLACE_OR_BODY and t.i not in posts) or t.text in self.cast.acronyms()
                            for t in words):
            return None  # "of Saudi Arabia" after a name says where, not what
        words = sorted(words, key=lambda t: t.i)
        title = "".join(t.text + (t.whitespace_ if i + 1 < len(words) and words[i + 1].i == t.i + 1 else " ")
                        for i, t in enumerate(words)).strip(" ,")
        if not any(c.isalpha() for c in title):
            return None
        expanded = TITLE_ABBREVIATIONS.get(fold(title).rstrip("."))
        return expanded.capitalize() if expanded else title

    def speaker_record(self, entity: Entity) -> Speaker:
        """The records.Speaker for an entity; a named person with no country of their own gets the article's,
        and a person whose title implies a body (a senator, the pope, a minister) gets that body."""
        country, source = entity.country, entity.country_source
        organization = entity.organization
        if country is None and organization is None and entity.kind == "person" and entity.named:
            # "Pope X" in a story set in Iraq: the body the title implies places its holder before the setting does
            implied = title_body(entity.title, mentions=self.cast.mentions, named=self._named_body)
            where = self.cast.body_country(implied) if implied else None
            if where:
                organization, country, source = implied, where, "organisation"
        if country is None and self.cast.article_country:
            country, source = self._setting(entity)
        if organization is None and entity.kind == "person" and entity.named:
            if country in SEE_COUNTRIES:  # the Vatican's people work for the Holy See
                organization = countries.government_name(country)
            organization = organization or title_body(entity.title, country=country, mentions=self.cast.mentions,
                                                      named=self._named_body)
            if organization is None and title_word(entity.title) in place_titles():
                # "Regional governor X" where the story says "Y's governor": Y's government, not the nation's
                place = self.cast.post_place(title_word(entity.title), country)
                organization = title_body(entity.title, place=place) if place else None
            if organization and country is None:  # "Pope X": the Holy See's
                country, source = self.cast.body_country(organization), "organisation"
            if organization is None and country is not None and _holds_office(entity.title):
                organization = countries.government_name(country)
        aliases = [n for n in entity.names if n != entity.canonical]
        return Speaker(name=entity.canonical, kind=entity.kind, aliases=aliases, title=entity.title,
                       organization=organization, country=country, named=entity.named,
                       country_source=source if country else None)

    def _named_body(self, head_word: str) -> str | None:
        """The body with this head word ("police") the article names most: a detective's force."""
        found = self.cast.named_body(head_word, len(self.cast.text))
        return found[0] if found else None

    def _setting(self, entity: Entity) -> tuple[str | None, str | None]:
        """The article's country for an entity that has none of its own, where it is likely the entity's:
        people the article names without a body of their own, the story's police or ministries."""
        canonical = entity.canonical
        # a national post held before a supranational one: "Ex-Prime Minister X, President of the European Council"
        national = entity.organization is not None and bool(countries.supranational(entity.organization)) \
            and _holds_office(entity.title, NATIONAL_TITLES)
        local = entity.organization is None or not (self.cast.body_country(entity.organization)
                                                    or countries.supranational(entity.organization)
                                                    or _BREAKAWAY.search(entity.organization)
                                                    or countries.is_diplomatic_mission(entity.organization))
        if entity.kind == "person" and entity.named and (entity.title or self.cast.clear_setting) and (
                national or local and not _mentions_body(entity.descriptors, entity.organization)
                and not countries.is_diplomatic_mission(entity.title or "")):  # "an embassy spokeswoman"
            # people the article names without a country are most likely the article's own (one with no
            # title at all only where the story is clearly set in one country); the
            # store keeps this per article (an official's government), never on the person.
            # A post the article's country lacks (its "Prime Minister" in a US story) belongs to the
            # next country the article names that has it.
            country = self.cast.article_country
            if entity.title and not countries.has_office(country, entity.title):
                country = next((c for c in self.cast.country_ranking if countries.has_office(c, entity.title)), None)
            return country, "article"
        # an embassy speaks for the state that sends it, which the story's place rarely is
        if (entity.kind == "organization" and not countries.supranational(canonical)
                and countries.organization_kind(canonical) == "government"
                and not countries.is_diplomatic_mission(canonical)):
            return self.cast.article_country, "article"  # "police", "the court": where the story is
        if (not entity.named and entity.kind == "person" and (entity.organization is None or (
                not self.cast.body_country(entity.organization)
                and countries.organization_kind(entity.organization) == "government"
                and not countries.is_diplomatic_mission(entity.organization)))
                and is_people_word(entity.head_word) and entity.head_word not in SOURCE_WORDS
                and not countries.is_diplomatic_mission(canonical)
                and "anonymous" not in fold(canonical)):
            # "residents", "a fire officer", "the head of the police's investigators": people of the story's
            # place (a source's whereabouts are what it withholds)
            return self.cast.article_country, "article"
        return None, None


_POLITY_POST = re.compile(r"^(?:the\s+)?(?P<title>[\w .’'-]+?)\s+(?:of|for)\s+(?:the\s+)?(?P<polity>[A-Z][\w .’'-]+?)$")


def _polity_post(text: str) -> tuple[str, str] | None:
    """A post and the country or territory it is of ("Chief Executive of Hong Kong"), else None; a mayor is
    a city's, and "Secretary of State" names no country."""
    match = _POLITY_POST.match(text)
    if not match:
        return None
    title = match["title"]
    code = countries.country_code(match["polity"])
    if code is None or not is_title_word(title.split()[-1]) or title_word(title) == "mayor":
        return None
    return title, code


#: Words for a kind of body, a body's name only with more words ("Party chairman X" is the party named before).
KIND_WORDS = words("kind_words")


def _sentence_before(tok: Token) -> int:
    """Where the sentence before ``tok``'s starts (its own start, in a first sentence)."""
    sent = tok.sent
    return tok.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start


def _body_described(span: Span) -> str | None:
    """A body a description names in common words after "of", "at" or "for" ("the Spanish tennis federation"):
    the body word with two or more modifiers of its own, none a pronoun ("his party" is no name)."""
    for tok in span:
        if (tok.dep_ == "pobj" and tok.pos_ == "NOUN" and fold(tok.text) in ORGANIZATION_HEADS
                and tok.head.lower_ in ("of", "at", "for")):
            words = [t for t in tok.subtree if t.i <= tok.i and t.lower_ not in DETERMINERS]
            if len(words) >= 3 and words[-1].i - words[0].i == len(words) - 1 and not any(
                    t.pos_ == "PRON" or t.dep_ == "case" or t.is_punct for t in words):
                return " ".join(t.text for t in words)
    return None


def _portfolio(ent: Span) -> bool:
    """Whether an organisation the recogniser found is a minister's portfolio ("Health" of "Health Minister"); an
    acronym or an international body is the body itself ("UN Secretary-General", "HHS Secretary")."""
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    letters = [c for c in ent.text if c.isalpha()]
    return (len(ent) <= 2 and nxt is not None and fold(nxt.text) in PORTFOLIO_TITLES
            and not any(fold(t.text) in ORGANIZATION_HEADS for t in ent) and not countries.country_code(ent.text)
            and not (len(letters) >= 2 and all(c.isupper() for c in letters)) and not countries.supranational(ent.text))


def _title_in_name(ent: Span) -> str | None:
    """A title the recogniser took into the name ("Pope Francis", "Sen. Roe"), courtesy titles aside."""
    words = []
    for tok in ent[:-1]:
        if not is_title_word(tok.text):
            break
        words.append(tok.text)
    word = fold(words[-1]).rstrip(".") if words else ""
    if not word or word in HONORIFICS:
        return None
    return TITLE_ABBREVIATIONS.get(word, words[-1]).capitalize() if len(words) == 1 else " ".join(words)


def _holds_office(title: str | None, posts: frozenset[str] = GOVERNMENT_TITLES) -> bool:
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
        and ent.start > 1 and is_title_word(ent.doc[ent.start - 2].text)


def _names_local_body(text: str) -> bool:
    """Whether a description names a public body as the story's own: "the police", "the ministry's"."""
    words = re.findall(r"[\w-]+", fold(text))
    return any(w == "the" and any(n in ORGANIZATION_HEADS and countries.organization_kind(n) == "government"
                                  for n in words[i + 1:i + 3])
               for i, w in enumerate(words))


def _only_a_post(tokens: list[Token]) -> bool:
    """Whether words the recogniser tagged as a body only make a title ("Detective Inspector", "Presidential
    Spokesperson"): title words, people words and adjectives, ending in a title word; one word ("House")
    may well be a body."""
    return (len(tokens) > 1 and is_title_word(tokens[-1].text)
            and all((is_title_word(t.text) or is_people_word(t.text) or t.pos_ == "ADJ")
                    and fold(t.text) not in ORGANIZATION_HEADS for t in tokens))


def _mentions_body(descriptors: list[str], organization: str | None = None) -> bool:
    """Whether a person's descriptions name an organisation they belong to that may be from anywhere (a
    university, a company…); a country's own bodies ("police spokesman", "the federal center") say nothing
    against the article's."""
    if organization and countries.organization_kind(organization) == "government":
        return False
    return any(fold(w).strip(".,’'s") in ORGANIZATION_HEADS and countries.organization_kind(d) != "government"
               for d in descriptors for w in d.split())

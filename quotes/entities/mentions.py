"""Which entity a speaker mention means: a name, a surname, a pronoun, a description or a statement's holder.

Pronouns go to the latest speaker or named subject of their kind and gender, descriptions ("the ministry",
"the senator") to the latest entity they fit or the office holder just named, statements ("the statement
said") to whoever issued them, countries and capitals speaking to their government; what fits no one becomes
an unnamed entity of the cast ("a source", "officials").
"""
from __future__ import annotations

import itertools
import re
from operator import attrgetter

from spacy.tokens import Span, Token

from quotes.entities import countries
from quotes.extraction.attributions import Mention
from quotes.extraction.cues import RELATIVE_PRONOUNS
from quotes.extraction.lexicon import (ANONYMOUS_HEADS, ORGANIZATION_HEADS, PERSON_NOUNS, PERSON_PRONOUNS,
                                       THING_PRONOUNS, TITLE_ABBREVIATIONS, pairs, phrases, words)

from .cast import Cast, Entity
from .names import (DETERMINERS, is_people_word, body_name, fold, is_first_name, is_title_word, joining_hyphen,
                    name_part, phrase_text, titled_name)

POSSESSIVE_PRONOUNS = {"his": "he", "their": "they", "its": "it"}
GENDERED_PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
LAST_SEEN = attrgetter("last_seen")
ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC"})
STATEMENT_NOUNS = words("statement_documents")
# How far back (characters) a "he" or "she" with no subject or speaker before it may find a name.
ANTECEDENT_REACH = 400
#: Words that make a post a lesser one: "the governor" is not the deputy governor.
RANK_WORDS = words("rank_words")
#: Heads of titles that name the same post: a foreign secretary is a foreign minister.
EQUIVALENT_TITLES = pairs("equivalent_titles")
#: Bodies news names without an article and still means the one of the story: "Police said" is "the police said".
BARE_DEFINITE = frozenset({"police"})
#: How far back (characters) "they" may find people named together.
GROUP_REACH = 600
#: Nouns that count people rather than name them ("a number of senators", "a group of residents").
QUANTITY_NOUNS = words("quantity_nouns")
# Offices and public roles a definite description names its holder by (lexicon: described_offices).
DESCRIBED_OFFICES = phrases("described_offices")
# Posts one person holds one at a time (lexicon: held_posts).
HELD_POSTS = phrases("held_posts")
# how an aside hangs on the noun it describes: "the princess, 67", "the mayor, a Democrat", "the ad, titled …"
_ASIDE_DEPS = frozenset({"appos", "amod", "acl", "npadvmod", "nummod", "advmod"})


class MentionResolver:
    """Maps mentions in one document to entities of its cast, remembering who spoke where."""

    def __init__(self, cast: Cast):
        self.cast = cast
        self.doc = cast.doc
        self.recent_speakers: list[tuple[int, Entity]] = []  # (char offset, entity)
        self._last_spoke: dict[int, int] = {}  # id(entity): its latest offset in recent_speakers

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
            self._last_spoke[id(entity)] = max(self._last_spoke.get(id(entity), at), at)
        return entity

    def _people_of_body(self, head: Token, span: Span) -> Span | None:
        """The description "members of the X" a mention cut to X's name stands in (X's name only, no people)."""
        body = next((e for e in self.cast.ents_around(head.i) if e.label_ == "ORG"), None)
        if body is None or span.start < body.start or body.root.dep_ != "pobj":
            return None
        prep = body.root.head
        people = prep.head if prep.lower_ == "of" else None
        if people is None or people.pos_ != "NOUN" or people.i > prep.i or not is_people_word(people.text):
            return None
        return self.doc[people.left_edge.i:body.end]

    def _name_beside(self, span: Span, head: Token) -> Span | None:
        """A person's name set off by commas right after a description ("the mayor, Dee Margo, said", "the
        director of the group, Jane Roe, said")."""
        doc = self.doc
        end = span.end
        last = None  # the head's last word but a comma: one walk of its subtree, not one per word
        while end < len(doc) and end - span.end < 12 and doc[end].text != ",":
            if last is None:
                last = max(t.i for t in head.subtree if t.text != ",")
            if not head.left_edge.i <= end <= last:
                break
            end += 1  # the rest of the description's own phrase
        if end + 2 >= len(doc) or doc[end].text != "," or self.cast.label(end + 1) != "PERSON":
            return None
        stop = end + 1
        while stop < len(doc) and self.cast.label(stop) == "PERSON":
            stop += 1
        return doc[end + 1:stop] if stop < len(doc) and doc[stop].text in (",", ")", ";") else None

    def _body_beside(self, span: Span, head: Token) -> Span | None:
        """A body's name the description stands in apposition with ("The drug's maker, the Swiss firm Novex,
        said"): a body the mention holds whose name hangs on the head through appositions alone."""
        for ent in self._ents_in(span):
            if ent.label_ != "ORG" or ent.start <= head.i:
                continue
            tok = ent.root
            while tok.dep_ == "appos" and tok.head.i < tok.i and tok.head.i >= span.start:
                tok = tok.head
                if tok.i == head.i:
                    return ent
        return None

    def _ents_in(self, span: Span) -> list[Span]:
        out = [e for e in self.cast.ents_starting(span.start, span.end) if e.end <= span.end]
        for e in self.cast.ents_around(span.start):
            if (e.label_ == "PERSON" and e.start < span.start < e.end <= span.end
                    and all(t.pos_ == "PROPN" for t in self.doc[span.start:e.end])):
                # "Said Comey" taken for one name, where the mention starts after the cue: the part it holds; but
                # "ji" of "Kim Min-ji" is the whole name's
                out.append(e if joining_hyphen(self.doc[span.start - 1]) else Span(self.doc, span.start, e.end,
                                                                                    label=e.label_))
        return out

    def _resolve(self, span: Span, head: Token, at: int) -> Entity | None:
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head.i < head.i:
            # "McConnell, who in 2010 said …": the noun the relative clause hangs from
            noun = head.head.head
            return self._resolve(self.doc[noun.left_edge.i:noun.i + 1], noun, at)
        people = self._people_of_body(head, span)
        if people is not None:  # "Members of the House of Commons protested", the mention cut to "Commons"
            return self._description(people, people.root, at)
        if head.pos_ in ("NUM", "PRON") or fold(head.text) in QUANTITY_NOUNS:
            # "One of these groups, the Syrian Democratic Forces, said": the body the apposition names
            named = next((c for c in head.children if c.dep_ == "appos" and span.start <= c.i < span.end
                          and self.cast.label(c.i) in ("ORG", "PERSON", "NORP", "GPE")), None)
            if named is not None:
                return self._resolve(self.doc[named.left_edge.i:min(named.right_edge.i + 1, span.end)], named, at)
            of = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj" and g.i < span.end), None)
            if head.pos_ == "NUM" and of is not None and of.pos_ == "NOUN" and of.tag_ == "NNS" and any(
                    t.lower_ in ("the", "these", "those") for t in of.lefts):
                # "two of the people said": some of the people the article described before, who speak as them
                word = fold(of.text)
                found = next((e for e in sorted(self.cast.entities, key=LAST_SEEN, reverse=True)
                              if not e.named and e.last_seen < at and e.head_word == word), None)
                found = found or self._resolve(self.doc[of.left_edge.i:of.i + 1], of, at)
                if found is not None and not found.named:
                    return found
        elif head.pos_ == "NOUN" and not any(self.cast.label(t.i) == "PERSON" for t in span):
            # "according to the El Paso mayor, Dee Margo, …": the name set off beside the description
            name = self._name_beside(span, head)
            if name is not None:
                return self._resolve(name, name.root, at)
            body = self._body_beside(span, head)
            if body is not None:
                return self._resolve(body, body.root, at)
        if _age_description(head):
            # "the 38-year-old stated": the person just speaking or named, whom the article describes by age
            return self._by_nationality(None, at, anywhere=True)
        if (head.ent_type_ == "NORP" and head.tag_ in ("NN", "NNP", "JJ") and head.i == span.start + 1
                and span[0].lower_ == "the" and not head.lower_.endswith(COLLECTIVE_DEMONYM_ENDINGS)):
            # "The Italian, who took over in the summer, insisted": one person by nationality, not a government
            # ("the French", "the Chinese" are a nation)
            return self._by_nationality(countries.country_code(head.text), at)
        ents = self._ents_in(span)
        persons = [e for e in ents if e.label_ == "PERSON" and not _served(head, e)]
        if persons:
            # a mention holding no usable name ("Trump v. Trump") names nobody
            named = [(e, n) for e in persons if (n := self.cast.person_name(name_part(e).text))]
            if not named:
                return None
            ent, name = min(named, key=lambda en: 0 if en[0].start <= head.i < en[0].end else 1)
            entity = self.cast.person_at(ent.start, ent.end)
            if entity is not None:
                return entity
            return self.cast.person(name, at)
        if head.pos_ == "PRON":
            return self._antecedent(head, at)
        name = titled_name(span, head)
        name = self.cast.person_name(name) if name else None
        if name:
            return self.cast.person(name, at)
        body = next((e for e in ents if e.label_ in ORG_LABELS and e.start <= head.i < e.end), None)
        if body is not None and self._joint(head, body):
            # "the AP and the BBC": bodies speaking together are no one body, and none of them alone
            e = Entity("organization", [phrase_text(span)], named=False, last_seen=at, head_word=fold(head.text))
            self.cast.entities.append(e)
            return e
        if fold(head.text) in ORGANIZATION_HEADS and any(
                t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "NORP", "ORG") for t in span if t.i < head.i) and not (
                fold(head.text) in COMPANY_WORDS and span[0].lower_ == "the"
                and all(t.ent_type_ == "NORP" or t.pos_ in ("ADJ", "DET") for t in span if t.i < head.i)):
            # "Armenia's foreign ministry": a body named by its owner, not an anaphor (but "the Swedish carmaker"
            # is the carmaker the story is about)
            return self.cast.organization(phrase_text(span), at)
        orgs = [e for e in ents if e.label_ in ORG_LABELS and e.start <= head.i < e.end]
        if orgs and orgs[0].label_ in ("GPE", "NORP") and any(e.label_ == "ORG" and e.end == orgs[0].start
                                                              for e in ents):
            # "Amnesty International Kenya said": a body's branch in a country, not the country's government
            return self.cast.organization(phrase_text(span), at, countries.country_code(orgs[0].text))
        if orgs:
            return self._org_mention(span, orgs[0], at)
        misread = head.text[:1].isupper() and (
            head.pos_ in ("ADV", "ADJ", "VERB") and not head.is_sent_start
            # "Roe at the time said" with the surname tagged as a noun: the person of that surname
            or head.pos_ == "NOUN" and bool(self.cast.people_of_surname(head.text)))
        if (head.pos_ == "PROPN" or misread) and head.ent_type_ == "":
            # a name the recogniser missed: a person who shares it, else a new person of that name
            for e in self.cast.people_of_surname(head.text):
                return e  # a description ("a Bloomberg poll") has no surname to share
            name = [t for t in span if t.pos_ == "PROPN" and t.text[:1].isupper()]
            if (name and name[-1].i == head.i and fold(head.text) not in ORGANIZATION_HEADS
                    and (len(name) > 1 or is_first_name(head.text) or self.cast.names_opening_with(head.text))
                    and not is_title_word(head.text) and not countries.country_code(head.text)):
                name = self.cast.person_name(self.doc[name[0].i:head.i + 1].text)
                if name:
                    return self.cast.person(name, at)
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
        if (words and all(w.isalpha() and w.isupper() and len(w) > 1 for w in words) and len(words) <= 3
                and (len(words) > 1 or span.end < len(self.doc) and self.doc[span.end].text == ":")):
            # a transcript label ("PENCE:") names a person, in capitals (an acronym alone is a body's: "WHO data")
            return self.cast.person(" ".join(w.capitalize() for w in words), at)
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
                    e = self.cast.organization(countries.government_name(code), at, code)
                    return e
        return None

    @staticmethod
    def _joint(head: Token, ent: Span) -> bool:
        """Whether the mention coordinates the body with another ("X and Y", "X and other agencies"), rather
        than naming one body whose name holds "and" ("Procter and Gamble")."""
        return any(c.dep_ == "conj" and not ent.start <= c.i < ent.end and c.pos_ in ("PROPN", "NOUN")
                   for c in head.children)

    def _org_mention(self, span: Span, ent: Span, at: int) -> Entity:
        name = body_name(ent.text)
        supra = countries.supranational(name)
        if ent.label_ in ("GPE", "NORP") and fold(span.root.text) in (fold(t.text) for t in ent):
            code = countries.country_code(name)
            if code and not supra:
                # a country or its capital speaking: its government
                e = self.cast.organization(countries.government_name(code), at, code)
                if name not in e.names:
                    e.names.append(name)
                return e
        if supra:
            return self.cast.organization(supra, at, None)
        # the whole phrase names the body better than the entity alone: "Azerbaijan's Ministry of Defense"
        if ent.end < span.end and self.doc[ent.end].text == ",":
            span = self.doc[span.start:ent.end]  # "Aidwell, a Kenyan charity, said": the name without its apposition
        phrase = _ACRONYM_AFTER.sub("", phrase_text(span))  # "… on Climate Change (IPCC)": the name, not its acronym
        if phrase and fold(span.root.text) in ORGANIZATION_HEADS | {fold(t.text) for t in ent}:
            name = phrase
        return self.cast.organization(name, at)

    def _antecedent(self, pron: Token, at: int) -> Entity | None:
        # "his warning that …": a possessive stands for whom its subject form would
        word = POSSESSIVE_PRONOUNS.get(pron.lower_, pron.lower_)
        want = "person" if word in PERSON_PRONOUNS else "organization" if word in THING_PRONOUNS else None
        if want is None:
            return None
        if word in ("i", "me", "we", "us", "you"):
            return None
        if word in ("they", "them"):
            group = self._group(at)
            if group is not None:
                return group
            # "Roe's family said …. “…,” they said": the latest speaker if people in the plural or a group,
            # unless a body spoke since
            seen = 0
            for p, e in reversed(self.recent_speakers):
                if p >= at:
                    continue
                seen += 1
                if e.kind == "organization" or seen > THEY_REACH:
                    break
                if not e.named and (e.plural or e.head_word in COLLECTIVE_PEOPLE):
                    return e
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
            if last_subject.last_seen > at - 400 and last_subject.last_seen > self._last_spoke[id(last_speaker)]:
                candidates.reverse()
        if word in GENDERED_PRONOUNS:
            # "she" skips a man: the first candidate whose first name does not contradict the pronoun,
            # trying the latest person named at all last
            last_named = next((e for _, e in self.cast.person_spans_before(at)), None)
            pool = candidates + ([last_named] if last_named is not None else [])
            fitting = [c for c in pool if c.gender in (None, GENDERED_PRONOUNS[word])]
            if fitting and not fitting[0].named:
                return self._named_as_close(fitting[0], GENDERED_PRONOUNS[word], at) or fitting[0]
            if fitting:
                return fitting[0]
        return candidates[0]

    def _by_nationality(self, code: str | None, at: int, anywhere: bool = False) -> Entity | None:
        """The person last speaking or named before ``at`` whom nothing places in another country than ``code``
        (``anywhere``: in any country)."""
        spoke = next((e for pos, e in reversed(self.recent_speakers) if pos < at and e.kind == "person" and e.named),
                     None)
        named = (e for _, e in self.cast.person_spans_before(at))  # read lazily: a long document has many
        return next((e for e in itertools.chain([spoke] if spoke else [], named)
                     if anywhere or e.country in (None, code)), None)

    def _group(self, at: int) -> Entity | None:
        """`Ann Voss and Karl Dorn met … They said`: people named together as the subject of the sentence before,
        with no one speaking since, are one group (kept per article, as descriptions are)."""
        before = list(itertools.takewhile(lambda se: at - se[0].start_char < GROUP_REACH,
                                          self.cast.person_spans_before(at)))[::-1]
        for span, entity in reversed(before):
            root = span.root
            if root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            mates = [e for s, e in before if s.root.dep_ == "conj" and s.root.head.i == root.i and e is not entity]
            if not mates or any(p > span.start_char for p, _ in self.recent_speakers if p < at):
                return None
            name = " and ".join(dict.fromkeys(m.canonical for m in [entity, *mates]))
            group = next((e for e in self.cast.entities if not e.named and e.names == [name]), None)
            if group is None:
                group = Entity("person", [name], named=False, head_word="group", plural=True)
                self.cast.entities.append(group)
            return group
        return None

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
        seen = [(s.start_char, e) for s, e in self.cast.person_spans] + [(p, e) for p, e in self.recent_speakers if e.named]
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
        for span, entity in reversed(self.cast.person_spans):
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
            for span, entity in self.cast.person_spans_before(at):  # the latest first
                # subjects of subordinate clauses ("in which X became …") are rarely what "he" picks up
                # a name parsed as its sentence's root ("X, the lawyer, endorsed …" misread) is its subject too
                root = span.root
                if (root.dep_ == "appos" and root.head.i < span.start and root.head.dep_ in ("nsubj", "nsubjpass")
                        and is_title_word(root.head.text) and not _quoted_in_sentence(span)):
                    root = root.head  # "Ruritania's trade minister, X, thanked …": the name set off after the subject
                subject = root.dep_ in ("nsubj", "nsubjpass") or (
                    root.dep_ == "ROOT" and span.start == root.sent.start and span.end < len(self.doc)
                    and self.doc[span.end].text == "," and any(c.dep_ == "appos" and c.pos_ == "NOUN"
                                                               for c in root.children))
                if subject and (root.head.dep_ not in ("relcl", "acl", "advcl", "pcomp") or _topic_clause(span)):
                    return entity
        else:
            for e in self.cast.entities:
                if e.kind == "organization" and e.last_seen < at and e.last_seen > best_at:
                    best, best_at = e, e.last_seen
        return best

    def _description(self, span: Span, head: Token, at: int) -> Entity | None:
        full = span
        span = _without_aside(span, head)
        words = [t for t in span if t.lower_ not in DETERMINERS]
        if not words:
            return None
        text = _ACRONYM_AFTER.sub("", self.doc[words[0].i:span.end].text)
        head_word = fold(head.text)
        # an acronym no entity holds ("according to WHO data") is a body's
        is_org = head_word in ORGANIZATION_HEADS or (head.pos_ == "PROPN" and head.is_upper and len(head) > 1
                                                      and head.is_alpha)
        definite = span[0].lower_ in ("the", "this", "that") or span[0].dep_ == "poss" or (
            head_word in BARE_DEFINITE and len(words) == 1)
        if definite and head_word not in ANONYMOUS_HEADS | {"source", "sources"}:
            # "the ministry", "the senator": the latest entity whose name or title has that word
            # (an unnamed one only when it has the description's proper-noun modifiers too: "the Florida
            # senator" is not "the Vermont senator")
            marks = {fold(t.text) for t in span if t.i < head.i and t.pos_ == "PROPN"}
            places = {c for _, _, c in countries.find_countries(text)} if is_org else set()
            span_words = {fold(t.text) for t in span}
            for e in sorted(self.cast.entities, key=LAST_SEEN, reverse=True):
                if e.last_seen > at or (e.kind == "organization") != is_org:
                    continue  # "the court" is a body, not the judge described as "President of the court"
                hay_words = e.words()
                if head_word not in hay_words and head_word.rstrip("s") not in hay_words:
                    continue
                if places and e.country and e.country not in places:
                    continue  # "the government in Beijing" is not the German government the article named last
                if (RANK_WORDS & {fold(w) for w in (e.title or "").split()}) - span_words:
                    continue  # "the governor" is not the deputy governor
                if e.named or marks <= hay_words:
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
        counted = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                                   for g in c.children if g.dep_ == "pobj"), None) if head_word in QUANTITY_NOUNS else None
        if counted is not None and counted.pos_ in ("NOUN", "PROPN"):  # "a number of senators": senators speak
            head_word, plural = fold(counted.text), True
        e = Entity(kind, [text], named=False, last_seen=at, head_word=head_word, plural=plural)
        # not a person's name read as a place ("Lima's campaign adviser": not Peru's)
        unnamed = "".join(" " * len(t.text_with_ws) if self.cast.label(t.i) == "PERSON" else t.text_with_ws
                          for t in full)
        for _, _, c in countries.find_countries(unnamed):  # an aside may still say where they are from
            e.set_country(c, "stated")
            break
        if kind == "person" and is_people_word(head_word):  # "members of the House of Commons", "researchers at …"
            body = next((ent for ent in self.cast.ents_starting(full.start, full.end) if ent.label_ == "ORG"
                         and ent.end <= full.end), None)
            if body is not None:
                e.organization = body_name(body.text)
                e.set_country(self.cast.body_country(e.organization), "organisation")
            e.set_country(self.cast.place_country(unnamed), "place")
        self.cast.entities.append(e)
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
        for span, entity in self.cast.person_spans:
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
        same = office == head_word or EQUIVALENT_TITLES.get(office) == head_word  # Foreign Secretary, foreign minister
        return best if same or office not in HELD_POSTS else None

    def _subject_body(self, head: Token, at: int) -> Entity | None:
        """For "the office", "the group" when the article named no body by that word: the named body that is the
        subject of the clause it reports before it ("X will cut 5,000 jobs, the company said") or of the sentence
        before ("The X Embassy closed its doors. The office asked …")."""
        sent = head.sent
        if head.dep_ in ("nsubj", "nsubjpass"):
            for ent in self.cast.ents:
                if (ent.label_ == "ORG" and sent.start <= ent.start and ent.end <= head.i
                        and ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.dep_ in ("ccomp", "parataxis")
                        and ent.root.head.head.i == head.head.i):
                    return self._org_mention(ent, ent, at)
        if sent.start == 0:
            return None
        before = self.doc[sent.start - 1].sent
        for ent in self.cast.ents:
            if (ent.label_ == "ORG" and before.start <= ent.start and ent.end <= before.end
                    and ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.i == before.root.i):
                return self._org_mention(ent, ent, at)
        return None

    def _named_body(self, head_word: str, text: str, at: int) -> Entity | None:
        """For "the party", "the court": the body of that kind the article has named most before (the latest
        among equals), when the description names no other country than it."""
        found = self.cast.named_body(head_word, at)
        if found is None:
            return None
        name, where = found
        code = countries.organization_country(name) or where
        codes = {c for _, _, c in countries.find_countries(text)}
        if codes and code not in codes:
            return None  # "the Turkish party" is not the Greek one the article named
        return self.cast.organization(name, at, code)


#: Endings of demonyms that, after "the", mean a whole nation ("the French", "the Chinese", "the Swiss").
COLLECTIVE_DEMONYM_ENDINGS = ("sh", "ch", "ese", "ss")

#: A body's acronym in brackets after its name ("… on Climate Change (IPCC)").
_ACRONYM_AFTER = re.compile(r"\s*\([A-Z][A-Za-z.&]{1,11}\)$")

#: Prepositions by which a word for someone names the person they work for ("a spokesperson for X", "an aide to X").
SERVING_PREPS = frozenset({"for", "to"})


#: Words for a company, which a nationality describes rather than owns ("the Swedish carmaker").
COMPANY_WORDS = words("company_words")
#: How many of the latest speakers "they" looks back through for people in the plural.
THEY_REACH = 3
#: Nouns for people in the singular that "they" stands for.
COLLECTIVE_PEOPLE = words("collective_people")
#: Nouns for someone's kin, who speak for themselves ("X's family said", "the wife of X told").
KIN_NOUNS = words("kinship_nouns")


def _served(head: Token, ent: Span) -> bool:
    """Whether the person ``ent`` names is the one whom the mention's head, a common noun for someone, works for or
    is kin to ("a spokesperson for Chancellor X", "an aide to X", "X's lawyer", "X's family"): the head speaks,
    not X."""
    if head.pos_ != "NOUN" or ent.start <= head.i < ent.end or not (is_people_word(head.text)
                                                                      or fold(head.text) in KIN_NOUNS):
        return False
    if ent.root.dep_ == "poss" and ent.root.head.i == head.i:
        return True
    return any(t.dep_ == "prep" and t.head.i == head.i and t.lower_ in SERVING_PREPS | {"of"}
               for t in ent.root.ancestors)


def _age_description(head: Token) -> bool:
    """Whether a mention's head ends "the 38-year-old" (or "the 38 year old")."""
    doc = head.doc
    if head.lower_ != "old" or head.i < 2:
        return False
    year = doc[head.i - 2] if doc[head.i - 1].text == "-" else doc[head.i - 1]
    if year.lower_ not in ("year", "years") or year.i < 1:
        return False
    number = doc[year.i - 2] if doc[year.i - 1].text == "-" else doc[year.i - 1]
    return number.like_num


def _quoted_in_sentence(span: Span) -> bool:
    """Whether a quotation mark opened before ``span`` in its sentence is still open there."""
    marks = [t.text for t in span.doc[span.sent.start:span.start] if t.is_quote]  # not Doc.text: the whole text
    return marks.count("“") > marks.count("”") or marks.count('"') % 2 == 1


def _topic_clause(span: Span) -> bool:
    """`This was the first time Roe spoke since …`: a clause whose sentence has no one else for subject (an
    expletive or "this"), so its subject is what the sentence is about."""
    root = span.root.sent.root
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    return bool(subjects) and all(c.pos_ in ("PRON", "DET") and c.lower_ in ("this", "that", "it", "there")
                                  for c in subjects)


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

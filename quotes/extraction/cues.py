"""Shared groundwork for attribution: speech cues, subjects and speaker mentions in a parsed ``Doc``."""
from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from .attributions import Mention
from .lexicon import (ANONYMOUS_HEADS, CLAUSE_VERBS, COGNITION_VERBS, EVIDENCE_NOUNS, NOUN_CUES, ORGANIZATION_HEADS,
                      PERSON_TITLES, POLL_NOUNS, SPEECH_VERBS, VERB_LEMMAS, speech_verb_form, verb_forms)
from .marks import Quoted, paragraphs

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Speech verbs whose passive subject is who was spoken to or about, never who spoke.
PASSIVE_NOT_SPEAKER = frozenset({"charge", "accuse", "call", "describe", "dub", "label", "brand", "term", "blame",
                                 "criticize", "criticise", "praise", "thank", "tell", "ask", "urge", "question",
                                 "challenge", "dismiss", "reject", "condemn", "denounce", "slam", "blast", "inform",
                                 "remind", "advise", "warn", "assure", "put"})
# "Many in the crowd said …", "Most of them say …": a quantifier standing alone for a group of people
QUANTIFIER_SUBJECTS = frozenset({"many", "most", "some", "few", "several", "half", "both", "all", "others"})
# Subject pronouns that stand for people ("they" too: groups speak), unlike "it" or "this".
PERSON_PRONOUNS_SUBJ = frozenset({"he", "she", "they", "we", "i"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
# Dependents that belong to a speaker's name phrase (kept in the mention); appositions and clauses do not.
MENTION_DEPS = frozenset({"compound", "det", "poss", "amod", "nmod", "nummod", "case", "prep", "pobj",
                          "cc", "conj", "punct", "quantmod", "advmod", "npadvmod", "flat"})
# How many tokens an aside between a name and its cue (`Jane Roe, a spokesman in the capital, said`) may have.
NAME_ASIDE_MAX = 12
# Nouns that name a speaker, a statement or a document rather than a mere thing.
NOT_THING_NOUNS = ORGANIZATION_HEADS | PERSON_TITLES | NOUN_CUES | EVIDENCE_NOUNS
# Tags a name or noun right beside a cue gets when the tagger misreads it (`Kimbly` as an adverb).
MISREAD_NAME_POS = ("ADV", "ADJ")
# How a reported clause hangs from its verb (`said [the plan was …]`) or noun (`the claim [that …]`).
REPORTED_DEPS = frozenset({"ccomp", "acl"})
# How the parser hangs a name it misread right before its verb (`Roe joked` as a compound verb).
MISREAD_SUBJECT_DEPS = frozenset({"compound", "advmod", "npadvmod", "nmod", "amod"})
# Verb tags of a finite verb, which has a subject of its own (a past participle without auxiliary is past too).
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "VBN"})
# How many tokens a party label in brackets after a name (`Jane Roe (D-Ohio)`) may have.
PARTY_LABEL_MAX = 5
# Verbs whose passive's agent puts the question that follows (`X was asked by the host, “…?”`).
PASSIVE_QUESTION_VERBS = frozenset({"ask", "question"})
# Verbs that make their object do what the infinitive after it says (`prompted X to state`).
CAUSATIVE_VERBS = frozenset(verb_forms(frozenset({"prompt", "cause", "lead", "spur", "provoke", "inspire", "move",
                                                   "drive", "force", "compel", "trigger"})))
# Speech verbs whose object is the one spoken to (`told the paper`), never the speaker however the order runs.
HEARER_VERBS = frozenset({"tell", "inform", "assure", "brief", "notify"})
# Verbs of sending a message, whose object is who received it (`emailed supporters saying …`).
_SENDING = frozenset({"email", "text", "send", "mail", "message", "write", "tweet", "post", "phone"})
SENDING_VERBS = frozenset(verb_forms(_SENDING)) | _SENDING | {"sent", "wrote", "written"}
# Words that open a clause of time (`when protesters interrupted her, shouting …`).
TIME_MARKERS = frozenset({"when", "as", "while", "after", "before", "until"})
# Events that begin, open or end in a time clause (`as the hearing opened`), and never speak themselves.
EVENT_NOUNS = frozenset({"meeting", "hearing", "session", "debate", "rally", "event", "convention", "ceremony",
                         "conference", "trial", "vote", "show", "game", "summit", "forum", "briefing", "speech",
                         "concert", "parade", "race", "election", "primary", "caucus", "program", "broadcast"})
# Verbs of a writer's aside inside a report (`X said, and I quote, “…”`).
ASIDE_VERBS = frozenset({"quote"})
# Entity types of place names (`in Springfield, Illinois,`).
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# A dateline opening a paragraph: `WASHINGTON (AP) —`, `RENO, Nev. (Reuters) -`, `NEW YORK, Dec. 14 —`,
# `BEIJING/SYDNEY —` (a story filed from two places).
# `REYKJAVÍK —`, `SÃO PAULO —`: capitals with accents (Latin-1's and Latin Extended-A's, whose lower case letters
# mixed in never make an all-capital line of a sentence)
_CAPS = "A-ZÀ-ÖØ-ÞĀ-ž"
DATELINE = re.compile(
    rf"(?:[{_CAPS}][A-Za-zÀ-ÖØ-öø-ÿĀ-ž.'’ /-]{{1,40}}?"
    r"(?:,\s*[A-Z][A-Za-z.]{1,12}(?:\s+\d{1,2})?)*(?:,\s*\d{4})?\s*"
    r"\((?:[A-Z][A-Za-z.&]*\s?){1,3}\)"
    rf"|[{_CAPS}][{_CAPS}.'’ /-]{{2,40}}(?:,\s*[A-Z][A-Za-z.]{{1,12}}(?:\s+\d{{1,2}})?)*)"
    r"\s*[—–-]{1,2}\s*")
def lemma_of(tok: Token) -> str:
    return VERB_LEMMAS.get(tok.lower_) or tok.lemma_.lower() or tok.lower_


def noun_lemma(tok: Token) -> str:
    """A noun's singular: the pipeline has no lemmatizer for nouns (`statements` -> `statement`)."""
    word = (tok.lemma_ or tok.lower_).lower()
    if tok.tag_ not in ("NNS", "NNPS") or len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def agent_of(verb: Token, idx: DocIndex) -> Token | None:
    """The noun of a passive verb's `by` phrase (`was asked by the host`), outside quoted text."""
    return next((o for c in verb.children if c.dep_ == "agent" for o in c.children
                 if o.dep_ == "pobj" and not idx.inside(o)), None)


def is_cue(tok: Token) -> bool:
    return (tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")) and lemma_of(tok) in SPEECH_VERBS


class DocIndex:
    """Per-document lookups, made once: the text, which quote each token lies in, paragraphs, sentences."""

    def __init__(self, doc: Doc, quoted: Sequence[Quoted], text: str | None = None):
        self.doc = doc
        self.quoted = list(quoted)
        self.quote_of = [-1] * len(doc)
        self.spans: list[tuple[int, int]] = []
        for qi, q in enumerate(self.quoted):
            lo = q.open_mark
            hi = (q.close_mark + 1) if q.close_mark is not None else q.end
            span = doc.char_span(lo, hi, alignment_mode="expand")
            if span is None:
                self.spans.append((0, 0))
                continue
            self.spans.append((span.start, span.end))
            for i in range(span.start, span.end):
                self.quote_of[i] = qi

        # Doc.text and Token.sent rebuild on every call: look them up once, or take the text the doc was parsed from
        self.text = doc.text if text is None else text
        self.paragraph_starts = [lo for lo, _ in paragraphs(self.text)] or [0]
        self.datelines: dict[int, int] = {}
        self.sent_start = [0] * len(doc)
        self.sentences: list[Span] = list(doc.sents)
        for k, sent in enumerate(self.sentences):
            for i in range(sent.start, sent.end):
                self.sent_start[i] = k

    @cached_property
    def quote_position(self) -> dict[int, int]:
        """Index into ``quoted`` of each quote, by identity."""
        return {id(q): k for k, q in enumerate(self.quoted)}

    @cached_property
    def entities(self) -> list[tuple[str, tuple[str, ...]]]:
        """The recogniser's entities as (label, word texts); ``Doc.ents`` rebuilds its spans on every call."""
        return [(e.label_, tuple(t.text for t in e)) for e in self.doc.ents]

    @cached_property
    def name_words(self) -> frozenset[str]:
        """Every word of the people and bodies the recogniser found: a name wherever else it stands."""
        return frozenset(w for label, words in self.entities if label in ("PERSON", "ORG") for w in words)

    def sent(self, tok: Token) -> Span:
        """The sentence of ``tok``."""
        return self.sentences[self.sent_start[tok.i]]

    def same_sentence(self, a: Token, b: Token) -> bool:
        return self.sent_start[a.i] == self.sent_start[b.i]

    def inside(self, tok: Token) -> bool:
        return self.quote_of[tok.i] >= 0

    def paragraph(self, tok: Token) -> int:
        """The start offset of the paragraph ``tok`` is in."""
        return self._paragraph_at(tok.idx)

    def _paragraph_at(self, char: int) -> int:
        k = bisect.bisect_right(self.paragraph_starts, char) - 1
        return self.paragraph_starts[max(k, 0)]

    def same_paragraph(self, a: Token, b: Token) -> bool:
        return self.paragraph(a) == self.paragraph(b)

    def in_dateline(self, tok: Token) -> bool:
        """Whether ``tok`` is in a dateline opening its paragraph (`WASHINGTON (AP) —`)."""
        return tok.idx < self._dateline_end(self.paragraph(tok))

    def after_dateline(self, char: int) -> int:
        """``char``, or where the text goes on after the dateline opening its paragraph when it lies in one."""
        end = self._dateline_end(self._paragraph_at(char))
        return end if char < end else char

    def _dateline_end(self, start: int) -> int:
        """The end of the dateline opening the paragraph at ``start`` (``start`` itself where there is none)."""
        end = self.datelines.get(start)
        if end is None:
            m = DATELINE.match(self.text, start)
            end = self.datelines[start] = m.end() if m else start
        return end


def subject_of(verb: Token, idx: DocIndex, depth: int = 0) -> Token | None:
    """Return the token that speaks for ``verb``: its subject, or that of the verb it hangs from."""
    subj = _subject_of(verb, idx, depth)
    subj = subj and (_past_split_word(subj) or subj)
    if subj is None or not idx.in_dateline(subj):
        return subj
    # "WASHINGTON (AP) — The senator said": the parser took the dateline for the subject
    after = [t for t in subj.subtree if not idx.in_dateline(t) and t.pos_ in ("PROPN", "NOUN", "PRON")]
    return min(after, key=lambda t: len(list(t.ancestors))) if after else None


def _subject_of(verb: Token, idx: DocIndex, depth: int = 0) -> Token | None:
    """The subject of ``verb`` as the parse gives it, or that of the verb it hangs from."""
    inverted = _inverted_subject(verb, idx)
    if inverted is not None:
        return inverted
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and not idx.inside(c)]
    if depth < 2 and _writer_aside(verb, subjects, idx):
        return subject_of(verb.head, idx, depth + 1)  # "Roe said, and I quote, “…”": Roe's words
    if len(subjects) > 1:
        subjects = [c for c in subjects if not idx.in_dateline(c)] or subjects
        # "Speaking in Springfield, Illinois, Jane Roe said": the state after a town's comma in an opening
        # phrase, taken for a second subject
        subjects = [c for c in subjects if not _state_after_town(c)] or subjects
        if len(subjects) > 1 and _run_in_subject(subjects[0], subjects[1], verb):
            subjects = subjects[1:]  # "No wonder Roe said": an opening phrase run into the subject
        elif len(subjects) > 1 and (_name_run_into_person(subjects[0], subjects[-1], verb)
                                    or _aside_before_person(subjects[0], subjects[-1], verb)):
            subjects = subjects[-1:]
    if len(subjects) > 1 and subjects[0].tag_ in ("WDT", "WP") and is_cue(verb) and subjects[1].tag_ not in (
            "WDT", "WP"):
        subjects = subjects[1:]  # "the drawdown, which they say left a vacuum": the relative pronoun is the clause's
    if subjects:
        child = _subject_head(subjects[0])
        if child.dep_ == "nsubjpass" and lemma_of(verb) in PASSIVE_NOT_SPEAKER:
            if lemma_of(verb) not in PASSIVE_QUESTION_VERBS:
                return None  # "after he was accused of …": the one spoken about
            # "X was asked by the host, “…?”": the question is the host's (but "X was criticized by Y for
            # calling it a “…”" quotes X)
            return agent_of(verb, idx)
        return child  # a relative pronoun stays the mention; the resolver finds what it stands for
    misread = (_misread_name_before(verb, idx) or _name_before_relative(verb, idx) or _name_before_aside(verb, idx)
               or _subject_of_modified(verb, idx) or _name_after_opening_phrase(verb, idx))
    if misread is not None:
        return misread
    if verb.lower_ == "according":
        for child in verb.children:
            if child.lower_ == "to":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return _evidence_source(obj, idx) or obj
    if verb.dep_ == "acl" and noun_lemma(verb.head) in NOUN_CUES:
        holder = _holder(verb.head, idx)  # "X issued a statement saying …"
        if holder is not None:
            return holder
    if (verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN", "PRON")
            and not idx.inside(verb.head) and depth < 2 and is_cue(verb)):
        doer = _participle_doer(verb, idx, depth)
        if doer is not None:
            return doer
    if ((verb.dep_ == "acl" or verb.dep_ == "relcl" and verb.head.pos_ == "PROPN") and verb.tag_ != "VBG"
            and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.dep_ != "pobj"):
        # "one lawmaker called him “…”", "Jane Roe, her adviser, tweeted": a finite verb the parser took for
        # a reduced relative, its noun speaks (so does a name's "relative clause" with no subject of its own:
        # "Jane Roe, an adviser, on Tuesday called …"); but a participle with no object of its own outside the
        # quote modifying a common noun is passive ("a book called “…”", "a gesture intended to …"): never the
        # speaker
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr", "dative")]
        passive = verb.tag_ in ("VBN", "VBD") and all(idx.inside(c) for c in objects) and (
            objects or verb.head.pos_ == "NOUN")
        if not passive:
            return verb.head
    if (depth < 2 and verb.dep_ == "conj" and is_cue(verb) and not is_cue(verb.head)
            and verb.head.dep_ == "ccomp" and is_cue(verb.head.head)):
        # "X said the deal was made by Y and said “…”": the parser coordinated the second cue with the
        # reported clause; it belongs with the first
        return subject_of(verb.head.head, idx, depth + 1)
    if verb.dep_ == "acl" and verb.i > 0 and verb.doc[verb.i - 1].text == "," and any(
            c.dep_ in ("dobj", "oprd", "dative") and not idx.inside(c) for c in verb.children):
        # "Jane Roe, who worked on the campaign, called his remarks “…”": the parser hung the main verb,
        # object and all, under the relative clause's last noun; the relative clause's noun speaks
        relative = next((a for a in verb.ancestors if a.dep_ == "relcl"), None)
        if relative is not None and relative.head.pos_ in ("PROPN", "NOUN") and not idx.inside(relative.head):
            return relative.head
    if (verb.dep_ == "xcomp" and verb.head.lower_ in CAUSATIVE_VERBS
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        # "The record prompted Jane Roe to state …": the one made to speak says it (but in "X urged Roe to
        # say …" the urging is X's speech, and what Roe should say its content)
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i and not idx.inside(c)
                    and can_speak(c)), None)
        if obj is not None:
            return obj
    if depth < 2 and verb.dep_ in ("conj", "xcomp", "advcl", "acl") and verb.head.i != verb.i:
        # "X condemned the attacks, saying ..." / "X paused and said ..."
        head = verb.head
        if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp" and head.head.i != head.i:
            head = head.head  # "voters are more likely to say …": the subject of the copula
        if verb.dep_ == "advcl" and _after_comma(verb):
            head = _main_clause(head, idx)
            subj = subject_of(head, idx, depth + 1)
            if subj is not None and _speechless(subj):
                # "The first incident came at a rally, when protesters interrupted, shouting …": an event
                # shouts nothing; the clause right before the comma has the participle's doer
                return _clause_before_subject(verb, idx) or subj
            return subj
        subj = subject_of(head, idx, depth + 1)
        if (verb.tag_ == "VBG" and subj is not None and subj.pos_ == "NOUN"
                and (subj.lemma_ or subj.lower_).lower() in EVENT_NOUNS and head.dep_ == "advcl"
                and head.head.i != head.i and any(c.dep_ == "mark" and c.lower_ in TIME_MARKERS
                                                  for c in head.children)):
            # "He sent a letter as the meeting began vowing to “…”": an event vows nothing; the participle
            # goes with the clause the time clause modifies
            outer = subject_of(head.head, idx, depth + 1)
            if outer is not None and can_speak(outer):
                return outer
        return subj
    if depth < 2 and verb.dep_ == "pcomp" and verb.head.lower_ == "as":
        # "quoted X as saying …": the object speaks, not whoever quoted them
        obj = next((c for c in verb.head.head.children if c.dep_ == "dobj" and not idx.inside(c)), None)
        if obj is not None:
            return obj
    if depth < 2 and verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
        # "After saying …, she left": through the preposition to the clause it modifies
        head = verb.head.head
        if head.pos_ == "NOUN" and head.dep_ in ("dobj", "attr") and head.head.i != head.i:
            head = head.head  # "she made a point of saying …": the one who made the point says it
        subj = subject_of(head, idx, depth + 1)
        if subj is not None and _speechless(subj) and head.pos_ in ("VERB", "AUX"):
            # "X said the ruling “…” before claiming …": a ruling claims nothing; the reporter goes on
            top = _main_clause(head, idx)
            return subj if top.i == head.i else subject_of(top, idx, depth + 1)
        return subj
    if depth and not is_cue(verb):
        return None  # reached by walking up: the object of a verb that is not a speech verb never speaks
    if verb.tag_ == "VBG":
        return None  # "“…,” referencing the crowd": a participle's object is what it names, never its speaker
    # Inverted order ("said Len Burman") the parser did not label as a subject.
    for child in verb.rights:
        if idx.inside(child):
            continue
        if child.ent_type_ in NOT_SPEAKER_ENTS:
            continue  # "reported on Wednesday": a date is never the one who spoke
        if child.dep_ == "dobj" and lemma_of(verb) in HEARER_VERBS:
            continue  # "told the paper": whoever is told listens
        if child.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos", "oprd") and child.pos_ in ("PROPN", "PRON", "NOUN"):
            if child.pos_ == "PRON" and child.lower_ in ("it", "this", "that"):
                continue
            if (child.dep_ == "dobj" and child.pos_ == "NOUN" and lemma_of(verb) not in CLAUSE_VERBS
                    and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in child.children)):
                continue  # "“…,” mocked his plan": the object of a verb that never comes before its subject
            if verb.i < child.i <= verb.i + 6:
                return child
    return _set_off_subject(verb, idx)


def _set_off_subject(verb: Token, idx: DocIndex) -> Token | None:
    """`Alarmed by the unrest, Senator Jane Roe, the minority leader, said …`: a finite speech verb left without a
    subject because the parser hung the name, set off by commas, on the last noun of an opening phrase (as an
    apposition or a conjunct); the highest such name ending right before the verb speaks."""
    perfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("have", "has", "had") for c in verb.children)
    if (verb.tag_ not in ("VBD", "VBZ", "VBP") and not perfect or verb.dep_ != "ROOT" or not is_cue(verb)
            or any(c.dep_ in SUBJECT_DEPS or c.dep_ == "expl" for c in verb.children)):
        return None
    doc = verb.doc
    start = idx.sent(verb).start
    j = verb.i - 1
    while j > start:  # "…, last week said", "…, bluntly suggested": what modifies the verb itself
        mod = next((c for c in verb.lefts if c.dep_ in ("advmod", "npadvmod", "neg", "aux") and c.right_edge.i == j),
                   None)
        if mod is None:
            break
        j = mod.left_edge.i - 1
    if j <= start or doc[j].text != ",":
        return None
    tok = doc[j - 1]
    found = None
    # the name may hold the comma before the verb ("Jane Roe, 44, said")
    while tok.head.i != tok.i and tok.i > start and tok.right_edge.i in (j - 1, j):
        if (tok.dep_ in ("appos", "conj") and tok.left_edge.i > start and doc[tok.left_edge.i - 1].text == ","
                and tok.pos_ in ("PROPN", "NOUN") and not idx.inside(tok)):
            found = tok
        if tok.head.i >= verb.i:
            break
        tok = tok.head
    if found is None or found.ent_type_ in PLACE_ENTS:
        return None
    if can_speak(found) or is_count(found) or found.tag_ == "NNS" or found.pos_ == "NOUN" and not _speechless(found):
        return found
    return None


def _misread_name_before(verb: Token, idx: DocIndex) -> Token | None:
    """`And Roe called him …`, `Roe joked, …`: a capitalised word right before a finite speech verb that the
    parser hung on it as a compound or a modifier rather than as its subject."""
    if (verb.i == 0 or not verb.text.islower() or not is_cue(verb) or verb.tag_ not in FINITE_TAGS
            or any(c.dep_.startswith("aux") for c in verb.children)):
        return None  # a capitalised verb is in a headline, where every word has a capital
    tok = verb.doc[verb.i - 1]
    if (tok.head.i != verb.i or tok.dep_ not in MISREAD_SUBJECT_DEPS
            or tok.pos_ not in ("PROPN", "NOUN") + MISREAD_NAME_POS or not tok.text[:1].isupper()
            or tok.i == idx.sent(verb).start or idx.inside(tok) or tok.ent_type_ in NOT_SPEAKER_ENTS):
        return None
    return tok


def _participle_doer(verb: Token, idx: DocIndex, depth: int) -> Token | None:
    """Who does what a participle on a noun says: `voters saying …` the voters (a reduced relative);
    `X fired back a reply saying …` X, whose object is a mere thing; `X left the hall, saying …` the clause's
    subject, the participle after a comma being an adjunct of the clause rather than of the noun."""
    noun = verb.head
    if _after_comma(verb) or _temporal(noun):
        # "at one point calling him …": a time is no doer either
        clause = next((a for a in noun.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return subject_of(clause, idx, depth + 1) if clause is not None else None
    if noun.dep_ == "pobj" and noun.head.lower_ == "to":
        return None  # "an email to supporters saying …": whom it was sent to
    if noun.dep_ == "dobj" and (_speechless(noun) or is_cue(noun.head) or noun.head.lower_ in SENDING_VERBS):
        # "fired back a reply saying …", "emailed supporters saying …": the sender
        subj = subject_of(noun.head, idx, depth + 1)
        return subj if subj is not None and (can_speak(subj) or not _speechless(subj)) else None
    if _speechless(noun) and noun.dep_ not in SUBJECT_DEPS + ("attr",):
        return None  # "carrying signs saying …": a thing someone else holds up
    return noun


def _speechless(tok: Token) -> bool:
    """A common noun for a thing or an event (`the incident`, `that fact`), which neither speaks nor acts."""
    if tok.pos_ != "NOUN" or tok.ent_type_ or can_speak(tok):
        return False
    word = tok.lower_
    lemma = (tok.lemma_ or word).lower()
    if {word, lemma} & NOT_THING_NOUNS:
        return False
    return not any(c.dep_ in ("compound", "poss") and can_speak(c) for c in tok.children)


def _clause_before_subject(verb: Token, idx: DocIndex) -> Token | None:
    """The subject of a time clause (`when X interrupted`) right before ``verb``, when it can speak."""
    start = idx.sent(verb).start
    for i in range(verb.i - 1, start - 1, -1):
        tok = verb.doc[i]
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ in FINITE_TAGS and not idx.inside(tok):
            if not any(c.dep_ in ("mark", "advmod") and c.lower_ in TIME_MARKERS and c.i < tok.i
                       for c in tok.children):
                return None
            subj = next((c for c in tok.children if c.dep_ == "nsubj" and not idx.inside(c)), None)
            return subj if subj is not None and can_speak(subj) else None
    return None


def _name_before_relative(verb: Token, idx: DocIndex) -> Token | None:
    """`Jane Roe, who chairs the panel, said …`: the parser made the relative clause the verb's complement, with
    the name as a second subject beside the relative pronoun; the name is the verb's subject."""
    if not is_cue(verb):
        return None
    for clause in verb.lefts:
        if clause.dep_ not in ("ccomp", "advcl", "parataxis") or idx.inside(clause):
            continue
        subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS and not idx.inside(c)]
        relative = next((c for c in subjects if c.lower_ in ("who", "which")), None)
        if relative is None:
            continue
        name = next((c for c in subjects if c.i < relative.i and c.pos_ in ("PROPN", "NOUN")), None)
        if name is not None:
            return name
    return None


def _subject_head(subj: Token) -> Token:
    """The noun a misparsed subject stands for: `going` in `majorities of voters going to the polls said` (a
    participle phrase taken for a clausal subject), `Current` in `Current and former officials said` (an
    adjective taken for the head of its coordinated noun)."""
    if (subj.dep_ == "csubj" and subj.tag_ in ("VBG", "VBN")
            and not any(c.dep_ in ("aux", "auxpass", "mark") for c in subj.children)):
        inner = next((c for c in subj.children if c.dep_ == "nsubj" and c.i < subj.i), None)
        if inner is not None and inner.pos_ in ("NOUN", "PROPN"):
            return inner
    if subj.pos_ == "ADJ" and any(c.dep_ == "cc" for c in subj.children):
        noun = next((c for c in subj.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")), None)
        if noun is not None:
            return noun
    if subj.pos_ == "PROPN" and not subj.ent_type_ and subj.dep_ == "nsubj" and subj.head.i > subj.i + 1:
        # "Longtime Daybreak writer and producer Tom Velasco tweeted": an untagged name (a show's, a paper's)
        # taken for the head of the subject, the person named right before the verb hung inside it
        doc = subj.doc
        last = doc[subj.head.i - 1]
        first = last.i
        while first > subj.i and doc[first].ent_iob_ == "I":
            first -= 1
        if (last.ent_type_ == "PERSON" and last.pos_ == "PROPN" and subj.left_edge.i <= last.i <= subj.right_edge.i
                and first > subj.i and not any(t.ent_type_ == "PERSON" for t in doc[subj.i:first])):
            return last
    return subj


def _subject_of_modified(verb: Token, idx: DocIndex) -> Token | None:
    """`Activists clamoring for a vote say …`: a finite speech verb the parser hung as a loose dependent on the
    participle (or adjective) that modifies its subject, which it took for the main verb."""
    head = verb.head
    if (verb.dep_ != "dep" or head.i > verb.i or verb.tag_ not in ("VBD", "VBZ", "VBP") or not is_cue(verb)
            or head.tag_ not in ("VBG", "VBN", "JJ") or any(c.dep_ in ("aux", "auxpass", "neg") for c in head.children)):
        return None
    subj = next((c for c in head.children if c.dep_ == "nsubj" and c.i < head.i and not idx.inside(c)), None)
    return subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else None


def _name_after_opening_phrase(verb: Token, idx: DocIndex) -> Token | None:
    """`Calling it “a sham”, Jane Roe of Speak Out, a charity, told Reuters …`: a cue left without a subject
    after a participle phrase that opens the sentence, the speaker's name hung on the phrase's object as an
    apposition; the name, set off by a comma, with nothing but its description before the verb."""
    if not is_cue(verb) or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    start = idx.sent(verb).start
    opening = next((c for c in verb.lefts if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i == start), None)
    if opening is None:
        return None
    doc = verb.doc
    name = next((t for t in opening.subtree if t.dep_ == "appos" and t.ent_type_ == "PERSON" and t.pos_ == "PROPN"
                 and not idx.inside(t)), None)
    if name is None or name.left_edge.i <= start or doc[name.left_edge.i - 1].text != ",":
        return None
    if any(t.pos_ in ("VERB", "AUX") and not idx.inside(t) for t in doc[name.i + 1:verb.i]):
        return None
    return name


def _name_before_aside(verb: Token, idx: DocIndex) -> Token | None:
    """`Jane Roe, a lawyer helping the family, said the …`, `Roe, who backed Doe and opposed the plan, said …`: the
    parser read the name and its aside as a clause the verb reports, though the verb reports the clause after it;
    the name, set off by its comma, is the subject."""
    if not is_cue(verb) or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    if not any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):
        return None
    doc = verb.doc
    start = idx.sent(verb).start
    for clause in verb.lefts:
        if clause.dep_ != "ccomp" or idx.inside(clause):
            continue
        subj = next((c for c in clause.children if c.dep_ == "nsubj" and c.i < clause.i), None)
        if (subj is None or subj.pos_ not in ("PROPN", "NOUN") or idx.inside(subj) or subj.i + 1 >= verb.i
                or doc[subj.i + 1].text != ","):
            continue
        if any(not (t.is_punct or t.dep_ == "cc") for t in doc[start:clause.left_edge.i]):
            continue  # the name opens the sentence
        if all(t.is_punct or t.dep_ in ("advmod", "npadvmod", "amod", "neg") and t.head.i != clause.i
               for t in doc[clause.right_edge.i + 1:verb.i]):
            return subj
    return None


def _after_comma(tok: Token) -> bool:
    """Whether ``tok`` follows a comma, perhaps with a closing quotation mark between (`…,” adding`)."""
    doc = tok.doc
    i = tok.i - 1
    while i >= 0 and doc[i].is_quote:
        i -= 1
    return i >= 0 and doc[i].text == ","


def _main_clause(head: Token, idx: DocIndex) -> Token:
    """`X said the plan was “…,” adding …`: a participle set off by a comma modifies the reporting clause,
    though the parser hangs it on the last verb before it, inside the reported clause (or the belief it
    reports); a speech verb there (`…, Y added, saying`) has the participle as its own."""
    top = head
    while ((top.dep_ in REPORTED_DEPS or top.dep_ == "advcl" and opens_with_that(top))
           and top.head.i != top.i and idx.same_sentence(top.head, head)
           and (not is_cue(top) or lemma_of(top) in COGNITION_VERBS)):
        up = top.head
        if up.pos_ == "NOUN" and up.dep_ in ("dobj", "pobj", "attr") and up.head.i != up.i:
            up = up.head  # "denied the notion that …": the noun's verb
            up = up.head if up.dep_ == "prep" and up.head.i != up.i else up
        elif up.pos_ == "ADJ" and up.dep_ in ("acomp", "ccomp", "oprd") and up.head.i != up.i:
            up = up.head  # "made clear that …", "was adamant that …": the adjective's verb
        if idx.inside(up) or up.pos_ not in ("VERB", "AUX"):
            break
        top = up
    if top.i == head.i:
        return head
    subj = subject_of(top, idx, 1)
    return top if subj is not None and can_speak(subj) else head


def opens_with_that(clause: Token) -> bool:
    """Whether a clause opens with "that" (`clear [that it was …]`), a complement the parser labelled adverbial."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _name_run_into_person(first: Token, last: Token, verb: Token) -> bool:
    """`Longtime Rivers in the Evening host Dana Pike wrote`: an untagged name (a show's, a paper's) run into the
    description of the person named right before the verb, both taken for subjects."""
    return (first.pos_ == "PROPN" and not first.ent_type_ and last.pos_ == "PROPN" and last.ent_type_ == "PERSON"
            and first.i < last.i == verb.i - 1
            and not any(t.is_punct for t in verb.doc[first.right_edge.i + 1:last.left_edge.i + 1]))


def _aside_before_person(first: Token, last: Token, verb: Token) -> bool:
    """`In Ruritania, the country worst hit, health minister Jane Roe said`: a common noun set off by commas (the
    opening phrase's apposition) taken for a subject beside the name right before the verb."""
    doc = verb.doc
    return (first.pos_ == "NOUN" and last.ent_type_ == "PERSON" and first.i < last.i == verb.i - 1
            and first.right_edge.i + 1 < last.left_edge.i and doc[first.right_edge.i + 1].text == ","
            and first.left_edge.i > 0 and doc[first.left_edge.i - 1].text == ",")


def _run_in_subject(first: Token, second: Token, verb: Token) -> bool:
    """`No wonder Roe said`: a thing run into a speaker's subject without a comma, both before the verb."""
    if not first.i < second.i < verb.i or second.pos_ not in ("PROPN", "PRON", "NOUN") or not can_speak(second):
        return False
    if can_speak(first) or first.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.lower_ in RELATIVE_PRONOUNS | {"whose"} for c in second.subtree):
        return False  # "the hacker whose exploits first showed …": a relative clause, not a second subject
    return not any(t.is_punct for t in verb.doc[first.right_edge.i + 1:second.left_edge.i + 1])


def _past_split_word(tok: Token) -> Token | None:
    """`said study co-author Roe`: the name after a hyphenated word the tokenizer split, for its first half."""
    doc, hyphen = tok.doc, tok.i + 1
    if tok.whitespace_ or hyphen + 1 >= len(doc) or doc[hyphen].text != "-":
        return None
    for t in doc[hyphen + 1:hyphen + 5]:
        if t.ent_type_ == "PERSON" and t.pos_ == "PROPN":
            return next((n for n in doc[t.i:t.i + 4] if n.ent_type_ == "PERSON" and n.head.ent_type_ != "PERSON"), t)
        if t.pos_ not in ("NOUN", "ADJ", "PROPN", "PUNCT"):
            return None
    return None


def _writer_aside(verb: Token, subjects: list[Token], idx: DocIndex) -> bool:
    """`said, and I quote, “…”`: the writer vouching for the wording of a speech verb it is coordinated with."""
    if lemma_of(verb) not in ASIDE_VERBS or verb.dep_ != "conj" or verb.head.i > verb.i or not is_cue(verb.head):
        return False
    if idx.inside(verb.head) or not idx.same_sentence(verb.head, verb):
        return False
    return len(subjects) == 1 and subjects[0].lower_ in ("i", "we")


def _state_after_town(tok: Token) -> bool:
    """`in Springfield, Illinois,`: a place name right after a comma that follows another place name."""
    first = tok.left_edge
    doc = tok.doc
    return (tok.ent_type_ in PLACE_ENTS and first.i >= 2 and doc[first.i - 1].text == ","
            and doc[first.i - 2].ent_type_ in PLACE_ENTS)


def _inverted_subject(verb: Token, idx: DocIndex) -> Token | None:
    """`… signals “…”, said Jane Roe`: the subject right after a speech verb set off by a comma, which the
    parser gave the verb beside the noun the clause before the comma opens with."""
    doc = verb.doc
    if verb.i == 0 or verb.i + 1 >= len(doc) or doc[verb.i - 1].text != "," or not is_cue(verb):
        return None
    tok = doc[verb.i + 1]
    if tok.pos_ == "DET":
        tok = doc[verb.i + 2] if verb.i + 2 < len(doc) else tok
    while tok.dep_ in ("compound", "flat", "amod") and tok.head.i > tok.i and tok.head.i <= verb.i + 6:
        tok = tok.head
    if tok.pos_ not in ("PROPN", "NOUN") or idx.inside(tok) or tok.dep_ not in SUBJECT_DEPS:
        return None
    if tok.head.i != verb.i or lemma_of(verb) in PASSIVE_NOT_SPEAKER:
        return None  # "…, told Al Jazeera": whom she told
    before = [c for c in verb.lefts if c.dep_ in SUBJECT_DEPS]
    if any(c.pos_ in ("PROPN", "PRON") for c in before):
        return None  # "Jane Roe, an adviser, said Smith …": the name before the comma speaks
    return tok


# Nouns that name a time, which a prepositional phrase after a speaker (`at the time`) is about.
TIME_NOUNS = frozenset({"time", "moment", "point", "day", "week", "month", "year", "night", "morning",
                        "afternoon", "evening", "weekend"})


def _temporal(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or noun_lemma(tok) in TIME_NOUNS


def mention_of(head: Token, idx: DocIndex) -> Mention:
    """The name phrase around ``head``: its modifiers, without appositions, clauses or quoted text."""
    toks = [head]
    stack = [head]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in MENTION_DEPS and not idx.inside(c) and abs(c.i - head.i) <= 12:
                if c.dep_ == "prep" and (c.i < head.i or head.pos_ == "PROPN" and not any(
                        o.dep_ == "pobj" and o.pos_ == "PROPN" for o in c.children)):
                    continue  # "a spokesman for the campaign", "Ministry of Defence" keep theirs; "X from the camp" not
                if c.dep_ == "prep" and sum(1 for _ in c.subtree) > 6:
                    continue
                if c.dep_ == "prep" and any(o.dep_ == "pobj" and _temporal(o) for o in c.children):
                    continue  # "the report on Wednesday", "Roe at the time": when, not who
                toks.append(c)
                stack.append(c)
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks) + 1
    doc = head.doc
    kept = {t.i for t in toks}
    # "a group of farmers called for a boycott, and …": a finite verb run on from the name without a comma
    # opens a clause, which no name phrase holds (an aside between commas may: "Jane Roe, who …, said")
    clause = next((i for i in range(head.i + 1, hi) if i not in kept and doc[i].tag_ in ("VBD", "VBZ", "VBP")
                   and i - 1 in kept and not doc[i - 1].is_punct and doc[i].dep_ in ("acl", "relcl")), None)
    if clause is not None:
        hi = clause
    # "the complaint, which was filed in …": a relative clause after a comma describes the speaker
    aside = next((i for i in range(head.i + 1, hi - 1) if doc[i].text == "," and doc[i + 1].lower_ in RELATIVE_PRONOUNS),
                 None)
    if aside is not None:
        hi = aside
    if (head.ent_type_ == "ORG" and hi < len(doc) and doc[hi].ent_iob_ == "I" and doc[hi].pos_ in ("ADP", "PART")
            and not doc[hi].is_punct):
        # "The Committee to Protect Journalists said", cut by the parse at "to": the body's whole name
        end = hi
        while end < len(doc) and end - head.i <= 12 and doc[end].ent_iob_ == "I" and not doc[end].is_punct:
            end += 1
        hi = end
    # keep the phrase contiguous around the head and free of edge punctuation
    while lo < head.i and idx.in_dateline(doc[lo]):
        lo += 1
    while lo < head.i and (doc[lo].is_punct or doc[lo].dep_ in ("cc", "prep")):
        lo += 1
    if lo < head.i and doc[lo].is_sent_start and doc[lo].text[:1].isupper() and speech_verb_form(doc[lo].text):
        lo += 1  # `Said Jane Roe: “…”`: a cue opening the sentence that the tagger took into the name
    while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].dep_ in ("cc", "case", "prep")):
        if doc[hi - 1].text == ")" and "(" in doc[head.i:hi - 1].text:
            break  # "Jane Roe (D-Ohio)": the party label keeps its closing bracket
        hi -= 1
    for i in range(lo, hi):
        if idx.inside(doc[i]):
            if i < head.i:
                lo = i + 1
            else:
                hi = i
                break
    return Mention(lo, hi, head.i)


def _statement_source(verb: Token, idx: DocIndex) -> Token | None:
    """The named holder of a noun cue in the cue's clause: "in a statement issued by X", "X's statement"."""
    # what the cue reports is not where it was said: "the lawmaker said X's remarks had …" is the lawmaker's
    reported = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
    for tok in verb.subtree:
        if any(c.left_edge.i <= tok.i <= c.right_edge.i for c in reported):
            continue
        if idx.inside(tok) or noun_lemma(tok) not in NOUN_CUES or tok.pos_ != "NOUN":
            continue
        for t in tok.subtree:
            if t.dep_ == "poss" and t.head.i == tok.i and t.pos_ == "PROPN":
                return t
            if t.dep_ == "pobj" and t.head.lower_ in ("by", "from") and t.pos_ in ("PROPN", "NOUN"):
                if t.ent_type_ or any(c.dep_ == "poss" for c in t.children):
                    return t
    return None


def near_subject(verb: Token, idx: DocIndex) -> Token | None:
    """The name or pronoun next to a cue the parser left without a subject: `“…,” X said` or `said X`."""
    doc = verb.doc
    left = verb.i - 1
    while left >= 0 and doc[left].pos_ in ("ADV", "AUX", "PART") and verb.i - left <= 3:
        left -= 1
    if left > 0 and doc[left].ent_type_ in ("DATE", "TIME"):
        # "who Roe on Monday called …": a day between the subject and its cue is when, never who, spoke
        while left >= 0 and doc[left].ent_type_ in ("DATE", "TIME") and verb.i - left <= 5:
            left -= 1
        if left >= 0 and doc[left].pos_ == "ADP":
            left -= 1
        if left < 0 or doc[left].ent_type_ in ("DATE", "TIME"):
            return None
    if left > 0 and doc[left].text == ")":
        # "Rep. Jane Roe (D-Ohio) said": the name before a party label in brackets
        opening = next((i for i in range(left - 1, max(-1, left - PARTY_LABEL_MAX - 2), -1) if doc[i].text == "("),
                       None)
        if opening is not None and opening > 0 and doc[opening - 1].pos_ == "PROPN":
            left = opening - 1
    if left >= 0 and doc[left].pos_ in ("PROPN", "PRON") and not idx.inside(doc[left]):
        return doc[left]
    if (left >= 0 and left == verb.i - 1 and verb.tag_ in ("VBD", "VBZ", "VBP") and doc[left].pos_ == "NOUN"
            and doc[left].dep_ == "appos" and doc[left].head.i < left and not idx.inside(doc[left])):
        return doc[left]  # "In an interview with Jane Roe, the candidate stated": the subject hung on the name
    if (left > 0 and doc[left].text == "," and doc[left - 1].pos_ == "PROPN" and doc[left - 1].ent_type_ == "PERSON"
            and not idx.inside(doc[left - 1]) and idx.same_sentence(doc[left - 1], verb)):
        return doc[left - 1]  # "In a statement, her adviser, Jane Roe, said": the name the parser hung elsewhere
    if left > 0 and doc[left].text == "," and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        # "On Monday, Col. Jane Roe, a spokesman in the capital, said": the name before an aside that the
        # parser hung on the date, leaving the cue without a subject
        j = left - 1
        while j > 0 and left - j <= NAME_ASIDE_MAX and doc[j].text != "," and not idx.inside(doc[j]):
            j -= 1
        name = doc[j - 1] if j > 0 and doc[j].text == "," else None
        if (name is not None and name.pos_ == "PROPN" and name.ent_type_ == "PERSON" and not idx.inside(name)
                and idx.same_sentence(name, verb)):
            return name
    if lemma_of(verb) in PASSIVE_NOT_SPEAKER or lemma_of(verb) in HEARER_VERBS or verb.tag_ == "VBG":
        # "called Jane Roe “…”": the name after such a verb is who was spoken to or about; after a participle
        # ("“…,” referencing the crowd") it is what the participle names
        return None
    # `“…,” said the woman, who …`: right after a quote, a common noun too can follow the cue
    after_quote = left >= 0 and (idx.inside(doc[left]) or doc[left].text == "," and left > 0 and idx.inside(doc[left - 1]))
    for i in range(verb.i + 1, min(len(doc), verb.i + 4)):
        t = doc[i]
        if idx.inside(t) or t.is_punct:
            break
        # `“…,” said Kimbly`: a name right after the cue that the tagger took for an adverb or adjective
        misread = after_quote and i == verb.i + 1 and t.text[:1].isupper() and t.pos_ in MISREAD_NAME_POS
        if (t.pos_ == "PROPN" or misread or after_quote and t.pos_ == "NOUN" and i > verb.i + 1) and (
                t.ent_type_ not in NOT_SPEAKER_ENTS):
            while t.head.i > t.i and t.head.i < verb.i + 8 and t.dep_ in ("compound", "flat"):
                t = t.head
            return t
    return None


#: Entity labels of a place or body a post is "of": a name set off after it is the post's holder, not the place's.
OFFICE_OF_LABELS = frozenset({"GPE", "LOC", "ORG", "FAC"})


def _office_holder(title: Token, idx: DocIndex) -> Token | None:
    """The name set off after a post of a place or body: "The governor of Bahia, Jane Roe, said", where the
    parser hangs the name on the place as its apposition (a place or body is no person)."""
    if title.lower_ not in PERSON_TITLES:
        return None
    for prep in (c for c in title.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "at")):
        for place in (g for g in prep.children if g.dep_ == "pobj" and g.ent_type_ in OFFICE_OF_LABELS):
            for name in place.children:
                if (name.dep_ == "appos" and name.ent_type_ == "PERSON" and name.pos_ == "PROPN"
                        and name.doc[name.left_edge.i - 1].text == "," and not idx.inside(name)):
                    return name
    return None


def _evidence_source(noun: Token, idx: DocIndex) -> Token | None:
    """Whose figures, projections or data they are (`according to figures from the ministry`, `according to data
    released by the statistics office`): a named source or a description, not the document."""
    if noun.pos_ != "NOUN" or noun_lemma(noun) not in EVIDENCE_NOUNS and noun.lower_ not in EVIDENCE_NOUNS:
        return None
    holder = _holder(noun, idx)
    if holder is None:
        holder = next((agent_of(c, idx) for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"), None)
    if holder is None:  # "according to WHO data", "Census Bureau figures": the body named before the word
        holder = next((c for c in reversed(list(noun.lefts)) if c.dep_ in ("compound", "nmod") and (
            c.ent_type_ == "ORG" or c.pos_ == "PROPN" and c.ent_type_ == "")), None)
    if holder is None or holder.pos_ not in ("PROPN", "NOUN") or noun_lemma(holder) in EVIDENCE_NOUNS:
        return None
    return holder


def _holder(noun: Token, idx: DocIndex) -> Token | None:
    """Who a statement belongs to: `X's statement`, `a statement from X`, `X issued a statement`."""
    for c in noun.children:
        if c.dep_ == "poss" and not idx.inside(c):
            return c
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is not None and not idx.inside(obj):
                return obj
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
        return next((c for c in noun.head.children if c.dep_ == "nsubj" and not idx.inside(c)), None)
    return None


def cue_and_speaker(verb: Token, idx: DocIndex, nearby: bool = False) -> tuple[Token, Token] | None:
    subj = subject_of(verb, idx)
    if subj is not None and not idx.same_paragraph(subj, verb):
        subj = None
    if (subj is not None and subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" and verb.head.pos_ == "NOUN"
            and noun_lemma(verb.head) in NOUN_CUES - EVIDENCE_NOUNS):
        # "a statement which read …": the statement, whose holder follows; but a report or a study that found
        # something speaks for itself, and a name ("The Post, which argued") is no noun of saying
        subj = verb.head
    beside = False
    if subj is None and nearby:
        subj = near_subject(verb, idx)
        beside = subj is not None
    if subj is not None and subj.pos_ == "NOUN" and noun_lemma(subj) in NOUN_CUES:
        subj = _holder(subj, idx) or subj
    if subj is not None and subj.pos_ == "NOUN" and subj.lower_ in ANONYMOUS_HEADS:
        source = _statement_source(verb, idx)
        if source is not None:
            subj = source
    if subj is not None and is_count(subj) and not _one_of(subj):
        subj = _survey_of(verb, subj, idx) or subj
    if subj is not None and subj.pos_ == "NOUN" and subj.ent_type_ != "PERSON":
        # "With days left, the campaign's adviser Jane Roe, said": a name the parser hung as an apposition
        # (a name the recogniser missed, set off after a title: "The president of the federation, Ana Ruiz, said")
        name = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN" and not idx.inside(c)
                     and (c.ent_type_ == "PERSON" or c.ent_type_ == "" and subj.lower_ in PERSON_TITLES
                          and c.left_edge.i < c.i and c.doc[c.left_edge.i - 1].text == ",")), None)
        subj = name or _office_holder(subj, idx) or subj
    if subj is not None and subj.ent_type_ in ("DATE", "TIME") and subj.dep_ in SUBJECT_DEPS:
        # "Saturday at the party convention Jane Roe said": a day taken for the subject, the name hung on the
        # place as an apposition
        names = [t for t in subj.subtree if t.dep_ == "appos" and t.ent_type_ == "PERSON" and t.pos_ == "PROPN"
                 and not idx.inside(t) and t.i < verb.i]
        subj = names[-1] if names else subj
    if subj is None or idx.inside(subj):
        return None
    if subj.pos_ not in ("PROPN", "PRON", "NOUN", "NUM", "X") and subj.ent_type_ == "" and not (
            subj.lower_ in QUANTIFIER_SUBJECTS and subj.dep_ in SUBJECT_DEPS) and not (
            _misread_subject(subj, idx, beside)):
        return None
    if subj.pos_ == "PRON" and subj.lower_ in ("there", "this", "that", "what", "which", "who", "something", "nothing", "anyone", "everyone"):
        # "X, who endorsed Y and said …", "who surprised Y by saying …": a person's relative clause speaks
        # for every verb reached from it (a "that" or "which" may stand for a document, not its holder)
        if not (subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" or subj.lower_ == "who"
                and subj.head.dep_ == "relcl" and subj.dep_ in SUBJECT_DEPS):
            antecedent = _who_after_noun(subj, verb)
            if antecedent is None:
                return None
            subj = antecedent
    return verb, subj


def _who_after_noun(who: Token, verb: Token) -> Token | None:
    """`…, according to police, who said …`: the noun right before a "who" that the parser did not make a
    relative clause of (the verb coordinated with the main one): the one who speaks."""
    doc = who.doc
    k = who.i - 1
    if k > 0 and doc[k].text == ",":
        k -= 1
    if who.lower_ != "who" or who.head.i != verb.i or who.dep_ not in SUBJECT_DEPS or k < 0:
        return None
    noun = doc[k]  # "who" says it is someone
    return noun if noun.pos_ in ("NOUN", "PROPN") and noun.ent_type_ not in NOT_SPEAKER_ENTS else None


def _misread_subject(subj: Token, idx: DocIndex, beside: bool = False) -> bool:
    """`this double declared`, `“…,” Down said`: a subject the tagger took for an adverb, adjective or
    preposition, yet a noun phrase by its determiner or a name by its capital inside the sentence; ``beside``
    when near_subject found it next to its cue rather than the parse."""
    if subj.pos_ in MISREAD_NAME_POS:
        before = _misread_name_before(subj.head, idx)
        if before is not None and before.i == subj.i:
            return True  # "And Roe called him …" with "Roe" read as an adverb
    if subj.pos_ == "VERB" and subj.dep_ == "nsubj" and any(c.dep_ == "det" and c.i < subj.i for c in subj.children):
        return True  # "the Gold Star parents, whose …, say": a plural noun the tagger took for a verb
    if not (beside or subj.dep_ in SUBJECT_DEPS) or subj.pos_ not in MISREAD_NAME_POS + ("ADP",):
        return False
    if any(c.dep_ == "det" and c.i < subj.i for c in subj.children):
        return True
    return subj.text[:1].isupper() and subj.i > idx.sent(subj).start


def is_count(tok: Token) -> bool:
    """`38 percent of voters`, `Six in 10`, `a majority of Democrats`: a share of respondents."""
    if tok.pos_ == "NUM" or tok.lower_ in ("percent", "%", "majority", "majorities", "half", "third", "quarter"):
        return True
    return any(c.dep_ == "nummod" and any(q.lower_ == "in" for q in c.children) for c in tok.children)


def _one_of(tok: Token) -> bool:
    """`One of her former aides`: a single member of a group, who speaks in person, not a share of respondents."""
    return tok.lower_ == "one" and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)


def _survey_of(verb: Token, subj: Token, idx: DocIndex) -> Token | None:
    """`In a recent poll, 38 percent said …`, `20 percent of people in a poll said …`: the survey speaks
    for the share of its respondents."""
    preps = [c for c in subj.subtree if c.dep_ == "prep" and c.lower_ == "in"]
    while True:
        preps += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"]
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            break
        verb = verb.head  # "In a poll, 38 percent said …, and 60 percent said …"
    for prep in preps:
        for obj in prep.children:
            if (obj.dep_ == "pobj" and not idx.inside(obj)
                    and noun_lemma(obj) in EVIDENCE_NOUNS):
                return obj
    # "The poll has bad news for X — 25 percent of voters say …": a survey the sentence opens with speaks for
    # its share (one in the sentence before may only have set the scene)
    k = idx.sent_start[subj.i]
    for tok in reversed(subj.doc[idx.sentences[k].start:subj.i]):
        if (tok.lower_ in POLL_NOUNS and tok.dep_ in SUBJECT_DEPS and not idx.inside(tok)
                and idx.same_paragraph(tok, subj)):
            return tok
    return None


def can_speak(tok: Token) -> bool:
    """Whether a subject is someone (a name, a person pronoun, a group of people) rather than a thing."""
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ in PERSON_PRONOUNS_SUBJ or tok.lower_ == "you"
    return tok.pos_ == "PROPN" or tok.lower_ in ANONYMOUS_HEADS

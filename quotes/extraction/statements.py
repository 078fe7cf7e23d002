"""Find statements held in nouns and frames: `her claim that …`, `made it clear that …`, `according to X, …`."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

from .attributions import CONFIDENCE, Attribution
from .clauses import (CAUSE_FORMS, CLAUSE_BREAK, PEOPLE_PLURALS, SEPARATOR, clause_chars, in_order, infinitive,
                      quoted_share)
from .cues import (PERSON_PRONOUNS_SUBJ, SUBJECT_DEPS, DocIndex, agent_of, can_speak, cue_and_speaker, is_cue, lemma_of,
                   mention_of, noun_lemma, opens_with_that)
from .lexicon import (CONTENT_NOUNS, EVIDENCE_VERBS, HOLDER_VERBS, NOUN_CUES, ORGANIZATION_HEADS, POLL_NOUNS,
                      REPORT_NOUNS, verb_forms, words)

def in_poll(tok: Token, idx: DocIndex) -> Iterator[Attribution]:
    """`In a poll released Monday, the senator led by 10 points`: the poll speaks for the clause it frames, unless
    a verb of saying or finding in that clause has a speaker of its own (`In a poll, 38 percent said …`)."""
    head = tok.head
    poll = next((c for c in tok.children if c.dep_ == "pobj" and c.lower_ in POLL_NOUNS), None)
    if poll is None or head.pos_ not in ("VERB", "AUX") or is_cue(head) or lemma_of(head) in EVIDENCE_VERBS:
        return
    doc = tok.doc
    if not (head.i > tok.i and idx.sent(tok).start == tok.i and any(t.text == "," for t in doc[tok.i:head.i])):
        return  # "trails in the polls" places someone; only a poll that opens the sentence frames it
    comma = next(t.i for t in doc[tok.i:head.i] if t.text == ",")
    for start, end in _framed(tok, head, idx, comma):
        yield Attribution(start, end, "indirect", mention_of(poll, idx), tok.i, "according_to",
                          CONFIDENCE["according_to"])


#: Nouns of a point of view that frame the clause after them: "In his opinion, …", "In the analysis of X, …".
VIEW_NOUNS = frozenset({"opinion", "view", "estimation", "assessment", "analysis", "judgment", "judgement", "words"})
#: Entities that can hold a view or issue a document ("per X"): not a date, a place or a figure.
SOURCE_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def framing_source(tok: Token, idx: DocIndex) -> Iterator[Attribution]:
    """`In his opinion, …`, `In the analysis of X, …`, `From her point of view, …`, `Per the decree signed by X,
    …`: a phrase that opens the sentence, set off by a comma, says whose view or document the clause after it is."""
    head = tok.head
    if head.pos_ not in ("VERB", "AUX") or head.i < tok.i or idx.inside(head) or idx.sent(tok).start != tok.i:
        return
    doc = tok.doc
    comma = tok.right_edge.i + 1
    if comma >= head.i or doc[comma].text != ",":
        return
    obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if obj is None or idx.inside(obj):
        return
    source = _view_holder(tok, obj) if tok.lower_ in ("in", "from") else _document_source(obj, idx)
    if source is None or idx.inside(source):
        return
    if any(is_cue(t) and t.pos_ == "VERB" and any(c.dep_ == "nsubj" and can_speak(c) for c in t.children)
           for t in idx.sent(tok) if t.i > comma and not idx.inside(t)):
        return  # a speaker of its own ("In his view, Roe said, …") says whose it is
    for start, end in _framed(tok, head, idx, comma):
        yield Attribution(start, end, "indirect", mention_of(source, idx), tok.i, "according_to",
                          CONFIDENCE["according_to"])


def _view_holder(tok: Token, noun: Token) -> Token | None:
    """Whose view ``noun`` is: its possessor ("his", "Roe's") or its `of` phrase ("the view of the council")."""
    if tok.lower_ == "from" and noun.lower_ == "point":  # "from her point of view"
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None or not any(g.dep_ == "pobj" and g.lower_ == "view" for g in of.children):
            return None
    elif noun_lemma(noun) not in VIEW_NOUNS or (tok.lower_ == "from" and noun.lower_ != "view"):
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        owner = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if owner is None or not (owner.pos_ == "PRON" or owner.ent_type_ in SOURCE_ENTS or can_speak(owner)):
        return None
    return owner


def _document_source(obj: Token, idx: DocIndex) -> Token | None:
    """The source "per X" gives: X's author ("the decree signed by X", "numbers reported by X"), or X itself when
    it is a body or a person, or a statement or report."""
    author = next((by for acl in obj.children if acl.dep_ == "acl" if (by := agent_of(acl, idx)) is not None), None)
    if author is not None:
        return author
    if obj.ent_type_ in SOURCE_ENTS or noun_lemma(obj) in NOUN_CUES:
        return obj
    return None


def according_to(tok: Token, idx: DocIndex) -> Iterator[Attribution]:
    found = cue_and_speaker(tok, idx)
    if not found:
        return
    _, subj = found
    for start, end in _framed(tok, tok.head, idx):
        yield Attribution(start, end, "indirect", mention_of(subj, idx), tok.i, "according_to",
                          CONFIDENCE["according_to"])


FIGURE_ENTS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _closing_with(toks: list[Token]) -> list[Token]:
    """`He is one of the poorest members, with a net worth under $100,000, according to filings`: a closing `with`
    phrase set off by a comma gives the source's figure and the clause before it is the writer's comment, unless that
    clause has figures of its own (`spending rose 5 percent, with …`). Its tokens, or none."""
    words = [t for t in toks if not t.is_punct]
    if not words:
        return []
    doc = words[0].doc
    for t in toks:
        if (t.dep_ == "prep" and t.lower_ == "with" and t.i > 0 and doc[t.i - 1].text == ","
                and t.right_edge.i == words[-1].i and t.i > words[0].i + 2):
            if any(k.ent_type_ in FIGURE_ENTS for k in words if k.i < t.i):
                return []
            return [k for k in toks if t.i < k.i <= t.right_edge.i]
    return []


def _framed(tok: Token, head: Token, idx: DocIndex, lead: int = -1) -> Iterator[tuple[int, int]]:
    """The clause a source phrase (`according to X`, `in a poll`) hangs on, on the side of its head verb; a
    phrase that opens the sentence ends at ``lead`` (its comma), whatever the parser hung on the verb before."""
    if head.i == tok.i or idx.inside(head):
        return
    if head.i < tok.i:
        # "A won 37 percent, B had 36 percent and C 13 percent, according to X": all the conjuncts
        while (head.dep_ == "conj" and head.head.i < head.i and not idx.inside(head.head)
               and head.head.pos_ in ("VERB", "AUX")):
            head = head.head
    skip = {t.i for t in tok.subtree}
    toks = [t for t in in_order(head) if t.i not in skip and idx.same_sentence(t, tok)]
    if not toks:
        return
    # the clause is on one side of "according to X": keep the side with the head verb
    if head.i > tok.i:
        toks = [t for t in toks if t.i > max(max(skip), lead)]
    else:
        toks = [t for t in toks if t.i < min(skip)]
        # "The tax did not scare banks away: London led the world, according to X": only the part the source closes
        cuts = list(CLAUSE_BREAK.finditer(idx.text, toks[0].idx, tok.idx)) if toks else []
        if cuts:
            toks = [t for t in toks if t.idx >= cuts[-1].end()]
        toks = _closing_with(toks) or toks
    while toks and (toks[0].is_punct or toks[0].lower_ == "that"):
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    if len(toks) < 3:
        return
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    if quoted_share(start, end, idx.quoted) > 0.6:
        return
    yield start, end
    if lead < 0 and tok.i > 0 and tok.doc[tok.i - 1].text == ",":
        yield from _other_side(tok, head, idx)


def _other_side(tok: Token, head: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`Fundraising, according to X, has surged`, `One of the plans, according to X, is to sell`: the part of the
    clause on the other side of a source phrase set off by commas (the subject or the phrase that opens it, or the
    verb phrase after the subject the source hangs on)."""
    doc = tok.doc
    last = tok.right_edge.i
    while last > tok.i and doc[last].is_punct:
        last -= 1
    if last + 1 >= len(doc) or doc[last + 1].text != ",":
        return
    if head.i > tok.i:
        toks = [t for t in in_order(head) if t.i < tok.i and idx.same_sentence(t, tok)]
    elif (head.dep_ in SUBJECT_DEPS and head.head.i > last and head.head.pos_ in ("VERB", "AUX")
          and not idx.inside(head.head)):
        toks = [t for t in in_order(head.head) if t.i > last and idx.same_sentence(t, tok)]
    else:
        return
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    if not toks or any(idx.inside(t) for t in toks):
        return
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    if end - start >= 8 and not SEPARATOR.search(idx.text, start, end):
        yield start, end


# Possessive pronouns that hold a statement noun for a person (`his claim`); `its` and `their` may be a thing's.
PERSON_POSSESSIVES = frozenset({"his", "her", "my", "our", "your", "their"})
# Statement nouns whose `for` phrase is what was demanded (`his call for a ban`).
DEMAND_NOUNS = frozenset({"call", "demand", "plea", "proposal"})
HOLDER_VERB_FORMS = verb_forms(HOLDER_VERBS)
HELD_NOUNS = words("held_nouns")
# Prepositions whose object is what a held noun is about (`concern about`, `support for`, `defense of`); `to` only
# after the nouns it links to a topic (`reference to`, not the addressee of `condolences to`).
HELD_PREPS = frozenset({"about", "over", "on", "of", "for", "against", "regarding", "concerning", "with", "at",
                        "toward", "towards"})
TO_NOUNS = frozenset({"reference", "opposition", "commitment"})
# Content nouns for a state of mind, whose topic is no statement when held (a court issues an opinion on a case).
BELIEF_NOUNS = frozenset({"belief", "view", "opinion"})
#: Every noun (as noun_lemma gives it) that noun_content can find a statement on; it passes over all others.
STATEMENT_NOUNS = REPORT_NOUNS | HELD_NOUNS | CONTENT_NOUNS | {"view"}
# The ones that still name the topic when the parser hangs them on the verb, not a place, time or manner.
VERB_HELD_PREPS = frozenset({"about", "over", "for", "to", "against", "regarding", "concerning"})
# Adjectives with which `make` reports a clause: `Roe made (it) clear that …`.
PLAIN_WORDS = frozenset({"clear", "plain"})
# Prepositions through which a verb's subject carries a statement noun (`won votes with promises to …`).
CARRIER_PREPS = frozenset({"with", "on"})
COPULAS = frozenset({"is", "was", "are", "were"})


def speaks(tok: Token) -> bool:
    """A holder who may say something: a name, a person pronoun, a person noun or a body of people."""
    if tok.pos_ == "PRON":
        return tok.lower_ in PERSON_POSSESSIVES or tok.lower_ in PERSON_PRONOUNS_SUBJ or tok.lower_ == "you"
    return can_speak(tok) or tok.pos_ == "NOUN" and (noun_lemma(tok) in PEOPLE_PLURALS | ORGANIZATION_HEADS)


def _noun_holder(noun: Token, idx: DocIndex) -> Token | None:
    """Who said what a statement noun names: `X's claim`, `a warning from X`, `X made the claim`; the subject of a
    holder verb before the noun's pronoun or `of` (`Roe voiced her support of Doe`)."""
    if _held(noun):
        holder = _holder_subject(noun.head, idx)
        if holder is not None:
            return holder
    for c in noun.children:
        if c.dep_ == "poss" and not idx.inside(c):
            return c if speaks(c) else None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of") and c.i > noun.i:
            obj = next((o for o in c.children if o.dep_ == "pobj" and not idx.inside(o)), None)
            if obj is not None and (speaks(obj) if c.lower_ != "of" else obj.ent_type_ in ("PERSON", "ORG")):
                return obj
    head = noun.head
    if noun.dep_ == "dobj" and HOLDER_VERB_FORMS.get(head.lower_) in HOLDER_VERBS:
        return _holder_subject(head, idx)
    if noun.dep_ == "pobj" and head.lower_ in CARRIER_PREPS and head.head.pos_ == "VERB" and head.head.i < head.i:
        # "campaigned on pledges to …", "stirred controversy with an assertion that …"
        return _speaking_subject(head.head, idx)
    return None


def _speaking_subject(verb: Token, idx: DocIndex) -> Token | None:
    """The subject of ``verb`` when it may hold a statement (not a relative pronoun, not quoted text)."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and not idx.inside(c)), None)
    return subj if subj is not None and speaks(subj) and subj.tag_ not in ("WDT", "WP") else None


def _raising_subject(verb: Token, idx: DocIndex) -> Token | None:
    """`Roe hopes to make the case …`: the subject of the verb above an infinitive with no subject or object
    between them (`urged Roe to make …` is the one urged)."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i or any(c.dep_ in ("dobj", "nsubj") for c in verb.children
                                                       if c.i < verb.i):
        return None
    if any(c.dep_ == "dobj" for c in head.children):
        return None
    return _speaking_subject(head, idx)


def _holder_subject(verb: Token, idx: DocIndex) -> Token | None:
    """Who holds what a holder verb's object names: its subject, the subject above an infinitive, or the subject
    it shares with a verb it is coordinated with or relative to (`Roe, who voiced concern …`, `… and made
    clear`)."""
    subj = _speaking_subject(verb, idx) or _raising_subject(verb, idx)
    if subj is not None or verb.dep_ not in ("conj", "relcl"):
        return subj
    found = cue_and_speaker(verb, idx)
    if found is None or idx.inside(found[1]) or not (speaks(found[1]) or found[1].lower_ == "who"):
        return None
    return found[1]


def _negated(verb: Token, noun: Token | None = None) -> bool:
    """`did not make clear`, `made no mention of`: a denied act is no statement."""
    return (any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in verb.children)
            or noun is not None and any(c.lower_ == "no" for c in noun.children))


def made_plain(adj: Token, idx: DocIndex) -> Iterator[Attribution]:
    """`Roe made (it) clear that …`: the clause `make` reports with `clear`, said by the subject of `make`."""
    verb = adj.head
    if (adj.dep_ not in ("oprd", "ccomp", "acomp", "dobj") or verb.i >= adj.i or CAUSE_FORMS.get(verb.lower_) != "make"
            or _negated(verb)):
        return
    clause = next((c for c in list(verb.children) + list(adj.children) if c.i > adj.i and (
        c.dep_ in ("ccomp", "csubj", "advcl", "acl", "xcomp") and (opens_with_that(c) or c.left_edge.lower_ == "that")
        or c.dep_ in ("ccomp", "csubj", "advcl") and any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children)
        and not any(m.dep_ == "mark" for m in c.children) and c.left_edge.tag_ not in ("WRB", "IN"))), None)
    if clause is None:
        return
    holder = _holder_subject(verb, idx)
    if holder is None:
        return
    start, end = clause_chars(clause)
    if end - start < 8 or quoted_share(start, end, idx.quoted) > 0.6:
        return
    yield Attribution(start, end, "indirect", mention_of(holder, idx), verb.i, "reported_noun",
                      CONFIDENCE["reported_noun"])


def _held(noun: Token) -> bool:
    """The object of a holder verb that is not denied: `voiced concern`, not `made no mention`."""
    return (noun.dep_ == "dobj" and HOLDER_VERB_FORMS.get(noun.head.lower_) in HOLDER_VERBS
            and not _negated(noun.head, noun))


def _prep_object(noun: Token, word: str) -> tuple[int, int] | None:
    """The object of the preposition after a held noun that names its topic: `concern [about the plan]`, also when
    the parser hangs it on the verb right after the noun (`offered condolences [for the attack]`); not a medium or a
    date (`in a statement`, `on Monday`)."""
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.i > noun.i), None)
    if prep is None:
        prep = next((c for c in noun.head.children if c.dep_ == "prep" and c.i == noun.right_edge.i + 1
                     and c.lower_ in VERB_HELD_PREPS), None)
    if prep is None or not (prep.lower_ in HELD_PREPS or prep.lower_ == "to" and word in TO_NOUNS):
        return None
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if obj is None or obj.ent_type_ in ("DATE", "TIME") or noun_lemma(obj) in NOUN_CUES:
        return None
    start, end = clause_chars(obj)
    medium = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "in" and c.i > obj.i and any(
        o.dep_ == "pobj" and noun_lemma(o) in NOUN_CUES for o in c.children)), None)
    if medium is not None:  # "support for the plan [in an interview]": where it was said, not what
        end = max(t.idx + len(t) for t in obj.doc[obj.left_edge.i:medium.i])
    return start, end


def _that_clause(head: Token) -> Token | None:
    """The `that` clause a noun (or a copula) takes as its content; a relative clause has `that` as subject or
    object, never as its conjunction."""
    return next((c for c in head.children if c.i > head.i and c.dep_ in ("acl", "relcl", "ccomp", "appos")
                 and (opens_with_that(c) or c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark")), None)


def noun_content(noun: Token, idx: DocIndex) -> Iterator[Attribution]:
    """`Roe's claim that taxes rose`, `her promise to cut taxes`, `his call for a ban`, `a warning from Roe that
    …`, `Roe made the claim that …`, `In Roe's view, …`: what a statement noun names, said by its holder."""
    word = noun_lemma(noun)
    if word == "view" and noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.dep_ == "prep":
        holder = _noun_holder(noun, idx)
        if holder is not None:
            prep = noun.head
            comma = next((t.i for t in noun.doc[prep.i:prep.head.i] if t.text == ","), -1)
            for start, end in _framed(prep, prep.head, idx, comma):
                yield Attribution(start, end, "indirect", mention_of(holder, idx), noun.i, "reported_noun",
                                  CONFIDENCE["reported_noun"])
        return
    held = _held(noun)
    if word not in REPORT_NOUNS and not (held and word in HELD_NOUNS | CONTENT_NOUNS - BELIEF_NOUNS):
        return
    if noun.dep_ == "dobj" and not held and HOLDER_VERB_FORMS.get(noun.head.lower_) in HOLDER_VERBS:
        return  # "made no claim that …"
    spans: list[tuple[int, int]] = []
    clause = _that_clause(noun)
    if clause is None and held:
        clause = next((c for c in noun.head.children if c.i > noun.i and c.dep_ == "ccomp" and opens_with_that(c)),
                      None)  # "made the case to voters that …"
    if clause is None and noun.dep_ == "nsubj" and noun.head.lower_ in COPULAS:
        clause = _that_clause(noun.head)  # "her argument is that …"
    if clause is not None:
        spans.append(clause_chars(clause))
    else:
        inf = next((c for c in noun.children if c.dep_ == "acl" and c.i > noun.i and infinitive(c)), None)
        if inf is not None:
            spans.append(clause_chars(inf))
        elif word in DEMAND_NOUNS:
            prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for" and c.i > noun.i), None)
            toks = [t for t in in_order(prep) if t.i > prep.i] if prep is not None else []
            while toks and toks[-1].is_punct:
                toks.pop()
            if toks:
                spans.append((toks[0].idx, toks[-1].idx + len(toks[-1])))
        if not spans and held:
            topic = _prep_object(noun, word)
            if topic is not None:
                spans.append(topic)
    if not spans:
        return
    holder = _noun_holder(noun, idx)
    if holder is None or _judged(noun):
        return
    for start, end in spans:
        if end - start < 8 or quoted_share(start, end, idx.quoted) > 0.6 or start <= noun.idx < end:
            continue
        yield Attribution(start, end, "indirect", mention_of(holder, idx), noun.i, "reported_noun",
                          CONFIDENCE["reported_noun"])


def _judged(noun: Token) -> bool:
    """`Roe dismissed Doe's claim that …`: a statement noun that a verb of saying takes as its object is what
    that verb's subject says about it, and reported there."""
    verb = noun.head
    return (noun.dep_ == "dobj" and verb.i != noun.i and HOLDER_VERB_FORMS.get(verb.lower_) not in HOLDER_VERBS
            and is_cue(verb) and any(c.dep_ in SUBJECT_DEPS for c in verb.children))

"""Find what a speech verb reports through its object: `denied the report`, `called them cowards`."""
from __future__ import annotations

from typing import Iterator, Sequence

from spacy.tokens import Doc, Token

from .clauses import EVIDENCE_POINTERS, ORDER_VERBS, before_aside, in_order, infinitive, is_passive
from .cues import SUBJECT_DEPS, DocIndex, lemma_of, noun_lemma
from .lexicon import COGNITION_VERBS, NOUN_CUES, OBJECT_VERBS, REFUSAL_VERBS, SPEECH_VERBS, verb_forms, words

# Verbs of directing someone to act (`ordered the firm to pay`), of committing oneself (`offered to resign`) and
# of holding an object as something (`sees the vote as a test`): each reports only in that layout.
DIRECTIVE_VERBS = words("directive_verbs")
COMMISSIVE_VERBS = words("commissive_verbs")
VIEWING_VERBS = words("viewing_verbs")
ACT_FORMS = verb_forms(DIRECTIVE_VERBS | COMMISSIVE_VERBS | VIEWING_VERBS)


def act_content(verb: Token, act: str, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`ordered the firm to pay a fine`, `offered to resign`, `sees the vote as a test of her record`: the object
    with its infinitive, the infinitive, or the object with its `as` phrase; nothing in any other layout (`invited
    guests`, `offered a discount`, `saw the film`) or in the passive, whose subject is not the speaker."""
    if is_passive(verb):
        return
    obj = next((c for c in verb.rights if c.dep_ == "dobj" and not idx.inside(c)), None)
    if act in DIRECTIVE_VERBS:
        ok = obj is not None and any(c.dep_ == "xcomp" and c.i > obj.i and infinitive(c) for c in verb.rights)
    elif act in COMMISSIVE_VERBS:
        ok = obj is None and any(c.dep_ == "xcomp" and infinitive(c) for c in verb.rights)
    elif obj is not None:
        ok = any(c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i for c in list(verb.rights) + list(obj.rights))
        # "sees the mayor as captured by donors": an `as` the parser took for the conjunction of a clause (one with
        # a subject of its own, "saw the hall as she drove past", tells when)
        clause = next((c for c in verb.rights if c.dep_ == "advcl" and c.left_edge.i == obj.right_edge.i + 1
                       and c.left_edge.lower_ == "as" and not idx.inside(c)
                       and not any(k.dep_ in SUBJECT_DEPS for k in c.children)), None)
        if not ok and clause is not None:
            doc = verb.doc
            hi = before_aside(clause, clause.right_edge.i)
            while hi > clause.i and doc[hi].is_punct:
                hi -= 1
            yield obj.left_edge.idx, doc[hi].idx + len(doc[hi])
            return
    else:
        ok = False
    if ok:
        yield from object_content(verb, idx)


OBJECT_DEPS = frozenset({"dobj", "xcomp", "pcomp", "oprd"})
OBJECT_PREPS = frozenset({"about", "for", "of", "on", "with", "against", "to", "as"})
# Verbs of publishing, whose prepositions give where, to whom or with whom (`wrote on Twitter on Monday`, `posted
# it to YouTube`): only `about`, or `on` a common noun (`wrote on the role of the Senate`), gives what was written.
MEDIUM_VERBS = frozenset({"write", "post"})


def _written_topic(prep: Token) -> bool:
    """`about the war`, `on the role of the Senate`: a publishing verb's topic, not its place (`on Twitter`, `on his
    Facebook page`), time (`on Monday`) or addressee (`to officials`)."""
    if prep.lower_ in TOPIC_PREPS:
        return True
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return (prep.lower_ == "on" and obj is not None and obj.pos_ == "NOUN" and not obj.ent_type_
            and not any(c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" for c in obj.children))


# Pieces of writing: `wrote a column`, `posted a comment` name the piece, not what it says.
WRITINGS = NOUN_CUES | frozenset({"book", "commentary", "dissertation", "introduction", "syllabus", "column", "sheet"})
WRITING_TOPIC_PREPS = frozenset({"about", "on", "against"})


def _writing_content(piece: Token, preps: Sequence[Token], idx: DocIndex) -> Iterator[tuple[int, int]]:
    """What a piece of writing says: its topic (`an op-ed on pay inequity`, `posted comments about the vote`), or its
    clause (`a letter asking the board to …`, `a book in which she exposes …`) with the piece; nothing when only the
    piece is named (`wrote a weekly column`)."""
    doc = piece.doc
    topic = next((c for c in list(piece.rights) + list(preps) if c.dep_ == "prep" and c.lower_ in WRITING_TOPIC_PREPS
                  and (c.lower_ != "on" or _written_topic(c)) and not idx.inside(c)), None)
    if topic is not None and topic.right_edge.i > topic.i:
        hi = before_aside(topic, topic.right_edge.i)
        while hi > topic.i and doc[hi].is_punct:
            hi -= 1
        if hi > topic.i:
            yield doc[topic.i + 1].idx, doc[hi].idx + len(doc[hi])
        return
    if any(c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX") for c in piece.rights):
        lo, hi = piece.left_edge.i, piece.right_edge.i
        while hi > lo and doc[hi].is_punct:
            hi -= 1
        yield doc[lo].idx, doc[hi].idx + len(doc[hi])


# Verbs of talking whose only content is their topic (`talked about X`), never their object or addressee.
TOPIC_VERBS = frozenset({"talk", "speak"})
# Verbs that raise a concern or a question, but also money (`raised $4 million`) and what is no statement.
RAISING_VERBS = frozenset({"raise"})
# What is raised without a word said (`raised prices`, `raising the risk of a strike`).
RAISED_NOT_SAID = words("raised_not_said")
# Verbs that name (`called it a sham`), ask (`called for`, `called on X to`) or summon (`called an election`).
SUMMONING_VERBS = frozenset({"call"})
# What is summoned without a word said (`called an early election`, `called the police`).
SUMMONED_NOT_SAID = words("summoned_not_said")


def object_content(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`Trump urged supporters to monitor polling places`: what a communication verb takes as its object."""
    lemma = lemma_of(verb)  # asked of up to eight word lists below
    if lemma in TOPIC_VERBS:
        yield from _topic(verb, idx)
        return
    passive = is_passive(verb)
    # "was mocked as …", "was reported to have fled": what is said of the passive's subject, who is not the speaker
    medium = lemma in MEDIUM_VERBS
    parts = [c for c in verb.rights if not idx.inside(c) and (
        c.dep_ in OBJECT_DEPS and not (passive and c.dep_ == "xcomp")
        or (c.dep_ == "prep" and c.lower_ in OBJECT_PREPS and not (passive and c.lower_ == "as")
            and not (medium and not _written_topic(c))))]
    if not parts:
        return
    named = _names(verb, parts)
    if not named and lemma in NAMING_VERBS - OBJECT_VERBS:
        return  # "branded goods": only a name given to an object is said
    if lemma in SUMMONING_VERBS and not named and parts[0].dep_ == "dobj" and noun_lemma(parts[0]) in SUMMONED_NOT_SAID:
        return
    refusal = _refusal(verb, parts)
    if refusal is None and lemma in REFUSAL_VERBS and lemma not in OBJECT_VERBS:
        return  # "refused to pay" is an act; only "refused to comment" reports
    if lemma in EVIDENCE_POINTERS and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return  # "…, pointing to the attack as an example": the writer's evidence as often as the subject's words
    if lemma in RAISING_VERBS and parts[0].dep_ == "dobj" and (parts[0].ent_type_ == "MONEY"
                                                               or noun_lemma(parts[0]) in RAISED_NOT_SAID):
        return  # "donors raised $4 million", "raised interest rates": not a concern raised (a sum proposed is
        # still a proposal)
    if lemma in ORDER_VERBS and not any(c.dep_ == "xcomp" for c in parts):
        return  # "told reporters on Tuesday" reports nothing; "told residents not to drink the water" does
    if medium and parts[0].dep_ == "dobj" and noun_lemma(parts[0]) in WRITINGS:
        yield from _writing_content(parts[0], parts[1:], idx)
        return
    # "criticized the rules on her radio show": where it was said closes the phrase, it is not what was said
    said = [c for c in parts if not _occasion(c)]
    if not said:
        return
    first, last = said[0], said[-1]
    toks = list(first.subtree) + list(last.subtree)
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks)
    doc = verb.doc
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    whole = hi
    hi = before_aside(last, hi)
    told = max([hi] + [c.right_edge.i for c in parts if c.i > last.i])
    hi = _before_occasion(lo, hi, {verb.i} | {c.i for c in parts if c.pos_ in ("VERB", "AUX")}, doc)
    if refusal is not None:
        lo, hi = refusal
    elif hi == whole and hi - lo >= 2 and doc[hi].idx + len(doc[hi]) - doc[lo].idx >= 8:
        # "praised the efforts of the envoy to end the war": phrases the parser hung on the verb go on with the object
        more = _trailing(verb, last, idx)
        if more is not last:
            end = more.right_edge.i
            while end > more.i and doc[end].is_punct:
                end -= 1
            hi = max(hi, before_aside(more, end))
    hi = _infinitive_list_end(verb, lo, hi)
    # "condemned the attacks" reports nothing worth keeping: three words or more (with where it was said), but
    # "declined to comment" and "called them cowards"
    if told - lo >= 2 or refusal is not None or named and told > lo or lemma in SHORT_OBJECT_VERBS:
        yield doc[lo].idx, doc[hi].idx + len(doc[hi])


# Verbs of naming: an object and the name or description they give it are what was said of it (`called them
# cowards`, `branded the plan a giveaway`, `described it as a mistake`). Not `label`, as often an official
# designation (`labeled the group a terrorist organization`) as a remark.
NAMING_VERBS = frozenset({"call", "describe", "brand", "dub", "term"})
# Verbs of citing or bringing up something said or known, whose object however short is what was brought up
# (`cited the report`, `mentioned the scandal`, `echoed the charge`, `discussed the budget`); not verbs of
# judging (`condemned the attacks`), demanding or announcing, whose short object is an act, not what was said.
CITING_VERBS = frozenset({"cite", "mention", "refer", "echo", "note", "question", "discuss"})
# Verbs through which a body named only by `the department` speaks: saying, naming and citing (and directing, by
# ACT_FORMS), not thinking (`the group feared …` is the writer's reading of it).
BODY_SPEECH_VERBS = (SPEECH_VERBS - COGNITION_VERBS) | REFUSAL_VERBS | NAMING_VERBS | CITING_VERBS


# Verbs that affirm, grant or deny a claim, whose object however short names the claim (`denied the allegations`,
# `confirmed the deal`, `acknowledged the mistake`).
CLAIM_VERBS = frozenset({"deny", "confirm", "admit", "acknowledge", "concede", "dispute", "allege", "claim"})
SHORT_OBJECT_VERBS = CITING_VERBS | CLAIM_VERBS


def _names(verb: Token, parts: Sequence[Token]) -> bool:
    """`called them cowards`, `branded the law as a land grab`: a naming verb with an object and the complement
    it gives that object (not one in quotation marks, which is a quote of its own)."""
    return (lemma_of(verb) in NAMING_VERBS and any(c.dep_ == "dobj" for c in parts)
            and any(c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" for c in parts))


def _infinitive_list_end(verb: Token, lo: int, hi: int) -> int:
    """`urged the party to cut fees, expand coverage and hire staff`: bare infinitives the parser coordinated with
    the finite cue rather than with the infinitive of its object go on with the object; the last one's end."""
    doc = verb.doc
    if verb.tag_ == "VB" or not any(infinitive(t) for t in doc[lo:hi + 1]):
        return hi
    for c in verb.rights:
        if c.i <= hi:
            continue
        # a bare infinitive cannot be coordinated with (or an adverbial of) a finite verb: the parser misplaced it
        if (c.dep_ in ("conj", "advcl") and c.tag_ == "VB" and c.left_edge.i == c.i
                and not any(k.dep_ in SUBJECT_DEPS or k.dep_ in ("aux", "mark") for k in c.children)
                and all(t.dep_ in ("cc", "punct") or t.is_punct for t in doc[hi + 1:c.i])):
            # not the clause of its own that the parser coordinated with it ("…, fix the roads and he said …")
            end = min([k.left_edge.i for k in c.children if k.dep_ == "conj" and k.i > c.i
                       and any(s.dep_ in SUBJECT_DEPS for s in k.children)] + [c.right_edge.i + 1]) - 1
            while end > c.i and (doc[end].is_punct or doc[end].dep_ == "cc"):
                end -= 1
            hi = before_aside(c, end)
        elif c.dep_ not in ("cc", "punct"):
            break
    return hi


# Prepositions of a phrase that tells when or despite what something was said, not what was said.
CIRCUMSTANCE_PREPS = frozenset({"despite", "before", "after", "during", "following", "since", "until", "amid",
                                "upon"})


def _content_prep(prep: Token) -> bool:
    """`in support of the plan`, `from a sold investment`: a phrase that goes on with what was said, not one of when,
    where or how it was said (`after the vote`, `in an interview`, `at a rally`, `by citing polls`)."""
    if prep.lower_ in CIRCUMSTANCE_PREPS:
        return False
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if obj is None or obj.tag_ == "VBG" and prep.lower_ == "by":
        return False
    return noun_lemma(obj) not in OCCASION_NOUNS


# Conjunctions of a condition that a demand or a promise is made on (`called for a ban unless …`): it goes on with
# the object; not those of when or why it was said (`after`, `as`, `because`), which are the writer's as often.
CONDITION_MARKS = frozenset({"unless", "if", "until"})


def _trailing(verb: Token, last: Token, idx: DocIndex) -> Token:
    """The last of the phrases right after a verb's object that the parser hung on the verb but that carry the
    object on (`called for a ban in response to the tests`, `proposed $1 billion to help states`); ``last`` if none.
    A comma ends the run: what follows it is an aside."""
    doc = verb.doc
    for c in verb.rights:
        if c.i <= last.i:
            continue
        if c.is_punct or doc[c.left_edge.i - 1].is_punct or idx.inside(c):
            break
        if c.dep_ == "prep" and _content_prep(c) or c.dep_ == "advcl" and any(
                k.dep_ == "aux" and k.lower_ == "to" or k.dep_ == "mark" and k.lower_ in CONDITION_MARKS
                for k in c.children):
            last = c
            continue
        break
    return last


# Occasions and channels of speaking: a phrase that ends a verb's object with one of them (`in a tweet`, `at a news
# conference`, `during the debate`, `on its website`) tells where it was said, not what.
OCCASION_NOUNS = NOUN_CUES | frozenset({
    "debate", "rally", "event", "hearing", "meeting", "forum", "session", "ceremony", "gathering", "visit", "stop",
    "show", "program", "programme", "episode", "segment", "appearance", "page", "account", "feed", "website", "site",
    "channel", "radio", "television", "stage", "trail", "floor", "air", "condition", "call", "hall", "dinner",
    "breakfast", "luncheon"})
# Prepositions of such a phrase; `on` only with a channel or a stage (`pressed her on the decision` says what).
OCCASION_PREPS = frozenset({"in", "at", "during", "on", "through", "via"})
ON_OCCASIONS = frozenset({"page", "account", "feed", "website", "site", "channel", "radio", "television",
                          "stage", "trail", "floor", "air", "condition", "show", "program", "programme", "episode",
                          "segment", "broadcast", "blog"})


def _occasion(phrase: Token) -> bool:
    """`in a tweet`, `at a press conference`, `on her radio show`: where or through what something was said."""
    if phrase.dep_ != "prep" or phrase.lower_ not in OCCASION_PREPS:
        return False
    obj = next((c for c in phrase.children if c.dep_ == "pobj"), None)
    nouns = ON_OCCASIONS if phrase.lower_ == "on" else OCCASION_NOUNS
    return obj is not None and obj.pos_ == "NOUN" and noun_lemma(obj) in nouns


def _before_occasion(lo: int, hi: int, heads: set[int], doc: Doc) -> int:
    """Last token of a verb's object without the occasion or channel phrases that close it, hung on the verb or on
    its infinitive (`declined to back the plan at a news conference`); one hung on the object may name it (`noted the
    rule in the interview`)."""
    for t in doc[lo + 2:hi + 1]:
        if t.right_edge.i == hi and t.left_edge.i == t.i and t.head.i in heads and _occasion(t):
            hi = t.i - 1
            while hi > lo and (doc[hi].is_punct or doc[hi].dep_ == "cc"):
                hi -= 1
            return _before_occasion(lo, hi, heads, doc)
    return hi


# Verbs of saying whose noun object is what was said or made known (`explained his reasoning`, `revealed the
# plan`), though they take a clause too; not verbs of thinking (`believe`, `expect`), whose object is a belief.
SAID_THING_VERBS = frozenset({"explain", "reveal", "disclose", "declare", "reiterate", "recount", "underscore",
                              "reaffirm", "clarify", "reference"})
# Verbs of saying with the preposition that gives what was said (`hinted at a run`, `cautioned against haste`);
# not `respond to`, whose object is what was answered ("did not respond to a request for comment").
CONTENT_PREPS = {"hint": frozenset({"at"}), "boast": frozenset({"of", "about"}), "caution": frozenset({"against"})}


def said_thing(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`explained his reasoning for the veto`, `hinted at a run for governor`: a saying verb's object, or the phrase
    after its content preposition, of two words or more."""
    if is_passive(verb):
        return
    preps = CONTENT_PREPS.get(lemma_of(verb), frozenset())
    part = next((c for c in verb.rights if not idx.inside(c) and (
        c.dep_ == "dobj" and lemma_of(verb) in SAID_THING_VERBS or c.dep_ == "prep" and c.lower_ in preps)), None)
    if part is None:
        return
    toks = [t for t in in_order(part) if t.i > part.i] if part.dep_ == "prep" else in_order(part)
    if not toks:
        return
    doc = verb.doc
    lo, hi = toks[0].i, before_aside(part, toks[-1].i)
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    if hi > lo:
        yield doc[lo].idx, doc[hi].idx + len(doc[hi])


def _refusal(verb: Token, parts: Sequence[Token]) -> tuple[int, int] | None:
    """`declined to comment for this story`: the refusal to speak, without the writer's `for this story` or
    `on Tuesday` after it."""
    if lemma_of(verb) not in REFUSAL_VERBS or len(parts) != 1 or parts[0].dep_ != "xcomp":
        return None
    inf = parts[0]
    if lemma_of(inf) not in SPEECH_VERBS:
        return None
    toks = in_order(inf)
    rights = [c for c in inf.rights if not c.is_punct]
    for c in rights:
        # "for this story" is the writer's; so is a date that ends the phrase
        if (c.dep_ == "prep" and c.lower_ == "for"
                and any(k.dep_ == "pobj" and any(d.lower_ == "this" for d in k.children) for k in c.children)
                or c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME") and c.i == rights[-1].i):
            toks = [t for t in toks if t.i < c.left_edge.i]
            break
    while toks and toks[-1].is_punct:
        toks.pop()
    if len(toks) < 2:
        return None
    return toks[0].i, toks[-1].i


def _topic(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`spoke about the need for a new bridge`: what someone talked about (never whom they talked to)."""
    about = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ in _topic_preps(verb)
                  and not idx.inside(c)), None) or _addressee_topic(verb, idx)
    if about is None:
        return
    toks = [t for t in in_order(about) if t.i > about.i]
    # a phrase, or a bare subject ("talks about immigration"); not "the case", which points back to the story
    if len(toks) >= 3 or len(toks) == 1 and toks[0].pos_ == "NOUN":
        hi = before_aside(about, toks[-1].i)
        while hi > toks[0].i and verb.doc[hi].is_punct:
            hi -= 1
        yield toks[0].idx, verb.doc[hi].idx + len(verb.doc[hi])


def _addressee_topic(verb: Token, idx: DocIndex) -> Token | None:
    """`talked to voters about health care`, `spoke with reporters about the race`: the `about` the parser hung on
    whom they talked to."""
    for prep in verb.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("to", "with"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    about = next((c for c in obj.rights if c.dep_ == "prep" and c.lower_ == "about"
                                  and not idx.inside(c)), None)
                    if about is not None:
                        return about
    return None


# Prepositions that give what someone talked about (`spoke of the war`); with `out`, what they spoke for or against.
TOPIC_PREPS = frozenset({"about", "of"})
OUT_PREPS = frozenset({"about", "against", "for"})


def _topic_preps(verb: Token) -> frozenset[str]:
    """`spoke out against the law`, `spoke out for reform`: speaking out takes a side, which is said."""
    if any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
        return TOPIC_PREPS | OUT_PREPS
    return TOPIC_PREPS

"""Attribute quoted spans in a parsed spaCy ``Doc``: cue, speaker mention, rule."""
from __future__ import annotations

import re
from typing import Sequence

from spacy.tokens import Doc, Token

from .attributions import CONFIDENCE, Attribution, Mention
from .cues import (NOT_SPEAKER_ENTS, PERSON_PRONOUNS_SUBJ, RELATIVE_PRONOUNS, SUBJECT_DEPS, DocIndex, can_speak,
                   cue_and_speaker, is_cue, lemma_of, mention_of, noun_lemma, opens_with_that)
from .layouts import (HEADLINE_CAPITALS, HOLDER_PREPOSITIONS, SENTENCE_END, SPEAKER_ENTS, WORD, after_any_verb,
                      after_dash, before_topic, clip_at_comma, closes_with_comma, colon_lead_in, dash_byline,
                      dash_label, dash_lead_in, governing_subject, headline_label, label_before, label_mention,
                      lead_in_subject, long_subject_any_verb, name_line_after, paragraph_before, question_lead_in,
                      quotation_noun_after, quote_kind, scan_for_cue, source_label, transcript_label,
                      verbless_name_after)
from .lexicon import (CLAUSE_VERBS, COGNITION_VERBS, CONTENT_NOUNS, NOUN_CUES, ORGANIZATION_HEADS, PERSON_TITLES,
                      SPEECH_VERBS, WEAK_VERBS, WORK_NOUNS)
from .marks import Quoted
from .nearby import (SOURCE_MARKS, clause_before_colon, cue_after, cue_before, denied, in_the_words_before, lead_in_cue,
                     long_aside_then_cue, misread_cue_after, passive_agent, quote_roots, viewpoint_opener)


# How many heads up from a cue (a thinking verb, a participle) the verb that reports its clause may be.
REPORTER_STEPS = 6
# How a cue hangs from a quote that the parser made the head of its sentence ("“…,” he said").
GOVERNED_CUE_DEPS = frozenset({"parataxis", "ccomp", "advcl", "dep"})


# Nouns whose clause is what their holder said, and nouns that stand for a statement.
CLAIM_OR_CUE_NOUNS = CONTENT_NOUNS | NOUN_CUES
# Heads of a title or a body, which may speak for a fragment as a sentence subject (`the senator`, `the agency`).
TITLES_AND_BODIES = PERSON_TITLES | ORGANIZATION_HEADS
# A fragment this short that no rule attributes is a scare quote, a nickname or a title, not a statement.
SCARE_QUOTE_MAX_WORDS = 4
# `on “Meet the Press”`, `CBS’s “This Morning”`, `the film “…”`: a short Title Case span there names a work.
WORK_TITLE_MAX_WORDS = 6
WORK_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with",
                                    "by", "from", "is", "as"})
_INITIAL = re.compile(r"[A-Z]\.")  # a middle initial: `Robert C. “Bobby” Scott`
# Right after a closing mark: `“Headline,” by Jane Roe`, `“Slogan” (2005)` cite a work, not a statement.
_CITED_WORK_AFTER = re.compile(r"\s+by\s+(?:the\s+)?[A-Z]|\s*\((?:1[89]|20)\d\d\)")
# `“…” http://…`: an excerpt of the linked page.
_LINK_AFTER = re.compile(r"\s*(?:https?://|www\.)")


def _by_dependency(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """A cue verb that governs the quote, or that the quote governs, in the parse: for a fragment the nearest
    governing cue first, for a quoted sentence a cue it governs first."""
    doc = idx.doc
    lo, hi = idx.spans[q]
    if hi <= lo:
        return None
    quote = idx.quoted[q]
    para = idx.paragraph(doc[lo])
    governed: list[tuple[int, Token]] = []
    governing: list[tuple[int, Token]] = []
    # the quote governs the cue: "“…,” he said." can parse with "said" under the quote's verb
    for i in range(lo, hi):
        for c in doc[i].children:
            if not idx.inside(c) and idx.same_sentence(c, doc[lo]) and c.dep_ in GOVERNED_CUE_DEPS and is_cue(c):
                governed.append((1, c))
    # the cue governs the quote: walk up from the quote's external heads
    for root in quote_roots(q, idx):
        h = root.head
        for step in range(1, 9):
            if not idx.inside(h) and is_cue(h):
                governing.append((step, h))
            elif not idx.inside(h):
                governing.extend((step, a) for a in _source_asides(h, idx))
            misread = _name_then_cue_noun(h, idx) if step <= 3 else None
            if misread is not None and idx.paragraph(misread[0]) == para:
                return misread
            if h.head.i == h.i:
                break
            h = h.head
    governing.sort(key=lambda sv: sv[0])
    fragment = quote_kind(idx.text, quote) == "partial"
    ordered = governing + governed if fragment else governed + governing
    for step, verb in ordered:
        if idx.paragraph(verb) != para:
            continue
        if lemma_of(verb) in WEAK_VERBS and step > 2:
            continue  # "called on all sides to commit to “…”": too far to be the quote's own cue
        found = scan_for_cue([verb], idx)  # None for `to close what some call the “…”`: a cue further up may be
        if found and _thing_relative(verb, found[1]):
            continue  # "a platform that calls for “…”": the thing is no speaker; a cue further up may be
        if found and fragment and denied(verb):
            continue  # "X urged Y to resign for not calling it “…”": a word Y did not use; a cue further up may be
        if found:
            if fragment:
                found = _fragment_reporter(found, idx)
            return _parenthetical_reporter(_same_pronoun_reporter(found, idx), idx)
    return None


# Speech verbs that tell only that someone spoke, not what: `as X spoke, …` sets a time, it names no source.
CONTENTLESS_SPEECH = frozenset({"speak", "talk"})


def _source_asides(verb: Token, idx: DocIndex) -> list[Token]:
    """`the result was, as he later explained, a “…”`: a speech verb in an `as` clause with a subject of its own
    on a clause names the source of that clause."""
    return [c for c in verb.children
            if c.dep_ == "advcl" and not idx.inside(c) and is_cue(c) and lemma_of(c) not in CONTENTLESS_SPEECH
            and any(m.dep_ == "mark" and m.lower_ in SOURCE_MARKS for m in c.children)
            and any(m.dep_ in SUBJECT_DEPS for m in c.children)]


def _name_then_cue_noun(verb: Token, idx: DocIndex) -> tuple[Token, Token] | None:
    """`the speech, which Roe claims showed “…”`: a name and its speech verb inside a clause, read by the tagger
    as a plural noun (`Roe claims`) standing beside the clause's own subject; the name speaks, the verb cues."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i and not idx.inside(c)]
    if len(subjects) < 2:
        return None  # with no other subject, `the Roe claims` may really be a noun
    for noun in subjects:
        if (noun.tag_ != "NNS" or lemma_of(noun) not in SPEECH_VERBS or lemma_of(noun) == noun.lower_
                or not all(t.is_space for t in noun.doc[noun.i + 1:verb.i])):
            continue
        name = noun.doc[noun.i - 1]
        # the tagger misreads the name too (`Will` as a modal), so its capital inside the sentence marks it
        if (name.dep_ in ("compound", "aux") and name.head.i in (noun.i, verb.i) and name.text[:1].isupper()
                and name.i > idx.sent(name).start and name.ent_type_ not in NOT_SPEAKER_ENTS):
            return noun, name
    return None


# How many words may stand between a speech participle on a noun and the quote it introduces: a phrase of time,
# place or manner, or an addressee (`saying during the debate last week, “…”`, `telling one agent to “…”`).
PARTICIPLE_REACH = 7
PARTICIPLE_ADJUNCT_POS = frozenset({"ADP", "DET", "NOUN", "PROPN", "ADJ", "NUM", "ADV", "PART", "PRON"})
# What a name with a speech participle hangs from when the participle tells what that one says: `footage of Roe
# saying`, `with Roe calling it`, `a clip showing Roe asking` (not `an email to supporters saying`: the sender's).
PARTICIPLE_HOST_WORDS = frozenset({"of", "with"})
SHOWING_VERBS = frozenset({"show", "feature", "hear", "see", "watch", "capture", "catch", "depict", "film", "record",
                           "picture", "portray", "find", "remember", "recall"})
# Object pronouns that, before a participle, stand for someone (`footage of him saying`).
OBJECT_PERSON_PRONOUNS = frozenset({"him", "her", "them", "me", "us"})


def _participle_on_noun(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`footage of Jane Roe saying during the debate, “…”`, `a video showing Roe asking “…”`: a speech participle
    right after the name or person it hangs on, leading into the quote; that one speaks, whatever the sentence's
    own subject and verb (`The ad concludes with …`) do with the footage."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    quote = idx.quoted[q]
    i = lo - 1
    if i >= 0 and doc[i].text in (",", ":"):
        i -= 1
    verb = None
    for j in range(i, max(-1, i - PARTICIPLE_REACH), -1):
        t = doc[j]
        if idx.inside(t) or t.idx < quote.paragraph_start:
            return None
        # the tagger may read `saying` as a noun
        if t.lower_.endswith("ing") and t.pos_ in ("VERB", "NOUN") and lemma_of(t) in SPEECH_VERBS:
            verb = t
            break
        if t.pos_ not in PARTICIPLE_ADJUNCT_POS or t.is_punct:
            return None
    if verb is None or verb.i == 0:
        return None
    noun = doc[verb.i - 1]
    if idx.inside(noun) or noun.ent_type_ in NOT_SPEAKER_ENTS or not idx.same_sentence(noun, doc[lo]):
        return None
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "PROPN":
        noun = noun.head.head  # `the Federation of Teachers calling …`: the name's head
    host = doc[noun.left_edge.i - 1] if noun.left_edge.i > 0 else None
    if host is None or not (host.lower_ in PARTICIPLE_HOST_WORDS or lemma_of(host) in SHOWING_VERBS):
        return None  # `an email to supporters saying …`, `a message on Twitter reading …`: the sender's words
    if noun.pos_ == "PRON" and noun.lower_ not in OBJECT_PERSON_PRONOUNS | PERSON_PRONOUNS_SUBJ:
        return None
    if not (can_speak(noun) or noun.lower_ in OBJECT_PERSON_PRONOUNS):
        return None
    return verb, noun


def _parenthetical_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """`The agency, Jane Roe said, called it “…”`: a speech verb set off by commas inside the clause reports it."""
    return _set_off_cue(found[0], idx) or found


def _set_off_cue(verb: Token, idx: DocIndex) -> tuple[Token, Token] | None:
    """A speech verb and its subject set off by commas inside the clause of ``verb`` (`…, Jane Roe said, …`)."""
    doc = idx.doc
    for c in verb.children:
        if c.dep_ != "parataxis" or idx.inside(c) or not is_cue(c) or c.i + 1 >= len(doc) or doc[c.i + 1].text != ",":
            continue
        subj = next((s for s in c.children if s.dep_ == "nsubj" and s.i < c.i and not idx.inside(s)), None)
        if (subj is not None and subj.left_edge.i > 0 and doc[subj.left_edge.i - 1].text == ","
                and (can_speak(subj) or subj.pos_ == "NOUN")):
            return c, subj
    return None


def _thought_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """`X said most voters believe “…”`: a thinking verb's fragment belongs to the speech verb above it."""
    verb = found[0]
    if lemma_of(verb) not in COGNITION_VERBS:
        return found
    tok = verb
    for _ in range(REPORTER_STEPS):
        if tok.head.i == tok.i or not idx.same_sentence(tok.head, verb):
            break
        if tok.dep_ == "relcl" and not any(c.dep_ in SUBJECT_DEPS and c.lower_ in RELATIVE_PRONOUNS
                                           for c in tok.children):
            break  # "the anger that voters feel about …": the feeling is the voters' own
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ != "that" for c in tok.children):
            break  # "X warned …, because he thought it “…”": a reason or a time, not what X said
        tok = tok.head
        aside = None if idx.inside(tok) else _set_off_cue(tok, idx)
        if aside is not None:
            return aside  # "Over the years, Roe said, voters have come to believe “…”": the aside reports the clause
        if not idx.inside(tok) and is_cue(tok) and lemma_of(tok) not in COGNITION_VERBS:
            outer = cue_and_speaker(tok, idx)
            if outer is None or any(a.dep_ == "relcl" and a.head.i == outer[1].i for a in [verb, *verb.ancestors]):
                return found  # "said X, who thinks …": the relative pronoun stands for the speaker already
            return outer
    return found


def _same_pronoun_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """`He said he intends to … “…”`: a pronoun's cue inside what the same pronoun says is reported by it."""
    verb, subj = found
    if subj.pos_ != "PRON" or subj.lower_ not in PERSON_PRONOUNS_SUBJ:
        return found
    tok = verb
    for _ in range(REPORTER_STEPS):
        if tok.head.i == tok.i or tok.dep_ not in REPORTED_CLAUSE_DEPS or not idx.same_sentence(tok.head, verb):
            break
        tok = tok.head
        if not idx.inside(tok) and lemma_of(tok) in DIRECT_REPORT_VERBS:
            outer = cue_and_speaker(tok, idx)
            if outer is not None and outer[1].lower_ == subj.lower_ and outer[1].i != subj.i:
                return outer
    return found


def _thing_relative(verb: Token, subj: Token) -> bool:
    """`the organization that has declared a “…”`: a relative clause's pronoun standing for a thing."""
    if verb.dep_ != "relcl" or subj.lower_ not in ("that", "which") or subj.head.i != verb.i:
        return False
    antecedent = verb.head
    return not can_speak(antecedent) and (antecedent.lemma_ or antecedent.lower_).lower() not in NOUN_CUES


DIRECT_REPORT_VERBS = frozenset({"say", "tell"})
# Words opening a clause of time or concession, which sets an event beside a report rather than inside it.
NARRATIVE_MARKS = frozenset({"after", "before", "when", "whenever", "while", "until", "once", "although", "though",
                             "whereas"})
# How a reported clause hangs from the verb that reports it ("X said [that Y called it “…”]"), adjectives
# included ("X said Y was [right to urge …]").
REPORTED_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "conj", "xcomp", "pcomp", "pobj", "dobj", "acomp"})


def _fragment_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """Who reports a fragment whose cue is ``found``: the speech verb above a thinking verb, then the outermost."""
    return _outer_reporter(_thought_reporter(found, idx), idx)


def _outer_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """The outermost reporting verb above a fragment's cue: in "X said Y called it “…”" the claim is X's."""
    verb, subj = found
    if lemma_of(verb) in DIRECT_REPORT_VERBS and subj.pos_ == "PROPN" and not any(
            c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        # "Y said X was “…”, Z reported": the words are Y's, Z only passes them on; but "X will say “…”"
        # is a forecast by whoever reports it
        return found
    tok = verb
    via_clause = False
    # "X said he saw schools that reminded him of “…”": a relative clause whose subject is the relative
    # pronoun reports on behalf of whoever reports the noun it modifies
    relative = verb.dep_ == "relcl" and subj.lower_ in RELATIVE_PRONOUNS
    for _ in range(REPORTER_STEPS):
        if tok.head.i == tok.i or not idx.same_sentence(tok.head, verb) or (
                tok.dep_ not in REPORTED_CLAUSE_DEPS and not (relative and tok.i == verb.i)):
            break
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in NARRATIVE_MARKS | SOURCE_MARKS
                                       for c in tok.children):
            # "X insisted he was tough after Y told him he is “…”": the writer tells when Y said it;
            # "X thought the result, as Y explained, was a “…”": the aside names its own source
            break
        via_clause = via_clause or tok.dep_ == "ccomp"
        tok = tok.head
        if via_clause and not idx.inside(tok) and lemma_of(tok) in CLAUSE_VERBS and lemma_of(tok) not in WEAK_VERBS:
            outer = cue_and_speaker(tok, idx)
            if outer is not None:
                found = outer
    return found


def _fragment_subject(q: int, idx: DocIndex) -> Token | None:
    """A fragment inside a sentence with no speech verb (`pounding Trump as a “con artist”`): its subject."""
    lo, hi = idx.spans[q]
    quote = idx.quoted[q]
    if hi <= lo or quote_kind(idx.text, quote) != "partial":
        return None
    root = next(quote_roots(q, idx), None)
    if root is None:
        return None
    h = root.head
    subj = _content_holder(h, idx) or _outer_subject(governing_subject(h, idx), idx)
    if subj is not None and subj.pos_ == "NOUN" and not can_speak(subj):
        # `Roe's answer was that “…”`: a thing of someone's says what its owner says
        subj = _owner(subj, idx) or subj
    if subj is not None and subj.lower_ == "it" and subj.head.lemma_ == "be":
        return None  # `It was the chants of “…” that …`, `it was a “…” day`: a dummy subject says nothing
    # `the “…” message is back`, `A self-described “night owl,” Roe moved …`: a subject after
    # the fragment did not say it; the fragment names or describes something in the writer's words
    return subj if subj is not None and subj.i < lo else None


# Possessives that stand for things or groups rather than for someone who speaks.
THING_POSSESSIVES = frozenset({"its", "their"})


def _owner(noun: Token, idx: DocIndex) -> Token | None:
    """Whose ``noun`` is (`Roe's answer`, `her claim`), when that owner may speak: not "its" or "their"."""
    return next((c for c in noun.children if c.dep_ == "poss" and not idx.inside(c)
                 and c.lower_ not in THING_POSSESSIVES), None)


def _outer_subject(subj: Token | None, idx: DocIndex) -> Token | None:
    """`X expressed confidence that Y was “…”`: when the subject's clause is the complement of a higher
    clause, the higher subject that can speak holds the claim, as a reporting verb's subject would."""
    for _ in range(3):
        if subj is None:
            return None
        clause = subj.head
        if (clause.dep_ == "conj" and clause.head.dep_ == "ccomp" and clause.head.pos_ in ("VERB", "AUX")
                and not any(c.dep_ == "mark" for c in clause.children)):
            # "X found that A is “…” and B is “…”": both clauses are X's finding (but not "…, though A is “…”")
            clause = clause.head
        if clause.dep_ != "ccomp" and not (clause.dep_ == "acl" and opens_with_that(clause)):
            return subj
        outer = governing_subject(clause.head, idx)
        verb = clause.head
        if (outer is None and verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and clause.dep_ == "ccomp"
                and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < verb.i
                and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)):
            # "Two analysts, A and B, found that X is “…”": no participle takes a that-clause, so the parser's
            # reduced relative is the main verb and its noun the subject
            outer = verb.head
        if outer is None or not (can_speak(outer) or outer.pos_ == "NOUN") or not idx.same_sentence(outer, subj):
            return subj
        subj = outer
        if (subj.lemma_ or subj.lower_).lower() in CONTENT_NOUNS:
            # "X's main claim is that …": the claim's holder
            return _owner(subj, idx) or subj
    return subj


# words between a statement noun and the "that" of its clause (`her remarks on Monday to a panel that`), and
# between that "that" and the quote
CLAIM_NOUN_REACH = 8


def _judged_statement(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`The panel ruled that Roe's claim about “…” is “false”`: a fragment that is the predicate judging a statement
    (a clause whose subject is a statement noun) is the judge's word, not the statement holder's: the subject of the
    verb that reports the clause holds it."""
    root = next(quote_roots(q, idx), None)
    if root is None or root.dep_ not in ("acomp", "attr") or idx.inside(root.head):
        return None
    clause = root.head
    subj = next((c for c in clause.children if c.dep_ == "nsubj" and not idx.inside(c)), None)
    if subj is None or subj.pos_ != "NOUN" or noun_lemma(subj) not in CLAIM_OR_CUE_NOUNS:
        return None
    if clause.dep_ != "ccomp" or clause.head.i == clause.i or idx.inside(clause.head):
        return None
    judge = cue_and_speaker(clause.head, idx)
    if judge is None or judge[1].i == subj.i:
        return None
    return _fragment_reporter(judge, idx)  # "X said Y thought the criticism was “…”": X's


def _claim_clause_holder(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`her claim at the hearing that “…”`: a quote in the that-clause right after a statement noun is
    the words of the noun's holder, wherever the parser hung the clause (often on the nearer noun or verb);
    returns the noun and its holder."""
    doc = idx.doc
    lo, hi = idx.spans[q]
    if hi <= lo or lo == 0:
        return None
    j = lo - 1
    while j > 0 and doc[j].text == ",":
        j -= 1
    that = doc[j] if doc[j].lower_ == "that" and doc[j].dep_ == "mark" and not idx.inside(doc[j]) else None
    if that is None and quote_kind(idx.text, idx.quoted[q]) == "partial":
        # `his warning that the country would go to the “front of the line”`: the mark of a clause above the quote
        root = next(quote_roots(q, idx), None)
        that = _that_above(root.head, lo) if root is not None else None
    if that is None or any(is_cue(t) for t in doc[that.i + 1:lo]) or lo - that.i > CLAIM_NOUN_REACH:
        return None
    for k in range(that.i - 1, max(-1, that.i - 1 - CLAIM_NOUN_REACH), -1):
        tok = doc[k]
        if idx.inside(tok) or not idx.same_sentence(tok, that) or tok.pos_ in ("VERB", "AUX") or (
                tok.is_punct and tok.text != ","):
            return None
        if tok.pos_ == "NOUN" and (tok.lemma_ or tok.lower_).lower() in CONTENT_NOUNS:
            # a document's content ("a report that …") is cited by whoever cites it, a claim's is its holder's
            holder = _content_holder(tok, idx)
            return (tok, holder) if holder is not None else None
    return None


def _that_above(tok: Token, lo: int) -> Token | None:
    """The `that` before token ``lo`` marking the clause of ``tok`` or one a few heads above it, below any
    noun that is not an object."""
    for _ in range(4):
        mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ == "that" and c.i < lo), None)
        if mark is not None:
            return mark
        if tok.head.i == tok.i or tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("pobj", "dobj", "attr"):
            return None
        tok = tok.head
    return None


def _content_holder(tok: Token, idx: DocIndex) -> Token | None:
    """`X's claim that … “…”`: the holder of the statement noun a fragment is the content of."""
    h = tok
    for _ in range(4):
        if h.pos_ == "NOUN" and not idx.inside(h) and (h.lemma_ or h.lower_).lower() in CLAIM_OR_CUE_NOUNS:
            for c in h.children:
                if c.dep_ == "poss" and not idx.inside(c) and c.lower_ not in THING_POSSESSIVES:
                    return c
                if c.dep_ == "prep" and c.lower_ in HOLDER_PREPOSITIONS:
                    # "the suggestion by a senator that …", "the contention of Jane Roe that …"
                    obj = next((o for o in c.children if o.dep_ == "pobj" and not idx.inside(o) and (
                        can_speak(o) if c.lower_ == "from" else c.lower_ == "by" or o.ent_type_ in SPEAKER_ENTS)),
                               None)
                    if obj is not None:
                        return obj
            return None
        if h.head.i == h.i or h.dep_ not in ("ccomp", "acl", "relcl", "pobj", "prep", "advcl", "conj", "dobj", "attr"):
            break
        h = h.head
    return None


def names_a_work(text: str, quote: Quoted) -> bool:
    """`on “Meet the Press”`, `HBO’s “Real Time”`, `the book “…”`: the quoted span is the title of a work."""
    words = WORD.findall(text, quote.start, quote.end)
    if not words or len(words) > WORK_TITLE_MAX_WORDS or not words[0][0].isupper():
        return False
    if not all(w[0].isupper() or w.lower() in WORK_TITLE_SMALL_WORDS for w in words):
        return False
    before = text[quote.paragraph_start:quote.open_mark].rstrip(" `'‘\"“")
    prev = before.rsplit(None, 2)[-2:] if before.strip() else [""]
    if prev[-1].lower() == "of" and len(prev) == 2:
        prev = prev[:1]  # `an episode of “…”`, `her rendition of “…”`
    word = prev[-1].rstrip(",")
    return word.lower() == "on" or word.endswith(("'s", "’s")) or word.lower() in WORK_NOUNS


def names_someone(text: str, quote: Quoted) -> bool:
    """`Robert C. “Bobby” Scott`: a nickname inside a name, between two capitalised words."""
    words = WORD.findall(text, quote.start, quote.end)
    if not quote.closed or not 1 <= len(words) <= 2 or not all(w[0].isupper() for w in words):
        return False
    para = WORD.findall(text, quote.paragraph_start, quote.paragraph_end)
    if sum(w[0].isupper() for w in para) > HEADLINE_CAPITALS * len(para):
        return False  # a headline capitalises every word: `Trump ‘The Dealmaker’ Could …`
    before = text[quote.paragraph_start:quote.open_mark].rstrip(" `'‘\"“").rsplit(None, 1)
    after = text[quote.close_mark + 1:quote.paragraph_end].lstrip(" `'’\"”").split(None, 1)
    if not before or not after or not before[-1][:1].isupper() or not after[0][:1].isupper():
        return False
    return before[-1][-1:] not in ".:,;!?" or _INITIAL.fullmatch(before[-1]) is not None


def is_stage_direction(text: str, quote: Quoted) -> bool:
    """`"(CROSSTALK.)"`, `“[Applause]”`: a bracketed direction in a transcript, not words anyone said."""
    inner = text[quote.start:quote.end].strip(" .")
    return len(inner) > 2 and inner[0] in "([" and inner.rstrip(".")[-1:] in ")]"


def cites_a_work(text: str, quote: Quoted) -> bool:
    """`“Headline,” by Jane Roe`, `“Vote No” (2010)`: a work's title, cited with its author or year."""
    if not quote.closed:
        return False
    after = text[quote.close_mark + 1:quote.paragraph_end]
    if after.startswith((" by", "\xa0by")) and not text[quote.start:quote.end].rstrip().endswith(","):
        return False  # `a “hit piece” by the Times`: a fragment that the by-phrase continues
    return bool(_CITED_WORK_AFTER.match(after))


def _links_out(text: str, quote: Quoted) -> bool:
    """`“…” http://…`: the quote is an excerpt of a linked page."""
    return quote.closed and bool(_LINK_AFTER.match(text, quote.close_mark + 1, quote.paragraph_end))


def _is_scare_quote(text: str, quote: Quoted) -> bool:
    """Whether the quote is short enough to be a scare quote, a nickname or a title when nobody says it."""
    return len(WORD.findall(text, quote.start, quote.end)) <= SCARE_QUOTE_MAX_WORDS


def attribute_quotes(doc: Doc, quoted: Sequence[Quoted], idx: DocIndex | None = None) -> list[Attribution]:
    """Attribute every quoted span of ``doc``; quotes nobody can be found for get no mention, and are left out
    when they are too short to be statements or excerpts of a linked page."""
    idx = idx or DocIndex(doc, quoted)
    text = idx.text
    out: list[Attribution] = []
    last_in_paragraph: dict[int, Attribution] = {}
    last_direct: Attribution | None = None
    for qi, quote in enumerate(idx.quoted):
        if (names_a_work(text, quote) or cites_a_work(text, quote) or names_someone(text, quote)
                or is_stage_direction(text, quote)):
            continue
        kind = quote_kind(text, quote)
        rules = [(_by_dependency, "dependency"), (cue_after, "after_quote"), (cue_before, "before_quote"),
                 (colon_lead_in, "colon_lead_in")]
        if kind == "partial":
            rules.insert(1, (passive_agent, "passive_agent"))
            rules.insert(0, (_judged_statement, "dependency"))
        content = text[quote.start:quote.end].rstrip()
        lead_mark = text[quote.paragraph_start:quote.open_mark].rstrip()[-1:]  # what the quote opens after
        if kind == "direct" or content[:1].isupper() and content[-1:] in SENTENCE_END:
            # `…, as the heckler yelled: “…”`, `a man yelled “Stay!”`: a cue right before a quoted sentence with
            # a subject of its own, whatever clause the parser hung the quote on
            rules.insert(0, (lead_in_cue, "before_quote"))
        if closes_with_comma(text, quote) and kind == "direct":
            # `“…,” X said` is the most reliable layout there is
            rules.insert(0, rules.pop([rule for rule, _ in rules].index(cue_after)))
        if kind == "direct":
            rules.append((clause_before_colon, "before_quote"))
            # a quoted sentence, not a fragment: `footage of Roe saying she “…”` is the footage's account of Roe
            rules.insert(0, (_participle_on_noun, "before_quote"))
        found, method = None, "unattributed"
        label = headline_label(qi, idx)
        claim = _claim_clause_holder(qi, idx) if label is None else None
        if claim is not None:
            found, method, rules = claim, "statement_noun", []
        dashed = dash_label(qi, idx) if label is None and claim is None and kind == "direct" else None
        for rule, name in rules if label is None and dashed is None else []:
            found = rule(qi, idx)
            if found:
                method = name
                break
        if not found and label is None and claim is None:
            found = misread_cue_after(qi, idx) or long_aside_then_cue(qi, idx)
            method = "after_quote" if found else method
        if method == "dependency" and found[0].dep_ == "relcl" and closes_with_comma(text, quote):
            # `Nothing the president said “…,” the senator said`: the relative clause's cue only
            # describes; the one after the comma reports. Only when that one governs the relative clause:
            # in `a figure, which the governor called “…,” blaming …` the governor speaks
            reported = cue_after(qi, idx)
            if reported and any(a.i == reported[0].i for a in found[0].ancestors):
                found, method = reported, "after_quote"
        if method == "after_quote" and kind == "direct" and _leads_into_next_quote(found[0], qi, idx):
            # `When someone shouted, “Jane!” Roe joked, “…”`: the cue after the quote introduces the next one;
            # this one belongs to the lead-in before it
            lead = cue_before(qi, idx) if lead_mark in (",", ":") else None
            passive = lead is not None and any(c.dep_ == "auxpass" for c in lead[0].children)
            if lead is not None and lead[1].i != found[1].i and not passive:  # `X was asked, “…?”`: not X's
                found, method = lead, "before_quote"
        if (method == "after_quote" and kind == "direct" and content[-1:] in SENTENCE_END
                and lead_mark in (",", ":")
                and _takes_own_object(found[0], qi, idx)):
            # `X responded: “…?” Her critics cited it as …`: a verb after a finished quoted sentence that
            # has an object of its own talks about the quote; the lead-in's cue says it
            lead = cue_before(qi, idx)
            if lead is not None and lead[1].i != found[1].i:
                found, method = lead, "before_quote"
        if found:
            found = _fronted_topic(_coordinated_participle(found, idx), idx)
        mention = None
        cue = None
        if label is not None:
            mention, method = before_topic(label_mention(label, idx), doc), "label"
        elif dashed is not None:
            mention, method = before_topic(after_dash(mention_of(dashed, idx), doc), doc), "label"
        elif found:
            verb, subj = found
            cue = verb.i
            mention = mention_of(subj, idx)
            if mention.start <= verb.i < mention.head:
                mention = Mention(verb.i + 1, mention.end, mention.head)  # `Said Jane Roe:` tagged as one name
            elif mention.head < verb.i < mention.end:
                mention = Mention(mention.start, verb.i, mention.head)  # `the ad states` tagged as one noun
            if verb.lower_ == "according":
                method = "according_to"
        elif (mention := transcript_label(qi, idx)) is not None:
            method = "transcript"
        elif (subj := dash_byline(qi, idx) or name_line_after(qi, idx)) is not None:
            mention, method = clip_at_comma(mention_of(subj, idx), doc), "dash_byline"
        elif (subj := verbless_name_after(qi, idx)) is not None:
            mention, method = Mention(idx.spans[qi][1], subj.i + 1, subj.i), "dash_byline"
        elif (subj := after_any_verb(qi, idx) or long_subject_any_verb(qi, idx)) is not None:
            mention, method = mention_of(subj, idx), "after_other_verb"
        elif (subj := label_before(qi, idx)) is not None:
            mention, method = before_topic(after_dash(mention_of(subj, idx), doc), doc), "label"
        elif (subj := source_label(qi, idx)) is not None:
            mention, method = mention_of(subj, idx), "label"
        if mention is None and (subj := in_the_words_before(qi, idx)) is not None:
            mention, method = mention_of(subj, idx), "sentence_subject"
        if mention is None and kind == "partial" and (subj := viewpoint_opener(qi, idx)) is not None:
            mention, method = mention_of(subj, idx), "sentence_subject"
        if mention is None and kind == "partial":
            subj = _fragment_subject(qi, idx)
            # a name, a person pronoun, or a title or body: `the former governor loves “…”`
            if subj is not None and (can_speak(subj) or subj.lower_ in TITLES_AND_BODIES or subj.lower_ == "who"):
                mention, method = mention_of(subj, idx), "sentence_subject"
        if mention is None:
            prev = last_in_paragraph.get(quote.paragraph_start)
            if prev is not None and prev.mention is not None:
                mention, cue, method = prev.mention, prev.cue, "same_paragraph"
                mention = _nearer_mention(prev, qi, idx) or mention
            elif (quote.open_mark == quote.paragraph_start and last_direct is not None
                  and last_direct.mention is not None and last_direct.quoted is not None
                  and _is_previous_paragraph(text, last_direct.quoted, quote)):
                mention, cue, method = last_direct.mention, last_direct.cue, "continuation"
                mention = _nearer_mention(last_direct, qi, idx) or mention
        if mention is None:
            for rule, name in ((lead_in_subject, "lead_in_subject"), (_fragment_subject, "sentence_subject"),
                               (paragraph_before, "paragraph_before"), (dash_lead_in, "lead_in_subject"),
                               (question_lead_in, "lead_in_subject"), (quotation_noun_after, "after_other_verb")):
                subj = rule(qi, idx)
                if subj is not None:
                    mention, method = mention_of(subj, idx), name
                    break
        if mention is None and kind == "partial" and (found := _argument_goes_on(qi, idx)) is not None:
            cue, mention, method = found[0].i, mention_of(found[1], idx), "same_paragraph"
        confidence = CONFIDENCE[method] * (1.0 if quote.closed else 0.85)
        att = Attribution(quote.start, quote.end, kind, mention, cue, method, confidence, quote)
        if mention is not None or not (_is_scare_quote(text, quote) or _links_out(text, quote)):
            out.append(att)
        last_in_paragraph[quote.paragraph_start] = att
        if mention is not None:
            last_direct = att
    return out


def _argument_goes_on(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`Roe has argued that the plan failed. As a result, there is still “…”`: a fragment in a sentence with no
    speaker of its own, right after a sentence whose main verb reports what someone argues, carries the argument
    on in the reporter's words."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    sent = idx.sent(doc[lo])
    if sent.start == 0 or any(is_cue(t) and not idx.inside(t) for t in sent):
        return None
    prev = idx.sent(doc[sent.start - 1])
    root = prev.root
    if idx.inside(root) or not idx.same_paragraph(root, doc[lo]) or not is_cue(root) or not any(
            c.dep_ == "ccomp" for c in root.children):
        return None
    found = cue_and_speaker(root, idx)
    return found if found is not None and can_speak(found[1]) and not idx.inside(found[1]) else None


def _takes_own_object(verb: Token, q: int, idx: DocIndex) -> bool:
    """Whether ``verb`` has a direct object or a clause of its own after it, outside quote ``q``."""
    return any(c.dep_ in ("dobj", "ccomp") and c.i > verb.i and idx.quote_of[c.i] != q for c in verb.children)


# How many tokens after a cue the next quote it introduces may open (`Roe joked, using an accent, “…”`).
NEXT_QUOTE_WINDOW = 10


def _leads_into_next_quote(verb: Token, q: int, idx: DocIndex) -> bool:
    """Whether the clause of ``verb`` goes on, after a comma or colon, into a quote other than ``q``."""
    doc = idx.doc
    for i in range(verb.i + 1, min(len(doc), verb.i + NEXT_QUOTE_WINDOW)):
        t = doc[i]
        if t.text in SENTENCE_END or not idx.same_paragraph(t, verb):
            return False
        other = idx.quote_of[i]
        if other >= 0:
            return other != q and doc[i - 1].text in (",", ":")
    return False


def _coordinated_participle(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """`X spoke up, saying he was a pioneer in hiring women and calling him “…”`: a participle the parser
    coordinated with a word inside what another speech participle reports pairs with that participle."""
    verb, _ = found
    if verb.dep_ != "conj" or verb.tag_ != "VBG" or is_cue(verb.head):
        return found
    tok, via_clause = verb.head, False
    for _ in range(REPORTER_STEPS):
        if tok.head.i == tok.i or not idx.same_sentence(tok.head, verb):
            break
        via_clause = via_clause or tok.dep_ == "ccomp"
        tok = tok.head
        if via_clause and tok.tag_ == "VBG" and is_cue(tok) and not idx.inside(tok):
            return cue_and_speaker(tok, idx) or found
    return found


def _fronted_topic(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """`Jane Roe, a top aide said, “is …”`: a noun phrase run straight into the cue after a name and a comma is
    the cue's subject; the name opens the reported clause (an apposition would close with a comma)."""
    verb, subj = found
    doc = idx.doc
    if verb.i + 1 >= len(doc) or doc[verb.i + 1].text != ",":
        return found
    rest = next((t for t in doc[verb.i + 2:verb.i + 4] if not t.is_punct), None)
    if rest is None or not rest.text[:1].islower():
        return found  # `Jane Roe, chief of staff said, “We …”`: a new sentence, the comma before the title is missing
    # the parser hangs the phrase on the name as an apposition, or on the cue as a second subject
    candidates = [c for c in subj.children if c.dep_ == "appos"] + [c for c in verb.children if c.dep_ == "nsubj"]
    for c in candidates:
        if (c.pos_ == "NOUN" and c.right_edge.i == verb.i - 1 and c.left_edge.i > subj.i
                and doc[c.left_edge.i - 1].text == "," and not idx.inside(c)):
            return verb, c
    return found


def _nearer_mention(prev: Attribution, q: int, idx: DocIndex) -> Mention | None:
    """`“…,” Jane Roe said. She paused. “…”`: a quote that inherits an earlier speaker rests on the
    subject of the nearest sentence before it, when that subject is the same speaker again."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    floor = prev.mention.end
    if prev.quoted is not None:
        floor = max(floor, idx.spans[idx.quote_position[id(prev.quoted)]][1])
    k = idx.sent_start[lo - 1] if lo > floor else -1
    while k >= 0 and idx.sentences[k].end > floor:
        root = idx.sentences[k].root
        subj = None if idx.inside(root) else next(
            (c for c in root.children if c.dep_ == "nsubj" and not idx.inside(c)), None)
        if subj is not None and floor <= subj.i < lo:
            # the nearest subject decides: someone else's keeps the inherited mention
            return mention_of(subj, idx) if _same_speaker(doc[prev.mention.head], subj) else None
        k -= 1
    return None


def _same_speaker(old: Token, new: Token) -> bool:
    """Whether ``new`` is ``old`` again by its form alone: the same pronoun or name word, or "he"/"she"
    after a name with no other named subject between them."""
    if new.pos_ == "PRON" and old.pos_ == "PROPN" and new.lower_ in ("he", "she"):
        return not any(t.dep_ in ("nsubj", "nsubjpass") and (t.pos_ == "PROPN" or t.ent_type_ == "PERSON")
                       for t in old.doc[old.i + 1:new.i])
    return new.lower_ == old.lower_


def _is_previous_paragraph(text: str, prev: Quoted, cur: Quoted) -> bool:
    """Whether ``prev`` lies in the paragraph right before ``cur``'s (blank lines between are fine)."""
    between = text[prev.paragraph_end:cur.paragraph_start]
    return between.strip() == ""

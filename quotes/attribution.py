"""Attribute quoted spans, and find reported speech, in a parsed spaCy ``Doc``: cue, speaker mention, rule."""
from __future__ import annotations

import bisect
import re
from itertools import takewhile
from dataclasses import dataclass
from typing import Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from .lexicon import (ANONYMOUS_HEADS, CLAUSE_VERBS, CONTENT_NOUNS, EVIDENCE_NOUNS, EVIDENCE_VERBS, NOT_REPORTING, NOUN_CUES, OBJECT_VERBS, SPEECH_VERBS,
                      VERB_LEMMAS, WEAK_VERBS, WORK_NOUNS, pairs)
from .marks import Quoted, paragraphs

IRREGULAR_FORMS = frozenset(pairs("irregular_forms"))
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Speech verbs whose passive subject is who was spoken to or about, never who spoke.
PASSIVE_NOT_SPEAKER = frozenset({"charge", "accuse", "call", "describe", "dub", "label", "brand", "term", "blame",
                                 "criticize", "criticise", "praise", "thank", "tell", "ask", "urge", "question",
                                 "challenge", "dismiss", "reject", "condemn", "denounce", "slam", "blast", "inform",
                                 "remind", "advise", "warn", "assure"})
# "Many in the crowd said …", "Most of them say …": a quantifier standing alone for a group of people
QUANTIFIER_SUBJECTS = frozenset({"many", "most", "some", "few", "several", "half", "both", "all", "others"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
# Dependents that belong to a speaker's name phrase (kept in the mention); appositions and clauses do not.
MENTION_DEPS = frozenset({"compound", "det", "poss", "amod", "nmod", "nummod", "case", "prep", "pobj",
                          "cc", "conj", "punct", "quantmod", "advmod", "npadvmod", "flat"})
SENTENCE_END = frozenset(".!?")
NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# How a cue hangs from a quote that the parser made the head of its sentence ("“…,” he said").
GOVERNED_CUE_DEPS = frozenset({"parataxis", "ccomp", "advcl", "dep"})
# Subject pronouns that stand for people ("they" too: groups speak), unlike "it" or "this".
PERSON_PRONOUNS_SUBJ = frozenset({"he", "she", "they", "we", "i"})
# How far (tokens) past a comma-closed quote the verb of an unknown attribution ("she went on") may be.
AFTER_WINDOW_ANY = 4
# How far (tokens) past a closing mark an attribution like ", he said" may start.
AFTER_WINDOW = 12
# The same for a fragment that runs on into its sentence without a comma (`“…” he said`, `“…” said X`).
AFTER_WINDOW_FRAGMENT = 3
# How many tokens a bare subject like "the 43-year-old" between a quote and its cue may have.
NOUN_PHRASE_MAX = 7
# How many tokens the aside between a name and its cue (`Jane Roe, 58, a former aide, said`) may have.
NAME_ASIDE_MAX = 16
# Share of capitalised words above which a paragraph is a headline in Title Case.
HEADLINE_CAPITALS = 0.6
# A fragment this short that no rule attributes is a scare quote, a nickname or a title, not a statement.
SCARE_QUOTE_MAX_WORDS = 4
# `on “Meet the Press”`, `CBS’s “This Morning”`, `the film “…”`: a short Title Case span there names a work.
WORK_TITLE_MAX_WORDS = 6
WORK_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with",
                                    "by", "from", "is", "as"})
_INITIAL = re.compile(r"[A-Z]\.")  # a middle initial: `Robert C. “Bobby” Scott`
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Right after a closing mark: `“Headline,” by Jane Roe`, `“Slogan” (2005)` cite a work, not a statement.
_CITED_WORK_AFTER = re.compile(r"\s+by\s+(?:the\s+)?[A-Z]|\s*\((?:1[89]|20)\d\d\)")
# `“…” http://…`: an excerpt of the linked page.
_LINK_AFTER = re.compile(r"\s*(?:https?://|www\.)")
# A dateline opening a paragraph: `WASHINGTON (AP) —`, `RENO, Nev. (Reuters) -`, `NEW YORK, Dec. 14 —`.
DATELINE = re.compile(
    r"(?:[A-Z][A-Za-z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.]{1,12}(?:\s+\d{1,2})?)*(?:,\s*\d{4})?\s*"
    r"\((?:[A-Z][A-Za-z.&]*\s?){1,3}\)"
    r"|[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][A-Za-z.]{1,12}(?:\s+\d{1,2})?)*)"
    r"\s*[—–-]{1,2}\s*")
# Confidence of each rule: the share of its predictions with the right span and speaker on PolNeAR's
# train split (quotes on the quoted track, reported speech on the all track), shrunk toward a prior for
# rare rules ((right + 4 * prior) / (n + 4)); dev checks it (bench/accuracy.py prints precision by
# confidence band). An unattributed quote has no speaker to be right about: its figure is a prior.
CONFIDENCE = {
    "after_quote": 0.97,
    "same_paragraph": 0.93,
    "colon_lead_in": 0.90,
    "dependency": 0.89,
    "according_to": 0.87,
    "after_other_verb": 0.82,
    "label": 0.81,
    "reported_speech": 0.78,
    "reported_label": 0.71,
    "continuation": 0.70,
    "dash_byline": 0.70,
    "reported_object": 0.70,
    "before_quote": 0.68,
    "lead_in_subject": 0.67,
    "reported_other": 0.48,
    "sentence_subject": 0.45,
    "unattributed": 0.3,
    "transcript": 0.10,
}


@dataclass(frozen=True)
class Mention:
    """A speaker mention as token offsets [start, end) with its head token."""

    start: int
    end: int
    head: int


@dataclass
class Attribution:
    """A quote or reported clause with the cue and speaker mention that attribute it."""

    start: int  # content characters
    end: int
    kind: str  # direct | partial | indirect
    mention: Mention | None
    cue: int | None  # token index of the cue word
    method: str
    confidence: float
    quoted: Quoted | None = None


def _lemma(tok: Token) -> str:
    return VERB_LEMMAS.get(tok.lower_) or tok.lemma_.lower() or tok.lower_


def _is_cue(tok: Token) -> bool:
    return (tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")) and _lemma(tok) in SPEECH_VERBS


class DocIndex:
    """Per-document lookups, made once: the text, which quote each token lies in, paragraphs, sentences."""

    def __init__(self, doc: Doc, quoted: Sequence[Quoted]):
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

        self.text = doc.text  # Doc.text and Token.sent rebuild on every call: look them up once
        self.paragraph_starts = [lo for lo, _ in paragraphs(self.text)] or [0]
        self.datelines: dict[int, int] = {}
        self.sent_start = [0] * len(doc)
        self.sentences: list[Span] = list(doc.sents)
        for k, sent in enumerate(self.sentences):
            for i in range(sent.start, sent.end):
                self.sent_start[i] = k

    def sent(self, tok: Token) -> Span:
        """The sentence of ``tok``."""
        return self.sentences[self.sent_start[tok.i]]

    def same_sentence(self, a: Token, b: Token) -> bool:
        return self.sent_start[a.i] == self.sent_start[b.i]

    def inside(self, tok: Token) -> bool:
        return self.quote_of[tok.i] >= 0

    def paragraph(self, tok: Token) -> int:
        """The start offset of the paragraph ``tok`` is in."""
        k = bisect.bisect_right(self.paragraph_starts, tok.idx) - 1
        return self.paragraph_starts[max(k, 0)]

    def same_paragraph(self, a: Token, b: Token) -> bool:
        return self.paragraph(a) == self.paragraph(b)

    def in_dateline(self, tok: Token) -> bool:
        """Whether ``tok`` is in a dateline opening its paragraph (`WASHINGTON (AP) —`)."""
        start = self.paragraph(tok)
        end = self.datelines.get(start)
        if end is None:
            m = DATELINE.match(self.text, start)
            end = self.datelines[start] = m.end() if m else start
        return tok.idx < end


def subject_of(verb: Token, idx: DocIndex, depth: int = 0) -> Token | None:
    """Return the token that speaks for ``verb``: its subject, or that of the verb it hangs from."""
    subj = _subject_of(verb, idx, depth)
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
    if len(subjects) > 1:
        subjects = [c for c in subjects if not idx.in_dateline(c)] or subjects
    if subjects:
        child = subjects[0]
        if child.dep_ == "nsubjpass" and _lemma(verb) in PASSIVE_NOT_SPEAKER:
            return None  # "after he was accused of …": the one spoken about
        return child  # a relative pronoun stays the mention; the resolver finds what it stands for
    if verb.lower_ == "according":
        for child in verb.children:
            if child.lower_ == "to":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
    if verb.dep_ == "acl" and (verb.head.lemma_ or verb.head.lower_).lower() in NOUN_CUES:
        holder = _holder(verb.head, idx)  # "X issued a statement saying …"
        if holder is not None:
            return holder
    if verb.dep_ == "acl" and verb.tag_ != "VBG" and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.dep_ != "pobj":
        # "one lawmaker called him “…”", "Jane Roe, her adviser, tweeted": a finite verb the parser took for
        # a reduced relative, its noun speaks; but a participle with no object of its own outside the quote
        # modifying a common noun is passive ("a book called “…”", "a gesture intended to …"): never the speaker
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "attr", "dative")]
        passive = verb.tag_ in ("VBN", "VBD") and all(idx.inside(c) for c in objects) and (
            objects or verb.head.pos_ == "NOUN")
        if not passive:
            return verb.head
    if (depth < 2 and verb.dep_ == "conj" and _is_cue(verb) and not _is_cue(verb.head)
            and verb.head.dep_ == "ccomp" and _is_cue(verb.head.head)):
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
    if depth < 2 and verb.dep_ in ("conj", "xcomp", "advcl", "acl") and verb.head.i != verb.i:
        # "X condemned the attacks, saying ..." / "X paused and said ..."
        head = verb.head
        if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp" and head.head.i != head.i:
            head = head.head  # "voters are more likely to say …": the subject of the copula
        return subject_of(head, idx, depth + 1)
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
        return subject_of(head, idx, depth + 1)
    if depth and not _is_cue(verb):
        return None  # reached by walking up: the object of a verb that is not a speech verb never speaks
    # Inverted order ("said Len Burman") the parser did not label as a subject.
    for child in verb.rights:
        if idx.inside(child):
            continue
        if child.ent_type_ in NOT_SPEAKER_ENTS:
            continue  # "reported on Wednesday": a date is never the one who spoke
        if child.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos", "oprd") and child.pos_ in ("PROPN", "PRON", "NOUN"):
            if child.pos_ == "PRON" and child.lower_ in ("it", "this", "that"):
                continue
            if verb.i < child.i <= verb.i + 6:
                return child
    return None


def _inverted_subject(verb: Token, idx: DocIndex) -> Token | None:
    """`… signals “…”, said Jane Roe`: the subject right after a speech verb set off by a comma, which the
    parser gave the verb beside the noun the clause before the comma opens with."""
    doc = verb.doc
    if verb.i == 0 or verb.i + 1 >= len(doc) or doc[verb.i - 1].text != "," or not _is_cue(verb):
        return None
    tok = doc[verb.i + 1]
    if tok.pos_ == "DET":
        tok = doc[verb.i + 2] if verb.i + 2 < len(doc) else tok
    while tok.dep_ in ("compound", "flat", "amod") and tok.head.i > tok.i and tok.head.i <= verb.i + 6:
        tok = tok.head
    if tok.pos_ not in ("PROPN", "NOUN") or idx.inside(tok) or tok.dep_ not in SUBJECT_DEPS:
        return None
    if tok.head.i != verb.i or _lemma(verb) in PASSIVE_NOT_SPEAKER:
        return None  # "…, told Al Jazeera": whom she told
    before = [c for c in verb.lefts if c.dep_ in SUBJECT_DEPS]
    if any(c.pos_ in ("PROPN", "PRON") for c in before):
        return None  # "Jane Roe, an adviser, said Smith …": the name before the comma speaks
    return tok


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
                toks.append(c)
                stack.append(c)
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks) + 1
    # keep the phrase contiguous around the head and free of edge punctuation
    doc = head.doc
    while lo < head.i and idx.in_dateline(doc[lo]):
        lo += 1
    while lo < head.i and (doc[lo].is_punct or doc[lo].dep_ in ("cc", "prep")):
        lo += 1
    while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].dep_ in ("cc", "case", "prep")):
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
    for tok in verb.subtree:
        if idx.inside(tok) or (tok.lemma_ or tok.lower_).lower() not in NOUN_CUES or tok.pos_ != "NOUN":
            continue
        for t in tok.subtree:
            if t.dep_ == "poss" and t.head.i == tok.i and t.pos_ == "PROPN":
                return t
            if t.dep_ == "pobj" and t.head.lower_ in ("by", "from") and t.pos_ in ("PROPN", "NOUN"):
                if t.ent_type_ or any(c.dep_ == "poss" for c in t.children):
                    return t
    return None


def _near_subject(verb: Token, idx: DocIndex) -> Token | None:
    """The name or pronoun next to a cue the parser left without a subject: `“…,” X said` or `said X`."""
    doc = verb.doc
    left = verb.i - 1
    while left >= 0 and doc[left].pos_ in ("ADV", "AUX", "PART") and verb.i - left <= 3:
        left -= 1
    if left >= 0 and doc[left].pos_ in ("PROPN", "PRON") and not idx.inside(doc[left]):
        return doc[left]
    if (left > 0 and doc[left].text == "," and doc[left - 1].pos_ == "PROPN" and doc[left - 1].ent_type_ == "PERSON"
            and not idx.inside(doc[left - 1]) and idx.same_sentence(doc[left - 1], verb)):
        return doc[left - 1]  # "In a statement, her adviser, Jane Roe, said": the name the parser hung elsewhere
    if _lemma(verb) in PASSIVE_NOT_SPEAKER:
        return None  # "called Jane Roe “…”": the name after such a verb is who was spoken to or about
    # `“…,” said the woman, who …`: right after a quote, a common noun too can follow the cue
    after_quote = left >= 0 and (idx.inside(doc[left]) or doc[left].text == "," and left > 0 and idx.inside(doc[left - 1]))
    for i in range(verb.i + 1, min(len(doc), verb.i + 4)):
        t = doc[i]
        if idx.inside(t) or t.is_punct:
            break
        if (t.pos_ == "PROPN" or after_quote and t.pos_ == "NOUN" and i > verb.i + 1) and t.ent_type_ not in NOT_SPEAKER_ENTS:
            while t.head.i > t.i and t.head.i < verb.i + 8 and t.dep_ in ("compound", "flat"):
                t = t.head
            return t
    return None


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


def _cue_and_speaker(verb: Token, idx: DocIndex, nearby: bool = False) -> tuple[Token, Token] | None:
    subj = subject_of(verb, idx)
    if subj is not None and not idx.same_paragraph(subj, verb):
        subj = None
    if (subj is not None and subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl"
            and (verb.head.lemma_ or verb.head.lower_).lower() in NOUN_CUES):
        subj = verb.head  # "a statement which read …": the statement, whose holder follows
    if subj is None and nearby:
        subj = _near_subject(verb, idx)
    if subj is not None and subj.pos_ == "NOUN" and (subj.lemma_ or subj.lower_).lower() in NOUN_CUES:
        subj = _holder(subj, idx) or subj
    if subj is not None and subj.pos_ == "NOUN" and subj.lower_ in ANONYMOUS_HEADS:
        source = _statement_source(verb, idx)
        if source is not None:
            subj = source
    if subj is not None and _is_count(subj):
        subj = _survey_of(verb, subj, idx) or subj
    if subj is not None and subj.pos_ == "NOUN" and subj.ent_type_ != "PERSON":
        # "With days left, the campaign's adviser Jane Roe, said": a name the parser hung as an apposition
        name = next((c for c in subj.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"
                     and c.pos_ == "PROPN" and not idx.inside(c)), None)
        subj = name or subj
    if subj is None or idx.inside(subj):
        return None
    if subj.pos_ not in ("PROPN", "PRON", "NOUN", "NUM", "X") and subj.ent_type_ == "" and not (
            subj.lower_ in QUANTIFIER_SUBJECTS and subj.dep_ in SUBJECT_DEPS):
        return None
    if subj.pos_ == "PRON" and subj.lower_ in ("there", "this", "that", "what", "which", "who", "something", "nothing", "anyone", "everyone"):
        if not (subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl"):
            return None
    return verb, subj


def _is_count(tok: Token) -> bool:
    """`38 percent of voters`, `Six in 10`, `a majority of Democrats`: a share of respondents."""
    if tok.pos_ == "NUM" or tok.lower_ in ("percent", "%", "majority", "majorities", "half", "third", "quarter"):
        return True
    return any(c.dep_ == "nummod" and any(q.lower_ == "in" for q in c.children) for c in tok.children)


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
                    and (obj.lemma_ or obj.lower_).lower() in EVIDENCE_NOUNS):
                return obj
    return None


def _by_dependency(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """A cue verb that governs the quote, or that the quote governs, in the parse; strong cues first."""
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
            if not idx.inside(c) and idx.same_sentence(c, doc[lo]) and c.dep_ in GOVERNED_CUE_DEPS and _is_cue(c):
                governed.append((1, c))
    # the cue governs the quote: walk up from the quote's external heads
    for i in range(lo, hi):
        h = doc[i].head
        if idx.quote_of[h.i] == q or doc[i].is_punct:
            continue  # marks hang wherever the parser dropped them
        for step in range(1, 9):
            if not idx.inside(h) and _is_cue(h):
                governing.append((step, h))
            if h.head.i == h.i:
                break
            h = h.head
    governing.sort(key=lambda sv: sv[0])
    fragment = quote_kind(idx.text, quote) == "partial"
    ordered = governing + governed if fragment else governed + governing
    for step, verb in ordered:
        if idx.paragraph(verb) != para:
            continue
        if _lemma(verb) in WEAK_VERBS and step > 2:
            continue  # "called on all sides to commit to “…”": too far to be the quote's own cue
        found = _cue_and_speaker(verb, idx)
        if found and _thing_relative(verb, found[1]):
            continue  # "a platform that calls for “…”": the thing is no speaker; a cue further up may be
        if found:
            return _same_pronoun_reporter(_outer_reporter(found, idx) if fragment else found, idx)
    return None


def _same_pronoun_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """`He said he intends to … “…”`: a pronoun's cue inside what the same pronoun says is reported by it."""
    verb, subj = found
    if subj.pos_ != "PRON" or subj.lower_ not in PERSON_PRONOUNS_SUBJ:
        return found
    tok = verb
    for _ in range(6):
        if tok.head.i == tok.i or tok.dep_ not in REPORTED_CLAUSE_DEPS or not idx.same_sentence(tok.head, verb):
            break
        tok = tok.head
        if not idx.inside(tok) and _lemma(tok) in DIRECT_REPORT_VERBS:
            outer = _cue_and_speaker(tok, idx)
            if outer is not None and outer[1].lower_ == subj.lower_ and outer[1].i != subj.i:
                return outer
    return found


def _thing_relative(verb: Token, subj: Token) -> bool:
    """`the organization that has declared a “…”`: a relative clause's pronoun standing for a thing."""
    if verb.dep_ != "relcl" or subj.lower_ not in ("that", "which") or subj.head.i != verb.i:
        return False
    antecedent = verb.head
    return not _can_speak(antecedent) and (antecedent.lemma_ or antecedent.lower_).lower() not in NOUN_CUES


DIRECT_REPORT_VERBS = frozenset({"say", "tell"})
# How a reported clause hangs from the verb that reports it ("X said [that Y called it “…”]").
REPORTED_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "conj", "xcomp", "pcomp", "pobj", "dobj"})


def _outer_reporter(found: tuple[Token, Token], idx: DocIndex) -> tuple[Token, Token]:
    """The outermost reporting verb above a fragment's cue: in "X said Y called it “…”" the claim is X's."""
    verb, subj = found
    if _lemma(verb) in DIRECT_REPORT_VERBS and subj.pos_ == "PROPN":
        return found  # "Y said X was “…”, Z reported": the words are Y's, Z only passes them on
    tok = verb
    via_clause = False
    # "X said he saw schools that reminded him of “…”": a relative clause whose subject is the relative
    # pronoun reports on behalf of whoever reports the noun it modifies
    relative = verb.dep_ == "relcl" and subj.lower_ in RELATIVE_PRONOUNS
    for _ in range(6):
        if tok.head.i == tok.i or not idx.same_sentence(tok.head, verb) or (
                tok.dep_ not in REPORTED_CLAUSE_DEPS and not (relative and tok.i == verb.i)):
            break
        via_clause = via_clause or tok.dep_ == "ccomp"
        tok = tok.head
        if via_clause and not idx.inside(tok) and _lemma(tok) in CLAUSE_VERBS and _lemma(tok) not in WEAK_VERBS:
            outer = _cue_and_speaker(tok, idx)
            if outer is not None:
                found = outer
    return found


def _scan_for_cue(tokens: Sequence[Token], idx: DocIndex, nearby: bool = False) -> tuple[Token, Token] | None:
    for tok in tokens:
        if not idx.inside(tok) and _is_cue(tok):
            found = _cue_and_speaker(tok, idx, nearby=nearby)
            if found:
                return found
        if tok.lower_ == "according":
            found = _cue_and_speaker(tok, idx)
            if found:
                return found
    return None


def _after(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” X said` / `“…,” said X`: a cue right after the closing mark, before the sentence ends."""
    doc = idx.doc
    quote = idx.quoted[q]
    if not quote.closed:
        return None
    tail = idx.text[quote.close_mark + 1:quote.close_mark + 3].lstrip()
    if idx.text[quote.start:quote.end].rstrip(" ]")[-1:] == "." and tail[:1].isupper():
        return _bare_report_after(q, idx)  # `“….” Sources said the plan …` is another statement
    _, hi = idx.spans[q]
    window = []
    # `called him a “bully” as he left`: a fragment running on into its sentence has its own cue right
    # after it (`“…” he said`) or in `according to X`, not in whatever clause comes next
    near = AFTER_WINDOW_FRAGMENT if quote_kind(idx.text, quote) == "partial" and not (
        _closes_with_comma(idx.text, quote) or tail[:1] == ",") else AFTER_WINDOW
    for i in range(hi, min(len(doc), hi + AFTER_WINDOW)):
        t = doc[i]
        if t.idx >= quote.paragraph_end or idx.inside(t):
            break
        if i < hi + near or t.lower_ == "according":
            window.append(t)
        if t.text in SENTENCE_END:
            break
    found = _scan_for_cue(window, idx, nearby=True)
    if found is None and _closes_with_comma(idx.text, quote):
        found = _noun_phrase_then_cue(hi, idx) or _name_aside_then_cue(hi, quote.paragraph_end, idx)
    return found


def _name_aside_then_cue(start: int, paragraph_end: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” Jane Roe, 58, a former aide, told reporters`: a name, an aside between commas, then the cue;
    the parser often leaves such a cue without a subject."""
    doc = idx.doc
    i = start
    while (i < len(doc) and i < start + NOUN_PHRASE_MAX and doc[i].pos_ in ("DET", "ADJ", "NOUN", "PROPN")
           and not idx.inside(doc[i])):
        i += 1
    names = [t for t in doc[start:i] if t.pos_ == "PROPN"]
    if not names or i >= len(doc) or doc[i].text != ",":
        return None
    j = i + 1
    while (j < len(doc) and j <= i + NAME_ASIDE_MAX and doc[j].text not in SENTENCE_END
           and doc[j].idx < paragraph_end):
        if doc[j].text == "," and j + 1 < len(doc):
            verb = doc[j + 1]
            if verb.pos_ == "ADV" and j + 2 < len(doc):
                verb = doc[j + 2]
            if _is_cue(verb) and not idx.inside(verb) and verb.tag_ in ("VBD", "VBZ"):
                return verb, names[-1]
        j += 1
    return None


def _bare_report_after(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“….” Jane Roe, an adviser, said at a forum.`: a sentence after the quote whose cue reports nothing
    else (no clause, no object) attributes the quote before it."""
    doc = idx.doc
    quote = idx.quoted[q]
    _, hi = idx.spans[q]
    if quote_kind(idx.text, quote) != "direct":
        return None
    if hi >= len(doc) or idx.inside(doc[hi]) or doc[hi].idx >= quote.paragraph_end:
        return None
    root = idx.sent(doc[hi]).root
    if root.i < hi or idx.inside(root) or not _is_cue(root) or root.idx >= quote.paragraph_end:
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "parataxis", "dative") for c in root.children):
        return None
    if any(idx.inside(t) for t in doc[hi:root.i + 1]):
        return None
    return _cue_and_speaker(root, idx)


def _noun_phrase_then_cue(start: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” the editorial read.` / `“…?” the 43-year-old asked`: right after a comma-closed quote, a bare
    noun phrase and a speech verb form, which the tagger may have taken for a noun or an adjective's modifier."""
    doc = idx.doc
    i = start
    nominal: list[Token] = []
    while i < len(doc) and i < start + NOUN_PHRASE_MAX and not idx.inside(doc[i]):
        t = doc[i]
        if t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or t.tag_ in ("HYPH", "POS", "PRP$"):
            nominal.append(t)
            i += 1
            continue
        break
    if not nominal:
        return None
    verb = doc[i] if i < len(doc) and doc[i].pos_ in ("VERB", "AUX") else nominal.pop()
    form = verb.lower_
    lemma = VERB_LEMMAS.get(form)
    if lemma is None or lemma not in SPEECH_VERBS or (form == lemma and form not in IRREGULAR_FORMS):
        return None
    after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    if after is not None and not (after.is_punct or after.pos_ in ("ADP", "ADV", "SCONJ")):
        return None
    heads = [t for t in nominal if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")]
    if not heads:
        return None
    speaker = heads[-1]
    if not idx.same_paragraph(speaker, verb):
        return None
    if speaker.ent_type_ in NOT_SPEAKER_ENTS and nominal[0].pos_ != "DET":
        return None  # "“…,” Monday said" is a misparse; "the 43-year-old" is someone
    return verb, speaker


def _before(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`X said, “…”` / `X said: “…”` / `X said it was “…”`: a cue earlier in the same sentence."""
    doc = idx.doc
    quote = idx.quoted[q]
    lo, _ = idx.spans[q]
    window = []
    i = lo - 1
    while i >= 0:
        t = doc[i]
        if t.idx < quote.paragraph_start:
            break
        if t.text in SENTENCE_END and (not idx.inside(t) or _ends_sentence_in_quote(t, idx)):
            break
        window.append(t)
        i -= 1
    lead = _lead_in_verb(window, idx) if quote_kind(idx.text, quote) == "direct" else None
    return lead or _scan_for_cue(window, idx, nearby=True)  # nearest first


def _ends_sentence_in_quote(tok: Token, idx: DocIndex) -> bool:
    """`… it was “updated.” He voiced …`: a full stop that closes a quote and, with it, the sentence."""
    qi = idx.quote_of[tok.i]
    if qi < 0:
        return False
    _, hi = idx.spans[qi]
    doc = idx.doc
    if tok.i + 2 != hi or hi >= len(doc):
        return False
    after = doc[hi]
    return after.text[:1].isupper() and not idx.inside(after)


def _lead_in_verb(window: Sequence[Token], idx: DocIndex) -> tuple[Token, Token] | None:
    """`Hillary shot back, “…”`: the verb right before a comma or colon that opens a quote, listed or not."""
    if not window or window[0].text not in (",", ":"):
        return None
    for t in window[1:4]:
        if t.pos_ == "VERB":
            found = _cue_and_speaker(t, idx)
            if found is None or found[1].pos_ not in ("PROPN", "PRON") or found[1].i > t.i:
                return None
            if found[1].pos_ == "PRON" and found[1].lower_ not in PERSON_PRONOUNS_SUBJ:
                return None
            return found
        if t.pos_ not in ("ADV", "ADP", "PART"):
            return None
    return None


def _colon_lead_in(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """A paragraph that is a quote, after one ending in a colon: `X said:` then the quote."""
    quote = idx.quoted[q]
    if quote.open_mark != quote.paragraph_start:
        return None
    window = _words_before_colon(quote.paragraph_start, 0, idx)
    return _scan_for_cue(window, idx) if window is not None else None


def _words_before_colon(end: int, floor: int, idx: DocIndex) -> list[Token] | None:
    """The words of the sentence or line before a colon that whitespace alone separates from ``end``,
    nearest first; None when there is no such colon at or after ``floor``."""
    doc, text = idx.doc, idx.text
    j = end - 1
    while j >= floor and text[j].isspace():
        j -= 1
    if j < floor or text[j] != ":":
        return None
    colon = doc.char_span(j, j + 1, alignment_mode="expand")
    if colon is None:
        return None
    words = []
    i = colon.start - 1
    while i >= 0 and doc[i].text not in SENTENCE_END and "\n" not in doc[i].text:
        words.append(doc[i])
        i -= 1
    return words


DASHES = "―—–-"
# A line after a quote that is a byline (`- Jane Roe, tweeting after the speech.`) is this short.
BYLINE_LINE_MAX_WORDS = 12
_LABEL = re.compile(r"([A-Z][A-Z.'’\- ]{1,40}|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}):\s")


def _dash_byline(q: int, idx: DocIndex) -> Token | None:
    """`“…” ― Name` at the end of a paragraph: a byline after a dash."""
    doc = idx.doc
    quote = idx.quoted[q]
    if not quote.closed:
        return None
    rest = idx.text[quote.close_mark + 1:quote.paragraph_end]
    stripped = rest.lstrip(" \u00a0")
    name_from = quote.close_mark + 1
    if not stripped.strip(" \u00a0.\"”"):
        # the quote ends its paragraph and the next line is only the byline: `- Jane Roe, tweeting.`
        k = bisect.bisect_right(idx.paragraph_starts, quote.paragraph_end)
        if k >= len(idx.paragraph_starts):
            return None
        name_from = idx.paragraph_starts[k]
        line_end = idx.text.find("\n", name_from)
        line = idx.text[name_from:line_end if line_end >= 0 else len(idx.text)]
        stripped = line.lstrip(" \u00a0")
        if len(stripped.split()) > BYLINE_LINE_MAX_WORDS:
            return None
        stripped = stripped.split(",", 1)[0]
    if not stripped or stripped[0] not in DASHES:
        return None
    name = stripped[1:].strip(" \u00a0.")
    if not name or len(name.split()) > 6 or not name[0].isupper():
        return None
    start = idx.text.index(name, name_from)
    span = doc.char_span(start, start + len(name), alignment_mode="expand")
    if span is None:
        return None
    heads = [t for t in span if t.pos_ in ("PROPN", "NOUN")]
    return heads[-1] if heads else span.root


def _after_any_verb(q: int, idx: DocIndex) -> Token | None:
    """`“…,” she went on`: a comma-closed quote followed by a short clause whose verb is not a known cue."""
    doc = idx.doc
    quote = idx.quoted[q]
    if quote_kind(idx.text, quote) != "direct" or not _closes_with_comma(idx.text, quote):
        return None
    _, hi = idx.spans[q]
    if hi < len(doc) and doc[hi].text[:1].isupper() and doc[hi].pos_ != "PROPN":
        return None  # a new sentence starts after the mark
    for i in range(hi, min(len(doc), hi + AFTER_WINDOW_ANY)):
        t = doc[i]
        if t.idx >= quote.paragraph_end or idx.inside(t) or t.text in SENTENCE_END or t.is_punct:
            return None
        if t.pos_ == "VERB":
            subj = subject_of(t, idx) or _near_subject(t, idx)
            if subj is None or idx.inside(subj) or subj.pos_ not in ("PROPN", "PRON", "NOUN"):
                return None
            if subj.pos_ == "PRON" and subj.lower_ not in PERSON_PRONOUNS_SUBJ:
                return None
            return subj
    return None


def _transcript_label(q: int, idx: DocIndex) -> Mention | None:
    """A transcript line inside the marks, `"NAME: …"`: the label is the speaker."""
    doc = idx.doc
    quote = idx.quoted[q]
    m = _LABEL.match(idx.text, quote.start)
    if not m or len(m.group(1).split()) > 3:
        return None
    span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
    if span is None or not len(span):
        return None
    return Mention(span.start, span.end, span.end - 1)  # inside the marks, unlike every other mention


def _opens_with_spaced_dash(tok: Token) -> bool:
    """A dash that separates (`HEADLINE - Jane Roe`, `-More from Roe`), not a hyphen inside a word (`D-Ohio`)."""
    return tok.text[0] in DASHES and (tok.i == 0 or bool(tok.doc[tok.i - 1].whitespace_))


def _label_before(q: int, idx: DocIndex) -> Token | None:
    """`Jane Roe: “…”` in a headline, a list or a debate summary: a short name label right before the quote."""
    quote = idx.quoted[q]
    words = _words_before_colon(quote.open_mark, quote.paragraph_start, idx) or []
    label = list(takewhile(lambda t: not idx.inside(t), words))
    # `HEADLINE IN CAPITALS - Jane Roe:`: a dash ends the label
    cut = next((k for k, t in enumerate(label) if _opens_with_spaced_dash(t)), None)
    if cut is not None:
        glued = len(label[cut].text) > 1 and label[cut].text.lstrip(DASHES)[:1].isupper()
        label = label[:cut + 1] if glued else label[:cut]  # "-More from Roe:" has the dash glued on
    if not label or not label[-1].text.lstrip(DASHES)[:1].isupper():
        return None
    if len(label) > 8:
        return None
    if any(_is_cue(t) for t in label) or not any(t.pos_ == "PROPN" for t in label):
        return None
    heads = [t for t in label if t.head not in label or t.head.i == t.i]
    if len(heads) == 1 and heads[0].pos_ == "PROPN":
        return heads[0]
    # `Rep. Jane Roe (D-Ohio):` or a parse that split the label: the name nearest the colon, outside brackets
    depth = 0
    for t in label:  # nearest the colon first
        depth += (t.text == ")") - (t.text == "(")
        if depth == 0 and t.pos_ == "PROPN" and t.text not in "()":
            return t
    return None


def _lead_in_subject(q: int, idx: DocIndex) -> Token | None:
    """`X unveiled a new message: “…”` / `X defended his decision, “…”` / `X spoke on TV. “…”`: with no
    cue, the subject of the clause that leads into a quote of whole sentences."""
    doc = idx.doc
    quote = idx.quoted[q]
    lead_start = quote.paragraph_start
    before = idx.text[quote.paragraph_start:quote.open_mark].rstrip()
    if not before:
        # "X made the following comment:" closing the previous paragraph
        prev = idx.text[:quote.paragraph_start].rstrip()
        if not prev.endswith(":"):
            return None
        lead_start, before = 0, prev
    if before[-1] not in ":,." or (before[-1] != ":" and not idx.text[quote.start:quote.start + 1].isupper()):
        return None
    colon = doc.char_span(lead_start + len(before) - 1, lead_start + len(before), alignment_mode="expand")
    if colon is None:
        return None
    sent_root = idx.sent(colon[0]).root
    root = sent_root if sent_root.i < colon.start else doc[colon.start - 1].head
    for obj in root.children:
        # "The palace issued the following statement from the king:"
        if obj.dep_ == "dobj" and (obj.lemma_ or obj.lower_).lower() in NOUN_CUES:
            holder = next((o for c in list(obj.children) + list(root.children)
                           if c.dep_ == "prep" and c.lower_ in ("from", "by")
                           for o in c.children if o.dep_ == "pobj"), None)
            if holder is not None:
                return holder
    return _governing_subject(root, idx)


def _governing_subject(tok: Token, idx: DocIndex) -> Token | None:
    """The nearest subject-bearing verb above ``tok`` whose subject can speak (a name, pronoun or person)."""
    h = tok
    for _ in range(8):
        if h.pos_ in ("VERB", "AUX") and not idx.inside(h):
            subj = next((c for c in h.children if c.dep_ in ("nsubj",) and not idx.inside(c)
                         and not idx.in_dateline(c)), None)
            if subj is not None and idx.same_paragraph(subj, tok):
                if subj.pos_ in ("PROPN", "NOUN") or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or (
                        subj.pos_ == "PRON" and subj.lower_ in ("he", "she", "they", "i", "we", "it")):
                    return subj
                return None
        if h.head.i == h.i:
            break
        h = h.head
    return None


def _fragment_subject(q: int, idx: DocIndex) -> Token | None:
    """A fragment inside a sentence with no speech verb (`pounding Trump as a “con artist”`): its subject."""
    doc = idx.doc
    lo, hi = idx.spans[q]
    quote = idx.quoted[q]
    if hi <= lo or quote_kind(idx.text, quote) != "partial":
        return None
    for i in range(lo, hi):
        h = doc[i].head
        if idx.quote_of[h.i] != q and not doc[i].is_punct:
            return _content_holder(h, idx) or _outer_subject(_governing_subject(h, idx), idx)
    return None


def _outer_subject(subj: Token | None, idx: DocIndex) -> Token | None:
    """`X expressed confidence that Y was “…”`: when the subject's clause is the complement of a higher
    clause, the higher subject that can speak holds the claim, as a reporting verb's subject would."""
    for _ in range(3):
        if subj is None:
            return None
        clause = subj.head
        if clause.dep_ != "ccomp" and not (clause.dep_ == "acl" and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)):
            return subj
        outer = _governing_subject(clause.head, idx)
        if outer is None or not (_can_speak(outer) or outer.pos_ == "NOUN") or not idx.same_sentence(outer, subj):
            return subj
        subj = outer
        if (subj.lemma_ or subj.lower_).lower() in CONTENT_NOUNS:
            # "X's main claim is that …": the claim's holder
            holder = next((c for c in subj.children if c.dep_ == "poss" and c.lower_ not in ("its", "their")), None)
            return holder or subj
    return subj


def _content_holder(tok: Token, idx: DocIndex) -> Token | None:
    """`X's claim that … “…”`: the holder of the statement noun a fragment is the content of."""
    h = tok
    for _ in range(4):
        if h.pos_ == "NOUN" and not idx.inside(h) and (h.lemma_ or h.lower_).lower() in CONTENT_NOUNS:
            for c in h.children:
                if c.dep_ == "poss" and not idx.inside(c) and c.lower_ not in ("its", "their"):
                    return c
                if c.dep_ == "prep" and c.lower_ in ("from", "by"):
                    obj = next((o for o in c.children if o.dep_ == "pobj" and _can_speak(o)), None)
                    if obj is not None:
                        return obj
            return None
        if h.head.i == h.i or h.dep_ not in ("ccomp", "acl", "relcl", "pobj", "prep", "advcl", "conj", "dobj", "attr"):
            break
        h = h.head
    return None


def quote_kind(text: str, quote: Quoted) -> str:
    """'direct' for a quote that stands as a statement of its own, 'partial' for a fragment in a sentence."""
    before = text[quote.paragraph_start:quote.open_mark].rstrip()
    content = text[quote.start:quote.end]
    first = content.lstrip("‘'(—–-… ")[:1]
    if not before or before[-1] in ":,—–-(―":
        return "direct" if first.isupper() or not before else "partial"
    if before[-1] in ".!?”\"":
        return "direct"
    return "partial"


def names_a_work(text: str, quote: Quoted) -> bool:
    """`on “Meet the Press”`, `HBO’s “Real Time”`, `the book “…”`: the quoted span is the title of a work."""
    words = _WORD.findall(text, quote.start, quote.end)
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
    words = _WORD.findall(text, quote.start, quote.end)
    if not quote.closed or not 1 <= len(words) <= 2 or not all(w[0].isupper() for w in words):
        return False
    para = _WORD.findall(text, quote.paragraph_start, quote.paragraph_end)
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
    """A short fragment with nobody to attribute it to: scare quotes, nicknames, titles."""
    return len(_WORD.findall(text, quote.start, quote.end)) <= SCARE_QUOTE_MAX_WORDS


def _closes_with_comma(text: str, quote: Quoted) -> bool:
    """`“…,” X said`: the quote ends in a comma (or ? !) right before its closing mark."""
    if not quote.closed:
        return False
    return text[quote.start:quote.end].rstrip()[-1:] in (",", "?", "!", "—", "–", "-")


def attribute_quotes(doc: Doc, quoted: Sequence[Quoted], idx: DocIndex | None = None) -> list[Attribution]:
    """Attribute every quoted span of ``doc``; quotes nobody can be found for get no mention."""
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
        rules = [(_by_dependency, "dependency"), (_after, "after_quote"), (_before, "before_quote"),
                 (_colon_lead_in, "colon_lead_in")]
        if _closes_with_comma(text, quote) and kind == "direct":
            rules.insert(0, rules.pop(1))  # `“…,” X said` is the most reliable layout there is
        found, method = None, "unattributed"
        for rule, name in rules:
            found = rule(qi, idx)
            if found:
                method = name
                break
        if method == "dependency" and found[0].dep_ == "relcl" and _closes_with_comma(text, quote):
            # `Nothing the president said “…,” the senator said`: the relative clause's cue only
            # describes; the one after the comma reports. Only when that one governs the relative clause:
            # in `a figure, which the governor called “…,” blaming …` the governor speaks
            reported = _after(qi, idx)
            if reported and any(a.i == reported[0].i for a in found[0].ancestors):
                found, method = reported, "after_quote"
        mention = None
        cue = None
        if found:
            verb, subj = found
            cue = verb.i
            mention = mention_of(subj, idx)
            if verb.lower_ == "according":
                method = "according_to"
        else:
            mention = _transcript_label(qi, idx)
            if mention is not None:
                method = "transcript"
            else:
                subj = _dash_byline(qi, idx)
                if subj is not None:
                    mention, method = _clip_at_comma(mention_of(subj, idx), doc), "dash_byline"
                elif (subj := _after_any_verb(qi, idx)) is not None:
                    mention, method = mention_of(subj, idx), "after_other_verb"
                else:
                    subj = _label_before(qi, idx)
                    if subj is not None:
                        mention, method = _after_dash(mention_of(subj, idx), doc), "label"
        if mention is None and kind == "partial":
            subj = _fragment_subject(qi, idx)
            if subj is not None and (subj.pos_ == "PROPN" or subj.lower_ in PERSON_PRONOUNS_SUBJ):
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
            for rule, name in ((_lead_in_subject, "lead_in_subject"), (_fragment_subject, "sentence_subject")):
                subj = rule(qi, idx)
                if subj is not None:
                    mention, method = mention_of(subj, idx), name
                    break
        confidence = CONFIDENCE[method] * (1.0 if quote.closed else 0.85)
        att = Attribution(quote.start, quote.end, kind, mention, cue, method, confidence, quote)
        if mention is not None or not (_is_scare_quote(text, quote) or _links_out(text, quote)):
            out.append(att)
        last_in_paragraph[quote.paragraph_start] = att
        if mention is not None:
            last_direct = att
    return out


def _nearer_mention(prev: Attribution, q: int, idx: DocIndex) -> Mention | None:
    """`“…,” Jane Roe said. She paused. “…”`: a quote that inherits an earlier speaker rests on the
    subject of the nearest sentence before it, when that subject is the same speaker again."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    floor = prev.mention.end
    if prev.quoted is not None:
        floor = max(floor, idx.spans[idx.quoted.index(prev.quoted)][1])
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


def _clip_at_comma(m: Mention, doc: Doc) -> Mention:
    """`Jane Roe, tweeting after the speech`: a byline's name ends at its first comma."""
    end = next((i for i in range(m.head + 1, m.end) if doc[i].text == ","), m.end)
    return Mention(m.start, end, m.head)


def _after_dash(m: Mention, doc: Doc) -> Mention:
    """`HEADLINE - Jane Roe:`: a label's name starts after the last dash before it."""
    start = max((i + 1 for i in range(m.start, m.head) if _opens_with_spaced_dash(doc[i])), default=m.start)
    return Mention(start, m.end, m.head)


def _is_previous_paragraph(text: str, prev: Quoted, cur: Quoted) -> bool:
    """Whether ``prev`` lies in the paragraph right before ``cur``'s (blank lines between are fine)."""
    between = text[prev.paragraph_end:cur.paragraph_start]
    return between.strip() == ""


ASIDE_WORDS = frozenset({"who", "whom", "whose", "which", "where"})


def _before_aside(clause: Token, j: int) -> int:
    """Last token of a reported clause without a closing comma-set relative or appositive (`…, where she grew
    up`, `…, a retired engineer`): the writer's description, not what was said."""
    doc = clause.doc
    for t in clause.subtree:
        if ((t.dep_ == "relcl" and doc[t.left_edge.i].lower_ in ASIDE_WORDS or t.dep_ == "appos")
                and t.right_edge.i == j and t.left_edge.i > clause.i + 1 and doc[t.left_edge.i - 1].text == ","):
            return t.left_edge.i - 2
    return j


def _clause_chars(clause: Token) -> tuple[int, int]:
    toks = list(clause.subtree)
    lo, hi = toks[0], toks[-1]
    doc = clause.doc
    i, j = lo.i, hi.i
    while j > i and doc[j].is_punct and doc[j].text not in "”\"’":
        j -= 1
    j = _before_aside(clause, j)
    while i < j and (doc[i].lower_ in ("that", ",", "whether") or doc[i].is_punct and doc[i].text not in "“\"‘"):
        i += 1
    while j > i and doc[j].is_punct and doc[j].text not in "”\"’":
        j -= 1
    inner = doc[i:j + 1].text
    if j + 1 < len(doc) and doc[j + 1].text in ("”", '"') and (
            inner.count("“") > inner.count("”") or inner.count('"') % 2):
        j += 1  # the closing mark of a quote that ends the clause, which the parser hung elsewhere
    return doc[i].idx, doc[j].idx + len(doc[j])


def _quoted_share(start: int, end: int, quoted: Sequence[Quoted]) -> float:
    inside = 0
    for q in quoted:
        lo, hi = max(start, q.start), min(end, q.end)
        if hi > lo:
            inside += hi - lo
    return inside / max(1, end - start)


QUESTION_VERBS = frozenset({"ask", "wonder", "question"})


def _asks(verb: Token, clause: Token) -> bool:
    """`asked workers if they planned to …`: a question verb's `if`/`whether` clause, parsed as adverbial."""
    marks = [c.lower_ for c in clause.children if c.dep_ == "mark"]
    lemma = _lemma(verb)
    return ("whether" in marks and lemma in CLAUSE_VERBS) or ("if" in marks and lemma in QUESTION_VERBS)


def _passive(verb: Token) -> bool:
    """`was asked`, `when asked`, `Asked about …`: a participle with no subject of its own, or a passive."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    if verb.tag_ in ("VBN", "VBD") and verb.dep_ == "advcl" and any(
            c.lower_ in ("when", "if", "after", "once", "as") for c in verb.children):
        return not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)  # "when asked what …" (tagged VBD)
    return verb.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "aux") for c in verb.children)


def _hidden_that_clause(verb: Token) -> list[Token]:
    """`said on Friday during a news conference that he may wait`: a `that` clause the parser hung as a
    relative clause of a noun in the verb's prepositional phrases (a true relative has `that` as its subject
    or object, never as its conjunction)."""
    stack = [c for c in verb.rights if c.dep_ in ("prep", "npadvmod", "advmod")]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.i < verb.i:
                continue
            if c.dep_ in ("relcl", "acl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.lefts):
                return [c]
            if c.dep_ in ("prep", "pobj", "npadvmod"):
                stack.append(c)
    return []


def _before_second_cue(clause: Token, idx: DocIndex) -> int:
    """End of a reported clause before a speech verb the parser coordinated into it (`said he was undergoing
    therapy and vowed to …`, `… and criticized the council`): the second statement is reported by its own verb."""
    doc = clause.doc
    for c in clause.children:
        if (c.dep_ == "conj" and c.i > clause.i and not idx.inside(c) and _is_cue(c)
                and not any(s.dep_ in SUBJECT_DEPS for s in c.children)
                and any(k.dep_ in ("ccomp", "xcomp") or k.dep_ == "dobj" and _lemma(c) in OBJECT_VERBS
                        for k in c.children)):
            cut = c.left_edge.i
            while cut > clause.i + 1 and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            if cut > clause.i:
                return doc[cut - 1].idx + len(doc[cut - 1])
    return len(idx.text)


def _reported(tok: Token, idx: DocIndex, strong: bool) -> Iterator[tuple[int, int]]:
    """Character spans of the clauses ``tok`` reports: its complement, or the clause it interrupts."""
    # the clause's head may sit inside a quoted fragment ("said the city was “fully committed”")
    clauses = [c for c in tok.children if c.dep_ == "ccomp" or c.dep_ == "advcl" and _asks(tok, c)]
    if strong and not clauses:
        clauses = _hidden_that_clause(tok)
    # "said X, but that Y": a second reported clause coordinated with the verb, not with the first clause
    more = [c for c in tok.children if c.dep_ == "conj" and c.i > tok.i and not idx.inside(c)
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    for clause in clauses:
        lo, hi = _clause_chars(clause)
        before = [t for t in clause.subtree if t.i < tok.i]
        if before and clause.i > tok.i and all(t.tag_ in ("WDT", "WP") for t in before):
            # "a wall, which he said the neighbour would pay for": the clause resumes after the cue
            lo = clause.doc[tok.i + 1].idx
        if more and clause is clauses[-1]:
            hi = max(hi, _clause_chars(more[-1])[1])
        hi = min(hi, _before_second_cue(clause, idx))
        if _quoted_share(lo, hi, idx.quoted) > 0.6:
            # "he respects her and calls her “…”": the quote is its own; keep the clause before it
            quoting = [c for c in clause.children if c.dep_ == "conj" and c.i > clause.i
                       and any(idx.inside(t) for t in c.subtree)]
            if quoting:
                cut = min(t.i for t in quoting[0].subtree)
                while cut > clause.i and (clause.doc[cut - 1].dep_ == "cc" or clause.doc[cut - 1].is_punct):
                    cut -= 1
                hi = clause.doc[cut - 1].idx + len(clause.doc[cut - 1])
        yield lo, hi
    if strong and not clauses and _as_aside(tok, idx):
        yield _beside(tok, idx)
        return
    if strong and not clauses and tok.dep_ in ("parataxis", "ccomp") and tok.head.i != tok.i:
        # "Acts of protest, Mr. Obama said, are acts of patriotism": the cue interrupts its clause
        head = tok.head
        if not idx.inside(head) and head.pos_ in ("VERB", "AUX") and tok.i > head.left_edge.i:
            yield _clause_chars(head)


def _as_aside(tok: Token, idx: DocIndex) -> bool:
    """`As the Gazette reported, the mayor …` / `…, as she noted`: an `as` clause with its own subject and
    nothing said in it, hung on the clause it reports."""
    head = tok.head
    return (tok.dep_ == "advcl" and head.i != tok.i and not idx.inside(head) and head.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
            and any(c.dep_ in SUBJECT_DEPS for c in tok.children)
            and not any(c.dep_ in ("dobj", "xcomp", "ccomp", "attr") for c in tok.children)
            and _comma_between(tok))


def _comma_between(tok: Token) -> bool:
    """A comma sets the aside off (`went just as he predicted` tells how, not what was said)."""
    doc = tok.doc
    if tok.i < tok.head.i:
        return tok.right_edge.i + 1 < len(doc) and doc[tok.right_edge.i + 1].text == ","
    return tok.left_edge.i > 0 and doc[tok.left_edge.i - 1].text == ","


def _beside(tok: Token, idx: DocIndex) -> tuple[int, int]:
    """The clause an `as` aside is hung on, on its side of the aside."""
    head, doc = tok.head, tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    toks = [t for t in head.subtree if (t.i > hi if tok.i < head.i else t.i < lo)]
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    if not toks:
        return 0, 0
    return toks[0].idx, toks[-1].idx + len(toks[-1])


_LABEL_LINE = re.compile(r"([A-Z][\w.'’\- ]{1,40}?):[ \t\u00a0]+(?=\w)")


def _label_lines(idx: DocIndex) -> Iterator[Attribution]:
    """`Jane Roe: The plan is dead` (a headline or a transcript turn): what follows a name label."""
    doc, text = idx.doc, idx.text
    for lo, hi in paragraphs(text):
        m = _LABEL_LINE.match(text, lo, hi)
        if not m or len(m.group(1).split()) > 4:
            continue
        label = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        start, end = m.end(), hi
        while end > start and text[end - 1] in " \t\u00a0.":
            end -= 1
        if label is None or len(text[start:end].split()) < 3 or _quoted_share(start, end, idx.quoted) > 0.6:
            continue
        if not all(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or t.is_punct for t in label):
            continue
        if not any(t.ent_type_ in ("PERSON", "ORG") for t in label):
            continue  # "Iowa: …", "Correction: …": a place or a section, not someone speaking
        heads = [t for t in label if t.head.i == t.i or not (label.start <= t.head.i < label.end)]
        if len(heads) == 1 and not idx.inside(heads[0]) and heads[0].ent_type_ not in NOT_SPEAKER_ENTS:
            yield Attribution(start, end, "indirect", mention_of(heads[0], idx), None, "reported_label",
                              CONFIDENCE["reported_label"])


def reported_speech(doc: Doc, quoted: Sequence[Quoted], idx: DocIndex | None = None) -> Iterator[Attribution]:
    """Yield reported clauses: `X said (that) …`, `… , X said`, `according to X, …`, `X, saying …`."""
    idx = idx or DocIndex(doc, quoted)
    yield from _label_lines(idx)
    for tok in doc:
        if idx.inside(tok):
            continue
        if tok.lower_ == "according" and tok.dep_ == "prep":
            yield from _according(tok, idx)
            continue
        if not (tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")):
            continue
        lemma = _lemma(tok)
        strong = lemma in CLAUSE_VERBS
        evidence = lemma in EVIDENCE_VERBS and _reports_evidence(tok, idx)
        if not (strong or evidence) and (lemma in NOT_REPORTING or tok.lower_ in NOT_REPORTING or tok.pos_ == "AUX"):
            continue
        spans = list(_reported(tok, idx, strong or evidence))
        method = "reported_speech" if strong else "reported_other"
        if not spans and (lemma in OBJECT_VERBS or evidence):
            spans = list(_object_content(tok, idx))
            method = "reported_object"
        if not spans:
            continue
        if lemma in QUESTION_VERBS and _passive(tok):
            continue  # "Asked whether …, she said": whoever asked is not named; the one asked did not say it
        found = _cue_and_speaker(tok, idx)
        if not found:
            continue
        _, subj = found
        if method != "reported_speech" and not evidence and not _can_speak(subj):
            continue
        for start, end in spans:
            if end - start < 8 or _quoted_share(start, end, quoted) > 0.6:
                continue
            if start <= tok.idx < end and tok.dep_ not in ("parataxis", "ccomp"):
                continue
            yield Attribution(start, end, "indirect", mention_of(subj, idx), tok.i, method, CONFIDENCE[method])


OBJECT_DEPS = frozenset({"dobj", "xcomp", "pcomp", "oprd"})
OBJECT_PREPS = frozenset({"about", "for", "of", "on", "with", "against", "to"})
# Verbs whose object is only who was addressed: they report something with an order (`told X to …`).
ORDER_VERBS = frozenset({"tell"})


def _object_content(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`Trump urged supporters to monitor polling places`: what a communication verb takes as its object."""
    parts = [c for c in verb.rights if not idx.inside(c) and (
        c.dep_ in OBJECT_DEPS or (c.dep_ == "prep" and c.lower_ in OBJECT_PREPS))]
    if not parts:
        return
    if _lemma(verb) in ORDER_VERBS and not any(c.dep_ == "xcomp" for c in parts):
        return  # "told reporters on Tuesday" reports nothing; "told residents not to drink the water" does
    first, last = parts[0], parts[-1]
    toks = list(first.subtree) + list(last.subtree)
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks)
    doc = verb.doc
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    hi = _before_aside(last, hi)
    if hi - lo >= 2:  # "condemned the attacks" reports nothing worth keeping; three words or more
        yield doc[lo].idx, doc[hi].idx + len(doc[hi])


def _reports_evidence(verb: Token, idx: DocIndex) -> bool:
    """`The poll shows …` / `A study found …`: an evidence verb whose subject is a document or a count."""
    subj = subject_of(verb, idx)
    return subj is not None and (subj.lemma_ or subj.lower_).lower() in EVIDENCE_NOUNS


def _can_speak(tok: Token) -> bool:
    """Whether a subject is someone (a name, a person pronoun, a group of people) rather than a thing."""
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ in ("he", "she", "they", "i", "we", "you")
    return tok.pos_ == "PROPN" or tok.lower_ in ANONYMOUS_HEADS


def _according(tok: Token, idx: DocIndex) -> Iterator[Attribution]:
    found = _cue_and_speaker(tok, idx)
    if not found:
        return
    _, subj = found
    head = tok.head
    if head.i == tok.i or idx.inside(head):
        return
    if head.i < tok.i:
        # "A won 37 percent, B had 36 percent and C 13 percent, according to X": all the conjuncts
        while (head.dep_ == "conj" and head.head.i < head.i and not idx.inside(head.head)
               and head.head.pos_ in ("VERB", "AUX")):
            head = head.head
    skip = {t.i for t in tok.subtree}
    toks = [t for t in head.subtree if t.i not in skip and idx.same_sentence(t, tok)]
    if not toks:
        return
    # the clause is on one side of "according to X": keep the side with the head verb
    if head.i > tok.i:
        toks = [t for t in toks if t.i > max(skip)]
    else:
        toks = [t for t in toks if t.i < min(skip)]
    while toks and (toks[0].is_punct or toks[0].lower_ == "that"):
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    if len(toks) < 3:
        return
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    if _quoted_share(start, end, idx.quoted) > 0.6:
        return
    yield Attribution(start, end, "indirect", mention_of(subj, idx), tok.i, "according_to",
                      CONFIDENCE["according_to"])

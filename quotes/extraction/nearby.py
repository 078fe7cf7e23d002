"""Speakers named beside a quote rather than by a verb that governs it: after it, before it, as its lead-in.

Each rule takes a quote's index and the document index and gives its ``(cue, speaker)`` tokens (or the speaker
alone) or None:
``cue_after`` (`“…,” she said`, `“…” said X`, asides and misparsed cues after the quote), ``cue_before``
(`X said: “…”`), lead-ins and colons, viewpoints (`In X's view, “…”`) and passive agents (`called a “…”
by X`). ``attribution`` tries them in order when the parse gives no governing cue.
"""
from __future__ import annotations

from typing import Iterator, Sequence

from spacy.tokens import Token

from .cues import (NOT_SPEAKER_ENTS, PERSON_PRONOUNS_SUBJ, RELATIVE_PRONOUNS, SUBJECT_DEPS, DocIndex, can_speak,
                   cue_and_speaker, is_cue, lemma_of)
from .layouts import (NOMINAL_POS, NOMINAL_TAGS, NOUN_PHRASE_MAX, SENTENCE_END, closes_with_comma, quote_kind,
                      scan_for_cue)
from .lexicon import COGNITION_VERBS, SPEECH_VERBS, VERB_LEMMAS, pairs


IRREGULAR_FORMS = frozenset(pairs("irregular_forms"))
# How far (tokens) past a closing mark an attribution like ", he said" may start.
AFTER_WINDOW = 12
# The same for a fragment that runs on into its sentence without a comma (`“…” he said`, `“…” said X`).
AFTER_WINDOW_FRAGMENT = 3
# Prepositions of a phrase inside a bare subject (`a spokesman in the video`) and how many tokens it may add.
NOUN_PP_PREPOSITIONS = frozenset({"in", "of", "at", "for", "from", "on", "with"})
NOUN_PP_MAX = 4
# How many tokens the aside between a name and its cue (`Jane Roe, 58, a former aide, said`) may have.
LONG_NAME_ASIDE_MAX = 16


def quote_roots(q: int, idx: DocIndex) -> Iterator[Token]:
    """The words of quote ``q`` that the parser hung on a word outside it, in order; not its marks, which hang
    wherever the parser dropped them."""
    doc = idx.doc
    lo, hi = idx.spans[q]
    return (doc[i] for i in range(lo, hi) if idx.quote_of[doc[i].head.i] != q and not doc[i].is_punct)


def cue_after(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
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
        closes_with_comma(idx.text, quote) or tail[:1] == ",") else AFTER_WINDOW
    for i in range(hi, min(len(doc), hi + AFTER_WINDOW)):
        t = doc[i]
        if t.idx >= quote.paragraph_end or idx.inside(t):
            break
        if i < hi + near or t.lower_ == "according":
            window.append(t)
        if t.text in SENTENCE_END:
            break
    if near == AFTER_WINDOW_FRAGMENT and window and window[0].pos_ == "SCONJ" and window[0].lower_ not in SOURCE_MARKS:
        # `interrupts me with his “…” when I ask`: a clause of time or reason after a fragment is another event
        window = [t for t in window if t.lower_ == "according"]
    found = scan_for_cue(window, idx, nearby=True)
    if found is None and window and window[0].i == hi:
        found = _modal_read_name(window[0], idx)
    if found is None:
        found = _in_the_view_of(window, idx)
    if found is None and closes_with_comma(idx.text, quote):
        found = _noun_phrase_then_cue(hi, idx) or _name_aside_then_cue(hi, quote.paragraph_end, idx)
    return found


# `“…,” in Jane Roe’s view`: nouns of an opinion whose holder, after "in", speaks the quote.
VIEW_NOUNS = frozenset({"view", "words", "opinion", "estimation", "telling", "judgment", "assessment"})


def _in_the_view_of(window: Sequence[Token], idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” in Jane Roe’s view.`: an opinion noun after "in", closing the sentence after the quote, whose
    possessor holds the quote."""
    for t in window:
        if t.lower_ in VIEW_NOUNS and t.head.lower_ == "in" and t.head.i in (window[0].i, t.i - 3, t.i - 2):
            after = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
            opens = t.head.i == window[0].i or t.doc[t.head.i - 1].text == ","
            holder = next((c for c in t.children if c.dep_ == "poss" and not idx.inside(c)), None)
            if (opens and holder is not None and (after is None or after.text in SENTENCE_END)
                    and (can_speak(holder) or holder.pos_ == "NOUN")):
                return t, holder
    return None


def in_the_words_before(q: int, idx: DocIndex) -> Token | None:
    """`because, in the paper’s words, “…”`, `in the words of Jane Roe, “…”`: an opinion noun after "in",
    right before the quote, whose holder speaks it."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    if lo < 3 or doc[lo - 1].text not in (",", ":"):
        return None
    last = doc[lo - 2]
    if last.lower_ in VIEW_NOUNS:
        noun, holder = last, next((c for c in last.children if c.dep_ == "poss"), None)
        if holder is None and last.i >= 2 and doc[last.i - 1].text in ("’", "'") and doc[last.i - 2].lower_.endswith("s"):
            holder = doc[last.i - 2]  # `Jones’ words`: the parser often reads the bare apostrophe as a quote mark
    elif last.dep_ == "pobj" and last.head.lower_ == "of" and last.head.head.lower_ in VIEW_NOUNS:
        noun, holder = last.head.head, last
    else:
        return None
    if holder is None or noun.head.lower_ != "in" or idx.inside(holder):
        return None
    return holder if can_speak(holder) or holder.pos_ in ("NOUN", "PROPN", "PRON") else None


# `In Jane Roe's mind, …`: nouns of a point of view, besides VIEW_NOUNS, that open a sentence.
MIND_NOUNS = VIEW_NOUNS | frozenset({"mind", "eyes"})


def viewpoint_opener(q: int, idx: DocIndex) -> Token | None:
    """`To Jane Roe, the mayor is a “…”`, `In Roe's mind, …`: a sentence opened by whose point of view it
    gives holds the fragment it goes on to."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    sent = idx.sent(doc[lo])
    first = sent[0]
    if first.lower_ not in ("to", "in") or idx.inside(first):
        return None
    comma = next((t for t in sent if t.text == "," and t.i < lo), None)
    if comma is None or comma.i - first.i > 6:
        return None
    obj = next((c for c in first.children if c.dep_ == "pobj" and c.i < comma.i), None)
    if obj is None:
        return None
    if first.lower_ == "in":
        holder = next((c for c in obj.children if c.dep_ == "poss"), None) if obj.lower_ in MIND_NOUNS else None
    else:
        # only a name or a person pronoun: `To date,`, `To the south,` set a time or a place
        holder = obj if obj.pos_ == "PROPN" or obj.pos_ == "PRON" and obj.lower_ in ("him", "her", "them") else None
    return holder if holder is not None and (can_speak(holder) or holder.pos_ == "NOUN") else None


def _modal_read_name(tok: Token, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…” Will wrote.`: a capitalised modal before a past-tense speech verb is a name (a modal never
    takes a past form)."""
    verb = tok.head
    if (tok.tag_ == "MD" and tok.text[:1].isupper() and tok.dep_ == "aux" and verb.i == tok.i + 1
            and verb.tag_ in ("VBD", "VBN") and is_cue(verb) and not idx.inside(verb)
            and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)):
        return verb, tok
    return None


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
    while (j < len(doc) and j <= i + LONG_NAME_ASIDE_MAX and doc[j].text not in SENTENCE_END
           and doc[j].idx < paragraph_end):
        if doc[j].text == "," and j + 1 < len(doc):
            verb = doc[j + 1]
            if verb.pos_ == "ADV" and j + 2 < len(doc):
                verb = doc[j + 2]
            if is_cue(verb) and not idx.inside(verb) and verb.tag_ in ("VBD", "VBZ"):
                return verb, names[-1]
        j += 1
    return None


# How many tokens a long aside after a name (`Jane Roe, the mayor since 2010 and …, said`) may have.
LONG_ASIDE_MAX = 40


def long_aside_then_cue(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” Jane Roe, the engineer who built it wrote` / `“…,” Jane Roe, the mayor and …, said`: a name,
    then an aside too long or too loosely punctuated for the parser, then the cue: after a comma, or after
    the verb of a relative clause that the aside holds."""
    doc = idx.doc
    quote = idx.quoted[q]
    if not closes_with_comma(idx.text, quote):
        return None
    _, hi = idx.spans[q]
    i = hi
    while i < len(doc) and i < hi + NOUN_PHRASE_MAX and doc[i].pos_ == "PROPN" and not idx.inside(doc[i]):
        i += 1
    if i == hi:
        # "“…,” an aide, who was not allowed to speak, told …": a common noun that "who" marks as someone
        while i < len(doc) and i < hi + NOUN_PHRASE_MAX and doc[i].pos_ in NOMINAL_POS and not idx.inside(doc[i]):
            i += 1
        if i == hi or doc[i - 1].pos_ != "NOUN" or i + 1 >= len(doc) or doc[i + 1].lower_ != "who":
            return None
    if i >= len(doc) or doc[i].text != ",":
        return None
    name = doc[i - 1]
    relative_verbs = -1  # verbs seen since a relative pronoun; -1 before any
    for j in range(i + 1, min(len(doc), i + 1 + LONG_ASIDE_MAX)):
        t = doc[j]
        if t.text in SENTENCE_END or idx.inside(t) or t.idx >= quote.paragraph_end:
            return None
        if t.lower_ in RELATIVE_PRONOUNS and t.tag_ in ("WP", "WDT"):
            relative_verbs = 0
            continue
        # the tagger may read a past form after a relative clause as a participle; not one after an auxiliary
        past = t.tag_ in ("VBD", "VBZ") or t.tag_ == "VBN" and doc[j - 1].pos_ != "AUX"
        if t.pos_ not in ("VERB", "AUX") or not past:
            continue
        if is_cue(t) and (doc[j - 1].text == "," or relative_verbs > 0):
            return t, name
        if relative_verbs >= 0:
            relative_verbs += 1
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
    named = _modal_read_name(doc[hi], idx)
    if named is not None:
        return named
    root = idx.sent(doc[hi]).root
    if root.i < hi or idx.inside(root) or not is_cue(root) or root.idx >= quote.paragraph_end:
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "parataxis", "dative") for c in root.children):
        return None
    if any(idx.inside(t) for t in doc[hi:root.i + 1]):
        return None
    return cue_and_speaker(root, idx)


def _noun_phrase_then_cue(start: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” the editorial read.` / `“…?” the 58-year-old asked`: right after a comma-closed quote, a bare
    noun phrase and a speech verb form, which the tagger may have taken for a noun or an adjective's modifier."""
    doc = idx.doc
    i = start
    nominal: list[Token] = []
    head_end = None  # where a prepositional phrase (`a spokesman in the video`) starts: the head comes before
    while i < len(doc) and i < start + NOUN_PHRASE_MAX + (NOUN_PP_MAX if head_end else 0) and not idx.inside(doc[i]):
        t = doc[i]
        if t.pos_ in NOMINAL_POS or t.tag_ in NOMINAL_TAGS:
            nominal.append(t)
            i += 1
            continue
        if (t.pos_ == "ADP" and head_end is None and t.lower_ in NOUN_PP_PREPOSITIONS and nominal
                and nominal[-1].pos_ in ("NOUN", "PROPN")):
            head_end = len(nominal)
            i += 1
            continue
        break
    if not nominal:
        return None
    verb = doc[i] if i < len(doc) and doc[i].pos_ in ("VERB", "AUX") else nominal.pop()
    if not _speech_verb_ending_clause(verb, base_form=False):
        return None
    if head_end is not None and len(nominal) == head_end:
        return None  # `“…,” the ad in states …`: no object after the preposition
    heads = [t for t in nominal[:head_end] if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")]
    if not heads:
        return None
    speaker = heads[-1]
    if not idx.same_paragraph(speaker, verb):
        return None
    if speaker.ent_type_ in NOT_SPEAKER_ENTS and nominal[0].pos_ != "DET":
        return None  # "“…,” Monday said" is a misparse; "the 58-year-old" is someone
    return verb, speaker


# How many tokens a subject with a prepositional phrase (`a narrator in the film`) after a quote may have.
NOUN_PHRASE_PP_MAX = 10


def misread_cue_after(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`“…,” the unions state in a letter.` / `“…,” a narrator in the film states.`: after a comma-closed quote,
    a subject (perhaps with one prepositional phrase) and a speech verb that the tagger read as a plural noun
    or a base form; the subject is the phrase's head before its preposition."""
    doc = idx.doc
    quote = idx.quoted[q]
    if not closes_with_comma(idx.text, quote):
        return None
    _, hi = idx.spans[q]
    i, prep = hi, None
    while i < len(doc) and i < hi + NOUN_PHRASE_PP_MAX and not idx.inside(doc[i]):
        t = doc[i]
        if t.pos_ in NOMINAL_POS or t.tag_ in NOMINAL_TAGS:
            i += 1
        elif t.pos_ == "ADP" and prep is None and i > hi and doc[i - 1].pos_ in ("NOUN", "PROPN"):
            prep = i
            i += 1
        else:
            break
    if i == hi or i >= len(doc):
        return None
    candidates = [doc[prep - 1]] if prep is not None else []
    candidates.append(doc[i] if doc[i].pos_ in ("VERB", "AUX") else doc[i - 1])
    for verb in candidates:
        end = prep if prep is not None and prep < verb.i else verb.i
        heads = [t for t in doc[hi:end] if t.pos_ in ("NOUN", "PROPN")]
        if heads and _reads_as_speech_verb(verb, heads[-1], idx):
            return verb, heads[-1]
    return None


def _reads_as_speech_verb(verb: Token, speaker: Token, idx: DocIndex) -> bool:
    """Whether a word after a bare subject is a speech verb ending its clause, whatever its tag."""
    # a base form speaks only for a plural subject: `the unions state`
    plural = speaker.tag_ in ("NNS", "NNPS")
    return (idx.same_paragraph(speaker, verb) and _speech_verb_ending_clause(verb, base_form=plural)
            and speaker.ent_type_ not in NOT_SPEAKER_ENTS)


def _speech_verb_ending_clause(verb: Token, base_form: bool) -> bool:
    """Whether ``verb`` is a speech verb form that ends its clause (a base form only if ``base_form``)."""
    # an irregular past such as `read` looks like its base form; after the verb only punctuation, a
    # preposition or an adverb may follow
    form = verb.lower_
    lemma = VERB_LEMMAS.get(form)
    if lemma is None or lemma not in SPEECH_VERBS:
        return False
    if form == lemma and form not in IRREGULAR_FORMS and not base_form:
        return False
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return after is None or after.is_punct or after.pos_ in ("ADP", "ADV", "SCONJ")


def cue_before(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
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
    kind = quote_kind(idx.text, quote)
    lead = _lead_in_verb(window, idx) if kind == "direct" else None
    if lead:
        return lead
    fragment = kind == "partial"
    for tok in window:  # nearest first
        found = scan_for_cue([tok], idx, nearby=True)
        if found is not None and not _side_clause(found[0], lo, idx) and not (fragment and denied(found[0])):
            return found
    return None


def denied(verb: Token) -> bool:
    """`for not calling it “…”`, `you can’t yell “…”`: a negated cue, whose words its subject did not say."""
    return any(c.dep_ == "neg" for c in verb.children)


# `As X said, …`, `Like X wrote, …`: an adverbial clause that names the source of what follows.
SOURCE_MARKS = frozenset({"as", "like"})


def _side_clause(verb: Token, lo: int, idx: DocIndex) -> bool:
    """`When X announced …, he called it “…”`: a cue in an adverbial clause that does not hold the quote
    only sets the scene for the clause that does."""
    quote_tok = idx.doc[lo]
    for tok in [verb, *verb.ancestors]:
        if quote_tok in tok.subtree:
            return False
        if (tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SOURCE_MARKS for c in tok.children)
                and any(c.dep_ in SUBJECT_DEPS for c in tok.children)):
            # "he assured them that he is fit - as X has said - and he can “…”": the aside sources its own clause
            return quote_tok not in tok.head.subtree
        if (tok.dep_ == "advcl" and any(c.dep_ in SUBJECT_DEPS for c in tok.children)
                and any((c.dep_ == "mark" or c.tag_ == "WRB") and c.lower_ not in SOURCE_MARKS for c in tok.children)):
            # the scene is set for a clause with a subject of its own, above the quote
            main = tok.head
            return quote_tok in main.subtree and any(c.dep_ in SUBJECT_DEPS for c in main.children)
        if (tok.dep_ == "relcl" and tok.left_edge.i > 0 and idx.doc[tok.left_edge.i - 1].text != ","
                and not any(c.tag_ == "WRB" for c in tok.children)
                and any(c.dep_ in SUBJECT_DEPS and c.lower_ not in RELATIVE_PRONOUNS for c in tok.children)):
            # "In a video that X called “…”, Y voiced a wish to “…”": someone else's restrictive relative clause
            # only picks out a noun; the clause above it, with a subject of its own, holds the quote (an aside
            # after a comma, ", where X said", may carry the report on)
            main = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
            return (main is not None and quote_tok in main.subtree
                    and any(c.dep_ in SUBJECT_DEPS and c.i != tok.head.i for c in main.children))
    return False


# How a fragment hangs from the participle that names it: `seen as a “…”`, `labeled a “…”`, `known as “…”`.
NAMED_AS_DEPS = frozenset({"prep", "pobj", "oprd", "dobj", "attr", "xcomp", "advcl", "acomp", "agent"})


def passive_agent(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`a plan seen by critics as a “…”` / `often labeled a “…” by its rivals`: a fragment that a passive
    participle names belongs to the one its by-phrase names."""
    doc = idx.doc
    lo, hi = idx.spans[q]
    if hi <= lo or quote_kind(idx.text, idx.quoted[q]) != "partial":
        return None
    root = next(quote_roots(q, idx), None)
    if root is None:
        return None
    # the parser may hang `by X` on the quoted name rather than on the participle
    by_phrase = [o for t in doc[lo:hi] if not t.is_punct for o in _by_objects(t) if not idx.inside(o)]
    tok = root.head
    for _ in range(5):
        by_phrase += _by_objects(tok)
        if tok.tag_ == "VBN" and not idx.inside(tok):
            agent = by_phrase[-1] if by_phrase else None
            if agent is None or idx.inside(agent) or agent.ent_type_ in NOT_SPEAKER_ENTS or agent.pos_ not in (
                    "PROPN", "NOUN", "PRON") or doc[lo] in agent.subtree:
                return None  # `startled by X’s “…” remarks`: the fragment is the agent, not what it names
            return tok, agent
        if tok.head.i == tok.i or tok.dep_ not in NAMED_AS_DEPS:
            return None
        if tok.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            return None  # `dropped by X after he referred to them as “…”`: the fragment is its own clause's
        tok = tok.head
    return None


def _by_objects(tok: Token) -> list[Token]:
    """The objects of the by-phrases hanging from ``tok``."""
    return [o for c in tok.children if c.dep_ in ("agent", "prep") and c.lower_ == "by"
            for o in c.children if o.dep_ == "pobj"]


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
            found = cue_and_speaker(t, idx)
            if found is None or found[1].pos_ not in ("PROPN", "PRON") or found[1].i > t.i:
                return None
            if found[1].pos_ == "PRON" and found[1].lower_ not in PERSON_PRONOUNS_SUBJ:
                return None
            return found
        if t.pos_ not in ("ADV", "ADP", "PART"):
            return None
    return None


def lead_in_cue(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`as the heckler yelled: “…”`, `to which Roe replied, “…”`: a finite speech verb right before the opening
    mark (a comma or colon and adverbs between at most) whose own subject stands in its clause."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    i = lo - 1
    colon = i >= 0 and doc[i].text == ":"
    if i >= 0 and doc[i].text in (",", ":"):
        i -= 1
    while i >= 0 and lo - i <= 4 and doc[i].pos_ == "ADV":
        i -= 1
    if i < 0 or idx.inside(doc[i]) or doc[i].idx < idx.quoted[q].paragraph_start:
        return None
    verb = doc[i]
    # any verb before a colon introduces what follows (`Roe interjected: “…”`); before a comma, a speech verb
    if not (is_cue(verb) or colon and verb.pos_ == "VERB") or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    if lemma_of(verb) in COGNITION_VERBS:
        return None  # `voters who think “…”`: a thought reported by whoever reports the thinkers
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i and not idx.inside(c)), None)
    if (subj is None and verb.dep_ == "acl" and verb.head.i == verb.i - 1 and verb.tag_ == "VBD" and is_cue(verb)
            and verb.head.pos_ in ("NOUN", "PROPN") and not idx.inside(verb.head)
            and not any(c.dep_ in ("dobj", "agent") for c in verb.children)):
        return verb, verb.head  # `a man yelled “…”` read as a reduced relative: the noun yells
    if subj is None:
        return None
    found = cue_and_speaker(verb, idx)
    return found if found is not None and found[1].i == subj.i else None


def clause_before_colon(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """`Jane Roe laid out what went wrong to a local paper: “…”`: a clause with no speech verb that ends in a colon
    right before a quoted sentence introduces it; its subject, when someone, says it."""
    doc = idx.doc
    lo, _ = idx.spans[q]
    i = lo - 1
    while i > 0 and doc[i].is_space:
        i -= 1
    if i < 2 or doc[i].text != ":":
        return None
    colon = doc[i]
    # the parser hangs the colon on the clause's verb or on a clause under it (`what was wrong`)
    verb = next((h for h in [colon.head, *colon.head.ancestors] if h.pos_ == "VERB"), None)
    if (verb is None or verb.i >= colon.i or verb.tag_ not in ("VBD", "VBZ", "VBP") or idx.inside(verb)
            or not idx.same_sentence(verb, colon) or verb.text.isupper()):
        return None  # a headline in capitals before `- Jane Roe: “…”` is no clause of the quote's speaker
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i and not idx.inside(c)), None)
    return (verb, subj) if subj is not None and can_speak(subj) else None

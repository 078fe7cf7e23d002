"""Layout rules: speakers named without a cue verb, or by the page layout (labels, bylines, lead-ins)."""
from __future__ import annotations

import bisect
import re
from itertools import islice, takewhile
from typing import Sequence

from spacy.tokens import Doc, Token

from .attributions import Mention
from .cues import (NOT_SPEAKER_ENTS, PERSON_PRONOUNS_SUBJ, QUANTIFIER_SUBJECTS, SUBJECT_DEPS, DocIndex, can_speak,
                   cue_and_speaker, is_cue, lemma_of, mention_of, near_subject, subject_of)
from .lexicon import NOUN_CUES, speech_verb_form
from .marks import Quoted

SENTENCE_END = frozenset(".!?")
# How far (tokens) past a comma-closed quote the verb of an unknown attribution ("she went on") may be.
AFTER_WINDOW_ANY = 4
# How many tokens a bare subject like "the 58-year-old" between a quote and its cue may have.
NOUN_PHRASE_MAX = 7
# Share of capitalised words above which a paragraph is a headline in Title Case.
HEADLINE_CAPITALS = 0.6
WORD = re.compile(r"[^\W\d_][\w'’-]*")
NOMINAL_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})
# Tags of the other words inside a noun phrase: `the 58-year-old`, `the mayor's aide`, `her deputy`.
NOMINAL_TAGS = frozenset({"HYPH", "POS", "PRP$"})
# Prepositions that name the holder of a statement: `the words of Jane Roe`, `a claim by the union`, `a note from X`.
HOLDER_PREPOSITIONS = frozenset({"from", "by", "of"})


# Verbs that name something (`what some call the “…”`) and the vague subjects of a label in common use.
NAMING_VERBS = frozenset({"call", "dub", "term", "label"})
VAGUE_NAMERS = QUANTIFIER_SUBJECTS | frozenset({"we", "you", "they", "people"})


def _vague_namer(verb: Token, subj: Token) -> bool:
    """`what some call the “…”`, `what we call “…”`: a free relative naming something by a label that vague
    people use; the label is not their statement."""
    return (lemma_of(verb) in NAMING_VERBS and subj.lower_ in VAGUE_NAMERS
            and any(c.lower_ == "what" and c.dep_ in ("dobj", "nsubj", "oprd") for c in verb.children))


def scan_for_cue(tokens: Sequence[Token], idx: DocIndex, nearby: bool = False) -> tuple[Token, Token] | None:
    """The first cue among ``tokens`` (outside quotes) with a speaker, and that speaker; None when that cue only
    names something by a label in common use (`“…,” which is what some call …`): nobody states the label."""
    for tok in tokens:
        if not idx.inside(tok) and is_cue(tok):
            found = cue_and_speaker(tok, idx, nearby=nearby)
            if found:
                return None if _vague_namer(*found) else found
        if tok.lower_ == "according":
            found = cue_and_speaker(tok, idx)
            if found:
                return found
    return None


def colon_lead_in(q: int, idx: DocIndex) -> tuple[Token, Token] | None:
    """A paragraph that is a quote, after one ending in a colon: `X said:` then the quote."""
    quote = idx.quoted[q]
    if quote.open_mark != quote.paragraph_start:
        return None
    window = _words_before_colon(quote.paragraph_start, 0, idx)
    if window is None:
        return None
    found = scan_for_cue(window, idx)
    if found is None and window and window[-1].idx in idx.paragraph_starts:
        # a line of its own, `Said Jane Roe:`: the verb that opens it is the cue, whatever its tag
        name = _inverted_label(window)
        found = (window[-1], name) if name is not None else None
    return found


# How many words an inverted label line (`Said Jane Roe:`) may have.
INVERTED_LABEL_MAX = 5


def _inverted_label(words: Sequence[Token]) -> Token | None:
    """`Said Jane Roe:`, `Continued Roe:`: a speech verb in the past opening a short label, then a name;
    ``words`` run from the colon backwards. The tagger often takes the verb for part of the name."""
    if not 2 <= len(words) <= INVERTED_LABEL_MAX:
        return None
    verb = words[-1]
    if speech_verb_form(verb.text) is None or not verb.text[:1].isupper():
        return None
    name = words[:-1]
    if not all(t.text[:1].isupper() or t.is_punct for t in name) or not any(t.pos_ == "PROPN" for t in name):
        return None
    return next(t for t in name if t.pos_ == "PROPN")


def _words_before_colon(end: int, floor: int, idx: DocIndex, mark: str = ":") -> list[Token] | None:
    """The words of the sentence or line before a colon (or ``mark``) that whitespace alone separates from
    ``end``, nearest first; None when there is no such colon at or after ``floor``."""
    doc, text = idx.doc, idx.text
    j = end - 1
    while j >= floor and text[j].isspace():
        j -= 1
    if j < floor or text[j] != mark:
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


def dash_byline(q: int, idx: DocIndex) -> Token | None:
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


# Closing marks that end a pull quote after its byline line (`…\nJane Roe, Some Institute."`).
_BLOCK_CLOSE = re.compile(r"\.?[\"”]\s*$")


def name_line_after(q: int, idx: DocIndex) -> Token | None:
    """A pull quote whose last line, before the closing mark, names its speaker: `“…\nJane Roe, an adviser.”`."""
    quote = idx.quoted[q]
    text = idx.text
    if quote.closed or text[quote.paragraph_end:quote.paragraph_end + 1] != "\n":
        return None
    start = quote.paragraph_end + 1
    end = text.find("\n", start)
    line = text[start:end if end >= 0 else len(text)]
    m = _BLOCK_CLOSE.search(line)
    if m is None or any(c in line[:m.start()] for c in "\"“”") or len(line.split()) > BYLINE_LINE_MAX_WORDS:
        return None
    name = line[:m.start()].split(",", 1)[0].strip()
    words = name.split()
    if not 1 <= len(words) <= 6 or not all(w[:1].isupper() for w in words):
        return None
    span = idx.doc.char_span(start + line.index(name), start + line.index(name) + len(name), alignment_mode="expand")
    if span is None or not any(t.pos_ == "PROPN" or t.ent_type_ in SPEAKER_ENTS for t in span):
        return None
    heads = [t for t in span if t.pos_ in ("PROPN", "NOUN")]
    return heads[-1] if heads else None


def verbless_name_after(q: int, idx: DocIndex) -> Token | None:
    """`“…,” Jane Roe on the radio.` / `“…,” Jane Roe from the podium.`: a comma-closed quote, then a sentence that
    is only a name and perhaps where it spoke from, with no verb: a caption-like byline."""
    doc = idx.doc
    quote = idx.quoted[q]
    if quote_kind(idx.text, quote) != "direct" or not closes_with_comma(idx.text, quote):
        return None
    _, hi = idx.spans[q]
    i = hi
    # the tagger, seeing no verb, may take a lone surname for one
    while i < len(doc) and not idx.inside(doc[i]) and i < hi + NOUN_PHRASE_MAX and (
            doc[i].pos_ == "PROPN" or doc[i].text[:1].isupper() and _named_in_article(doc[i], idx, any_tag=True)):
        i += 1
    if i == hi or not any(t.ent_type_ in ("PERSON", "ORG") or _named_in_article(t, idx, any_tag=True)
                          for t in doc[hi:i]):
        return None
    name = doc[i - 1]
    for j in range(i, min(len(doc), i + NOUN_PHRASE_MAX)):
        t = doc[j]
        if idx.inside(t) or t.idx >= quote.paragraph_end or t.pos_ in ("VERB", "AUX"):
            return None
        if t.text in SENTENCE_END:
            return name if j == i or doc[i].pos_ == "ADP" else None
    return None


def after_any_verb(q: int, idx: DocIndex) -> Token | None:
    """`“…,” she went on`: a comma-closed quote followed by a short clause whose verb is not a known cue."""
    doc = idx.doc
    quote = idx.quoted[q]
    if quote_kind(idx.text, quote) != "direct" or not closes_with_comma(idx.text, quote):
        return None
    _, hi = idx.spans[q]
    # a capital after the mark starts a new sentence unless it is a name, or a word the tagger misread in a
    # clause that ends right after its verb (`“…?” Roe pressed.`)
    capital = hi < len(doc) and doc[hi].text[:1].isupper() and doc[hi].pos_ != "PROPN"
    for i in range(hi, min(len(doc), hi + AFTER_WINDOW_ANY)):
        t = doc[i]
        if t.idx >= quote.paragraph_end or idx.inside(t) or t.text in SENTENCE_END or t.is_punct:
            return None
        if t.pos_ == "VERB" and t.dep_ not in SUBJECT_DEPS:
            if capital and not _ends_clause(t, idx):
                return None
            subj = subject_of(t, idx) or near_subject(t, idx)
            if subj is None or idx.inside(subj) or subj.pos_ not in ("PROPN", "PRON", "NOUN") and not (
                    subj.dep_ in SUBJECT_DEPS and subj.text[:1].isupper() and subj.i == hi):
                return None
            if subj.pos_ == "PRON" and subj.lower_ not in PERSON_PRONOUNS_SUBJ:
                return None
            return subj
    return None


def long_subject_any_verb(q: int, idx: DocIndex) -> Token | None:
    """`“…,” the newly elected deputy mayor grinned.`: a comma-closed quote, then a description too long for
    `after_any_verb` and a verb in the past whose subject it is."""
    doc = idx.doc
    quote = idx.quoted[q]
    if quote_kind(idx.text, quote) != "direct" or not closes_with_comma(idx.text, quote):
        return None
    _, hi = idx.spans[q]
    if hi >= len(doc) or doc[hi].pos_ != "DET" and doc[hi].tag_ != "PRP$":
        return None
    i = hi
    while i < len(doc) and i < hi + NOUN_PHRASE_MAX + 2 and not idx.inside(doc[i]) and (
            doc[i].pos_ in NOMINAL_POS or doc[i].tag_ in NOMINAL_TAGS):
        i += 1
    if i >= len(doc) or i - hi < 2 or doc[i].tag_ != "VBD" or doc[i].idx >= quote.paragraph_end:
        return None
    verb = doc[i]
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and hi <= c.i < i), None)
    if subj is None or subj.pos_ != "NOUN" and not can_speak(subj) or subj.ent_type_ in NOT_SPEAKER_ENTS:
        return None
    return subj


def _ends_clause(verb: Token, idx: DocIndex) -> bool:
    """Whether only particles and adverbs (`shot back`, `pressed on`) stand between ``verb`` and a full stop."""
    doc = idx.doc
    i = verb.i + 1
    while i < len(doc) and i <= verb.i + 2 and doc[i].pos_ in ("ADV", "PART", "ADP") and not idx.inside(doc[i]):
        i += 1
    return i < len(doc) and doc[i].text in SENTENCE_END


def transcript_label(q: int, idx: DocIndex) -> Mention | None:
    """A transcript line inside the marks, `"NAME: …"`: the label is the speaker."""
    doc = idx.doc
    quote = idx.quoted[q]
    if quote.open_mark != quote.paragraph_start:
        return None  # `…, she tweeted. “Ohio: vote today.”`: a transcript line opens its paragraph
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


def label_before(q: int, idx: DocIndex) -> Token | None:
    """`Jane Roe: “…”` in a headline, a list or a debate summary: a short name label right before the quote."""
    quote = idx.quoted[q]
    words = _words_before_colon(quote.open_mark, quote.paragraph_start, idx)
    if words is None:
        # `Said Roe, “…”`: an inverted cue opening the sentence, whose verb the tagger took for part of the name
        words = _words_before_colon(quote.open_mark, quote.paragraph_start, idx, ",") or []
        opening = bool(words) and (words[-1].i == 0 or idx.doc[words[-1].i - 1].text in SENTENCE_END
                                   or "\n" in idx.doc[words[-1].i - 1].text)
        return _inverted_label(words) if opening else None
    label = list(takewhile(lambda t: not idx.inside(t), words))
    # `HEADLINE IN CAPITALS - Jane Roe:`: a dash ends the label
    cut = next((k for k, t in enumerate(label) if _opens_with_spaced_dash(t)), None)
    if cut is not None:
        glued = len(label[cut].text) > 1 and label[cut].text.lstrip(DASHES)[:1].isupper()
        label = label[:cut + 1] if glued else label[:cut]  # "-More from Roe:" has the dash glued on
    if not label or not label[-1].text.lstrip(DASHES)[:1].isupper():
        return None
    inverted = _inverted_label(label)
    if inverted is not None:
        return inverted
    if len(label) > 8:
        return None
    if any(is_cue(t) for t in label) or not any(t.pos_ == "PROPN" for t in label):
        return None
    heads = [t for t in label if t.head not in label or t.head.i == t.i]
    if len(heads) == 1 and heads[0].pos_ == "PROPN":
        return heads[0]
    # `Rep. Jane Roe (D-Ohio):` or a parse that split the label: the name nearest the colon, outside brackets
    depth = 0
    for t in label:  # nearest the colon first
        depth += (t.text == ")") - (t.text == "(")
        if depth == 0 and t.pos_ == "PROPN" and t.text not in "()" and t.ent_type_ not in NOT_SPEAKER_ENTS:
            # `From Jane Roe's Facebook post:`: the post's owner speaks, not the name of the medium
            owner = next((c for c in t.head.children if c.dep_ == "poss" and c.pos_ == "PROPN" and c in label),
                         None) if t.dep_ == "compound" else None
            return owner or t
    return None


# How many words the name after a dash in `Summary of the point - Jane Roe: “…”` may have.
DASH_LABEL_MAX_WORDS = 4


def dash_label(q: int, idx: DocIndex) -> Token | None:
    """`Pollsters agree - Jane Roe: “…”`: a short name between a spaced dash and the colon right before a quote
    labels it, whatever verb the summary before the dash has."""
    quote = idx.quoted[q]
    words = _words_before_colon(quote.open_mark, quote.paragraph_start, idx) or []
    cut = next((k for k, t in enumerate(words) if len(t.text) == 1 and t.text in DASHES and t.i > 0
                and idx.doc[t.i - 1].whitespace_), None)
    if cut is None or not 0 < cut <= DASH_LABEL_MAX_WORDS:
        return None
    name = words[:cut]
    if any(idx.inside(t) or not t.text[:1].isupper() or t.pos_ in ("VERB", "AUX") for t in name):
        return None
    return label_before(q, idx)


# How many words a source label (`More from the report:`) may have.
SOURCE_LABEL_MAX = 8


def source_label(q: int, idx: DocIndex) -> Token | None:
    """`From the report: “…”`, `- More from the report: “…”`: a label naming where an excerpt comes from."""
    quote = idx.quoted[q]
    words = _words_before_colon(quote.open_mark, quote.paragraph_start, idx) or []
    label = list(takewhile(lambda t: not idx.inside(t), words))[::-1]
    # `… representative - More from the report:`: a spaced dash starts the label
    cut = max((k for k, t in enumerate(label) if _opens_with_spaced_dash(t)), default=-1)
    label = label[cut + 1:] if cut >= 0 and label[cut].text.strip(DASHES) == "" else label[max(cut, 0):]
    if not 2 <= len(label) <= SOURCE_LABEL_MAX:
        return None
    first = next((k for k, t in enumerate(label[:2]) if t.lower_.lstrip(DASHES) == "from"), None)
    if first is None or not label[0].text.lstrip(DASHES)[:1].isupper():
        return None
    source = next((c for c in label[first].children if c.dep_ == "pobj" and c in label), None)
    if source is None:
        source = next((t for t in reversed(label[first + 1:]) if t.pos_ in ("NOUN", "PROPN")), None)
    return source


# `Jane Roe: Rival Is ‘Unfit’ to Lead`: a headline led by a short name label before a colon.
_HEADLINE_LABEL = re.compile(r"([^:\n]{2,60}):\s")
HEADLINE_LABEL_MAX_WORDS = 6
HEADLINE_MAX_WORDS = 30
SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def headline_label(q: int, idx: DocIndex) -> Token | None:
    """`Jane Roe: Rival Is ‘Unfit’ to Lead`: in a Title Case headline that a name label opens, every quote
    after the colon is the label's, whatever the clause after it says."""
    quote = idx.quoted[q]
    text = idx.text
    para = text[quote.paragraph_start:quote.paragraph_end]
    # at most one word past the limit: a long paragraph's words, found for each of its quotes, were a cost
    words = [m.group() for m in islice(WORD.finditer(para), HEADLINE_MAX_WORDS + 1)]
    if "\n" in para.strip() or not words or len(words) > HEADLINE_MAX_WORDS:
        return None
    if sum(w[0].isupper() for w in words) <= HEADLINE_CAPITALS * len(words):
        return None
    m = _HEADLINE_LABEL.match(para)
    if (not m or quote.paragraph_start + m.end() > quote.open_mark
            or len(m.group(1).split()) > HEADLINE_LABEL_MAX_WORDS):
        return None
    span = idx.doc.char_span(quote.paragraph_start, quote.paragraph_start + m.end(1), alignment_mode="expand")
    if span is None or any(idx.inside(t) for t in span):
        return None
    root = span.root
    if root.pos_ in ("VERB", "AUX"):
        root = next((c for c in root.children if c.dep_ in SUBJECT_DEPS and c.i in range(span.start, span.end)), root)
    if (root.pos_ == "NOUN" and root.text[:1].isupper() and not text[quote.paragraph_start + m.end():quote.open_mark]
            and _named_elsewhere(root, idx)):
        # `Roe: ‘…’`: a capitalised word the tagger took for a noun, a name in the story, labels the quote
        # that makes up the rest of the headline
        return root
    if root.pos_ != "PROPN" or not any(t.ent_type_ in SPEAKER_ENTS for t in root.subtree if t.i < span.end):
        # `Roe: ‘…’` opening an article: the tagger may take a lone surname for a noun
        return root if span.start == root.i and _named_in_article(root, idx) else None
    return root


def _named_elsewhere(tok: Token, idx: DocIndex) -> bool:
    """Whether the word ``tok`` ends a person's or body's name somewhere in the document."""
    return any(label in SPEAKER_ENTS and words[-1] == tok.text for label, words in idx.entities)


def _named_in_article(tok: Token, idx: DocIndex, any_tag: bool = False) -> bool:
    """Whether a capitalised word is a name: the recogniser tagged it as a person or body elsewhere."""
    if not any_tag and tok.pos_ not in ("NOUN", "PROPN") or not tok.text[:1].isupper() or (
            tok.ent_type_ in NOT_SPEAKER_ENTS):
        return False
    return tok.text in idx.name_words


def label_mention(label: Token, idx: DocIndex) -> Mention:
    """The headline label's name phrase, which stops at the label's colon."""
    m = mention_of(label, idx)
    end = next((i for i in range(label.i + 1, m.end) if idx.doc[i].text.startswith(":")), m.end)
    return Mention(m.start, end, m.head)


def lead_in_subject(q: int, idx: DocIndex) -> Token | None:
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
    mark_head = colon[0].head
    if (colon.text == ":" and mark_head.pos_ == "VERB" and sent_root.i < mark_head.i < colon.start
            and not idx.inside(mark_head)):
        root = mark_head  # `In the hours after …, a voice celebrated …:`: the clause the colon closes
    for obj in root.children:
        # "The palace issued the following statement from the king:"
        if obj.dep_ == "dobj" and (obj.lemma_ or obj.lower_).lower() in NOUN_CUES:
            holder = next((o for c in list(obj.children) + list(root.children)
                           if c.dep_ == "prep" and c.lower_ in ("from", "by")
                           for o in c.children if o.dep_ == "pobj"), None)
            if holder is not None:
                return holder
    subj = governing_subject(root, idx)
    if subj is not None and subj.pos_ == "NOUN" and not can_speak(subj) and subj.head.i == root.i:
        # `The timing of the vote doesn’t surprise pollster Jane Roe:`: a thing leads in; the person it
        # acts on speaks
        obj = next((c for c in root.children if c.dep_ == "dobj" and can_speak(c) and not idx.inside(c)), None)
        return obj or subj
    return subj


_DASH_BEFORE = re.compile(r"(?:--|[—–―])\s*$")


def dash_lead_in(q: int, idx: DocIndex) -> Token | None:
    """`X defended the budget -- “It is …”`, `When X finished — “…” —`: a sentence-long quote set off by a
    dash after a clause is said by that clause's subject, when it is someone."""
    doc = idx.doc
    quote = idx.quoted[q]
    lo, _ = idx.spans[q]
    if lo < 2 or not _DASH_BEFORE.search(idx.text, quote.paragraph_start, quote.open_mark):
        return None
    if not idx.text[quote.start:quote.start + 1].isupper():
        return None
    dash = doc[lo - 1]
    while dash.i > 0 and (dash.is_space or dash.text == "-"):
        dash = doc[dash.i - 1]  # `--` may be two tokens
    prev = doc[dash.i - 1] if dash.i > 0 and (len(dash.text) == 1 and dash.text in DASHES or dash.text == "--") else None
    if prev is None or idx.inside(prev) or prev.is_punct or not idx.same_paragraph(prev, doc[lo]):
        return None
    subj = governing_subject(prev, idx)
    if subj is None or not can_speak(subj) or subj.lower_ == "you":
        return None
    return subj


def question_lead_in(q: int, idx: DocIndex) -> Token | None:
    """`Why did she stay? “The bridge was …”`: the writer's question about someone, answered by a quote
    right after it in the same paragraph, is answered by its subject."""
    doc = idx.doc
    quote = idx.quoted[q]
    lo, _ = idx.spans[q]
    if lo < 2 or quote_kind(idx.text, quote) != "direct":
        return None
    mark = doc[lo - 1]
    if mark.text != "?" or idx.inside(mark) or mark.idx < quote.paragraph_start:
        return None
    sent = idx.sent(mark)
    if any(idx.inside(t) for t in sent):
        return None
    subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.pos_ == "PRON" and subj.lower_ not in PERSON_PRONOUNS_SUBJ - {"i", "we", "you"}:
        return None
    return subj if subj.pos_ == "PRON" or subj.ent_type_ == "PERSON" else None


# Nouns that point back at a quote just given: `Those words of Jane Roe ended …`.
QUOTATION_NOUNS = frozenset({"quote", "quotation", "remark", "remarks", "words", "comment", "comments", "line"})
# Determiners that point back with such a noun: `Those words …`, `The remark …`.
POINTING_DETERMINERS = frozenset({"that", "this", "the", "those", "these"})


def quotation_noun_after(q: int, idx: DocIndex) -> Token | None:
    """`“….” Those words of Jane Roe ended the debate.`: the sentence after a quote opens by pointing back at it
    with a noun whose by- or from-phrase (or possessor) names the speaker."""
    doc = idx.doc
    quote = idx.quoted[q]
    _, hi = idx.spans[q]
    if quote_kind(idx.text, quote) != "direct" or hi + 3 >= len(doc):
        return None
    det, noun = doc[hi], doc[hi + 1]
    if det.lower_ not in POINTING_DETERMINERS or idx.inside(det) or det.idx >= quote.paragraph_end:
        return None
    if noun.lower_ not in QUOTATION_NOUNS or noun.pos_ in ("VERB", "AUX"):  # the tagger may call it anything else
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in HOLDER_PREPOSITIONS:
            obj = next((o for o in c.children if o.dep_ == "pobj" and can_speak(o)), None)
            if obj is not None:
                return obj
    return None


def paragraph_before(q: int, idx: DocIndex) -> Token | None:
    """`X praised the plan.` then a paragraph that is only a quote: the one who speaks in the last sentence of
    the paragraph before (a cue's speaker, else a person or body as the main subject) says it."""
    quote = idx.quoted[q]
    if quote.open_mark != quote.paragraph_start or quote_kind(idx.text, quote) != "direct":
        return None
    if quote.closed and WORD.search(idx.text, quote.close_mark + 1, quote.paragraph_end):
        return None  # `“…,” read one.`: whoever the paragraph names after the quote, not the one before
    k = bisect.bisect_left(idx.paragraph_starts, quote.paragraph_start) - 1
    lo, _ = idx.spans[q]
    if k < 0 or lo == 0:
        return None
    last = idx.doc[lo - 1]
    while last.i > 0 and (last.is_space or idx.inside(last)):
        if idx.inside(last):
            return None  # the paragraph before ends in a quote that nobody was found for
        last = idx.doc[last.i - 1]
    if last.idx < idx.paragraph_starts[k] or last.text not in SENTENCE_END:
        return None  # a headline or a label, not a sentence that leads in
    sent = idx.sent(last)
    found = scan_for_cue([t for t in sent if not idx.inside(t)], idx)
    subj = found[1] if found else next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
    if subj is None or idx.inside(subj) or idx.paragraph(subj) != idx.paragraph_starts[k]:
        return None
    if subj.pos_ == "PRON":
        return subj if subj.lower_ in PERSON_PRONOUNS_SUBJ else None
    return subj if subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG", "NORP") else None


def governing_subject(tok: Token, idx: DocIndex) -> Token | None:
    """The subject of the nearest verb above ``tok`` that has one in its paragraph, when that subject may speak
    (a name, a noun, a person pronoun or "it", a `who` standing for someone)."""
    h = tok
    for _ in range(8):
        if h.pos_ in ("VERB", "AUX") and not idx.inside(h):
            subj = next((c for c in h.children if c.dep_ == "nsubj" and not idx.inside(c)
                         and not idx.in_dateline(c)), None)
            if subj is not None and idx.same_paragraph(subj, tok):
                if subj.pos_ in ("PROPN", "NOUN") or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or (
                        subj.pos_ == "PRON" and subj.lower_ in PERSON_PRONOUNS_SUBJ | {"it"}) or _person_relative(subj):
                    return subj
                return None
        if h.head.i == h.i:
            break
        h = h.head
    return None


def _person_relative(subj: Token) -> bool:
    """`Roe, who is hoping to bring “…”`: the relative pronoun of a clause on someone stands for that someone."""
    return (subj.lower_ == "who" and subj.head.dep_ == "relcl" and subj.head.head.pos_ in ("PROPN", "NOUN")
            and can_speak(subj.head.head))


#: The text before a quote that goes on a direct quote a cue interrupted: `“Our door is open,” she said, “but …”`.
_INTERRUPTED = re.compile(r"[,—–]\s*[”\"]\s*[^“”\".!?]{1,60},$")


def quote_kind(text: str, quote: Quoted) -> str:
    """'direct' for a quote that stands as a statement of its own, 'partial' for a fragment in a sentence."""
    before = text[quote.paragraph_start:quote.open_mark].rstrip()
    content = text[quote.start:quote.end]
    first = content.lstrip("‘'(—–-… ")[:1]
    if not before or before[-1] in ":,—–-(―":
        return "direct" if first.isupper() or not before or _INTERRUPTED.search(before) else "partial"
    if before[-1] in ".!?”\"":
        return "direct"
    return "partial"


def closes_with_comma(text: str, quote: Quoted) -> bool:
    """`“…,” X said`: the quote ends in a comma (or ? ! or a dash) right before its closing mark."""
    if not quote.closed:
        return False
    return text[quote.start:quote.end].rstrip()[-1:] in (",", "?", "!", "—", "–", "-")


def clip_at_comma(m: Mention, doc: Doc) -> Mention:
    """`Jane Roe, tweeting after the speech`: a byline's name ends at its first comma."""
    end = next((i for i in range(m.head + 1, m.end) if doc[i].text == ","), m.end)
    return Mention(m.start, end, m.head)


def before_topic(m: Mention, doc: Doc) -> Mention:
    """`Jane Roe on Taxes:`: a label's name ends before the topic it speaks on."""
    end = next((i for i in range(m.head + 1, m.end) if doc[i].lower_ == "on"), m.end)
    return Mention(m.start, end, m.head)


def after_dash(m: Mention, doc: Doc) -> Mention:
    """`HEADLINE - Jane Roe:`: a label's name starts after the last dash before it."""
    start = max((i + 1 for i in range(m.start, m.head) if _opens_with_spaced_dash(doc[i])), default=m.start)
    return Mention(start, m.end, m.head)

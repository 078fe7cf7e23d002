"""Find what documents and counts report (`the poll shows …`, `…, records show.`)."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

from .attributions import CONFIDENCE, Attribution, Mention
from .clauses import SEPARATOR, before_aside, quoted_share
from .cues import DocIndex, lemma_of, noun_lemma, opens_with_that, subject_of
from .lexicon import EVIDENCE_NOUNS, EVIDENCE_VERBS, verb_forms, words

# Evidence verbs that report a finding only as `puts X at <figure>` ("the poll puts her support at 40 percent").
PLACING_VERBS = frozenset({"put"})
# Evidence verbs that report only with a document or a count as subject, never with a person's `that` clause.
SOURCE_VERBS = words("source_verbs")
# Nouns of a collection whose `of` phrase names the documents it speaks for ("an average of polls").
EVIDENCE_COLLECTIONS = words("evidence_collections")


def _evidence_noun(noun: Token) -> bool:
    """A document or a count (`the poll`, `records`), or a noun of one (`an average of polls`, `a batch of emails`)."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return False
    if _evidence_word(noun):
        return True
    return noun.pos_ == "NOUN" and noun_lemma(noun) in EVIDENCE_COLLECTIONS and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(o.dep_ == "pobj" and _evidence_word(o) for o in c.children)
        for c in noun.children)


def _evidence_word(tok: Token) -> bool:
    """A word for a document or a count, by lemma or by form (`polls`, `records`)."""
    return (tok.lemma_ or tok.lower_).lower() in EVIDENCE_NOUNS or tok.lower_ in EVIDENCE_NOUNS


def evidence_source(verb: Token, idx: DocIndex) -> Token | None:
    """`The poll shows …`, `A study found …`, `polls showing her ahead`, `the survey puts her at 40 percent`: the
    document or count an evidence verb reports the finding of (None when its subject is anything else)."""
    if lemma_of(verb) in PLACING_VERBS and (verb.tag_ == "VBG" or not any(
            c.dep_ == "prep" and c.lower_ == "at" and any(t.like_num or t.lower_ in ("percent", "%") for t in c.subtree)
            for t in (verb, *verb.children) for c in t.children)):
        return None  # "puts her support at 40 percent", not "putting them at risk"
    subj = subject_of(verb, idx)
    if subj is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and not idx.inside(verb.head):
        subj = verb.head
    return subj if subj is not None and _evidence_noun(subj) else None


# Finite forms of the evidence verbs that close a sentence after their source (`…, records show.`).
FINDING_FORMS = frozenset(form for form in verb_forms(EVIDENCE_VERBS - SOURCE_VERBS)
                          if not form.endswith(("ing", "en", "wn")))
# Words of a short source phrase between a comma and a closing evidence verb (`…, campaign finance records show`).
SOURCE_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "CCONJ", "PART"})


def closing_finding(verb: Token, idx: DocIndex) -> Iterator[Attribution]:
    """`The agency overspent, city records show.` / `…, the poll found.`: an evidence verb right after its document
    closes the clause before the comma, which the source reports, however the parser took the words (`records
    show` is often read as one noun). Set off on both sides (`Last year, records show, the agency …`) it reports
    both parts."""
    doc = verb.doc
    sent = idx.sent(verb)
    noun = doc[verb.i - 1] if verb.i > sent.start else None
    if noun is None or idx.inside(verb) or noun.lower_ not in EVIDENCE_NOUNS or noun.pos_ not in ("NOUN", "PROPN"):
        return
    after = doc[verb.i + 1] if verb.i + 1 < sent.end else None
    if after is not None and not (after.is_punct and after.text in (",", ".", ";", "!")):
        return
    j = verb.i - 1
    while j > sent.start and verb.i - j <= 7 and doc[j - 1].text != "," and (
            doc[j - 1].pos_ in SOURCE_PHRASE_POS or doc[j - 1].tag_ == "POS" or doc[j - 1].text == "."):
        j -= 1
    if j - 1 <= sent.start or doc[j - 1].text != "," or doc[j - 2].pos_ == "CCONJ":
        return  # not "…, and, records show, does not …": an aside inside a predicate
    lo, hi = sent.start, j - 2
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    spans = []
    if (hi - lo >= 3 and not idx.inside(doc[hi]) and not SEPARATOR.search(idx.text, doc[lo].idx, doc[hi].idx)
            and any(t.pos_ in ("VERB", "AUX") for t in doc[lo:hi + 1])):  # a clause, not "Last year, records show, …"
        spans.append((doc[lo].idx, doc[hi].idx + len(doc[hi])))
    if after is not None and after.text == ",":
        k = after.i + 1
        end = sent.end - 1
        while end > k and doc[end].is_punct:
            end -= 1
        cut = SEPARATOR.search(idx.text, doc[k].idx, doc[end].idx + len(doc[end])) if end > k else None
        # not "…, records show, and experts say …": the sentence goes on with something else
        if end - k >= 3 and doc[k].pos_ not in ("CCONJ", "ADP") and not cut:
            spans.append((doc[k].idx, doc[end].idx + len(doc[end])))
    mention = Mention(j, verb.i, noun.i)
    for start, end in spans:
        if quoted_share(start, end, idx.quoted) <= 0.6:
            yield Attribution(start, end, "indirect", mention, verb.i, "reported_finding",
                              CONFIDENCE["reported_finding"])


# What may carry a finding's object on (`showed her ahead by nine points`, `puts his support at 5 percent`).
SMALL_CLAUSE_DEPS = frozenset({"prep", "advmod", "npadvmod", "acomp", "oprd", "amod", "ccomp", "advcl"})


def finding_object(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`The poll shows the mayor ahead by nine points`: the object of an evidence verb with what carries it on."""
    obj = next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "oprd") and not idx.inside(c)), None)
    if obj is None:
        return
    doc = verb.doc
    lo = obj.left_edge.i
    hi = before_aside(obj, _finding_end(verb, obj, idx))
    if hi > lo:
        yield doc[lo].idx, doc[hi].idx + len(doc[hi])


def _finding_end(verb: Token, part: Token, idx: DocIndex) -> int:
    """Last token of a finding that starts with ``part``, an evidence verb's object: the phrases the parser hung on
    the verb after it (`showed her ahead by nine points`, `…, with a third undecided`, `…, followed by her rival at
    30 percent`); an adverbial clause with a conjunction (`…, as she enters the race`) is the writer's."""
    doc = verb.doc
    hi = part.right_edge.i
    for c in verb.rights:
        if c.i <= part.i or c.text == ",":
            continue
        if c.is_punct or idx.inside(c) or c.dep_ not in SMALL_CLAUSE_DEPS or c.lower_ == "according":
            break  # "…, according to the agency": the finding's own source
        if c.dep_ == "advcl" and any(k.dep_ == "mark" for k in c.children) or SEPARATOR.search(
                idx.text, doc[hi].idx, c.left_edge.idx):
            break
        if doc[c.left_edge.i - 1].text == "," and not (c.dep_ == "prep" and c.lower_ == "with" or c.tag_ == "VBG"
                                                          or c.tag_ == "VBN" and c.dep_ == "advcl"):
            break  # after a comma only a `with` phrase or a participle goes on with the figures
        hi = c.right_edge.i
    while hi > part.left_edge.i and doc[hi].is_punct:
        hi -= 1
    return hi


def reports_finding(verb: Token, idx: DocIndex) -> bool:
    """`The authors found that …`, `Footage shows that …`: an evidence verb with a `that` clause reports a finding,
    whoever or whatever its subject."""
    return any(c.dep_ == "ccomp" and c.i > verb.i and opens_with_that(c)
               for c in verb.children)

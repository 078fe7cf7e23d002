"""Find reported speech (`X said …`, `according to X`, label lines) in a parsed spaCy ``Doc``."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator, Sequence

import numpy
from spacy.attrs import LOWER, POS, TAG
from spacy.tokens import Doc, Token

from .attributions import CONFIDENCE, Attribution, Mention
from .clauses import (CAUSE_FORMS, EVIDENCE_POINTERS, ORDER_VERBS, PEOPLE_NOUNS, PEOPLE_PLURALS, SEPARATOR,
                      before_aside, clause_chars, in_order, is_passive, quoted_share)
from .cues import (NOT_SPEAKER_ENTS, QUANTIFIER_SUBJECTS, SUBJECT_DEPS, DocIndex, agent_of, can_speak, cue_and_speaker,
                   is_count, is_cue, lemma_of, mention_of, noun_lemma, opens_with_that)
from .findings import FINDING_FORMS, SOURCE_VERBS, closing_finding, evidence_source, finding_object, reports_finding
from .lexicon import (ACTION_VERBS, ANONYMOUS_HEADS, CLAUSE_VERBS, EVIDENCE_NOUNS, EVIDENCE_VERBS, NOT_REPORTING,
                      NOUN_CUES, OBJECT_VERBS, ORGANIZATION_HEADS, PASSIVE_REPORT_VERBS, PERSON_TITLES, REFUSAL_VERBS,
                      SPEECH_VERBS, verb_forms)
from .marks import Quoted, paragraphs
from .objects import (ACT_FORMS, BODY_SPEECH_VERBS, CITING_VERBS, CONTENT_PREPS, DIRECTIVE_VERBS, NAMING_VERBS,
                      SAID_THING_VERBS, TOPIC_VERBS, VIEWING_VERBS, act_content, object_content, said_thing)
from .statements import (PLAIN_WORDS, STATEMENT_NOUNS, according_to, framing_source, in_poll, made_plain, noun_content,
                         speaks)

# One-word labels that speak for what follows them ("Poll: …"): surveys and unnamed groups.
SOURCE_LABELS = EVIDENCE_NOUNS | ANONYMOUS_HEADS
QUESTION_VERBS = frozenset({"ask", "wonder", "question"})


def _asks(verb: Token, clause: Token) -> bool:
    """`asked workers if they planned to …`, `called for the state to act`: a question verb's `if`/`whether`
    clause or a demand's `for … to` clause, which the parser hangs as adverbial."""
    marks = [c.lower_ for c in clause.children if c.dep_ == "mark"]
    lemma = lemma_of(verb)
    return (("whether" in marks and lemma in CLAUSE_VERBS) or ("if" in marks and lemma in QUESTION_VERBS)
            or ("for" in marks and lemma in OBJECT_VERBS and clause.left_edge.i > verb.i))


def _hidden_that_clause(verb: Token) -> list[Token]:
    """`said on Friday during a news conference that he may wait`: a `that` clause the parser hung as a
    relative clause of a noun in the verb's prepositional phrases (a true relative has `that` as its subject
    or object, never as its conjunction)."""
    # "noting that at one point he had trailed": a `that` the parser took for a preposition heading the clause
    misread = [c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "that" and c.i == verb.i + 1
               and any(t.pos_ in ("VERB", "AUX") for t in c.subtree)]
    if misread:
        return misread
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


#: Words that open a contrast inside a reported clause; one that carries another source's claim ends the clause
#: (`says it found no trace despite X claiming …`, `… although Y says …`).
CONTRAST_OPENERS = frozenset({"despite", "notwithstanding", "although", "though", "while", "whereas"})


def _before_second_cue(clause: Token, idx: DocIndex) -> int:
    """End of a reported clause before a speech verb the parser coordinated into it (`said he was undergoing
    therapy and vowed to …`, `… and criticized the council`), or before a contrast that reports someone else
    (`says it has found no trace of explosives despite X claiming …`): the second statement is reported by its
    own verb."""
    doc = clause.doc
    for c in clause.children:
        if c.i < clause.i or idx.inside(c):
            continue
        if _second_cue(c) or _reporting_contrast(c, idx):
            cut = c.left_edge.i
            while cut > clause.i + 1 and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            if cut > clause.i:
                return doc[cut - 1].idx + len(doc[cut - 1])
    return len(idx.text)


def _second_cue(c: Token) -> bool:
    """`… and vowed to …`: a speech verb coordinated into the clause, with no subject of its own."""
    return (c.dep_ == "conj" and is_cue(c) and not any(s.dep_ in SUBJECT_DEPS for s in c.children)
            and any(k.dep_ in ("ccomp", "xcomp") or k.dep_ == "dobj" and lemma_of(c) in OBJECT_VERBS
                    for k in c.children))


def _reporting_contrast(c: Token, idx: DocIndex) -> bool:
    """`though X says …`, `despite X claiming …`: a contrast that carries someone else's statement."""
    if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONTRAST_OPENERS for m in c.children):
        reporting = [c] if any(k.dep_ in SUBJECT_DEPS for k in c.children) else []
    elif c.dep_ == "prep" and c.lower_ in CONTRAST_OPENERS:
        reporting = [g for k in c.children for g in (k, *k.children) if g.dep_ in ("pcomp", "acl")]
    else:
        return False
    return any(is_cue(t) and t.pos_ == "VERB" and not idx.inside(t) for t in reporting)


def _opening_aside(verb: Token, clause: Token) -> int | None:
    """`says, win or lose, he is staying`: a phrase set off by commas between the verb and a clause without `that`
    opens what was said; its start, or None."""
    doc = verb.doc
    first, left = verb.i + 1, clause.left_edge.i
    if (clause.i < verb.i or first + 1 >= left or doc[first].text != "," or doc[left].text != ","
            or any(m.dep_ == "mark" for m in clause.children) or left - first < 3):
        return None
    between = doc[first + 1:left]
    if any(t.is_punct and t.text != "," or t.head.i == verb.i and t.dep_ in ("dobj", "dative", "nsubj", "ccomp")
           for t in between):
        return None
    return doc[first + 1].idx


# Words opening a relative clause whose verb the cue interrupts (`a charity that prosecutors said was …`).
RELATIVE_WORDS = frozenset({"that", "which", "who", "whom", "what"})


def _finite_xcomp(verb: Token, comp: Token) -> bool:
    """`the drawdown, which they say left a vacuum`: a finite clause after the cue that the parser took for an
    open complement (an infinitive's label); a relative's cue has its clause's verb so."""
    return (comp.dep_ == "xcomp" and comp.left_edge.i == verb.i + 1 and comp.tag_ in ("VBD", "VBZ", "VBP")
            and not any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children))


def _gerund_subject(verb: Token) -> Token | None:
    """`said raising the dam was a mistake`: a gerund right after the cue, taken for its open complement, whose
    clause's verb follows it (a finite verb or auxiliary the parser hung apart)."""
    comp = next((c for c in verb.rights if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i == verb.i + 1), None)
    if comp is None or comp.right_edge.i + 1 >= len(verb.doc):
        return None
    if any(t.tag_ in FINITE_TAGS for t in comp.subtree):
        return None
    nxt = verb.doc[comp.right_edge.i + 1]
    return comp if nxt.tag_ in FINITE_TAGS and nxt.pos_ in ("VERB", "AUX") else None


def _gerund_clause(verb: Token, comp: Token) -> bool:
    """`say taxing fuel encourages savings`: a clause opening with a gerund subject, which the parser hangs as the
    verb's complement, with the clause's own verb inside it."""
    return (comp.dep_ == "xcomp" and comp.tag_ == "VBG" and comp.left_edge.i == verb.i + 1 == comp.i
            and any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in comp.subtree if t.i > comp.i))


def _reported(tok: Token, idx: DocIndex, strong: bool) -> Iterator[tuple[int, int]]:
    """Character spans of the clauses ``tok`` reports: its complement, or the clause it interrupts."""
    # the clause's head may sit inside a quoted fragment ("said the city was “fully committed”")
    children = list(tok.children)  # read twice, and made anew on each reading
    clauses = [c for c in children if c.dep_ == "ccomp" and not _caused(tok, c) and not _adverbial(c)
               or c.dep_ == "advcl" and _asks(tok, c)
               or strong and c.dep_ == "xcomp" and (_gerund_clause(tok, c) or _finite_xcomp(tok, c))]
    if strong and not clauses:
        clauses = _hidden_that_clause(tok)
    # "said X, but that Y": a second reported clause coordinated with the verb, not with the first clause
    more = [c for c in children if c.dep_ == "conj" and c.i > tok.i and not idx.inside(c)
            and opens_with_that(c)]
    gerund = _gerund_subject(tok) if strong else None
    if gerund is not None and not clauses:
        # "who said closing the mill was wrong", its verb hung elsewhere: the gerund and the predicate after it
        doc = tok.doc
        verb = doc[gerund.right_edge.i + 1]
        verb = verb.head if verb.dep_ in ("aux", "auxpass") and verb.head.i > verb.i else verb
        if verb.head.i != tok.i and not idx.inside(verb) and idx.same_sentence(verb, tok):
            hi = verb.right_edge.i
            while hi > verb.i and doc[hi].is_punct:
                hi -= 1
            yield gerund.idx, doc[before_aside(verb, hi)].idx + len(doc[before_aside(verb, hi)])
    for clause in clauses:
        subtree = list(clause.subtree)
        lo, hi = clause_chars(clause, subtree)
        if gerund is not None and clause.left_edge.i == gerund.right_edge.i + 1:
            lo = gerund.idx  # "said raising the dam was a mistake": the gerund is the clause's subject
        before = [t for t in subtree if t.i < tok.i] if clause.i > tok.i else []
        if before and all(t.tag_ in ("WDT", "WP") or t.lower_ in RELATIVE_WORDS for t in before):
            # "a wall, which he said the neighbour would pay for": the clause resumes after the cue
            lo = clause.doc[tok.i + 1].idx
        aside = _opening_aside(tok, clause)
        if aside is not None:
            lo = min(lo, aside)
        if more and clause is clauses[-1]:
            hi = max(hi, clause_chars(more[-1])[1])
        hi = min(hi, _before_second_cue(clause, idx))
        if quoted_share(lo, hi, idx.quoted) > 0.6:
            # "he respects her and calls her “…”": the quote is its own; keep the clause before it
            quoting = [c for c in clause.children if c.dep_ == "conj" and c.i > clause.i
                       and any(idx.inside(t) for t in c.subtree)]
            if quoting:
                cut = min(t.i for t in quoting[0].subtree)
                while cut > clause.i and (clause.doc[cut - 1].dep_ == "cc" or clause.doc[cut - 1].is_punct):
                    cut -= 1
                if not idx.inside(clause.doc[cut - 1]):  # not inside the quote: 'was “promising but unproven”'
                    hi = clause.doc[cut - 1].idx + len(clause.doc[cut - 1])
        yield lo, hi
        if clause.i < tok.i:
            yield from _continued(tok, clause, idx)
    if (strong or _pointed_out(tok)) and not clauses and _as_aside(tok, idx):
        yield _beside(tok, idx)
        return
    if strong and not clauses:
        closed = _closed_clause(tok, idx)
        if closed is not None:
            yield closed
            yield from _continued(tok, tok.head, idx)
            return
    if strong and not clauses and (tok.dep_ in ("parataxis", "ccomp") or _interrupts(tok)) and tok.head.i != tok.i:
        # "Acts of protest, Mr. Obama said, are acts of patriotism": the cue interrupts its clause
        head = tok.head
        rest = [t for t in head.subtree if t.i > tok.right_edge.i and not t.is_punct]
        if (not rest and tok.dep_ == "parataxis" and head.i < tok.i and not idx.inside(head)
                and _scene_after(tok, tok.i)):
            # "The mill will close, Roe said, as workers gathered": the scene hung on the cue; the clause is before it
            lo = clause_chars(head)[0]
            yield from _around(tok.doc, _cue_core(tok)[0], tok.i, lo, lo, before=True, after=False)
            return
        # the clause goes on after the cue (not "X claimed Y complained of …", where the cue ends it)
        if (not idx.inside(head) and head.pos_ in ("VERB", "AUX") and tok.i > head.left_edge.i and rest
                and (tok.i < head.i or tok.dep_ == "parataxis" or _set_off(tok) or _reported_clause(head))):
            lo, hi = clause_chars(head)
            first, last = _cue_core(tok)
            if (tok.dep_ != "ccomp" and first > head.left_edge.i
                    and tok.doc[first - 1].text == "," == tok.doc[last + 1].text
                    and not any(idx.inside(t) for t in tok.doc[first:last + 1])):
                # what was said goes on on both sides of the cue: one fragment each, the cue in neither; an opening
                # phrase before it ("In any case, she said, …") may be the writer's, the clause's subject is not
                subj = any(c.dep_ in SUBJECT_DEPS and c.i < first for c in head.children) or head.i < first
                yield from _around(tok.doc, first, last, lo, hi, subj, after=not _scene_after(head, last))
                return
            if tok.left_edge.i <= head.left_edge.i:
                # "Roe said the plan was dead" parsed with the cue under its clause: what follows the cue,
                # up to a colon, semicolon or dash that ends the sentence part
                k = tok.i + 1
                while k < head.right_edge.i and (tok.doc[k].is_punct or tok.doc[k].lower_ == "that"):
                    k += 1
                lo = max(lo, tok.doc[k].idx)
                cut = SEPARATOR.search(idx.text, lo, hi)
                hi = cut.start() if cut else hi
            yield lo, hi


def _continued(verb: Token, clause: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`The plan would be aided, she said, by the calendar`, `He backs the bill, he said, because it is fair`: the
    reason, or the agent of a passive clause, that goes on after a cue set off by commas belongs to what was said."""
    doc = verb.doc
    if verb.i + 2 >= len(doc) or doc[verb.i + 1].text != ",":
        return  # not "…, she said on Friday, because …": a phrase of the cue may be what the reason explains
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in clause.children)
    for part in verb.rights:
        if part.left_edge.i != verb.i + 2 or idx.inside(part):
            continue
        if (part.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in REASON_MARKS for c in part.children)
                or part.dep_ == "prep" and part.lower_ == "by" and passive):
            hi = part.right_edge.i
            while hi > part.i and doc[hi].is_punct:
                hi -= 1
            if hi > part.i:
                yield part.left_edge.idx, doc[hi].idx + len(doc[hi])


# Conjunctions of a reason that the speaker gives for what was said (`…, she said, because …`).
REASON_MARKS = frozenset({"because"})


def _interrupts(verb: Token) -> bool:
    """`Every week, the aide told the paper, the senator would meet donors`: a cue with a subject of its own, set off
    by commas, that the parser hung as an adverbial of the clause it breaks into (not `when it was argued, …`)."""
    head = verb.head
    doc = verb.doc
    return (verb.dep_ == "advcl" and head.i > verb.right_edge.i and head.pos_ in ("VERB", "AUX")
            and not any(c.dep_ == "mark" or c.tag_ == "WRB" for c in verb.children) and not is_passive(verb)
            and any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children)
            # "…, she told the paper, …" names whom she told; any other object or complement is what was said
            and not any(c.dep_ in ("ccomp", "xcomp", "attr", "acomp")
                        or c.dep_ == "dobj" and lemma_of(verb) not in ORDER_VERBS for c in verb.children)
            and not is_cue(head)
            and doc[_cue_core(verb)[1] + 1].text == ","
            and any(c.dep_ in SUBJECT_DEPS and c.i > verb.right_edge.i for c in head.children))


def _cue_core(verb: Token) -> tuple[int, int]:
    """First and last token of a cue with its speaker and its own phrases after it (`Mr. Roe said on Friday`,
    `say experts like Jane Roe`), without the opening phrases the parser may have hung on the verb."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i), None)
    last = verb.right_edge.i
    while last > verb.i and verb.doc[last].is_punct:
        last -= 1  # the comma after the cue, which the parser may hang on it
    return (subj.left_edge.i if subj is not None else verb.i), last


def _around(doc: Doc, first: int, last: int, lo: int, hi: int, before: bool,
            after: bool = True) -> Iterator[tuple[int, int]]:
    """The parts of the clause ``lo``…``hi`` (characters) before and after an interrupting cue (tokens ``first`` to
    ``last``), each without the commas that set the cue off."""
    j = first - 1
    while j >= 0 and doc[j].is_punct and doc[j].idx >= lo:
        j -= 1
    if before and j >= 0 and doc[j].idx >= lo:
        yield lo, doc[j].idx + len(doc[j])
    if not after:
        return
    k = last + 1
    while k < len(doc) and (doc[k].is_punct or doc[k].lower_ == "that") and doc[k].idx < hi:
        k += 1
    if k < len(doc) and doc[k].idx < hi:
        yield doc[k].idx, hi


#: Conjunctions of a clause that sets a report's scene after its cue (`…, officials said, as rescuers searched`): the
#: writer's words, not the speaker's (a reason the speaker gives, `because`, is theirs: _continued).
SCENE_MARKS = frozenset({"as", "while", "after", "before", "when"})


def _scene_after(head: Token, last: int) -> bool:
    """Whether all that the clause ``head`` has after an interrupting cue (ending at token ``last``) is a clause
    setting the scene, or a participle of what the speaker did (`…, two of them said, asking not to be named`)."""
    after = [c for c in head.children if c.i > last and not c.is_punct]
    return bool(after) and all(c.dep_ == "advcl" and (
        any(m.dep_ == "mark" and m.lower_ in SCENE_MARKS for m in c.children)
        or c.tag_ == "VBG" and not any(m.dep_ in SUBJECT_DEPS or m.dep_ == "mark" for m in c.children)) for c in after)


def _set_off(tok: Token) -> bool:
    """`…, many strategists think, Trump would …`: a cue after its clause's verb interrupts the clause only when
    punctuation sets it off (`is betting that voters feel so beleaguered that …` is the clause's own complement)."""
    doc = tok.doc
    first = tok.left_edge.i
    return doc[first].is_punct or first > 0 and doc[first - 1].is_punct


def _reported_clause(head: Token) -> bool:
    """`She said she hoped to rest`: a clause that is itself what a verb of saying reports; a cue under it keeps
    its old reading as interrupting it, since the parser often hangs the inner cue's own clause elsewhere."""
    return is_cue(head) or any(is_cue(a) for a in head.ancestors)


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Conjunctions of time, cause or concession: a clause they open tells when or why, never what was said.
ADVERBIAL_MARKS = frozenset({"as", "while", "whereas", "when", "before", "after", "because", "since", "although",
                             "though", "until", "once", "unless"})


def _adverbial(clause: Token) -> bool:
    """`she said as the crowd cheered`: an adverbial clause the parser hung as the verb's complement."""
    first = clause.doc[clause.left_edge.i]
    return (clause.i > clause.head.i and first.dep_ == "mark" and first.head.i == clause.i
            and first.lower_ in ADVERBIAL_MARKS)


REFLEXIVES = frozenset({"myself", "yourself", "himself", "herself", "itself", "ourselves", "yourselves", "themselves"})


def _caused(verb: Token, clause: Token) -> bool:
    """`making himself indispensable`, `made retraining impractical`: a causative verb's small clause tells what
    its subject brought about, not what anyone said (`making it clear that …` reports: its that-clause does)."""
    return (verb.lower_ in CAUSE_FORMS and clause.tag_ not in FINITE_TAGS
            # inside what a cue reports ("said …, making them the largest group") it is part of what was said
            and not any(is_cue(a) for a in verb.ancestors)
            # "making themselves comfortable with …" states the subject's own stance
            and not any(c.dep_ in SUBJECT_DEPS and c.lower_ in REFLEXIVES for c in clause.children)
            and not any(c.dep_ in ("aux", "auxpass", "mark") for c in clause.children)
            and not any(t.dep_ == "mark" and t.lower_ in ("that", "whether", "if") for t in clause.subtree))


def _closed_clause(tok: Token, idx: DocIndex) -> tuple[int, int] | None:
    """`The bridge has been unsafe for years, she said, on condition of anonymity.`: a closing cue after a comma
    that the parser hung under the clause it reports (parataxis or adverbial): that clause, up to the comma."""
    doc = tok.doc
    subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS and c.i < tok.i), None)
    # "…, she told reporters": the object of `tell` is whom she told, not what
    addressee = ("dative", "dobj") if lemma_of(tok) in ORDER_VERBS else ("dative",)
    if subj is None or idx.inside(tok) or any(c.dep_ in ("mark", "dobj", "xcomp", "ccomp") and c.dep_ not in addressee
                                              for c in tok.children):
        return None
    comma = subj.left_edge.i - 1
    sent = idx.sent(tok)
    # its own phrases ("on Friday"), or a clause of its own that the parser ran into it ("…, she said, and the
    # town agreed"), but not a predicate that carries on what was said ("…, she said, and had left")
    trailing = {t.i for c in tok.rights if c.dep_ in ("prep", "npadvmod", "advmod", "punct", "cc") + addressee
                or c.dep_ == "conj" and any(k.dep_ in SUBJECT_DEPS for k in c.children)
                or c.dep_ == "advcl" and any(k.dep_ == "mark" and k.lower_ in REASON_MARKS for k in c.children)
                for t in c.subtree}
    after = [t for t in doc[tok.i + 1:sent.end] if not t.is_punct and not t.is_space]
    if comma <= sent.start or doc[comma].text != "," or any(t.i not in trailing or idx.inside(t) for t in after):
        return None  # the cue closes its sentence, with at most its own phrases after it ("…, she said on Friday.")
    # a cue hung as a conjunct with no `and` or `but` before it is a comma splice: the parser's way with a closing cue
    spliced = tok.dep_ == "conj" and not any(c.dep_ == "cc" and tok.head.i < c.i < tok.i for c in tok.head.children)
    if (not (tok.dep_ in ("advcl", "parataxis") or spliced) or tok.head.i > tok.i
            or tok.head.pos_ not in ("VERB", "AUX")):
        return None
    lo = max(tok.head.left_edge.i, sent.start)
    hi = comma - 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    if hi - lo < 3 or SEPARATOR.search(idx.text, doc[lo].idx, doc[hi].idx):
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _pointed_out(verb: Token) -> bool:
    """`as Roe pointed out, …`: a verb of pointing with `out` is a verb of saying."""
    return lemma_of(verb) in EVIDENCE_POINTERS and any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)


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
    # the comma may hang on the aside itself ("As the Gazette reported, …")
    if tok.i < tok.head.i:
        return doc[tok.right_edge.i].text == "," or (
            tok.right_edge.i + 1 < len(doc) and doc[tok.right_edge.i + 1].text == ",")
    return doc[tok.left_edge.i].text == "," or tok.left_edge.i > 0 and doc[tok.left_edge.i - 1].text == ","


def _beside(tok: Token, idx: DocIndex) -> tuple[int, int]:
    """The clause an `as` aside is hung on, on its side of the aside."""
    head = tok.head
    lo, hi = tok.left_edge.i, tok.right_edge.i
    toks = [t for t in in_order(head) if (t.i > hi if tok.i < head.i else t.i < lo)]
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
        if label is None or len(text[start:end].split()) < 3 or quoted_share(start, end, idx.quoted) > 0.6:
            continue
        words = [t for t in label if not t.is_punct]
        if lo == 0 and len(words) == 1 and words[0].lower_ in SOURCE_LABELS:
            pass  # a headline's "Poll: …", "Insiders: …": a survey or an unnamed group speaks
        elif lo == 0 and words and all(t.text[:1].isupper() and t.text in idx.name_words for t in words):
            pass  # a headline's "Roe: …", whom the parser did not tag there but does in the article
        elif not all(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or t.is_punct
                     for t in label) or not any(t.ent_type_ in ("PERSON", "ORG") for t in label):
            continue  # "Iowa: …", "Correction: …": a place or a section, not someone speaking
        heads = [t for t in label if t.head.i == t.i or not (label.start <= t.head.i < label.end)]
        if len(heads) == 1 and not idx.inside(heads[0]) and heads[0].ent_type_ not in NOT_SPEAKER_ENTS:
            # the label is the mention: the parser may have hung the whole line on it
            mention = Mention(label.start, label.end, heads[0].i)
            yield Attribution(start, end, "indirect", mention, None, "reported_label",
                              CONFIDENCE["reported_label"])


#: Parts of speech whose words can report or frame what someone said; the other words are passed over.
_CANDIDATE_POS = ("NOUN", "VERB", "AUX", "ADJ")
#: The verb tags of the tagger's tag set (Penn Treebank's): a verb the coarse tag misses.
_VERB_TAGS = ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")
#: Words that can, whatever their part of speech.
_CANDIDATE_WORDS = FINDING_FORMS | {"according", "in", "from", "per"}


def _candidates(doc: Doc) -> list[int]:
    """Positions of the words reported_speech looks at, found on the parse's arrays: Token objects and their
    string attributes are the loop's cost, and most words (names, determiners, punctuation) do nothing."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    arr = doc.to_array([POS, TAG, LOWER])
    # the ids as uint64, like the array: a list of 64-bit hashes would make numpy compare them all as floats
    keep = (numpy.isin(arr[:, 0], numpy.array([strings[p] for p in _CANDIDATE_POS], dtype=numpy.uint64))
            | numpy.isin(arr[:, 1], numpy.array([strings[t] for t in _VERB_TAGS], dtype=numpy.uint64))
            | numpy.isin(arr[:, 2], numpy.array([strings[w] for w in _CANDIDATE_WORDS], dtype=numpy.uint64)))
    return numpy.flatnonzero(keep).tolist()


def reported_speech(doc: Doc, quoted: Sequence[Quoted], idx: DocIndex | None = None) -> Iterator[Attribution]:
    """Yield reported clauses: `X said (that) …`, `… , X said`, `according to X, …`, `X, saying …`."""
    idx = idx or DocIndex(doc, quoted)
    for found in _reported_speech(doc, idx):
        start = idx.after_dateline(found.start)
        # "GENEVA (Reuters) - Talks stalled, diplomats said": the parser hangs the dateline on the clause
        yield found if start == found.start else replace(found, start=start)


def _reported_speech(doc: Doc, idx: DocIndex) -> Iterator[Attribution]:
    """reported_speech's finds, datelines and all."""
    yield from _label_lines(idx)
    quote_of, quoted = idx.quote_of, idx.quoted
    for i in _candidates(doc):
        if quote_of[i] >= 0:
            continue  # before making the Token: quoted words are a good share of the candidates
        tok = doc[i]
        lower, dep, pos = tok.lower_, tok.dep_, tok.pos_  # each a lookup in the string store
        if lower == "according" and dep == "prep":
            yield from according_to(tok, idx)
            continue
        if lower in FINDING_FORMS:
            closing = list(closing_finding(tok, idx))
            if closing:
                yield from closing
                continue
        if lower == "in" and dep == "prep":
            yield from in_poll(tok, idx)
            yield from framing_source(tok, idx)
            continue
        if lower in ("from", "per") and dep == "prep":
            yield from framing_source(tok, idx)
            continue
        if pos == "NOUN":
            if noun_lemma(tok) in STATEMENT_NOUNS:  # most nouns are none, and need no generator of their own
                yield from noun_content(tok, idx)
            continue
        if pos == "ADJ" and lower in PLAIN_WORDS:
            yield from made_plain(tok, idx)
            continue
        if not (pos in ("VERB", "AUX") or tok.tag_.startswith("VB")):
            continue
        if dep in SUBJECT_DEPS and any(c.dep_ == "det" and c.i < tok.i for c in tok.children):
            continue  # "the Gold Star parents, whose …, say": a noun the tagger took for a verb
        lemma = lemma_of(tok)
        if _anonymity_request(tok, lemma):
            continue  # "…, asking not to be identified": the source's terms, not what they said
        if lemma in PASSIVE_REPORT_VERBS and is_passive(tok):
            by = _reported_by(tok, idx)
            if by is not None:
                yield by
                continue
        strong = lemma in CLAUSE_VERBS
        source = evidence_source(tok, idx) if lemma in EVIDENCE_VERBS else None
        evidence = (source is not None
                    or lemma in EVIDENCE_VERBS and lemma not in SOURCE_VERBS and reports_finding(tok, idx))
        act = ACT_FORMS.get(lower)
        skip = not (strong or evidence) and (lemma in NOT_REPORTING or lower in NOT_REPORTING
                                             or lower in ACTION_VERBS or pos == "AUX")
        if skip and act is None:
            continue
        # "saw the vote as a test": a verb of viewing that reports nothing else still reports in its own layout below
        spans = [] if skip else list(_reported(tok, idx, strong or evidence))
        method = "reported_speech" if strong else "reported_other"
        if not spans and lemma in SAID_OBJECT_VERBS:
            spans = list(_said_object(tok, idx))
        short = _short_answer(tok, idx) if not spans and lemma in SAID_OBJECT_VERBS else None
        if short is not None:
            spans = [short]
        if not spans and source is not None:
            spans = list(finding_object(tok, idx))
        if not spans and (lemma in OBJECT_VERBS or lemma in TOPIC_VERBS or lemma in REFUSAL_VERBS or evidence
                          or lemma in NAMING_VERBS):
            spans = list(object_content(tok, idx))
            method = "reported_object"
        if source is not None:
            method = "reported_finding"
        if not spans and (lemma in SAID_THING_VERBS or lemma in CONTENT_PREPS):
            spans = list(said_thing(tok, idx))
            method = "reported_object"
        if not spans and act is not None:
            spans = list(act_content(tok, act, idx))
            method = "reported_object"
        if lemma in QUESTION_VERBS and is_passive(tok):
            # "Asked whether …, she said": the one asked did not say it; a named asker did ("asked by a reporter")
            yield from _asked_by(tok, spans, method, idx)
            continue
        if not spans:
            continue
        if method == "reported_speech" and _unsaid(tok):
            continue
        found = cue_and_speaker(tok, idx)
        if not found and source is not None and source.i == tok.head.i:
            found = (tok, source)  # "polls showing her ahead": the noun the participle describes
        if not found:
            governing = _governing_speaker(tok, idx)
            found = (tok, governing) if governing is not None else None
        if not found:
            continue
        _, subj = found
        if strong:
            subj = _controller(tok, idx) or subj
        if method != "reported_speech" and not evidence and not (
                can_speak(subj) or (lemma in SPEECH_VERBS or lemma in REFUSAL_VERBS) and _is_body(subj)
                or _definite_body(subj) and (lemma in BODY_SPEECH_VERBS or act in DIRECTIVE_VERBS)
                or _nameless_speaker(subj, tok, method)
                or lemma in NAMING_VERBS | CITING_VERBS and _relative_who(subj)
                or act in VIEWING_VERBS and method == "reported_object" and _viewer(subj)):
            continue
        for start, end in spans:
            if (end - start < 8 and (start, end) != short) or quoted_share(start, end, quoted) > 0.6:
                continue
            if start <= tok.idx < end and tok.dep_ not in ("parataxis", "ccomp"):
                continue
            if end <= tok.idx and SEPARATOR.search(idx.text, end, tok.idx):
                continue  # "The plan is dead: she resigned": a clause set off by a colon or dash is not reported
            if start <= subj.idx < end:
                # "Roe, a lawyer helping the family, said …": the speaker and her aside, read as a clause (and
                # whatever the parse, no one's words hold their own name as the one saying them)
                continue
            yield Attribution(start, end, "indirect", mention_of(subj, idx), tok.i, method, CONFIDENCE[method])


#: Forms of the verbs whose passive a source asks to be spared ("asking not to be identified", "declined to be named").
ANONYMITY_FORMS = verb_forms(frozenset({"identify", "name", "quote", "cite"}))


def _anonymity_request(verb: Token, lemma: str) -> bool:
    """`…, asking not to be identified`, `who declined to be named`: a source's request for anonymity."""
    if lemma not in ("ask", "request", "decline", "refuse"):
        return False
    return any(c.dep_ == "xcomp" and c.lower_ in ANONYMITY_FORMS and is_passive(c)
               and (lemma in ("decline", "refuse") or any(g.dep_ == "neg" for g in c.children)) for c in verb.children)


def _unsaid(verb: Token) -> bool:
    """`did not say whether …`, `declined to say when …`: a verb of saying denied or refused reports no words
    (what someone refused to do is reported_object's, as an act)."""
    return any(c.dep_ == "neg" for c in verb.children) or verb.dep_ == "xcomp" and lemma_of(verb.head) in REFUSAL_VERBS


def _governing_speaker(verb: Token, idx: DocIndex) -> Token | None:
    """`…, urging voters to stay and promising to fight`, `won praise by citing the audit`: a verb without a subject
    of its own, joined to another or governed through a preposition, speaks for the subject of that verb; a
    participle on a word for people speaks for them."""
    if (verb.dep_ == "conj" and verb.tag_ == "VBG" and verb.head.tag_ in ("VBD", "VBZ", "VBP")
            and verb.head.dep_ == "ccomp" and verb.head.head.tag_ == "VBG"):
        # "saying the fight goes on and vowing to …": a participle is no conjunct of the finite clause before it;
        # it goes with the participle that reports that clause
        head = verb.head.head
    elif verb.dep_ == "conj" and verb.head.i != verb.i:
        head = verb.head
    elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        head = _verb_above(verb.head)
        if head is None:
            return None
    elif (verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.i < verb.i and verb.head.pos_ in ("NOUN", "PROPN")
          and (not verb.doc[verb.i - 1].is_punct or verb.head.dep_ == "ROOT")):
        # "the spectacle of the senator denouncing …", "aside from the candidates debating whether …": the person
        # or people the participle describes do it (after a comma only when the parser made that name the root,
        # with no verb above it: "Jane Roe, a lawyer, backed the bill Monday, saying …")
        return verb.head if not idx.inside(verb.head) and speaks(verb.head) else None
    else:
        return None
    found = cue_and_speaker(head, idx)
    return found[1] if found else None


# How many steps up a chain of prepositions and their words (`in addition to`, `the most vocal in`) the verb they
# modify may lie.
PREP_CHAIN_MAX = 4


def _verb_above(prep: Token) -> Token | None:
    """`In addition to stating …, Roe vowed`, `Roe has been the loudest in denouncing …`, `stopped short of
    calling …`: the verb a preposition modifies, through the nouns, adjectives and adverbs of a chain of
    prepositions (`addition to`, `loudest in`, `short of`)."""
    head = prep.head
    for _ in range(PREP_CHAIN_MAX):
        if head.pos_ in ("VERB", "AUX"):
            return head
        if head.head.i == head.i or head.dep_ not in ("prep", "pobj", "attr", "advmod"):
            return None
        head = head.head
    return None


# Words for people holding a view without a noun (`some view it as …`, `those who see it as …`).
VIEWER_WORDS = QUANTIFIER_SUBJECTS | {"those"}


def _viewer(subj: Token) -> bool:
    """`investors see the deal as a risk`, `some view it as …`, `voters, who saw him as …`: people in the plural, a
    quantifier or a relative `who` hold a view of something as something (a thing does not)."""
    return (_relative_who(subj) or subj.dep_ == "nsubj" and (subj.tag_ == "NNS" and subj.pos_ == "NOUN"
                                                             or subj.lower_ in VIEWER_WORDS))


def _relative_who(subj: Token) -> bool:
    """`a pollster who called him a strategist`, `the mayor, who cited the audit`: a relative `who` stands for a
    person (or a body of people); through a verb of naming or citing it speaks (one who `pledged` or `raised` money
    need not have said anything)."""
    return subj.lower_ == "who" and subj.dep_ in SUBJECT_DEPS and subj.head.dep_ in ("relcl", "conj")


def _nameless_speaker(subj: Token, verb: Token, method: str) -> bool:
    """Who speaks without a name through a communication verb or a verb of saying: people in the plural, a
    quantifier or a document (`several senators urged …`, `some economists reaffirmed that …`), and a title,
    with a clause or an object (`the governor pointed out that …`, `the princess announced her candidacy`)."""
    if method != "reported_object" and lemma_of(verb) not in SPEECH_VERBS:
        return False  # "German leaders growing …", "those remarks allowed …": not a verb of saying
    if _object_speaker(subj, verb):
        return True
    return (method in ("reported_other", "reported_object") and subj.pos_ == "NOUN" and subj.tag_ == "NN"
            and noun_lemma(subj) in PERSON_TITLES | PEOPLE_NOUNS)


def _asker(verb: Token, idx: DocIndex) -> Token | None:
    """`When asked by a reporter whether …`, `was asked by the host about …`: the agent of a passive question verb
    asked the question, so the question is the agent's."""
    who = agent_of(verb, idx)
    if who is None or who.pos_ not in ("PROPN", "NOUN", "PRON") or who.tag_ in ("WDT", "WP"):
        return None
    return who


def _asked_by(verb: Token, spans: Sequence[tuple[int, int]], method: str, idx: DocIndex) -> Iterator[Attribution]:
    """The question a passive question verb reports, given to its named asker (none when no asker is named)."""
    who = _asker(verb, idx)
    if who is None:
        return
    if not spans:
        # "asked by the host to respond", or "asked by the host about …" with `about` hung on the host
        doc = verb.doc
        part = next((c for c in verb.rights if c.dep_ == "xcomp" and not idx.inside(c)), None) or next(
            (c for c in who.rights if c.dep_ == "prep" and c.lower_ == "about" and not idx.inside(c)), None)
        if part is None:
            return
        hi = part.right_edge.i
        while hi > part.i and doc[hi].is_punct:
            hi -= 1
        spans = [(doc[part.left_edge.i].idx, doc[hi].idx + len(doc[hi]))]
        method = "reported_object"
    for start, end in spans:
        if end - start < 8 or quoted_share(start, end, idx.quoted) > 0.6 or start <= verb.idx < end:
            continue
        if end <= verb.idx and SEPARATOR.search(idx.text, end, verb.idx):
            continue
        yield Attribution(start, end, "indirect", mention_of(who, idx), verb.i, method, CONFIDENCE[method])


# Verbs of saying whose noun object is what was said (`said the opposite`), or a clause the parser took for one.
SAID_OBJECT_VERBS = frozenset({"say"})
# One-word answers a verb of saying reports (`most voters said yes`, `half said so`).
SHORT_ANSWERS = frozenset({"yes", "no", "so"})


def _short_answer(verb: Token, idx: DocIndex) -> tuple[int, int] | None:
    """`Most voters said yes`, `half said so`, `said no to the deal`: a one-word answer right after the verb
    (with what a `no` refuses), too short for the minimum length of a reported clause."""
    doc = verb.doc
    if verb.i + 1 >= len(doc):
        return None
    word = doc[verb.i + 1]
    if (word.lower_ not in SHORT_ANSWERS or word.head.i != verb.i or word.dep_ not in ("intj", "advmod")
            or idx.inside(word)):
        return None
    end = word
    to = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "to" and c.i == word.i + 1), None)
    if word.lower_ == "no" and to is not None and to.right_edge.i > to.i:
        end = doc[to.right_edge.i]
        while end.i > word.i and end.is_punct:
            end = doc[end.i - 1]
    return word.idx, end.idx + len(end)


def _said_object(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`The candidate said families of victims file lawsuits`: a clause whose subject the parser hung as the
    object of `say` (or a noun phrase said: `said the same thing`), up to the end of the verb's phrase."""
    obj = next((c for c in verb.rights if c.dep_ == "dobj" and not idx.inside(c)), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ"):
        return
    doc = verb.doc
    hi = verb.right_edge.i
    while hi > obj.i and (doc[hi].is_punct or doc[hi].dep_ == "cc"):
        hi -= 1
    hi = before_aside(verb, hi)
    lo = obj.left_edge.i
    if hi > lo:
        yield doc[lo].idx, doc[hi].idx + len(doc[hi])


def _is_body(subj: Token) -> bool:
    """A body of people (`the company reported …`, `the campaigns declined to comment`), which speaks only
    through a verb of saying (`the group raised $4 million` reports nothing)."""
    if subj.pos_ != "NOUN" or noun_lemma(subj) not in ORGANIZATION_HEADS:
        return False
    # whose body: "the Clinton campaign", "German police", "the company's board"; a bare "the office" may be anyone's
    return subj.tag_ == "NNS" or any(c.dep_ in ("compound", "poss", "amod", "nmod") for c in subj.children)


def _definite_body(subj: Token) -> bool:
    """`the department asked …`, `the group denounced …`: a bare singular body after `the` (or `this`), which refers
    back to the body the article named (speakers.py resolves it)."""
    return (subj.pos_ == "NOUN" and subj.tag_ == "NN" and noun_lemma(subj) in ORGANIZATION_HEADS
            and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in subj.children))


def _reported_by(verb: Token, idx: DocIndex) -> Attribution | None:
    """`The merger was first reported by the Gazette`, `…, as first reported by the Gazette`: the agent of a
    passive verb of reporting speaks for its subject, or for the clause the `as` aside hangs on."""
    source = agent_of(verb, idx)
    if source is None or not (can_speak(source) or source.pos_ == "PROPN"):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is not None:
        if subj.pos_ == "PRON" or subj.tag_ in ("WDT", "WP"):
            return None  # "it was reported by …" says nothing itself; "which was reported by …" is its noun's
        toks = [t for t in in_order(subj) if not t.is_punct or t.i < subj.right_edge.i]
        lo, hi = toks[0].idx, toks[-1].idx + len(toks[-1])
    elif any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) and verb.dep_ == "advcl" \
            and _comma_between(verb):
        lo, hi = _beside(verb, idx)
    else:
        return None
    if hi - lo < 8 or quoted_share(lo, hi, idx.quoted) > 0.6:
        return None
    return Attribution(lo, hi, "indirect", mention_of(source, idx), verb.i, "reported_other",
                       CONFIDENCE["reported_other"])


def _controller(verb: Token, idx: DocIndex) -> Token | None:
    """`The win led the chairman to declare …`, `left voters saying …`: the object of the verb above an
    infinitive or participle with no subject of its own is who speaks, not that verb's subject."""
    if verb.dep_ == "advcl":
        return _participle_doer(verb, idx)
    if verb.dep_ not in ("xcomp", "ccomp", "oprd") or verb.head.i == verb.i or verb.tag_ not in ("VB", "VBG"):
        return None
    if (any(c.dep_ in SUBJECT_DEPS for c in verb.children) or is_cue(verb.head)
            or lemma_of(verb.head) in OBJECT_VERBS):
        return None  # "asked voters to say …", "urged them to declare …": the request is the asker's
    obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    if obj is None or idx.inside(obj) or obj.pos_ not in ("NOUN", "PROPN", "PRON", "ADJ", "NUM") or not _doer(obj):
        return None
    return obj


def _doer(noun: Token) -> bool:
    """Someone who may think or say: a person or body, a share of people (`62 percent of voters`), a quantifier
    (`many`) or a plural noun (`allies`), which a verb of saying or thinking turns into people."""
    return can_speak(noun) or is_count(noun) or noun.lower_ in QUANTIFIER_SUBJECTS or noun.tag_ == "NNS"


def _participle_doer(verb: Token, idx: DocIndex) -> Token | None:
    """`has left voters wondering …`, `ended with the host asking …`: a participle with no comma before it, right
    after its verb's object (or the object of its `with`), tells what that noun does: that noun speaks."""
    doc = verb.doc
    if (verb.tag_ != "VBG" or verb.head.i == verb.i or verb.head.i > verb.i or verb.i == 0
            or doc[verb.i - 1].is_punct or any(c.dep_ in SUBJECT_DEPS for c in verb.children)
            or is_cue(verb.head) or lemma_of(verb.head) in OBJECT_VERBS):
        return None
    nouns = [c for c in verb.head.children if c.dep_ == "dobj"] + [
        o for c in verb.head.children if c.dep_ == "prep" and c.lower_ == "with" for o in c.children
        if o.dep_ == "pobj"]
    return next((n for n in nouns if n.right_edge.i == verb.i - 1 and not idx.inside(n)
                 and n.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM") and _doer(n)), None)


# Words for a share of a group (`two-thirds of voters`, `one of his aides`), which speaks as people only when it is a
# share of people.
SHARE_WORDS = frozenset({"one", "two", "three", "none", "each", "third", "quarter", "fifth", "tenth", "dozen",
                         "dozens", "hundreds", "thousands", "millions", "number"})


def _of_people(subj: Token) -> bool:
    """`two-thirds of voters`, `one of them`, `half of Democrats`: a share whose `of` names people."""
    return any(obj.dep_ == "pobj" and (can_speak(obj) or obj.lower_ in ("them", "us")
                                       or obj.pos_ == "NOUN" and noun_lemma(obj) in PEOPLE_PLURALS)
               for prep in subj.children if prep.dep_ == "prep" and prep.lower_ == "of" for obj in prep.children)


def _object_speaker(subj: Token, verb: Token) -> bool:
    """Who may praise, urge or accuse without a name: `rival candidates`, `some`, `both`, `the report`, a share of
    people (`two-thirds of voters`, `one of his aides`)."""
    word = subj.lower_
    if subj.dep_ in SUBJECT_DEPS and word in QUANTIFIER_SUBJECTS:
        return True
    if (is_count(subj) or noun_lemma(subj) in SHARE_WORDS) and _of_people(subj):
        return True
    if subj.pos_ == "NOUN" and (subj.lemma_ or word).lower() in NOUN_CUES | EVIDENCE_NOUNS:
        return True  # "the report cited …", "the lawsuit accuses …": a document speaks for its authors
    return subj.pos_ == "NOUN" and subj.tag_ == "NNS" and noun_lemma(subj) in PEOPLE_PLURALS

"""Find reported speech (`X said …`, `according to X`, label lines) in a parsed spaCy ``Doc``."""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from spacy.tokens import Doc, Token

from .cues import (CONFIDENCE, NOT_SPEAKER_ENTS, PERSON_PRONOUNS_SUBJ, QUANTIFIER_SUBJECTS, SUBJECT_DEPS, Attribution,
                   DocIndex, Mention, agent_of, can_speak, cue_and_speaker, is_count, is_cue, lemma_of, mention_of,
                   noun_lemma, opens_with_that, subject_of)
from .lexicon import (ACTION_VERBS, ANONYMOUS_HEADS, CLAUSE_VERBS, COGNITION_VERBS, CONTENT_NOUNS, EVIDENCE_NOUNS,
                      EVIDENCE_VERBS, HOLDER_VERBS, NOT_REPORTING, NOUN_CUES, OBJECT_VERBS, ORGANIZATION_HEADS,
                      PASSIVE_REPORT_VERBS, PERSON_NOUNS, PERSON_TITLES, POLL_NOUNS, REFUSAL_VERBS, REPORT_NOUNS,
                      SPEECH_VERBS, verb_forms, words)
from .marks import Quoted, paragraphs

# One-word labels that speak for what follows them ("Poll: …"): surveys and unnamed groups.
SOURCE_LABELS = EVIDENCE_NOUNS | ANONYMOUS_HEADS
# Conjunctions of a closing clause that sets someone else's view or the writer's fact against what was said.
CONTRAST_MARKS = frozenset({"while", "whereas"})
ASIDE_WORDS = frozenset({"who", "whom", "whose", "which", "where"})


def _before_aside(clause: Token, j: int) -> int:
    """Last token of a reported clause without a closing comma-set relative or appositive (`…, where she grew
    up`, `…, a retired engineer`), contrast (`…, while her rival …`) or participle clause (`…, ending a
    century of …`): the writer's description or comment, not what was said."""
    doc = clause.doc
    for t in clause.subtree:
        if ((t.dep_ == "relcl" and doc[t.left_edge.i].lower_ in ASIDE_WORDS or t.dep_ == "appos" and not _listed(t)
             or t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in t.children)
             or t.dep_ == "advcl" and t.tag_ == "VBG" and t.left_edge.i == t.i)
                and t.right_edge.i == j and t.left_edge.i > clause.i + 1 and doc[t.left_edge.i - 1].text == ","):
            return t.left_edge.i - 2
    return j


def _in_order(tok: Token) -> list[Token]:
    """The tokens of ``tok``'s subtree in text order (spaCy lists a word that a crossing parse moved out of place,
    `what` in `what it was like`, by its place in the tree)."""
    return sorted(tok.subtree, key=lambda t: t.i)


def _listed(appos: Token) -> bool:
    """`differ on taxes, the trade deal and the court`: a phrase the parser took for an apposition that goes on with
    `and` or `or` is the rest of a list."""
    # "…, a banker and former official who …" describes someone: its relative clause says so
    return (any(c.dep_ == "cc" for c in appos.children) and any(c.dep_ == "conj" for c in appos.children)
            and not any(t.dep_ == "relcl" for t in appos.subtree))


def _clause_chars(clause: Token) -> tuple[int, int]:
    toks = _in_order(clause)
    doc = clause.doc
    i, j = toks[0].i, toks[-1].i
    while j > i and doc[j].is_punct and doc[j].text not in "”\"’":
        j -= 1
    j = _before_aside(clause, j)
    while i < j and (doc[i].lower_ in ("that", ",", "whether") or doc[i].dep_ == "mark" and doc[i].lower_ == "for"
                     or doc[i].is_punct and doc[i].text not in "“\"‘"):
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


# Punctuation that closes a sentence part: a clause before it is not what a cue after it reports.
_SEPARATOR = re.compile(r"[:;]|\s[—–]\s|—|--| - ")  # not the en dash of a range ("5–7 percent")
# A colon that ends a lead-in (not that of a time, "8:30"); dashes and semicolons are left alone: they join a
# list or an aside that the source closing the sentence covers too.
_CLAUSE_BREAK = re.compile(r":(?=\s)")

QUESTION_VERBS = frozenset({"ask", "wonder", "question"})


def _asks(verb: Token, clause: Token) -> bool:
    """`asked workers if they planned to …`, `called for the state to act`: a question verb's `if`/`whether`
    clause or a demand's `for … to` clause, which the parser hangs as adverbial."""
    marks = [c.lower_ for c in clause.children if c.dep_ == "mark"]
    lemma = lemma_of(verb)
    return (("whether" in marks and lemma in CLAUSE_VERBS) or ("if" in marks and lemma in QUESTION_VERBS)
            or ("for" in marks and lemma in OBJECT_VERBS and clause.left_edge.i > verb.i))


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


def _before_second_cue(clause: Token, idx: DocIndex) -> int:
    """End of a reported clause before a speech verb the parser coordinated into it (`said he was undergoing
    therapy and vowed to …`, `… and criticized the council`): the second statement is reported by its own verb."""
    doc = clause.doc
    for c in clause.children:
        if (c.dep_ == "conj" and c.i > clause.i and not idx.inside(c) and is_cue(c)
                and not any(s.dep_ in SUBJECT_DEPS for s in c.children)
                and any(k.dep_ in ("ccomp", "xcomp") or k.dep_ == "dobj" and lemma_of(c) in OBJECT_VERBS
                        for k in c.children)):
            cut = c.left_edge.i
            while cut > clause.i + 1 and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            if cut > clause.i:
                return doc[cut - 1].idx + len(doc[cut - 1])
    return len(idx.text)


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
    clauses = [c for c in tok.children if c.dep_ == "ccomp" and not _caused(tok, c) and not _adverbial(c)
               or c.dep_ == "advcl" and _asks(tok, c) or strong and (_gerund_clause(tok, c) or _finite_xcomp(tok, c))]
    if strong and not clauses:
        clauses = _hidden_that_clause(tok)
    # "said X, but that Y": a second reported clause coordinated with the verb, not with the first clause
    more = [c for c in tok.children if c.dep_ == "conj" and c.i > tok.i and not idx.inside(c)
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
            yield gerund.idx, doc[_before_aside(verb, hi)].idx + len(doc[_before_aside(verb, hi)])
    for clause in clauses:
        lo, hi = _clause_chars(clause)
        if gerund is not None and clause.left_edge.i == gerund.right_edge.i + 1:
            lo = gerund.idx  # "said raising the dam was a mistake": the gerund is the clause's subject
        before = [t for t in clause.subtree if t.i < tok.i]
        if before and clause.i > tok.i and all(t.tag_ in ("WDT", "WP") or t.lower_ in RELATIVE_WORDS for t in before):
            # "a wall, which he said the neighbour would pay for": the clause resumes after the cue
            lo = clause.doc[tok.i + 1].idx
        aside = _opening_aside(tok, clause)
        if aside is not None:
            lo = min(lo, aside)
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
        # the clause goes on after the cue (not "X claimed Y complained of …", where the cue ends it)
        if (not idx.inside(head) and head.pos_ in ("VERB", "AUX") and tok.i > head.left_edge.i and rest
                and (tok.i < head.i or tok.dep_ == "parataxis" or _set_off(tok) or _reported_clause(head))):
            lo, hi = _clause_chars(head)
            first, last = _cue_core(tok)
            if (tok.dep_ != "ccomp" and first > head.left_edge.i
                    and tok.doc[first - 1].text == "," == tok.doc[last + 1].text
                    and not any(idx.inside(t) for t in tok.doc[first:last + 1])):
                # what was said goes on on both sides of the cue: one fragment each, the cue in neither; an opening
                # phrase before it ("In any case, she said, …") may be the writer's, the clause's subject is not
                subj = any(c.dep_ in SUBJECT_DEPS and c.i < first for c in head.children) or head.i < first
                yield from _around(tok.doc, first, last, lo, hi, subj)
                return
            if tok.left_edge.i <= head.left_edge.i:
                # "Roe said the plan was dead" parsed with the cue under its clause: what follows the cue,
                # up to a colon, semicolon or dash that ends the sentence part
                k = tok.i + 1
                while k < head.right_edge.i and (tok.doc[k].is_punct or tok.doc[k].lower_ == "that"):
                    k += 1
                lo = max(lo, tok.doc[k].idx)
                cut = _SEPARATOR.search(idx.text, lo, hi)
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
            and not any(c.dep_ == "mark" or c.tag_ == "WRB" for c in verb.children) and not _passive(verb)
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


def _around(doc: Doc, first: int, last: int, lo: int, hi: int, before: bool) -> Iterator[tuple[int, int]]:
    """The parts of the clause ``lo``…``hi`` (characters) before and after an interrupting cue (tokens ``first`` to
    ``last``), each without the commas that set the cue off."""
    j = first - 1
    while j >= 0 and doc[j].is_punct and doc[j].idx >= lo:
        j -= 1
    if before and j >= 0 and doc[j].idx >= lo:
        yield lo, doc[j].idx + len(doc[j])
    k = last + 1
    while k < len(doc) and (doc[k].is_punct or doc[k].lower_ == "that") and doc[k].idx < hi:
        k += 1
    if k < len(doc) and doc[k].idx < hi:
        yield doc[k].idx, hi


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


# Causative verbs: their small clause (`made the plan impossible`) is a result, not a statement.
CAUSE_FORMS = verb_forms(frozenset({"make"}))
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
    if hi - lo < 3 or _SEPARATOR.search(idx.text, doc[lo].idx, doc[hi].idx):
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
    toks = [t for t in _in_order(head) if (t.i > hi if tok.i < head.i else t.i < lo)]
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
        if tok.lower_ in FINDING_FORMS:
            closing = list(_closing_finding(tok, idx))
            if closing:
                yield from closing
                continue
        if tok.lower_ == "in" and tok.dep_ == "prep":
            yield from _in_poll(tok, idx)
            continue
        if tok.pos_ == "NOUN":
            yield from _noun_content(tok, idx)
            continue
        if tok.pos_ == "ADJ" and tok.lower_ in PLAIN_WORDS:
            yield from _made_plain(tok, idx)
            continue
        if not (tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")):
            continue
        if tok.dep_ in SUBJECT_DEPS and any(c.dep_ == "det" and c.i < tok.i for c in tok.children):
            continue  # "the Gold Star parents, whose …, say": a noun the tagger took for a verb
        lemma = lemma_of(tok)
        if lemma in PASSIVE_REPORT_VERBS and _passive(tok):
            by = _reported_by(tok, idx)
            if by is not None:
                yield by
                continue
        strong = lemma in CLAUSE_VERBS
        source = _evidence_source(tok, idx) if lemma in EVIDENCE_VERBS else None
        evidence = source is not None or lemma in EVIDENCE_VERBS and lemma not in SOURCE_VERBS and _finding(tok, idx)
        act = ACT_FORMS.get(tok.lower_)
        skip = not (strong or evidence) and (lemma in NOT_REPORTING or tok.lower_ in NOT_REPORTING
                                             or tok.lower_ in ACTION_VERBS or tok.pos_ == "AUX")
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
            spans = list(_finding_object(tok, idx))
        if not spans and (lemma in OBJECT_VERBS or lemma in TOPIC_VERBS or lemma in REFUSAL_VERBS or evidence
                          or lemma in NAMING_VERBS):
            spans = list(_object_content(tok, idx))
            method = "reported_object"
        if source is not None:
            method = "reported_finding"
        if not spans and (lemma in SAID_THING_VERBS or lemma in CONTENT_PREPS):
            spans = list(_said_thing(tok, idx))
            method = "reported_object"
        if not spans and act is not None:
            spans = list(_act_content(tok, act, idx))
            method = "reported_object"
        if lemma in QUESTION_VERBS and _passive(tok):
            # "Asked whether …, she said": the one asked did not say it; a named asker did ("asked by a reporter")
            yield from _asked_by(tok, spans, method, idx)
            continue
        if not spans:
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
            if (end - start < 8 and (start, end) != short) or _quoted_share(start, end, quoted) > 0.6:
                continue
            if start <= tok.idx < end and tok.dep_ not in ("parataxis", "ccomp"):
                continue
            if end <= tok.idx and _SEPARATOR.search(idx.text, end, tok.idx):
                continue  # "The plan is dead: she resigned": a clause set off by a colon or dash is not reported
            if end <= tok.idx and start <= subj.idx < end:
                continue  # "Roe, a lawyer helping the family, said …": the speaker and her aside, read as a clause
            yield Attribution(start, end, "indirect", mention_of(subj, idx), tok.i, method, CONFIDENCE[method])


# Verbs of directing someone to act (`ordered the firm to pay`), of committing oneself (`offered to resign`) and
# of holding an object as something (`sees the vote as a test`): each reports only in that layout.
DIRECTIVE_VERBS = words("directive_verbs")
COMMISSIVE_VERBS = words("commissive_verbs")
VIEWING_VERBS = words("viewing_verbs")
ACT_FORMS = verb_forms(DIRECTIVE_VERBS | COMMISSIVE_VERBS | VIEWING_VERBS)


def _infinitive(tok: Token) -> bool:
    """A `to` infinitive (`to pay`)."""
    return tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _act_content(verb: Token, act: str, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`ordered the firm to pay a fine`, `offered to resign`, `sees the vote as a test of her record`: the object
    with its infinitive, the infinitive, or the object with its `as` phrase; nothing in any other layout (`invited
    guests`, `offered a discount`, `saw the film`) or in the passive, whose subject is not the speaker."""
    if _passive(verb):
        return
    obj = next((c for c in verb.rights if c.dep_ == "dobj" and not idx.inside(c)), None)
    if act in DIRECTIVE_VERBS:
        ok = obj is not None and any(c.dep_ == "xcomp" and c.i > obj.i and _infinitive(c) for c in verb.rights)
    elif act in COMMISSIVE_VERBS:
        ok = obj is None and any(c.dep_ == "xcomp" and _infinitive(c) for c in verb.rights)
    elif obj is not None:
        ok = any(c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i for c in list(verb.rights) + list(obj.rights))
        # "sees the mayor as captured by donors": an `as` the parser took for the conjunction of a clause (one with
        # a subject of its own, "saw the hall as she drove past", tells when)
        clause = next((c for c in verb.rights if c.dep_ == "advcl" and c.left_edge.i == obj.right_edge.i + 1
                       and c.left_edge.lower_ == "as" and not idx.inside(c)
                       and not any(k.dep_ in SUBJECT_DEPS for k in c.children)), None)
        if not ok and clause is not None:
            doc = verb.doc
            hi = _before_aside(clause, clause.right_edge.i)
            while hi > clause.i and doc[hi].is_punct:
                hi -= 1
            yield obj.left_edge.idx, doc[hi].idx + len(doc[hi])
            return
    else:
        ok = False
    if ok:
        yield from _object_content(verb, idx)


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
        return verb.head if not idx.inside(verb.head) and _speaks(verb.head) else None
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


def _viewer(subj: Token) -> bool:
    """`investors see the deal as a risk`, `some view it as …`, `voters, who saw him as …`: people in the plural, a
    quantifier or a relative `who` hold a view of something as something (a thing does not)."""
    return (_relative_who(subj) or subj.dep_ == "nsubj" and (subj.tag_ == "NNS" and subj.pos_ == "NOUN"
                                                             or subj.lower_ in QUANTIFIER_SUBJECTS | {"those"}))


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
        if end - start < 8 or _quoted_share(start, end, idx.quoted) > 0.6 or start <= verb.idx < end:
            continue
        if end <= verb.idx and _SEPARATOR.search(idx.text, end, verb.idx):
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
    hi = _before_aside(verb, hi)
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
        toks = [t for t in _in_order(subj) if not t.is_punct or t.i < subj.right_edge.i]
        lo, hi = toks[0].idx, toks[-1].idx + len(toks[-1])
    elif any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) and verb.dep_ == "advcl" \
            and _comma_between(verb):
        lo, hi = _beside(verb, idx)
    else:
        return None
    if hi - lo < 8 or _quoted_share(lo, hi, idx.quoted) > 0.6:
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


# Common nouns for people by trade, role, leaning or kin (`donors`, `a tycoon`, `his wife`), which speak without a name.
PEOPLE_NOUNS = words("people_nouns") | words("kinship_nouns")
# Common nouns for people whose plural speaks for itself (`senators`, `critics`), less the title words that are
# places, fields or blocs in the plural (`states`, `houses`, `majorities`).
PEOPLE_PLURALS = (PERSON_NOUNS | PEOPLE_NOUNS) - {"state", "house", "press", "home", "trade", "economy", "finance",
                                                  "interior", "majority", "minority"}


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


OBJECT_DEPS = frozenset({"dobj", "xcomp", "pcomp", "oprd"})
OBJECT_PREPS = frozenset({"about", "for", "of", "on", "with", "against", "to", "as"})
# Verbs whose object is only who was addressed: they report something with an order (`told X to …`).
ORDER_VERBS = frozenset({"tell"})
# Verbs of pointing out, which report only with a subject of their own (`she pointed to the deficit`).
EVIDENCE_POINTERS = frozenset({"point"})
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
        hi = _before_aside(topic, topic.right_edge.i)
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


# Verbs that raise a concern or a question, but also money (`raised $4 million`).
RAISING_VERBS = frozenset({"raise"})


def _object_content(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`Trump urged supporters to monitor polling places`: what a communication verb takes as its object."""
    if lemma_of(verb) in TOPIC_VERBS:
        yield from _topic(verb, idx)
        return
    passive = _passive(verb)
    # "was mocked as …", "was reported to have fled": what is said of the passive's subject, who is not the speaker
    medium = lemma_of(verb) in MEDIUM_VERBS
    parts = [c for c in verb.rights if not idx.inside(c) and (
        c.dep_ in OBJECT_DEPS and not (passive and c.dep_ == "xcomp")
        or (c.dep_ == "prep" and c.lower_ in OBJECT_PREPS and not (passive and c.lower_ == "as")
            and not (medium and not _written_topic(c))))]
    if not parts:
        return
    named = _names(verb, parts)
    if not named and lemma_of(verb) in NAMING_VERBS - OBJECT_VERBS:
        return  # "branded goods": only a name given to an object is said
    refusal = _refusal(verb, parts)
    if refusal is None and lemma_of(verb) in REFUSAL_VERBS and lemma_of(verb) not in OBJECT_VERBS:
        return  # "refused to pay" is an act; only "refused to comment" reports
    if lemma_of(verb) in EVIDENCE_POINTERS and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return  # "…, pointing to the attack as an example": the writer's evidence as often as the subject's words
    if lemma_of(verb) in RAISING_VERBS and parts[0].dep_ == "dobj" and parts[0].ent_type_ == "MONEY":
        return  # "donors raised $4 million": money raised, not a concern raised (a sum proposed is still a proposal)
    if lemma_of(verb) in ORDER_VERBS and not any(c.dep_ == "xcomp" for c in parts):
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
    hi = _before_aside(last, hi)
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
            hi = max(hi, _before_aside(more, end))
    hi = _infinitive_list_end(verb, lo, hi)
    # "condemned the attacks" reports nothing worth keeping: three words or more (with where it was said), but
    # "declined to comment" and "called them cowards"
    if told - lo >= 2 or refusal is not None or named and told > lo or lemma_of(verb) in CITING_VERBS:
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


def _names(verb: Token, parts: Sequence[Token]) -> bool:
    """`called them cowards`, `branded the law as a land grab`: a naming verb with an object and the complement
    it gives that object (not one in quotation marks, which is a quote of its own)."""
    return (lemma_of(verb) in NAMING_VERBS and any(c.dep_ == "dobj" for c in parts)
            and any(c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" for c in parts))


def _infinitive_list_end(verb: Token, lo: int, hi: int) -> int:
    """`urged the party to cut fees, expand coverage and hire staff`: bare infinitives the parser coordinated with
    the finite cue rather than with the infinitive of its object go on with the object; the last one's end."""
    doc = verb.doc
    if verb.tag_ == "VB" or not any(t.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                                    for t in doc[lo:hi + 1]):
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
            hi = _before_aside(c, end)
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


def _said_thing(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`explained his reasoning for the veto`, `hinted at a run for governor`: a saying verb's object, or the phrase
    after its content preposition, of two words or more."""
    if _passive(verb):
        return
    preps = CONTENT_PREPS.get(lemma_of(verb), frozenset())
    part = next((c for c in verb.rights if not idx.inside(c) and (
        c.dep_ == "dobj" and lemma_of(verb) in SAID_THING_VERBS or c.dep_ == "prep" and c.lower_ in preps)), None)
    if part is None:
        return
    toks = [t for t in _in_order(part) if t.i > part.i] if part.dep_ == "prep" else _in_order(part)
    if not toks:
        return
    doc = verb.doc
    lo, hi = toks[0].i, _before_aside(part, toks[-1].i)
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
    toks = _in_order(inf)
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
    toks = [t for t in _in_order(about) if t.i > about.i]
    # a phrase, or a bare subject ("talks about immigration"); not "the case", which points back to the story
    if len(toks) >= 3 or len(toks) == 1 and toks[0].pos_ == "NOUN":
        hi = _before_aside(about, toks[-1].i)
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
    if (noun.lemma_ or noun.lower_).lower() in EVIDENCE_NOUNS or noun.lower_ in EVIDENCE_NOUNS:
        return True
    return noun.pos_ == "NOUN" and noun_lemma(noun) in EVIDENCE_COLLECTIONS and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(
            o.dep_ == "pobj" and ((o.lemma_ or o.lower_).lower() in EVIDENCE_NOUNS or o.lower_ in EVIDENCE_NOUNS)
            for o in c.children) for c in noun.children)


def _evidence_source(verb: Token, idx: DocIndex) -> Token | None:
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


def _closing_finding(verb: Token, idx: DocIndex) -> Iterator[Attribution]:
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
    if (hi - lo >= 3 and not idx.inside(doc[hi]) and not _SEPARATOR.search(idx.text, doc[lo].idx, doc[hi].idx)
            and any(t.pos_ in ("VERB", "AUX") for t in doc[lo:hi + 1])):  # a clause, not "Last year, records show, …"
        spans.append((doc[lo].idx, doc[hi].idx + len(doc[hi])))
    if after is not None and after.text == ",":
        k = after.i + 1
        end = sent.end - 1
        while end > k and doc[end].is_punct:
            end -= 1
        cut = _SEPARATOR.search(idx.text, doc[k].idx, doc[end].idx + len(doc[end])) if end > k else None
        # not "…, records show, and experts say …": the sentence goes on with something else
        if end - k >= 3 and doc[k].pos_ not in ("CCONJ", "ADP") and not cut:
            spans.append((doc[k].idx, doc[end].idx + len(doc[end])))
    mention = Mention(j, verb.i, noun.i)
    for start, end in spans:
        if _quoted_share(start, end, idx.quoted) <= 0.6:
            yield Attribution(start, end, "indirect", mention, verb.i, "reported_finding",
                              CONFIDENCE["reported_finding"])


# What may carry a finding's object on (`showed her ahead by nine points`, `puts his support at 5 percent`).
SMALL_CLAUSE_DEPS = frozenset({"prep", "advmod", "npadvmod", "acomp", "oprd", "amod", "ccomp", "advcl"})


def _finding_object(verb: Token, idx: DocIndex) -> Iterator[tuple[int, int]]:
    """`The poll shows the mayor ahead by nine points`: the object of an evidence verb with what carries it on."""
    obj = next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "oprd") and not idx.inside(c)), None)
    if obj is None:
        return
    doc = verb.doc
    lo = obj.left_edge.i
    hi = _before_aside(obj, _finding_end(verb, obj, idx))
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
        if c.dep_ == "advcl" and any(k.dep_ == "mark" for k in c.children) or _SEPARATOR.search(
                idx.text, doc[hi].idx, c.left_edge.idx):
            break
        if doc[c.left_edge.i - 1].text == "," and not (c.dep_ == "prep" and c.lower_ == "with" or c.tag_ == "VBG"
                                                          or c.tag_ == "VBN" and c.dep_ == "advcl"):
            break  # after a comma only a `with` phrase or a participle goes on with the figures
        hi = c.right_edge.i
    while hi > part.left_edge.i and doc[hi].is_punct:
        hi -= 1
    return hi


def _finding(verb: Token, idx: DocIndex) -> bool:
    """`The authors found that …`, `Footage shows that …`: an evidence verb with a `that` clause reports a finding,
    whoever or whatever its subject."""
    return any(c.dep_ == "ccomp" and c.i > verb.i and opens_with_that(c)
               for c in verb.children)


def _in_poll(tok: Token, idx: DocIndex) -> Iterator[Attribution]:
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


def _according(tok: Token, idx: DocIndex) -> Iterator[Attribution]:
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
    toks = [t for t in _in_order(head) if t.i not in skip and idx.same_sentence(t, tok)]
    if not toks:
        return
    # the clause is on one side of "according to X": keep the side with the head verb
    if head.i > tok.i:
        toks = [t for t in toks if t.i > max(max(skip), lead)]
    else:
        toks = [t for t in toks if t.i < min(skip)]
        # "The tax did not scare banks away: London led the world, according to X": only the part the source closes
        cuts = list(_CLAUSE_BREAK.finditer(idx.text, toks[0].idx, tok.idx)) if toks else []
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
    if _quoted_share(start, end, idx.quoted) > 0.6:
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
        toks = [t for t in _in_order(head) if t.i < tok.i and idx.same_sentence(t, tok)]
    elif (head.dep_ in SUBJECT_DEPS and head.head.i > last and head.head.pos_ in ("VERB", "AUX")
          and not idx.inside(head.head)):
        toks = [t for t in _in_order(head.head) if t.i > last and idx.same_sentence(t, tok)]
    else:
        return
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    if not toks or any(idx.inside(t) for t in toks):
        return
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    if end - start >= 8 and not _SEPARATOR.search(idx.text, start, end):
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
# The ones that still name the topic when the parser hangs them on the verb, not a place, time or manner.
VERB_HELD_PREPS = frozenset({"about", "over", "for", "to", "against", "regarding", "concerning"})
# Adjectives with which `make` reports a clause: `Roe made (it) clear that …`.
PLAIN_WORDS = frozenset({"clear", "plain"})
# Prepositions through which a verb's subject carries a statement noun (`won votes with promises to …`).
CARRIER_PREPS = frozenset({"with", "on"})
COPULAS = frozenset({"is", "was", "are", "were"})


def _speaks(tok: Token) -> bool:
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
            return c if _speaks(c) else None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of") and c.i > noun.i:
            obj = next((o for o in c.children if o.dep_ == "pobj" and not idx.inside(o)), None)
            if obj is not None and (_speaks(obj) if c.lower_ != "of" else obj.ent_type_ in ("PERSON", "ORG")):
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
    return subj if subj is not None and _speaks(subj) and subj.tag_ not in ("WDT", "WP") else None


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
    it shares with a verb it is coordinated with or relative to (`Roe, who voiced concern …`, `… and made clear`)."""
    subj = _speaking_subject(verb, idx) or _raising_subject(verb, idx)
    if subj is not None or verb.dep_ not in ("conj", "relcl"):
        return subj
    found = cue_and_speaker(verb, idx)
    if found is None or idx.inside(found[1]) or not (_speaks(found[1]) or found[1].lower_ == "who"):
        return None
    return found[1]


def _negated(verb: Token, noun: Token | None = None) -> bool:
    """`did not make clear`, `made no mention of`: a denied act is no statement."""
    return (any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in verb.children)
            or noun is not None and any(c.lower_ == "no" for c in noun.children))


def _made_plain(adj: Token, idx: DocIndex) -> Iterator[Attribution]:
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
    start, end = _clause_chars(clause)
    if end - start < 8 or _quoted_share(start, end, idx.quoted) > 0.6:
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
    start, end = _clause_chars(obj)
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


def _noun_content(noun: Token, idx: DocIndex) -> Iterator[Attribution]:
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
        spans.append(_clause_chars(clause))
    else:
        inf = next((c for c in noun.children if c.dep_ == "acl" and c.i > noun.i and c.tag_ == "VB"
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
        if inf is not None:
            spans.append(_clause_chars(inf))
        elif word in DEMAND_NOUNS:
            prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for" and c.i > noun.i), None)
            toks = [t for t in _in_order(prep) if t.i > prep.i] if prep is not None else []
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
        if end - start < 8 or _quoted_share(start, end, idx.quoted) > 0.6 or start <= noun.idx < end:
            continue
        yield Attribution(start, end, "indirect", mention_of(holder, idx), noun.i, "reported_noun",
                          CONFIDENCE["reported_noun"])


def _judged(noun: Token) -> bool:
    """`Roe dismissed Doe's claim that …`: a statement noun that a verb of saying takes as its object is what
    that verb's subject says about it, and reported there."""
    verb = noun.head
    return (noun.dep_ == "dobj" and verb.i != noun.i and HOLDER_VERB_FORMS.get(verb.lower_) not in HOLDER_VERBS
            and is_cue(verb) and any(c.dep_ in SUBJECT_DEPS for c in verb.children))

"""Shared pieces of reported clauses: where a clause ends, its characters, how much of it is quoted."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Sequence

from spacy.tokens import Token

from .lexicon import PERSON_NOUNS, verb_forms, words
from .marks import Quoted

# Conjunctions of a closing clause that sets someone else's view or the writer's fact against what was said.
CONTRAST_MARKS = frozenset({"while", "whereas"})
ASIDE_WORDS = frozenset({"who", "whom", "whose", "which", "where"})


def before_aside(clause: Token, j: int, subtree: Sequence[Token] | None = None) -> int:
    """Last token of a reported clause without a closing comma-set relative or appositive (`…, where she grew
    up`, `…, a retired engineer`), contrast (`…, while her rival …`) or participle clause (`…, ending a
    century of …`): the writer's description or comment, not what was said."""
    doc = clause.doc
    for t in clause.subtree if subtree is None else subtree:
        if ((t.dep_ == "relcl" and t.left_edge.lower_ in ASIDE_WORDS or t.dep_ == "appos" and not _listed(t)
             or t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in t.children)
             or t.dep_ == "advcl" and t.tag_ == "VBG" and t.left_edge.i == t.i)
                and t.right_edge.i == j and t.left_edge.i > clause.i + 1 and doc[t.left_edge.i - 1].text == ","):
            return t.left_edge.i - 2
    return j


def in_order(tok: Token) -> list[Token]:
    """The tokens of ``tok``'s subtree in text order (spaCy lists a word that a crossing parse moved out of place,
    `what` in `what it was like`, by its place in the tree)."""
    return sorted(tok.subtree, key=lambda t: t.i)


def _listed(appos: Token) -> bool:
    """`differ on taxes, the trade deal and the court`: a phrase the parser took for an apposition that goes on with
    `and` or `or` is the rest of a list."""
    # "…, a banker and former official who …" describes someone: its relative clause says so
    return (any(c.dep_ == "cc" for c in appos.children) and any(c.dep_ == "conj" for c in appos.children)
            and not any(t.dep_ == "relcl" for t in appos.subtree))


def clause_chars(clause: Token, subtree: Sequence[Token] | None = None) -> tuple[int, int]:
    """The characters of ``clause`` (whose ``subtree`` a caller may have listed) without its edge punctuation,
    conjunction and closing aside."""
    # one walk of the subtree serves both ends and the aside, and each edge token is made once: a Token is
    # built anew on every indexing of the Doc
    subtree = list(clause.subtree) if subtree is None else subtree
    doc = clause.doc
    i = min(t.i for t in subtree)
    j = max(t.i for t in subtree)
    last = doc[j]
    while j > i and last.is_punct and last.text not in "”\"’":
        j -= 1
        last = doc[j]
    j = before_aside(clause, j, subtree)
    first = doc[i]
    while i < j and (first.lower_ in ("that", ",", "whether") or first.dep_ == "mark" and first.lower_ == "for"
                     or first.is_punct and first.text not in "“\"‘"):
        i += 1
        first = doc[i]
    last = doc[j]
    while j > i and last.is_punct and last.text not in "”\"’":
        j -= 1
        last = doc[j]
    if j + 1 < len(doc) and doc[j + 1].text in ("”", '"'):
        inner = doc[i:j + 1].text
        if inner.count("“") > inner.count("”") or inner.count('"') % 2:
            j += 1  # the closing mark of a quote that ends the clause, which the parser hung elsewhere
            last = doc[j]
    return first.idx, last.idx + len(last)


def quoted_share(start: int, end: int, quoted: Sequence[Quoted]) -> float:
    """The share of ``start:end`` that lies inside the quoted spans."""
    index = _span_index(quoted)
    if index is None:  # spans out of order: look at every one
        inside = 0
        for q in quoted:
            lo, hi = max(start, q.start), min(end, q.end)
            if hi > lo:
                inside += hi - lo
        return inside / max(1, end - start)
    starts, ends = index
    inside = 0
    # spans in text order, ends in order too: only those from the first ending after ``start`` to the
    # last starting before ``end`` can overlap (a bisection each, not a pass over a long document's quotes)
    for k in range(bisect_right(ends, start), bisect_left(starts, end)):
        lo, hi = max(start, starts[k]), min(end, ends[k])
        if hi > lo:
            inside += hi - lo
    return inside / max(1, end - start)


#: The span sequences quoted_share indexed last, by identity: id -> (the sequence, its length and end spans,
#: their starts and ends or None when out of order). A document's quotes come as two lists (the rules' and the
#: index's), asked about for every clause.
_indexed: dict[int, tuple] = {}
_INDEXED_KEPT = 4


def _span_index(quoted: Sequence[Quoted]) -> tuple[list[int], list[int]] | None:
    """Starts and ends of ``quoted`` for bisection (kept for the document's next call), or None when the
    spans are not in order of both."""
    # no pass over a sequence seen before: on a long document's thousands of quotes, that made every call
    # cost as much as the document
    shape = (len(quoted), quoted[0], quoted[-1]) if quoted else (0,)
    kept = _indexed.get(id(quoted))
    if kept is None or kept[0] is not quoted or kept[1] != shape:
        starts = [q.start for q in quoted]
        ends = [q.end for q in quoted]
        ordered = all(a <= b for a, b in zip(starts, starts[1:])) and all(a <= b for a, b in zip(ends, ends[1:]))
        if len(_indexed) >= _INDEXED_KEPT:
            _indexed.clear()
        kept = _indexed[id(quoted)] = (quoted, shape, (starts, ends) if ordered else None)
    return kept[2]


# Punctuation that closes a sentence part: a clause before it is not what a cue after it reports.
SEPARATOR = re.compile(r"[:;]|\s[—–]\s|—|--| - ")  # not the en dash of a range ("5–7 percent")
# A colon that ends a lead-in (not that of a time, "8:30"); dashes and semicolons are left alone: they join a
# list or an aside that the source closing the sentence covers too.
CLAUSE_BREAK = re.compile(r":(?=\s)")


def is_passive(verb: Token) -> bool:
    """`was asked`, `when asked`, `Asked about …`: a participle with no subject of its own, or a passive."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    if verb.tag_ in ("VBN", "VBD") and verb.dep_ == "advcl" and any(
            c.lower_ in ("when", "if", "after", "once", "as") for c in verb.children):
        return not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)  # "when asked what …" (tagged VBD)
    return verb.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "aux") for c in verb.children)


# Causative verbs: their small clause (`made the plan impossible`) is a result, not a statement.
CAUSE_FORMS = verb_forms(frozenset({"make"}))


def infinitive(tok: Token) -> bool:
    """A `to` infinitive (`to pay`)."""
    return tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


# Common nouns for people by trade, role, leaning or kin (`donors`, `a tycoon`, `his wife`), which speak without a name.
PEOPLE_NOUNS = words("people_nouns") | words("kinship_nouns")
# Common nouns for people whose plural speaks for itself (`senators`, `critics`), less the title words that are
# places, fields or blocs in the plural (`states`, `houses`, `majorities`).
PEOPLE_PLURALS = (PERSON_NOUNS | PEOPLE_NOUNS) - {"state", "house", "press", "home", "trade", "economy", "finance",
                                                  "interior", "majority", "minority"}
# Verbs whose object is only who was addressed: they report something with an order (`told X to …`).
ORDER_VERBS = frozenset({"tell"})
# Verbs of pointing out, which report only with a subject of their own (`she pointed to the deficit`).
EVIDENCE_POINTERS = frozenset({"point"})

"""Interview transcripts in question-and-answer form: each answer credited to the one interviewed."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from spacy.tokens import Token

from .attributions import CONFIDENCE, Attribution, Mention
from .cues import PERSON_PRONOUNS_SUBJ, DocIndex, lemma_of, mention_of, noun_lemma
from .layouts import clip_at_comma
from .marks import paragraphs

# Labels opening a question paragraph (`Q: …`, `Q. …`, `Question: …`) or an answer (`A: …`, `A. …`, `Answer: …`).
QUESTION_LABEL = re.compile(r"(?:Q|Question|QUESTION)[ \t]?[:.][ \t\u00a0]+(?=\S)")
ANSWER_LABEL = re.compile(r"(?:A|Answer|ANSWER)[ \t]?[:.][ \t\u00a0]+(?=\S)")
# Verbs that say someone gave an interview (`X spoke with the Gazette`, `X sat down with us`, `X told the paper`).
INTERVIEW_VERBS = frozenset({"speak", "talk", "sit", "chat", "tell"})
# Nouns whose `with` phrase is the one interviewed (`in an interview with X`, `Q&A with X`).
INTERVIEW_NOUNS = frozenset({"interview", "conversation", "chat", "q&a"})
# Who asks the questions: the outlet's people, never the one answering (`X spoke with senior writer Y`).
INTERVIEWER_NOUNS = frozenset({"reporter", "writer", "editor", "correspondent", "columnist", "journalist", "host",
                               "anchor", "interviewer", "staff", "board", "newspaper", "paper", "magazine",
                               "newsroom", "network", "station"})
INTERVIEWER_PRONOUNS = frozenset({"we", "us", "i", "me"})
# A word of the first person, which an interviewee's answers use and an explainer's rarely do.
FIRST_PERSON = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Ww]e|[Uu]s|[Oo]ur)\b")
# Unlabelled questions: a transcript has at least this many paragraphs that are one question of at most
# BARE_QUESTION_WORDS words, answered mostly in the first person (an article may ask a question of its own).
MIN_BARE_QUESTIONS = 2
BARE_QUESTION_WORDS = 30
# An answer shorter than this (`A: Yes.`) says nothing without its question.
ANSWER_MIN_WORDS = 3
# Above this share of quoted characters, an answer's quotes (already extracted) are what it says.
QUOTED_SHARE_MAX = 0.6


def interview_answers(idx: DocIndex) -> Iterator[Attribution]:
    """Yield each answer paragraph of a Q-and-A transcript, credited to the interviewee.

    The questions are left out: they are the outlet's own words (often a paraphrase of the interviewee's
    story, `You suffered from depression`), so listing them in a who-said-what database, credited or not,
    would put words in nobody's mouth and swell full-text search with the interviewer's phrasing."""
    answers = list(_answer_spans(idx.text))
    if not answers:
        return
    if not QUESTION_LABEL.search(idx.text) and 2 * sum(
            bool(FIRST_PERSON.search(idx.text, start, end)) for _, start, end in answers) < len(answers):
        return  # unlabelled questions answered mostly not in the first person: an explainer's, or the writer's
    first_question = answers[0][0]
    mention = _stated_interviewee(idx, first_question)
    if mention is None and any(FIRST_PERSON.search(idx.text, start, end) for _, start, end in answers):
        # with nobody said to be interviewed, only answers in the first person show one: an explainer's
        # `Q: What is the filibuster? A: A Senate rule …` is the outlet answering its own questions
        mention = _most_named(idx, first_question)
    if mention is None:
        return
    for _, start, end in answers:
        if len(idx.text[start:end].split()) < ANSWER_MIN_WORDS or _quoted_share(start, end, idx) > QUOTED_SHARE_MAX:
            continue
        yield Attribution(start, end, "indirect", mention, None, "interview_answer", CONFIDENCE["interview_answer"])


def _answer_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(start of the run's first question, start, end) of each answer paragraph's text after its label, and of the
    unlabelled paragraphs that carry an answer on before the next question. Without labels, questions are
    paragraphs of one short question each (MIN_BARE_QUESTIONS of them at least), and the paragraph after each
    opens its answer."""
    spans = list(paragraphs(text))
    bare = not any(QUESTION_LABEL.match(text, lo, hi) for lo, hi in spans)
    if bare and sum(_bare_question(text, lo, hi) for lo, hi in spans) < MIN_BARE_QUESTIONS:
        return
    run_start: int | None = None
    state = ""  # "question" or "answer" once a question opened the run
    pending: list[tuple[int, int]] = []  # unlabelled paragraphs after an answer, kept once another question follows
    for lo, hi in spans:
        if _bare_question(text, lo, hi) if bare else QUESTION_LABEL.match(text, lo, hi):
            if state == "answer":
                for start, end in pending:
                    yield run_start, start, end
            run_start = lo if run_start is None else run_start
            state, pending = "question", []
            continue
        m = None if bare else ANSWER_LABEL.match(text, lo, hi)
        if (m or bare and state == "question") and state:  # an `A:` with no question before it is not an answer
            for start, end in pending:
                yield run_start, start, end
            state, pending = "answer", []
            yield run_start, m.end() if m else lo, hi
        elif state == "answer":
            pending.append((lo, hi))


def _bare_question(text: str, lo: int, hi: int) -> bool:
    """A paragraph that is one short question and nothing else, no quote in it (`Why ban cars?`)."""
    para = text[lo:hi].strip()
    return (para.endswith("?") and len(para.split()) <= BARE_QUESTION_WORDS and not any(c in para for c in '"“”')
            and not any(mark in para[:-1] for mark in ".!?"))


def _quoted_share(start: int, end: int, idx: DocIndex) -> float:
    inside = sum(max(0, min(end, q.end) - max(start, q.start)) for q in idx.quoted)
    return inside / max(1, end - start)


def _stated_interviewee(idx: DocIndex, before: int) -> Mention | None:
    """Who the text before the first question says was interviewed (`X spoke with the Gazette`)."""
    doc = idx.doc
    for tok in doc:
        if tok.idx >= before:
            break
        found = _interviewed(tok)
        if found is not None:
            return clip_at_comma(mention_of(found, idx), doc)  # "X, 40, in an interview with …": the name
    return None


def _most_named(idx: DocIndex, before: int) -> Mention | None:
    """The person named most often, among those named before the questions if any are."""
    doc = idx.doc
    people = [e for e in doc.ents if e.label_ == "PERSON" and not _institution(e.root)]
    if not people:
        return None
    # every use of a surname counts, tagged or not: the recogniser misses many a surname standing alone
    surnames = {_surname(e.root) for e in people}
    counts = Counter(w for t in doc if (w := _surname(t)) in surnames)
    introduced = {_surname(e.root) for e in people if e.start_char < before}
    # the interviewee is introduced before the questions; the answers may name others more often
    pool = [e for e in people if _surname(e.root) in introduced] or people
    best = max(pool, key=lambda e: (counts[_surname(e.root)], -e.start))
    return Mention(best.start, best.end, best.root.i)


def _institution(tok: Token) -> bool:
    """`the Gazette`, `the Tribune`: a name with the definite article is a title, not a person's name, whatever the
    recogniser tagged it."""
    return tok.pos_ == "PROPN" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


def _surname(tok: Token) -> str:
    return tok.text.removesuffix("'s").removesuffix("’s")  # case kept: the surname "Will" is not "will"


def _interviewed(tok: Token) -> Token | None:
    """The one interviewed, when ``tok`` is a word that says so: `X spoke with the Gazette`, `the Gazette spoke with
    X`, `X told the paper`, `in an interview with X`, `interviewed X`, `X was interviewed`."""
    if tok.pos_ == "VERB" and lemma_of(tok) == "interview":  # "the Gazette interviewed X", "X was interviewed"
        return next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and _interviewee_like(c)), None)
    if tok.pos_ in ("NOUN", "PROPN") and noun_lemma(tok) in INTERVIEW_NOUNS:
        targets = _partners(tok)
        if not any(_interviewee_like(t) for t in targets) and any(_interviewer(t) for t in targets):
            # "In an interview with the Tribune, X talked about …": the one whose clause it frames
            targets = _clause_subjects(tok)
        return next((t for t in targets if _interviewee_like(t)), None)
    if tok.pos_ not in ("VERB", "AUX") or lemma_of(tok) not in INTERVIEW_VERBS:
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    # "X told the paper": the one told; "X spoke with the Gazette", "X sat down with a reporter": the one met
    partners = ([c for c in tok.children if c.dep_ in ("dobj", "dative")] if lemma_of(tok) == "tell"
                else _partners(tok))
    if subj is not None and _interviewee_like(subj) and any(_interviewer(p) for p in partners):
        return subj
    if subj is not None and _interviewer(subj):
        return next((p for p in partners if _interviewee_like(p)), None)  # "the Gazette spoke with X"
    return None


def _clause_subjects(tok: Token) -> list[Token]:
    """The subjects of the verb that a phrase around ``tok`` hangs from."""
    head = tok
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return [c for c in head.children if c.dep_ == "nsubj"]


def _partners(tok: Token) -> list[Token]:
    """The nouns of ``tok``'s `with` or `to` phrases (`an interview with X`, `spoke to the paper`)."""
    return [o for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "to")
            for o in c.children if o.dep_ == "pobj"]


def _interviewee_like(tok: Token) -> bool:
    """A person who could have answered: a name or a personal pronoun, not the outlet or its reporter."""
    if _interviewer(tok):
        return False
    return tok.ent_type_ == "PERSON" or tok.lower_ in PERSON_PRONOUNS_SUBJ or tok.lower_ in ("him", "her")


def _interviewer(tok: Token) -> bool:
    """The outlet or its journalist: `we`, `the Gazette`, `senior writer Jane Roe`."""
    if tok.lower_ in INTERVIEWER_PRONOUNS or tok.ent_type_ == "ORG" or _institution(tok):
        return True
    return any(noun_lemma(t) in INTERVIEWER_NOUNS for t in tok.subtree if t.i <= tok.i)

"""Bounded work for any input: long runs without a space tokenized in slices, and a time budget per article.

spaCy's tokenizer peels prefixes and suffixes off a run of non-space characters one at a time, each time
copying and searching the rest of the run: a run of 20,000 quotation marks took 51 s, 100 KB of them
15 minutes. Runs longer than RUN_CHARS (no word or URL is that long; the longest in the evaluation texts
is 39) are tokenized in slices of that length and the slices' Docs joined, so the cost is linear in the
length; texts without such a run are tokenized exactly as before.

Whatever else an article holds, its extraction gets a time budget (``time_budget``): past it, the
article fails with a one-line error and the batch goes on.
"""
from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from spacy.language import Language
from spacy.tokens import Doc

#: Most marks (characters that are neither letters, digits nor spaces) allowed between two letters or
#: digits: a text with more is refused before parsing. Nobody writes such a run; parsing one costs the
#: parser half a millisecond a mark with nothing to find (100,000 quotation marks: 55 s). The evaluation
#: texts have at most 7.
MAX_MARK_RUN = 1_000
_NO_WORD_RUN = re.compile(rf"[\W_]{{{MAX_MARK_RUN + 1},}}")

#: Longest run of non-space characters tokenized whole.
RUN_CHARS = 400
_LONG_RUN = re.compile(rf"\S{{{RUN_CHARS + 1},}}")

#: Seconds one article's extraction (parse and rules) may take, unless QUOTES_TIME_LIMIT or --time-limit
#: say otherwise: an ordinary article takes a fraction of a second, a 1,000,000-character one about 100 s.
DEFAULT_TIME_LIMIT = 300.0
TIME_LIMIT_ENV = "QUOTES_TIME_LIMIT"


class OverBudget(Exception):
    """An article's extraction took longer than its time budget."""


def time_limit(value: float | None = None) -> float:
    """The per-article time budget in seconds: ``value``, else QUOTES_TIME_LIMIT, else the default; 0 is none."""
    if value is not None:
        return max(0.0, float(value))
    raw = os.environ.get(TIME_LIMIT_ENV, "").strip()
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            raise ValueError(f"{TIME_LIMIT_ENV}={raw!r} is not a number of seconds") from None
    return DEFAULT_TIME_LIMIT


class SlicingTokenizer:
    """The pipeline's tokenizer, with runs of more than RUN_CHARS non-space characters cut into slices
    that are tokenized apart; the Doc's text is always the text given."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if len(text) <= RUN_CHARS or not _LONG_RUN.search(text):
            return self.tokenizer(text)
        docs = [self.tokenizer(part) for part in _slices(text)]
        return Doc.from_docs(docs, ensure_whitespace=False)

    def __getattr__(self, name):  # vocab, rules, infix_finditer ...: the wrapped tokenizer's
        return getattr(self.tokenizer, name)

    def __reduce__(self):
        return (type(self), (self.tokenizer,))


def _slices(text: str) -> Iterator[str]:
    """``text`` in consecutive parts, each long run of non-space characters cut every RUN_CHARS."""
    last = 0
    for m in _LONG_RUN.finditer(text):
        for cut in range(m.start() + RUN_CHARS, m.end(), RUN_CHARS):
            yield text[last:cut]
            last = cut
    yield text[last:]


def refusal(text: str) -> str | None:
    """Why ``text`` is not worth parsing (a run of more than MAX_MARK_RUN marks), or None."""
    for m in _NO_WORD_RUN.finditer(text):
        marks = sum(not c.isspace() for c in m.group())
        if marks > MAX_MARK_RUN:
            line = text.count("\n", 0, m.start()) + 1
            return (f"not an article: a run of {marks:,} punctuation marks or symbols with no letter or digit "
                    f"at character {m.start()} (line {line}); at most {MAX_MARK_RUN:,} are read")
    return None


def bounded(nlp: Language) -> Language:
    """``nlp`` with its tokenizer bounded (SlicingTokenizer); done once, in place."""
    if not isinstance(nlp.tokenizer, SlicingTokenizer):
        nlp.tokenizer = SlicingTokenizer(nlp.tokenizer)
    return nlp


@contextmanager
def budget(seconds: float, what: str = "article"):
    """Raise OverBudget inside the block once ``seconds`` have passed (0: never).

    A timer signal (SIGALRM) interrupts the Python code of the extraction; only in a process's main
    thread, elsewhere the block runs unbounded.
    """
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise OverBudget(f"took longer than its time budget of {seconds:g} s (see --time-limit)")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

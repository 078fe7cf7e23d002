"""Find the spans of text inside quotation marks, paragraph by paragraph, tolerating broken marks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

OPENING = "“„«‟"
CLOSING = "”»"
STRAIGHT = '"'
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"

# A straight mark opens when it follows one of these (or starts the paragraph) and is followed by text.
_BEFORE_OPEN = set(" \t([{—–-/:;,") | set(OPENING) | {SINGLE_OPEN}
# ...and closes when it is followed by one of these (or ends the paragraph).
_AFTER_CLOSE = set(" \t.,;:!?)]}—–-…") | set(CLOSING) | {SINGLE_CLOSE}
# With a straight quote open, a straight mark glued to such punctuation closes it even when a word follows
# (`… audiences,"Jane Roe said`): the space after the mark is missing, not the quote's end.
_GLUED_CLOSE = set(",.!?")
_WORDISH = re.compile(r"\w")
_CANDIDATE = re.compile("[" + re.escape(OPENING + CLOSING + STRAIGHT + "`'") + "]")
# an opening markup tag left in the text (`<tweet id="…" author="…">`): its attribute values are not quotes
_TAG = re.compile(r"<[A-Za-z][\w:.-]*\s[^<>]*>")


@dataclass(frozen=True)
class Quoted:
    """The content between a pair of quotation marks (marks excluded), with where the marks are."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark's first character
    close_mark: int | None  # offset of the closing mark's last character; None when the paragraph ended first
    paragraph_start: int
    paragraph_end: int

    @property
    def closed(self) -> bool:
        """Whether a closing mark was found in the same paragraph."""
        return self.close_mark is not None

    @property
    def continues(self) -> bool:
        """Whether the quote runs on past its paragraph (an unclosed multi-paragraph quote)."""
        return self.close_mark is None


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each non-blank line of ``text``; news text puts one paragraph per line."""
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            yield pos, end
        pos = end + 1


def _role(text: str, i: int, lo: int, hi: int, width: int = 1) -> str:
    """Classify a straight double mark at ``i`` as 'open', 'close' or 'either' from its neighbours."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + width] if i + width < hi else " "
    opens = prev in _BEFORE_OPEN and nxt not in " \t"
    closes = nxt in _AFTER_CLOSE and prev not in " \t"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _has_words(text: str, start: int, end: int) -> bool:
    return bool(_WORDISH.search(text, start, end))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _tag_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each opening markup tag with attributes."""
    return [m.span() for m in _TAG.finditer(text)] if "<" in text else []


def _marks(text: str, lo: int, hi: int, tags: list[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Double quotation marks of a paragraph as (offset, length, role); `''` and ``` `` ``` count as marks."""
    out = []
    i = lo
    k = 0  # the next tag that may still hold ``i`` (tags are in order)
    while i < hi:
        m = _CANDIDATE.search(text, i, hi)  # skip the plain text in one step
        if m is None:
            break
        i = m.start()
        while k < len(tags) and tags[k][1] <= i:
            k += 1
        if k < len(tags) and tags[k][0] <= i:
            i = tags[k][1]
            continue
        ch = text[i]
        pair = text[i:i + 2]
        if pair == "``":
            out.append((i, 2, "open"))
            i += 2
            continue
        if pair == "''" and text[i + 2:i + 3] != "'":
            # typewriter double quotes written as two apostrophes (newswire archives)
            out.append((i, 2, _role(text, i, lo, hi, width=2)))
            i += 2
            continue
        if ch in OPENING:
            # `“Not yet,“ she said`: an opening mark typed where the closing one belongs
            after = text[i + 1] if i + 1 < hi else " "
            misused = i > lo and not text[i - 1].isspace() and (after in _AFTER_CLOSE or after == " ")
            out.append((i, 1, "close" if misused else "open"))
        elif ch in CLOSING:
            out.append((i, 1, "close"))
        elif ch == STRAIGHT:
            out.append((i, 1, _role(text, i, lo, hi)))
        i += 1
    return out


def _pair_double(text: str, lo: int, hi: int,
                 tags: list[tuple[int, int]] = ()) -> list[tuple[int, int, int | None, int | None]]:
    """Pair the double marks of one paragraph: (open, content start, content end, close-mark last char)."""
    pairs: list[tuple[int, int, int | None, int | None]] = []
    opened: tuple[int, int, str] | None = None
    marks = _marks(text, lo, hi, tags)
    nested = 0  # curly quotes open inside the open one (`“… what she calls “progress” …”`)
    for n, (i, width, role) in enumerate(marks):
        if opened is None:
            if role != "close":
                opened = (i, width, text[i:i + width])
            # a closing mark with nothing open is a stray: skip it
        elif (role == "open" and opened[2] in OPENING and text[i] in OPENING
              and _closers_before_next_open(text, marks, n) >= nested + 2):
            nested += 1  # closing marks enough for this one and the open one follow: nested, not unclosed
        elif nested and role == "close" and text[i] in CLOSING:
            nested -= 1
        elif role == "open" and (opened[2] == text[i:i + width] or text[i] in OPENING) and not (
                width == 1 and text[i] == STRAIGHT and text[i - 1] in _GLUED_CLOSE):
            # a second opening mark: the first quote was never closed; it ends here
            pairs.append((opened[0], opened[0] + opened[1], i, None))
            opened = (i, width, text[i:i + width])
        else:
            pairs.append((opened[0], opened[0] + opened[1], i, i + width - 1))
            opened = None
    if opened is not None:
        pairs.append((opened[0], opened[0] + opened[1], hi, None))
    return pairs


def _closers_before_next_open(text: str, marks: list[tuple[int, int, str]], n: int) -> int:
    """Curly closing marks after mark ``n`` and before the next opening one: a later, separate quote's
    closing mark cannot close a nested one."""
    count = 0
    for j, _, role in marks[n + 1:]:
        if role == "open":
            break
        count += role == "close" and text[j] in CLOSING
    return count


def _pair_single(text: str, lo: int, hi: int) -> list[tuple[int, int, int | None, int | None]]:
    """Pair curly single marks used as primary quotation marks (‘…’), ignoring apostrophes."""
    pairs: list[tuple[int, int, int | None, int | None]] = []
    i = text.find(SINGLE_OPEN, lo, hi)  # str.find, not a loop over every character: paragraphs are long
    while i >= 0:
        if i == lo or not text[i - 1].isalnum():
            j = text.find(SINGLE_CLOSE, i + 1, hi)
            while j >= 0 and not ((j + 1 == hi or not text[j + 1].isalnum()) and text[j - 1] != " "):
                j = text.find(SINGLE_CLOSE, j + 1, hi)
            if j >= 0:
                pairs.append((i, i + 1, j, j))
                i = j
        i = text.find(SINGLE_OPEN, i + 1, hi)
    return pairs


#: A straight single mark that opens a quote (`'We had no choice,' she said`): at the paragraph's start or after a
#: space or an opening bracket or dash, before a word of two letters or more (not `'em`, `'90s` or `rock 'n' roll`).
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–:]))'(?=[A-Z][a-z']|[A-Za-z][a-z]+\s)", re.M)
#: ...and one that closes it: after a letter or punctuation, before a space, punctuation or the end; a plural
#: possessive before a lower-case word (`the workers' union`) is not one.
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?…])'(?=[\s.,;:!?)\]—–]|$)(?!\s+[a-z])|(?<=[.,!?…])'(?=\s+[a-z])", re.M)
#: The fewest words a quote in straight single marks holds (one or two words between them are as often names,
#: titles or scare quotes as speech).
_SINGLE_MIN_WORDS = 3


def _pair_straight_single(text: str, lo: int, hi: int) -> list[tuple[int, int, int | None, int | None]]:
    """Pair straight single marks used as quotation marks, in a paragraph that has no other: only a pair whose
    content holds a few words and no mark of the same kind that could close it, in a paragraph of more than
    the quote (a line that is nothing but one is a section heading: `'All Bets Are Off.'`)."""
    pairs: list[tuple[int, int, int | None, int | None]] = []
    pos = lo
    while (m := _SINGLE_OPEN.search(text, pos, hi)) is not None:
        close = _SINGLE_CLOSE.search(text, m.end(), hi)
        if close is None:
            break
        content = text[m.end():close.start()]
        alone = not text[lo:m.start()].strip() and not text[close.end():hi].strip(" \t\n.")
        if len(content.split()) >= _SINGLE_MIN_WORDS and not alone:
            pairs.append((m.start(), m.end(), close.start(), close.start()))
            pos = close.end()
        else:
            pos = m.end()
    return pairs


def find_quoted(text: str) -> list[Quoted]:
    """Return every quoted span of ``text`` in order; unclosed quotes run to their paragraph's end."""
    out: list[Quoted] = []
    tags = _tag_spans(text)
    for lo, hi in paragraphs(text):
        pairs = _pair_double(text, lo, hi, [t for t in tags if t[0] < hi and t[1] > lo])
        if not pairs:
            pairs = _pair_single(text, lo, hi) or _pair_straight_single(text, lo, hi)
        for open_mark, start, end, close_mark in pairs:
            start, end = _trimmed(text, start, end)
            if end > start and _has_words(text, start, end):
                out.append(Quoted(start, end, open_mark, close_mark, lo, hi))
    return out

"""Turn a raw document into the normalised Article whose text every later offset points into."""
from __future__ import annotations

import re
from array import array
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

import ftfy

from quotes.records import Article

from .sources import InputError, RawDocument

# Mojibake ftfy misses: UTF-8 punctuation (U+2000-U+207F, bytes E2 80/81 xx) decoded as Mac
# Central European, e.g. a zero-width space shown as "‚Äč". ftfy knows Mac Roman, not this one.
_MAC_PUNCT = re.compile("\u201a[\u00c4\u0100].")
_MAC_ENCODINGS = ("mac_roman", "mac_latin2")

_LINE_BREAK = re.compile("\r\n?|[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Invisible format characters: they split words and names without showing. Zero-width (non-)joiners
# stay: emoji sequences and some scripts need them.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Odd spaces become plain spaces one for one (the tokenizer splits on " " only).
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# What ftfy could change in a line: anything but printable ASCII and tabs (mojibake, odd widths, control
# characters), or "&" (HTML entities). A line without any is left as it is, unasked (most lines of most
# articles; asking ftfy took most of the time normalising takes).
_FTFY_MATTER = re.compile("[^\t\x20-\x7e]|&")

#: The longest first line taken as a headline.
MAX_TITLE_CHARS = 200
#: How many non-empty lines after the headline are checked for a repeat of it.
REPEAT_WINDOW = 3


class SourceOffsets:
    """Where each character of a normalised text came from in the raw text it was made from."""

    def __init__(self, starts: array, ends: array, raw_length: int):
        self.starts = starts  # raw start of the character (or of the raw run it replaced)
        self.ends = ends  # raw end of the same
        self.raw_length = raw_length

    def __len__(self) -> int:
        return len(self.starts)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The raw-text span of normalised ``text[start:end]``."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else self.raw_length
            return at, at
        return self.starts[start], self.ends[end - 1]

    def quote_row(self, row: dict, raw: str) -> dict:
        """Point a quote row's offsets (``start``/``end``, ``speaker_start``/``speaker_end``) and its texts
        at the raw text ``raw`` instead of the normalised one."""
        row["start"], row["end"] = self.span(row["start"], row["end"])
        row["text"] = raw[row["start"]:row["end"]]
        if row.get("speaker_start") is not None:
            row["speaker_start"], row["speaker_end"] = self.span(row["speaker_start"], row["speaker_end"])
            row["speaker_mention"] = raw[row["speaker_start"]:row["speaker_end"]]
        return row


def normalize(raw: RawDocument, *, outlet: str | None = None, published: date | None = None,
              url: str | None = None) -> Article:
    """Clean the text (encoding accidents, odd whitespace, page boilerplate) and settle title and outlet.

    Per-run ``outlet``/``published``/``url`` take precedence over the document's own metadata.
    Raises InputError when no text is left.
    """
    return normalize_with_offsets(raw, outlet=outlet, published=published, url=url)[0]


def normalize_with_offsets(raw: RawDocument, *, outlet: str | None = None, published: date | None = None,
                           url: str | None = None) -> tuple[Article, SourceOffsets]:
    """normalize(), and where each character of the article text was in ``raw.text``."""
    lines = [line for line in clean_lines(raw.text) if not is_boilerplate(line.text)]
    first = next((line.text for line in lines if line.text.strip()), "")
    headline, line_outlet = split_title(first) if looks_like_headline(first) else (None, None)
    if headline:
        lines = _drop_repeated_headline(lines, headline)
    text = _join(lines)
    if not text.text:
        raise InputError(raw.source, "no article text left after removing page boilerplate")

    title, title_outlet = split_title(raw.title) if raw.title else (headline, line_outlet)
    article = Article(
        text=text.text,
        source=raw.source,
        title=title or None,
        outlet=outlet or raw.outlet or title_outlet,
        url=url or raw.url,
        published=published or raw.published,
        author=raw.author,
    )
    return article, SourceOffsets(text.starts, text.ends, len(raw.text))


def clean_text(text: str) -> str:
    """Repair mojibake, drop invisible characters, unify line ends and spaces, strip line-final spaces."""
    return "\n".join(line.text for line in clean_lines(text))


class _Tracked:
    """A string being edited, with the raw-text span each of its characters stands for."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: array, ends: array):
        self.text, self.starts, self.ends = text, starts, ends

    @classmethod
    def raw(cls, text: str, offset: int) -> _Tracked:
        return cls(text, array("q", range(offset, offset + len(text))),
                   array("q", range(offset + 1, offset + len(text) + 1)))

    def __getitem__(self, s: slice) -> _Tracked:
        return _Tracked(self.text[s], self.starts[s], self.ends[s])

    def __add__(self, other: _Tracked) -> _Tracked:
        return _Tracked(self.text + other.text, self.starts + other.starts, self.ends + other.ends)

    def replaced(self, a: int, b: int, new: str) -> _Tracked:
        """``new`` standing for text[a:b]: one for one if the lengths agree, else each for all of it."""
        if len(new) == b - a:
            return _Tracked(new, self.starts[a:b], self.ends[a:b])
        if a == b:  # an insertion stands for the character before it
            a, b = max(a - 1, 0), max(a, 1)
        return _Tracked(new, array("q", [self.starts[a]] * len(new)), array("q", [self.ends[b - 1]] * len(new)))

    def sub(self, pattern: re.Pattern, repl) -> _Tracked:
        """pattern.sub(repl, text), keeping track of where the result came from."""
        if not pattern.search(self.text):
            return self
        parts, last = [], 0
        for m in pattern.finditer(self.text):
            parts += [self[last:m.start()], self.replaced(m.start(), m.end(), repl(m) if callable(repl) else repl)]
            last = m.end()
        parts.append(self[last:])
        return _concat(parts)

    def edited(self, new: str) -> _Tracked:
        """``new``, an edited version of the text, lined up with it by difflib."""
        if new == self.text:
            return self
        parts = []
        for op, i1, i2, j1, j2 in SequenceMatcher(None, self.text, new, autojunk=False).get_opcodes():
            if op == "equal":
                parts.append(self[i1:i2])
            elif op != "delete":
                parts.append(self.replaced(i1, i2, new[j1:j2]))
        return _concat(parts)


def _concat(parts: list[_Tracked]) -> _Tracked:
    starts, ends = array("q"), array("q")
    for p in parts:
        starts.extend(p.starts)
        ends.extend(p.ends)
    return _Tracked("".join(p.text for p in parts), starts, ends)


def clean_lines(text: str) -> list[_Tracked]:
    """The cleaned lines of ``text``, each knowing the raw-text span of each of its characters
    (the last one, past the line's text, is its line break's)."""
    # ftfy would stop unescaping HTML entities once it meets a "<"; decide once for the whole text.
    fixer = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False,
                                 unescape_html=False if "<" in text else "auto")
    out = []
    start = 0
    for brk in [*_LINE_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        line = _clean_line(_Tracked.raw(text[start:end], start), fixer)
        line.starts.append(end)
        line.ends.append(brk.end() if brk else end)
        out.append(line)
        start = brk.end() if brk else end
    return out


def _clean_line(line: _Tracked, fixer: ftfy.TextFixerConfig) -> _Tracked:
    line = line.sub(_MAC_PUNCT, _fix_mac_punct)
    # uncurl_quotes would turn “ ” into ", losing which mark opens a quote; the rest is ftfy's default.
    if _FTFY_MATTER.search(line.text) and ftfy.fix_text(line.text, fixer) != line.text:
        # Fixed again in short pieces, so that lining the result up with the input stays cheap.
        line = _concat([piece.edited(ftfy.fix_text(piece.text, fixer)) for piece in _pieces(line)])
    line = line.sub(_INVISIBLE, "")
    line = _Tracked(_SPACES.sub(" ", line.text), line.starts, line.ends)
    return line[:len(line.text.rstrip())]


def _pieces(line: _Tracked, size: int = 200) -> list[_Tracked]:
    """Split a line at spaces that follow an ASCII character (so never inside a mojibake sequence)."""
    text, pieces, a = line.text, [], 0
    while len(text) - a > size:
        b = a + size
        while b > a + size // 2 and not (text[b] == " " and text[b - 1].isascii()):
            b -= 1
        if b == a + size // 2:
            b = a + size
        pieces.append(line[a:b])
        a = b
    pieces.append(line[a:])
    return pieces


def _fix_mac_punct(m: re.Match) -> str:
    for encoding in _MAC_ENCODINGS:
        try:
            fixed = m.group().encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if "\u2000" <= fixed <= "\u207f":
            return fixed
    return m.group()


def _join(lines: list[_Tracked]) -> _Tracked:
    """Join lines with newlines, at most one blank line in a row, none at either end."""
    kept: list[_Tracked] = []
    for line in lines:
        if line.text.strip() or (kept and kept[-1].text.strip()):
            kept.append(line)
    while kept and not kept[-1].text.strip():
        kept.pop()
    if not kept:
        return _Tracked("", array("q"), array("q"))
    # Each line's spans end with its line break's: that is the joining newline's.
    text = "\n".join(line.text for line in kept)
    joined = _concat(kept)
    joined = _Tracked(text, joined.starts[:len(text)], joined.ends[:len(text)])
    return joined[len(text) - len(text.lstrip()):]


@lru_cache(maxsize=1)
def boilerplate_patterns() -> re.Pattern:
    """The whole-line boilerplate patterns of ``data/boilerplate.txt`` as one regular expression."""
    raw = resources.files("quotes.data").joinpath("boilerplate.txt").read_text(encoding="utf-8")
    patterns = [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is page furniture (comment forms, share buttons, 'Source link', ...)."""
    squeezed = " ".join(line.split())
    return bool(squeezed) and boilerplate_patterns().fullmatch(squeezed) is not None


def split_title(line: str) -> tuple[str, str | None]:
    """Split "Title | Section | Outlet" into the title and the outlet (the last part); else (line, None)."""
    parts = [" ".join(p.split()) for p in line.split("|")]
    parts = [p for p in parts if p]
    if len(parts) >= 2:
        return parts[0], parts[-1]
    return " ".join(line.split()), None


def looks_like_headline(line: str) -> bool:
    """A first line that can be a headline: short, and not a sentence ending in a full stop."""
    title, _ = split_title(line)
    if not title or len(title) > MAX_TITLE_CHARS:
        return False
    return "|" in line or not title.endswith((".", ",", ";", ":"))


def _drop_repeated_headline(lines: list[_Tracked], headline: str) -> list[_Tracked]:
    """Drop a line just below the headline that repeats it (pages often print it twice, with a section)."""
    key = headline.casefold()
    seen = 0
    for i, tracked in enumerate(lines):
        line = tracked.text
        if not line.strip():
            continue
        seen += 1
        if seen == 1:
            continue  # the headline itself stays: it may hold a quote
        if seen > REPEAT_WINDOW + 1:
            break
        if split_title(line)[0].casefold() == key:
            return lines[:i] + lines[i + 1:]
    return lines

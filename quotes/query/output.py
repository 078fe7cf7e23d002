"""Write result rows as an aligned table, JSON, JSON lines, CSV or TSV."""
from __future__ import annotations

import codecs
import csv
import itertools
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "jsonl", "csv", "tsv")
#: The field separator of each delimited format.
DELIMITERS = {"csv": ",", "tsv": "\t"}

_SPACE = re.compile(r"\s+")
#: Columns are never squeezed below this (or their header) when the table is too wide.
MIN_COLUMN = 6
GAP = "  "
#: Share of a too-narrow terminal kept for the stretch column (the quote itself).
STRETCH_SHARE = 0.4


def cell(value: Any) -> str:
    """One value as single-line table text."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    return _SPACE.sub(" ", str(value)).strip()


def _level(widths: list[int], floors: list[int], budget: int) -> list[int]:
    """Cap the widest columns at one level so the row fits ``budget`` (floors are kept)."""
    if sum(widths) <= budget:
        return widths
    lo, hi = 0, max(widths)
    while lo < hi:  # the highest cap that fits
        mid = (lo + hi + 1) // 2
        if sum(max(min(w, mid), f) for w, f in zip(widths, floors)) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return [max(min(w, lo), f) for w, f in zip(widths, floors)]


def _fit(widths: list[int], floors: list[int], budget: int, stretch: int | None = None) -> list[int]:
    """Column widths within ``budget``; the ``stretch`` column is cut last.

    It keeps STRETCH_SHARE of the budget and is never cut narrower than another column.
    """
    even = _level(widths, floors, budget)
    if sum(widths) <= budget or stretch is None:
        return even
    others = [i for i in range(len(widths)) if i != stretch]
    need = sum(widths[i] for i in others)
    keep = min(widths[stretch], max(budget - need, int(budget * STRETCH_SHARE), floors[stretch]))
    if keep <= even[stretch]:
        return even
    fitted = _level([widths[i] for i in others], [floors[i] for i in others], budget - keep)
    out = dict(zip(others, fitted))
    out[stretch] = max(floors[stretch], min(widths[stretch], budget - sum(fitted)))
    return [out[i] for i in range(len(widths))]


def text_width(text: str) -> int:
    """The terminal cells ``text`` takes: two for a wide character (Chinese, most emoji), none for a
    combining mark (Arabic vowels, accents) or a joiner."""
    if text.isascii():  # nearly every cell: no table lookups, and wcwidth is not even imported
        return len(text)
    import wcwidth  # 25 ms to import: only once a table holds something other than ASCII

    n = wcwidth.wcswidth(text)
    return n if n >= 0 else sum(max(wcwidth.wcwidth(c), 0) for c in text)  # -1: a control character


def _clusters(text: str) -> Iterator[str]:
    """Graphemes (an emoji sequence, a letter and its marks) where wcwidth knows them (0.3 and later),
    else characters: a zero-width one then measures nothing and stays with the one before it."""
    import wcwidth

    return iter(getattr(wcwidth, "iter_graphemes", iter)(text))


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with "…", never inside a grapheme (an emoji sequence, a letter and
    its marks)."""
    if text_width(text) <= width:
        return text
    kept, used = [], 0
    for cluster in _clusters(text):
        w = text_width(cluster)
        if used + w > width - 1:
            break
        kept.append(cluster)
        used += w
    return "".join(kept) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - text_width(text), 0)
    return fill + text if right else text + fill


def terminal_width(out: TextIO | None = None) -> int | None:
    """The width a table on ``out`` is cut to: $COLUMNS when set, the terminal's when ``out`` is one;
    None (never cut) when it goes to a file or a pipe, whose reader wants every character."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    out = sys.stdout if out is None else out
    try:
        is_terminal = out.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return None
    return shutil.get_terminal_size((100, 24)).columns if is_terminal else None


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None,
          width: int | None = None, stretch: str | None = None, header: bool = True) -> list[str]:
    """Lines of an aligned table, cut to ``width`` terminal cells by shortening wide columns (None: see
    terminal_width; 0: never cut). Without ``header``, only the rows.

    The ``stretch`` column (e.g. the quote text) gives up space last.
    """
    lines = table_lines(rows, columns, headers, width, stretch)
    return (lines.head if header else []) + list(lines.body(rows))


class _TableLines:
    """A table's layout, measured on some rows: its two header lines, and body lines for any rows."""

    def __init__(self, columns: Sequence[str], head: list[str], widths: list[int], numeric: list[bool]):
        self.columns, self.head, self.widths, self.numeric = list(columns), head, widths, numeric

    def line(self, values: Sequence[str], clip_numbers: bool = True) -> str:
        parts = []
        for value, w, num in zip(values, self.widths, self.numeric):
            if clip_numbers or not num:
                value = _clip(value, w)
            parts.append(_pad(value, w, right=num))
        return GAP.join(parts).rstrip()

    def body(self, rows: Iterable[Mapping[str, Any]], measured: bool = True) -> Iterator[str]:
        """Lines of ``rows``; rows the layout was not ``measured`` on may hold longer numbers, which are
        printed whole (the column widens for them) rather than cut."""
        for row in rows:
            yield self.line([cell(row.get(c)) for c in self.columns], clip_numbers=measured)


def table_lines(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None,
                width: int | None = None, stretch: str | None = None) -> _TableLines:
    """The layout of a table of ``rows`` (see table); its body() lays out these rows or more of the same."""
    headers = list(headers or columns)
    width = terminal_width() if width is None else width
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    natural = [max([text_width(h)] + [text_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    floors = [min(n, max(text_width(h), MIN_COLUMN)) for n, h in zip(natural, headers)]
    widths = natural if not width else _fit(natural, floors, width - len(GAP) * (len(columns) - 1),
                                            list(columns).index(stretch) if stretch in columns else None)
    numeric = [all(isinstance(row.get(c), (int, float)) and not isinstance(row.get(c), bool)
                   for row in rows if row.get(c) is not None) and any(row.get(c) is not None for row in rows)
               for c in columns]
    lines = _TableLines(columns, [], widths, numeric)
    lines.head = [lines.line(headers), lines.line(["-" * w for w in widths])]
    return lines


#: The table format sizes its columns on this many first rows; later rows are cut to those widths.
TABLE_SAMPLE = 1000
#: Rows written between flushes of the output, so that a reader at the other end of a pipe gets rows as
#: they come (the first row is flushed at once).
FLUSH_EVERY = 500


def _rows_flushed(rows: Iterable[Mapping[str, Any]], out: TextIO) -> Iterator[Mapping[str, Any]]:
    """``rows``, flushing ``out`` after the first and then every FLUSH_EVERY rows written."""
    for n, row in enumerate(rows):
        if n == 1 or (n and n % FLUSH_EVERY == 0):
            _flush(out)
        yield row


def _flush(out: TextIO) -> None:
    flush = getattr(out, "flush", None)
    if flush is not None:
        flush()


def _write_json(rows: Iterable[Mapping[str, Any]], out: TextIO, array: bool) -> int:
    """Write ``rows`` as a JSON array indented by 2 (as ``json.dump(rows, out, ensure_ascii=False, indent=2,
    default=str)`` writes it, floats below 1e-4 aside, written as decimals) or as JSON lines (no spaces after
    separators), as they come; returns the number written."""
    # orjson: with the stdlib's encoder, encoding was a large export's main cost
    import orjson  # only the JSON formats need it

    # dates and other values through str, as json.dumps(default=str) does: orjson's own datetime form differs
    option = orjson.OPT_PASSTHROUGH_DATETIME | (orjson.OPT_INDENT_2 if array else orjson.OPT_APPEND_NEWLINE)
    dumps = orjson.dumps
    buffer = _utf8_buffer(out)
    put = buffer.write if buffer is not None else (lambda data: out.write(str(data, "utf-8")))
    n = 0
    if not array:
        for n, row in enumerate(_rows_flushed(rows, buffer or out), 1):
            put(dumps(row, default=str, option=option))
        return n
    put(b"[")
    for batch in _batches(rows):
        # a batch as a list, without its brackets: its rows at the list's first level, as json.dump(rows,
        # indent=2) writes them (a row at a time, each indented again, took a twentieth longer in all)
        if n:
            put(b",")
        put(memoryview(dumps(batch, default=str, option=option))[1:-2])  # a view: 70 MB not copied again
        n += len(batch)
        _flush(buffer or out)
    put(b"\n]\n" if n else b"]\n")
    return n


def _batches(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    """``rows`` in lists: the first alone (so that it goes out at once), then FLUSH_EVERY at a time."""
    rows = iter(rows)
    size = 1
    while batch := list(itertools.islice(rows, size)):
        yield batch
        size = FLUSH_EVERY


def _utf8_buffer(out: TextIO) -> Any:
    """The byte stream under ``out`` where text written to ``out`` reaches it as UTF-8 unchanged and unhurried (not
    line-buffered), flushed so far, for encoded text to go there as it is; else None."""
    # encoding 72,265 search results' 53 MB again, and a write through the text layer per row, cost 0.06 s
    buffer, encoding = getattr(out, "buffer", None), getattr(out, "encoding", None)
    if (buffer is None or not isinstance(encoding, str) or getattr(out, "line_buffering", True) or os.linesep != "\n"
            or codecs.lookup(encoding).name != "utf-8"):
        return None
    out.flush()
    return buffer


_LISTS = frozenset((list, tuple))


def _cells(row: Mapping[str, Any], fields: Sequence[str]) -> list:
    """A csv row's cells: ``fields`` of ``row`` (a missing one empty), a list as its items joined by "; "."""
    cells = list(map(row.get, fields))
    # the check in C (map, set): a per-cell loop in Python was most of the time a large export took
    if _LISTS.isdisjoint(map(type, cells)):
        return cells
    return ["; ".join(map(str, value)) if value.__class__ in _LISTS else value for value in cells]


def write(rows: Iterable[Mapping[str, Any]], fmt: str, out: TextIO, columns: Sequence[str] | None = None,
          headers: Sequence[str] | None = None, stretch: str | None = None, *, width: int | None = None,
          header: bool = True) -> int:
    """Write ``rows`` to ``out`` as they come; ``columns`` picks the table's columns (other formats keep
    every field). Returns the number of rows written.

    Rows may be any iterable (a generator streams: memory stays flat whatever the number of rows); the
    output is that of the whole list at once: json as ``json.dump(rows, indent=2)``, csv and tsv with the
    first row's fields. A table sizes its columns on its first TABLE_SAMPLE rows and is cut to ``width``
    cells (None: terminal_width(out), so a table into a pipe is never cut; 0: never). Without ``header``,
    csv, tsv and tables have no header line.
    """
    rows = iter(rows)
    n = 0
    if fmt in ("json", "jsonl"):
        n = _write_json(rows, out, array=fmt == "json")
    elif fmt in DELIMITERS:
        first = next(rows, None)
        fields = list(first) if first is not None else list(columns or [])
        writer = csv.writer(out, lineterminator="\n", delimiter=DELIMITERS[fmt])
        if header:
            writer.writerow(fields)
        if first is not None:
            for n, row in enumerate(_rows_flushed(itertools.chain([first], rows), out), 1):
                writer.writerow(_cells(row, fields))
    elif fmt == "table":
        sample = list(itertools.islice(rows, TABLE_SAMPLE))
        lines = table_lines(sample, columns or (list(sample[0]) if sample else []), headers,
                            terminal_width(out) if width is None else width, stretch=stretch)
        head = lines.head if header else []
        for n, text in enumerate(_rows_flushed(itertools.chain(head, lines.body(sample),
                                                               lines.body(rows, measured=False)),
                                               out), 1):
            out.write(text + "\n")
        n = max(0, n - len(head))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return n

"""Write result rows as an aligned table, JSON, JSON lines or CSV."""
from __future__ import annotations

import csv
import itertools
import json
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "jsonl", "csv")

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


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None,
          width: int | None = None, stretch: str | None = None) -> list[str]:
    """Lines of an aligned table, cut to ``width`` (default: the terminal's) by shortening wide columns.

    The ``stretch`` column (e.g. the quote text) gives up space last.
    """
    lines = table_lines(rows, columns, headers, width, stretch)
    return lines.head + list(lines.body(rows))


class _TableLines:
    """A table's layout, measured on some rows: its two header lines, and body lines for any rows."""

    def __init__(self, columns: Sequence[str], head: list[str], widths: list[int], numeric: list[bool]):
        self.columns, self.head, self.widths, self.numeric = list(columns), head, widths, numeric

    def line(self, values: Sequence[str], clip_numbers: bool = True) -> str:
        parts = []
        for value, w, num in zip(values, self.widths, self.numeric):
            if clip_numbers or not num:
                value = _clip(value, w)
            parts.append(value.rjust(w) if num else value.ljust(w))
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
    width = width or shutil.get_terminal_size((100, 24)).columns
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    natural = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    floors = [min(n, max(len(h), MIN_COLUMN)) for n, h in zip(natural, headers)]
    widths = _fit(natural, floors, width - len(GAP) * (len(columns) - 1),
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


def _json_row(row: Mapping[str, Any], indent: int) -> str:
    """A row as ``json.dump`` of a list with ``indent`` writes it at the list's first level."""
    text = json.dumps(row, ensure_ascii=False, indent=indent, default=str)
    pad = " " * indent
    return pad + text.replace("\n", "\n" + pad)


def write(rows: Iterable[Mapping[str, Any]], fmt: str, out: TextIO, columns: Sequence[str] | None = None,
          headers: Sequence[str] | None = None, stretch: str | None = None) -> int:
    """Write ``rows`` to ``out`` as they come; ``columns`` picks the table's columns (other formats keep
    every field). Returns the number of rows written.

    Rows may be any iterable (a generator streams: memory stays flat whatever the number of rows); the
    output is that of the whole list at once: json as ``json.dump(rows, indent=2)``, csv with the first
    row's fields. A table sizes its columns on its first TABLE_SAMPLE rows.
    """
    rows = iter(rows)
    n = 0
    if fmt == "json":
        out.write("[")
        for n, row in enumerate(_rows_flushed(rows, out), 1):
            out.write(("\n" if n == 1 else ",\n") + _json_row(row, 2))
        out.write("\n]\n" if n else "]\n")
    elif fmt == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False, default=str).encode  # json.dumps makes one per call
        for n, row in enumerate(_rows_flushed(rows, out), 1):
            out.write(encode(row) + "\n")
    elif fmt == "csv":
        first = next(rows, None)
        fields = list(first) if first is not None else list(columns or [])
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        if first is not None:
            for n, row in enumerate(_rows_flushed(itertools.chain([first], rows), out), 1):
                writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
                                 for k, v in row.items()})
    elif fmt == "table":
        sample = list(itertools.islice(rows, TABLE_SAMPLE))
        lines = table_lines(sample, columns or (list(sample[0]) if sample else []), headers, stretch=stretch)
        for n, text in enumerate(_rows_flushed(itertools.chain(lines.head, lines.body(sample),
                                                               lines.body(rows, measured=False)),
                                               out), 1):
            out.write(text + "\n")
        n = max(0, n - 2)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return n

"""Write result rows as an aligned table, JSON, JSON lines or CSV."""
from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Mapping, Sequence
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

    def line(values: Sequence[str]) -> str:
        parts = []
        for value, w, num in zip(values, widths, numeric):
            value = _clip(value, w)
            parts.append(value.rjust(w) if num else value.ljust(w))
        return GAP.join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells]


def write(rows: Sequence[Mapping[str, Any]], fmt: str, out: TextIO, columns: Sequence[str] | None = None,
          headers: Sequence[str] | None = None, stretch: str | None = None) -> None:
    """Write ``rows`` to ``out``; ``columns`` picks the table's columns (other formats keep every field)."""
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        fields = list(rows[0]) if rows else list(columns or [])
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
                             for k, v in row.items()})
    elif fmt == "table":
        for text in table(rows, columns or (list(rows[0]) if rows else []), headers, stretch=stretch):
            out.write(text + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")

"""Charts drawn on the server as inline SVG: no script, nothing fetched, readable without CSS."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape
from urllib.parse import quote

#: Drawing size in SVG units; the SVG scales to its box.
WIDTH, HEIGHT = 900, 220
#: Horizontal bars: drawing width and the labels' share of it.
BARS_WIDTH, BARS_LABEL = 460, 190
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 26, 10
#: At most this many labels along the time axis.
X_LABELS = 8


def _months_between(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _weeks_between(first: str, last: str) -> list[str]:
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    out = []
    while day <= end:
        out.append(day.isoformat())
        day += timedelta(days=7)
    return out


def filled(series: list[dict], unit: str, last: int | None = None) -> list[tuple[str, int]]:
    """(period, count) for every month or week from the first to the last counted one (gaps as 0),
    the latest ``last`` of them."""
    if not series:
        return []
    counts = {p["value"]: p["count"] for p in series}
    between = _months_between if unit == "month" else _weeks_between
    periods = between(series[0]["value"], series[-1]["value"])
    if last:
        periods = periods[-last:]
    return [(p, counts.get(p, 0)) for p in periods]


def _nice_max(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least ``value``."""
    step = 1
    while True:
        for f in (1, 2, 5):
            if step * f >= value:
                return step * f
        step *= 10


def time_bars(points: list[tuple[str, int]], label: str, unit: str = "month", width: int = WIDTH) -> str:
    """A bar chart of counts over time as SVG markup (``label`` names it for screen readers); ``width``
    in SVG units (narrower for a half-width column, so its text stays legible)."""
    title = escape(label)
    if not points:
        return f'<p class="empty">{title}: no dated quotes.</p>'
    top = _nice_max(max(n for _, n in points) or 1)
    plot_w, plot_h = width - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / len(points)
    bar = max(slot * 0.8, 1.0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {HEIGHT}" role="img" aria-label="{title}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>']
    for frac in (0, 0.5, 1):  # horizontal grid with the counts
        y = MARGIN_TOP + plot_h * (1 - frac)
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{int(top * frac):,}</text>')
    every = max(1, -(-len(points) // max(2, X_LABELS * width // WIDTH)))
    for i, (period, n) in enumerate(points):
        x = MARGIN_LEFT + i * slot + (slot - bar) / 2
        h = plot_h * n / top
        what = f"{'week of ' if unit == 'week' else ''}{period}: {n:,} quote{'s' if n != 1 else ''}"
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{MARGIN_TOP + plot_h - h:.1f}" width="{bar:.1f}" '
                     f'height="{h:.1f}"><title>{escape(what)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text class="axis" x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                         f'{escape(period)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_bars(rows: list[dict], label: str, href: str | None = None) -> str:
    """Horizontal bars, one per row ({"value", "label", "count"}), as SVG; ``href`` makes each label a
    link: "{value}" in it is the row's value (URL-quoted), "{id}" the value without its "#"."""
    title = escape(label)
    if not rows:
        return f'<p class="empty">{title}: nothing to count.</p>'
    line, label_w = 24, BARS_LABEL
    height = line * len(rows) + 4
    top = max(r["count"] for r in rows) or 1
    parts = [f'<svg class="chart bars" viewBox="0 0 {BARS_WIDTH} {height}" role="img" aria-label="{title}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>']
    for i, r in enumerate(rows):
        y = i * line + 2
        w = (BARS_WIDTH - label_w - 60) * r["count"] / top
        full = str(r["label"])
        name = escape(full if len(full) <= 26 else full[:25] + "…")
        text = f'<text class="label" x="{label_w - 6}" y="{y + 16}" text-anchor="end">{name}</text>'
        if href:
            value = str(r.get("value", ""))
            target = href.format(value=quote(value, safe=""), id=quote(value.lstrip("#"), safe=""))
            text = f'<a href="{escape(target)}">{text}</a>'
        parts.append(f'{text}<rect class="bar" x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{line - 8}">'
                     f'<title>{escape(full)}: {r["count"]:,}</title></rect>'
                     f'<text class="axis" x="{label_w + w + 6:.1f}" y="{y + 16}">{r["count"]:,}</text>')
    parts.append("</svg>")
    return "".join(parts)

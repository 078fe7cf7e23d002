"""An article's text as HTML paragraphs with every quote marked and coloured by its speaker; all text escaped."""
from __future__ import annotations

from html import escape
from typing import Any

#: Speaker colours (CSS classes c0 … c11), given in order of first quote; unattributed quotes are grey.
COLOURS = 12


def speaker_colours(quotes: list[dict[str, Any]]) -> dict[int, int]:
    """Colour index of each speaker id, in order of their first quote in the text."""
    colours: dict[int, int] = {}
    for q in sorted(quotes, key=lambda q: q["start"]):
        if q.get("speaker_id") is not None and q["speaker_id"] not in colours:
            colours[q["speaker_id"]] = len(colours) % COLOURS
    return colours


def _mark(q: dict[str, Any], colours: dict[int, int], first: bool) -> str:
    colour = f"c{colours[q['speaker_id']]}" if q.get("speaker_id") in colours else "nobody"
    who = q.get("speaker") or "no speaker found"
    anchor = f' id="q{q["id"]}"' if first else ""
    return (f'<mark class="quote {colour} {escape(q["kind"])}"{anchor} data-quote="{q["id"]}" '
            f'title="{escape(who)} ({escape(q["kind"])})">')


def paragraphs(text: str, quotes: list[dict[str, Any]]) -> list[str]:
    """``text`` as a list of paragraph bodies (lines of the normalised text) in HTML, each quote
    wrapped in <mark> (nested quotes nested; a quote over several paragraphs marked in each)."""
    colours = speaker_colours(quotes)
    spans = [q for q in quotes if 0 <= q["start"] < q["end"] <= len(text)]
    cuts = sorted({0, len(text), *(q["start"] for q in spans), *(q["end"] for q in spans),
                   *(i for i, c in enumerate(text) if c == "\n"), *(i + 1 for i, c in enumerate(text) if c == "\n")})
    started: set[int] = set()
    out: list[str] = []
    current: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        piece = text[left:right]
        if piece == "\n":
            out.append("".join(current))
            current = []
            continue
        # outer quotes first, so inner marks nest inside them
        covering = sorted((q for q in spans if q["start"] <= left and right <= q["end"]),
                          key=lambda q: (q["start"], -q["end"], q["id"]))
        html = escape(piece)
        for q in reversed(covering):
            html = _mark(q, colours, q["id"] not in started) + html + "</mark>"
            started.add(q["id"])
        current.append(html)
    out.append("".join(current))
    return [p for p in out if p.strip()]

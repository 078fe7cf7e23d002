"""The body a title makes its holder a member of: a senator's senate, the pope's Holy See, a governor's state.

Read from ``data/title_bodies.tsv``: a title's last word, when the rule applies (always, with the holder's
country, with a place named in their description, or when the article mentions certain words) and the
body's name.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from quotes.extraction.lexicon import TITLE_ABBREVIATIONS

from . import countries
from .names import fold


@dataclass(frozen=True)
class _Rule:
    title: str  # the title's last word, lower case
    when: str  # "-", "country", "place", "mentions" or "named"
    words: tuple[str, ...]  # for "mentions": any of these in the article; for "named": a body's head word
    body: str  # may hold {country}, {place} or {named}


@cache
def _rules() -> tuple[_Rule, ...]:
    text = resources.files("quotes.data").joinpath("title_bodies.tsv").read_text(encoding="utf-8")
    rules = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 3:
            raise ValueError(f"title_bodies.tsv line {number}: want title<TAB>when<TAB>body")
        title, when, body = (p.strip() for p in parts)
        kind, *words = when.split()
        if kind not in ("-", "country", "place", "mentions", "named") or (kind in ("mentions", "named")) != bool(words):
            raise ValueError(f"title_bodies.tsv line {number}: unknown condition {when!r}")
        rules.append(_Rule(title, kind, tuple(words), body))
    return tuple(rules)


def place_titles() -> frozenset[str]:
    """Title words whose body is a place's (a governor's state, a mayor's city): no national body."""
    return frozenset(rule.title for rule in _rules() if rule.when == "place")


def title_word(title: str | None) -> str:
    """A title's last word, lower case, abbreviations spelt out ("Sen." -> "senator")."""
    words = fold(title or "").replace(".", " ").split()
    if not words:
        return ""
    return TITLE_ABBREVIATIONS.get(words[-1], words[-1])


def title_body(title: str | None, *, country: str | None = None, place: str | None = None,
               mentions: Callable[[str], bool] | None = None,
               named: Callable[[str], str | None] | None = None) -> str | None:
    """The body the title's holder belongs to, or None when no rule applies.

    ``country`` is the holder's country, ``place`` a city, state or region (not a country) named in their
    description, ``mentions(word)`` whether the article has a word, ``named(head)`` the body with that head
    word ("police") the article names. Without ``mentions`` only the rules that rest on a place apply (the
    description's own evidence, before the article is weighed).
    """
    word = title_word(title)
    if not word:
        return None
    for rule in _rules():
        if rule.title != word or (mentions is None and rule.when != "place"):
            continue
        if rule.when == "-":
            return rule.body
        if rule.when == "country" and country:
            return rule.body.format(country=countries.country_name(country))
        if rule.when == "place" and place:
            return rule.body.format(place=place)
        if rule.when == "mentions" and mentions is not None and any(mentions(w) for w in rule.words):
            return rule.body
        if rule.when == "named" and named is not None and (body := named(rule.words[0])):
            return rule.body.format(named=body)
    return None

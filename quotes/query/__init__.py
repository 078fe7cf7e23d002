"""Queries: what users ask of the store, as plain rows, and how rows are printed.

Takes a database session and filters and gives lists of dicts (quotes, search hits, who-said matches,
speakers, profiles, organisations, counts; ``iter_*`` stream them) that the CLI, a web page or a program can use as they are:
``listing`` (list and show), ``search`` (full text and who-said), ``people`` (speakers, profiles,
organisations, corrections) and ``stats``; ``output`` formats rows as tables, JSON, JSON lines or CSV.
The filters themselves are the store's (``quotes.store.lookup``). Query code never imports spaCy.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .choices import ORGANIZATION_KINDS, QUOTE_KINDS, SORTS, STATS_DIMENSIONS

#: Where each name lives; the modules (and SQLAlchemy with them) are imported on first use, so that the
#: command line can start, and answer --help, without them.
_LAZY = {
    "QueryError": "quotes.store.lookup",
    "iter_quotes": ".listing", "list_quotes": ".listing", "show_quote": ".listing",
    "AmbiguousName": ".people", "corrections": ".people", "iter_speakers": ".people", "organizations": ".people",
    "speaker_profile": ".people", "speakers": ".people",
    "iter_search": ".search", "search_quotes": ".search", "who_said": ".search",
    "stats": ".stats",
}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(where, __name__), name)
    globals()[name] = value
    return value


__all__ = ["AmbiguousName", "ORGANIZATION_KINDS", "QUOTE_KINDS", "QueryError", "SORTS", "STATS_DIMENSIONS",
           "corrections", "iter_quotes", "iter_search", "iter_speakers", "list_quotes", "organizations",
           "search_quotes", "show_quote", "speaker_profile", "speakers", "stats", "who_said"]

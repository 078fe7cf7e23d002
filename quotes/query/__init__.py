"""Queries: what users ask of the store, as plain rows, and how rows are printed.

Takes a database session and filters and gives lists of dicts (quotes, search hits, who-said matches,
speakers, profiles, organisations, counts; ``iter_*`` stream them) that the CLI, a web page or a program can use as they are:
``listing`` (list and show), ``search`` (full text and who-said), ``people`` (speakers, profiles,
organisations, corrections) and ``stats``; ``output`` formats rows as tables, JSON, JSON lines or CSV.
The filters themselves are the store's (``quotes.store.lookup``). Query code never imports spaCy.
"""
from quotes.store.lookup import QueryError
from quotes.store.models import ORGANIZATION_KINDS, QUOTE_KINDS

from .listing import SORTS, iter_quotes, list_quotes, show_quote
from .people import AmbiguousName, corrections, iter_speakers, organizations, speaker_profile, speakers
from .search import iter_search, search_quotes, who_said
from .stats import STATS_DIMENSIONS, stats

__all__ = ["AmbiguousName", "ORGANIZATION_KINDS", "QUOTE_KINDS", "QueryError", "SORTS", "STATS_DIMENSIONS",
           "corrections", "iter_quotes", "iter_search", "iter_speakers", "list_quotes", "organizations", "search_quotes", "show_quote", "speaker_profile",
           "speakers", "stats", "who_said"]

"""quotes: find quoted statements in news articles, attribute them, and keep them in a database.

The public API (``quotes.api``) is imported on first use, so that ``import quotes`` and the command
line's ``--version`` and ``--help`` start without SQLAlchemy or spaCy::

    import quotes
    for q in quotes.extract("“We will act,” the minister said."):
        print(q.speaker, q.text)
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Where each public name lives (the public API stage only).
_LAZY = {
    "extract": "quotes.api.extracting", "extract_many": "quotes.api.extracting",
    "ExtractionError": "quotes.api.extracting",
    "open": "quotes.api.database", "Database": "quotes.api.database", "IngestResult": "quotes.api.database",
    "QuoteRecord": "quotes.api.records", "SpeakerRecord": "quotes.api.records", "to_records": "quotes.api.records",
    "QueryError": "quotes.api.database", "AmbiguousName": "quotes.api.database",
    "Article": "quotes.records",
}

if TYPE_CHECKING:  # what type checkers see; at run time each name is imported when first used
    from quotes.api.database import AmbiguousName, Database, IngestResult, QueryError, open
    from quotes.api.extracting import ExtractionError, extract, extract_many
    from quotes.api.records import QuoteRecord, SpeakerRecord, to_records
    from quotes.records import Article


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = ["AmbiguousName", "Article", "Database", "ExtractionError", "IngestResult", "QueryError", "QuoteRecord",
           "SpeakerRecord", "__version__", "extract", "extract_many", "open", "to_records"]

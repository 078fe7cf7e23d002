"""The choices the queries offer (sorts, what stats counts by, kinds), importable without SQLAlchemy: the
command line builds its options from them before it knows whether a command will open a database."""
from __future__ import annotations

from quotes.records import ORGANIZATION_KINDS, QUOTE_KINDS  # noqa: F401  (offered here with the others)

#: Orders of list and search. relevance: best full-text match first (search only); article: by
#: article, then position (list's default); newest / oldest: by the article's date, undated last;
#: confidence: most confident first.
SORTS = ("relevance", "article", "newest", "oldest", "confidence")

#: What stats counts quotes by.
STATS_DIMENSIONS = ("speaker", "country", "organization", "outlet", "month")

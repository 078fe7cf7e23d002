"""How Datasette should show a quotes database: labels, facets, full-text search, hidden internals."""
from __future__ import annotations

from typing import Any

#: Tables a reader of the data never needs: schema bookkeeping, counters and replay rules.
HIDDEN = ("alembic_version", "curation_rules", "speaker_organizations", "quotes_fts_vocab")

BROWSE_COLUMNS = {
    "quote": "What was said, verbatim",
    "kind": "direct (a full quotation), partial (a quoted fragment) or indirect (reported speech)",
    "confidence": "How sure the attribution is (0-1: the share of such attributions that were right)",
    "speaker": "Who said it, as one name across articles",
    "speaker_kind": "person or organization",
    "speaker_country": "The speaker's country (ISO code)",
    "speaker_named": "1 for a named speaker; 0 for a description such as 'a source' or 'officials'",
    "title": "The speaker's post in this article",
    "organization": "The body the speaker belongs to in this article",
    "article_title": "The article's headline",
    "outlet": "Who published it",
    "published": "Publication date",
    "month": "Publication month (YYYY-MM)",
    "url": "The article's address",
}


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the database Datasette calls ``database`` (the file name without .db)."""
    search = {"fts_table": "quotes_fts", "fts_pk": "id"}
    tables: dict[str, Any] = {name: {"hidden": True} for name in HIDDEN}
    tables.update({
        "browse_quotes": {
            "title": "Quotes, with speaker, organisation and article",
            "description": "One row per quote. Search it, and facet by country, organisation, speaker, outlet, "
                           "kind or month.",
            "label_column": "quote", "sort_desc": "published",
            "facets": ["speaker_country", "organization", "speaker", "outlet", "kind", "month"],
            "columns": BROWSE_COLUMNS, **search,
        },
        "quotes": {
            "description": "The quotes as stored: start and end are character offsets into articles.text.",
            "label_column": "text", "facets": ["kind"], **search,
        },
        "speakers": {
            "description": "People and bodies quoted, one row each across articles; named = 0 marks descriptions "
                           "('a source'), kept per article.",
            "label_column": "name", "sort_desc": "n_quotes", "facets": ["named", "kind", "country"],
        },
        "organizations": {"label_column": "name", "facets": ["kind", "country"]},
        "articles": {"label_column": "title", "sort_desc": "published", "facets": ["outlet"]},
        "affiliations": {"description": "Speaker X was <title> of <organisation>, as seen in an article."},
        "corrections": {"description": "Every change a person made (quotes corrections)."},
    })
    return {
        "title": "quotes: who said what",
        "description": "Quotes found in news articles, attributed to their speakers. Start with browse_quotes.",
        "databases": {
            database: {
                "tables": tables,
                "queries": {
                    "named_speakers": {
                        "title": "Named speakers, most quoted first",
                        "sql": "SELECT id, name, kind, country, n_quotes, n_articles FROM speakers "
                               "WHERE named ORDER BY n_quotes DESC, name LIMIT 500",
                    },
                },
            },
        },
    }

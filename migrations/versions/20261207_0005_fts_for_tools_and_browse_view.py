"""The field's own tools: quotes_fts declared content="quotes" (Datasette and sqlite-utils detect it),
and the browse_quotes view (quote, speaker, organisation, article) for browsing and faceting

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 09:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Datasette and sqlite-utils find a table's full-text index by matching the declaration against
# content="quotes" or content=[quotes]; 0001 wrote content='quotes', which FTS5 reads the same but
# neither tool recognises. A virtual table's arguments cannot be altered: the index is declared
# again and rebuilt from quotes (its triggers on quotes name it, so they keep working). The
# fts5vocab table over it (0003) is recreated with it.
FTS_DECLARATION = ("CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content={content}, content_rowid='id', "
                   "tokenize='unicode61 remove_diacritics 2')")
FTS_VOCAB = "CREATE VIRTUAL TABLE quotes_fts_vocab USING fts5vocab(quotes_fts, row)"
FTS_REBUILD = "INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')"

# One row per quote with what a reader facets on: the speaker's name, kind and country, their post
# and organisation in that article (the first seen there, as quote rows in the query results), and
# the article's title, outlet, date, month and URL. Plain SQL, no stored rows.
BROWSE_VIEW = """CREATE VIEW browse_quotes AS
SELECT q.id AS id,
       q.text AS quote,
       q.kind AS kind,
       q.confidence AS confidence,
       q.speaker_id AS speaker_id,
       s.name AS speaker,
       s.kind AS speaker_kind,
       s.country AS speaker_country,
       s.named AS speaker_named,
       (SELECT f.title FROM affiliations f
        WHERE f.speaker_id = q.speaker_id AND f.article_id = q.article_id ORDER BY f.id LIMIT 1) AS title,
       (SELECT o.name FROM affiliations f JOIN organizations o ON o.id = f.organization_id
        WHERE f.speaker_id = q.speaker_id AND f.article_id = q.article_id ORDER BY f.id LIMIT 1) AS organization,
       q.article_id AS article_id,
       a.title AS article_title,
       a.outlet AS outlet,
       a.published AS published,
       substr(CAST(a.published AS TEXT), 1, 7) AS month,
       a.url AS url
FROM quotes q
JOIN articles a ON a.id = q.article_id
LEFT JOIN speakers s ON s.id = q.speaker_id"""


def _redeclare_fts(content: str) -> None:
    op.execute("DROP TABLE IF EXISTS quotes_fts_vocab")
    op.execute("DROP TABLE IF EXISTS quotes_fts")
    op.execute(FTS_DECLARATION.format(content=content))
    op.execute(FTS_REBUILD)
    op.execute(FTS_VOCAB)


def upgrade() -> None:
    """Upgrade the schema."""
    if op.get_bind().dialect.name == "sqlite":  # FTS5 is SQLite's
        _redeclare_fts('"quotes"')
    op.execute(BROWSE_VIEW)


def downgrade() -> None:
    """Downgrade the schema."""
    op.execute("DROP VIEW IF EXISTS browse_quotes")
    if op.get_bind().dialect.name == "sqlite":
        _redeclare_fts("'quotes'")

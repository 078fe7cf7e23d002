"""The field's own tools: quotes_fts declared content="quotes" (Datasette and sqlite-utils detect it),
the browse_quotes view (quote, speaker, organisation, article) for browsing and faceting, and
quote_counts (quotes by kind and confidence band, kept by triggers) for the facets of all quotes,
and an index that gives a speaker's quotes by article, kind and confidence without reading them

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 09:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


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


# Quotes by kind and confidence band: band b holds confidences with b of models.CONFIDENCE_STEPS
# (0.5, 0.7, 0.9) at or below them. Kept by triggers as the counters of 0003 are: the web's facets
# over all quotes read four rows per kind instead of a million quotes.
BAND = "(({c}) >= 0.5) + (({c}) >= 0.7) + (({c}) >= 0.9)"
KIND_BACKFILL = (
    "DELETE FROM quote_counts",
    f"INSERT INTO quote_counts (kind, band, n) SELECT kind, {BAND.format(c='confidence')}, count(*) FROM quotes "
    "GROUP BY 1, 2",
)
KIND_TRIGGERS = (
    f"""CREATE TRIGGER quote_counts_after_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_counts (kind, band, n) VALUES (new.kind, {BAND.format(c='new.confidence')}, 1)
        ON CONFLICT (kind, band) DO UPDATE SET n = n + 1;
    END""",
    f"""CREATE TRIGGER quote_counts_after_delete AFTER DELETE ON quotes BEGIN
        UPDATE quote_counts SET n = n - 1 WHERE kind = old.kind AND band = {BAND.format(c='old.confidence')};
    END""",
    f"""CREATE TRIGGER quote_counts_after_update AFTER UPDATE OF kind, confidence ON quotes BEGIN
        UPDATE quote_counts SET n = n - 1 WHERE kind = old.kind AND band = {BAND.format(c='old.confidence')};
        INSERT INTO quote_counts (kind, band, n) VALUES (new.kind, {BAND.format(c='new.confidence')}, 1)
        ON CONFLICT (kind, band) DO UPDATE SET n = n + 1;
    END""",
)
KIND_TRIGGER_NAMES = ("quote_counts_after_insert", "quote_counts_after_delete", "quote_counts_after_update")


def _redeclare_fts(content: str) -> None:
    op.execute("DROP TABLE IF EXISTS quotes_fts_vocab")
    op.execute("DROP TABLE IF EXISTS quotes_fts")
    op.execute(FTS_DECLARATION.format(content=content))
    op.execute(FTS_REBUILD)
    op.execute(FTS_VOCAB)


def upgrade() -> None:
    """Upgrade the schema."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # FTS5 is SQLite's
        _redeclare_fts('"quotes"')
    op.execute(BROWSE_VIEW)
    op.create_table('quote_counts',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('kind', 'band', name=op.f('pk_quote_counts'))
    )
    if sqlite:  # PostgreSQL's triggers (PL/pgSQL) and backfill: revision 0008
        for statement in KIND_BACKFILL + KIND_TRIGGERS:
            op.execute(statement)
    op.create_index('ix_quotes_speaker_id_article_id_kind_confidence', 'quotes',
                    ['speaker_id', 'article_id', 'kind', 'confidence'], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index('ix_quotes_speaker_id_article_id_kind_confidence', table_name='quotes')
    if op.get_bind().dialect.name == "sqlite":
        for trigger in KIND_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table('quote_counts')
    op.execute("DROP VIEW IF EXISTS browse_quotes")
    if op.get_bind().dialect.name == "sqlite":
        _redeclare_fts("'quotes'")

"""speaker_month_counts: each speaker's quotes by month of their article, kind and confidence band, kept
by triggers, for the timelines and facets of speakers, organisations and countries

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# A speaker's quotes by month and kind took a pass over their quotes and each quote's article (51,659
# quotes of the most quoted of 1,000,000: 0.12 to 0.3 s), past a page's time budget. Kept by triggers as
# quote_counts (0005) is; month is the article's YYYY-MM, '' when undated. Deleting an article deletes
# its quotes by cascade after the article row is gone, so a trigger before the article's deletion takes
# them off, and the quotes' own delete trigger skips quotes whose article has gone.
BAND = "(({c}) >= 0.5) + (({c}) >= 0.7) + (({c}) >= 0.9)"
MONTH_OF = "coalesce((SELECT substr(published, 1, 7) FROM articles WHERE id = {a}), '')"
UPSERT_ONE = (f"INSERT INTO speaker_month_counts (speaker_id, month, kind, band, n) "
              f"SELECT new.speaker_id, {MONTH_OF.format(a='new.article_id')}, new.kind, "
              f"{BAND.format(c='new.confidence')}, 1 WHERE new.speaker_id IS NOT NULL "
              f"ON CONFLICT (speaker_id, month, kind, band) DO UPDATE SET n = n + 1;")
TAKE_ONE = (f"UPDATE speaker_month_counts SET n = n - 1 WHERE speaker_id = old.speaker_id "
            f"AND month = {MONTH_OF.format(a='old.article_id')} AND kind = old.kind "
            f"AND band = {BAND.format(c='old.confidence')};")
ARTICLE_QUOTES = ("SELECT speaker_id, kind, {band} AS band, count(*) AS n FROM quotes "
                  "WHERE article_id = {a} AND speaker_id IS NOT NULL GROUP BY 1, 2, 3")
TAKE_ARTICLE = ("UPDATE speaker_month_counts SET n = n - (SELECT count(*) FROM quotes q "
                "WHERE q.article_id = {a} AND q.speaker_id = speaker_month_counts.speaker_id "
                "AND q.kind = speaker_month_counts.kind AND {band} = speaker_month_counts.band) "
                "WHERE month = coalesce(substr({published}, 1, 7), '') "
                "AND speaker_id IN (SELECT speaker_id FROM quotes WHERE article_id = {a});")
BACKFILL = (
    "DELETE FROM speaker_month_counts",
    f"INSERT INTO speaker_month_counts (speaker_id, month, kind, band, n) "
    f"SELECT q.speaker_id, coalesce(substr(a.published, 1, 7), ''), q.kind, {BAND.format(c='q.confidence')}, "
    f"count(*) FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_id IS NOT NULL "
    f"GROUP BY 1, 2, 3, 4",
)
TRIGGERS = (
    f"""CREATE TRIGGER speaker_month_counts_after_insert AFTER INSERT ON quotes BEGIN
        {UPSERT_ONE}
    END""",
    f"""CREATE TRIGGER speaker_month_counts_after_delete AFTER DELETE ON quotes
    WHEN old.speaker_id IS NOT NULL AND EXISTS (SELECT 1 FROM articles WHERE id = old.article_id) BEGIN
        {TAKE_ONE}
    END""",
    f"""CREATE TRIGGER speaker_month_counts_after_update
    AFTER UPDATE OF speaker_id, article_id, kind, confidence ON quotes BEGIN
        {TAKE_ONE}
        {UPSERT_ONE}
    END""",
    f"""CREATE TRIGGER speaker_month_counts_before_article_delete BEFORE DELETE ON articles BEGIN
        {TAKE_ARTICLE.format(a='old.id', band=BAND.format(c='q.confidence'), published='old.published')}
    END""",
    f"""CREATE TRIGGER speaker_month_counts_after_article_date AFTER UPDATE OF published ON articles
    WHEN coalesce(substr(old.published, 1, 7), '') != coalesce(substr(new.published, 1, 7), '') BEGIN
        {TAKE_ARTICLE.format(a='new.id', band=BAND.format(c='q.confidence'), published='old.published')}
        INSERT INTO speaker_month_counts (speaker_id, month, kind, band, n)
        SELECT speaker_id, coalesce(substr(new.published, 1, 7), ''), kind, band, n
        FROM ({ARTICLE_QUOTES.format(a='new.id', band=BAND.format(c='confidence'))}) WHERE true
        ON CONFLICT (speaker_id, month, kind, band) DO UPDATE SET n = n + excluded.n;
    END""",
)
TRIGGER_NAMES = ("speaker_month_counts_after_insert", "speaker_month_counts_after_delete",
                 "speaker_month_counts_after_update", "speaker_month_counts_before_article_delete",
                 "speaker_month_counts_after_article_date")


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table('speaker_month_counts',
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('speaker_id', 'month', 'kind', 'band', name=op.f('pk_speaker_month_counts')),
    sqlite_with_rowid=False,  # rows stored in key order: a speaker's rows are one range, counts included
    )
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's triggers (PL/pgSQL) and backfill: revision 0008
        for statement in BACKFILL + TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Downgrade the schema."""
    if op.get_bind().dialect.name == "sqlite":
        for trigger in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table('speaker_month_counts')
